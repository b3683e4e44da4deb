"""The composition root: ``create_app`` wires settings, database, queue, GraphQL and the three areas."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from flask import Flask, g, request, session
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from backend import config as config_module
from backend.accounts.models import User
from backend.accounts.phone import set_code_sender
from backend.config import (
    LANGUAGE_NAMES,
    LOCALES_DIR,
    Settings,
    formatting_locale,
    load_settings,
    text_direction,
)
from backend.db import connection, db, init_database
from backend.events.services import set_dispatcher
from portal.accounts import bp as accounts_bp
from portal.accounts.forms import CHANNEL_CHOICES
from portal.bodies import register_body_limits
from portal.cocreation import bp as cocreation_bp
from portal.complaints import labels as case_labels
from portal.complaints.cases import bp as cases_bp
from portal.complaints.howto import bp as howto_bp
from portal.console import bp as console_bp
from portal.errors import register_error_handlers
from portal.extensions import babel, csrf, login_manager
from portal.graphql_view import register_graphql
from portal.health import OperationsEndpoints
from portal.inbox import bp as inbox_bp
from portal.mailbox import bp as mailbox_bp
from portal.metrics import ROUTE_KEY
from portal.panel import bp as panel_bp
from portal.reports import bp as reports_bp
from portal.request_log import RequestLog
from portal.resident import bp as resident_bp
from portal.scrutiny import bp as scrutiny_bp
from portal.security import current_actor, load_user, pending_locale
from portal.surveys import bp as surveys_bp
from schema.app import build_engine
from tasks.dispatch import enqueue_dispatch
from tasks.phone import enqueue_phone_code
from tasks.queue import configure_queue

logger = logging.getLogger(__name__)
UK_TIME = ZoneInfo("Europe/London")
#: No page uses these, so no page (or anything injected into one) may.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


class DemoAccountsPresent(RuntimeError):
    """A production start found demo accounts, whose passwords are public."""


def _settings_from(config: Settings | Mapping[str, Any] | None) -> tuple[Settings, dict[str, Any]]:
    if isinstance(config, Settings):
        return config, {}
    overrides = dict(config or {})
    flask_keys = {k: overrides.pop(k) for k in list(overrides) if k.isupper()}
    return load_settings(**overrides), flask_keys


def select_locale() -> str:
    """The user's stored preference, then the session's choice, then Accept-Language, then the default.

    Someone between their password and their second-factor code counts as that user already.
    """
    settings: Settings = config_module.current()
    enabled = settings.enabled_locales
    if current_user.is_authenticated and current_user.user.locale in enabled:
        return current_user.user.locale
    # While the database is out of reach the waiting person's account can't be read (see portal.errors).
    waiting = None if current_user.is_authenticated or g.get("database_unavailable") else pending_locale()
    if waiting is not None and waiting in enabled:
        return waiting
    chosen = session.get("locale")
    if chosen in enabled:
        return chosen
    if g.get("link_locale") in enabled:
        return str(g.link_locale)  # the account an emailed link is for (see portal.security.speak_as)
    return request.accept_languages.best_match(enabled) or settings.default_locale


class RowId(IntegerConverter):
    """``<int:...>`` in a route: a number no larger than a row id can be (PostgreSQL's integer), so a longer one
    is a page that is not there (404), not a database error."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(url_map, *args, **kwargs)


ROW_ID_MAX = 2**31 - 1


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the application. ``config`` is a :class:`Settings`, or overrides for one.

    Upper-case keys in a mapping go straight into ``app.config`` (``TESTING``, for example).
    """
    settings, flask_overrides = _settings_from(config)
    config_module.set_current(settings)
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=False)
    app.url_map.converters["int"] = RowId  # before any route is added
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DEBUG=settings.debug,
        SESSION_COOKIE_NAME="learnloop_session",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=settings.session_max_age),
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_TRANSLATION_DIRECTORIES=str(LOCALES_DIR),
        LEARNLOOP=settings,
    )
    app.config.update(flask_overrides)
    # Inside ProxyFix: /metrics's address check sees the client's address as the app does.
    app.wsgi_app = OperationsEndpoints(app.wsgi_app, settings)  # type: ignore[method-assign]
    if settings.trusted_proxies:
        # Rate limits and the sign-in throttle need the client's address, not the proxy's.
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=settings.trusted_proxies,  # type: ignore[method-assign]
            x_proto=settings.trusted_proxies,
        )

    RequestLog().init_app(app, settings)  # first: its clock and request id come before every other hook
    database = init_database(settings.database_url, settings.instance_path)
    configure_queue(settings)
    set_dispatcher(enqueue_dispatch)
    set_code_sender(enqueue_phone_code)
    if settings.is_production:
        refuse_demo_accounts(database)

    babel.init_app(app, locale_selector=select_locale)
    _register_connection_hooks(app)  # first: the body limit looks up who is asking
    login_manager.init_app(app)
    _configure_login(app)
    register_body_limits(app, settings)  # before CSRF protection, which reads forms in its own hook
    csrf.init_app(app)
    _register_request_hooks(app)

    engine = build_engine(settings)
    app.extensions["learnloop.engine"] = engine
    register_graphql(app, engine)
    _register_blueprints(app)
    _register_template_globals(app, settings)
    register_error_handlers(app)
    return app


def refuse_demo_accounts(database: Any) -> None:
    with connection(database):
        if User.table_exists() and User.select().where(User.is_demo == True).exists():  # noqa: E712
            raise DemoAccountsPresent(
                "Demo accounts exist in this database and their passwords are public. "
                "Remove them with `learnloop demo --remove` before starting in production."
            )


def _configure_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def _register_connection_hooks(app: Flask) -> None:
    @app.before_request
    def open_connection() -> None:
        # The URL rule, never the path, labels the request's metrics (see portal.health).
        request.environ[ROUTE_KEY] = request.url_rule.rule if request.url_rule is not None else None
        if db.is_closed():
            db.connect()
            g.opened_connection = True

    @app.teardown_request
    def close_connection(_exc: BaseException | None) -> None:
        if g.pop("opened_connection", False) and not db.is_closed():
            db.close()


def _register_request_hooks(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'",
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if current_user.is_authenticated or "Authorization" in request.headers or request.endpoint == "graphql":
            # Signed-in pages, and API answers (bearer tokens' above all), are nobody else's to keep.
            response.headers.setdefault("Cache-Control", "no-store")
        settings: Settings = config_module.current()
        if settings.is_production and settings.hsts_max_age and request.is_secure:
            # Only over HTTPS, as seen through LEARNLOOP_TRUSTED_PROXIES behind a proxy that ends TLS.
            response.headers.setdefault("Strict-Transport-Security", f"max-age={settings.hsts_max_age}")
        return response


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(accounts_bp)
    app.register_blueprint(resident_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(howto_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(mailbox_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(scrutiny_bp)
    app.register_blueprint(cocreation_bp)
    app.register_blueprint(panel_bp, url_prefix="/panel")
    app.register_blueprint(console_bp, url_prefix="/console")


def _register_template_globals(app: Flask, settings: Settings) -> None:
    role_labels = {
        "resident": _l("Resident"),
        "advocate": _l("Advocate"),
        "panel_member": _l("Scrutiny panel member"),
        "staff": _l("Case handler"),
        "manager": _l("Manager"),
        "admin": _l("Administrator"),
    }

    nation_labels = {
        "england": _l("England"),
        "wales": _l("Wales"),
        "scotland": _l("Scotland"),
        "northern_ireland": _l("Northern Ireland"),
    }
    channel_labels = {choice.value: choice.label for choice in CHANNEL_CHOICES}

    @app.template_filter("number_text")
    def number_text(value: Any) -> str:
        """A number written the way the viewer's language writes it (decimal mark, grouping)."""
        if value is None or value == "":
            return ""
        return format_decimal(value, locale=formatting_locale(str(get_locale() or settings.default_locale)))

    @app.template_filter("filesizeformat")
    def file_size_text(value: Any) -> str:
        """A file's size in the viewer's language and number format: "45 bytes", "1.2 kB" (powers of 1,000)."""
        size = float(value or 0)
        locale = formatting_locale(str(get_locale() or settings.default_locale))
        if size < 1000:
            return ngettext("%(num)s byte", "%(num)s bytes", int(size))
        units = (_("%(size)s kB"), _("%(size)s MB"), _("%(size)s GB"), _("%(size)s TB"))
        for unit in units:
            size /= 1000
            if size < 1000 or unit is units[-1]:
                return unit % {"size": format_decimal(round(size, 1), format="#,##0.#", locale=locale)}
        return ""  # pragma: no cover - the loop always returns

    @app.template_filter("date_text")
    def date_text(value: Any) -> str:
        """A calendar date written in full the viewer's way (due dates are days, not moments)."""
        if not value:
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        return format_date(value, "long", locale=formatting_locale(str(get_locale() or settings.default_locale)))

    @app.template_filter("datetime_text")
    def datetime_text(value: Any) -> str:
        if not value:
            return ""
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        locale = formatting_locale(str(get_locale() or settings.default_locale))
        # Stored in UTC; shown in UK time, which is what residents and staff read.
        return babel_format_datetime(value, "medium", tzinfo=UK_TIME, locale=locale)

    @app.template_filter("meeting_time")
    def meeting_time(value: Any) -> str:
        """When a meeting starts: the day in full and the time in hours and minutes (no seconds), in UK time."""
        if not value:
            return ""
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        locale = formatting_locale(str(get_locale() or settings.default_locale))
        local = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(UK_TIME)
        day = format_date(local.date(), "full", locale=locale)
        return _("%(day)s at %(time)s") % {"day": day, "time": format_time(local, "short", locale=locale)}

    @app.context_processor
    def inject() -> dict[str, Any]:
        locale = str(get_locale() or settings.default_locale)
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "languages": [
                (code, LANGUAGE_NAMES.get(code, code), text_direction(code)) for code in settings.enabled_locales
            ],
            "actor": current_actor(),
            # The landlord's brand, not the product's, names every page (titles, header, footer).
            "landlord_name": settings.landlord_name,
            "landlord_logo_url": settings.landlord_logo_url,
            "landlord_address": settings.landlord_address,
            "role_labels": role_labels,
            "nation_labels": nation_labels,
            "channel_labels": channel_labels,
            **case_labels.template_globals(),
        }
