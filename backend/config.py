"""Read every ``LEARNLOOP_*`` setting in one place, with types and defaults.

A missing or malformed value raises :class:`ConfigError`, which names the variable, so that
start-up stops with a message an operator can act on.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PREFIX = "LEARNLOOP_"
ENVIRONMENTS = ("development", "test", "production")
# English and Welsh, and languages widely spoken among UK social-housing residents.
KNOWN_LOCALES = ("en", "cy", "ar", "bn", "pl", "ro", "so", "ur")
RTL_LOCALES = frozenset({"ar", "ur"})
LANGUAGE_NAMES = {
    "en": "English",
    "cy": "Cymraeg",
    "ar": "العربية",
    "bn": "বাংলা",
    "pl": "Polski",
    "ro": "Română",
    "so": "Soomaali",
    "ur": "اردو",
}


def formatting_locale(locale: str) -> str:
    """The Babel locale for dates and numbers: English here means British English."""
    return "en_GB" if locale == "en" else locale


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")
QUEUE_SCHEMES = ("sqlite", "redis", "rediss", "postgresql", "postgres", "memory")
SMTP_SCHEMES = ("smtp", "smtps", "smtp+starttls", "file")


class ConfigError(Exception):
    """A setting is missing or malformed. ``variable`` is the full environment variable name."""

    def __init__(self, variable: str, problem: str):
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    instance_path: Path = Path("instance")
    database_url: str = "sqlite:///instance/learnloop.sqlite3"
    queue_url: str = "sqlite:///instance/queue.sqlite3"
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:5000"
    smtp_url: str = "file:instance/mail"
    sms_url: str = "file:instance/sms"
    attachments_url: str = "file:instance/attachments"
    # An s3:// attachments store: the service's address (empty: AWS), its region, and the credentials (empty: boto3's
    # usual sources, e.g. AWS_ACCESS_KEY_ID or an instance role); server-side encryption AES256 or aws:kms (or none).
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_access_key_id: str = field(default="", repr=False)
    s3_secret_access_key: str = field(default="", repr=False)
    s3_server_side_encryption: str = ""
    attachment_max_bytes: int = 20 * 1024 * 1024
    attachments_per_contact: int = 10
    mail_from: str = "Learnloop <no-reply@learnloop.invalid>"
    # The sender's block at the top of every letter to post: the landlord's name and its address lines.
    landlord_name: str = "Learnloop Housing"
    landlord_address: tuple[str, ...] = ("1 High Street", "Anytown", "AB1 2CD")
    # Where the landlord publishes its complaints policy; the public "how to complain" page links to it.
    # Empty: the page offers a copy on request instead.
    complaints_policy_url: str = ""
    default_locale: str = "en"
    enabled_locales: tuple[str, ...] = KNOWN_LOCALES
    debug: bool = False
    session_cookie_secure: bool = False
    password_reset_max_age: int = 3600
    email_verify_max_age: int = 7 * 24 * 3600
    sign_in_max_failures: int = 5
    sign_in_window_seconds: int = 900
    sign_in_max_failures_account: int = 50
    sign_in_link_max_age: int = 900
    session_max_age: int = 14 * 24 * 3600
    graphql_max_depth: int = 10
    graphql_max_tokens: int = 2000
    graphql_max_aliases: int = 15
    graphql_max_cost: int = 5_000
    graphql_max_cost_staff: int = 50_000
    graphql_max_batch: int = 1
    graphql_cookie_persisted_only: bool = False
    graphql_time_limit_ms: int = 5000
    rate_limit_per_minute_token: int = 600
    rate_limit_per_minute_ip: int = 300
    account_mail_per_address_per_hour: int = 5
    account_mail_per_client_per_hour: int = 20
    trusted_proxies: int = 0
    email_per_minute: int = 600
    sms_per_minute: int = 120
    bulk_share_percent: int = 50
    messages_per_recipient_per_hour: int = 20
    delivery_lease_seconds: int = 300
    # Anonymous survey answers reach staff only in groups of at least this many, and a results cell (a
    # language or channel) is shown only when at least this many people are in it.
    survey_anonymous_batch_min: int = 5
    # Remedies, outstanding actions and Ombudsman orders: their owners are told this many UK working days before
    # one falls due (and again once it is overdue).
    promise_warning_days: int = 2
    # Improvement actions: their owners are told this many UK days before one falls due; the owner's line manager
    # is told once it is this many days overdue (0: the day it falls overdue, with the owner).
    action_warning_days: int = 5
    # Scrutiny panel meetings: members are reminded this many days before one.
    panel_reminder_days: int = 2
    # Co-creation. A person is invited to at most one survey (of any kind) in this many days (0: no cap).
    survey_cap_days: int = 30
    # Weeks after a change is implemented that the residents it affected are asked whether it made a difference.
    impact_survey_weeks: int = 6
    # Of at least 5 impact answers, the share (per cent) of "yes" and "partly" that confirms a change, and the share
    # of "no" that marks its actions not addressed (which reopens them).
    impact_confirm_percent: int = 60
    impact_not_fixed_percent: int = 40
    # Reports from different people that hide a comment on a change until a moderator looks at it.
    comment_report_limit: int = 3
    # The landlord's logo on public pages and emails: an https address or a path under /static; empty: the name alone.
    landlord_logo_url: str = ""
    action_escalation_days: int = 3
    # An answered stage-1 complaint nobody escalates closes itself this many UK working days after the answer.
    escalation_window_days: int = 20
    # How many complaints closed in a month a quality reviewer scores (the monthly QA's quality checks).
    qa_sample_size: int = 10
    max_body_bytes: int = 1024 * 1024
    # The complaints mailbox: the shared secret a provider's inbound webhook signs or sends (empty: no
    # webhook), the largest email kept, the addresses the receiver takes mail for (empty: any), where
    # `learnloop mail-receiver` listens, and how many emails one sender may have logged in an hour.
    inbound_mail_secret: str = ""
    inbound_mail_max_bytes: int = 25 * 1024 * 1024
    inbound_mail_addresses: tuple[str, ...] = ()
    # The authserv-ids (RFC 8601) of the mail servers whose Authentication-Results headers are believed: a reply
    # joins its case only when the topmost such header says the sender passed DMARC (or DKIM for its own domain).
    # Empty: none are believed, and every email becomes a new contact.
    inbound_authserv_ids: tuple[str, ...] = ()
    mail_receiver_host: str = "127.0.0.1"
    mail_receiver_port: int = 8025
    inbound_mail_per_sender_per_hour: int = 20
    # Mail whose sender our mail server did not vouch for shares one hourly allowance: its From is anyone's to write.
    inbound_mail_unverified_per_hour: int = 200
    hsts_max_age: int = 365 * 24 * 3600
    # `learnloop serve --production`: worker processes (0: two per CPU core, plus one), threads in each, and the
    # seconds a stopping server gives the requests in flight before it cuts them off.
    web_workers: int = 0
    web_threads: int = 4
    web_graceful_timeout: int = 30
    # Where the one JSON line per request goes: "off", "stderr" or "file:<path>"; empty: stderr in production, off
    # elsewhere (see request_log_target).
    request_log: str = ""
    # `learnloop worker`: how long the worker that schedules the periodic tasks holds that job without renewing it.
    scheduler_lease_seconds: int = 60
    # Who may read /metrics: a bearer token, and addresses or networks (CIDR). Neither set: /metrics is not there.
    metrics_token: str = ""
    metrics_allow: tuple[str, ...] = ()
    # The retention schedule (docs/privacy.md): whole years each kind of record keeps the person's details before
    # the nightly sweep erases them and keeps the figures. None: kept for good, which only the word "never" sets.
    retain_complaints_years: int | None = 6
    retain_contacts_years: int | None = 6
    retain_survey_answers_years: int | None = 2
    retain_messages_years: int | None = 2
    retain_cocreation_years: int | None = 3
    retain_closed_accounts_years: int | None = 6
    retain_audit_years: int | None = 7
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def upload_max_bytes(self) -> int:
        """The largest multipart body a route that takes files accepts: every attachment, and room for the form."""
        return self.attachment_max_bytes * self.attachments_per_contact + 2 * 1024 * 1024

    @property
    def web_worker_count(self) -> int:
        """The production server's worker processes: the setting, or two per CPU core plus one."""
        if self.web_workers:
            return self.web_workers
        # The cores this process may run on (a container's share), where the system says; else the machine's.
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return 2 * cores + 1

    @property
    def request_log_target(self) -> str:
        """Where request lines go: ``off``, ``stderr`` or ``file:<path>`` (on in production unless said otherwise)."""
        return self.request_log or ("stderr" if self.is_production else "off")

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **overrides)


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(name, f"expected true or false, got {raw!r}")


