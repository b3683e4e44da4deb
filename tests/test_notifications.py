"""Account emails: composed in the recipient's language, sent over real SMTP, once per event."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from backend import config
from backend.accounts import auth, services
from backend.events.models import Delivery, OutboxEvent
from backend.notifications.catalogue import register
from backend.notifications.registry import EVENTS
from tasks.dispatch import dispatch_event, sweep_outbox
from tests import factories
from tests.conftest import read_mail


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def authenticator(_server: Any, _session: Any, _envelope: Any, _mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"mailer", b"s3cret")
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False)
    controller.start()
    monkeypatch.setattr(
        config, "_current", config.current().with_overrides(smtp_url=f"smtp://mailer:s3cret@127.0.0.1:{port}")
    )
    yield inbox
    controller.stop()


def test_password_reset_email_goes_over_smtp_with_text_and_html_parts(smtp_server: Inbox) -> None:
    user = factories.make_user()
    auth.request_password_reset(user.email)
    (message,) = smtp_server.messages
    assert message["To"] == user.email
    assert message["Subject"] == "Reset your password"
    assert message.get_body(preferencelist=("plain",)).get_content().count("/reset-password/confirm?token=") == 1
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="en" dir="ltr">' in html and "Choose a new password" in html


def test_email_is_written_in_the_recipients_language(smtp_server: Inbox) -> None:
    user = factories.make_user(locale="cy")
    auth.request_password_reset(user.email)
    (message,) = smtp_server.messages
    assert message["Subject"] != "Reset your password"
    assert '<html lang="cy" dir="ltr">' in message.get_body(preferencelist=("html",)).get_content()


def test_dispatching_an_event_twice_sends_one_email(smtp_server: Inbox) -> None:
    user = factories.make_user()
    auth.request_password_reset(user.email)
    event = OutboxEvent.get(OutboxEvent.name == "account.password_reset_requested")
    OutboxEvent.update(dispatched_at=None).where(OutboxEvent.id == event.id).execute()  # as if a crash
    dispatch_event.call_local(event.id)
    assert len(smtp_server.messages) == 1
    assert Delivery.get(Delivery.event == event).status == "sent"


def test_failed_delivery_is_retried_by_the_sweep(monkeypatch: pytest.MonkeyPatch, mail_dir: Path) -> None:
    import datetime as dt

    monkeypatch.setattr(config, "_current", config.current().with_overrides(smtp_url="smtp://127.0.0.1:1"))
    user = factories.make_user()
    auth.request_password_reset(user.email)
    event = OutboxEvent.get(OutboxEvent.name == "account.password_reset_requested")
    delivery = Delivery.get(Delivery.event == event)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.next_attempt_at > delivery.created_at  # backs off before the next try
    assert sweep_outbox.call_local() == 0  # not due yet
    monkeypatch.setattr(config, "_current", config.current().with_overrides(smtp_url=f"file:{mail_dir}"))
    Delivery.update(next_attempt_at=delivery.next_attempt_at - dt.timedelta(hours=1)).where(
        Delivery.id == delivery.id
    ).execute()
    assert sweep_outbox.call_local() == 1
    assert len(read_mail(mail_dir)) == 1
    assert Delivery.get_by_id(delivery.id).status == "sent"
    assert sweep_outbox.call_local() == 0  # nothing goes out twice


def test_invited_account_gets_a_link_to_choose_a_password(mail_dir: Path) -> None:
    from backend.context import SYSTEM

    services.create_user(SYSTEM, "invited@example.org", "Invited", ["staff"])
    (message,) = read_mail(mail_dir)
    assert message["Subject"] == "Your Learnloop account is ready"


def test_arabic_email_is_right_to_left(smtp_server: Inbox) -> None:
    user = factories.make_user(locale="ar")
    auth.request_password_reset(user.email)
    (message,) = smtp_server.messages
    assert '<html lang="ar" dir="rtl">' in message.get_body(preferencelist=("html",)).get_content()


# --- Each domain declares its own events; the registry holds them all --------------------------------


@pytest.mark.parametrize("entry", ["backend.notifications.services", "backend.notifications.sending", "tasks.dispatch"])
def test_every_domains_events_are_there_whichever_module_is_imported_first(entry: str) -> None:
    code = f"import {entry}\nfrom backend.notifications.catalogue import EVENTS\nprint(sorted({{n.split('.')[0] for n in EVENTS}}))"
    root = Path(__file__).resolve().parent.parent
    kinds = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert (
        kinds.strip()
        == "['account', 'block', 'cocreation', 'complaint', 'feedback', 'hazard', 'lessons', 'panels', 'privacy', 'reports', 'survey']"
    )


def test_two_events_of_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match="complaint.responded"):
        register(EVENTS["complaint.responded"])
