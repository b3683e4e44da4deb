"""The engine: per-role schemas built from resource declarations, cached by role set."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from backend.config import Settings
from backend.context import Actor
from schema.engine.access import ANONYMOUS_ROLE, KNOWN_ROLES, Grant, ViewerVariables, grant_for, serves
from schema.engine.build import TypeBuilder
from schema.engine.compiler import Request
from schema.engine.cursor import CursorCodec
from schema.engine.declare import Resource
from schema.engine.mutations import MutationSpec, build_mutation, with_records
from schema.engine.scalars import SCALAR_MAP
from schema.engine.validate import declared
from schema.errors import RequestErrorCodes, coded_rules

QUERY_TEXT = "The entry point for reading. Every list, record and count holds only what you may see."
MUTATION_TEXT = "The entry point for changes. Each returns its result, or a typed error saying what stopped it."


class Engine:
    """Holds the declarations and hands out the schema for a viewer's roles."""

    def __init__(
        self,
        settings: Settings,
        resources: Iterable[Resource],
        query_bases: Sequence[type] = (),
        mutations: Iterable[MutationSpec] = (),
        search: Any = None,
        schema_class: type[strawberry.Schema] = strawberry.Schema,
        extensions: Sequence[Any] = (),
        roles: Collection[str] = KNOWN_ROLES,
    ):
        """Raises :class:`DeclarationError` listing every mistake in ``resources`` and ``mutations``."""
        self.settings = settings
        given = list(resources)
        self.mutations = with_records(given, mutations)
        self.query_bases = tuple(query_bases)
        self.resources = declared(given, self.mutations, roles, self.query_bases)
        self.search = search
        self.schema_class = schema_class
        self.extensions = list(extensions)
        self.cursors = CursorCodec(settings.secret_key)
        self._schemas: dict[tuple[Any, ...], strawberry.Schema] = {}
        self._grants: dict[frozenset[str], dict[str, Grant]] = {}
        self._lock = threading.Lock()
        # Built once, so every request brings the same rule classes and the validation cache can hit.
        self._rules = [
            *coded_rules(
                QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
                "DEPTH_LIMIT_EXCEEDED",
                limit=settings.graphql_max_depth,
            ),
            *coded_rules(
                MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
                "ALIAS_LIMIT_EXCEEDED",
                limit=settings.graphql_max_aliases,
            ),
        ]

    @staticmethod
    def roles_of(actor: Actor) -> frozenset[str]:
        return frozenset(actor.roles) if actor.user_id is not None else frozenset({ANONYMOUS_ROLE})

    def grants(self, roles: Iterable[str]) -> dict[str, Grant]:
        """What each resource shows this role set; worked out once per role set, then reused."""
        key = frozenset(roles)
        found = self._grants.get(key)
        if found is None:
            found = {}
            for name, resource in self.resources.items():
                grant = grant_for(resource, key)
                if grant is not None:
                    found[name] = grant
            self._grants[key] = found
        return found

    def schema_for_actor(self, actor: Actor) -> strawberry.Schema:
        return self.schema_for(self.roles_of(actor), writable=actor.can_write)

    def schema_for(self, roles: frozenset[str], writable: bool = True) -> strawberry.Schema:
        """The schema for this role set: only what those roles may see; no mutations when read-only."""
        public = roles == frozenset({ANONYMOUS_ROLE})
        key = (roles, writable)
        schema = self._schemas.get(key)
        if schema is None:
            with self._lock:
                schema = self._schemas.get(key) or self._build(roles, writable, public)
                self._schemas[key] = schema
        return schema

    def _build(self, roles: frozenset[str], writable: bool, public: bool) -> strawberry.Schema:
        grants = self.grants(roles)
        builder = TypeBuilder(self, grants)
        root_fields = builder.build()
        namespace: dict[str, Any] = {f.graphql_name: f for f in root_fields}
        # Hand-written root query types join only the schemas of the roles they are served to (``only_for``).
        bases = tuple(base for base in self.query_bases if serves(base, roles))
        query = strawberry.type(type("Query", bases, namespace), description=QUERY_TEXT)
        mutation = None
        if writable:
            generated = {
                spec.name: build_mutation(self, builder, spec)
                for spec in self.mutations
                if roles & spec.roles and (spec.resource is None or spec.resource in grants)
            }
            if generated:
                mutation = strawberry.type(type("Mutation", (), generated), description=MUTATION_TEXT)
        extensions: list[Any] = [
            RequestErrorCodes,
            lambda: MaxTokensLimiter(max_token_count=self.settings.graphql_max_tokens),
            lambda: AddValidationRules(self._rules),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            *self.extensions,
        ]
        if public:
            extensions.append(DisableIntrospection)
        config = StrawberryConfig(scalar_map=SCALAR_MAP)  # DateTime: offset required in, UTC with Z out
        schema = self.schema_class(query=query, mutation=mutation, extensions=extensions, config=config)
        builder.install_plain_resolvers(schema)
        return schema

    def request(self, info: Any) -> Request:
        """Per-operation engine state, kept on the context so every resolver shares it."""
        context = info.context
        request = context.extra.get("engine_request")
        if request is None:
            raw = info._raw_info
            grants = self.grants(self.roles_of(context.actor))
            request = Request(
                self,
                grants,
                ViewerVariables(context.actor.user_id),
                raw.fragments,
                raw.variable_values,
                context.gettext,
                actor=context.actor,
                operation=raw.operation.name.value if raw.operation.name else "",
            )
            context.extra["engine_request"] = request
        return request

    def search_for(self, resource: Resource, text: Any, request: Request) -> Any:
        if not text or self.search is None or not resource.search:
            return None
        return self.search(resource, str(text), request)
