"""One JSON line per request, and the request id that ties it to the audit trail and the error page.

Each line holds the request id, the method, the route's template (``/s/<token>``, never the path itself, which can
carry a token or a reference), the status, the time taken in milliseconds and what kind of actor asked. Nothing
else: no address, email, name, query string or body.

The request id is the client's ``X-Request-ID`` when that is well formed (8 to 64 letters, digits, dots, dashes or
underscores), so a load balancer's id follows the request through; otherwise one is made. It is echoed in the
answer's ``X-Request-ID`` header either way.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
import sys
import time
from typing import Any

from flask import Flask, g, request

from backend.config import Settings
from backend.context import Actor, set_request_id
from portal.security import current_actor

logger = logging.getLogger("learnloop.requests")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
#: Methods logged by name; anything else a client invents is logged as OTHER.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: The most senior role names the kind of actor, so that one line never lists a person's roles.
ROLE_ORDER = ("admin", "manager", "staff", "panel_member", "advocate", "resident")


def actor_kind(actor: Actor) -> str:
    """``api_token`` for a token, else the actor's most senior role, else ``anonymous``."""
    if actor.token_id is not None:
        return "api_token"
    for role in ROLE_ORDER:
        if role in actor.roles:
            return role
    return "anonymous"


class RequestLog:
    """Give each request its id and, when switched on, write its line to the ``learnloop.requests`` logger.

    ``init_app`` must run before any other ``before_request`` hook is registered, so that the clock starts, and the
    id is set, before anything can answer early.
    """

    def __init__(self) -> None:
        self.enabled = False

    def init_app(self, app: Flask, settings: Settings) -> None:
        app.extensions["learnloop.request_log"] = self
        self.enabled = configure_logger(settings.request_log_target)
        app.before_request(self._start)
        app.after_request(self._answered)
        if self.enabled:
            app.teardown_request(self._write)

    @staticmethod
    def _start() -> None:
        g.request_started = time.perf_counter()
        header = request.headers.get("X-Request-ID", "")
        g.request_id = set_request_id(header if REQUEST_ID.match(header) else None)

    def _answered(self, response: Any) -> Any:
        response.headers["X-Request-ID"] = g.get("request_id") or set_request_id()
        if self.enabled:
            g.request_status = response.status_code
            # Who asked is read here, while the session and the database connection are still open to say.
            g.request_actor_kind = actor_kind(current_actor())
        return response

    @staticmethod
    def _write(error: BaseException | None) -> None:
        started = g.get("request_started")
        rule = request.url_rule
        line = {
            "request_id": g.get("request_id"),
            "method": request.method if request.method in KNOWN_METHODS else "OTHER",
            "route": rule.rule if rule is not None else None,
            "status": g.get("request_status", 500),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started is not None else None,
            "actor": g.get("request_actor_kind", "anonymous"),
        }
        logger.info(json.dumps(line, separators=(",", ":")))


def configure_logger(target: str) -> bool:
    """Send the ``learnloop.requests`` logger's lines to ``target``, alone, one message a line; say whether it is on.

    ``off`` drops them; ``stderr`` writes them to standard error; ``file:<path>`` appends them to a file (opened
    again when rotated away, so logrotate needs no signal).
    """
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = False
    if target == "off":
        logger.setLevel(logging.CRITICAL + 1)
        return False
    handler: logging.Handler
    if target.startswith("file:"):
        handler = logging.handlers.WatchedFileHandler(target[len("file:") :], encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return True
