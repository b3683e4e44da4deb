"""Walk everything a role can read: every root field of its GraphQL schema with every relation it reaches, and
every page of an area of the portal. For tests that show some data can be reached by no query and no page."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import graphql
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)

#: Relations followed below each root field; a deeper walk is cut back when the API refuses it as too costly.
DEPTHS = (3, 2, 1)


def _named(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def _literal(kind: Any, value: str) -> str | None:
    """A literal of an argument's type: ``value`` for an ID or a String, the first value of an enum."""
    named = _named(kind)
    if isinstance(named, GraphQLScalarType):
        literal = {"ID": json.dumps(value), "String": json.dumps(value), "Int": "1", "Boolean": "false"}.get(named.name)
        if literal is None:
            literal = {"Date": '"2026-01-01"', "DateTime": '"2026-01-01T00:00:00+00:00"', "Float": "1.0"}.get(
                named.name
            )
    elif isinstance(named, GraphQLEnumType):
        literal = next(iter(named.values))
    elif isinstance(named, GraphQLInputObjectType):
        parts = []
        for name, field in named.fields.items():
            if isinstance(field.type, GraphQLNonNull) and field.default_value is graphql.Undefined:
                inner = _literal(field.type, value)
                if inner is None:
                    return None
                parts.append(f"{name}: {inner}")
        literal = "{" + ", ".join(parts) + "}"
    else:
        return None
    if literal is not None and isinstance(kind, GraphQLNonNull) and isinstance(kind.of_type, GraphQLList):
        return f"[{literal}]"
    return literal


def _arguments(field: Any, value: str) -> str | None:
    """The required arguments of a field, each given ``value`` (or its type's stand-in); None when one can't be."""
    parts = []
    for name, argument in field.args.items():
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is graphql.Undefined:
            literal = _literal(argument.type, value)
            if literal is None:
                return None
            parts.append(f"{name}: {literal}")
    return f"({', '.join(parts)})" if parts else ""


def selection(kind: Any, depth: int, value: str) -> str:
    """Every field of ``kind``: its scalars, and its relations ``depth`` levels down."""
    named = _named(kind)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return ""
    if isinstance(named, GraphQLUnionType):
        parts = [f"... on {member.name} {selection(member, depth, value)}" for member in named.types]
        return "{ __typename " + " ".join(parts) + " }"
    fields = []
    for name, field in named.fields.items():
        inner = _named(field.type)
        arguments = _arguments(field, value)
        if arguments is None:
            continue
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            fields.append(f"{name}{arguments}")
        elif depth > 0 and isinstance(inner, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            fields.append(f"{name}{arguments} {selection(inner, depth - 1, value)}")
    return "{ __typename " + " ".join(fields) + " }"


def root_queries(schema: graphql.GraphQLSchema, ids: Iterable[str]) -> Iterator[tuple[str, dict[int, str]]]:
    """(root field, query at each depth) for every root field: once with no id, and once per id when it takes one."""
    query_type = schema.query_type
    assert query_type is not None
    for name, field in query_type.fields.items():
        takes_id = any(_named(argument.type).name == "ID" for argument in field.args.values())
        for value in ids if takes_id else [""]:
            arguments = _arguments(field, value)
            if arguments is None:
                continue
            yield name, {d: f"query {{ {name}{arguments} {selection(field.type, d, value)} }}" for d in DEPTHS}


def _refused(body: dict[str, Any]) -> bool:
    """Whether the whole operation was refused before it ran (too deep, too costly): no data at all."""
    return body.get("data") is None and bool(body.get("errors"))


def walk_graphql(client: Any, schema: graphql.GraphQLSchema, headers: dict[str, str], ids: list[str]) -> list[str]:
    """Run every root field (with every relation, as deep as the API allows) and return each answer's text."""
    answers = []
    for name, queries in root_queries(schema, ids):
        for depth in DEPTHS:
            response = client.post("/graphql", json={"query": queries[depth]}, headers=headers)
            assert response.status_code < 500, (name, response.get_data(as_text=True)[:500])
            answers.append(response.get_data(as_text=True))
            if not _refused(response.get_json()):
                break
        else:
            raise AssertionError(f"{name} was refused even one level deep: {answers[-1][:300]}")
    return answers


def walk_pages(client: Any, app: Any, blueprint: str, values: dict[str, list[int]]) -> list[tuple[str, int, str]]:
    """GET every page of a blueprint with each path parameter filled from ``values``: (path, status, body)."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(f"{blueprint}.") or "GET" not in (rule.methods or ()):
            continue
        paths = [{}]
        for argument in sorted(rule.arguments):
            paths = [{**path, argument: value} for path in paths for value in values.get(argument, [1])]
        for arguments in paths:
            path = rule.build(arguments)[1]
            response = client.get(path)
            found.append((path, response.status_code, response.get_data(as_text=True)))
    return found
