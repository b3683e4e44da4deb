"""Merge per-role access for a person who holds several roles, and fill in viewer variables."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from backend.accounts.models import User
from backend.context import ROLES
from schema.engine.declare import Resource

ANONYMOUS_ROLE = "anonymous"
#: Every role a declaration may name: those a person can hold, and visitors who are not signed in.
KNOWN_ROLES = (*ROLES, ANONYMOUS_ROLE)
#: What ``"$viewer.<name>"`` may stand for in a row filter: these, and those a domain adds to DERIVED_VARIABLES.
VIEWER_VARIABLES = ("id", "homeId")
#: Viewer variables a domain works out from the viewer's id, once per request: name -> how.
DERIVED_VARIABLES: dict[str, Callable[[int | None], Any]] = {}


QueryType = TypeVar("QueryType", bound=type)
#: Where :func:`only_for` keeps the roles a root query type is served to.
_QUERY_ROLES = "__learnloop_roles__"


def only_for(roles: Iterable[str]) -> Callable[[QueryType], QueryType]:
    """Serve the decorated root query type (one of a module's ``QUERIES``) only to role sets holding one of ``roles``.

    Its fields are then in those schemas and absent from every other one, as a mutation declared with ``roles=``
    is; a type without it is served to everyone. Put it above ``@strawberry.type``.
    """
    allowed = frozenset(roles)

    def mark(query_type: QueryType) -> QueryType:
        setattr(query_type, _QUERY_ROLES, allowed)
        return query_type

    return mark


def query_roles(query_type: type) -> frozenset[str] | None:
    """The roles a root query type is served to (:func:`only_for`), or None when it is served to everyone."""
    return vars(query_type).get(_QUERY_ROLES)


def serves(query_type: type, roles: Collection[str]) -> bool:
    """Whether a schema for ``roles`` holds the fields of the root query type ``query_type``."""
    allowed = query_roles(query_type)
    return allowed is None or bool(allowed & set(roles))


def viewer_variables() -> tuple[str, ...]:
    """Every name ``"$viewer.<name>"`` may use."""
    return (*VIEWER_VARIABLES, *DERIVED_VARIABLES)


@dataclass(frozen=True)
class Grant:
    """What a set of roles may see of one resource. ``where`` None means every row."""

    fields: frozenset[str]
    where: Mapping[str, Any] | None
    aggregate: bool


def grant_for(resource: Resource, roles: Iterable[str]) -> Grant | None:
    """Union of the roles' grants: fields add up, row filters combine with OR. None when no role has access."""
    granted = [(role, resource.access[role]) for role in sorted(roles) if role in resource.access]
    if not granted:
        return None
    fields: set[str] = {"id"}
    filters: list[Mapping[str, Any]] = []
    unrestricted = False
    for role, access in granted:
        fields |= resource.shown(role, access)
        if access.where is None:
            unrestricted = True
        else:
            filters.append(access.where)
    where: Mapping[str, Any] | None = None
    if not unrestricted:
        where = filters[0] if len(filters) == 1 else {"or": filters}
    return Grant(frozenset(fields), where, any(access.aggregate for _role, access in granted))


class ViewerVariables:
    """Values for ``$viewer.*`` in row filters, loaded lazily once per request."""

    def __init__(self, user_id: int | None):
        self.user_id = user_id
        self._home_id: int | None | bool = False
        self._derived: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name == "id":
            return self.user_id
        if name == "homeId":
            if self._home_id is False:
                row = User.select(User.home).where(User.id == self.user_id).tuples().first() if self.user_id else None
                self._home_id = row[0] if row else None
            return self._home_id
        if name in DERIVED_VARIABLES:
            if name not in self._derived:
                self._derived[name] = DERIVED_VARIABLES[name](self.user_id)
            return self._derived[name]
        raise KeyError(f"unknown viewer variable {name!r}")


def substitute(where: Any, viewer: ViewerVariables) -> Any:
    """Replace ``"$viewer.x"`` strings in a filter with the viewer's values."""
    if isinstance(where, Mapping):
        return {key: substitute(value, viewer) for key, value in where.items()}
    if isinstance(where, list):
        return [substitute(value, viewer) for value in where]
    if isinstance(where, str) and where.startswith("$viewer."):
        return viewer.get(where[len("$viewer.") :])
    return where
