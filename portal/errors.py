"""Error pages in the visitor's language; JSON for API clients."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/graphql") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    def render(status: int, title: str, message: str) -> Any:
        if _wants_json():
            return jsonify({"errors": [{"message": message, "extensions": {"code": str(status)}}]}), status
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

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        logger.error("unexpected error (request %s)", g.get("request_id"), exc_info=error)
        return render(
            500,
            _("Sorry, something went wrong"),
            _("Please try again later. If it keeps happening, tell us the reference below."),
        )
