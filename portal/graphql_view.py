"""``/graphql``: strawberry's Flask view behind rate limits, token, session and CSRF checks.

Before an operation runs it is read and checked here: a persisted-query hash is swapped for its
registered document, ad-hoc text may be refused to browser sessions, and ad-hoc operations over
the viewer's cost limit are refused. The operation then runs under a time limit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
from dataclasses import dataclass
from typing import Any

from cross_web import HTTPException
from flask import Flask, Response, g, jsonify, make_response, request
from flask_babel import format_number, get_locale, gettext, ngettext
from flask_wtf.csrf import CSRFError, validate_csrf
from graphql import GraphQLError, OperationDefinitionNode
from peewee import DatabaseError
from strawberry.flask.views import GraphQLView
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from werkzeug.exceptions import RequestEntityTooLarge

from backend import config
from backend.config import Settings
from backend.context import Actor, get_request_id
from backend.db import DatabaseUnavailable, TimeLimitExceeded, time_limit
from backend.ratelimit.services import hit
from portal.errors import unavailable_json
from portal.extensions import csrf
from portal.operations import find_persisted, find_registered_text
from portal.security import authenticate_bearer, bearer_value, current_actor
from schema.context import Context
from schema.engine.scalars import DateTimeInputError
from schema.engine.scalars import shown as _shown
from schema.limits import InputTooLarge, NulInInput, check_inputs, cost_limit, operation_cost, parse_document

logger = logging.getLogger(__name__)
CSRF_HEADER = "X-CSRF-Token"
RATE_WINDOW_SECONDS = 60


class Refusal(Exception):
    """A request, or one operation in it, that is refused before anything runs."""

    def __init__(self, code: str, message: str, status: int = 400, **extensions: Any):
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status
        self.extensions = extensions

    def error(self) -> dict[str, Any]:
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}

    def graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code, **self.extensions})

    def response(self) -> Response:
        return _json_error(self.status, self.code, self.message, **self.extensions)


@dataclass(frozen=True)
class PreparedOperation:
    """One operation, ready to run (``data``), or refused with a GraphQL error (``refusal``)."""

    data: GraphQLRequestData | None = None
    refusal: Refusal | None = None


class LearnloopGraphQLView(GraphQLView):
    def get_context(self, request: Any, response: Any) -> Context:  # type: ignore[override]
        return Context(
            actor=current_actor(),
            locale=str(get_locale() or "en"),
            gettext=gettext,
            ngettext=ngettext,
            request_id=get_request_id(),
            response=response,
        )

    def dispatch_request(self) -> Any:
        try:
            return self.run(request=request)
        except HTTPException as error:
            message = gettext("The request could not be run: %(reason)s", reason=error.reason)
            return _json_error(error.status_code, "BAD_REQUEST", message)
        except TimeLimitExceeded as error:
            return jsonify({"errors": [_time_limit_error(error.limit_ms)]})
        except DatabaseUnavailable:
            return unavailable_json()

    def should_render_graphql_ide(self, request: Any) -> bool:
        return g.get("graphql_operations") is None and super().should_render_graphql_ide(request)

    def parse_http_body(self, request: Any) -> Any:
        """The operations the portal has already read and checked (see :func:`prepare_operations`)."""
        prepared = g.get("graphql_operations")
        return super().parse_http_body(request) if prepared is None else prepared

    def execute_operation(self, request: Any, context: Any, root_value: Any, sub_response: Any) -> Any:
        with time_limit(config.current().graphql_time_limit_ms) as limit:
            g.graphql_time_limit = limit
            return super().execute_operation(request, context, root_value, sub_response)

    def execute_single(  # type: ignore[override]
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        if isinstance(request_data, PreparedOperation):
            if request_data.refusal is not None:
                return ExecutionResult(data=None, errors=[request_data.refusal.graphql_error()])
            request_data = request_data.data
            # Each operation of a batch gets its own context, so no per-operation state leaks between them.
            context = self.get_context(request, sub_response)
        return super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)

    def process_result(self, request: Any, result: ExecutionResult) -> Any:
        processed = super().process_result(request, result)
        if not result.errors:
            return processed
        processed["errors"] = [_formatted(e) for e in result.errors]
        limit = g.get("graphql_time_limit")
        if limit is None or not limit.exceeded:
            if any((e.extensions or {}).get("code") == "UNAVAILABLE" for e in result.errors):
                raise DatabaseUnavailable()  # the whole answer becomes a 503 (see dispatch_request)
            return processed
        kept = [_formatted(e) for e in result.errors if not _stopped_by_time_limit(e)]
        if len(kept) < len(result.errors):
            processed["errors"] = [*kept, _time_limit_error(limit.limit_ms)]
        return processed


def _formatted(error: GraphQLError) -> dict[str, Any]:
    """The error as JSON; a refused date-time says what is wrong in the viewer's language."""
    formatted = dict(error.formatted)
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, DateTimeInputError):
        cause = getattr(cause, "original_error", None)
    if isinstance(cause, DateTimeInputError):
        formatted["message"] = gettext(cause.message_key, value=_shown(cause.value))
    return formatted


