"""Invite people to surveys when events happen, send and remind on time, expire, and open signed links."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from peewee import IntegrityError

from backend import config
from backend.accounts import links
from backend.accounts.models import Home, User
from backend.audit.services import record_audit
from backend.cocreation.models import ImpactAsk
from backend.context import SYSTEM
from backend.db import transaction
from backend.errors import Conflict, Invalid
from backend.events.models import OutboxEvent
from backend.events.services import record_event
from backend.surveys.models import Survey, SurveyInvitation, SurveyRule
from backend.timeutil import utcnow
from backend.workdays import add_working_days

logger = logging.getLogger(__name__)

SURVEY_LINK_SALT = "learnloop.survey-invitation"
# The signature's own limit. The invitation's expiry date, checked on every use, is what usually decides.
LINK_MAX_AGE = 2 * 366 * 24 * 3600
RECIPIENT_KEYS = ("user_id", "resident_id")
BATCH = 500


def delay_of(rule: SurveyRule) -> dt.timedelta:
    """How long after the event the invitation is due, in calendar days or weeks."""
    days = rule.delay_amount * (7 if rule.delay_unit == "weeks" else 1)
    return dt.timedelta(days=days)


def due_at(rule: SurveyRule, happened: dt.datetime, user: User) -> dt.datetime:
    """When the invitation is due: working days follow the person's home nation (England by default)."""
    if rule.delay_unit != "work_days":
        return happened + delay_of(rule)
    home = Home.get_or_none(Home.id == user.home_id) if user.home_id else None  # type: ignore[attr-defined]
    nation = home.nation if home is not None else "england"
    day = add_working_days(happened.date(), rule.delay_amount, nation)
    return dt.datetime.combine(day, happened.time())


def _recipient(event: OutboxEvent) -> User | None:
    payload = event.payload if isinstance(event.payload, dict) else {}
    for key in RECIPIENT_KEYS:
        value = payload.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            user = User.get_or_none(User.id == value)
            return user if user is not None and user.is_active else None
    return None


def invite_for_event(event_id: int) -> list[SurveyInvitation]:
    """Create the invitations that live rules ask for after this event; return those created now.

    Returns an empty list when the event is missing, names nobody, or matches no rule. Safe to run
    twice: each rule invites each person once per event (the invitation's unique key).
    """
    event = OutboxEvent.get_or_none(OutboxEvent.id == event_id)
    if event is None:
        return []
    user = _recipient(event)
    if user is None:
        return []
    rules = (
        SurveyRule.select(SurveyRule, Survey)
        .join(Survey)
        .where(SurveyRule.event_name == event.name, SurveyRule.active == True, Survey.status == "live")  # noqa: E712
        .order_by(SurveyRule.id)
    )
    created = []
    for rule in rules:
        key = f"{rule.id}:{event.id}:{user.id}"
        if SurveyInvitation.select().where(SurveyInvitation.key == key).exists():
            continue
        try:
            with transaction():
                invitation = SurveyInvitation.create(
                    survey=rule.survey,
                    rule=rule,
                    user=user,
                    event_id=event.id,
                    key=key,
                    due_at=due_at(rule, event.created_at, user),
                )
                record_audit(
                    SYSTEM,
                    "survey_invitation.created",
                    "survey_invitation",
                    invitation.id,
                    {"due_at": {"before": None, "after": str(invitation.due_at)}},
                )
        except IntegrityError:
            continue  # invited by a simultaneous run
        created.append(invitation)
    return created


def invite_for_new_events() -> int:
    """Look at outbox events that active rules have not yet seen and invite for each. Returns how many
    invitations were created."""
    created = 0
    for rule in SurveyRule.select().where(SurveyRule.active == True):  # noqa: E712
        events = (
            OutboxEvent.select(OutboxEvent.id)
            .where(OutboxEvent.name == rule.event_name, OutboxEvent.id > rule.last_event_id)
            .order_by(OutboxEvent.id)
            .limit(BATCH)
        )
        ids = [event.id for event in events]
        for event_id in ids:
            created += len(invite_for_event(event_id))
        if ids:
            SurveyRule.update(last_event_id=ids[-1]).where(SurveyRule.id == rule.id).execute()
    return created


def _live(query: object) -> object:
    return query.join(Survey).where(Survey.status == "live")  # type: ignore[attr-defined]


def asked_too_recently(invitation: SurveyInvitation, now: dt.datetime) -> bool:
    """Whether the person was sent another survey invitation within the last ``survey_cap_days`` days (0: never)."""
    days = config.current().survey_cap_days
    if days <= 0:
        return False
    return (
        SurveyInvitation.select()
        .where(
            SurveyInvitation.user == invitation.user_id,  # type: ignore[attr-defined]
            SurveyInvitation.id != invitation.id,
            SurveyInvitation.sent_at > now - dt.timedelta(days=days),
        )
        .exists()
    )


def _skip(invitation: SurveyInvitation) -> bool:
    """Mark a due invitation skipped under the per-person cap (its impact ask too), audited; False if it moved."""
    skipped = (
        SurveyInvitation.update(status="skipped")
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.status == "pending")
        .execute()
    )
    if not skipped:
        return False
    ImpactAsk.update(skipped=True, updated_at=utcnow()).where(ImpactAsk.invitation == invitation.id).execute()
    record_audit(
        SYSTEM,
        "survey_invitation.skipped",
        "survey_invitation",
        invitation.id,
        {"status": {"before": "pending", "after": "skipped"}},
    )
    return True