def _int(name: str, raw: str, minimum: int = 1) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {value}")
    return value


MAX_RETENTION_YEARS = 100
#: Each retention setting and the attribute it sets, the audit trail's last.
RETENTION_SETTINGS = (
    ("RETAIN_COMPLAINTS_YEARS", "retain_complaints_years"),
    ("RETAIN_CONTACTS_YEARS", "retain_contacts_years"),
    ("RETAIN_SURVEY_ANSWERS_YEARS", "retain_survey_answers_years"),
    ("RETAIN_MESSAGES_YEARS", "retain_messages_years"),
    ("RETAIN_COCREATION_YEARS", "retain_cocreation_years"),
    ("RETAIN_CLOSED_ACCOUNTS_YEARS", "retain_closed_accounts_years"),
    ("RETAIN_AUDIT_YEARS", "retain_audit_years"),
)


def _years(name: str, raw: str) -> int | None:
    """Whole years from 1 to 100, or ``never`` (None). Empty and 0 are refused: keeping personal data for good
    must be said in so many words (UK GDPR article 5(1)(e))."""
    value = raw.strip().lower()
    if value == "never":
        return None
    if value in ("", "0"):
        raise ConfigError(name, "give a number of years from 1, or the word never to keep these records for good")
    years = _int(name, value, minimum=1)
    if years > MAX_RETENTION_YEARS:
        raise ConfigError(name, f"must be at most {MAX_RETENTION_YEARS}, or the word never; got {years}")
    return years