def _stopped_by_time_limit(error: GraphQLError) -> bool:
    """A statement stopped by the limit surfaces as a database error, masked as an internal one outside debug;
    Python work stopped by the limit raises TimeLimitExceeded itself."""
    if isinstance(error.original_error, DatabaseError | TimeLimitExceeded):
        return True
    return (error.extensions or {}).get("code") == "INTERNAL_ERROR"


def _time_limit_error(limit_ms: int) -> dict[str, Any]:
    message = gettext(
        "This request took longer than the limit of %(limit)s milliseconds and was stopped. "
        "Ask for less, for example fewer items with first, and try again.",
        limit=format_number(limit_ms),
    )
    return {"message": message, "extensions": {"code": "TIME_LIMIT_EXCEEDED", "limitMs": limit_ms}}


def _json_error(status: int, code: str, message: str, **extensions: Any) -> Response:
    response = jsonify({"errors": [{"message": message, "extensions": {"code": code, **extensions}}]})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="learnloop"'
    return response


def _cookie_post_allowed() -> bool:
    """A cookie-authenticated POST must be JSON (which forces a CORS preflight) or carry the CSRF token."""
    if request.mimetype == "application/json":
        return True
    token = request.headers.get(CSRF_HEADER)
    if not token:
        return False
    try:
        validate_csrf(token)
    except CSRFError:
        return False
    except Exception:  # wtforms raises ValidationError for a bad token
        return False
    return True


