"""The messages a commenter gets: their held comment is published, a comment of theirs is removed (with the
moderator's reason), and the offer to make a complaint when their comment said they are dissatisfied.

Each goes to the commenter in their own language and by their own channel, under the topic "feedback" (what they
told the landlord). The offer to complain is not statutory wording here: the contact it made goes through the
complaints journey, whose own letters are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.cocreation.models import Change, ChangeComment
from backend.complaints.models import Contact
from backend.config import current
from backend.i18n import N_
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

COMMENT_EVENTS = EventGroup()

VARIABLES = {
    "reference": "CH-2026-01",
    "title": "Repairs appointments now come with a reminder text",
    "reason": "It named a neighbour.",
    "contact": "LL-2026-000042",
}


def _comment(payload: Mapping[str, Any]) -> ChangeComment | None:
    return ChangeComment.get_or_none(ChangeComment.id == payload.get("comment_id"))


def comment_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The change's reference and title in the reader's language, the moderator's reason and the contact's
    reference; empty where the rows are gone."""
    comment = _comment(payload)
    change = Change.get_or_none(Change.id == comment.change_id) if comment else None  # type: ignore[attr-defined]
    contact = Contact.get_or_none(Contact.id == payload.get("contact_id")) if payload.get("contact_id") else None
    title = ""
    if change is not None:
        titles = change.title or {}
        title = titles.get(locale) or titles.get("en") or next(iter(titles.values()), "")
    return {
        "reference": change.reference if change else "",
        "title": title,
        "reason": str(payload.get("reason") or ""),
        "contact": contact.reference if contact else "",
    }


def _change_link(recipient: Recipient) -> str | None:
    comment = _comment(recipient.payload)
    if comment is None:
        return None
    change = Change.get_or_none(Change.id == comment.change_id)  # type: ignore[attr-defined]
    return f"{current().base_url}/changes/{change.reference}" if change else None


def _case_link(recipient: Recipient) -> str | None:
    contact_id = recipient.payload.get("contact_id")
    return f"{current().base_url}/cases/{contact_id}" if contact_id else None


COMMENT_EVENTS.add(
    EventSpec(
        "cocreation.comment_published",
        "feedback",
        N_("Your comment on %(reference)s is published"),
        (
            HELLO,
            N_(
                "Thank you for your comment on %(title)s (%(reference)s). A moderator has checked it and it is now "
                "public."
            ),
            N_("Personal details such as names, addresses and phone numbers are never shown on the public page."),
        ),
        VARIABLES,
        N_("See the change"),
        N_("Tells a resident that their comment on a change, held for a moderator, is published."),
        context=comment_values,
        link=_change_link,
        sample_link="https://example.org/changes/CH-2026-01",
    )
)
COMMENT_EVENTS.add(
    EventSpec(
        "cocreation.comment_removed",
        "feedback",
        N_("Your comment on %(reference)s was removed"),
        (
            HELLO,
            N_("A moderator removed your comment on %(title)s (%(reference)s)."),
            N_("The reason they gave: %(reason)s"),
            N_("You are welcome to comment again, leaving out anything personal or hurtful."),
        ),
        VARIABLES,
        N_("See the change"),
        N_("Tells a resident that a moderator removed their comment on a change, with the moderator's reason."),
        context=comment_values,
        link=_change_link,
        sample_link="https://example.org/changes/CH-2026-01",
    )
)
COMMENT_EVENTS.add(
    EventSpec(
        "cocreation.complaint_offered",
        "feedback",
        N_("You can make a complaint about what you told us"),
        (
            HELLO,
            N_(
                "Thank you for your comment on %(title)s (%(reference)s). It sounds as if something is still not "
                "right for you, and we want to put it right."
            ),
            N_(
                "We have recorded what you said as %(contact)s. If you would like us to treat it as a complaint, "
                "tell us: open your case, reply to this message or call us. You do not have to use the word "
                "complaint, and making one will not affect the service you get."
            ),
        ),
        VARIABLES,
        N_("See what we recorded"),
        N_(
            "Offers a resident the choice to make a complaint when staff record their comment on a change as a "
            "contact, because it said they are dissatisfied."
        ),
        context=comment_values,
        link=_case_link,
        sample_link="https://example.org/cases/42",
    )
)