def send_due_invitations(now: dt.datetime | None = None) -> int:
    """Mark due invitations sent and record ``survey.invitation_due`` for each. Returns how many were sent.

    An invitation to someone sent another within ``survey_cap_days`` is not sent: it is marked ``skipped`` (and its
    impact ask, if it is one), audited, and never sent later.
    """
    now = now or utcnow()
    due = _live(
        SurveyInvitation.select(SurveyInvitation, Survey).where(
            SurveyInvitation.status == "pending", SurveyInvitation.due_at <= now
        )
    )
    sent = 0
    for invitation in due.order_by(SurveyInvitation.id).limit(BATCH):  # type: ignore[attr-defined]
        sent += send_invitation(invitation, now)
    return sent


def send_invitation(invitation: SurveyInvitation, now: dt.datetime, cap: bool = True) -> bool:
    """Send one pending invitation now: mark it sent, audit it and record ``survey.invitation_due``; return whether
    it was sent. With ``cap``, one to someone sent another within ``survey_cap_days`` is skipped instead. Nothing
    happens to an invitation no longer pending (another worker sent it)."""
    with transaction():
        if cap and asked_too_recently(invitation, now):
            _skip(invitation)
            return False
        changed = (
            SurveyInvitation.update(
                status="sent",
                sent_at=now,
                expires_at=now + dt.timedelta(days=invitation.survey.expiry_days),
            )
            .where(SurveyInvitation.id == invitation.id, SurveyInvitation.status == "pending")
            .execute()
        )
        if not changed:
            return False
        record_audit(SYSTEM, "survey_invitation.sent", "survey_invitation", invitation.id)
        record_event("survey.invitation_due", {"invitation_id": invitation.id, "user_id": invitation.user_id})  # type: ignore[attr-defined]
    return True


def send_reminders(now: dt.datetime | None = None) -> int:
    """Record ``survey.reminder_due`` once for each sent, unanswered invitation whose reminder time has come."""
    now = now or utcnow()
    candidates = _live(
        SurveyInvitation.select(SurveyInvitation, Survey).where(
            SurveyInvitation.status == "sent",
            SurveyInvitation.reminded_at.is_null(),
            SurveyInvitation.expires_at > now,
        )
    )
    reminded = 0
    for invitation in candidates.order_by(SurveyInvitation.id).limit(BATCH):  # type: ignore[attr-defined]
        days = invitation.survey.reminder_days
        if days <= 0 or invitation.sent_at + dt.timedelta(days=days) > now:
            continue
        with transaction():
            changed = (
                SurveyInvitation.update(reminded_at=now)
                .where(SurveyInvitation.id == invitation.id, SurveyInvitation.reminded_at.is_null())
                .execute()
            )
            if not changed:
                continue
            record_audit(SYSTEM, "survey_invitation.reminded", "survey_invitation", invitation.id)
            record_event("survey.reminder_due", {"invitation_id": invitation.id, "user_id": invitation.user_id})
        reminded += 1
    return reminded


def expire_invitations(now: dt.datetime | None = None) -> int:
    """Mark sent, unanswered invitations past their expiry date expired. Returns how many."""
    now = now or utcnow()
    expired = 0
    query = SurveyInvitation.select(SurveyInvitation.id).where(
        SurveyInvitation.status == "sent", SurveyInvitation.expires_at <= now
    )
    for invitation in query.limit(BATCH):
        with transaction():
            SurveyInvitation.update(status="expired").where(SurveyInvitation.id == invitation.id).execute()
            record_audit(
                SYSTEM,
                "survey_invitation.expired",
                "survey_invitation",
                invitation.id,
                {"status": {"before": "sent", "after": "expired"}},
            )
        expired += 1
    return expired


def invitation_token(invitation: SurveyInvitation) -> str:
    """The signed token for this invitation's link."""
    return links.make_link_token(SURVEY_LINK_SALT, {"inv": invitation.id})


def invitation_link(invitation: SurveyInvitation, answer: str | None = None) -> str:
    """The full address of the answer page; ``answer`` makes it a one-click answer to the first question."""
    url = f"{config.current().base_url}/s/{invitation_token(invitation)}"
    return f"{url}?a={answer}" if answer else url


def response_key(invitation_id: int) -> str:
    """A keyed hash that finds an invitation's response without storing who answered."""
    secret = config.current().secret_key.encode()
    return hmac.new(secret, f"survey-invitation:{invitation_id}".encode(), hashlib.sha256).hexdigest()


def open_invitation(token: str, now: dt.datetime | None = None) -> SurveyInvitation:
    """Return the invitation a link stands for.

    Raises ``Invalid("token", "invalid")`` for a tampered or unknown link, ``Invalid("token", "expired")``
    once the invitation has expired, and ``Conflict("survey_closed")`` when the survey is not live.
    """
    payload = links.read_link_token(SURVEY_LINK_SALT, token, LINK_MAX_AGE)
    invitation_id = payload.get("inv")
    if not isinstance(invitation_id, int):
        raise Invalid("token", "invalid")
    invitation = (
        SurveyInvitation.select(SurveyInvitation, Survey)
        .join(Survey)
        .where(SurveyInvitation.id == invitation_id)
        .first()
    )
    if invitation is None or invitation.status in ("pending", "skipped"):
        raise Invalid("token", "invalid")
    now = now or utcnow()
    if invitation.status == "expired" or (invitation.expires_at is not None and invitation.expires_at <= now):
        raise Invalid("token", "expired")
    if invitation.survey.status != "live":
        raise Conflict("survey_closed")
    return invitation