def client_network(address: str | None) -> str:
    """The client's address as a rate-limit key; IPv6 clients are grouped by their /64, which one home holds."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def rate_limited(settings: Settings, token_actor: Actor | None, amount: int) -> Response | None:
    """Count this request against its token, or else its address; return a 429 answer when over the limit."""
    if token_actor is not None:
        key, limit = f"token:{token_actor.token_id}", settings.rate_limit_per_minute_token
    else:
        key, limit = f"ip:{client_network(request.remote_addr)}", settings.rate_limit_per_minute_ip
    if limit <= 0:
        return None
    try:
        retry_after = hit(key, limit, RATE_WINDOW_SECONDS, amount=amount)
    except DatabaseError:
        # Better to serve without a limit than to refuse everyone while the counters are unavailable.
        logger.exception("rate-limit counters unavailable; request %s allowed", get_request_id())
        return None
    if retry_after is None:
        return None
    message = gettext(
        "Too many requests: the limit is %(limit)s a minute. Try again in %(seconds)s seconds.",
        limit=format_number(limit),
        seconds=retry_after,
    )
    response = _json_error(429, "RATE_LIMITED", message, retryAfter=retry_after, limit=limit)
    response.headers["Retry-After"] = str(retry_after)
    return response


def read_payload() -> Any:
    """Return the JSON request (an object, or a list for a batch), or ``None`` for a GET without one.

    Raises :class:`Refusal` when the body is too large or cannot be read as GraphQL.
    """
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise _too_large(limit)  # said before a byte of the body is read
    try:
        return _read_payload()
    except RequestEntityTooLarge:
        raise _too_large(limit or 0) from None
    except RecursionError:
        raise Refusal("BAD_REQUEST", gettext("The request is nested too deeply to be read.")) from None


def _too_large(limit: int) -> Refusal:
    message = gettext(
        "The request is too large: send at most %(limit)s bytes, or attach files to a multipart request.",
        limit=format_number(limit),
    )
    return Refusal("BODY_TOO_LARGE", message, 413, limit=limit)


def _read_payload() -> Any:
    if request.method == "GET":
        args = request.args
        if not any(args.get(key) for key in ("query", "extensions", "id")):
            return None
        return {
            "query": args.get("query"),
            "variables": _json_argument("variables"),
            "operationName": args.get("operationName"),
            "extensions": _json_argument("extensions"),
            "id": args.get("id"),
        }
    if request.mimetype == "multipart/form-data":
        return read_multipart()
    if request.mimetype != "application/json":
        raise Refusal(
            "BAD_REQUEST",
            gettext("Unsupported content type: send the request as JSON (Content-Type: application/json)."),
        )
    body = request.get_data()
    limit = request.max_content_length
    if limit is not None and request.content_length is None and len(body) >= limit:
        # Sent without a Content-Length (chunked): the stream stopped at the limit, so more was coming.
        raise _too_large(limit)
    try:
        payload = json.loads(body)
    except ValueError:
        raise Refusal("BAD_REQUEST", gettext("The request body is not valid JSON.")) from None
    if not isinstance(payload, dict | list):
        raise Refusal("BAD_REQUEST", gettext("The request body must be a JSON object, or a list of them for a batch."))
    return payload


def read_multipart() -> Any:
    """Read a request in the GraphQL multipart request format: ``operations``, ``map`` and the files.

    Each file is put where ``map`` says in the variables (for example ``variables.input.attachments.0``).
    """
    try:
        payload = json.loads(request.form.get("operations") or "")
        mapping = json.loads(request.form.get("map") or "{}")
    except ValueError:
        raise Refusal("BAD_REQUEST", gettext("The operations and map fields must be JSON.")) from None
    if not isinstance(payload, dict) or not isinstance(mapping, dict):
        raise Refusal("BAD_REQUEST", gettext("The operations and map fields must be JSON objects."))
    for key, paths in mapping.items():
        upload = request.files.get(key)
        if upload is None or not isinstance(paths, list):
            raise Refusal("BAD_REQUEST", gettext("Every file named in map must be sent, under the same name."))
        for path in paths:
            _place(payload, str(path).split("."), upload)
    return payload


def _place(target: Any, path: list[str], value: Any) -> None:
    try:
        for step in path[:-1]:
            target = target[int(step)] if isinstance(target, list) else target[step]
        if isinstance(target, list):
            target[int(path[-1])] = value
        elif isinstance(target, dict):
            target[path[-1]] = value
        else:
            raise TypeError(path[-1])
    except (IndexError, KeyError, TypeError, ValueError):
        raise Refusal("BAD_REQUEST", gettext("A path in map does not lead to a variable.")) from None


def _json_argument(name: str) -> Any:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise Refusal("BAD_REQUEST", gettext("The variables and extensions parameters must be JSON.")) from None


def prepare_operations(payload: Any, schema: Any, actor: Actor, settings: Settings, browser: bool) -> Any:
    """Check every operation in ``payload``; return one :class:`PreparedOperation`, or a list for a batch.

    Raises :class:`Refusal` when the request as a whole is unacceptable.
    """
    if not isinstance(payload, list):
        return prepare_operation(payload, schema, actor, settings, browser)
    limit = settings.graphql_max_batch
    if limit <= 1:
        message = gettext("Batched requests are not accepted here: send one operation per request.")
        raise Refusal("BATCH_LIMIT_EXCEEDED", message, limit=limit, size=len(payload))
    if not payload:
        raise Refusal("BAD_REQUEST", gettext("The batch is empty: send at least one operation."))
    if len(payload) > limit:
        message = gettext(
            "A batch may hold at most %(limit)s operations; this one has %(size)s.", limit=limit, size=len(payload)
        )
        raise Refusal("BATCH_LIMIT_EXCEEDED", message, limit=limit, size=len(payload))
    return [prepare_operation(item, schema, actor, settings, browser) for item in payload]


def prepare_operation(item: Any, schema: Any, actor: Actor, settings: Settings, browser: bool) -> PreparedOperation:
    """Resolve a persisted-query hash, then apply the browser rule and the cost limit to ad-hoc text."""
    if not isinstance(item, dict):
        raise Refusal("BAD_REQUEST", gettext("Each operation must be a JSON object."))
    query, name = item.get("query"), item.get("operationName")
    variables, extensions = item.get("variables"), item.get("extensions")
    if not isinstance(query, str | None) or not isinstance(name, str | None):
        raise Refusal("BAD_REQUEST", gettext("The query and operationName fields must be strings."))
    if not isinstance(variables, dict | None) or not isinstance(extensions, dict | None):
        raise Refusal("BAD_REQUEST", gettext("The variables and extensions fields must be JSON objects."))
    wanted = requested_hash(item, extensions)
    if wanted is not None and query is not None:
        if hashlib.sha256(query.encode()).hexdigest() != wanted:
            raise Refusal("PERSISTED_QUERY_HASH_MISMATCH", gettext("The query does not match its sha256Hash."))
    elif wanted is not None:
        operation = find_persisted(wanted)
        if operation is None:
            message = gettext(
                "No registered operation has this hash. Send the query text, "
                "or a hash listed by `learnloop operations list`."
            )
            return PreparedOperation(refusal=Refusal("PERSISTED_QUERY_NOT_FOUND", message))
        query = operation.document
    if not query:
        raise Refusal("BAD_REQUEST", gettext("Send a query, or the hash of a registered operation."))
    data = GraphQLRequestData(query=query, variables=variables, operation_name=name, extensions=extensions)
    try:
        check_inputs(variables)  # registered operations too: their variables come from the client
    except (InputTooLarge, NulInInput) as problem:
        return PreparedOperation(refusal=input_refusal(problem))
    if find_registered_text(query) is not None:
        return PreparedOperation(data)  # the portal's own operations are trusted as they are
    if browser and settings.graphql_cookie_persisted_only:
        message = gettext(
            "Browsers may run only registered operations here: send the hash of one, or use an API token."
        )
        return PreparedOperation(refusal=Refusal("PERSISTED_QUERY_REQUIRED", message))
    document = parse_document(query, settings.graphql_max_tokens)
    if document is None:
        return PreparedOperation(data)  # it won't run: the schema reports the syntax error
    if name is None and len([d for d in document.definitions if isinstance(d, OperationDefinitionNode)]) > 1:
        # The GraphQL spec requires this to fail; left alone, the first operation would run.
        message = gettext("Several operations were sent; say which with operationName.")
        raise Refusal("BAD_REQUEST", message)
    try:
        check_inputs(None, document)
    except (InputTooLarge, NulInInput) as problem:
        return PreparedOperation(refusal=input_refusal(problem))
    cost = operation_cost(schema, document, name, variables)
    limit = cost_limit(actor, settings)
    if cost > limit:
        message = gettext(
            "This query could return too much: its cost is %(cost)s and the limit is %(limit)s. "
            "Ask for fewer items with first, or split it into smaller queries.",
            cost=format_number(cost),
            limit=format_number(limit),
        )
        return PreparedOperation(refusal=Refusal("COST_LIMIT_EXCEEDED", message, cost=cost, limit=limit))
    return PreparedOperation(data)


def input_refusal(problem: InputTooLarge | NulInInput) -> Refusal:
    """INPUT_TOO_LARGE, saying which limit the input passed; BAD_USER_INPUT for a NUL character."""
    if isinstance(problem, NulInInput):
        message = gettext("A text in this request holds a NUL character (\\u0000), which no field accepts.")
        return Refusal("BAD_USER_INPUT", message)
    limit = format_number(problem.limit)
    messages = {
        "string": gettext("A text in this request is too long: the limit is %(limit)s characters.", limit=limit),
        "list": gettext("A list in this request is too long: the limit is %(limit)s items.", limit=limit),
        "values": gettext("The variables hold too many values: the limit is %(limit)s.", limit=limit),
        "depth": gettext("The variables are nested too deeply: the limit is %(limit)s levels.", limit=limit),
    }
    return Refusal("INPUT_TOO_LARGE", messages[problem.kind], limit=problem.limit, kind=problem.kind)


def requested_hash(item: dict[str, Any], extensions: dict[str, Any] | None) -> str | None:
    """The persisted-query hash the operation names (``id``, or Apollo's ``persistedQuery``), lower-cased."""
    if item.get("id") is not None:
        wanted = item["id"]
    elif extensions and extensions.get("persistedQuery") is not None:
        persisted = extensions["persistedQuery"]
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise Refusal("BAD_REQUEST", gettext("A persisted query needs version 1 and a sha256Hash."))
        wanted = persisted.get("sha256Hash")
    else:
        return None
    if not isinstance(wanted, str):
        raise Refusal("BAD_REQUEST", gettext("A persisted query needs version 1 and a sha256Hash."))
    return wanted.lower()


def register_graphql(app: Flask, engine: Any) -> None:
    views: dict[int, LearnloopGraphQLView] = {}

    def view_for(actor: Any) -> LearnloopGraphQLView:
        """One view per role schema: each viewer's schema holds only what their roles may see."""
        schema = engine.schema_for_actor(actor)
        view = views.get(id(schema))
        if view is None:
            ide = None if actor.is_anonymous else "graphiql"
            view = views.setdefault(
                id(schema), LearnloopGraphQLView(schema=schema, graphql_ide=ide, allow_queries_via_get=True)
            )
        return view

    @csrf.exempt
    def graphql() -> Any:
        settings = config.current()
        bearer = bearer_value()
        token_actor = authenticate_bearer(bearer) if bearer else None
        # Counted before the body is read, so a visitor over the limit costs no parsing.
        limited = rate_limited(settings, token_actor, 1)
        if limited is not None:
            return limited
        # Who is asking is settled before the body is read, so a stranger's body costs nothing.
        if bearer is not None:
            if token_actor is None:
                return _json_error(401, "UNAUTHENTICATED", gettext("The API token is missing, unknown or revoked."))
        elif request.method == "POST" and not _cookie_post_allowed():
            return _json_error(403, "CSRF", gettext("Send a JSON body, or the X-CSRF-Token header with a form body."))
        payload, unreadable = None, None
        try:
            payload = read_payload()
        except Refusal as refusal:
            unreadable = refusal
        if isinstance(payload, list) and len(payload) > 1:
            limited = rate_limited(settings, token_actor, len(payload) - 1)  # a batch counts once per operation
            if limited is not None:
                return limited
        if unreadable is not None:
            return unreadable.response()
        actor = current_actor()
        if payload is None:
            # GraphiQL is for signed-in staff working in a browser; tools POST.
            if bearer is None and actor.is_staff:
                response = make_response(view_for(actor).dispatch_request())
                response.headers["Content-Security-Policy"] = (
                    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
                    "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data:; "
                    "connect-src 'self'; frame-ancestors 'none'"
                )
                return response
            if actor.is_anonymous:
                return _json_error(401, "UNAUTHENTICATED", gettext("Sign in as staff to use GraphiQL."))
            if bearer is None:  # a signed-in resident or panel member opening GraphiQL in a browser
                return _json_error(403, "FORBIDDEN", gettext("Sign in as staff to use GraphiQL."))
            return _json_error(400, "BAD_REQUEST", gettext("Send a query."))
        view = view_for(actor)
        try:
            g.graphql_operations = prepare_operations(
                payload, view.schema._schema, actor, settings, browser=bearer is None
            )
        except Refusal as refusal:
            return refusal.response()
        return view.dispatch_request()

    app.add_url_rule("/graphql", "graphql", graphql, methods=["GET", "POST"])
