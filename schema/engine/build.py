"""Generate the GraphQL types and root fields for one set of roles from the resource declarations."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.vocabulary import Vocabulary
from schema.engine.access import Grant
from schema.engine.aggregate import (
    MAX_GROUPS,
    NUMERIC,
    ORDERED,
    aggregate_columns,
    dimension_vocabulary,
    run_aggregate,
)
from schema.engine.compiler import fetch_one, fetch_page, parse_selection
from schema.engine.declare import (
    PYTHON_FOR_KIND,
    Batched,
    Column,
    Computed,
    Member,
    Resolved,
    Resource,
    ScalarKind,
    ToMany,
    ToOne,
    camel,
)
from schema.engine.enums import graphql_enum
from schema.engine.filters import OPERATOR_TEXTS, OPERATORS
from schema.engine.search import MAX_WORDS
from schema.engine.selection import arguments, fields

KEYWORDS = {"and", "or", "not", "in"}
FILTER_NAMES = {
    "id": "IDFilter",
    "string": "StringFilter",
    "int": "IntFilter",
    "float": "FloatFilter",
    "boolean": "BooleanFilter",
    "date": "DateFilter",
    "datetime": "DateTimeFilter",
}
#: What a value of each kind is, in a filter input's description.
KIND_TEXTS = {
    "id": "an id",
    "string": "a text",
    "int": "a whole-number",
    "float": "a number",
    "boolean": "a true-or-false",
    "date": "a date",
    "datetime": "a date-and-time",
}


@strawberry.enum(description="Sort direction. NULL values always come last.")
class SortDirection(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending: smallest, earliest or A first.")
    DESC = strawberry.enum_value("DESC", description="Descending: largest, latest or Z first.")


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more rows follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether this page was asked for with `after`.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first row; null on an empty page.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last row: pass it as `after` for the next page. Null on an empty page."
    )


def described(annotation: Any, description: str) -> Any:
    """An argument's type with its description, for a generated resolver's signature."""
    return Annotated[annotation, strawberry.argument(description=description)]


def member_description(resource: Resource, member: Member) -> str:
    """The member's declared description; else the model field's ``help_text`` (a ToOne's foreign key's)."""
    if member.description:
        return member.description
    if isinstance(member, Column):
        return getattr(resource.model, member.name).help_text or ""
    if isinstance(member, ToOne):
        return getattr(resource.model, member.fk).help_text or ""
    return ""


def order_text(resource: Resource) -> str:
    """The ``orderBy`` argument's description: what a list is sorted by when it is not given."""
    keys = ", ".join(
        f"{camel(name.lstrip('-'))} {'DESC' if name.startswith('-') else 'ASC'}" for name in resource.default_order
    )
    return f"Sort keys, the first deciding most; ties go by id. By {keys} if not given."


def first_text(resource: Resource) -> str:
    return f"How many to return: 0 to {resource.max_page_size}; {resource.default_page_size} if not given."


def search_text(resource: Resource) -> str:
    *head, last = [camel(name) for name in resource.search]
    columns = f"{', '.join(head)} or {last}" if head else last
    return (
        f"Only {resource.plural} with every one of these words somewhere in {columns}, each matched as the start "
        f"of a word; words after the {MAX_WORDS}th are ignored. The best matches come first, then orderBy."
    )


def python_type(kind: ScalarKind, vocabulary: type[Vocabulary] | None = None) -> Any:
    if vocabulary is not None:
        return graphql_enum(vocabulary)
    if kind == "id":
        return strawberry.ID
    if kind == "json":
        return JSON
    return PYTHON_FOR_KIND[kind]


def _input_field(python_name: str, annotation: Any, graphql_name: str, description: str = "") -> tuple[str, Any, Any]:
    return python_name, annotation, strawberry.field(default=None, name=graphql_name, description=description or None)


def make_input(name: str, specs: list[tuple[str, Any, Any]], description: str) -> Any:
    namespace: dict[str, Any] = {"__annotations__": {}}
    for python_name, annotation, default in specs:
        namespace["__annotations__"][python_name] = annotation
        namespace[python_name] = default
    return strawberry.input(type(name, (), namespace), description=description)