def _retention(values: dict[str, Any], get: Any, name: Any) -> None:
    for key, attr in RETENTION_SETTINGS:
        if (raw := get(key)) is not None:
            values[attr] = _years(name(key), raw)
    audit = values.get("retain_audit_years", Settings.retain_audit_years)
    if audit is None:
        return
    # The audit trail says who did what to a record: it must not lose its details before a record erased by period
    # does. (A record kept for good keeps its own details; its entries may lose theirs.)
    for key, attr in RETENTION_SETTINGS[:-1]:
        kept = values.get(attr, getattr(Settings, attr))
        if kept is not None and kept > audit:
            raise ConfigError(name("RETAIN_AUDIT_YEARS"), f"must be at least {PREFIX}{key} ({kept}), got {audit}")


def _url(name: str, raw: str, schemes: tuple[str, ...]) -> str:
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        raise ConfigError(name, f"unsupported URL scheme {parsed.scheme!r}; expected one of {', '.join(schemes)}")
    if parsed.scheme in ("postgresql", "postgres") and not parsed.path.strip("/"):
        raise ConfigError(name, "a PostgreSQL URL must name a database, e.g. postgresql://host/db")
    if parsed.scheme == "sqlite" and not raw.startswith("sqlite:///"):
        raise ConfigError(name, "a SQLite URL looks like sqlite:///relative/path.sqlite3")
    return raw


