"""Declared mutations: nounVerb operations that call one backend service.

A module declares each mutation with a decorator on the function that calls the service::

    mutations = Mutations()

    @mutations.add("complaintAssign", roles=STAFF, payload="ComplaintAssigned")
    def assign(context: Context, data: ComplaintAssignInput) -> Outcome:
        '''Give the stage to a handler.'''
        return Outcome(journey.assign_complaint(...).id)

The input type comes from the ``data`` annotation and the description from the docstring. The engine builds
each into a field returning a union of the payload and the typed errors (see docs/extending.md).
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Optional, TypeVar

import strawberry
from peewee import ForeignKeyField
from strawberry.types import Info

from backend import records
from backend.errors import DomainError, NotFound
from backend.vocabulary import vocabulary_of
from schema.context import Context
from schema.engine.access import ANONYMOUS_ROLE
from schema.engine.build import python_type
from schema.engine.compiler import fetch_one, parse_selection
from schema.engine.declare import camel, kind_of
from schema.engine.selection import fields
from schema.error_texts import SIGN_IN_REQUIRED
from schema.errors import ConflictError, NotAllowedError, NotFoundError, ValidationError, read_only_refusal, to_error

Run = TypeVar("Run", bound=Callable[..., Any])

# The typed errors a mutation's result may be, unless it declares others.
ERRORS: tuple[type, ...] = (ValidationError, NotAllowedError, NotFoundError, ConflictError)


def parse_id(raw: Any, entity: str) -> int:
    """The numeric id in a GraphQL ID; raise ``NotFound(entity)`` for one that isn't a number."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise NotFound(entity, raw) from None
    if not 0 < value < 2**63:
        # Beyond any id the databases can hold (SQLite would overflow).
        raise NotFound(entity, raw)
    return value


#: What a reference id that is not a number becomes: an id no row has (ids start at 1).
NO_ROW = 0


def reference_id(raw: Any) -> int:
    """The numeric id in a GraphQL ID that refers to another row than the one acted on.

    One that isn't a number, or is beyond any id the databases can hold, names no row and becomes NO_ROW.
    The service then reports it as any id it can't find, at its own field with the input's other
    problems, instead of a NotFound that would hide them.
    """
    try:
        return parse_id(raw, "reference")
    except NotFound:
        return NO_ROW


@dataclass(frozen=True)
class Outcome:
    """What a mutation's service produced: the node's id and any extra payload values."""

    node_id: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class MutationSpec:
    """One declared mutation (made by :meth:`Mutations.add`). ``run(context[, data])`` calls one service.

    With a payload name, ``run`` returns an :class:`Outcome` and the payload holds the node of ``resource`` in
    ``node_field`` plus ``extra_fields``. With a strawberry type as the payload, ``run`` returns one.
    """

    name: str
    run: Callable[..., Any]
    input: type | None
    description: str
    roles: frozenset[str]
    payload: str | type
    resource: str | None = None
    node_field: str | None = None
    #: Payload fields besides the node: ``(name, type)``, or ``(name, type, description)``.
    extra_fields: tuple[tuple[str, type] | tuple[str, type, str], ...] = ()
    errors: tuple[type, ...] = ERRORS
    result: str | None = None

    @property
    def returns_node(self) -> bool:
        return isinstance(self.payload, str)

    @property
    def result_name(self) -> str:
        return self.result or f"{self.name[:1].upper()}{self.name[1:]}Result"

    @property
    def payload_name(self) -> str:
        payload: Any = self.payload
        return payload if isinstance(payload, str) else payload.__strawberry_definition__.name