def filter_input(name: str, base: Any, operators: tuple[str, ...], description: str) -> Any:
    """A filter input with exactly ``operators`` on values of type ``base``."""
    specs = []
    for op in operators:
        annotation = (
            Optional[bool] if op == "isNull" else Optional[list[base]] if op in ("in", "nin") else Optional[base]
        )
        python_name = op + "_" if op in KEYWORDS else op
        specs.append(_input_field(python_name, annotation, op, OPERATOR_TEXTS[op]))
    return make_input(name, specs, description)


def scalar_filters() -> dict[ScalarKind, Any]:
    """One filter input per scalar kind, with exactly the operators that kind allows."""
    return {
        kind: filter_input(
            FILTER_NAMES[kind],
            python_type(kind),
            operators,
            f"Conditions on {KIND_TEXTS[kind]} field; all given must hold.",
        )
        for kind, operators in OPERATORS.items()
        if kind in FILTER_NAMES
    }


def enum_filter(vocabulary: type[Vocabulary]) -> Any:
    """The filter input for fields holding ``vocabulary``: an unknown code is refused when the query is validated."""
    name = vocabulary.__name__
    return filter_input(
        f"{name}Filter",
        graphql_enum(vocabulary),
        OPERATORS["enum"],
        f"Conditions on a {name} field; all given must hold.",
    )


def signature(fn: Callable[..., Any], params: list[tuple[str, Any, Any]], returns: Any) -> Callable[..., Any]:
    """Give a generated resolver the GraphQL arguments strawberry reads from its signature."""
    parameters = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
    ]
    annotations: dict[str, Any] = {"info": Info, "return": returns}
    for name, annotation, default in params:
        parameters.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        )
        annotations[name] = annotation
    fn.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = annotations
    return fn


