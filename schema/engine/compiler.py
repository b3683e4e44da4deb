"""Turn one GraphQL selection over a resource into a bounded number of SQL statements.

The statements for a request depend on the shape of the query, never on the number of rows:
one for the page of nodes (to-one relations are LEFT JOINs), one per to-many relation (batched
over every parent, with a per-parent limit), one per count, and one for ``totalCount``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import FieldNode, GraphQLError
from peewee import JOIN, SQL, fn

from backend.db import db, is_postgres
from schema.engine.access import Grant, ViewerVariables, substitute
from schema.engine.cursor import CursorError
from schema.engine.declare import Batched, Column, Computed, Resource, ToMany, ToOne, camel
from schema.engine.filters import (
    MAX_WHERE_RELATIONS,
    FilterError,
    FilterTooLarge,
    check_where_size,
    compile_where,
    conjunction,
    disjunction,
    scalar_condition,
)
from schema.engine.selection import arguments, fields, response_key
from schema.error_texts import BAD_CURSOR, FILTER_PROBLEMS, PAGE_SIZE


class Node:
    """One row as the GraphQL types see it: attributes named after the GraphQL fields.

    Relations live in ``_rel`` keyed by response key, so aliases with different arguments work.
    """

    id: str

    def __init__(self) -> None:
        self._rel: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Node({self.__dict__!r})"


class UserInputError(GraphQLError):
    def __init__(self, message: str, code: str = "BAD_USER_INPUT", **extensions: Any):
        super().__init__(message, extensions={"code": code, **extensions})


#: The attribute prefix of a node's read-log marker (see ReadLog).
READ_LOG = "_read_log:"


@dataclass(frozen=True)
class ReadLog:
    """Put in a resource's ``extra["read_log"]`` to log who reads some of its rows.

    ``marker(alias)`` is SQL selected with each row: NULL for a row whose read needs no log, else a value passed
    on to ``record(actor, markers, operation)`` after the rows are read, once per request.
    """

    marker: Any
    record: Any


@dataclass
class Selection:
    """What to fetch for the nodes of one resource."""

    scalars: list[Column | Computed] = field(default_factory=list)
    to_one: list[tuple[str, ToOne, Selection]] = field(default_factory=list)
    to_many: list[tuple[str, ToMany, dict[str, Any], Selection]] = field(default_factory=list)
    counts: list[tuple[str, ToMany, dict[str, Any]]] = field(default_factory=list)
    batched: list[Batched] = field(default_factory=list)


@dataclass
class Page:
    nodes: list[Node]
    has_next: bool
    total: int | None
    cursors: list[str]


class Request:
    """Per-request state: the grants, the viewer's variables and the GraphQL document."""

    def __init__(
        self,
        engine: Any,
        grants: Mapping[str, Grant],
        viewer: ViewerVariables,
        fragments: Mapping[str, Any],
        variables: Mapping[str, Any],
        gettext: Any,
        actor: Any = None,
        operation: str = "",
    ):
        self.engine = engine
        self.actor = actor
        self.operation = operation
        # What this request already logged as read (see ReadLog), so a case read twice is logged once.
        self.logged: set[tuple[Any, Any]] = set()
        # The ``prepare`` callables of computed members that already ran for this request (see :meth:`prepare`).
        self.prepared: set[Any] = set()
        self.grants = grants
        self.viewer = viewer
        self.fragments = fragments
        self.variables = variables
        self.gettext = gettext
        self.dialect = "postgres" if is_postgres() else "sqlite"

    def resource(self, name: str) -> Resource:
        return self.engine.resources[name]

    def note_reads(self, nodes: list[Node], selection: Selection) -> None:
        """Log the reads of rows whose resource asks for it (``ReadLog``), once per request, in one statement
        per resource. Rows that need no log cost nothing: their marker column is NULL."""
        found: dict[str, set[Any]] = {}
        for node, _selection in nodes_at(nodes, selection):
            for attribute, marker in vars(node).items():
                if attribute.startswith(READ_LOG) and marker is not None:
                    found.setdefault(attribute[len(READ_LOG) :], set()).add(marker)
        # Resources that share a recorder share their markers: a case read as a complaint and as a contact is
        # one read.
        by_record: dict[Any, set[Any]] = {}
        for name, markers in found.items():
            by_record.setdefault(self.resource(name).extra["read_log"].record, set()).update(markers)
        for record, markers in by_record.items():
            fresh = {marker for marker in markers if (record, marker) not in self.logged}
            if fresh:
                self.logged |= {(record, marker) for marker in fresh}
                record(self.actor, sorted(fresh), self.operation)

    def prepare(self, member: Any) -> None:
        """Run a computed member's ``prepare`` (stored figures brought up to date, say) once per request, before
        the first statement that reads, filters or sorts on it."""
        prepare = getattr(member, "prepare", None)
        if prepare is not None and prepare not in self.prepared:
            self.prepared.add(prepare)
            prepare()

    def scope(self, resource: Resource, alias: Any = None) -> Scope:
        return Scope(self, resource, alias if alias is not None else resource.model.alias())


