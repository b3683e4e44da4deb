"""Compile the ``where`` language into a peewee expression. Nothing is filtered in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from peewee import SQL, Expression, NodeList, SelectBase, Value, fn

from backend.db import check_deadline
from schema.engine.declare import Column, Computed, ScalarKind, ToMany, ToOne
from schema.engine.scalars import parse_datetime

if TYPE_CHECKING:
    from schema.engine.compiler import Scope

OPERATORS: dict[ScalarKind, tuple[str, ...]] = {
    "id": ("eq", "neq", "in", "nin", "isNull"),
    "string": ("eq", "neq", "in", "nin", "contains", "startsWith", "isNull"),
    "enum": ("eq", "neq", "in", "nin", "isNull"),
    "int": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "float": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "date": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "datetime": ("eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "isNull"),
    "boolean": ("eq", "neq", "isNull"),
}
MAX_IN_LIST = 500
#: What each operator means, as the filter inputs describe it. It must say what ``scalar_condition`` does.
OPERATOR_TEXTS: dict[str, str] = {
    "eq": "Equal to this value.",
    "neq": "Not equal to this value; a row with no value matches too.",
    "in": f"Equal to one of these values (at most {MAX_IN_LIST}). An empty list matches no row.",
    "nin": f"Has a value, and it is none of these (at most {MAX_IN_LIST}). An empty list matches every row.",
    "lt": "Less than this value; for dates and times, earlier.",
    "lte": "Less than or equal to this value.",
    "gt": "Greater than this value; for dates and times, later.",
    "gte": "Greater than or equal to this value.",
    "contains": "Contains this text, ignoring case.",
    "startsWith": "Starts with this text, ignoring case.",
    "isNull": "true: has no value; false: has a value.",
}
#: A viewer's filter may hold this many entries (fields, operators, and/or/not) in all.
MAX_WHERE_ENTRIES = 200
#: ...and nest input objects this deep (``{contact: {resident: {email: {eq: …}}}}`` is 4).
MAX_WHERE_DEPTH = 10
#: ...and follow this many relations in a row (``{contact: {resident: …}}`` follows 2). Each one is a
#: subquery holding the related rows' role filter, itself made of subqueries for some roles, and SQLite
#: refuses statements nested much deeper than this allows.
MAX_WHERE_RELATIONS = 2
FALSE = SQL("1 = 0")
TRUE = SQL("1 = 1")


class FilterError(ValueError):
    """A filter names something undeclared or holds a bad value. ``path`` shows where, ``code`` what."""

    def __init__(self, path: str, code: str, **params: Any):
        super().__init__(f"{path}: {code}")
        self.path = path
        self.code = code
        self.params = params


class FilterTooLarge(FilterError):
    """A viewer's filter is larger or deeper than the engine compiles."""


def check_where_size(where: Any, path: str = "where") -> None:
    """Raise :class:`FilterTooLarge` when ``where`` has more than MAX_WHERE_ENTRIES entries in all, or nests
    input objects deeper than MAX_WHERE_DEPTH.

    It walks without recursion and stops at the first excess, so even a huge filter costs little to refuse.
    """
    entries = 0
    pending: list[tuple[Any, int]] = [(where, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, Mapping):
            if depth > MAX_WHERE_DEPTH:
                raise FilterTooLarge(path, "too_deep", maximum=MAX_WHERE_DEPTH)
            entries += len(value)
            if entries > MAX_WHERE_ENTRIES:
                raise FilterTooLarge(path, "too_large", maximum=MAX_WHERE_ENTRIES)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list | tuple) and value and isinstance(value[0], Mapping):
            pending.extend((item, depth) for item in value)


def _coerce(kind: ScalarKind, value: Any, path: str, codes: tuple[str, ...] | None = None) -> Any:
    if value is None:
        return None
    if codes is not None and value not in codes:
        # The schema refuses a viewer's unknown code; this catches one written into a role filter.
        raise FilterError(path, "bad_value", kind=kind)
    try:
        if kind == "id":
            number = int(value)
            if not -(2**63) <= number < 2**63:
                raise ValueError(value)  # beyond what the databases hold
            return number
        if kind == "datetime" and isinstance(value, str):
            # An inline literal arrives here as the text written; a variable was already parsed the same way.
            return parse_datetime(value)
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


def scalar_condition(
    expression: Any, kind: ScalarKind, ops: Mapping[str, Any], path: str, codes: tuple[str, ...] | None = None
) -> Expression:
    """The SQL for ``ops`` on one scalar. ``codes``: the only values allowed (a vocabulary's)."""
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
            if isinstance(raw, SelectBase):  # a viewer variable's subquery, in a row filter (never from a request)
                parts.append(expression.in_(raw) if op == "in" else expression.not_in(raw))
                continue
            if len(raw or ()) > MAX_IN_LIST:
                raise FilterError(where, "too_many_values", maximum=MAX_IN_LIST)
            values = [_coerce(kind, v, where, codes) for v in (raw or [])]
            if not values:
                parts.append(FALSE if op == "in" else TRUE)
            else:
                parts.append(expression.in_(values) if op == "in" else expression.not_in(values))
            continue
        value = _coerce(kind, raw, where, codes)
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
    """``(a AND b AND c)``: one flat list, so neither SQL parsers nor the SQL builder nest per part."""
    if not parts:
        return TRUE
    if len(parts) == 1:
        return parts[0]
    return NodeList(parts, glue=" AND ", parens=True)


def disjunction(parts: list[Any]) -> Any:
    """``(a OR b OR c)``, flat as :func:`conjunction` is."""
    if not parts:
        return FALSE
    if len(parts) == 1:
        return parts[0]
    return NodeList(parts, glue=" OR ", parens=True)


def codes_of(scope: Scope, member: Column | Computed) -> tuple[str, ...] | None:
    vocabulary = scope.resource.vocabulary(member)
    return vocabulary.codes() if vocabulary is not None else None


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
        check_deadline()  # a large filter is Python work that the SQL time limit alone would not stop
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
            kind = scope.resource.column_kind(member)
            parts.append(scalar_condition(scope.column(member.name), kind, value, here, codes_of(scope, member)))
        elif isinstance(member, Computed):
            if not member.filterable:
                raise FilterError(here, "not_filterable")
            scope.request.prepare(member)
            parts.append(
                scalar_condition(
                    member.expression(scope.alias, scope.request.viewer),
                    member.kind,
                    value,
                    here,
                    codes_of(scope, member),
                )
            )
        elif isinstance(member, ToOne):
            parts.append(scope.to_one_condition(member, value, here, role))
        elif isinstance(member, ToMany):
            parts.append(scope.to_many_condition(member, value, here, role))
    return conjunction(parts)