class TypeBuilder:
    """Builds every type for one role set. Classes are made first and decorated last, so types may refer
    to each other in any order (a person's tokens, a token's owner)."""

    def __init__(self, engine: Any, grants: Mapping[str, Grant]):
        self.engine = engine
        self.grants = grants
        self.filters = scalar_filters()
        self.enum_filters: dict[type[Vocabulary], Any] = {}
        self.objects: dict[str, Any] = {}
        self.wheres: dict[str, Any] = {}
        self.list_filters: dict[str, Any] = {}
        self.order_inputs: dict[str, Any] = {}
        self.connections: dict[str, Any] = {}

    def visible(self, resource: Resource) -> list[Any]:
        grant = self.grants[resource.name]
        return [
            m
            for m in resource.members
            if m.graphql_name in grant.fields and (not isinstance(m, (ToOne, ToMany)) or m.target in self.grants)
        ]

    def build(self) -> list[Any]:
        resources = [self.engine.resources[name] for name in self.grants]
        for resource in resources:
            self.wheres[resource.name] = type(f"{resource.name}Where", (), {"__annotations__": {}})
        for resource in resources:
            where = self.wheres[resource.name]
            self.list_filters[resource.name] = type(
                f"{resource.name}ListFilter",
                (),
                {
                    "__annotations__": {"some": Optional[where], "none": Optional[where]},
                    "some": strawberry.field(
                        default=None, name="some", description="At least one related row matches."
                    ),
                    "none": strawberry.field(default=None, name="none", description="No related row matches."),
                },
            )
        for resource in resources:
            self._fill_where(resource)
        for resource in resources:
            self.wheres[resource.name] = strawberry.input(
                self.wheres[resource.name],
                description=f"Conditions on {resource.plural}. Fields combine with AND; use and, or, not to nest.",
            )
            self.list_filters[resource.name] = strawberry.input(
                self.list_filters[resource.name], description=f"Conditions on related {resource.plural}."
            )
            self.order_inputs[resource.name] = self._order_input(resource)
        for resource in resources:
            self.objects[resource.name] = type(resource.name, (), {"__annotations__": {}})
        for resource in resources:
            self._fill_object(resource)
        for resource in resources:
            self.objects[resource.name] = strawberry.type(
                self.objects[resource.name], description=resource.description or None
            )
            self.connections[resource.name] = self._connection(resource)
        fields_out = []
        for resource in resources:
            fields_out.extend(self._root_fields(resource))
        return fields_out

    def filter_for(self, kind: ScalarKind, vocabulary: type[Vocabulary] | None) -> Any:
        """The filter input of a scalar: its vocabulary's (made once per schema), else its kind's."""
        if vocabulary is None:
            return self.filters[kind]
        if vocabulary not in self.enum_filters:
            self.enum_filters[vocabulary] = enum_filter(vocabulary)
        return self.enum_filters[vocabulary]

    def _fill_where(self, resource: Resource) -> None:
        cls = self.wheres[resource.name]
        annotations = cls.__annotations__
        spec = [_input_field("id", Optional[self.filters["id"]], "id", "Conditions on the id.")]
        for member in self.visible(resource):
            description = member_description(resource, member) or f"Conditions on {member.graphql_name}."
            if isinstance(member, Column) and member.filterable:
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.filter_for(resource.column_kind(member), resource.vocabulary(member))],
                        member.graphql_name,
                        description,
                    )
                )
            elif isinstance(member, Computed) and member.filterable and member.kind in OPERATORS:
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.filter_for(member.kind, member.vocabulary)],
                        member.graphql_name,
                        description,
                    )
                )
            elif isinstance(member, ToOne):
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.wheres[member.target]],
                        member.graphql_name,
                        description,
                    )
                )
            elif isinstance(member, ToMany):
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.list_filters[member.target]],
                        member.graphql_name,
                        description,
                    )
                )
        spec.append(_input_field("and_", Optional[list[cls]], "and", "Every one of these holds."))
        spec.append(_input_field("or_", Optional[list[cls]], "or", "At least one of these holds."))
        spec.append(_input_field("not_", Optional[cls], "not", "This does not hold."))
        for python_name, annotation, default in spec:
            annotations[python_name] = annotation
            setattr(cls, python_name, default)

    def _order_input(self, resource: Resource) -> Any:
        sortable = ["id"] + [
            m.graphql_name for m in self.visible(resource) if isinstance(m, (Column, Computed)) and m.sortable
        ]
        field_enum = strawberry.enum(
            enum.Enum(
                f"{resource.name}SortField",
                {n: strawberry.enum_value(n, description=f"Sort by {n}.") for n in sortable},
            ),
            description=f"Fields {resource.plural} can be sorted by.",
        )
        return make_input(
            f"{resource.name}OrderBy",
            [
                ("field", field_enum, strawberry.field(name="field", description="The field to sort by.")),
                (
                    "direction",
                    SortDirection,
                    strawberry.field(
                        default=SortDirection.ASC,
                        name="direction",
                        description="Ascending or descending; ASC if not given.",
                    ),
                ),
            ],
            f"One sort key for {resource.plural}.",
        )

    def _fill_object(self, resource: Resource) -> None:
        cls = self.objects[resource.name]
        cls.__annotations__["id"] = strawberry.ID
        cls.id = strawberry.field(name="id", description=f"Identifies this {resource.name}.")
        for member in self.visible(resource):
            name = member.graphql_name
            if isinstance(member, Column):
                model_field = getattr(resource.model, member.name)
                base = python_type(resource.column_kind(member), resource.vocabulary(member))
                cls.__annotations__[name] = base if not model_field.null else Optional[base]
                description = member_description(resource, member)
                setattr(cls, name, strawberry.field(name=name, description=description or None))
            elif isinstance(member, Computed):
                base = python_type(member.kind, member.vocabulary)
                cls.__annotations__[name] = Optional[base] if member.null else base
                setattr(cls, name, strawberry.field(name=name, description=member.description or None))
            elif isinstance(member, Resolved):
                setattr(cls, name, self._resolved_field(member))
            elif isinstance(member, Batched):
                # The compiler puts the value on each node (see compiler._attach); a plain resolver reads it.
                cls.__annotations__[name] = member.annotation
                setattr(cls, name, strawberry.field(name=name, description=member.description or None))
            elif isinstance(member, ToOne):
                setattr(cls, name, self._to_one_field(resource, member))
            elif isinstance(member, ToMany):
                setattr(cls, name, self._to_many_field(member))
                if member.count:
                    setattr(cls, member.count_name, self._count_field(member))

    def install_plain_resolvers(self, schema: Any) -> None:
        """Resolve the generated node types' fields without strawberry's per-field wrapper.

        Their values are already on each node (scalars as attributes named after the field,
        relations and counts in ``_rel``); the wrapper's argument conversion would only be
        thrown away. Connection, edge and page types keep strawberry's resolvers.
        """
        type_map = schema._schema.type_map
        for name in self.objects:
            graphql_type = type_map.get(name)
            if graphql_type is None:
                continue
            resource = self.engine.resources[name]
            to_one = {m.graphql_name for m in resource.members if isinstance(m, ToOne)}
            to_many = {m.graphql_name for m in resource.members if isinstance(m, ToMany)}
            counts = {m.count_name for m in resource.members if isinstance(m, ToMany) and m.count}
            resolved = {m.graphql_name for m in resource.members if isinstance(m, Resolved)}
            for field_name, field in graphql_type.fields.items():
                if field_name in resolved:
                    continue
                if field_name in to_one:
                    field.resolve = _resolve_to_one
                elif field_name in to_many:
                    field.resolve = _resolve_to_many
                elif field_name in counts:
                    field.resolve = _resolve_count
                else:
                    field.resolve = _resolve_attribute

    def _resolved_field(self, member: Resolved) -> Any:
        def resolve(root: Any, info: Info) -> Any:
            return member.resolve(info.context, root.id)

        fn = signature(resolve, [], member.annotation)
        return strawberry.field(resolver=fn, name=member.graphql_name, description=member.description or None)

    def _to_one_field(self, resource: Resource, member: ToOne) -> Any:
        target = self.objects[member.target]

        def resolve(root: Any, info: Info) -> Any:
            return root._rel.get(info.path.key)

        fn = signature(resolve, [], Optional[target])
        description = member_description(resource, member)
        return strawberry.field(resolver=fn, name=member.graphql_name, description=description or None)

    def _to_many_field(self, member: ToMany) -> Any:
        target = self.engine.resources[member.target]

        def resolve(root: Any, info: Info, **_kwargs: Any) -> Any:
            return root._rel.get(info.path.key, [])

        fn = signature(
            resolve,
            [
                ("where", described(Optional[self.wheres[member.target]], f"Only {target.plural} that match."), None),
                ("orderBy", described(Optional[list[self.order_inputs[member.target]]], order_text(target)), None),
                ("first", described(Optional[int], first_text(target)), None),
            ],
            list[self.objects[member.target]],
        )
        description = (
            member.description
            or f"At most `first` {target.plural} (default {target.default_page_size}, maximum {target.max_page_size})."
        )
        return strawberry.field(resolver=fn, name=member.graphql_name, description=description)

    def _count_field(self, member: ToMany) -> Any:
        def resolve(root: Any, info: Info, **_kwargs: Any) -> int:
            return int(root._rel.get(info.path.key, 0))

        plural = self.engine.resources[member.target].plural
        where = described(Optional[self.wheres[member.target]], f"Count only the {plural} that match.")
        fn = signature(resolve, [("where", where, None)], int)
        return strawberry.field(
            resolver=fn, name=member.count_name, description=f"How many {plural} match, counted in SQL."
        )

    def _connection(self, resource: Resource) -> Any:
        node = self.objects[resource.name]
        edge_namespace = {
            "__annotations__": {"cursor": str, "node": node},
            "cursor": strawberry.field(description="Pass it as `after` for the rows that follow this one."),
            "node": strawberry.field(description=f"The {resource.name}."),
        }
        edge = strawberry.type(
            type(f"{resource.name}Edge", (), edge_namespace),
            description=f"One of the {resource.plural} on a page, with its cursor.",
        )
        namespace = {
            "__annotations__": {"edges": list[edge], "nodes": list[node], "page_info": PageInfo, "total_count": int},
            "edges": strawberry.field(description="The rows on this page, each with its cursor."),
            "nodes": strawberry.field(description="The rows on this page."),
            "page_info": strawberry.field(description="Where this page sits in the whole list."),
            "total_count": strawberry.field(description=f"How many {resource.plural} match in all, on every page."),
        }
        connection = strawberry.type(
            type(f"{resource.name}Connection", (), namespace), description=f"A page of {resource.plural}."
        )
        connection._edge = edge
        return connection

    def _root_fields(self, resource: Resource) -> list[Any]:
        engine = self.engine
        connection = self.connections[resource.name]
        edge = connection._edge
        where_type = self.wheres[resource.name]
        order_type = self.order_inputs[resource.name]

        def resolve_list(root: Any, info: Info, **_kwargs: Any) -> Any:
            request = engine.request(info)
            raw = info._raw_info
            args = arguments(raw.field_nodes[0], request.variables)
            node_fields, want_total = [], False
            for node in raw.field_nodes:
                for child in fields(node.selection_set, request.fragments, request.variables):
                    if child.name.value == "totalCount":
                        want_total = True
                    elif child.name.value == "nodes":
                        node_fields.append(child)
                    elif child.name.value == "edges":
                        for inner in fields(child.selection_set, request.fragments, request.variables):
                            if inner.name.value == "node":
                                node_fields.append(inner)
            selection = parse_selection(request, resource, node_fields)
            search = engine.search_for(resource, args.get("search"), request)
            page = fetch_page(request, resource, raw.field_nodes[0], args, selection, want_total, search)
            edges = [edge(cursor=c, node=n) for c, n in zip(page.cursors, page.nodes, strict=True)]
            return connection(
                edges=edges,
                nodes=page.nodes,
                total_count=page.total if page.total is not None else 0,
                page_info=PageInfo(
                    has_next_page=page.has_next,
                    has_previous_page=bool(args.get("after")),
                    start_cursor=page.cursors[0] if page.cursors else None,
                    end_cursor=page.cursors[-1] if page.cursors else None,
                ),
            )

        params = [
            ("where", described(Optional[where_type], f"Only {resource.plural} that match."), None),
            ("orderBy", described(Optional[list[order_type]], order_text(resource)), None),
            ("first", described(Optional[int], first_text(resource)), None),
            ("after", described(Optional[str], "The endCursor of the previous page."), None),
        ]
        if resource.search:
            params.append(("search", described(Optional[str], search_text(resource)), None))
        made = [
            strawberry.field(
                resolver=signature(resolve_list, params, connection),
                name=resource.plural,
                description=f"{resource.plural[:1].upper()}{resource.plural[1:]} you may see, a page at a time "
                f"(default {resource.default_page_size}, maximum {resource.max_page_size}).",
            )
        ]

        def resolve_one(root: Any, info: Info, **kwargs: Any) -> Any:
            request = engine.request(info)
            raw = info._raw_info
            selection = parse_selection(request, resource, list(raw.field_nodes))
            return fetch_one(request, resource, kwargs.get("id"), selection)

        made.append(
            strawberry.field(
                resolver=signature(
                    resolve_one,
                    [("id", described(strawberry.ID, f"The {resource.name}'s id."), inspect.Parameter.empty)],
                    Optional[self.objects[resource.name]],
                ),
                name=resource.singular_field,
                description=f"One {resource.name} by id, or null if you may not see it.",
            )
        )
        grant = self.grants[resource.name]
        if grant.aggregate and (resource.dimensions or aggregate_columns(resource, grant.fields, ORDERED)):
            made.append(self._aggregate_field(resource, grant))
        return made

    def _aggregate_field(self, resource: Resource, grant: Grant) -> Any:
        engine = self.engine
        group_type = self._aggregate_group(resource, grant)
        where = described(Optional[self.wheres[resource.name]], f"Count only the {resource.plural} that match.")
        params: list[tuple[str, Any, Any]] = [("where", where, None)]
        if resource.dimensions:
            dimension_enum = strawberry.enum(
                enum.Enum(
                    f"{resource.name}Dimension",
                    {
                        d.name: strawberry.enum_value(d.name, description=d.description or f"Group by {d.name}.")
                        for d in resource.dimensions
                    },
                ),
                description=f"What {resource.plural} can be grouped by.",
            )
            group_by = (
                f"The dimensions to group by; without any, all {resource.plural} form one group. "
                f"At most {MAX_GROUPS} groups are returned."
            )
            params.append(("groupBy", described(Optional[list[dimension_enum]], group_by), None))

        def resolve(root: Any, info: Info, **_kwargs: Any) -> Any:
            request = engine.request(info)
            raw = info._raw_info
            return run_aggregate(
                request, resource, raw.field_nodes[0], arguments(raw.field_nodes[0], request.variables)
            )

        return strawberry.field(
            resolver=signature(resolve, params, list[group_type]),
            name=f"{resource.plural}Aggregate",
            description=f"Counts (and min, max, avg, sum) of {resource.plural}, grouped.",
        )

    def _aggregate_group(self, resource: Resource, grant: Grant) -> Any:
        """The type of one group: its key, its count, and the min, max, avg and sum of the columns shown."""
        ordered = aggregate_columns(resource, grant.fields, ORDERED)
        numeric = aggregate_columns(resource, grant.fields, NUMERIC)
        group_ns: dict[str, Any] = {
            "__annotations__": {"key": _aggregate_key(resource), "count": int},
            "key": strawberry.field(description="What the rows in this group share."),
            "count": strawberry.field(description="How many rows are in this group."),
        }
        if ordered:
            values_type = _per_column(
                f"{resource.name}AggregateValues",
                {m.graphql_name: Optional[python_type(resource.column_kind(m))] for m in ordered},
                f"A value per column of {resource.plural}: the least (min) or the greatest (max) in the group.",
            )
            group_ns["__annotations__"].update(min=values_type, max=values_type)
            group_ns["min"] = strawberry.field(description="The least value of each column in this group.")
            group_ns["max"] = strawberry.field(description="The greatest value of each column in this group.")
        if numeric:
            numbers_type = _per_column(
                f"{resource.name}AggregateNumbers",
                {m.graphql_name: Optional[float] for m in numeric},
                f"A number per numeric column of {resource.plural}: the mean (avg) or the total (sum) over the group.",
            )
            group_ns["__annotations__"].update(avg=numbers_type, sum=numbers_type)
            group_ns["avg"] = strawberry.field(description="The mean of each numeric column over this group.")
            group_ns["sum"] = strawberry.field(description="The total of each numeric column over this group.")
        return strawberry.type(
            type(f"{resource.name}AggregateGroup", (), group_ns), description=f"One group of {resource.plural}."
        )