class Scope:
    """A resource at one table alias, with the viewer's grant on it."""

    def __init__(self, request: Request, resource: Resource, alias: Any):
        self.request = request
        self.resource = resource
        self.alias = alias
        self.grant = request.grants.get(resource.name)
        # How many relations a filter followed to get here: each one nests a subquery, with its role filter.
        self.hops = 0

    def visible(self, graphql_name: str) -> bool:
        return self.grant is not None and graphql_name in self.grant.fields

    def column(self, name: str) -> Any:
        return getattr(self.alias, name)

    @property
    def pk(self) -> Any:
        return getattr(self.alias, self.resource.id_field)

    def role_condition(self) -> Any:
        if self.grant is None:
            return SQL("1 = 0")
        if self.grant.where is None:
            return SQL("1 = 1")
        return compile_where(self, substitute(self.grant.where, self.request.viewer), "role", role=True)

    def condition(self, where: Mapping[str, Any] | None) -> Any:
        """The role filter and the viewer's ``where``, which is refused if it is too large to compile."""
        check_where_size(where)
        return self._condition(where)

    def _condition(self, where: Mapping[str, Any] | None, path: str = "where") -> Any:
        return conjunction([self.role_condition(), compile_where(self, where, path)])

    def _target(self, name: str, path: str, role: bool) -> Scope:
        target = self.request.scope(self.request.resource(name))
        if target.grant is None and not role:
            raise FilterError(path, "no_such_field")
        target.hops = self.hops + 1
        if not role and target.hops > MAX_WHERE_RELATIONS:
            raise FilterTooLarge(path, "too_many_relations", maximum=MAX_WHERE_RELATIONS)
        return target

    def _related(self, target: Scope, where: Mapping[str, Any], path: str, role: bool) -> Any:
        # A declared role filter is trusted to reach across as written; a viewer's filter only
        # matches related rows the viewer may see, so it can't be used to probe hidden ones.
        if role:
            return compile_where(target, where, path, role=True)
        return target._condition(where, path)

    def to_one_condition(self, member: ToOne, value: Mapping[str, Any], path: str, role: bool = False) -> Any:
        target = self._target(member.target, path, role)
        ids = value.get("id") if set(value) == {"id"} else None
        sees_every_row = role or (target.grant is not None and target.grant.where is None)
        if isinstance(ids, Mapping) and set(ids) <= {"eq", "in", "isNull"} and sees_every_row:
            # Only the related row's id, where no row filter applies to the related rows: the foreign key
            # holds that id (foreign keys are enforced), so compare the key itself. The planner can then
            # use the key's index; behind "IN (SELECT id ...)" SQLite chose to walk a sort index instead.
            # So ``{handler: {id: {isNull: true}}}`` finds rows with no related row at all.
            return scalar_condition(self.column(member.fk), "id", ids, f"{path}.id")
        inner = target.alias.select(target.pk).where(self._related(target, value, path, role))
        return self.column(member.fk).in_(inner)

    def to_many_condition(self, member: ToMany, value: Mapping[str, Any], path: str, role: bool = False) -> Any:
        target = self._target(member.target, path, role)
        parts = []
        for quantifier, inner_where in value.items():
            if inner_where is None:
                continue
            if quantifier not in ("some", "none"):
                raise FilterError(f"{path}.{quantifier}", "some_or_none")
            fk = getattr(target.alias, member.fk)
            inner = target.alias.select(fk).where(self._related(target, inner_where, path, role) & fk.is_null(False))
            parts.append(self.pk.in_(inner) if quantifier == "some" else self.pk.not_in(inner))
        return conjunction(parts)