def _locales(name: str, raw: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in raw.split(",") if code.strip())
    if not codes:
        raise ConfigError(name, "list at least one locale, e.g. en,cy")
    unknown = [code for code in codes if code not in KNOWN_LOCALES]
    if unknown:
        raise ConfigError(
            name,
            f"no catalogue for {', '.join(unknown)}; available: {', '.join(KNOWN_LOCALES)}",
        )
    return codes


def _address_lines(name: str, raw: str) -> tuple[str, ...]:
    """Address lines separated by ``|`` (environment variables rarely hold newlines well)."""
    lines = tuple(line.strip() for line in raw.split("|") if line.strip())
    if not lines or len(lines) > 8 or any(len(line) > 100 for line in lines):
        raise ConfigError(name, "give 1 to 8 address lines of at most 100 characters, separated by |")
    return lines


def _secret_key(env: str, instance_path: Path, raw: str | None) -> str:
    name = PREFIX + "SECRET_KEY"
    if raw is not None:
        if len(raw) < 32:
            raise ConfigError(name, "must be at least 32 characters long")
        return raw
    if env == "production":
        raise ConfigError(name, "is required in production (generate one with `openssl rand -hex 32`)")
    # Development and test: keep a generated key under instance/ so sessions survive restarts.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _inbound_mail(values: dict[str, Any], get: Any, name: Any) -> None:
    """The complaints mailbox's settings: the webhook's secret, sizes, addresses and the receiver's address."""
    if (raw := get("INBOUND_MAIL_SECRET")) is not None:
        if len(raw) < 32:
            raise ConfigError(name("INBOUND_MAIL_SECRET"), "must be at least 32 characters long")
        values["inbound_mail_secret"] = raw
    if (raw := get("INBOUND_MAIL_ADDRESSES")) is not None:
        addresses = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
        if any("@" not in address or len(address) > 254 for address in addresses):
            raise ConfigError(name("INBOUND_MAIL_ADDRESSES"), "list email addresses separated by commas")
        values["inbound_mail_addresses"] = addresses
    if (raw := get("INBOUND_AUTHSERV_IDS")) is not None:
        ids = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
        if any(len(part) > 255 or not re.fullmatch(r"[a-z0-9._-]+", part) for part in ids):
            raise ConfigError(name("INBOUND_AUTHSERV_IDS"), "list mail server names (authserv-ids) separated by commas")
        values["inbound_authserv_ids"] = ids
    if (raw := get("MAIL_RECEIVER_HOST")) is not None:
        if not raw.strip():
            raise ConfigError(name("MAIL_RECEIVER_HOST"), "give a host name or address to listen on")
        values["mail_receiver_host"] = raw.strip()
    if (raw := get("MAIL_RECEIVER_PORT")) is not None:
        values["mail_receiver_port"] = _int(name("MAIL_RECEIVER_PORT"), raw)
        if values["mail_receiver_port"] > 65535:
            raise ConfigError(name("MAIL_RECEIVER_PORT"), f"must be at most 65535, got {raw}")
    if (raw := get("INBOUND_MAIL_MAX_BYTES")) is not None:
        values["inbound_mail_max_bytes"] = _int(name("INBOUND_MAIL_MAX_BYTES"), raw, minimum=1024)
    if (raw := get("INBOUND_MAIL_PER_SENDER_PER_HOUR")) is not None:
        values["inbound_mail_per_sender_per_hour"] = _int(name("INBOUND_MAIL_PER_SENDER_PER_HOUR"), raw, minimum=0)
    if (raw := get("INBOUND_MAIL_UNVERIFIED_PER_HOUR")) is not None:
        values["inbound_mail_unverified_per_hour"] = _int(name("INBOUND_MAIL_UNVERIFIED_PER_HOUR"), raw, minimum=0)


