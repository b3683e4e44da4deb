"""Walk a GraphQL selection (fragments, @skip and @include) and read plain argument values."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import is_dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    value_from_ast_untyped,
)
from strawberry.types.base import has_object_definition


def _included(node: Any, variables: Mapping[str, Any]) -> bool:
    for directive in node.directives or ():
        if directive.name.value not in ("skip", "include"):
            continue
        condition = None
        for argument in directive.arguments:
            if argument.name.value == "if":
                condition = to_plain(value_from_ast_untyped(argument.value, dict(variables)))
        if directive.name.value == "skip" and condition:
            return False
        if directive.name.value == "include" and not condition:
            return False
    return True


def fields(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> Iterator[FieldNode]:
    """Yield the field nodes of a selection set, expanding fragments in order."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if not _included(selection, variables):
            continue
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from fields(selection.selection_set, fragments, variables)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from fields(fragment.selection_set, fragments, variables)


def response_key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def arguments(node: FieldNode, variables: Mapping[str, Any]) -> dict[str, Any]:
    """The field's arguments as plain Python values (dicts keyed by GraphQL names)."""
    return {
        arg.name.value: to_plain(value_from_ast_untyped(arg.value, dict(variables))) for arg in node.arguments or ()
    }


def to_plain(value: Any) -> Any:
    """Turn strawberry input objects and enums (from coerced variables) into plain values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        # An input field given as null means the same as one left out.
        return {key: to_plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if is_dataclass(value) and has_object_definition(value):
        definition = value.__strawberry_definition__  # type: ignore[attr-defined]
        plain = {}
        for field in definition.fields:
            item = getattr(value, field.python_name)
            if item is None or type(item).__name__ == "UnsetType":
                continue
            plain[field.graphql_name or field.python_name] = to_plain(item)
        return plain
    return value
