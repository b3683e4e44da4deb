"""The ``learnloop`` command, run as a separate process against its own instance folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(instance: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEARNLOOP_")}
    environ.update(
        {
            "LEARNLOOP_INSTANCE_PATH": str(instance),
            "LEARNLOOP_QUEUE_URL": f"sqlite:///{instance}/q.sqlite3",
            "LEARNLOOP_DATABASE_URL": f"sqlite:///{instance}/db.sqlite3",
        }
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    assert run(folder, "migrate").returncode == 0
    return folder


def test_migrate_twice_reports_up_to_date(instance: Path) -> None:
    result = run(instance, "migrate")
    assert result.returncode == 0 and "up to date" in result.stdout
    status = run(instance, "migrate", "--status")
    assert "0001_initial" in status.stdout and "pending" not in status.stdout


def test_demo_is_idempotent_and_prints_the_sign_ins(instance: Path) -> None:
    first, second = run(instance, "demo"), run(instance, "demo")
    assert first.returncode == second.returncode == 0
    for email in (
        "resident@example.org",
        "staff@example.org",
        "manager@example.org",
        "panel@example.org",
        "admin@example.org",
    ):
        assert email in second.stdout
    assert "demo-password" in second.stdout
    listing = run(instance, "users", "list").stdout
    assert listing.count("resident@example.org") == 1


def test_demo_is_refused_in_production(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "demo",
        LEARNLOOP_ENV="production",
        LEARNLOOP_SECRET_KEY="k" * 40,
        LEARNLOOP_SMTP_URL="smtp://127.0.0.1:25",
    )
    assert result.returncode != 0


def test_bad_setting_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", LEARNLOOP_DATABASE_URL="mysql://x/y")
    assert result.returncode != 0
    assert "LEARNLOOP_DATABASE_URL" in result.stderr


def test_users_create_and_tokens_create(instance: Path) -> None:
    created = run(
        instance,
        "users",
        "create",
        "--email",
        "tool-owner@example.org",
        "--name",
        "Tool Owner",
        "--role",
        "staff",
        "--password",
        "a long enough password",
    )
    assert created.returncode == 0, created.stderr
    token = run(
        instance, "tokens", "create", "--email", "tool-owner@example.org", "--scope", "read", "--name", "Reporting"
    )
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("llt_")
    listing = run(instance, "tokens", "list").stdout
    assert "Reporting" in listing and secret not in listing
    token_id = listing.strip().splitlines()[-1].split()[0]
    assert run(instance, "tokens", "revoke", token_id).returncode == 0
    assert "revoked" in run(instance, "tokens", "list").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("users", "create", "--email", "bad", "--name", "X", "--role", "staff"), "email"),
        (("users", "create", "--email", "admin@example.org", "--name", "X", "--role", "staff"), "email taken"),
        (
            ("users", "create", "--email", "x@example.org", "--name", "X\nPay: https://e.example", "--role", "staff"),
            "hidden",
        ),
        (("tokens", "create", "--email", "nobody@example.org", "--scope", "read"), "no user"),
    ],
)
def test_cli_bad_input_gets_a_clear_error(instance: Path, args: tuple[str, ...], message: str) -> None:
    run(instance, "demo")
    result = run(instance, *args)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_serve_refuses_while_demo_accounts_exist(instance: Path) -> None:
    run(instance, "demo")
    result = run(
        instance,
        "serve",
        "--port",
        "0",
        LEARNLOOP_ENV="production",
        LEARNLOOP_SECRET_KEY="k" * 40,
        LEARNLOOP_SMTP_URL="smtp://127.0.0.1:25",
    )
    assert result.returncode != 0
    assert "Demo accounts exist" in result.stderr


def test_users_reset_second_factor_turns_it_off(instance: Path) -> None:
    import sqlite3

    email = "lost-phone@example.org"
    created = run(
        instance,
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Lost",
        "--role",
        "admin",
        "--password",
        "a long enough password",
    )
    assert created.returncode == 0, created.stderr
    user_id = int(created.stdout.split()[2])
    not_on = run(instance, "users", "reset-second-factor", "--email", email)
    assert not_on.returncode != 0 and "second factor not enabled" in not_on.stderr
    with sqlite3.connect(instance / "db.sqlite3") as conn:
        conn.execute(
            "INSERT INTO second_factor (user_id, secret, created_at, confirmed_at) VALUES (?, 'JBSWY3DPEHPK3PXP', '2026-01-01', '2026-01-01')",
            (user_id,),
        )
    done = run(instance, "users", "reset-second-factor", "--email", email)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(instance / "db.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM second_factor").fetchone() == (0,)
