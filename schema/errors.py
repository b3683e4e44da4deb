"""The error model: typed errors that mutations return, and a code on every error of a request.

Expected failures of a mutation are typed errors in its result union, with texts in the viewer's
language. Each implements the ``Problem`` interface, so a client selects ``... on Problem { code
message }`` once for all of them; their ``code`` values are the backend's stable lowercase codes.

Anything wrong with the request itself (it does not parse, does not validate, passes a limit) is an
entry in the response's ``errors``, and every one carries an ``extensions.code`` in SCREAMING_CASE.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError, GraphQLSyntaxError, OperationDefinitionNode, OperationType
from strawberry.extensions import SchemaExtension
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from backend.db import database_unavailable
from backend.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound, Throttled
from schema.context import Context
from schema.error_texts import READ_ONLY_TOKEN, message_for


@strawberry.interface(
    description="Why a mutation did not happen. `code` is a stable lowercase reason (for example `not_found`); "
    "`message` says it in the viewer's language."
)
class Problem:
    code: str = strawberry.field(description="Why, in a few lowercase words that never change: `not_found`.")
    message: str = strawberry.field(description="Why, in a sentence in the viewer's language.")


@strawberry.type(description="One problem with one value of the input.")
class FieldProblem:
    field: str = strawberry.field(
        description="Where the value is in the input, as it was sent: `residentId`, `decisions[2].reasons`."
    )
    code: str = strawberry.field(description="What is wrong with it, in lowercase words that never change.")
    message: str = strawberry.field(description="What is wrong with it, in a sentence in the viewer's language.")


@strawberry.type(
    description="The input was rejected. `problems` lists every problem found, each where it is in the input; "
    "`field`, `code` and `message` repeat the first."
)
class ValidationError(Problem):
    field: str = strawberry.field(description="Where the first problem is in the input, as it was sent.")
    problems: list[FieldProblem] = strawberry.field(description="Every problem found with the input, in order.")


@strawberry.type(description="The viewer may not do this.")
class NotAllowedError(Problem):
    code: str = strawberry.field(
        default="not_allowed",
        description="`not_allowed`, `sign_in_required` or `read_only_token`; or, where another person must do it, "
        "why: `own_action` (the owner of an improvement action can't sign it off), `own_story` (the author of a "
        "success story can't approve or return it), `own_assessment` (who started a self-assessment can't approve it).",
    )


@strawberry.type(description="Nothing with that id is visible to the viewer.")
class NotFoundError(Problem):
    code: str = strawberry.field(default="not_found", description="`not_found`.")


@strawberry.type(description="The change clashes with the current state.")
class ConflictError(Problem):
    code: str = strawberry.field(description="What it clashes with: `already_acknowledged`, `closed`...")


@strawberry.type(description="Too many attempts; retry after the given number of seconds.")
class RateLimitedError(Problem):
    code: str = strawberry.field(default="rate_limited", description="`rate_limited`.")
    retry_after: int = strawberry.field(description="How many seconds to wait before trying again.")


ErrorType = ValidationError | NotAllowedError | NotFoundError | ConflictError | RateLimitedError


def input_path(at: Sequence[str | int], input_type: Any = None) -> str:
    """Where a problem is in the input as it was sent: ``("decisions", 2, "reasons")`` -> ``decisions[2].reasons``.

    The backend names values in its own terms; each name becomes the input's: camelCase, and ``resident``
    becomes ``residentId`` where ``input_type`` takes the id. Nested input types are followed, so names
    inside them are matched too. A name the input does not have (the input as a whole, such as
    ``response``) is only put in camelCase.
    """
    path = ""
    current = input_type
    for step in at:
        if isinstance(step, int):
            path += f"[{step}]"
            continue
        fields = _input_fields(current)
        name = to_camel_case(step)
        if name not in fields and f"{name}Id" in fields:
            name = f"{name}Id"
        current = fields.get(name)
        path += f".{name}" if path else name
    return path


def _input_fields(input_type: Any) -> dict[str, Any]:
    """The fields of an input type by GraphQL name, each with the input type inside it (or None)."""
    definition = get_object_definition(input_type) if input_type is not None else None
    if definition is None:
        return {}
    found = {}
    for field in definition.fields:
        inner = field.type
        while hasattr(inner, "of_type"):  # lists and optionals
            inner = inner.of_type
        found[field.graphql_name or to_camel_case(field.python_name)] = inner
    return found


def to_error(error: DomainError, context: Context, input_type: Any = None) -> ErrorType:
    """Turn a backend exception into its typed error, translated for the viewer.

    ``input_type`` is the mutation's input, which a ValidationError's paths are put in the terms of.
    """
    if isinstance(error, Invalid):
        return validation_error(error, context, input_type)
    message = message_for(error, context.gettext, context.ngettext, context.locale)
    if isinstance(error, NotAllowed):
        return NotAllowedError(code=error.code, message=message)
    if isinstance(error, NotFound):
        return NotFoundError(message=message)
    if isinstance(error, Conflict):
        return ConflictError(code=error.code, message=message)
    if isinstance(error, Throttled):
        return RateLimitedError(retry_after=error.retry_after, message=message)
    unknown = FieldProblem(field="", code="invalid", message=message)
    return ValidationError(field=unknown.field, code=unknown.code, message=message, problems=[unknown])


def validation_error(error: Invalid, context: Context, input_type: Any = None) -> ValidationError:
    """Every problem of ``error`` at its path in the input; the first also in ``field``, ``code`` and ``message``."""
    problems = [
        FieldProblem(
            field=input_path(problem.at, input_type),
            code=problem.code,
            message=message_for(problem, context.gettext, context.ngettext, context.locale),
        )
        for problem in error.problems
    ]
    first = problems[0]
    return ValidationError(field=first.field, code=first.code, message=first.message, problems=problems)


def argument_error(error: Invalid, context: Context) -> GraphQLError:
    """A query's arguments that can't be used, as an error of the request: ``BAD_USER_INPUT``.

    ``extensions.reason`` is the first problem's code and ``extensions.field`` the argument it is about;
    ``extensions.problems`` lists every problem (``field``, ``code``, ``message``), as a mutation's
    ValidationError does. The message is the first problem's, in the viewer's language.
    """
    problems = [
        {
            "field": input_path(problem.at),
            "code": problem.code,
            "message": message_for(problem, context.gettext, context.ngettext, context.locale),
        }
        for problem in error.problems
    ]
    first = problems[0]
    return GraphQLError(
        first["message"],
        extensions={"code": "BAD_USER_INPUT", "reason": first["code"], "field": first["field"], "problems": problems},
    )


def read_only_refusal(context: Context) -> NotAllowedError | None:
    """Refuse a mutation made with a read-scoped token."""
    if not context.actor.can_write:
        return NotAllowedError(code="read_only_token", message=message_for(NotAllowed("write"), context.gettext))
    return None


# --- Codes on the errors of a request ------------------------------------------------------


def coded_rules(
    rules: Iterable[type[ASTValidationRule]], code: str, **extensions: Any
) -> list[type[ASTValidationRule]]:
    """The validation rules, each reporting its errors with ``extensions.code`` ``code`` (and ``extensions``)."""
    return [_coded_rule(rule, {"code": code, **extensions}) for rule in rules]


def _coded_rule(rule: type[ASTValidationRule], extensions: dict[str, Any]) -> type[ASTValidationRule]:
    class Coded(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: Any) -> None:
            # The limit rules report from their constructors, through the context they are given.
            super().__init__(_Reporting(context, extensions))

    Coded.__name__ = rule.__name__
    return Coded


class _Reporting:
    """A validation context whose reported errors carry ``extensions``."""

    def __init__(self, context: Any, extensions: dict[str, Any]) -> None:
        self._context = context
        self._extensions = extensions

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**self._extensions, **(error.extensions or {})}
        self._context.report_error(error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def _give_code(error: GraphQLError, code: str, **extensions: Any) -> None:
    if "code" not in (error.extensions or {}):
        error.extensions = {"code": code, **extensions, **(error.extensions or {})}


class RequestErrorCodes(SchemaExtension):
    """Give every error of a request an ``extensions.code``, where nothing more specific has.

    ``GRAPHQL_PARSE_FAILED`` for a syntax error, ``TOKEN_LIMIT_EXCEEDED`` for a document too long to
    parse, ``GRAPHQL_VALIDATION_FAILED`` for a document the schema refuses, and ``READ_ONLY_TOKEN``
    for a mutation sent with a read-scoped token (whose schema has no mutations). Errors while running
    are ``BAD_USER_INPUT`` (variables that don't fit) or ``INTERNAL_ERROR``.
    """

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            _give_code(error, "GRAPHQL_VALIDATION_FAILED")

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as unparsed:
            # A document the parser cache could not parse arrives here; it then becomes the only error.
            self._code_running_error(unparsed)
            raise
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        if self._mutation_without_write_access():
            result.errors = [self._read_only_error()]
        for error in result.errors:
            self._code_running_error(error)

    def _code_running_error(self, error: GraphQLError) -> None:
        if isinstance(error, GraphQLSyntaxError):
            if "Parsing aborted" in error.message:
                limit = self.execution_context.parse_options.get("max_tokens")
                _give_code(error, "TOKEN_LIMIT_EXCEEDED", **({"limit": limit} if limit else {}))
            _give_code(error, "GRAPHQL_PARSE_FAILED")
        elif error.original_error is None or isinstance(error.original_error, GraphQLError):
            _give_code(error, "BAD_USER_INPUT")
        elif database_unavailable(error.original_error):
            _give_code(error, "UNAVAILABLE")
        else:
            _give_code(error, "INTERNAL_ERROR")

    def _mutation_without_write_access(self) -> bool:
        context = self.execution_context
        actor = getattr(context.context, "actor", None)
        document = context.graphql_document
        if actor is None or actor.can_write or document is None or context.schema._schema.mutation_type is not None:
            return False
        return any(
            isinstance(definition, OperationDefinitionNode) and definition.operation == OperationType.MUTATION
            for definition in document.definitions
        )

    def _read_only_error(self) -> GraphQLError:
        gettext = getattr(self.execution_context.context, "gettext", lambda message: message)
        return GraphQLError(gettext(READ_ONLY_TOKEN), extensions={"code": "READ_ONLY_TOKEN"})
