"""Error pages in the visitor's language; JSON for API clients."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backend.attachments.checksums import Damaged
from backend.context import ANONYMOUS
from backend.db import database_unavailable
from portal.extensions import login_manager

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait when the database is out of reach (the ``Retry-After`` header).
RETRY_AFTER_SECONDS = 60
#: Form fields never given back on the "try again" page: passwords, codes, tokens, keys and the CSRF token.
SECRET_FIELD = re.compile(r"password|passcode|secret|token|csrf|otp|recovery|(^|_)(code|key|confirm)$", re.IGNORECASE)


#: The ``extensions.code`` of an HTTP error answered as JSON, by status (listed in docs/api.md).
JSON_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "BODY_TOO_LARGE",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
}


def _wants_json() -> bool:
    return request.path.startswith("/graphql") or request.accept_mimetypes.best == "application/json"


def json_code(status: int) -> str:
    """The code an API client reads for an HTTP status: INTERNAL_ERROR for any server error."""
    return JSON_CODES.get(status, "INTERNAL_ERROR" if status >= 500 else "BAD_REQUEST")


def _method_not_allowed(error: HTTPException) -> Any:
    """405 as JSON for API clients, naming the methods the address takes (also in the Allow header)."""
    allowed = list(getattr(error, "valid_methods", None) or [])
    message = _(
        "This address does not take %(method)s requests. Use one of: %(allowed)s.",
        method=request.method,
        allowed=", ".join(allowed),
    )
    response = jsonify({"errors": [{"message": message, "extensions": {"code": json_code(405)}}]})
    response.status_code = 405
    response.headers["Allow"] = ", ".join(allowed)
    return response


def unavailable_message() -> str:
    return _("We can't save or show this right now. Please try again in a minute.")


def unavailable_json() -> Response:
    """503 for API clients while the database is out of reach, with ``Retry-After``."""
    message = unavailable_message()
    response = jsonify({"errors": [{"message": message, "extensions": {"code": json_code(503)}}]})
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def submitted_text() -> list[str]:
    """What the person typed into the form they sent, so that none of it is lost when it could not be saved.

    Every non-empty value of a POSTed form, in the order sent, except fields whose names mark them as secret
    (see :data:`SECRET_FIELD`). Files are not given back; :func:`submitted_files` says whether any were sent.
    """
    if request.method != "POST":
        return []
    try:
        fields = request.form
    except (HTTPException, ValueError):
        return []
    return [
        value.strip() for name, value in fields.items(multi=True) if value.strip() and not SECRET_FIELD.search(name)
    ]


def submitted_files() -> bool:
    if request.method != "POST":
        return False
    try:
        return any(upload.filename for upload in request.files.values())
    except (HTTPException, ValueError):
        return False


def _as_nobody_asked() -> None:
    """Let the error page render without the database: who is asking is not looked up any more.

    flask-login caches the current user in ``g._login_user``; when it is not there yet, loading it would read the
    session's row, so the page treats the visitor as signed out. The page's language then comes from the
    session or the browser (see ``select_locale``).
    """
    g.database_unavailable = True
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
    if "actor" not in g:
        g.actor = ANONYMOUS


def register_error_handlers(app: Flask) -> None:
    def render(status: int, title: str, message: str) -> Any:
        if _wants_json():
            return jsonify({"errors": [{"message": message, "extensions": {"code": json_code(status)}}]}), status
        return render_template(
            "errors/error.html", status=status, title=title, message=message, request_id=g.get("request_id")
        ), status

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> Any:
        return render(
            400,
            _("The form has expired"),
            _(
                "For your security the form timed out. Go back, reload the page and try again. "
                "Nothing you typed has been lost if you use your browser's back button."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        if status == 405 and _wants_json():
            return _method_not_allowed(error)
        titles = {
            400: _("Something was wrong with the request"),
            403: _("You do not have access to this page"),
            404: _("Page not found"),
            405: _("That is not allowed here"),
            413: _("That is too large to send"),
            429: _("Too many requests"),
        }
        messages = {
            403: _("If you think you should have access, contact your administrator."),
            404: _("Check the web address, or go back to the home page."),
            413: _("Make it smaller and try again."),
        }
        return render(
            status,
            titles.get(status, _("Something went wrong")),
            messages.get(status, _("Please go back and try again.")),
        )

    @app.errorhandler(Damaged)
    def damaged_file(_error: Damaged) -> Any:
        # open_verified has logged it; nothing of the content was sent.
        return render(
            500,
            _("We cannot send this file"),
            _(
                "The copy we keep is not the file we were given, so we have not sent it. "
                "If you need it, tell us the reference below."
            ),
        )

    def database_down(error: Exception) -> Any:
        # Once the database is back the next request's connection is new (see _register_connection_hooks).
        logger.warning("database unavailable (request %s): %s", g.get("request_id"), type(error).__name__)
        if _wants_json():
            return unavailable_json()
        _as_nobody_asked()
        page = render_template(
            "errors/unavailable.html",
            message=unavailable_message(),
            texts=submitted_text(),
            files=submitted_files(),
            request_id=g.get("request_id"),
        )
        # The page can hold what a signed-in person typed: no cache may keep it.
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        if database_unavailable(error):
            return database_down(error)
        logger.error("unexpected error (request %s)", g.get("request_id"), exc_info=error)
        return render(
            500,
            _("Sorry, something went wrong"),
            _("Please try again later. If it keeps happening, tell us the reference below."),
        )