class Mutations:
    """The mutations a module declares, in the order declared. Iterating gives their specs.

    ``Mutations(a, b)`` starts from other collections, for a package that gathers its modules' mutations.
    """

    def __init__(self, *included: Iterable[MutationSpec]) -> None:
        self._specs = [spec for specs in included for spec in specs]

    def __iter__(self) -> Iterator[MutationSpec]:
        return iter(self._specs)

    def add(
        self,
        name: str,
        *,
        roles: Iterable[str],
        payload: str | type,
        resource: str | None = None,
        node: str | None = None,
        extra: Mapping[str, Any] | None = None,
        errors: tuple[type, ...] = ERRORS,
        result: str | None = None,
    ) -> Callable[[Run], Run]:
        """Declare the decorated ``run(context[, data])`` as the mutation ``name``, for the given roles.

        ``payload`` names the payload type, whose node is of ``resource`` (by default the resource whose name
        begins the payload's name) in the field ``node`` (by default the resource's singular field), with
        ``extra`` fields from the Outcome's extra values. A strawberry type as ``payload`` is returned as is.
        ``result`` names the result union when it is not ``<Name>Result``. Returns the function unchanged.
        """
        if not isinstance(payload, str) and (resource or node or extra):
            raise TypeError(f"mutation {name}: resource, node and extra go with a payload name, not a type")
        if NotAllowedError not in errors:
            raise TypeError(f"mutation {name}: its errors must include NotAllowedError, which refusals return")

        def declare(run: Run) -> Run:
            spec = MutationSpec(
                name=name,
                run=run,
                input=input_of(name, run),
                description=description_of(name, run),
                roles=frozenset(roles),
                payload=payload,
                resource=resource,
                node_field=node,
                extra_fields=tuple(_extra_field(name, value) for name, value in (extra or {}).items()),
                errors=tuple(errors),
                result=result,
            )
            self._specs.append(spec)
            return run

        return declare


def _extra_field(name: str, value: Any) -> tuple[str, type] | tuple[str, type, str]:
    """An extra payload field from ``extra``: a type, or a (type, description) pair."""
    return (name, *value) if isinstance(value, tuple) else (name, value)


def input_of(name: str, run: Callable[..., Any]) -> type | None:
    """The input type of ``run(context, data)`` from its ``data`` annotation; None for ``run(context)``."""
    parameters = list(inspect.signature(run).parameters)
    if parameters == ["context"]:
        return None
    if parameters != ["context", "data"]:
        raise TypeError(f"mutation {name}: {run.__qualname__} must take (context) or (context, data)")
    try:
        hints = typing.get_type_hints(run)
    except NameError as error:
        raise TypeError(f"mutation {name}: {run.__qualname__}'s annotations can't be resolved: {error}") from None
    if "data" not in hints:
        raise TypeError(f"mutation {name}: annotate {run.__qualname__}'s data with its input type")
    return hints["data"]


def description_of(name: str, run: Callable[..., Any]) -> str:
    """The docstring as the mutation's description, on one line: its summary line, then the rest."""
    doc = inspect.getdoc(run)
    if not doc:
        stripped = " (python -OO strips docstrings)" if sys.flags.optimize >= 2 else ""
        raise TypeError(f"mutation {name}: {run.__qualname__} needs a docstring, which is its description{stripped}")
    return " ".join(doc.split())


def with_records(resources: list[Any], declared: Iterable[MutationSpec]) -> list[MutationSpec]:
    """The declared mutations, then the configuration resources' generated ones, each bound to its resource."""
    specs = [*declared, *(spec for r in resources if r.editable is not None for spec in record_mutations(r))]
    by_name = {resource.name: resource for resource in resources}
    return [bind(spec, by_name) for spec in specs]


def bind(spec: MutationSpec, resources: Mapping[str, Any]) -> MutationSpec:
    """The spec with its node's resource and field filled in, as far as they can be.

    The engine's declaration checks refuse a node mutation whose resource is then still unknown.
    """
    if not spec.returns_node:
        return spec
    name = spec.resource or _payload_resource(str(spec.payload), resources)
    resource = resources.get(name) if name else None
    if resource is None:
        return replace(spec, resource=name)
    return replace(spec, resource=name, node_field=spec.node_field or resource.singular_field)


def _payload_resource(payload: str, resources: Iterable[str]) -> str | None:
    """The longest resource name that begins the payload's name, word by word.

    "ContactPersonUpdated" is ContactPerson's; "SurveyAnswered" is Survey's, not SurveyAnswer's.
    """
    words = [name for name in resources if payload.startswith(name) and payload[len(name) : len(name) + 1].isupper()]
    return max(words, key=len, default=None)


def result_union(spec: MutationSpec, payload: type) -> Any:
    """The mutation's result: its payload or one of its typed errors."""
    # A result named on purpose may be shared by several mutations, so its text names none of them.
    subject = f"What {spec.name} returns" if spec.result is None else "The result"
    description = f"{subject}: {spec.payload_name} when it worked, else the error that stopped it."
    union = strawberry.union(spec.result_name, description=description)
    return Annotated[typing.Union[(payload, *spec.errors)], union]


