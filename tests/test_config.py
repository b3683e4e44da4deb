"""Settings: defaults, types, and a start-up error that names the bad variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.config import KNOWN_LOCALES, ConfigError, load_settings


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    base = {"LEARNLOOP_INSTANCE_PATH": str(tmp_path)}
    base.update({f"LEARNLOOP_{k}": v for k, v in values.items()})
    return base


def test_load_settings_defaults_to_embedded_sqlite(tmp_path: Path) -> None:
    settings = load_settings(env(tmp_path))
    assert settings.env == "development"
    assert settings.database_url == "sqlite:///instance/learnloop.sqlite3"
    assert settings.queue_url == "sqlite:///instance/queue.sqlite3"
    assert settings.enabled_locales == KNOWN_LOCALES
    assert settings.default_locale == "en"
    assert not settings.session_cookie_secure


def test_load_settings_in_development_generates_and_keeps_a_secret_key(tmp_path: Path) -> None:
    first = load_settings(env(tmp_path)).secret_key
    second = load_settings(env(tmp_path)).secret_key
    assert len(first) >= 32
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_load_settings_in_production_requires_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(env(tmp_path, ENV="production", SMTP_URL="smtp://mail.example.org"))
    assert error.value.variable == "LEARNLOOP_SECRET_KEY"


def test_load_settings_in_production_requires_smtp(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(env(tmp_path, ENV="production", SECRET_KEY="k" * 40))
    assert error.value.variable == "LEARNLOOP_SMTP_URL"


def test_load_settings_in_production_secures_cookies(tmp_path: Path) -> None:
    settings = load_settings(env(tmp_path, ENV="production", SECRET_KEY="k" * 40, SMTP_URL="smtp://mail.example.org"))
    assert settings.session_cookie_secure


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ENV", "staging"),
        ("DATABASE_URL", "mysql://localhost/learnloop"),
        ("DATABASE_URL", "postgresql://localhost"),
        ("DATABASE_URL", "sqlite:learnloop.db"),
        ("QUEUE_URL", "amqp://localhost"),
        ("BASE_URL", "learnloop.example.org"),
        ("SMTP_URL", "http://mail.example.org"),
        ("ENABLED_LOCALES", "en,fr"),
        ("ENABLED_LOCALES", " , "),
        ("DEFAULT_LOCALE", "fr"),
        ("SECRET_KEY", "short"),
        ("DEBUG", "maybe"),
        ("SIGN_IN_MAX_FAILURES", "five"),
        ("SIGN_IN_MAX_FAILURES", "0"),
        ("SESSION_COOKIE_SECURE", "sometimes"),
        ("MAIL_FROM", "not-an-address"),
        ("SURVEY_ANONYMOUS_BATCH_MIN", "five"),
        ("SURVEY_ANONYMOUS_BATCH_MIN", "1"),
        ("PROMISE_WARNING_DAYS", "two"),
        ("PROMISE_WARNING_DAYS", "-1"),
        ("ESCALATION_WINDOW_DAYS", "0"),
        ("ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR", "five"),
        ("ACCOUNT_MAIL_PER_CLIENT_PER_HOUR", "-1"),
    ],
)
def test_load_settings_with_bad_value_names_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(env(tmp_path, **{variable: value}))
    assert error.value.variable == f"LEARNLOOP_{variable}"
    assert f"LEARNLOOP_{variable}" in str(error.value)


def test_load_settings_reads_the_anonymous_survey_batch_minimum(tmp_path: Path) -> None:
    assert load_settings(env(tmp_path)).survey_anonymous_batch_min == 5
    assert load_settings(env(tmp_path, SURVEY_ANONYMOUS_BATCH_MIN="12")).survey_anonymous_batch_min == 12


def test_load_settings_reads_the_promise_warning_and_the_escalation_window(tmp_path: Path) -> None:
    settings = load_settings(env(tmp_path))
    assert (settings.promise_warning_days, settings.escalation_window_days) == (2, 20)
    settings = load_settings(env(tmp_path, PROMISE_WARNING_DAYS="0", ESCALATION_WINDOW_DAYS="40"))
    assert (settings.promise_warning_days, settings.escalation_window_days) == (0, 40)


def test_load_settings_reads_the_panel_reminder_days(tmp_path: Path) -> None:
    assert load_settings(env(tmp_path)).panel_reminder_days == 2
    assert load_settings(env(tmp_path, PANEL_REMINDER_DAYS="5")).panel_reminder_days == 5
    with pytest.raises(ConfigError, match="LEARNLOOP_PANEL_REMINDER_DAYS"):
        load_settings(env(tmp_path, PANEL_REMINDER_DAYS="0"))


def test_load_settings_accepts_postgres_and_redis(tmp_path: Path) -> None:
    settings = load_settings(
        env(tmp_path, DATABASE_URL="postgresql://db.internal/learnloop", QUEUE_URL="redis://cache.internal:6379/0")
    )
    assert settings.database_url.startswith("postgresql://")
    assert settings.queue_url.startswith("redis://")


def test_debug_is_refused_in_production(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(env(tmp_path, ENV="production", SECRET_KEY="k" * 40, SMTP_URL="smtp://m", DEBUG="1"))
    assert error.value.variable == "LEARNLOOP_DEBUG"


def test_account_mail_limits_default_and_zero_turns_them_off(tmp_path: Path) -> None:
    defaults = load_settings(env(tmp_path))
    assert (defaults.account_mail_per_address_per_hour, defaults.account_mail_per_client_per_hour) == (5, 20)
    off = load_settings(env(tmp_path, ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR="0", ACCOUNT_MAIL_PER_CLIENT_PER_HOUR="0"))
    assert (off.account_mail_per_address_per_hour, off.account_mail_per_client_per_hour) == (0, 0)
