"""Declared mutations: nounVerb operations that call one backend service and return engine nodes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from backend.errors import DomainError, NotFound
from schema.engine.compiler import fetch_one, parse_selection
from schema.engine.selection import fields
from schema.errors import ConflictError, NotAllowedError, NotFoundError, ValidationError, read_only_refusal, to_error


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


@dataclass(frozen=True)
class Outcome:
    """What a mutation's service produced: the node's id and any extra payload values."""

    node_id: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MutationSpec:
    """``run(context, input)`` calls one service and returns an :class:`Outcome` (or raises DomainError)."""

    name: str
    input: type
    run: Callable[[Any, Any], Outcome]
    resource: str
    node_field: str
    payload: str
    roles: frozenset[str]
    #: Payload fields besides the node: ``(name, type)``, or ``(name, type, description)``.
    extra_fields: tuple[tuple[str, type] | tuple[str, type, str], ...] = ()
    description: str = ""


def payload_type(spec: MutationSpec, node_type: Any, resource_name: str) -> Any:
    """The success type: the node as it is now, and the extra fields the spec names."""
    namespace: dict[str, Any] = {
        "__annotations__": {spec.node_field: Optional[node_type]},  # noqa: UP045
        spec.node_field: strawberry.field(description=f"The {resource_name} it acted on, as it is now."),
    }
    for name, annotation, *description in spec.extra_fields:
        namespace["__annotations__"][name] = annotation
        namespace[name] = strawberry.field(description=description[0] if description else None)
    return strawberry.type(type(spec.payload, (), namespace), description=f"What {spec.name} did, when it worked.")


def build_mutation(engine: Any, builder: Any, spec: MutationSpec) -> Any:
    """The generated mutation field: a union of the payload and the typed errors."""
    resource = engine.resources[spec.resource]
    payload = payload_type(spec, builder.objects[spec.resource], resource.name)
    result_type = Annotated[
        payload | ValidationError | NotAllowedError | NotFoundError | ConflictError,
        strawberry.union(
            f"{spec.name[:1].upper()}{spec.name[1:]}Result",
            description=f"What {spec.name} returns: {spec.payload} when it worked, else the error that stopped it.",
        ),
    ]
    argument = strawberry.argument(description="The values to act on; the input type describes each.")

    def resolve(root: Any, info: Info, input: Any) -> Any:  # noqa: A002 - GraphQL's conventional name
        context = info.context
        if (refusal := read_only_refusal(context)) is not None:
            return refusal
        try:
            outcome = spec.run(context, input)
        except DomainError as error:
            return to_error(error, context)
        request = engine.request(info)
        node_fields = [
            child
            for node in info._raw_info.field_nodes
            for child in fields(node.selection_set, request.fragments, request.variables)
            if child.name.value == spec.node_field
        ]
        node = fetch_one(request, resource, outcome.node_id, parse_selection(request, resource, node_fields))
        return payload(**{spec.node_field: node, **outcome.extra})

    resolve.__annotations__ = {"info": Info, "input": Annotated[spec.input, argument], "return": result_type}
    return strawberry.mutation(resolver=resolve, name=spec.name, description=spec.description or None)


def record_field_text(resource: Any, name: str) -> str:
    """What a settable field of a configuration record holds, with the values the record service accepts."""
    from schema.engine.build import member_description
    from schema.engine.declare import camel

    spec = resource.editable
    member = resource.member(camel(name))
    text = (member_description(resource, member) if member is not None else "") or getattr(spec.model, name).help_text
    text = text or f"The {resource.name}'s {camel(name)}."
    if name in spec.choices:
        text += f" One of: {', '.join(spec.choices[name])}."
    if name in spec.ranges:
        low, high = spec.ranges[name]
        text += f" From {low} to {high}."
    return text


def record_mutations(resource: Any) -> list[MutationSpec]:
    """Create, update and archive mutations for a configuration resource (``resource.editable``)."""
    from backend import records
    from schema.engine.declare import camel, kind_of

    spec = resource.editable
    cached = resource.extra.get("record_mutations")
    if cached is not None:
        return cached
    names = {name: camel(name) for name in spec.fields}

    def python_for(name: str) -> Any:
        from schema.engine.build import python_type

        return python_type(kind_of(getattr(spec.model, name)))

    def required(name: str) -> bool:
        model_field = getattr(spec.model, name)
        return not model_field.null and model_field.default is None

    create_ns: dict[str, Any] = {"__annotations__": {}}
    update_ns: dict[str, Any] = {
        "__annotations__": {"id": strawberry.ID},
        "id": strawberry.field(description=f"The {resource.name} to change."),
    }
    for name, graphql_name in names.items():
        base = python_for(name)
        text = record_field_text(resource, name)
        if required(name):
            create_ns["__annotations__"][graphql_name] = base
            create_ns[graphql_name] = strawberry.field(description=text)
        else:
            create_ns["__annotations__"][graphql_name] = Optional[base]  # noqa: UP045
            create_ns[graphql_name] = strawberry.field(default=None, description=text)
        update_ns["__annotations__"][graphql_name] = Optional[base]  # noqa: UP045
        update_ns[graphql_name] = strawberry.field(default=strawberry.UNSET, description=f"{text} Kept if not given.")
    create_input = strawberry.input(
        type(f"{resource.name}CreateInput", (), create_ns), description=f"The values of a new {resource.name}."
    )
    update_input = strawberry.input(
        type(f"{resource.name}UpdateInput", (), update_ns),
        description=f"The {resource.name} to change, and the values to change; a value not given is kept.",
    )
    archive_namespace = {
        "__annotations__": {"id": strawberry.ID},
        "id": strawberry.field(description=f"The {resource.name} to archive."),
    }
    archive_input = strawberry.input(
        type(f"{resource.name}ArchiveInput", (), archive_namespace), description=f"The {resource.name} to archive."
    )

    def values_of(data: Any, skip_unset: bool) -> dict[str, Any]:
        found = {}
        for name, graphql_name in names.items():
            value = getattr(data, graphql_name, strawberry.UNSET)
            if value is strawberry.UNSET or (skip_unset and value is strawberry.UNSET):
                continue
            found[name] = value
        return found

    def record_id(data: Any) -> int:
        return parse_id(data.id, spec.entity)

    def create(context: Any, data: Any) -> Outcome:
        return Outcome(records.create_record(context.actor, spec, values_of(data, False)).get_id())

    def update(context: Any, data: Any) -> Outcome:
        return Outcome(records.update_record(context.actor, spec, record_id(data), values_of(data, True)).get_id())

    def archive(context: Any, data: Any) -> Outcome:
        return Outcome(records.archive_record(context.actor, spec, record_id(data)).get_id())

    singular = resource.singular_field
    made = [
        MutationSpec(
            f"{singular}Create",
            create_input,
            create,
            resource.name,
            singular,
            f"{resource.name}Created",
            spec.roles,
            (),
            f"Add a {resource.name}.",
        ),
        MutationSpec(
            f"{singular}Update",
            update_input,
            update,
            resource.name,
            singular,
            f"{resource.name}Updated",
            spec.roles,
            (),
            f"Change a {resource.name}: only the fields given.",
        ),
    ]
    if not spec.creatable:
        made = made[1:]
    if spec.archive_field:
        made.append(
            MutationSpec(
                f"{singular}Archive",
                archive_input,
                archive,
                resource.name,
                singular,
                f"{resource.name}Archived",
                spec.roles,
                (),
                f"Archive a {resource.name}. It is kept for history; archiving twice is harmless.",
            )
        )
    resource.extra["record_mutations"] = made
    return made
