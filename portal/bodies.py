"""How large a request body may be: small everywhere, and large only where files are uploaded.

Every request may send at most ``LEARNLOOP_MAX_BODY_BYTES``. A multipart request to one of the
routes that take files may send every attachment a contact may carry. Werkzeug refuses a body whose
Content-Length is over the limit before reading it, and stops one sent without a Content-Length
once it passes the limit; either way the visitor gets HTTP 413.
"""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from backend.config import Settings
from portal.security import authenticate_bearer, bearer_value

#: The routes that take files, by endpoint. Their forms are the only ones sent as multipart.
UPLOAD_ENDPOINTS = frozenset(
    {
        "cases.new",
        "cases.add_information",
        "console.contact_new",
        "console.survey_import",
        "console.report_stock_import",  # a CSV of the homes at each year's end
        "console.signals_import",  # a CSV of the board report's signals
        "console.stage_leaflet",
        "console.complaint_step",  # the resident's words and staff notes, with their files
        "console.lesson_action_complete",  # an improvement action's evidence files
        "console.lesson_action_evidence",
        "console.lessons_story_media",  # a success story's image
        "console.panel_pack_document",  # a document for a scrutiny panel's evidence pack
        "console.panel_proposal_decide",  # a leaflet adopted from a panel's approved words
        "graphql",  # the GraphQL multipart request format; JSON bodies keep the small limit
    }
)


def register_body_limits(app: Flask, settings: Settings) -> None:
    """Apply the limits. Call before anything that reads forms in a hook (CSRF protection does)."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes

    @app.before_request
    def allow_uploads() -> None:
        # Only someone signed in, or holding a valid token, may send files: a stranger's 200 MB
        # body is refused before it is read, not after.
        if request.endpoint in UPLOAD_ENDPOINTS and request.mimetype == "multipart/form-data" and _identified():
            request.max_content_length = settings.upload_max_bytes


def _identified() -> bool:
    """Whether the request comes from someone signed in, or, on ``/graphql`` only, a valid API token."""
    bearer = bearer_value()
    if bearer is not None and request.endpoint == "graphql":
        return bool(bearer) and authenticate_bearer(bearer) is not None
    return bool(current_user.is_authenticated)
