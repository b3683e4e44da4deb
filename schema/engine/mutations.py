"""Declared mutations: nounVerb operations that call one backend service and return engine nodes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from backend.errors import DomainError
from schema.engine.compiler import fetch_one, parse_selection
from schema.engine.selection import fields
from schema.errors import ConflictError, NotAllowedError, NotFoundError, ValidationError, read_only_refusal, to_error


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
    extra_fields: tuple[tuple[str, type], ...] = ()
    description: str = ""


def build_mutation(engine: Any, builder: Any, spec: MutationSpec) -> Any:
    """The generated mutation field: a union of the payload and the typed errors."""
    node_type = builder.objects[spec.resource]
    annotations: dict[str, Any] = {spec.node_field: Optional[node_type]}  # noqa: UP045
    annotations.update(dict(spec.extra_fields))
    payload_type = strawberry.type(type(spec.payload, (), {"__annotations__": annotations}))
    result_type = Annotated[
        payload_type | ValidationError | NotAllowedError | NotFoundError | ConflictError,
        strawberry.union(f"{spec.name[:1].upper()}{spec.name[1:]}Result"),
    ]
    resource = engine.resources[spec.resource]

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
        return payload_type(**{spec.node_field: node, **outcome.extra})

    resolve.__annotations__ = {"info": Info, "input": spec.input, "return": result_type}
    return strawberry.mutation(resolver=resolve, name=spec.name, description=spec.description or None)
