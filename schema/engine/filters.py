"""Compile the ``where`` language into a peewee expression. Nothing is filtered in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from peewee import SQL, Expression, NodeList, Value, fn

from schema.engine.declare import Column, Computed, ScalarKind, ToMany, ToOne

if TYPE_CHECKING:
    from schema.engine.compiler import Scope

OPERATORS: dict[ScalarKind, tuple[str, ...]] = {
    "id": ("eq", "neq", "in", "nin", "isNull"),
    "string": ("eq", "neq", "in", "nin", "contains", "startsWith", "isNull"),
    "int": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "float": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "date": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "datetime": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "boolean": ("eq", "neq", "isNull"),
}
MAX_IN_LIST = 500
FALSE = SQL("1 = 0")
TRUE = SQL("1 = 1")


class FilterError(ValueError):
    """A filter names something undeclared or holds a bad value. ``path`` shows where, ``code`` what."""

    def __init__(self, path: str, code: str, **params: Any):
        super().__init__(f"{path}: {code}")
        self.path = path
        self.code = code
        self.params = params


def _coerce(kind: ScalarKind, value: Any, path: str) -> Any:
    if value is None:
        return None
    try:
        if kind == "id":
            number = int(value)
            if not -(2**63) <= number < 2**63:
                raise ValueError(value)  # beyond what the databases hold
            return number
        if kind == "datetime" and isinstance(value, str):
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
        if kind == "datetime" and isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        if kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FilterError(path, "bad_value", kind=kind) from None
    return value


def like(expression: Any, value: str, prefix_only: bool) -> Any:
    """Case-insensitive LIKE with wildcards in ``value`` escaped, the same on SQLite and PostgreSQL."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"{escaped}%" if prefix_only else f"%{escaped}%"
    # Written out as SQL: peewee turns its LIKE operator into GLOB on SQLite.
    return NodeList((fn.LOWER(expression), SQL("LIKE"), Value(pattern), SQL("ESCAPE"), Value("\\")))


def scalar_condition(expression: Any, kind: ScalarKind, ops: Mapping[str, Any], path: str) -> Expression:
    allowed = OPERATORS[kind]
    parts: list[Any] = []
    for op, raw in ops.items():
        where = f"{path}.{op}"
        if op not in allowed:
            raise FilterError(where, "bad_operator", operator=op, kind=kind)
        if op == "isNull":
            if raw is None:
                continue
            parts.append(expression.is_null(bool(raw)))
            continue
        if op in ("in", "nin"):
            values = [_coerce(kind, v, where) for v in (raw or [])]
            if len(values) > MAX_IN_LIST:
                raise FilterError(where, "too_many_values", maximum=MAX_IN_LIST)
            if not values:
                parts.append(FALSE if op == "in" else TRUE)
            else:
                parts.append(expression.in_(values) if op == "in" else expression.not_in(values))
            continue
        value = _coerce(kind, raw, where)
        if value is None:
            # Never true: a row filter naming a viewer who is not signed in must match nothing.
            parts.append(FALSE if op == "eq" else TRUE)
            continue
        if op == "eq":
            parts.append(expression == value)
        elif op == "neq":
            parts.append((expression != value) | expression.is_null())
        elif op == "lt":
            parts.append(expression < value)
        elif op == "lte":
            parts.append(expression <= value)
        elif op == "gt":
            parts.append(expression > value)
        elif op == "gte":
            parts.append(expression >= value)
        elif op == "contains":
            parts.append(like(expression, str(value), prefix_only=False))
        elif op == "startsWith":
            parts.append(like(expression, str(value), prefix_only=True))
    return conjunction(parts)


def conjunction(parts: list[Any]) -> Any:
    if not parts:
        return TRUE
    result = parts[0]
    for part in parts[1:]:
        result = result & part
    return result


def disjunction(parts: list[Any]) -> Any:
    if not parts:
        return FALSE
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result


def compile_where(scope: Scope, where: Mapping[str, Any] | None, path: str = "where", role: bool = False) -> Any:
    """Return the SQL condition for ``where`` over ``scope`` (a resource at a table alias).

    ``role`` marks a role filter from a declaration: it may name fields the viewer cannot see.
    Raises :class:`FilterError` for anything undeclared.
    """
    if not where:
        return TRUE
    parts: list[Any] = []
    for key, value in where.items():
        here = f"{path}.{key}"
        if value is None:
            continue
        if key == "and":
            parts.append(
                conjunction([compile_where(scope, item, f"{here}[{i}]", role) for i, item in enumerate(value)])
            )
            continue
        if key == "or":
            parts.append(
                disjunction([compile_where(scope, item, f"{here}[{i}]", role) for i, item in enumerate(value)])
            )
            continue
        if key == "not":
            parts.append(~compile_where(scope, value, here, role))
            continue
        member = scope.resource.member(key) if key != "id" else None
        if key == "id":
            parts.append(scalar_condition(scope.column(scope.resource.id_field), "id", value, here))
            continue
        if member is None or not (role or scope.visible(key)):
            raise FilterError(here, "no_such_field")
        if isinstance(member, Column):
            if not member.filterable:
                raise FilterError(here, "not_filterable")
            parts.append(scalar_condition(scope.column(member.name), scope.resource.column_kind(member), value, here))
        elif isinstance(member, Computed):
            if not member.filterable:
                raise FilterError(here, "not_filterable")
            parts.append(scalar_condition(member.expression(scope.alias), member.kind, value, here))
        elif isinstance(member, ToOne):
            parts.append(scope.to_one_condition(member, value, here, role))
        elif isinstance(member, ToMany):
            parts.append(scope.to_many_condition(member, value, here, role))
    return conjunction(parts)
