"""Notifications in the API: the mutations for templates, preferences, deliveries, calls and letters."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.notifications import calls, preferences, reviews, services
from backend.notifications.calls import CallOutcome
from backend.notifications.catalogue import Topic
from backend.notifications.models import Frequency, MessageChannel
from schema.access import MANAGER_ROLES as EDITORS
from schema.access import SIGNED_IN
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.input(description="Staff's wording for one event on one channel in one language.")
class MessageTemplateSaveInput:
    event: str = strawberry.field(description="The event's name, as messageEvents lists it.")
    channel: MessageChannel = strawberry.field(description="The channel the wording is for.")
    locale: str = strawberry.field(description="A locale code such as en or cy (a string: languages are added).")
    subject: str = strawberry.field(
        default="", description="The subject line, written like the body; text messages don't send it."
    )
    body: str = strawberry.field(
        description="The wording, up to 20000 characters: plain text with the event's {{ placeholders }}, "
        "{% if %} and the filters upper, lower, title, capitalize, trim and default. Links are added by the system."
    )


@strawberry.input(description="The wording of one language that was checked against the changed English.")
class MessageTranslationMarkReviewedInput:
    event: str = strawberry.field(description="The event's name.")
    channel: MessageChannel = strawberry.field(description="The channel the wording is for.")
    locale: str = strawberry.field(description="A locale code such as en or cy (a string: languages are added).")
    english_changed_at: dt.datetime = strawberry.field(
        description="The English change the reviewer read (the state's englishChangedAt). If the English has "
        "changed since, nothing is recorded and a ConflictError with code english_changed is returned."
    )


@strawberry.input(description="How often the viewer wants messages on one topic.")
class PreferenceSetInput:
    topic: Topic = strawberry.field(description="The topic; account and complaints can only be immediate.")
    frequency: Frequency = strawberry.field(description="How often; off stops messages on the topic.")


@strawberry.input(description="The record a mutation acts on.")
class IdInput:
    id: strawberry.ID = strawberry.field(
        description="Its id: a Delivery's for deliveryRetry, a Letter's for letterMarkPosted."
    )


@strawberry.input(description="How a call to read a message out went.")
class CallTaskCompleteInput:
    id: strawberry.ID = strawberry.field(description="The CallTask's id.")
    outcome: CallOutcome = strawberry.field(description="How the call went.")
    note: str = strawberry.field(default="", description="A note on the call, up to 2000 characters; optional.")


@mutations.add("messageTemplateSave", roles=EDITORS, payload="MessageTemplateSaved", node="template")
def save_template(context: Context, data: MessageTemplateSaveInput) -> Outcome:
    """Save the wording for an event, channel and language."""
    row = services.save_template(context.actor, data.event, data.channel, data.locale, data.subject, data.body)
    return Outcome(row.id)


@mutations.add(
    "messageTranslationMarkReviewed",
    roles=EDITORS,
    payload="MessageTranslationReviewed",
    resource="TranslationReview",
    node="review",
)
def mark_reviewed(context: Context, data: MessageTranslationMarkReviewedInput) -> Outcome:
    """Record that one language's wording was reviewed against the English staff changed, so it no longer waits
    for review.

    Editing that language's wording clears the review too.
    """
    row = reviews.mark_reviewed(context.actor, data.event, data.channel, data.locale, data.english_changed_at)
    return Outcome(row.id)


@mutations.add("preferenceSet", roles=SIGNED_IN, payload="PreferenceSaved")
def set_preference(context: Context, data: PreferenceSetInput) -> Outcome:
    """Choose how often to hear about a topic. Complaint and security messages can't be turned off."""
    row = preferences.set_frequency(context.actor, context.actor.user_id or 0, data.topic, data.frequency)
    return Outcome(row.id)


@mutations.add("deliveryRetry", roles=STAFF, payload="DeliveryRetried")
def retry(context: Context, data: IdInput) -> Outcome:
    """Send a dead, failed, bounced or unreachable message again."""
    return Outcome(services.retry_delivery(context.actor, parse_id(data.id, "delivery")).id)


LETTER_DELIVERY_ID = (
    str,
    "The id of the Delivery that sends the message as a letter instead, when a statutory message's reader was not "
    "reached and a letter can go; else empty.",
)


@mutations.add(
    "callTaskComplete",
    roles=STAFF,
    payload="CallTaskCompleted",
    node="call",
    extra={"letter_delivery_id": LETTER_DELIVERY_ID},
)
def complete_call(context: Context, data: CallTaskCompleteInput) -> Outcome:
    """Record how a call went. A statutory message not reached by phone goes as a letter."""
    call, letter = calls.complete_call(context.actor, parse_id(data.id, "call"), data.outcome, data.note)
    # The letter sent instead of a call not reached: its delivery's id, or "" when there is none.
    return Outcome(call.id, {"letter_delivery_id": str(letter) if letter is not None else ""})


@mutations.add("letterMarkPosted", roles=STAFF, payload="LetterPosted")
def mark_posted(context: Context, data: IdInput) -> Outcome:
    """Record that a letter was printed and posted."""
    return Outcome(services.mark_letter_posted(context.actor, parse_id(data.id, "letter")).id)
