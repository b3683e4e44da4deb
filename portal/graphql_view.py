"""``/graphql``: strawberry's Flask view behind token, session and CSRF checks."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, jsonify, make_response, request
from flask_babel import get_locale, gettext
from flask_wtf.csrf import CSRFError, validate_csrf
from strawberry.flask.views import GraphQLView

from backend.context import get_request_id
from portal.extensions import csrf
from portal.security import authenticate_bearer, bearer_value, current_actor
from schema.context import Context

CSRF_HEADER = "X-CSRF-Token"


class LearnloopGraphQLView(GraphQLView):
    def get_context(self, request: Any, response: Any) -> Context:  # type: ignore[override]
        return Context(
            actor=current_actor(),
            locale=str(get_locale() or "en"),
            gettext=gettext,
            request_id=get_request_id(),
            response=response,
        )


def _json_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"errors": [{"message": message, "extensions": {"code": code}}]})
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
    except Exception:  # noqa: BLE001 - wtforms raises ValidationError for a bad token
        return False
    return True


def register_graphql(app: Flask, schema: Any, public_schema: Any) -> None:
    private_view = LearnloopGraphQLView(schema=schema, graphql_ide="graphiql", allow_queries_via_get=True)
    public_view = LearnloopGraphQLView(schema=public_schema, graphql_ide=None, allow_queries_via_get=True)

    @csrf.exempt
    def graphql() -> Any:
        bearer = bearer_value()
        if bearer is not None:
            if not bearer or authenticate_bearer(bearer) is None:
                return _json_error(401, "UNAUTHENTICATED", gettext("The API token is missing, unknown or revoked."))
        elif request.method == "POST" and not _cookie_post_allowed():
            return _json_error(403, "CSRF", gettext("Send a JSON body, or the X-CSRF-Token header with a form body."))
        actor = current_actor()
        if request.method == "GET" and not request.args.get("query"):
            # GraphiQL is for signed-in staff working in a browser; tools POST.
            if bearer is None and actor.is_staff:
                response = make_response(private_view.dispatch_request())
                response.headers["Content-Security-Policy"] = (
                    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
                    "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data:; "
                    "connect-src 'self'; frame-ancestors 'none'"
                )
                return response
            if actor.is_anonymous:
                return _json_error(401, "UNAUTHENTICATED", gettext("Sign in as staff to use GraphiQL."))
            abort(403)
        view = public_view if actor.is_anonymous else private_view
        return view.dispatch_request()

    app.add_url_rule("/graphql", "graphql", graphql, methods=["GET", "POST"])