def parse_selection(request: Request, resource: Resource, nodes: list[FieldNode]) -> Selection:
    """Read which fields and relations the query asks for on ``resource``'s nodes."""
    selection = Selection()
    seen: set[str] = set()
    for node in nodes:
        for child in fields(node.selection_set, request.fragments, request.variables):
            name = child.name.value
            key = response_key(child)
            member = resource.member(name)
            if name == "id" or name.startswith("__"):
                continue
            if isinstance(member, (Column, Computed)):
                if name not in seen:
                    selection.scalars.append(member)
                    seen.add(name)
            elif isinstance(member, Batched):
                if name not in seen:
                    selection.batched.append(member)
                    seen.add(name)
            elif isinstance(member, ToOne):
                target = request.resource(member.target)
                selection.to_one.append((key, member, parse_selection(request, target, [child])))
            elif isinstance(member, ToMany):
                target = request.resource(member.target)
                selection.to_many.append(
                    (key, member, arguments(child, request.variables), parse_selection(request, target, [child]))
                )
            elif member is None:
                for candidate in resource.members:
                    if isinstance(candidate, ToMany) and candidate.count_name == name:
                        selection.counts.append((key, candidate, arguments(child, request.variables)))
    return selection


class Columns:
    """The positional columns of one statement and where each value lands."""

    def __init__(self) -> None:
        self.expressions: list[Any] = []
        self.targets: list[tuple[tuple[str, ...], str]] = []
        # How to turn a raw database value into Python, for statements run outside peewee's models.
        self.converters: list[Any] = []

    def add(self, path: tuple[str, ...], attribute: str, expression: Any, converter: Any = None) -> int:
        self.expressions.append(expression.alias(f"c{len(self.expressions)}"))
        self.targets.append((path, attribute))
        self.converters.append(converter)
        return len(self.expressions) - 1


def add_node_columns(
    scope: Scope, selection: Selection, columns: Columns, joins: list[Any], path: tuple[str, ...] = ()
) -> None:
    """Select the node's id and scalars, and LEFT JOIN each to-one relation (role filter in the ON)."""
    columns.add(path, "id", scope.pk)
    read_log = scope.resource.extra.get("read_log")
    if read_log is not None:
        columns.add(path, READ_LOG + scope.resource.name, read_log.marker(scope.alias))
    for scalar in selection.scalars:
        if isinstance(scalar, Column):
            column = scope.column(scalar.name)
            columns.add(path, scalar.graphql_name, column, column.python_value)
        else:
            scope.request.prepare(scalar)
            columns.add(path, scalar.graphql_name, scalar.expression(scope.alias, scope.request.viewer))
    for key, relation, child in selection.to_one:
        target = scope.request.scope(scope.request.resource(relation.target))
        on = (scope.column(relation.fk) == target.pk) & target.role_condition()
        joins.append((target.alias, on))
        add_node_columns(target, child, columns, joins, (*path, key))


