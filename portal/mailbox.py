"""The complaints mailbox's two ways in: a mail provider's inbound webhook, and Learnloop's own SMTP receiver.

Both hand the raw message to :func:`backend.complaints.inbound.receive_mail`, which keeps it before reading it.

The webhook, ``POST /mail/inbound``, takes the raw message (RFC 5322 bytes, MIME and all) as the request body.
The provider proves who it is with the shared secret ``LEARNLOOP_INBOUND_MAIL_SECRET``, either sent as it is in
``X-Learnloop-Mail-Secret`` or as ``X-Learnloop-Signature: sha256=<hex HMAC-SHA256 of the body>``; both are
compared in constant time. Without the setting the webhook is not there (404).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from backend import config as config_module
from backend.complaints import inbound
from backend.config import Settings
from backend.db import connection
from backend.errors import Invalid
from portal.extensions import csrf

logger = logging.getLogger(__name__)

bp = Blueprint("mailbox", __name__)
SECRET_HEADER = "X-Learnloop-Mail-Secret"  # noqa: S105  (a header name, not a secret)
SIGNATURE_HEADER = "X-Learnloop-Signature"
ENVELOPE_HEADER = "X-Envelope-From"


def signature(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256 under the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _secret_sent(settings: Settings) -> bool:
    sent = request.headers.get(SECRET_HEADER, "")
    return bool(sent) and hmac.compare_digest(sent.encode(), settings.inbound_mail_secret.encode())


def _signed(settings: Settings, body: bytes) -> bool:
    sent = request.headers.get(SIGNATURE_HEADER, "")
    return bool(sent) and hmac.compare_digest(sent.encode(), signature(settings.inbound_mail_secret, body).encode())


@bp.before_request
def check_caller() -> Any:
    """Without a secret the webhook is not there; a caller without it is refused before its body is read.

    ``X-Learnloop-Mail-Secret`` is checked from the headers alone. A signed request can only be checked once its
    body is read, so it is read only up to ``LEARNLOOP_INBOUND_MAIL_MAX_BYTES``: a larger declared length is
    refused (413) unread, and a body that turns out larger is refused as it is read.
    """
    settings: Settings = config_module.current()
    if not settings.inbound_mail_secret:
        return jsonify(error="not_found"), 404
    limit = settings.inbound_mail_max_bytes + 64 * 1024
    if _secret_sent(settings):
        request.max_content_length = limit
        return None
    if not request.headers.get(SIGNATURE_HEADER):
        return _unauthorised()
    if request.content_length is not None and request.content_length > limit:
        return jsonify(error="too_large"), 413
    request.max_content_length = limit
    return None


def _unauthorised() -> Any:
    """401 without reading the body; the connection is closed, so an unread body can't be taken as a request."""
    response = jsonify(error="unauthorised")
    response.status_code = 401
    response.headers["Connection"] = "close"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> Any:
    """A body larger than the mailbox takes, in the same JSON shape as the webhook's other answers."""
    return jsonify(error="too_large"), 413


@bp.post("/mail/inbound")
@csrf.exempt  # The provider proves itself with the shared secret; there is no browser session to forge.
def inbound_mail() -> Any:
    """Keep and read one email posted by the mail provider. 202 once it is kept; 401 without the secret."""
    settings: Settings = config_module.current()
    authorised = _secret_sent(settings)
    body = request.get_data(cache=False)
    if not (authorised or _signed(settings, body)):
        return _unauthorised()
    envelope_from = request.headers.get(ENVELOPE_HEADER)
    try:
        mail = inbound.receive_mail(body, "webhook", envelope_from[:254] if envelope_from is not None else None)
    except Invalid as problem:
        return jsonify(error=problem.code), 413 if problem.code == "too_large" else 400
    return jsonify(id=mail.id, status=mail.status), 202


class MailboxHandler:
    """aiosmtpd's handler for ``learnloop mail-receiver``: accept mail for the mailbox's addresses and keep it.

    A message is answered 250 only once it is committed; if keeping it fails the sender is told to try
    again later (451), so a message is never lost between the two.
    """

    def __init__(self, settings: Settings, receive: Callable[[bytes, str], Any]):
        self.settings = settings
        # Called in a worker thread with the raw message and the envelope sender; it keeps the message.
        self.receive = receive

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _rcpt_options: list[str]
    ) -> str:
        allowed = self.settings.inbound_mail_addresses
        if allowed and address.strip().lower() not in allowed:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            await asyncio.get_running_loop().run_in_executor(None, self.receive, raw, envelope.mail_from or "<>")
        except Invalid as problem:
            if problem.code == "too_large":
                return "552 5.3.4 Message too big"
            return "554 5.6.0 Message refused: nothing in it"
        except Exception:  # a boundary: anything else means "not kept", and the sender will try again
            logger.exception("an email could not be kept; the sender was asked to try again")
            return "451 4.3.0 Please try again later"
        return "250 2.0.0 Message accepted"


def start_receiver(
    settings: Settings, database: Any, host: str, port: int, receive: Callable[[bytes, str], Any] | None = None
) -> Any:
    """Start an SMTP receiver for the complaints mailbox on ``host``:``port``; return its started controller.

    ``receive`` keeps one message; by default it opens its own database connection and calls
    :func:`backend.complaints.inbound.receive_mail`.
    """
    from aiosmtpd.controller import Controller  # only the receiver needs it

    def keep(raw: bytes, envelope_from: str) -> Any:
        config_module.set_current(settings)
        with connection(database):
            return inbound.receive_mail(raw, "smtp", envelope_from)

    controller = Controller(
        MailboxHandler(settings, receive or keep),
        hostname=host,
        port=port,
        data_size_limit=settings.inbound_mail_max_bytes,
        server_hostname=host,
    )
    controller.start()
    return controller
