"""Create, update and archive configuration records (taxonomies, templates, settings) generically.

A domain declares a :class:`RecordSpec` for each configuration model; the API generates the
mutations from it, and every change still goes through these services with its audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from peewee import CharField, ForeignKeyField, IntegrityError, Model, TextField

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.timeutil import utcnow


@dataclass(frozen=True)
class RecordSpec:
    """Which fields of ``model`` may be set, by which roles, and how a record is archived.

    A foreign key among ``fields`` takes the id of an existing row of the model it points to.
    """

    model: type[Model]
    entity: str
    fields: tuple[str, ...]
    roles: frozenset[str]
    archive_field: str | None = "archived_at"
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Whole-number fields and their (minimum, maximum).
    ranges: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # False for records that exist from the start and may only be changed (a regime's stages).
    creatable: bool = True
    # Called in the same transaction after any create, update or archive.
    after_change: Callable[[], Any] | None = None
    # Checks that need the record or the law: called with the record (None when creating) and the cleaned
    # values before anything is written; raises Invalid to refuse (e.g. a timescale beyond the statutory maximum).
    validate: Callable[[Model | None, dict[str, Any]], None] | None = None


def _changed(spec: RecordSpec) -> None:
    if spec.after_change is not None:
        spec.after_change()


def _check_actor(actor: Actor, spec: RecordSpec, action: str) -> None:
    if not actor.can_write or not actor.roles & spec.roles:
        raise NotAllowed(f"{spec.entity}.{action}")


def _clean(spec: RecordSpec, values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    """The values as stored; raise one Invalid listing every problem with them."""
    cleaned: dict[str, Any] = {}
    with gather() as problems:
        for name in sorted(set(values) - set(spec.fields)):
            problems.add(name, "unknown_field")
        for name in spec.fields:
            model_field = getattr(spec.model, name)
            if name in values:
                with problems.check():
                    cleaned[name] = _clean_value(spec, name, model_field, values[name])
            elif creating and not model_field.null and model_field.default is None:
                problems.add(name, "required")
    return cleaned


def _clean_value(spec: RecordSpec, name: str, model_field: Any, value: Any) -> Any:
    """One field's value as stored; raise Invalid when it can't be."""
    if isinstance(model_field, (CharField, TextField)) and value is not None:
        value = str(value).strip()
        # Blank is refused, unless blank is what the field holds until someone fills it in.
        if not value and not model_field.null and model_field.default != "":
            raise Invalid(name, "required")
        max_length = getattr(model_field, "max_length", None)
        if max_length and len(value) > max_length:
            raise Invalid(name, "too_long", maximum=max_length)
    if value is None and not model_field.null:
        raise Invalid(name, "required")
    if isinstance(model_field, ForeignKeyField) and value is not None:
        return _existing_id(name, model_field, value)
    if name in spec.choices and value is not None and value not in spec.choices[name]:
        raise Invalid(name, "unsupported")
    if name in spec.ranges and value is not None:
        low, high = spec.ranges[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(name, "out_of_range", minimum=low, maximum=high)
    return value


def _existing_id(name: str, model_field: ForeignKeyField, value: Any) -> int:
    """The id ``value`` gives for a foreign key; raise Invalid(name, "not_found") when no row has it."""
    try:
        row_id = int(value)
    except (TypeError, ValueError):
        raise Invalid(name, "not_found") from None
    # Beyond any id the databases can hold (SQLite would overflow), so no row has it.
    if not 0 < row_id < 2**63 or not model_field.rel_model.select().where(model_field.rel_field == row_id).exists():
        raise Invalid(name, "not_found")
    return row_id


def _snapshot(record: Model, spec: RecordSpec) -> dict[str, Any]:
    names = list(spec.fields) + ([spec.archive_field] if spec.archive_field else [])
    return {name: _stored(record, name) for name in names}


def _stored(record: Model, name: str) -> Any:
    """A field's value as the table holds it: a foreign key's id, not the row it points to."""
    model_field = getattr(type(record), name)
    if isinstance(model_field, ForeignKeyField):
        return getattr(record, model_field.object_id_name)
    return getattr(record, name)


def _get(spec: RecordSpec, record_id: int) -> Model:
    record = spec.model.get_or_none(spec.model._meta.primary_key == record_id)
    if record is None:
        raise NotFound(spec.entity, record_id)
    return record


def create_record(actor: Actor, spec: RecordSpec, values: Mapping[str, Any]) -> Model:
    """Create a record. Raises NotAllowed, Invalid (every problem at once) or Conflict("duplicate") on a clash."""
    _check_actor(actor, spec, "create")
    if not spec.creatable:
        raise NotAllowed(f"{spec.entity}.create")
    cleaned = _clean(spec, values, creating=True)
    if spec.validate is not None:
        spec.validate(None, cleaned)
    try:
        with transaction():
            record = spec.model.create(**cleaned)
            record_audit(
                actor,
                f"{spec.entity}.created",
                spec.entity,
                record.get_id(),
                field_changes(None, _snapshot(record, spec)),
            )
            _changed(spec)
    except IntegrityError:
        raise Conflict("duplicate") from None
    return record


def update_record(actor: Actor, spec: RecordSpec, record_id: int, values: Mapping[str, Any]) -> Model:
    """Change the given fields. Raises NotAllowed, NotFound, Invalid (every problem at once) or Conflict."""
    _check_actor(actor, spec, "update")
    cleaned = _clean(spec, values, creating=False)
    record = _get(spec, record_id)
    if spec.validate is not None:
        spec.validate(record, cleaned)
    before = _snapshot(record, spec)
    for name, value in cleaned.items():
        setattr(record, name, value)
    changes = field_changes(before, _snapshot(record, spec))
    if not changes:
        return record
    try:
        with transaction():
            record.save()
            record_audit(actor, f"{spec.entity}.updated", spec.entity, record.get_id(), changes)
            _changed(spec)
    except IntegrityError:
        raise Conflict("duplicate") from None
    return record


def archive_record(actor: Actor, spec: RecordSpec, record_id: int) -> Model:
    """Archive a record (it stays, for history). Archiving twice is harmless."""
    _check_actor(actor, spec, "archive")
    if spec.archive_field is None:
        raise NotAllowed(f"{spec.entity}.archive")
    record = _get(spec, record_id)
    if getattr(record, spec.archive_field) is None:
        before = _snapshot(record, spec)
        setattr(record, spec.archive_field, utcnow())
        with transaction():
            record.save()
            record_audit(
                actor,
                f"{spec.entity}.archived",
                spec.entity,
                record.get_id(),
                field_changes(before, _snapshot(record, spec)),
            )
            _changed(spec)
    return record
