"""The complaints mailbox in the API: each email kept, and what it became (staff)."""

from __future__ import annotations

from backend.complaints.models import InboundMail
from schema.access import staff_case
from schema.engine.declare import Column, Resource, ToOne

INBOUND_MAIL = Resource(
    name="InboundMail",
    plural="inboundMails",
    model=InboundMail,
    description=(
        "An email to the complaints mailbox, kept as it arrived before it was read, and what it became: a new "
        "contact, a reply on its case, or an automatic reply or a flood from one sender that was kept but not logged."
    ),
    members=[
        Column("via"),
        Column("received_at"),
        Column("size"),
        Column("sender"),
        Column("sender_verified"),
        Column("subject"),
        Column("sent_at"),
        Column("status"),
        Column("processed_at"),
        Column("updated_at", "When it last changed."),
        ToOne("contact", "The contact it was logged as, or the contact of the case it was added to."),
        ToOne("case_message", "The case message it became, for a reply."),
    ],
    access=staff_case("contact", optional=True),
    default_order=("-receivedAt", "id"),
)

RESOURCES = [INBOUND_MAIL]