def materialise(row: tuple[Any, ...], columns: Columns, offset: int = 0, convert: bool = False) -> Node:
    """Build the node (and its joined to-one nodes) from one row. ``convert`` for raw statements."""
    root = Node()
    objects: dict[tuple[str, ...], Node | None] = {(): root}
    for index, (path, attribute) in enumerate(columns.targets):
        value = row[index + offset]
        converter = columns.converters[index]
        if convert and converter is not None and value is not None:
            value = converter(value)
        target = objects.get(path, root)
        if path not in objects:
            parent = objects[path[:-1]]
            if parent is None:
                objects[path] = None
                continue
            if attribute == "id" and value is None:
                objects[path] = None
                parent._rel[path[-1]] = None
                continue
            target = Node()
            objects[path] = target
            parent._rel[path[-1]] = target
        if target is None:
            continue
        setattr(target, attribute, str(value) if attribute == "id" and value is not None else value)
    return root


def nodes_at(nodes: list[Node], selection: Selection) -> list[tuple[Node, Selection]]:
    """Every node in the tree (roots and joined to-one nodes) paired with its selection."""
    found: list[tuple[Node, Selection]] = [(n, selection) for n in nodes]
    for key, _member, child in selection.to_one:
        joined = [n._rel.get(key) for n in nodes]
        found.extend(nodes_at([n for n in joined if n is not None], child))
    return found


def order_terms(scope: Scope, order_by: list[Mapping[str, Any]] | None) -> list[tuple[Any, bool, str]]:
    """(expression, descending, name) for each sort key, ending with the id as a tie-break."""
    terms: list[tuple[Any, bool, str]] = []
    specs = order_by or [
        {"field": name.lstrip("-"), "direction": "DESC" if name.startswith("-") else "ASC"}
        for name in scope.resource.default_order
    ]
    for spec in specs:
        name = spec.get("field")
        descending = str(spec.get("direction", "ASC")).upper() == "DESC"
        if name in ("id", scope.resource.id_field):
            terms.append((scope.pk, descending, "id"))
            continue
        member = scope.resource.member(str(name)) or scope.resource.member(_camel_of(str(name)))
        if member is None or not isinstance(member, (Column, Computed)) or not member.sortable:
            raise FilterError(f"orderBy.{name}", "not_sortable")
        if isinstance(member, Computed):
            scope.request.prepare(member)
        expression = (
            scope.column(member.name)
            if isinstance(member, Column)
            else member.expression(scope.alias, scope.request.viewer)
        )
        terms.append((expression, descending, member.graphql_name))
    if not any(name == "id" for _e, _d, name in terms):
        terms.append((scope.pk, False, "id"))
    return terms


def _camel_of(name: str) -> str:
    return camel(name.lower())


def sql_order(terms: list[tuple[Any, bool, str]]) -> list[Any]:
    return [(e.desc(nulls="LAST") if d else e.asc(nulls="LAST")) for e, d, _n in terms]


def keyset_after(terms: list[tuple[Any, bool, str]], values: list[Any]) -> Any:
    """Rows strictly after ``values`` in the order, with NULLs last in both directions."""
    alternatives = []
    for index, (expression, descending, _name) in enumerate(terms):
        equal_before = [
            (terms[i][0].is_null() if values[i] is None else terms[i][0] == values[i]) for i in range(index)
        ]
        value = values[index]
        if value is None:
            continue  # nothing sorts after NULL on this key
        beyond = (expression < value) if descending else (expression > value)
        alternatives.append(conjunction([*equal_before, beyond | expression.is_null()]))
    return disjunction(alternatives)


def ordering_signature(terms: list[tuple[Any, bool, str]]) -> str:
    return ",".join(("-" if d else "") + n for _e, d, n in terms)


def filter_error(request: Request, error: FilterError) -> UserInputError:
    """The error a viewer sees for a bad filter, sort or grouping: where it is and what is wrong."""
    template = request.gettext(FILTER_PROBLEMS.get(error.code, FILTER_PROBLEMS["bad_value"]))
    try:
        problem = template % {"path": error.path, **error.params}
    except (KeyError, TypeError, ValueError):
        problem = template
    if isinstance(error, FilterTooLarge):
        return UserInputError(problem, code="INPUT_TOO_LARGE", path=error.path, **error.params)
    return UserInputError(problem, code="BAD_FILTER", path=error.path)


