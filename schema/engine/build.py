"""Generate the GraphQL types and root fields for one set of roles from the resource declarations."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping
from typing import Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from schema.engine.access import Grant
from schema.engine.aggregate import NUMERIC, ORDERED, aggregate_columns, run_aggregate
from schema.engine.compiler import fetch_one, fetch_page, parse_selection
from schema.engine.declare import PYTHON_FOR_KIND, Column, Computed, Resolved, Resource, ScalarKind, ToMany, ToOne
from schema.engine.filters import OPERATORS
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


@strawberry.enum(description="Sort direction. NULL values always come last.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def python_type(kind: ScalarKind) -> Any:
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


def scalar_filters() -> dict[ScalarKind, Any]:
    """One filter input per scalar kind, with exactly the operators that kind allows."""
    made: dict[ScalarKind, Any] = {}
    for kind, operators in OPERATORS.items():
        base = python_type(kind)
        specs = []
        for op in operators:
            annotation = (
                Optional[bool] if op == "isNull" else Optional[list[base]] if op in ("in", "nin") else Optional[base]
            )  # noqa: UP045
            python_name = op + "_" if op in KEYWORDS else op
            specs.append(_input_field(python_name, annotation, op))
        made[kind] = make_input(
            FILTER_NAMES[kind], specs, f"Conditions on a {kind} field. All given conditions must hold."
        )
    return made


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
                    "__annotations__": {"some": Optional[where], "none": Optional[where]},  # noqa: UP045
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

    def _fill_where(self, resource: Resource) -> None:
        cls = self.wheres[resource.name]
        annotations = cls.__annotations__
        spec = [_input_field("id", Optional[self.filters["id"]], "id")]  # noqa: UP045
        for member in self.visible(resource):
            if isinstance(member, Column) and member.filterable:
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.filters[resource.column_kind(member)]],  # noqa: UP045
                        member.graphql_name,
                        member.description,
                    )
                )
            elif isinstance(member, Computed) and member.filterable and member.kind in self.filters:
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.filters[member.kind]],  # noqa: UP045
                        member.graphql_name,
                        member.description,
                    )
                )
            elif isinstance(member, ToOne):
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.wheres[member.target]],  # noqa: UP045
                        member.graphql_name,
                        member.description,
                    )
                )
            elif isinstance(member, ToMany):
                spec.append(
                    _input_field(
                        member.graphql_name,
                        Optional[self.list_filters[member.target]],  # noqa: UP045
                        member.graphql_name,
                        member.description,
                    )
                )
        spec.append(_input_field("and_", Optional[list[cls]], "and", "Every one of these holds."))  # noqa: UP045
        spec.append(_input_field("or_", Optional[list[cls]], "or", "At least one of these holds."))  # noqa: UP045
        spec.append(_input_field("not_", Optional[cls], "not", "This does not hold."))  # noqa: UP045
        for python_name, annotation, default in spec:
            annotations[python_name] = annotation
            setattr(cls, python_name, default)

    def _order_input(self, resource: Resource) -> Any:
        sortable = ["id"] + [
            m.graphql_name for m in self.visible(resource) if isinstance(m, (Column, Computed)) and m.sortable
        ]
        field_enum = strawberry.enum(
            enum.Enum(f"{resource.name}SortField", {n: n for n in sortable}),
            description=f"Fields {resource.plural} can be sorted by.",
        )
        return make_input(
            f"{resource.name}OrderBy",
            [
                ("field", field_enum, strawberry.field(name="field")),
                ("direction", SortDirection, strawberry.field(default=SortDirection.ASC, name="direction")),
            ],
            f"One sort key for {resource.plural}.",
        )

    def _fill_object(self, resource: Resource) -> None:
        cls = self.objects[resource.name]
        cls.__annotations__["id"] = strawberry.ID
        for member in self.visible(resource):
            name = member.graphql_name
            if isinstance(member, Column):
                model_field = getattr(resource.model, member.name)
                base = python_type(resource.column_kind(member))
                if resource.column_kind(member) == "id":
                    base = strawberry.ID
                cls.__annotations__[name] = base if not model_field.null else Optional[base]  # noqa: UP045
                setattr(cls, name, strawberry.field(name=name, description=member.description or None))
            elif isinstance(member, Computed):
                cls.__annotations__[name] = Optional[python_type(member.kind)]  # noqa: UP045
                setattr(cls, name, strawberry.field(name=name, description=member.description or None))
            elif isinstance(member, Resolved):
                setattr(cls, name, self._resolved_field(member))
            elif isinstance(member, ToOne):
                setattr(cls, name, self._to_one_field(member))
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

    def _to_one_field(self, member: ToOne) -> Any:
        target = self.objects[member.target]

        def resolve(root: Any, info: Info) -> Any:
            return root._rel.get(info.path.key)

        fn = signature(resolve, [], Optional[target])  # noqa: UP045
        return strawberry.field(resolver=fn, name=member.graphql_name, description=member.description or None)

    def _to_many_field(self, member: ToMany) -> Any:
        target = self.engine.resources[member.target]

        def resolve(root: Any, info: Info, **_kwargs: Any) -> Any:
            return root._rel.get(info.path.key, [])

        fn = signature(
            resolve,
            [
                ("where", Optional[self.wheres[member.target]], None),  # noqa: UP045
                ("orderBy", Optional[list[self.order_inputs[member.target]]], None),  # noqa: UP045
                ("first", Optional[int], None),  # noqa: UP045
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

        fn = signature(resolve, [("where", Optional[self.wheres[member.target]], None)], int)  # noqa: UP045
        return strawberry.field(
            resolver=fn,
            name=member.count_name,
            description=f"How many {self.engine.resources[member.target].plural} match, counted in SQL.",
        )

    def _connection(self, resource: Resource) -> Any:
        node = self.objects[resource.name]
        edge = strawberry.type(type(f"{resource.name}Edge", (), {"__annotations__": {"cursor": str, "node": node}}))
        namespace = {
            "__annotations__": {"edges": list[edge], "nodes": list[node], "page_info": PageInfo, "total_count": int}
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
            ("where", Optional[where_type], None),  # noqa: UP045
            ("orderBy", Optional[list[order_type]], None),  # noqa: UP045
            ("first", Optional[int], None),  # noqa: UP045
            ("after", Optional[str], None),  # noqa: UP045
        ]
        if resource.search:
            params.append(("search", Optional[str], None))  # noqa: UP045
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
                    resolve_one, [("id", strawberry.ID, inspect.Parameter.empty)], Optional[self.objects[resource.name]]
                ),  # noqa: UP045
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
        ordered = aggregate_columns(resource, grant.fields, ORDERED)
        numeric = aggregate_columns(resource, grant.fields, NUMERIC)
        key_ns: dict[str, Any] = {"__annotations__": {}}
        for dimension in resource.dimensions:
            key_ns["__annotations__"][dimension.name] = Optional[str]  # noqa: UP045
        if not resource.dimensions:
            key_ns["__annotations__"]["all"] = Optional[str]  # noqa: UP045
        key_type = strawberry.type(
            type(f"{resource.name}AggregateKey", (), key_ns),
            description="The values of the dimensions this group was made by.",
        )
        group_ns: dict[str, Any] = {"__annotations__": {"key": key_type, "count": int}}
        if ordered:
            values_type = strawberry.type(
                type(
                    f"{resource.name}AggregateValues",
                    (),
                    {
                        "__annotations__": {
                            m.graphql_name: Optional[python_type(resource.column_kind(m))] for m in ordered
                        }
                    },
                )
            )  # noqa: UP045
            group_ns["__annotations__"]["min"] = values_type
            group_ns["__annotations__"]["max"] = values_type
        if numeric:
            numbers_type = strawberry.type(
                type(
                    f"{resource.name}AggregateNumbers",
                    (),
                    {"__annotations__": {m.graphql_name: Optional[float] for m in numeric}},
                )
            )  # noqa: UP045
            group_ns["__annotations__"]["avg"] = numbers_type
            group_ns["__annotations__"]["sum"] = numbers_type
        group_type = strawberry.type(
            type(f"{resource.name}AggregateGroup", (), group_ns), description=f"One group of {resource.plural}."
        )
        params: list[tuple[str, Any, Any]] = [("where", Optional[self.wheres[resource.name]], None)]  # noqa: UP045
        if resource.dimensions:
            dimension_enum = strawberry.enum(
                enum.Enum(f"{resource.name}Dimension", {d.name: d.name for d in resource.dimensions}),
                description=f"What {resource.plural} can be grouped by.",
            )
            params.append(("groupBy", Optional[list[dimension_enum]], None))  # noqa: UP045

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


def _resolve_to_one(root: Any, info: Any, **_arguments: Any) -> Any:
    return root._rel.get(info.path.key)


def _resolve_to_many(root: Any, info: Any, **_arguments: Any) -> Any:
    return root._rel.get(info.path.key) or []


def _resolve_count(root: Any, info: Any, **_arguments: Any) -> int:
    return int(root._rel.get(info.path.key) or 0)


def _resolve_attribute(root: Any, info: Any) -> Any:
    return getattr(root, info.field_name, None)
