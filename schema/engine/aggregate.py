"""``<xs>Aggregate(where, groupBy)``: counts and min, max, avg and sum per group, all in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode
from peewee import SQL, fn

from backend.vocabulary import Vocabulary, vocabulary_of
from schema.engine.compiler import Node, Request, filter_error
from schema.engine.declare import Column, Dimension, Resource
from schema.engine.filters import FilterError
from schema.engine.selection import fields

MAX_GROUPS = 1000
NUMERIC = ("int", "float")
ORDERED = ("int", "float", "date", "datetime")


def month(column: str) -> Any:
    """A dimension: the calendar month of a date or time column, as ``YYYY-MM``."""

    def expression(alias: Any, dialect: str) -> Any:
        col = getattr(alias, column)
        return fn.to_char(col, "YYYY-MM") if dialect == "postgres" else fn.strftime("%Y-%m", col)

    return expression


def week(column: str) -> Any:
    """A dimension: the Monday that starts the week of a date or time column, as ``YYYY-MM-DD``."""

    def expression(alias: Any, dialect: str) -> Any:
        col = getattr(alias, column)
        if dialect == "postgres":
            return fn.to_char(fn.date_trunc("week", col), "YYYY-MM-DD")
        # 'weekday 0' moves forward to the Sunday ending the week (or stays on it); six days back is its Monday.
        return fn.date(col, "weekday 0", "-6 days").coerce(False)

    return expression


@dataclass(frozen=True)
class ColumnValue:
    """A dimension's expression: the value of one column, named so the key can take the column's type."""

    column: str

    def __call__(self, alias: Any, dialect: str) -> Any:
        return getattr(alias, self.column)


def value(column: str) -> Any:
    """A dimension: the column's own value."""
    return ColumnValue(column)


def dimension_vocabulary(resource: Resource, dimension: Dimension) -> type[Vocabulary] | None:
    """The vocabulary of the column a ``value`` dimension groups by, or None (months, free text)."""
    if not isinstance(dimension.sql, ColumnValue):
        return None
    return vocabulary_of(getattr(resource.model, dimension.sql.column, None))


def aggregate_columns(resource: Resource, visible: frozenset[str], kinds: tuple[str, ...]) -> list[Column]:
    return [
        m
        for m in resource.members
        if isinstance(m, Column) and m.graphql_name in visible and resource.column_kind(m) in kinds
    ]


def _typed(resource: Resource, name: str, raw: Any) -> Any:
    """SQLite returns MIN/MAX of a date column as text; give the API a date either way."""
    member = resource.member(name)
    if isinstance(raw, str) and isinstance(member, Column):
        kind = resource.column_kind(member)
        if kind == "datetime":
            return dt.datetime.fromisoformat(raw)
        if kind == "date":
            return dt.date.fromisoformat(raw)
    return raw


def run_aggregate(request: Request, resource: Resource, node: FieldNode, args: Mapping[str, Any]) -> list[Node]:
    """One statement: GROUP BY the chosen dimensions, at most MAX_GROUPS groups."""
    scope = request.scope(resource)
    try:
        condition = scope.condition(args.get("where"))
    except FilterError as error:
        raise filter_error(request, error) from None
    by_name: dict[str, Dimension] = {d.name: d for d in resource.dimensions}
    chosen = list(dict.fromkeys(args.get("groupBy") or []))
    unknown = [name for name in chosen if name not in by_name]
    if unknown:
        raise filter_error(request, FilterError(f"groupBy.{unknown[0]}", "no_such_field"))
    dims = [by_name[name].sql(scope.alias, request.dialect) for name in chosen]
    columns: list[Any] = [d.alias(f"k{i}") for i, d in enumerate(dims)]
    columns.append(fn.COUNT(SQL("*")).alias("n"))
    wanted: list[tuple[str, str]] = []
    for child in fields(node.selection_set, request.fragments, request.variables):
        function = child.name.value
        if function not in ("min", "max", "avg", "sum"):
            continue
        for leaf in fields(child.selection_set, request.fragments, request.variables):
            if leaf.name.value.startswith("__"):
                continue
            if (function, leaf.name.value) not in wanted:
                wanted.append((function, leaf.name.value))
    for function, name in wanted:
        member = resource.member(name)
        if not isinstance(member, Column):
            continue
        expression = getattr(fn, function.upper())(scope.column(member.name))
        if function in ("avg", "sum"):
            expression = expression.cast("DOUBLE PRECISION" if request.dialect == "postgres" else "REAL")
        columns.append(expression.alias(f"{function}_{name}"))
    query = scope.alias.select(*columns).where(condition)
    if dims:
        # By position: PostgreSQL can't match a repeated expression whose literals are parameters.
        positions = [SQL(str(i + 1)) for i in range(len(dims))]
        query = query.group_by(*positions).order_by(*positions)
    groups = []
    for row in query.limit(MAX_GROUPS).tuples():
        group = Node()
        key = Node()
        for index, name in enumerate(chosen):
            raw = row[index]
            setattr(key, name, None if raw is None else str(raw))
        for name in by_name:
            if not hasattr(key, name):
                setattr(key, name, None)
        if not by_name:
            key.all = None  # type: ignore[attr-defined]  # the one group of a resource without dimensions
        group.key = key  # type: ignore[attr-defined]
        group.count = row[len(chosen)]  # type: ignore[attr-defined]
        buckets: dict[str, Node] = {f: Node() for f in ("min", "max", "avg", "sum")}
        for offset, (function, name) in enumerate(wanted):
            setattr(buckets[function], name, _typed(resource, name, row[len(chosen) + 1 + offset]))
        for function, bucket in buckets.items():
            setattr(group, function, bucket)
        groups.append(group)
    return groups
