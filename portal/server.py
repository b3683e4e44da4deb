"""The production web server: gunicorn, run in-process by ``learnloop serve --production``.

The master process binds the port, starts the worker processes and restarts any that die; it never builds the app.
Each worker builds its own app after the fork (gunicorn's default, ``preload_app`` off), so no database connection,
connection pool or queue storage is ever shared between processes. Workers are gthread workers: each serves
``LEARNLOOP_WEB_THREADS`` requests at once, so a slow client holds one thread, not a process.

SIGTERM stops gracefully: the master stops accepting, and every worker finishes the requests in flight (for up to
``LEARNLOOP_WEB_GRACEFUL_TIMEOUT`` seconds) before it exits; SIGINT and SIGQUIT stop at once.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi

from backend.config import Settings
from portal.app import create_app

logger = logging.getLogger(__name__)


class QuietResponse(gunicorn_wsgi.Response):
    """gunicorn's response, without the Server header that names the software (as the development server does)."""

    def default_headers(self) -> list[str]:
        return [line for line in super().default_headers() if not line.lower().startswith("server:")]


class ProductionServer(BaseApplication):
    """gunicorn serving ``create_app(settings)``, configured from the settings alone (no gunicorn.conf.py)."""

    def __init__(self, settings: Settings, host: str, port: int) -> None:
        self.settings = settings
        self.bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        options: dict[str, Any] = {
            "bind": [self.bind],
            "workers": settings.web_worker_count,
            "worker_class": "gthread",
            "threads": settings.web_threads,
            "graceful_timeout": settings.web_graceful_timeout,
            "preload_app": False,  # each worker builds its app after the fork
            "accesslog": None,  # the app writes its own request lines, without addresses (portal.request_log)
            "errorlog": "-",
            "proc_name": "learnloop",
            # LEARNLOOP_TRUSTED_PROXIES alone decides whose X-Forwarded-* headers are believed.
            "forwarded_allow_ips": "",
            # The runtime control socket would sit at one path per user, shared by every site on the machine.
            "control_socket_disable": True,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Runs in each worker, after the fork.
        gunicorn_wsgi.Response = QuietResponse  # type: ignore[misc]
        return create_app(self.settings)


def run_production(settings: Settings, host: str, port: int) -> None:
    """Serve until stopped; return once every worker has exited."""
    ProductionServer(settings, host, port).run()
