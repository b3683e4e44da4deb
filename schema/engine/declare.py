"""Resource declarations: what a model exposes, to whom, and how it may be filtered and grouped.

A declaration is plain data. The engine reads it to build per-role GraphQL types and to compile
each request into SQL, so the mapping from API to SQL stays open to inspection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    NodeList,
    SelectBase,
    TextField,
)

ScalarKind = Literal["id", "string", "int", "float", "boolean", "date", "datetime", "json"]
ALL = "*"
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def kind_of(model_field: Field) -> ScalarKind:
    """The GraphQL scalar kind for a peewee field."""
    if model_field.primary_key or isinstance(model_field, ForeignKeyField):
        return "id"
    if isinstance(model_field, BooleanField):
        return "boolean"
    if isinstance(model_field, (IntegerField, BigIntegerField)):
        return "int"
    if isinstance(model_field, (FloatField, DecimalField)):
        return "float"
    if isinstance(model_field, DateTimeField):
        return "datetime"
    if isinstance(model_field, DateField):
        return "date"
    if isinstance(model_field, (CharField, TextField)):
        return "string"
    return "string"


PYTHON_FOR_KIND: dict[str, type] = {
    "string": str,
    "int": int,
    "float": float,
    "boolean": bool,
    "date": dt.date,
    "datetime": dt.datetime,
}


@dataclass(frozen=True)
class Column:
    """A model column exposed as a scalar field."""

    name: str
    description: str = ""
    filterable: bool = True
    sortable: bool = True
    kind: ScalarKind | None = None

    @property
    def graphql_name(self) -> str:
        return camel(self.name)


@dataclass(frozen=True)
class Computed:
    """A scalar worked out in SQL, e.g. a correlated count. ``expression(alias)`` returns the SQL."""

    name: str
    kind: ScalarKind
    sql: Callable[[Any], Any]
    description: str = ""
    filterable: bool = True
    sortable: bool = True

    @property
    def graphql_name(self) -> str:
        return camel(self.name)

    def expression(self, alias: Any) -> Any:
        made = self.sql(alias)
        # A subquery becomes a parenthesised expression, so it can be compared and sorted.
        return NodeList((made,)) if isinstance(made, SelectBase) else made


@dataclass(frozen=True)
class Resolved:
    """A value worked out in Python for the viewer, not in SQL: ``resolve(context, node_id)``.

    For what depends on who asks (the steps a viewer may take now). It costs statements per node, so
    it is for a case page, not a long list; it can't be filtered or sorted on.
    """

    name: str
    annotation: Any
    resolve: Callable[[Any, str], Any]
    description: str = ""

    @property
    def graphql_name(self) -> str:
        return camel(self.name)


@dataclass(frozen=True)
class ToOne:
    """A foreign key exposed as the related object (a LEFT JOIN)."""

    name: str
    fk: str
    target: str
    description: str = ""

    @property
    def graphql_name(self) -> str:
        return camel(self.name)


@dataclass(frozen=True)
class ToMany:
    """Rows of ``target`` whose ``fk`` points here, fetched in one batched statement per request."""

    name: str
    target: str
    fk: str
    description: str = ""
    count: bool = True

    @property
    def graphql_name(self) -> str:
        return camel(self.name)

    @property
    def count_name(self) -> str:
        return camel(self.name) + "Count"


Member = Column | Computed | Resolved | ToOne | ToMany


@dataclass(frozen=True)
class Dimension:
    """A grouping key for aggregates. ``sql(alias, dialect)`` returns a text-valued expression."""

    name: str
    sql: Callable[[Any, str], Any]
    description: str = ""


@dataclass(frozen=True)
class Access:
    """What one role may see: ``fields`` (GraphQL names, or ALL) and a row filter in the ``where`` language.

    Filter values may be viewer variables: ``"$viewer.id"`` or ``"$viewer.homeId"``.
    """

    fields: tuple[str, ...] | str = ALL
    where: Mapping[str, Any] | None = None
    aggregate: bool = False


@dataclass
class Resource:
    """One model's GraphQL surface."""

    name: str
    plural: str
    model: type[Model]
    members: list[Member]
    access: Mapping[str, Access]
    description: str = ""
    search: tuple[str, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    default_order: tuple[str, ...] = ("id",)
    default_page_size: int = DEFAULT_PAGE_SIZE
    max_page_size: int = MAX_PAGE_SIZE
    id_field: str = "id"
    # A backend.records.RecordSpec: generated create, update and archive mutations.
    editable: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [m.graphql_name for m in self.members]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: duplicate member names")
        for member in self.members:
            if isinstance(member, Column) and not hasattr(self.model, member.name):
                raise ValueError(f"{self.name}: model has no field {member.name!r}")
            if isinstance(member, ToOne) and not isinstance(getattr(self.model, member.fk, None), ForeignKeyField):
                raise ValueError(f"{self.name}: {member.fk!r} is not a foreign key")

    @property
    def singular_field(self) -> str:
        return self.name[:1].lower() + self.name[1:]

    @property
    def pk(self) -> Field:
        return getattr(self.model, self.id_field)

    def member(self, graphql_name: str) -> Member | None:
        for member in self.members:
            if member.graphql_name == graphql_name:
                return member
        return None

    def column_kind(self, member: Column) -> ScalarKind:
        if member.kind:
            return member.kind
        return kind_of(getattr(self.model, member.name))
