"""The thank-you messages of the involvement ledger: for a review completed, and for a reward approved.

Each goes to the member in their language and by their channel, under the optional topic "changes" (the changes made
because residents spoke up). The reward's message repeats the benefits note the ledger's pages show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.config import current
from backend.i18n import N_
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient
from backend.panels.models import InvolvementEntry, ScrutinyReview

LEDGER_EVENTS = EventGroup()

VARIABLES = {"topic": "The complaints journey", "amount": "£25.00", "reward": "A £25 voucher per review"}


def pounds(pence: int) -> str:
    """An amount of money as people read it: £25.00."""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def thanks_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The review's topic, and the reward's amount and rule; empty when the rows are gone."""
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == payload.get("review_id"))
    entry = InvolvementEntry.get_or_none(InvolvementEntry.id == payload.get("entry_id"))
    if review is None and entry is not None and entry.review_id is not None:  # type: ignore[attr-defined]
        review = ScrutinyReview.get_or_none(ScrutinyReview.id == entry.review_id)  # type: ignore[attr-defined]
    return {
        "topic": review.topic if review else "",
        "amount": pounds(entry.amount_pence) if entry else "",
        "reward": entry.note if entry else "",
    }


def _involvement_link(recipient: Recipient) -> str:
    return f"{current().base_url}/panel/involvement"


LEDGER_EVENTS.add(
    EventSpec(
        "panels.review_thanks",
        "changes",
        N_("Thank you for your work on %(topic)s"),
        (
            HELLO,
            N_(
                "The panel's review of %(topic)s is complete. Thank you for the time and care you gave it: what you "
                "found and recommended is now part of how we work."
            ),
            N_("Your involvement record shows the meetings, reviews and time you have given."),
        ),
        VARIABLES,
        N_("See your involvement"),
        N_("Thanks each member who took part in a scrutiny review, once the review is complete."),
        context=thanks_values,
        link=_involvement_link,
        sample_link="https://example.org/panel/involvement",
    )
)
LEDGER_EVENTS.add(
    EventSpec(
        "panels.reward_approved",
        "changes",
        N_("Your reward for taking part: %(amount)s"),
        (
            HELLO,
            N_("Thank you for taking part in the scrutiny panel. Your reward of %(amount)s has been approved."),
            N_("%(reward)s"),
            N_(
                "Vouchers and other rewards can affect benefits such as Universal Credit. If you receive benefits, "
                "ask Citizens Advice or your benefits adviser before you accept it. You can opt out of rewards at any "
                "time on your involvement page."
            ),
        ),
        VARIABLES,
        N_("See your involvement"),
        N_("Tells a panel member that their reward for taking part was approved, with the benefits note."),
        context=thanks_values,
        link=_involvement_link,
        sample_link="https://example.org/panel/involvement",
    )
)
