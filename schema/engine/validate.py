"""Refuse declarations that would start but quietly serve less than they say.

A misspelt target, a foreign key that points elsewhere, a typo in an Access or in a row filter, or an
unknown role would otherwise start fine, and a field would just be missing from the schema. The engine
runs these checks when it is made and lists every mistake at once, each naming its resource and member.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from peewee import Field, ForeignKeyField

from schema.engine.access import query_roles, viewer_variables
from schema.engine.declare import ALL, RESIDENTS, Access, Column, Computed, Resource, ScalarKind, ToMany, ToOne, camel
from schema.engine.filters import OPERATORS
from schema.engine.relations import Relations

if TYPE_CHECKING:
    from schema.engine.mutations import MutationSpec

VIEWER = "$viewer."


class DeclarationError(ValueError):
    """Resource or mutation declarations name something that does not exist. ``mistakes`` lists each one."""

    def __init__(self, mistakes: list[str]):
        super().__init__("Mistakes in the resource declarations:\n" + "\n".join(f"- {m}" for m in mistakes))
        self.mistakes = mistakes


def declared(
    resources: Iterable[Resource],
    mutations: Iterable[MutationSpec],
    roles: Collection[str],
    queries: Iterable[type] = (),
) -> dict[str, Resource]:
    """The resources by name, each relation with its foreign key and target filled in.

    Raises :class:`DeclarationError` listing every mistake in the resources, the mutations and the roles the
    root query types are served to.
    """
    given = list(resources)
    twice = [name for name, count in Counter(r.name for r in given).items() if count > 1]
    mistakes = [f"{name}: declared more than once" for name in twice]
    relations = Relations(given)
    completed = {resource.name: relations.complete(resource) for resource in given}
    mistakes += relations.mistakes
    checks = Checks(completed, roles)
    for resource in completed.values():
        mistakes += checks.resource(resource)
    specs = list(mutations)
    mistakes += [
        f"mutation {name}: declared more than once" for name, n in Counter(s.name for s in specs).items() if n > 1
    ]
    for spec in specs:
        mistakes += checks.mutation(spec)
    for query in queries:
        mistakes += checks.query(query)
    if mistakes:
        raise DeclarationError(mistakes)
    return completed


class Checks:
    """The checks on each declaration, against the others and the known roles."""

    def __init__(self, resources: Mapping[str, Resource], roles: Collection[str]):
        self.resources = resources
        self.roles = roles

    def resource(self, resource: Resource) -> list[str]:
        return [
            *self._members(resource),
            *self._access(resource),
            *self._order_and_search(resource),
            *self._roles(f"{resource.name} editable", resource.editable.roles if resource.editable else ()),
        ]

    def mutation(self, spec: MutationSpec) -> list[str]:
        mistakes = list(self._roles(f"mutation {spec.name}", spec.roles))
        if spec.returns_node and spec.resource is None:
            mistakes.append(f"mutation {spec.name}: no resource's name begins {spec.payload!r}; name it with resource=")
        elif spec.returns_node and spec.resource not in self.resources:
            mistakes.append(f"mutation {spec.name}: its resource {spec.resource!r} is not declared")
        return mistakes

    def query(self, query_type: type) -> list[str]:
        return list(self._roles(f"query type {query_type.__name__}", query_roles(query_type) or ()))

    def _roles(self, where: str, roles: Iterable[str]) -> Iterator[str]:
        for role in roles:
            if role not in self.roles:
                yield f"{where}: unknown role {role!r} (known: {', '.join(self.roles)})"

    def _members(self, resource: Resource) -> Iterator[str]:
        names = [m.graphql_name for m in resource.members]
        names += [m.count_name for m in resource.members if isinstance(m, ToMany) and m.count]
        for name, count in Counter(names).items():
            if count > 1:
                yield f"{resource.name}.{name}: declared more than once"
        for member in resource.members:
            here = f"{resource.name}.{member.name}"
            yield from self._roles(here, member.only_for or ())
            if isinstance(member, Column) and not isinstance(getattr(resource.model, member.name, None), Field):
                yield f"{here}: {resource.model.__name__} has no field {member.name!r}"
            elif isinstance(member, ToOne):
                yield from self._to_one(resource, member, here)
            elif isinstance(member, ToMany):
                yield from self._to_many(resource, member, here)
        marked = [m.name for m in resource.members if m.residents]
        if marked and not any(RESIDENTS in access.names for access in resource.access.values()):
            yield f"{resource.name}.{marked[0]}: marked residents=True, but no access shows RESIDENTS"

    def _to_one(self, resource: Resource, member: ToOne, here: str) -> Iterator[str]:
        model_field = getattr(resource.model, member.fk, None) if member.fk else None
        if not member.target or not isinstance(model_field, ForeignKeyField):
            return  # already refused when its key and target were filled in
        target = self.resources.get(member.target)
        if target is None:
            yield f"{here}: its target {member.target!r} is not a declared resource"
        elif target.model is not model_field.rel_model:
            yield (
                f"{here}: its target {target.name} serves {target.model.__name__}, but {member.fk} points at "
                f"{model_field.rel_model.__name__}"
            )

    def _to_many(self, resource: Resource, member: ToMany, here: str) -> Iterator[str]:
        target = self.resources.get(member.target)
        if target is None:
            yield f"{here}: its target {member.target!r} is not a declared resource"
            return
        if not member.fk:
            return  # already refused when its key was filled in
        model_field = getattr(target.model, member.fk, None)
        if not isinstance(model_field, ForeignKeyField) or model_field.rel_model is not resource.model:
            yield f"{here}: fk {member.fk!r} must be {target.name}'s foreign key to {resource.model.__name__}"

    def _access(self, resource: Resource) -> Iterator[str]:
        members = {m.graphql_name: m for m in resource.members}
        for role, access in resource.access.items():
            here = f"{resource.name} access for {role!r}"
            yield from self._roles(here, [role])
            yield from self._fields(resource, access, here, members)
            if access.where is not None:
                yield from self._filter(resource, access.where, f"{here}: where")

    @staticmethod
    def _fields(resource: Resource, access: Access, here: str, members: Mapping[str, Any]) -> Iterator[str]:
        for name in access.names:
            if name == RESIDENTS and not any(m.residents for m in resource.members):
                yield f"{here}: RESIDENTS, but no member of {resource.name} is marked residents=True"
            elif name not in (ALL, RESIDENTS, "id") and name not in members:
                lists = [m.graphql_name for m in members.values() if isinstance(m, ToMany) and m.count_name == name]
                hint = f" (a count comes with its list: name {lists[0]!r})" if lists else ""
                yield f"{here}: {name!r} is not a member of {resource.name}{hint}"

    def _filter(self, resource: Resource, where: Any, path: str) -> Iterator[str]:
        """Every name in a row filter, followed through relations into the resources they lead to."""
        if not isinstance(where, Mapping):
            yield f"{path}: expected conditions, found {where!r}"
            return
        for key, value in where.items():
            here = f"{path}.{key}"
            if key in ("and", "or"):
                for index, item in enumerate(value):
                    yield from self._filter(resource, item, f"{here}[{index}]")
            elif key == "not":
                yield from self._filter(resource, value, here)
            elif key == "id":
                yield from self._operators(value, "id", here)
            else:
                yield from self._member_filter(resource, key, value, here)

    def _member_filter(self, resource: Resource, key: str, value: Any, here: str) -> Iterator[str]:
        member = resource.member(key)
        if member is None:
            yield f"{here}: {resource.name} has no member {key!r}"
        elif isinstance(member, (Column, Computed)):
            if not member.filterable:
                yield f"{here}: {resource.name}.{member.name} is declared filterable=False"
            kind = resource.column_kind(member) if isinstance(member, Column) else member.kind
            yield from self._operators(value, kind, here)
        elif isinstance(member, (ToOne, ToMany)) and member.target not in self.resources:
            return  # the relation itself is refused
        elif isinstance(member, ToOne):
            yield from self._filter(self.resources[member.target], value, here)
        elif isinstance(member, ToMany):
            for quantifier, inner in (value or {}).items():
                if quantifier in ("some", "none"):
                    yield from self._filter(self.resources[member.target], inner, f"{here}.{quantifier}")
                else:
                    yield f"{here}.{quantifier}: a list is filtered with some or none"
        else:
            yield f"{here}: {resource.name}.{member.name} is worked out in Python and can't be filtered on"

    @staticmethod
    def _operators(ops: Any, kind: ScalarKind, path: str) -> Iterator[str]:
        allowed = OPERATORS.get(kind, ())
        if not isinstance(ops, Mapping):
            yield f"{path}: expected operators ({', '.join(allowed)}), found {ops!r}"
            return
        for op, value in ops.items():
            if op not in allowed:
                yield f"{path}.{op}: not an operator for a {kind} field ({', '.join(allowed) or 'none'})"
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith(VIEWER) and item[len(VIEWER) :] not in viewer_variables():
                    yield f"{path}.{op}: unknown {item!r} (known: {', '.join(VIEWER + v for v in viewer_variables())})"

    @staticmethod
    def _order_and_search(resource: Resource) -> Iterator[str]:
        for name in resource.default_order:
            bare = name.lstrip("-")
            member = resource.member(bare) or resource.member(camel(bare))
            sortable = isinstance(member, (Column, Computed)) and member.sortable
            if bare not in ("id", resource.id_field) and not sortable:
                yield f"{resource.name} default_order: {bare!r} is not a sortable member"
        for name in resource.search:
            if not isinstance(getattr(resource.model, name, None), Field):
                yield f"{resource.name} search: {resource.model.__name__} has no field {name!r}"
