"""Resource declarations: what a model exposes, to whom, and how it may be filtered and grouped.

A declaration is plain data. The engine reads it to build per-role GraphQL types and to compile
each request into SQL, so the mapping from API to SQL stays open to inspection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field, replace
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

from backend.db import JSONField
from backend.vocabulary import Vocabulary, vocabulary_of

# "enum": a field holding a closed vocabulary (backend.vocabulary); its GraphQL type is that vocabulary's enum.
ScalarKind = Literal["id", "string", "enum", "int", "float", "boolean", "date", "datetime", "json"]
ALL = "*"
#: In ``Access.fields``: the members declared with ``residents=True``.
RESIDENTS = "<residents>"
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
    if isinstance(model_field, JSONField):
        return "json"
    if vocabulary_of(model_field) is not None:
        return "enum"
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
class _Member:
    """What every member has: a name, a description, and who may see it beyond what ``Access`` grants.

    ``residents=True`` puts the member among those ``Access(RESIDENTS)`` shows. ``only_for`` keeps it from
    every other role, whatever their access says. ``hidden=True`` keeps it from everyone: it is there for
    row filters to use.
    """

    name: str
    description: str = ""
    _: KW_ONLY
    residents: bool = False
    only_for: frozenset[str] | None = None
    hidden: bool = False

    @property
    def graphql_name(self) -> str:
        return camel(self.name)

    def shown_to(self, role: str) -> bool:
        return not self.hidden and (self.only_for is None or role in self.only_for)


@dataclass(frozen=True)
class Column(_Member):
    """A model column exposed as a scalar field.

    Unless the declaration says otherwise, it can be filtered and sorted on, except long text (a TextField,
    JSON included), which can be neither; its kind follows the model field.
    """

    _: KW_ONLY
    filterable: bool | None = None
    sortable: bool | None = None
    kind: ScalarKind | None = None

    def settled(self, model_field: Field) -> Column:
        """This column with ``filterable`` and ``sortable`` taken from the model field where not declared."""
        plain = not isinstance(model_field, TextField)
        return replace(
            self,
            filterable=plain if self.filterable is None else self.filterable,
            sortable=plain if self.sortable is None else self.sortable,
        )


@dataclass(frozen=True)
class Computed(_Member):
    """A scalar worked out in SQL, e.g. a correlated count. ``expression(alias)`` returns the SQL.

    One of kind ``"enum"`` names the vocabulary its values come from. One that depends on who asks (a count that
    leaves out what is hidden from them) says ``viewer=True``: its ``sql(alias, viewer)`` is also given the request's
    viewer variables (``schema.engine.access.ViewerVariables``), whose ``get("id")`` is the person asking. One read
    from stored figures names their ``prepare``.
    ``null=False`` declares that the SQL always gives a value (a COUNT, or a COALESCE), so the field is typed
    non-null; by default it may be null.
    """

    _: KW_ONLY
    kind: ScalarKind
    sql: Callable[..., Any]
    filterable: bool = True
    sortable: bool = True
    vocabulary: type[Vocabulary] | None = None
    viewer: bool = False
    #: Run once per request before the first statement that reads, filters or sorts on it (e.g. bring stored
    #: figures up to date); members sharing one callable share the run.
    prepare: Callable[[], object] | None = None
    null: bool = True

    def __post_init__(self) -> None:
        if (self.kind == "enum") != (self.vocabulary is not None):
            raise ValueError(f"{self.name}: a computed enum needs its vocabulary, and only an enum has one")

    def expression(self, alias: Any, viewer: Any = None) -> Any:
        made = self.sql(alias, viewer) if self.viewer else self.sql(alias)
        # A subquery becomes a parenthesised expression, so it can be compared and sorted.
        return NodeList((made,)) if isinstance(made, SelectBase) else made


@dataclass(frozen=True)
class Resolved(_Member):
    """A value worked out in Python for the viewer, not in SQL: ``resolve(context, node_id)``.

    For what depends on who asks (the steps a viewer may take now). It costs statements per node, so
    it is for a case page, not a long list; it can't be filtered or sorted on.
    """

    _: KW_ONLY
    annotation: Any
    resolve: Callable[[Any, str], Any]


@dataclass(frozen=True)
class Batched(_Member):
    """A value worked out for every node of a list at once: ``load(request, ids)`` returns each id's value.

    For what one statement can work out for a whole page (a list per row, or what depends on who asks) where
    ``Computed``'s single SQL expression can't. The engine calls ``load`` once per list of nodes, as it fetches
    a to-many relation; ``request`` is the engine's (its viewer, and ``request.scope(...)`` for a resource's row
    filter). An id ``load`` leaves out gets ``default()``. It can't be filtered or sorted on.
    """

    _: KW_ONLY
    annotation: Any
    load: Callable[[Any, list[int]], Mapping[int, Any]]
    default: Callable[[], Any] = list


@dataclass(frozen=True)
class ToOne(_Member):
    """A foreign key exposed as the related object (a LEFT JOIN).

    ``fk`` is the model's foreign key (by default the member's name); ``target`` the resource it leads to
    (by default the one declared over the key's model). The engine fills both in when it starts.
    """

    _: KW_ONLY
    fk: str = ""
    target: str = ""


@dataclass(frozen=True)
class ToMany(_Member):
    """Rows of ``target`` whose ``fk`` points here, fetched in one batched statement per request.

    By default the peewee back-reference of the member's name, or else the one declared resource
    whose model has a foreign key to this one. The engine fills both in when it starts.
    """

    _: KW_ONLY
    target: str = ""
    fk: str = ""
    count: bool = True

    @property
    def count_name(self) -> str:
        return camel(self.name) + "Count"


Member = Column | Computed | Resolved | Batched | ToOne | ToMany


@dataclass(frozen=True)
class Dimension:
    """A grouping key for aggregates. ``sql(alias, dialect)`` returns a text-valued expression."""

    name: str
    sql: Callable[[Any, str], Any]
    _: KW_ONLY
    description: str = ""


@dataclass(frozen=True)
class Access:
    """What one role may see: ``fields`` (GraphQL names, or ALL) and a row filter in the ``where`` language.

    ``fields`` may hold RESIDENTS, which stands for the members declared with ``residents=True``.
    Filter values may be viewer variables: ``"$viewer.id"`` or ``"$viewer.homeId"``.
    """

    fields: tuple[str, ...] | str = ALL
    _: KW_ONLY
    where: Mapping[str, Any] | None = None
    aggregate: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The entries of ``fields``, ALL and RESIDENTS included as they are."""
        return (self.fields,) if isinstance(self.fields, str) else self.fields


@dataclass(kw_only=True)
class Resource:
    """One model's GraphQL surface. The engine checks it when it starts (see ``schema.engine.validate``)."""

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
        # A column the model lacks is left as declared: the engine names it when it starts.
        self.members = [
            m.settled(getattr(self.model, m.name))
            if isinstance(m, Column) and isinstance(getattr(self.model, m.name, None), Field)
            else m
            for m in self.members
        ]

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

    def vocabulary(self, member: Column | Computed) -> type[Vocabulary] | None:
        """The vocabulary a scalar member's values come from: the model field's, unless its kind is overridden."""
        if isinstance(member, Computed):
            return member.vocabulary
        if member.kind not in (None, "enum"):
            return None
        return vocabulary_of(getattr(self.model, member.name))

    def shown(self, role: str, access: Access) -> frozenset[str]:
        """The GraphQL names of the members ``access`` shows ``role``."""
        names = set(access.names)
        return frozenset(
            member.graphql_name
            for member in self.members
            if member.shown_to(role)
            and (ALL in names or member.graphql_name in names or (RESIDENTS in names and member.residents))
        )
