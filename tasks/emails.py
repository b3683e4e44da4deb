"""Compose the account emails in the recipient's language."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from backend.accounts.auth import password_reset_token
from backend.accounts.models import User
from backend.accounts.services import email_verification_token
from backend.config import current, text_direction
from tasks.i18n import locale_for, translations


@dataclass(frozen=True)
class Email:
    subject: str
    paragraphs: list[str]
    link_text: str | None = None
    link_url: str | None = None

    def text(self) -> str:
        body = "\n\n".join(self.paragraphs)
        if self.link_url:
            body += f"\n\n{self.link_text}:\n{self.link_url}"
        return body + "\n"

    def html(self, lang: str) -> str:
        parts = [f"<p>{html.escape(p)}</p>" for p in self.paragraphs]
        if self.link_url:
            parts.append(f'<p><a href="{html.escape(self.link_url)}">{html.escape(self.link_text or "")}</a></p>')
        return (
            f'<!doctype html><html lang="{lang}" dir="{text_direction(lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.subject)}</title></head><body>{''.join(parts)}</body></html>"
        )


def _url(path: str, token: str | None = None) -> str:
    base = current().base_url
    return f"{base}{path}" + (f"?token={quote(token)}" if token else "")


def compose(event_name: str, user: User) -> tuple[Email, str] | None:
    """Return the email for an account event and its language, or None when it sends nothing."""
    lang = locale_for(user.locale)
    t = translations(lang)
    _: Callable[[str], str] = t.gettext
    hello = _("Hello %(name)s,") % {"name": user.display_name}
    thanks = _("Thank you for using Learnloop.")
    if event_name == "account.registered":
        email = Email(
            _("Confirm your email address"),
            [
                hello,
                _(
                    "Thank you for registering. Please confirm your email address so that we can "
                    "keep you up to date with your feedback and complaints."
                ),
                _("The link works for 7 days. If you did not register, you can ignore this email."),
            ],
            _("Confirm my email address"),
            _url("/verify-email", email_verification_token(user)),
        )
    elif event_name == "account.registration_repeated":
        email = Email(
            _("Someone tried to register with your email address"),
            [
                hello,
                _(
                    "Someone tried to create a new account with this email address, but you "
                    "already have one. If it was you, you can sign in or reset your password."
                ),
                _("If it was not you, you do not need to do anything."),
            ],
            _("Reset my password"),
            _url("/reset-password"),
        )
    elif event_name == "account.password_reset_requested":
        minutes = current().password_reset_max_age // 60
        email = Email(
            _("Reset your password"),
            [
                hello,
                _("We received a request to reset your password."),
                _(
                    "The link works for %(minutes)s minutes and only once. If you did not ask for this, "
                    "you can ignore this email: your password has not changed."
                )
                % {"minutes": minutes},
            ],
            _("Choose a new password"),
            _url("/reset-password/confirm", password_reset_token(user)),
        )
    elif event_name == "account.invited":
        email = Email(
            _("Your Learnloop account is ready"),
            [hello, _("An account has been created for you. Please choose a password to start.")],
            _("Choose a password"),
            _url("/reset-password/confirm", password_reset_token(user)),
        )
    elif event_name == "account.password_changed":
        email = Email(
            _("Your password was changed"),
            [
                hello,
                _("The password for your account was just changed, and every other device was signed out."),
                _("If this was not you, reset your password now and tell us."),
            ],
            _("Reset my password"),
            _url("/reset-password"),
        )
    else:
        return None
    email.paragraphs.append(thanks)
    return email, lang
