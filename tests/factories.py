"""One factory per model. Each returns a saved row with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from backend.accounts.models import (
    ApiToken,
    Home,
    Landlord,
    Representation,
    SignInFailure,
    User,
    UserRole,
    UserSession,
)
from backend.accounts.passwords import hash_password
from backend.accounts.tokens import create_token
from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.context import SYSTEM
from backend.events.models import Delivery, OutboxEvent
from backend.ratelimit.models import RateLimitWindow
from backend.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRule,
)
from backend.timeutil import utcnow

PASSWORD = "correct horse battery"
_seq = itertools.count(1)

# Hashing is deliberately slow; tests share one hash of the common password.
_PASSWORD_HASH = hash_password(PASSWORD)


def make_landlord(name: str | None = None) -> Landlord:
    return Landlord.create(name=name or f"Landlord {next(_seq)}")


def make_home(nation: str = "england", tenure: str = "rented", landlord: Landlord | None = None) -> Home:
    n = next(_seq)
    return Home.create(
        landlord=landlord or make_landlord(),
        reference=f"H-{n:05d}",
        address=f"{n} Test Street",
        postcode="LS1 1AA",
        nation=nation,
        tenure=tenure,
    )


def make_user(
    *roles: str,
    email: str | None = None,
    password: str | None = PASSWORD,
    locale: str | None = None,
    verified: bool = True,
    home: Home | None = None,
    active: bool = True,
) -> User:
    n = next(_seq)
    user = User.create(
        email=email or f"person{n}@example.net",
        display_name=f"Person {n}",
        password_hash=(_PASSWORD_HASH if password == PASSWORD else hash_password(password)) if password else None,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
        home=home,
        is_active=active,
    )
    for role in roles or ("resident",):
        UserRole.create(user=user, role=role)
    return user


def make_token(user: User | None = None, scope: str = "read") -> tuple[ApiToken, str]:
    user = user or make_user("staff")
    return create_token(SYSTEM, user.email, scope, f"tool {next(_seq)}")


def make_representation(advocate: User, resident: User) -> Representation:
    return Representation.create(advocate=advocate, resident=resident, consent_method="written")


def make_session(user: User | None = None) -> tuple[UserSession, str]:
    """Return a live session and its key, as sign-in would create them."""
    from backend.accounts.auth import start_session

    user = user or make_user()
    key = start_session(user)
    return UserSession.select().where(UserSession.user == user).order_by(UserSession.id.desc()).get(), key


def make_sign_in_failure(email: str = "someone@example.net") -> SignInFailure:
    import hashlib

    return SignInFailure.create(key_hash=hashlib.sha256(f"email:{email}".encode()).hexdigest())


def make_audit_event(action: str = "test.happened", entity_id: int = 1) -> AuditEvent:
    return record_audit(SYSTEM, action, "test", entity_id, {"field": {"before": 1, "after": 2}})


def make_outbox_event(name: str = "test.happened", **payload: object) -> OutboxEvent:
    return OutboxEvent.create(name=name, payload=payload)


def make_delivery(event: OutboxEvent | None = None, channel: str = "email", user: User | None = None) -> Delivery:
    event = event or make_outbox_event()
    user = user or make_user()
    return Delivery.create(
        event=event, idempotency_key=f"{event.id}:{user.id}:{channel}", channel=channel, recipient_user_id=user.id
    )


def make_rate_limit_window(key: str = "ip:192.0.2.1", hits: int = 1) -> RateLimitWindow:
    from backend.ratelimit.services import hit

    hit(key, limit=1_000_000, window_seconds=60, amount=hits)
    return RateLimitWindow.select().order_by(RateLimitWindow.id.desc()).get()


def make_message_template(
    event: str = "account.password_changed", channel: str = "email", locale: str = "en", body: str = "Hello {{ name }}."
) -> Any:
    from backend.notifications.models import MessageTemplate

    return MessageTemplate.create(event=event, channel=channel, locale=locale, subject="Notice", body=body)


def make_preference(user: User | None = None, topic: str = "changes", frequency: str = "weekly") -> Any:
    from backend.notifications.models import Preference

    return Preference.create(user=user or make_user(), topic=topic, frequency=frequency)


def make_channel_status(user: User | None = None, channel: str = "email") -> Any:
    from backend.notifications.models import ChannelStatus

    return ChannelStatus.create(user=user or make_user(), channel=channel, reason="550 no such user")


def make_portal_message(user: User | None = None) -> Any:
    from backend.notifications.models import PortalMessage

    return PortalMessage.create(user=user or make_user(), subject="We have your feedback", body="Thank you.")


def make_letter(user: User | None = None) -> Any:
    from backend.notifications.models import Letter

    return Letter.create(
        user=user or make_user(),
        address="1 Test Street\nLS1 1AA",
        subject="Your complaint",
        body="Thank you for telling us.",
    )


def make_survey(status: str = "live", anonymous: bool = True, **values: object) -> Survey:
    title = values.pop("title", {"en": f"Survey {next(_seq)}", "cy": "Arolwg"})
    return Survey.create(title=title, status=status, anonymous=anonymous, **values)


def make_survey_question(
    survey: Survey | None = None,
    kind: str = "rating",
    text: dict[str, str] | None = None,
    options: list[dict[str, object]] | None = None,
    required: bool = False,
    condition: dict[str, object] | None = None,
) -> SurveyQuestion:
    survey = survey or make_survey()
    last = SurveyQuestion.select().where(SurveyQuestion.survey == survey).count()
    if options is None and kind in ("single", "multiple"):
        options = [
            {"value": "repairs", "label": {"en": "Repairs", "cy": "Atgyweiriadau"}},
            {"value": "noise", "label": {"en": "Noise"}},
            {"value": "rent", "label": {"en": "Rent"}},
        ]
    return SurveyQuestion.create(
        survey=survey,
        position=last + 1,
        kind=kind,
        text=text or {"en": f"Question {next(_seq)}", "cy": "Cwestiwn"},
        options=options or [],
        required=required,
        condition=condition,
    )


def make_survey_rule(survey: Survey | None = None, event_name: str = "complaint.closed", days: int = 0) -> SurveyRule:
    return SurveyRule.create(survey=survey or make_survey(), event_name=event_name, delay_amount=days)


def make_survey_invitation(
    survey: Survey | None = None, user: User | None = None, status: str = "sent", expires_in_days: int = 28
) -> SurveyInvitation:
    now = utcnow()
    return SurveyInvitation.create(
        survey=survey or make_survey(),
        user=user or make_user(),
        key=f"manual:{next(_seq)}",
        status=status,
        due_at=now,
        sent_at=now if status != "pending" else None,
        expires_at=now + dt.timedelta(days=expires_in_days) if status != "pending" else None,
    )


def make_survey_response(
    survey: Survey | None = None, locale: str = "en", channel: str = "email", user: User | None = None
) -> SurveyResponse:
    return SurveyResponse.create(survey=survey or make_survey(), locale=locale, channel=channel, user=user)


def make_survey_answer(
    response: SurveyResponse | None = None, question: SurveyQuestion | None = None, value: str = "4"
) -> SurveyAnswer:
    response = response or make_survey_response()
    question = question or make_survey_question(response.survey)
    number = int(value) if question.kind == "rating" else None
    return SurveyAnswer.create(response=response, question=question, value=value, number=number)
