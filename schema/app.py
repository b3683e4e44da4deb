"""Build the GraphQL schema with its security limits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext

from backend.config import Settings
from backend.context import get_request_id
from backend.db import TimeLimitExceeded, database_unavailable
from schema.discovery import domains
from schema.engine.declare import Resource
from schema.engine.engine import Engine
from schema.engine.scalars import DateTimeInputError
from schema.engine.search import make_search

logger = logging.getLogger(__name__)


def is_unexpected(error: GraphQLError) -> bool:
    """An error raised by our code (not a validation or syntax error) is masked outside debug.

    Running out of time is expected: the HTTP edge answers it with TIME_LIMIT_EXCEEDED. So is a value
    that is not a date-time, refused with BAD_USER_INPUT by the DateTime scalar.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | TimeLimitExceeded | DateTimeInputError)


class MaskUnexpectedErrors(MaskErrors):
    """Replace unexpected errors with a generic message that carries the request id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Unexpected error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        # The database being out of reach is not a fault in the request: the HTTP edge answers it with a 503.
        code = "UNAVAILABLE" if database_unavailable(error.original_error) else "INTERNAL_ERROR"
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": code, "requestId": get_request_id()},
        )


class LearnloopSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if is_unexpected(error):
                logger.error("unexpected GraphQL error (request %s)", get_request_id(), exc_info=error.original_error)


def build_engine(settings: Settings, extra_resources: Sequence[Resource] = ()) -> Engine:
    """The engine with every domain's resources and mutations, and ``extra_resources`` after them.

    The domains are found, not listed (:mod:`schema.discovery`): a new module in a domain package is served.
    """
    declared = domains()
    extensions: list[Any] = [] if settings.debug else [MaskUnexpectedErrors]
    return Engine(
        settings,
        resources=[*declared.resources, *extra_resources],
        query_bases=declared.queries,
        mutations=declared.mutations,
        search=make_search,
        schema_class=LearnloopSchema,
        extensions=extensions,
    )
