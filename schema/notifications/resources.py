"""Message templates, preferences, deliveries, portal messages and letters through the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from backend.errors import DomainError, Invalid, NotAllowed
from backend.events.models import Delivery
from backend.notifications import reviews, services
from backend.notifications.catalogue import Topic
from backend.notifications.compose import html_of, text_of
from backend.notifications.models import (
    CallTask,
    Letter,
    MessageChannel,
    MessageTemplate,
    PortalMessage,
    Preference,
    TranslationReview,
)
from backend.notifications.registry import EVENTS
from backend.notifications.templates import WordingOrigin, effective_source
from schema.access import NOT_OF_HIDDEN_CASE, SELF, SIGNED_IN, each, staff
from schema.context import Context
from schema.engine.aggregate import month, value
from schema.engine.declare import Access, Column, Dimension, Resource, ToOne
from schema.errors import NotAllowedError, ValidationError, to_error

MESSAGE_TEMPLATE = Resource(
    name="MessageTemplate",
    plural="messageTemplates",
    model=MessageTemplate,
    description="Staff's wording for one event on one channel in one language. Where there is none, the "
    "translated default is used.",
    members=[
        Column("event"),
        Column("channel"),
        Column("locale"),
        Column("subject", sortable=True),
        Column("body"),
        Column(
            "updated_at", "When the wording last changed: the other languages are asked to review it after English."
        ),
    ],
    access=staff(),
    default_order=("event",),
)
PREFERENCE = Resource(
    name="Preference",
    plural="preferences",
    model=Preference,
    description="How often someone wants messages on a topic: immediate, daily, weekly or off.",
    members=[
        Column("topic"),
        Column("frequency"),
        Column("updated_at", "When it last changed."),
        ToOne("person", fk="user"),
    ],
    access={**each(("resident", "advocate", "panel_member"), Access(where={"person": SELF})), **staff()},
    default_order=("topic",),
)
DELIVERY = Resource(
    name="Delivery",
    plural="deliveries",
    model=Delivery,
    description="One message to one person by one channel, with its status: pending, held (for a digest), sent, "
    "failed (will retry), dead (gave up), bounced, skipped, or unreachable (a statutory letter with no postal "
    "address: staff must act).",
    members=[
        Column("channel"),
        Column("status"),
        Column("topic"),
        Column("locale"),
        Column("attempts"),
        Column("last_error"),
        Column("subject", sortable=True),
        Column("action", "The call to action after the wording, with every secret link shown as [link]."),
        Column("provider_id", filterable=False, sortable=False, description="The channel's id for the message."),
        Column("created_at"),
        Column("sent_at"),
        Column("next_attempt_at"),
        Column("recipient_user_id", kind="id"),
        Column("recipient_person_id", kind="id", description="The ContactPerson, for someone without an account."),
        Column("copy_for_user_id", kind="id"),
        Column("complaint_id", kind="id", description="The complaint the message is about, if any."),
        Column("contact_id", kind="id", description="The contact (the case) the message is about, if any."),
        Column("updated_at", "When it last changed: its status, attempts or error."),
    ],
    access=staff(Access(where=NOT_OF_HIDDEN_CASE, aggregate=True)),
    dimensions=(
        Dimension("status", value("status")),
        Dimension("channel", value("channel")),
        Dimension("month", month("created_at")),
    ),
    default_order=("-createdAt",),
)
PORTAL_MESSAGE = Resource(
    name="PortalMessage",
    plural="portalMessages",
    model=PortalMessage,
    description="A message in someone's inbox on the portal: every message they were sent, whatever the channel.",
    members=[
        Column("channel", description="How it reached them: portal, email, sms, letter or call."),
        Column("subject", sortable=True),
        Column("body"),
        Column("created_at"),
        Column("read_at"),
        Column("updated_at", "When it last changed."),
        ToOne("person", fk="user"),
    ],
    access=each(SIGNED_IN, Access(where={"person": SELF})),
    default_order=("-createdAt",),
)
LETTER = Resource(
    name="Letter",
    plural="letters",
    model=Letter,
    description="A printable letter for someone who asked for post, or whose other channel failed.",
    members=[
        Column("status"),
        Column("locale"),
        Column("address"),
        Column("subject", sortable=True),
        Column("body"),
        Column("created_at"),
        Column("posted_at"),
        Column("updated_at", "When it last changed."),
        ToOne("person", fk="user"),
        ToOne("contact_person", "For someone without an account.", fk="person"),
    ],
    access=staff(),
    default_order=("createdAt",),
)
TRANSLATION_REVIEW = Resource(
    name="TranslationReview",
    plural="translationReviews",
    model=TranslationReview,
    description="The latest review of one language's wording after staff changed the English: who reviewed it, "
    "when, and the English change it was checked against.",
    members=[
        Column("event"),
        Column("channel"),
        Column("locale"),
        Column("english_changed_at"),
        Column("reviewed_at"),
        Column("updated_at", "When it last changed."),
        ToOne("reviewed_by"),
    ],
    access=staff(),
    default_order=("event",),
)

CALL_TASK = Resource(
    name="CallTask",
    plural="callTasks",
    model=CallTask,
    description="A message to read out by phone to someone who asked for calls: open, done or not_reached.",
    members=[
        Column("status"),
        Column("name", filterable=False),
        Column("phone", filterable=False, sortable=False),
        Column("locale"),
        Column("subject", sortable=True),
        Column("body"),
        Column("outcome_note"),
        Column("created_at"),
        Column("completed_at"),
        Column("updated_at", "When it last changed."),
        ToOne("completed_by"),
        ToOne("person", fk="user"),
        ToOne("contact_person", fk="person"),
    ],
    access=staff(),
    default_order=("createdAt",),
)
RESOURCES = [MESSAGE_TEMPLATE, PREFERENCE, DELIVERY, PORTAL_MESSAGE, LETTER, TRANSLATION_REVIEW, CALL_TASK]


@strawberry.type(description="An event that sends messages, with the placeholders its templates may use.")
class MessageEvent:
    name: str = strawberry.field(description="The event's name, for example complaint.acknowledged.")
    topic: Topic = strawberry.field(description="The topic its messages come under, for people's preferences.")
    statutory: bool = strawberry.field(
        description="Whether its messages are statutory (account and complaint topics): sent at once and first, "
        "and never turned off."
    )
    description: str = strawberry.field(description="What the event is, in the viewer's language.")
    placeholders: list[str] = strawberry.field(
        description="The names its wording may use as {{ name }}, in alphabetical order."
    )


@strawberry.type(description="The wording in force for an event, channel and language.")
class MessageWording:
    subject: str = strawberry.field(description="The subject line, as a template; text messages don't send it.")
    body: str = strawberry.field(description="The wording, as a template with {{ placeholders }}.")
    origin: WordingOrigin = strawberry.field(
        description="Where the wording comes from. Staff's wording in one language is never used for another."
    )


@strawberry.type(description="One language's wording for an event on a channel, and whether it waits for review.")
class MessageWordingState:
    event: str = strawberry.field(description="The event's name.")
    channel: MessageChannel = strawberry.field(description="The channel the wording is for.")
    locale: str = strawberry.field(description="The language: a locale code.")
    origin: WordingOrigin = strawberry.field(description="Where the wording comes from.")
    changed_at: dt.datetime | None = strawberry.field(
        description="When staff last changed this language's wording; null for the default."
    )
    translated: bool = strawberry.field(
        description="False for a default wording whose translation is not finished: it is sent in English "
        "until the catalogue is translated."
    )
    english_changed_at: dt.datetime | None = strawberry.field(
        description="Set while this language waits for review: when staff changed the English wording, which "
        "this language has neither been edited nor reviewed against since."
    )
    reviewed_at: dt.datetime | None = strawberry.field(description="When this language was last reviewed.")
    reviewed_by: str | None = strawberry.field(description="The name of the person who last reviewed it.")


@strawberry.type(description="A template rendered with sample values.")
class MessagePreview:
    subject: str = strawberry.field(description="The subject, rendered on one line.")
    body: str = strawberry.field(
        description="The whole message as plain text for the channel, call to action included; secret links show "
        "as [link]."
    )
    html: str = strawberry.field(description="The HTML part an email of it would have: a complete document.")


MessagePreviewResult = Annotated[
    MessagePreview | ValidationError | NotAllowedError,
    strawberry.union(
        "MessagePreviewResult", description="The preview, or why it could not be made: a wording error, or not staff."
    ),
]
EVENT_ARGUMENT = Annotated[str, strawberry.argument(description="An event's name, as messageEvents lists it.")]
LOCALE_ARGUMENT = Annotated[str, strawberry.argument(description="A locale code such as en or cy.")]


@strawberry.type
class NotificationsQuery:
    @strawberry.field(description="Events that send messages (staff only).")
    def message_events(self, info: strawberry.Info[Context, None]) -> list[MessageEvent]:
        if not info.context.actor.is_staff:
            return []
        gettext = info.context.gettext
        return [
            MessageEvent(
                name=s.name,
                topic=Topic.of(s.topic),
                statutory=s.statutory,
                description=gettext(s.description),
                placeholders=sorted({"name", *s.variables}),
            )
            for s in EVENTS.values()
        ]

    @strawberry.field(description="The wording in force for an event, channel and language (staff only).")
    def message_wording(
        self,
        info: strawberry.Info[Context, None],
        event: EVENT_ARGUMENT,
        channel: Annotated[MessageChannel, strawberry.argument(description="The channel the wording is for.")],
        locale: LOCALE_ARGUMENT,
    ) -> MessageWording | None:
        if not info.context.actor.is_staff or event not in EVENTS:
            return None
        subject, body, origin = effective_source(event, channel, locale)
        return MessageWording(subject=subject, body=body, origin=WordingOrigin.of(origin))

    @strawberry.field(
        description="Each enabled language's wording state per event and channel, narrowed by the arguments; "
        "reviewPending: true lists every language waiting for review since its English changed (staff only)."
    )
    def message_wording_states(
        self,
        info: strawberry.Info[Context, None],
        event: Annotated[str | None, strawberry.argument(description="Only this event; null for all.")] = None,
        channel: Annotated[
            MessageChannel | None, strawberry.argument(description="Only this channel; null for all.")
        ] = None,
        locale: Annotated[
            str | None, strawberry.argument(description="Only this language (a locale code); null for all.")
        ] = None,
        review_pending: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only languages waiting for review, oldest English change first; false: only "
                "those not waiting; null: all."
            ),
        ] = None,
    ) -> list[MessageWordingState]:
        if not info.context.actor.is_staff:
            return []
        if review_pending:
            states = [
                s
                for s in reviews.pending_reviews()
                if event in (None, s.event) and channel in (None, s.channel) and locale in (None, s.locale)
            ]
        else:
            states = reviews.wording_states(event, channel, locale)
            if review_pending is False:
                states = [s for s in states if not s.review_pending]
        return [
            MessageWordingState(
                event=s.event,
                channel=MessageChannel.of(s.channel),
                locale=s.locale,
                origin=WordingOrigin.of(s.origin),
                changed_at=s.changed_at,
                translated=s.translated,
                english_changed_at=s.english_changed_at,
                reviewed_at=s.reviewed_at,
                reviewed_by=s.reviewed_by,
            )
            for s in states
        ]

    @strawberry.field(description="Render wording with sample values, without saving it (staff only).")
    def message_preview(
        self,
        info: strawberry.Info[Context, None],
        event: EVENT_ARGUMENT,
        channel: Annotated[MessageChannel, strawberry.argument(description="The channel to render for.")],
        locale: LOCALE_ARGUMENT,
        subject: Annotated[
            str | None, strawberry.argument(description="A subject to try; null uses the wording in force.")
        ] = None,
        body: Annotated[
            str | None, strawberry.argument(description="A body to try; null uses the wording in force.")
        ] = None,
    ) -> MessagePreviewResult:
        try:
            if not info.context.actor.is_staff:
                raise NotAllowed("template.preview")
            if event not in EVENTS:
                raise Invalid("event", "unsupported")
            message = services.preview(event, channel, locale, subject, body)
        except DomainError as error:
            return to_error(error, info.context)  # type: ignore[return-value]
        return MessagePreview(
            subject=message.subject,
            body=text_of(message, channel, reveal=False),
            html=html_of(message, locale, reveal=False),
        )


QUERIES = [NotificationsQuery]