def _attachments(values: dict[str, Any], get: Any, name: Any) -> None:
    """Where attachments are kept: a folder (file:) or an S3-compatible bucket (s3://bucket/prefix) and its service."""
    if (raw := get("ATTACHMENTS_URL")) is not None:
        scheme = urlparse(raw).scheme
        if scheme not in ("file", "s3"):
            raise ConfigError(name("ATTACHMENTS_URL"), "expected file:<folder> or s3://bucket/prefix")
        if scheme == "s3" and not re.fullmatch(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._/-]{0,200})?", raw):
            raise ConfigError(
                name("ATTACHMENTS_URL"),
                "an S3 address is s3://bucket/prefix: a bucket name of 3 to 63 lower-case letters, digits, dots or "
                "hyphens, and a prefix of letters, digits, '.', '_', '-' and '/'",
            )
        values["attachments_url"] = raw
    if (raw := get("S3_ENDPOINT_URL")) is not None and raw.strip():
        parsed = urlparse(raw.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(raw) > 500:
            raise ConfigError(name("S3_ENDPOINT_URL"), f"expected an http(s) URL, got {raw!r}")
        values["s3_endpoint_url"] = raw.strip().rstrip("/")
    if (raw := get("S3_REGION")) is not None:
        if raw.strip() and not re.fullmatch(r"[a-z0-9-]{1,40}", raw.strip()):
            raise ConfigError(name("S3_REGION"), f"expected a region name such as eu-west-2, got {raw!r}")
        values["s3_region"] = raw.strip()
    key_id, secret = get("S3_ACCESS_KEY_ID") or "", get("S3_SECRET_ACCESS_KEY") or ""
    if bool(key_id) != bool(secret):
        missing = "S3_SECRET_ACCESS_KEY" if key_id else "S3_ACCESS_KEY_ID"
        raise ConfigError(name(missing), "give both the access key id and the secret access key, or neither")
    if len(key_id) > 128 or len(secret) > 128:
        raise ConfigError(name("S3_ACCESS_KEY_ID"), "an access key id or secret is at most 128 characters")
    values["s3_access_key_id"], values["s3_secret_access_key"] = key_id, secret
    if (raw := get("S3_SERVER_SIDE_ENCRYPTION")) is not None:
        if raw.strip() not in ("", "AES256", "aws:kms"):
            raise ConfigError(name("S3_SERVER_SIDE_ENCRYPTION"), f"expected AES256, aws:kms or nothing, got {raw!r}")
        values["s3_server_side_encryption"] = raw.strip()


def _request_log(name: str, raw: str) -> str:
    value = raw.strip()
    if value in ("", "off", "stderr") or (value.startswith("file:") and 5 < len(value) <= 500):
        return value
    raise ConfigError(name, f"expected off, stderr or file:<path>, got {raw!r}")


def _web_server(values: dict[str, Any], get: Any, name: Any) -> None:
    """The production server's and the worker's settings: processes, threads, shutdown, request log, lease."""
    for key, attr, least, most in (
        ("WEB_WORKERS", "web_workers", 0, 256),
        ("WEB_THREADS", "web_threads", 1, 256),
        ("WEB_GRACEFUL_TIMEOUT", "web_graceful_timeout", 1, 3600),
        ("SCHEDULER_LEASE_SECONDS", "scheduler_lease_seconds", 10, 3600),
    ):
        if (raw := get(key)) is not None:
            values[attr] = _int(name(key), raw, minimum=least)
            if values[attr] > most:
                raise ConfigError(name(key), f"must be at most {most}, got {values[attr]}")
    if (raw := get("REQUEST_LOG")) is not None:
        values["request_log"] = _request_log(name("REQUEST_LOG"), raw)


def production_problems(settings: Settings) -> list[str]:
    """Return what makes ``settings`` unfit to serve production traffic, each naming the variable to set.

    :func:`load_settings` already refuses a production start without a secret key or SMTP, or with debug on;
    this adds what only a production server needs: the environment said to be production, and a queue that other
    processes can see.
    """
    problems = []
    if not settings.is_production:
        problems.append(f"{PREFIX}ENV is {settings.env!r}: set {PREFIX}ENV=production")
    if settings.debug:
        problems.append(f"{PREFIX}DEBUG is on: set {PREFIX}DEBUG=off")
    if urlparse(settings.queue_url).scheme == "memory":
        problems.append(f"{PREFIX}QUEUE_URL is memory://, which no worker can read: use sqlite, redis or postgresql")
    return problems


#: At most this many addresses or networks in LEARNLOOP_METRICS_ALLOW.
METRICS_ALLOW_MAX = 50


def _metrics(values: dict[str, Any], get: Any, name: Any) -> None:
    """Who may read /metrics: the bearer token (32 characters or more) and the addresses or networks allowed."""
    if (raw := get("METRICS_TOKEN")) is not None:
        if len(raw) < 32 or len(raw) > 256 or not raw.isprintable() or " " in raw:
            raise ConfigError(name("METRICS_TOKEN"), "give 32 to 256 printable characters without spaces")
        values["metrics_token"] = raw
    if (raw := get("METRICS_ALLOW")) is not None:
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if len(parts) > METRICS_ALLOW_MAX:
            raise ConfigError(name("METRICS_ALLOW"), f"list at most {METRICS_ALLOW_MAX} addresses or networks")
        networks = []
        for part in parts:
            try:
                networks.append(str(ipaddress.ip_network(part, strict=False)))
            except ValueError:
                raise ConfigError(
                    name("METRICS_ALLOW"), f"{part[:60]!r} is not an IP address or network such as 10.0.0.0/8"
                ) from None
        values["metrics_allow"] = tuple(networks)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build :class:`Settings` from ``environ`` (default ``os.environ``) and keyword overrides.

    Raises :class:`ConfigError` naming the first bad variable.
    """
    env_vars = dict(os.environ if environ is None else environ)

    def get(key: str) -> str | None:
        return env_vars.get(PREFIX + key)

    def name(key: str) -> str:
        return PREFIX + key

    env = (get("ENV") or "development").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(name("ENV"), f"expected one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    instance_path = Path(get("INSTANCE_PATH") or "instance").resolve()

    values: dict[str, Any] = {"env": env, "instance_path": instance_path}
    if (raw := get("DATABASE_URL")) is not None:
        values["database_url"] = _url(name("DATABASE_URL"), raw, DATABASE_SCHEMES)
    if (raw := get("QUEUE_URL")) is not None:
        values["queue_url"] = _url(name("QUEUE_URL"), raw, QUEUE_SCHEMES)
    if (raw := get("BASE_URL")) is not None:
        parsed = urlparse(raw)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigError(name("BASE_URL"), f"expected an http(s) URL, got {raw!r}")
        values["base_url"] = raw.rstrip("/")
    if (raw := get("SMTP_URL")) is not None:
        values["smtp_url"] = _url(name("SMTP_URL"), raw, SMTP_SCHEMES)
    elif env == "production":
        raise ConfigError(name("SMTP_URL"), "is required in production, e.g. smtp+starttls://user:pass@host:587")
    if (raw := get("SMS_URL")) is not None:
        if urlparse(raw).scheme != "file":
            raise ConfigError(name("SMS_URL"), "only file:<folder> is built in; other providers plug in as SmsProvider")
        values["sms_url"] = raw
    _attachments(values, get, name)
    if (raw := get("MAIL_FROM")) is not None:
        if "@" not in raw:
            raise ConfigError(name("MAIL_FROM"), f"expected an email address, got {raw!r}")
        values["mail_from"] = raw
    if (raw := get("LANDLORD_NAME")) is not None:
        if not raw.strip() or len(raw) > 200:
            raise ConfigError(name("LANDLORD_NAME"), "give the landlord's name, at most 200 characters")
        values["landlord_name"] = raw.strip()
    if (raw := get("LANDLORD_ADDRESS")) is not None:
        values["landlord_address"] = _address_lines(name("LANDLORD_ADDRESS"), raw)
    if (raw := get("COMPLAINTS_POLICY_URL")) is not None:
        if raw.strip() and (urlparse(raw.strip()).scheme not in ("http", "https") or len(raw) > 500):
            raise ConfigError(name("COMPLAINTS_POLICY_URL"), "give an http(s) address, at most 500 characters")
        values["complaints_policy_url"] = raw.strip()
    if (raw := get("ENABLED_LOCALES")) is not None:
        values["enabled_locales"] = _locales(name("ENABLED_LOCALES"), raw)
    enabled = values.get("enabled_locales", Settings.enabled_locales)
    if (raw := get("DEFAULT_LOCALE")) is not None:
        if raw not in enabled:
            raise ConfigError(
                name("DEFAULT_LOCALE"), f"{raw!r} is not one of the enabled locales ({', '.join(enabled)})"
            )
        values["default_locale"] = raw
    if (raw := get("DEBUG")) is not None:
        values["debug"] = _bool(name("DEBUG"), raw)
    if values.get("debug") and env == "production":
        raise ConfigError(name("DEBUG"), "must not be on in production")
    if (raw := get("GRAPHQL_COOKIE_PERSISTED_ONLY")) is not None:
        values["graphql_cookie_persisted_only"] = _bool(name("GRAPHQL_COOKIE_PERSISTED_ONLY"), raw)
    raw = get("SESSION_COOKIE_SECURE")
    values["session_cookie_secure"] = (
        _bool(name("SESSION_COOKIE_SECURE"), raw) if raw is not None else env == "production"
    )
    for key, attr in (
        ("PASSWORD_RESET_MAX_AGE", "password_reset_max_age"),
        ("EMAIL_VERIFY_MAX_AGE", "email_verify_max_age"),
        ("SIGN_IN_MAX_FAILURES", "sign_in_max_failures"),
        ("SIGN_IN_WINDOW_SECONDS", "sign_in_window_seconds"),
        ("SIGN_IN_MAX_FAILURES_ACCOUNT", "sign_in_max_failures_account"),
        ("SIGN_IN_LINK_MAX_AGE", "sign_in_link_max_age"),
        ("SESSION_MAX_AGE", "session_max_age"),
        ("GRAPHQL_MAX_DEPTH", "graphql_max_depth"),
        ("GRAPHQL_MAX_TOKENS", "graphql_max_tokens"),
        ("GRAPHQL_MAX_ALIASES", "graphql_max_aliases"),
        ("GRAPHQL_MAX_COST", "graphql_max_cost"),
        ("GRAPHQL_MAX_COST_STAFF", "graphql_max_cost_staff"),
        ("GRAPHQL_MAX_BATCH", "graphql_max_batch"),
        ("ATTACHMENT_MAX_BYTES", "attachment_max_bytes"),
        ("ATTACHMENTS_PER_CONTACT", "attachments_per_contact"),
        ("DELIVERY_LEASE_SECONDS", "delivery_lease_seconds"),
        ("MAX_BODY_BYTES", "max_body_bytes"),
    ):
        if (raw := get(key)) is not None:
            values[attr] = _int(name(key), raw)
    if (raw := get("ESCALATION_WINDOW_DAYS")) is not None:
        values["escalation_window_days"] = _int(name("ESCALATION_WINDOW_DAYS"), raw, minimum=1)
    if (raw := get("PANEL_REMINDER_DAYS")) is not None:
        values["panel_reminder_days"] = _int(name("PANEL_REMINDER_DAYS"), raw, minimum=1)
    for key, attr, least in (
        ("SURVEY_CAP_DAYS", "survey_cap_days", 0),
        ("IMPACT_SURVEY_WEEKS", "impact_survey_weeks", 1),
        ("COMMENT_REPORT_LIMIT", "comment_report_limit", 1),
    ):
        if (raw := get(key)) is not None:
            values[attr] = _int(name(key), raw, minimum=least)
    for key, attr in (
        ("IMPACT_CONFIRM_PERCENT", "impact_confirm_percent"),
        ("IMPACT_NOT_FIXED_PERCENT", "impact_not_fixed_percent"),
    ):
        if (raw := get(key)) is not None:
            values[attr] = _int(name(key), raw, minimum=1)
            if values[attr] > 100:
                raise ConfigError(name(key), f"must be at most 100, got {values[attr]}")
    if (raw := get("LANDLORD_LOGO_URL")) is not None:
        logo = raw.strip()
        if logo and not (logo.startswith("https://") or logo.startswith("/static/")) or len(logo) > 500:
            raise ConfigError(
                name("LANDLORD_LOGO_URL"), "give an https address or a /static/ path, at most 500 characters"
            )
        values["landlord_logo_url"] = logo
    if (raw := get("QA_SAMPLE_SIZE")) is not None:
        values["qa_sample_size"] = _int(name("QA_SAMPLE_SIZE"), raw, minimum=1)
    if (raw := get("PROMISE_WARNING_DAYS")) is not None:
        values["promise_warning_days"] = _int(name("PROMISE_WARNING_DAYS"), raw, minimum=0)
    for key, attr in (
        ("ACTION_WARNING_DAYS", "action_warning_days"),
        ("ACTION_ESCALATION_DAYS", "action_escalation_days"),
    ):
        if (raw := get(key)) is not None:
            values[attr] = _int(name(key), raw, minimum=0)
    _inbound_mail(values, get, name)
    _web_server(values, get, name)
    _metrics(values, get, name)
    _retention(values, get, name)
    if (raw := get("SURVEY_ANONYMOUS_BATCH_MIN")) is not None:
        # A group of one would show each answer as it came, which is what the groups are there to prevent.
        values["survey_anonymous_batch_min"] = _int(name("SURVEY_ANONYMOUS_BATCH_MIN"), raw, minimum=2)
    # Zero switches these off.
    for key, attr in (
        ("GRAPHQL_TIME_LIMIT_MS", "graphql_time_limit_ms"),
        ("RATE_LIMIT_PER_MINUTE_TOKEN", "rate_limit_per_minute_token"),
        ("RATE_LIMIT_PER_MINUTE_IP", "rate_limit_per_minute_ip"),
        ("ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR", "account_mail_per_address_per_hour"),
        ("ACCOUNT_MAIL_PER_CLIENT_PER_HOUR", "account_mail_per_client_per_hour"),
        ("TRUSTED_PROXIES", "trusted_proxies"),
        ("EMAIL_PER_MINUTE", "email_per_minute"),
        ("SMS_PER_MINUTE", "sms_per_minute"),
        ("MESSAGES_PER_RECIPIENT_PER_HOUR", "messages_per_recipient_per_hour"),
        ("HSTS_MAX_AGE", "hsts_max_age"),
    ):
        if (raw := get(key)) is not None:
            values[attr] = _int(name(key), raw, minimum=0)
    if (raw := get("BULK_SHARE_PERCENT")) is not None:
        values["bulk_share_percent"] = _int(name("BULK_SHARE_PERCENT"), raw)
        if values["bulk_share_percent"] > 100:
            raise ConfigError(name("BULK_SHARE_PERCENT"), f"must be at most 100, got {raw}")
    values["secret_key"] = overrides.pop("secret_key", None) or _secret_key(env, instance_path, get("SECRET_KEY"))
    values.update(overrides)
    return Settings(**values)


def resolve_sqlite_path(url: str, instance_path: Path) -> Path:
    """Return the file a ``sqlite:///relative/or/absolute`` URL names.

    Relative paths that begin with ``instance/`` are resolved against ``instance_path``.
    """
    path = url[len("sqlite:///") :]
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate
    if candidate.parts and candidate.parts[0] == "instance":
        return instance_path.joinpath(*candidate.parts[1:])
    return candidate.resolve()


_current: Settings | None = None


def set_current(settings: Settings) -> None:
    """Make ``settings`` the ones services read (the composition roots call this)."""
    global _current
    _current = settings


def current() -> Settings:
    """Return the settings installed with :func:`set_current`, loading them from the environment once."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


#: Message catalogues live at the top of the repository, beside the packages.
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