def _aggregate_key(resource: Resource) -> Any:
    """The values a group's rows share: one field per dimension (``all`` when there are none).

    A dimension over a vocabulary column is typed by that vocabulary's enum; any other is text.
    """
    key_ns: dict[str, Any] = {"__annotations__": {}}
    for dimension in resource.dimensions:
        vocabulary = dimension_vocabulary(resource, dimension)
        as_text = "" if vocabulary else ", as text"
        shared = dimension.description or f"The {dimension.name} the rows share{as_text}."
        key_ns["__annotations__"][dimension.name] = Optional[python_type("string", vocabulary)]
        key_ns[dimension.name] = strawberry.field(
            description=f"{shared} Null unless groupBy names it, or when the rows have none."
        )
    if not resource.dimensions:
        key_ns["__annotations__"]["all"] = Optional[str]
        key_ns["all"] = strawberry.field(description="Always null: every row is in the one group.")
    return strawberry.type(
        type(f"{resource.name}AggregateKey", (), key_ns),
        description="The values of the dimensions this group was made by.",
    )


def _per_column(name: str, annotations: dict[str, Any], description: str) -> Any:
    """A type with one nullable field per column, each the result of one aggregate function."""
    namespace: dict[str, Any] = {"__annotations__": annotations}
    for column in annotations:
        namespace[column] = strawberry.field(description=f"Of {column}; null when no row in the group has one.")
    return strawberry.type(type(name, (), namespace), description=description)


def _resolve_to_one(root: Any, info: Any, **_arguments: Any) -> Any:
    return root._rel.get(info.path.key)


def _resolve_to_many(root: Any, info: Any, **_arguments: Any) -> Any:
    return root._rel.get(info.path.key) or []


def _resolve_count(root: Any, info: Any, **_arguments: Any) -> int:
    return int(root._rel.get(info.path.key) or 0)


def _resolve_attribute(root: Any, info: Any) -> Any:
    return getattr(root, info.field_name, None)
