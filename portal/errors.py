"""Error pages in the visitor's language; JSON for API clients."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backend.attachments.checksums import Damaged

logger = logging.getLogger(__name__)


#: The ``extensions.code`` of an HTTP error answered as JSON, by status (listed in docs/api.md).
JSON_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "BODY_TOO_LARGE",
    429: "RATE_LIMITED",
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

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        logger.error("unexpected error (request %s)", g.get("request_id"), exc_info=error)
        return render(
            500,
            _("Sorry, something went wrong"),
            _("Please try again later. If it keeps happening, tell us the reference below."),
        )