def check_page_size(resource: Resource, first: Any, request: Request) -> int:
    if first is None:
        return resource.default_page_size
    if not isinstance(first, int) or first < 0 or first > resource.max_page_size:
        message = request.gettext(PAGE_SIZE) % {"maximum": resource.max_page_size}
        raise UserInputError(message, code="PAGE_SIZE", maximum=resource.max_page_size)
    return first


def list_arguments(request: Request, scope: Scope, args: Mapping[str, Any]) -> tuple[int, Any, list[Any]]:
    """Page size, SQL condition (role filter included) and sort terms for a list's arguments."""
    first = check_page_size(scope.resource, args.get("first"), request)
    try:
        return first, scope.condition(args.get("where")), order_terms(scope, args.get("orderBy"))
    except FilterError as error:
        raise filter_error(request, error) from None


def fetch_page(
    request: Request,
    resource: Resource,
    node: FieldNode,
    args: Mapping[str, Any],
    selection: Selection,
    want_total: bool,
    search: Any = None,
) -> Page:
    """Run the page query (and the count, if asked) for a top-level connection."""
    scope = request.scope(resource)
    first, condition, terms = list_arguments(request, scope, args)
    ranked = search.ranked() if search is not None else None
    if ranked is not None:
        # Best matches first; the score is part of the cursor so pages stay in rank order.
        terms = [(ranked.c.score, search.descending, "rank"), *terms]
    signature = ordering_signature(terms) + (f"?{search.signature}" if search is not None else "")
    page_condition = condition
    if args.get("after"):
        try:
            values = request.engine.cursors.decode(str(args["after"]), resource.name, signature, len(terms))
        except CursorError:
            raise UserInputError(request.gettext(BAD_CURSOR), code="BAD_CURSOR") from None
        page_condition = page_condition & keyset_after(terms, values)
    columns = Columns()
    joins: list[Any] = []
    add_node_columns(scope, selection, columns, joins)
    sort_start = len(columns.expressions)
    for index, (expression, _d, _n) in enumerate(terms):
        columns.expressions.append(expression.alias(f"s{index}"))
    query = scope.alias.select(*columns.expressions)
    if ranked is not None:
        query = query.join_from(scope.alias, ranked, JOIN.INNER, on=(ranked.c.id == scope.pk))
    for alias, on in joins:
        query = query.join_from(scope.alias, alias, JOIN.LEFT_OUTER, on=on)
    query = query.where(page_condition).order_by(*sql_order(terms)).limit(first + 1)
    rows = list(query.tuples()) if first > 0 else []
    has_next = len(rows) > first
    rows = rows[:first]
    nodes = [materialise(row, columns) for row in rows]
    request.note_reads(nodes, selection)
    codec = request.engine.cursors
    page_cursors = [codec.encode(resource.name, signature, list(row[sort_start:])) for row in rows]
    attach_relations(request, resource, nodes, selection)
    total = None
    if want_total:
        counting = scope.alias.select(fn.COUNT(SQL("*")))
        if ranked is not None:
            counting = counting.join_from(scope.alias, ranked, JOIN.INNER, on=(ranked.c.id == scope.pk))
        total = counting.where(condition).scalar()
    return Page(nodes, has_next, total, page_cursors)


def fetch_one(request: Request, resource: Resource, key: Any, selection: Selection) -> Node | None:
    scope = request.scope(resource)
    try:
        ident = int(key)
    except (TypeError, ValueError):
        return None
    if not -(2**63) <= ident < 2**63:
        return None  # beyond what the databases hold: nothing has that id
    columns = Columns()
    joins: list[Any] = []
    add_node_columns(scope, selection, columns, joins)
    query = scope.alias.select(*columns.expressions)
    for alias, on in joins:
        query = query.join_from(scope.alias, alias, JOIN.LEFT_OUTER, on=on)
    rows = list(query.where((scope.pk == ident) & scope.role_condition()).limit(1).tuples())
    if not rows:
        return None
    nodes = [materialise(rows[0], columns)]
    request.note_reads(nodes, selection)
    attach_relations(request, resource, nodes, selection)
    return nodes[0]


