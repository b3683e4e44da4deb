"""The messages about accounts: what each says by default, and the links they carry (made as each is sent)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from backend.accounts.auth import password_reset_token
from backend.accounts.email_sign_in import sign_in_link_token
from backend.accounts.models import Representation, User
from backend.accounts.services import email_verification_token
from backend.config import current
from backend.i18n import N_
from backend.notifications.catalogue import HELLO, THANKS, EventGroup, EventSpec, Recipient

ACCOUNT_EVENTS = EventGroup()


def _url(path: str, token: str | None = None) -> str:
    return f"{current().base_url}{path}" + (f"?token={quote(token)}" if token else "")


def account_link(recipient: Recipient) -> str:
    """The link an account message carries: a signed verification or reset link, or the reset page."""
    event, user = recipient.event, recipient.subject_user
    if event == "account.registered":
        return _url("/verify-email", email_verification_token(user))
    if event in ("account.password_reset_requested", "account.invited"):
        return _url("/reset-password/confirm", password_reset_token(user))
    if event == "account.sign_in_link_requested":
        return _url("/sign-in/email/confirm", sign_in_link_token(user))
    return _url("/reset-password")


ACCOUNT_EVENTS.add(
    EventSpec(
        "account.registered",
        "account",
        N_("Confirm your email address"),
        (
            HELLO,
            N_(
                "Thank you for registering. Please confirm your email address so that we can keep you up to date with "
                "your feedback and complaints."
            ),
            N_("The link works for 7 days. If you did not register, you can ignore this email."),
        ),
        {"name": "Sam Okafor"},
        N_("Confirm my email address"),
        N_("Sent when someone registers, with the link that confirms their address."),
        link=account_link,
        secret=True,
    )
)
ACCOUNT_EVENTS.add(
    EventSpec(
        "account.registration_repeated",
        "account",
        N_("Someone tried to register with your email address"),
        (
            HELLO,
            N_(
                "Someone tried to create a new account with this email address, but you already have one. "
                "If it was you, you can sign in or reset your password."
            ),
            N_("If it was not you, you do not need to do anything."),
        ),
        {"name": "Sam Okafor"},
        N_("Reset my password"),
        N_("Sent instead of a second account, so registration never reveals an address."),
        link=account_link,
        sample_link="https://example.org/reset-password",
    )
)
ACCOUNT_EVENTS.add(
    EventSpec(
        "account.password_reset_requested",
        "account",
        N_("Reset your password"),
        (
            HELLO,
            N_("We received a request to reset your password."),
            N_(
                "The link works for %(minutes)s minutes and only once. If you did not ask for this, you can "
                "ignore this email: your password has not changed."
            ),
        ),
        {"name": "Sam Okafor", "minutes": "60"},
        N_("Choose a new password"),
        N_("The password reset link."),
        context=lambda payload, user, locale: {"minutes": str(current().password_reset_max_age // 60)},
        link=account_link,
        secret=True,
    )
)
ACCOUNT_EVENTS.add(
    EventSpec(
        "account.invited",
        "account",
        N_("Your Learnloop account is ready"),
        (HELLO, N_("An account has been created for you. Please choose a password to start.")),
        {"name": "Sam Okafor"},
        N_("Choose a password"),
        N_("Sent to someone whose account staff created."),
        link=account_link,
        secret=True,
    )
)
ACCOUNT_EVENTS.add(
    EventSpec(
        "account.password_changed",
        "account",
        N_("Your password was changed"),
        (
            HELLO,
            N_(
                "The password for your account was just changed. Every other device was signed out, and any API "
                "tokens that acted as you stopped working."
            ),
            N_("If this was not you, reset your password now and tell us."),
        ),
        {"name": "Sam Okafor"},
        N_("Reset my password"),
        N_("A security notice after any password change."),
        link=account_link,
        sample_link="https://example.org/reset-password",
    )
)

ACCOUNT_EVENTS.add(
    EventSpec(
        "account.sign_in_link_requested",
        "account",
        N_("Your link to sign in"),
        (
            HELLO,
            N_("We received a request to sign in to your account with a link instead of a password."),
            N_(
                "The link works for %(minutes)s minutes and only once. If you did not ask for this, you can "
                "ignore this email: nobody can sign in without it."
            ),
        ),
        {"name": "Sam Okafor", "minutes": "15"},
        N_("Sign in"),
        N_("The link that signs someone in without their password."),
        context=lambda payload, user, locale: {"minutes": str(current().sign_in_link_max_age // 60)},
        link=account_link,
        secret=True,
    )
)
ACCOUNT_EVENTS.add(
    EventSpec(
        "account.second_factor_reset",
        "account",
        N_("Two-step sign-in was turned off for your account"),
        (
            HELLO,
            N_(
                "An administrator turned off two-step sign-in for your account, as happens when an authenticator "
                "app is lost. Please set it up again from Your account after you next sign in."
            ),
            N_("If you did not ask for this, reset your password now and tell us."),
        ),
        {"name": "Sam Okafor"},
        N_("Reset my password"),
        N_("A security notice when an administrator resets someone's second factor."),
        link=account_link,
        sample_link="https://example.org/reset-password",
    )
)


def _representation_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    rep = Representation.get_or_none(Representation.id == payload.get("representation_id"))
    if rep is None:
        return {"advocate": "", "resident": ""}
    advocate_id, resident_id = rep.advocate_id, rep.resident_id  # type: ignore[attr-defined]  # peewee adds them
    people = User.select(User.id, User.display_name).where(User.id.in_([advocate_id, resident_id]))
    names = {person.id: person.display_name for person in people}
    return {"advocate": names.get(advocate_id, ""), "resident": names.get(resident_id, "")}


REPRESENTATION_VARIABLES = {"name": "Sam Okafor", "advocate": "Alex Advocate", "resident": "Sam Okafor"}


def _representation(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    return ACCOUNT_EVENTS.add(
        EventSpec(
            name,
            "account",
            subject,
            (HELLO, *paragraphs, THANKS),
            REPRESENTATION_VARIABLES,
            description=description,
            context=_representation_values,
        )
    )


_representation(
    "account.representation_recorded",
    N_("%(advocate)s can now act for you"),
    (
        N_(
            "We have recorded that you agreed to %(advocate)s acting for you. They can now see your feedback and "
            "complaints, act on them for you, and receive copies of our messages to you."
        ),
        N_("If you did not agree to this, or you change your mind, tell us and we will stop it at once."),
    ),
    N_("Tells a resident that staff recorded their consent for an advocate."),
)
_representation(
    "account.representation_recorded_advocate",
    N_("You can now act for %(resident)s"),
    (N_("We have recorded that %(resident)s agreed to you acting for them. You can now see their cases."),),
    N_("Tells an advocate that staff recorded a resident's consent for them."),
)
_representation(
    "account.representation_revoked",
    N_("%(advocate)s can no longer act for you"),
    (
        N_(
            "We have recorded that %(advocate)s no longer acts for you. They can no longer see your feedback or "
            "complaints, and they will not receive copies of our messages."
        ),
        N_("If this is a mistake, tell us."),
    ),
    N_("Tells a resident that their consent for an advocate was withdrawn."),
)
_representation(
    "account.representation_revoked_advocate",
    N_("You can no longer act for %(resident)s"),
    (N_("We have recorded that you no longer act for %(resident)s, so you can no longer see their cases."),),
    N_("Tells an advocate that a resident's consent for them was withdrawn."),
)