def refusal_of(spec: MutationSpec, context: Context) -> NotAllowedError | None:
    """Refuse a read-scoped token, and anyone not signed in unless visitors may use the mutation."""
    if (refusal := read_only_refusal(context)) is not None:
        return refusal
    if context.actor.user_id is None and ANONYMOUS_ROLE not in spec.roles:
        return NotAllowedError(code="sign_in_required", message=context.gettext(SIGN_IN_REQUIRED))
    return None


def build_mutation(engine: Any, builder: Any, spec: MutationSpec) -> Any:
    """The generated mutation field: refusals, the service call and its typed errors, then the payload."""
    payload_type: Any = node_payload(engine, builder, spec) if spec.returns_node else spec.payload
    result_type = result_union(spec, payload_type)

    def answer(info: Info, data: Any) -> Any:
        context = info.context
        if (refusal := refusal_of(spec, context)) is not None:
            return refusal
        # The schema the mutation runs in, the caller's, for a mutation that checks GraphQL text (saved reports).
        context.extra["graphql_schema"] = info._raw_info.schema
        try:
            made = spec.run(context) if spec.input is None else spec.run(context, data)
        except DomainError as error:
            return to_error(error, context, spec.input)
        if not spec.returns_node:
            return made
        return payload_type(**{str(spec.node_field): _fetch_node(engine, spec, info, made), **made.extra})

    def resolve(root: Any, info: Info, input: Any) -> Any:  # GraphQL's conventional name
        return answer(info, input)

    def resolve_without_input(root: Any, info: Info) -> Any:
        return answer(info, None)

    resolver: Callable[..., Any] = resolve if spec.input is not None else resolve_without_input
    argument = strawberry.argument(description="The values to act on; the input type describes each.")
    arguments = {"input": Annotated[spec.input, argument]} if spec.input is not None else {}
    resolver.__annotations__ = {"info": Info, **arguments, "return": result_type}
    return strawberry.mutation(resolver=resolver, name=spec.name, description=spec.description)


def node_payload(engine: Any, builder: Any, spec: MutationSpec) -> type:
    """The success type: the node as it is now (null when the viewer may not see it), and the extra fields."""
    resource_name = engine.resources[spec.resource].name
    namespace: dict[str, Any] = {
        "__annotations__": {str(spec.node_field): Optional[builder.objects[spec.resource]]},
        str(spec.node_field): strawberry.field(description=f"The {resource_name} it acted on, as it is now."),
    }
    for name, annotation, *description in spec.extra_fields:
        namespace["__annotations__"][name] = annotation
        namespace[name] = strawberry.field(description=description[0] if description else None)
    return strawberry.type(type(spec.payload_name, (), namespace), description=f"What {spec.name} did, when it worked.")


def _fetch_node(engine: Any, spec: MutationSpec, info: Info, outcome: Outcome) -> Any:
    """The node the outcome names, with the fields the query selected under the payload's node field."""
    request = engine.request(info)
    resource = engine.resources[spec.resource]
    node_fields = [
        child
        for node in info._raw_info.field_nodes
        for child in fields(node.selection_set, request.fragments, request.variables)
        if child.name.value == spec.node_field
    ]
    return fetch_one(request, resource, outcome.node_id, parse_selection(request, resource, node_fields))


def record_mutations(resource: Any) -> Mutations:
    """Create, update and archive mutations for a configuration resource (``resource.editable``)."""
    cached = resource.extra.get("record_mutations")
    if cached is None:
        cached = resource.extra["record_mutations"] = _declare_record_mutations(resource)
    return cached