def attach_relations(request: Request, resource: Resource, nodes: list[Node], selection: Selection) -> None:
    """Fetch every to-many relation, count and batched value under these nodes, one statement each."""
    for node, sub in _group(nodes_at(nodes, selection)):
        _attach(request, node, sub)


def _group(pairs: list[tuple[Node, Selection]]) -> list[tuple[list[Node], Selection]]:
    grouped: dict[int, tuple[list[Node], Selection]] = {}
    for node, sub in pairs:
        grouped.setdefault(id(sub), ([], sub))[0].append(node)
    return list(grouped.values())


def _attach(request: Request, parents: list[Node], selection: Selection) -> None:
    if not parents or not (selection.to_many or selection.counts or selection.batched):
        return
    parent_ids = sorted({int(p.id) for p in parents})
    for key, member, args, child_selection in selection.to_many:
        target = request.resource(member.target)
        children = fetch_children(request, target, member, parent_ids, args, child_selection)
        for parent in parents:
            parent._rel[key] = children.get(int(parent.id), [])
    for key, member, args in selection.counts:
        target = request.resource(member.target)
        counts = count_children(request, target, member, parent_ids, args)
        for parent in parents:
            parent._rel[key] = counts.get(int(parent.id), 0)
    for batched in selection.batched:
        values = batched.load(request, parent_ids)
        for parent in parents:
            # An attribute named after the field, as a scalar's: it takes no arguments, so aliases share it.
            value = values.get(int(parent.id))
            setattr(parent, batched.graphql_name, batched.default() if value is None else value)


def fetch_children(
    request: Request,
    resource: Resource,
    member: ToMany,
    parent_ids: list[int],
    args: Mapping[str, Any],
    selection: Selection,
) -> dict[int, list[Node]]:
    """One statement: each parent's first N children, numbered per parent with ROW_NUMBER()."""
    scope = request.scope(resource)
    limit, condition, terms = list_arguments(request, scope, args)
    fk = getattr(scope.alias, member.fk)
    columns = Columns()
    joins: list[Any] = []
    columns.expressions.append(fk.alias("parent"))
    add_node_columns(scope, selection, columns, joins)
    row_number = fn.ROW_NUMBER().over(partition_by=[fk], order_by=sql_order(terms))
    inner = scope.alias.select(*columns.expressions, row_number.alias("rn"))
    for alias, on in joins:
        inner = inner.join_from(scope.alias, alias, JOIN.LEFT_OUTER, on=on)
    inner = inner.where(fk.in_(parent_ids) & condition)
    sql, params = inner.sql()
    width = len(columns.expressions)
    # Table and column names here are our own aliases; every value is a bound parameter.
    statement = (
        f'SELECT * FROM ({sql}) AS "numbered" WHERE "numbered"."rn" <= {int(limit)} '  # noqa: S608
        'ORDER BY "numbered"."parent", "numbered"."rn"'
    )
    children: dict[int, list[Node]] = {}
    if limit == 0 or not parent_ids:
        return children
    nodes: list[Node] = []
    for row in db.execute_sql(statement, params).fetchall():
        node = materialise(row[:width], columns, offset=1, convert=True)
        children.setdefault(int(row[0]), []).append(node)
        nodes.append(node)
    request.note_reads(nodes, selection)
    attach_relations(request, resource, nodes, selection)
    return children


def count_children(
    request: Request, resource: Resource, member: ToMany, parent_ids: list[int], args: Mapping[str, Any]
) -> dict[int, int]:
    scope = request.scope(resource)
    try:
        condition = scope.condition(args.get("where"))
    except FilterError as error:
        raise filter_error(request, error) from None
    fk = getattr(scope.alias, member.fk)
    query = scope.alias.select(fk, fn.COUNT(SQL("*"))).where(fk.in_(parent_ids) & condition).group_by(fk)
    return {int(parent): count for parent, count in query.tuples()}
