"""The messages about hazards: the letter telling the resident a hazard was flagged, and the notices to staff
(the escalation to the senior lead, and the warnings before and when a hazard's clock is missed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date, format_datetime

from backend.complaints.hazards import deadline_day
from backend.complaints.models import Contact, Hazard, HazardClock
from backend.config import current, formatting_locale
from backend.i18n import N_, translations
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient
from backend.timeutil import LOCAL_ZONE

HAZARD_EVENTS = EventGroup()

#: The kinds of hazard and the clocks, as messages name them (lower case, to sit inside a sentence).
KIND_WORDS = {
    "damp_mould": N_("damp and mould"),
    "disrepair": N_("disrepair"),
    "gas_electrical": N_("gas or electrical safety"),
    "serious_harm": N_("a risk of serious harm"),
}
SEVERITY_WORDS = {"emergency": N_("an emergency"), "significant": N_("a significant hazard")}
CLOCK_WORDS = {
    "investigate": N_("the investigation"),
    "make_safe": N_("making the home safe"),
    "summary": N_("the written summary to the resident"),
    "start_work": N_("the safety work that makes the home safe"),
}
VARIABLES = {
    "reference": "LL-2026-000042",
    "hazard": "damp and mould",
    "severity": "a significant hazard",
    "due": "9 March 2026 23:59",
    "clock": "the investigation",
}


def when(clock: HazardClock, locale: str) -> str:
    """A clock's deadline in the reader's language: the UK day for a working-day clock, else the UK time."""
    day = deadline_day(clock)
    if day is not None:
        return format_date(day, "long", locale=formatting_locale(locale))
    local = clock.due_at.replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE)
    return format_datetime(local, "d MMMM y, HH:mm", tzinfo=LOCAL_ZONE, locale=formatting_locale(locale))


def hazard_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The placeholders of a hazard message in the reader's language: its reference, kind, severity and deadline."""
    gettext = translations(locale).gettext
    hazard = Hazard.get_or_none(Hazard.id == payload.get("hazard_id"))
    values = {"reference": str(payload.get("reference", "")), "hazard": "", "severity": "", "due": "", "clock": ""}
    if hazard is None:
        return values
    values["hazard"] = gettext(KIND_WORDS.get(hazard.kind, hazard.kind))
    values["severity"] = gettext(SEVERITY_WORDS.get(hazard.severity, hazard.severity))
    kind = payload.get("clock") or "investigate"
    values["clock"] = gettext(CLOCK_WORDS.get(kind, kind))
    clock = HazardClock.get_or_none(HazardClock.hazard == hazard.id, HazardClock.kind == kind)
    values["due"] = when(clock, locale) if clock else ""
    return values


def _resident_link(recipient: Recipient) -> str:
    contact = Contact.get_or_none(Contact.id == recipient.payload.get("contact_id"))
    base = current().base_url
    return f"{base}/cases/{contact.id}" if contact is not None else f"{base}/cases"


def _staff_link(recipient: Recipient) -> str:
    return f"{current().base_url}/console/hazards/{recipient.payload.get('hazard_id')}"


EMERGENCY_ADVICE = N_(
    "If anyone is in immediate danger, call 999. If you smell gas, call the National Gas Emergency Service on "
    "0800 111 999."
)


def _resident(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> None:
    HAZARD_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, *paragraphs, EMERGENCY_ADVICE),
            VARIABLES,
            N_("See what you told us"),
            description,
            context=hazard_values,
            link=_resident_link,
            sample_link="https://example.org/cases/42",
        )
    )


def _staff(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> None:
    HAZARD_EVENTS.add(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, *paragraphs),
            VARIABLES,
            N_("Open the hazard"),
            description,
            context=hazard_values,
            link=_staff_link,
            sample_link="https://example.org/console/hazards/42",
        )
    )


_resident(
    "hazard.reported_emergency",
    N_("We are making your home safe: %(reference)s"),
    (
        N_(
            "Thank you for telling us about %(hazard)s in your home. We are treating it as an emergency, and our "
            "senior lead has been told."
        ),
        N_("We will investigate and make your home safe by %(due)s."),
    ),
    N_("Tells the resident, in writing, that an emergency hazard was flagged and by when it will be made safe."),
)
_resident(
    "hazard.reported",
    N_("We are looking into a hazard in your home: %(reference)s"),
    (
        N_(
            "Thank you for telling us about %(hazard)s in your home. We are treating it as a significant hazard, "
            "and our senior lead has been told."
        ),
        N_(
            "We will investigate by %(due)s. Within 3 working days of the investigation we will write to you with "
            "what we found and what we will do."
        ),
    ),
    N_("Tells the resident, in writing, that a significant hazard was flagged and by when it will be investigated."),
)
_staff(
    "hazard.escalated",
    N_("Hazard escalated: %(reference)s"),
    (N_("A hazard was flagged on %(reference)s: %(hazard)s, %(severity)s. The investigation is due by %(due)s."),),
    N_("Tells the senior lead (every manager, if nobody holds the role) that a hazard was flagged."),
)
_staff(
    "hazard.clock_at_risk",
    N_("Hazard deadline soon: %(reference)s"),
    (N_("On %(reference)s (%(hazard)s), %(clock)s is due by %(due)s."),),
    N_("Warns the senior lead, the handler and whoever flagged a hazard that one of its deadlines is near."),
)
_staff(
    "hazard.clock_breached",
    N_("Hazard deadline missed: %(reference)s"),
    (N_("On %(reference)s (%(hazard)s), %(clock)s was due by %(due)s and has not been recorded as done."),),
    N_("Tells the senior lead, the handler and whoever flagged a hazard that one of its deadlines was missed."),
)