def _declare_record_mutations(resource: Any) -> Mutations:
    spec = resource.editable
    names = _record_field_names(spec)
    create_input, update_input, archive_input = _record_inputs(resource, names)

    def values_of(data: Any) -> dict[str, Any]:
        given = {name: getattr(data, graphql_name, strawberry.UNSET) for name, graphql_name in names.items()}
        return {name: value for name, value in given.items() if value is not strawberry.UNSET}

    def create(context: Context, data: Any) -> Outcome:
        return Outcome(records.create_record(context.actor, spec, values_of(data)).get_id())

    def update(context: Context, data: Any) -> Outcome:
        record_id = parse_id(data.id, spec.entity)
        return Outcome(records.update_record(context.actor, spec, record_id, values_of(data)).get_id())

    def archive(context: Context, data: Any) -> Outcome:
        return Outcome(records.archive_record(context.actor, spec, parse_id(data.id, spec.entity)).get_id())

    name, singular = resource.name, resource.singular_field
    made = Mutations()

    def declare(verb: str, payload: str, run: Any, input_type: type, description: str) -> None:
        add = made.add(f"{singular}{verb}", roles=spec.roles, payload=payload, resource=name, node=singular)
        add(_generated(run, input_type, description))

    if spec.creatable:
        declare("Create", f"{name}Created", create, create_input, f"Add a {name}.")
    declare("Update", f"{name}Updated", update, update_input, f"Change a {name}: only the fields given.")
    if spec.archive_field:
        archived = f"Archive a {name}. It is kept for history; archiving twice is harmless."
        declare("Archive", f"{name}Archived", archive, archive_input, archived)
    return made


def _generated(run: Run, input_type: type, description: str) -> Run:
    """Give a generated function the input annotation and docstring a written one has."""
    run.__annotations__ = {**run.__annotations__, "data": input_type}
    run.__doc__ = description
    return run


def _record_field_names(spec: Any) -> dict[str, str]:
    """The GraphQL name of each settable field: a foreign key takes an id, so ``complaint`` is ``complaintId``."""
    return {
        name: camel(name) + ("Id" if isinstance(getattr(spec.model, name), ForeignKeyField) else "")
        for name in spec.fields
    }


def record_field_text(resource: Any, name: str) -> str:
    """What a settable field of a configuration record holds, with the values the record service accepts."""
    spec = resource.editable
    member = resource.member(camel(name))
    model_field = getattr(spec.model, name)
    text = (member.description if member is not None else "") or model_field.help_text
    text = text or f"The {resource.name}'s {camel(name)}."
    if isinstance(model_field, ForeignKeyField):
        text += " Give its id."
    if name in spec.choices:
        text += f" One of: {', '.join(spec.choices[name])}."
    if name in spec.ranges:
        low, high = spec.ranges[name]
        text += f" From {low} to {high}."
    return text


def _create_field(model_field: Any, base: Any, text: str) -> tuple[Any, Any]:
    """A create input's field: required, unless the model has a default, which it then takes when not given."""
    default = model_field.default
    if default is None:
        if model_field.null:
            return Optional[base], strawberry.field(default=None, description=text)
        return base, strawberry.field(description=text)
    annotation = Optional[base] if model_field.null else base
    if isinstance(default, str | int | float | bool):
        return annotation, strawberry.field(default=default, description=text)
    # A default worked out when the row is made (a clock, a fresh token): left out, so the model works it out.
    return Optional[base], strawberry.field(default=strawberry.UNSET, description=text)


def _record_inputs(resource: Any, names: dict[str, str]) -> tuple[type, type, type]:
    """The create, update and archive input types of a configuration resource."""
    spec, label = resource.editable, resource.name
    create_ns: dict[str, Any] = {"__annotations__": {}}
    update_ns: dict[str, Any] = {
        "__annotations__": {"id": strawberry.ID},
        "id": strawberry.field(description=f"The {label} to change."),
    }
    for name, graphql_name in names.items():
        model_field = getattr(spec.model, name)
        base = python_type(kind_of(model_field), vocabulary_of(model_field))
        text = record_field_text(resource, name)
        create_ns["__annotations__"][graphql_name], create_ns[graphql_name] = _create_field(model_field, base, text)
        update_ns["__annotations__"][graphql_name] = Optional[base]
        update_ns[graphql_name] = strawberry.field(default=strawberry.UNSET, description=f"{text} Kept if not given.")
    archive_ns = {
        "__annotations__": {"id": strawberry.ID},
        "id": strawberry.field(description=f"The {label} to archive."),
    }
    return (
        strawberry.input(type(f"{label}CreateInput", (), create_ns), description=f"The values of a new {label}."),
        strawberry.input(
            type(f"{label}UpdateInput", (), update_ns),
            description=f"The {label} to change, and the values to change; a value not given is kept.",
        ),
        strawberry.input(type(f"{label}ArchiveInput", (), archive_ns), description=f"The {label} to archive."),
    )
