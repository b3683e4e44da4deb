"""Wording in every language: editing one language never changes what another sends, and every other
language waits for review after staff change the English, until it is reviewed or re-edited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import format_date

from backend.accounts.tokens import actor_for_user
from backend.audit.models import AuditEvent
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import Delivery
from backend.events.services import record_event
from backend.i18n import translations
from backend.notifications import reviews, services
from backend.notifications.models import MessageTemplate
from backend.notifications.registry import EVENTS
from backend.notifications.templates import default_is_translated, effective_source
from backend.timeutil import LOCAL_ZONE
from tests import factories

EVENT, CHANNEL = "feedback.received", "email"
ENGLISH = ("Got it: {{ reference }}", "Dear {{ name }}, thanks. Ref {{ reference }}.")
WELSH = ("Cawsom hi: {{ reference }}", "Annwyl {{ name }}, diolch. Cyf {{ reference }}.")


def save(manager, locale: str, wording: tuple[str, str] = ENGLISH, event: str = EVENT, channel: str = CHANNEL):
    return services.save_template(actor_for_user(manager), event, channel, locale, *wording)


def delivered_subject(locale: str, reference: str) -> str:
    """Send the feedback acknowledgement to a new resident in ``locale``; return the subject they got."""
    resident = factories.make_user("resident", locale=locale)
    with transaction():
        record_event(EVENT, {"user_id": resident.id, "reference": reference})
    delivery = Delivery.get(Delivery.recipient_user_id == resident.id, Delivery.channel == CHANNEL)
    assert delivery.locale == locale
    return delivery.subject


def default_subject(locale: str, reference: str) -> str:
    return translations(locale).gettext(EVENTS[EVENT].subject) % {"reference": reference}


def pending(locale: str | None = None) -> list[tuple[str, str, str]]:
    return [(s.event, s.channel, s.locale) for s in reviews.pending_reviews() if locale is None or s.locale == locale]


def english_changed_at(event: str = EVENT, channel: str = CHANNEL) -> dt.datetime:
    return MessageTemplate.get(
        MessageTemplate.event == event, MessageTemplate.channel == channel, MessageTemplate.locale == "en"
    ).updated_at


def test_saving_english_wording_leaves_welsh_delivery_in_welsh() -> None:
    save(factories.make_user("manager"), "en")
    assert delivered_subject("en", "LL-EN-1") == "Got it: LL-EN-1"
    welsh = delivered_subject("cy", "LL-CY-1")
    assert welsh == default_subject("cy", "LL-CY-1")
    assert welsh != default_subject("en", "LL-CY-1") and "Got it" not in welsh
    assert effective_source(EVENT, CHANNEL, "cy")[2] == "default"


def test_welsh_wording_is_used_for_welsh_only() -> None:
    save(factories.make_user("manager"), "cy", WELSH)
    assert delivered_subject("cy", "LL-CY-2") == "Cawsom hi: LL-CY-2"
    for locale in ("en", "pl", "ar"):
        subject = delivered_subject(locale, f"LL-{locale}-2")
        assert subject == default_subject(locale, f"LL-{locale}-2") and "Cawsom" not in subject
    assert effective_source(EVENT, CHANNEL, "en")[2] == "default"


def test_english_wording_on_one_channel_is_not_used_on_another() -> None:
    save(factories.make_user("manager"), "en")
    assert effective_source(EVENT, "letter", "en")[2] == "default"
    assert effective_source(EVENT, "letter", "cy")[2] == "default"


def test_changing_english_puts_every_other_language_in_the_review_list() -> None:
    from backend import config

    save(factories.make_user("manager"), "en")
    others = [loc for loc in config.current().enabled_locales if loc != "en"]
    assert pending() == [(EVENT, CHANNEL, loc) for loc in sorted(others)]
    (welsh,) = [s for s in reviews.pending_reviews() if s.locale == "cy"]
    assert welsh.english_changed_at == english_changed_at() and welsh.origin == "default"


def test_review_clears_the_entry_and_records_who_and_when() -> None:
    manager = factories.make_user("manager")
    save(manager, "en")
    review = reviews.mark_reviewed(actor_for_user(manager), EVENT, CHANNEL, "cy", english_changed_at())
    assert pending("cy") == [] and pending("pl") == [(EVENT, CHANNEL, "pl")]
    assert (review.reviewed_by_id, review.english_changed_at) == (manager.id, english_changed_at())
    (state,) = reviews.wording_states(EVENT, CHANNEL, "cy")
    assert state.reviewed_by == manager.display_name and state.reviewed_at == review.reviewed_at
    audit = AuditEvent.get(AuditEvent.action == "template.translation_reviewed")
    assert audit.entity_id == str(review.id) and audit.actor_user_id == manager.id
    again = reviews.mark_reviewed(actor_for_user(manager), EVENT, CHANNEL, "cy", english_changed_at())
    assert again.id == review.id and again.reviewed_at == review.reviewed_at  # the same English: nothing new
    assert AuditEvent.select().where(AuditEvent.action == "template.translation_reviewed").count() == 1


def test_editing_the_language_clears_its_entry() -> None:
    manager = factories.make_user("manager")
    save(manager, "en")
    save(manager, "cy", WELSH)
    assert pending("cy") == []
    (state,) = reviews.wording_states(EVENT, CHANNEL, "cy")
    assert state.origin == "template" and state.reviewed_at is None


def test_english_changed_again_after_the_review_asks_again() -> None:
    manager = factories.make_user("manager")
    save(manager, "en")
    save(manager, "cy", WELSH)
    first = english_changed_at()
    save(manager, "en", ("Received: {{ reference }}", ENGLISH[1]))
    assert english_changed_at() > first
    assert pending("cy") == [(EVENT, CHANNEL, "cy")]
    (state,) = reviews.wording_states(EVENT, CHANNEL, "cy")
    assert state.english_changed_at == english_changed_at() and state.changed_at is not None


def test_saving_english_unchanged_asks_for_no_new_review() -> None:
    manager = factories.make_user("manager")
    save(manager, "en")
    reviews.mark_reviewed(actor_for_user(manager), EVENT, CHANNEL, "cy", english_changed_at())
    save(manager, "en")
    assert pending("cy") == []


def test_a_review_of_english_that_changed_since_is_refused() -> None:
    manager = factories.make_user("manager")
    save(manager, "en")
    read = english_changed_at()
    save(manager, "en", ("Received: {{ reference }}", ENGLISH[1]))
    with pytest.raises(Conflict) as error:
        reviews.mark_reviewed(actor_for_user(manager), EVENT, CHANNEL, "cy", read)
    assert error.value.code == "english_changed"
    assert pending("cy") == [(EVENT, CHANNEL, "cy")]


def test_a_review_reads_the_english_change_in_any_offset() -> None:
    manager = factories.make_user("manager")
    save(manager, "en")
    in_paris = english_changed_at().replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=1)))
    reviews.mark_reviewed(actor_for_user(manager), EVENT, CHANNEL, "cy", in_paris)
    assert pending("cy") == []


def test_nothing_to_review_while_english_is_the_default() -> None:
    manager = factories.make_user("manager")
    save(manager, "cy", WELSH)
    assert pending() == []
    with pytest.raises(Conflict) as error:
        reviews.mark_reviewed(actor_for_user(manager), EVENT, CHANNEL, "cy", dt.datetime(2026, 1, 1))
    assert error.value.code == "nothing_to_review"


@pytest.mark.parametrize(
    ("event", "channel", "locale", "field"),
    [
        ("no.such_event", CHANNEL, "cy", "event"),
        (EVENT, "pigeon", "cy", "channel"),
        (EVENT, CHANNEL, "en", "locale"),
        (EVENT, CHANNEL, "xx", "locale"),
    ],
)
def test_a_review_of_something_that_does_not_exist_is_refused(event, channel, locale, field) -> None:
    manager = factories.make_user("manager")
    with pytest.raises(Invalid) as error:
        reviews.mark_reviewed(actor_for_user(manager), event, channel, locale, dt.datetime(2026, 1, 1))
    assert (error.value.field, error.value.code) == (field, "unsupported")


def test_only_managers_and_admins_mark_reviews() -> None:
    save(factories.make_user("manager"), "en")
    with pytest.raises(NotAllowed):
        reviews.mark_reviewed(actor_for_user(factories.make_user("staff")), EVENT, CHANNEL, "cy", english_changed_at())
    assert pending("cy") == [(EVENT, CHANNEL, "cy")]


def test_a_default_without_a_finished_translation_is_shown_as_untranslated(monkeypatch) -> None:
    from babel.support import NullTranslations

    assert default_is_translated(EVENT, CHANNEL, "en")
    default_is_translated.cache_clear()
    monkeypatch.setattr("backend.notifications.templates.translations", lambda locale: NullTranslations())
    try:
        (state,) = reviews.wording_states(EVENT, CHANNEL, "cy")
        assert state.origin == "default" and state.translated is False
    finally:
        default_is_translated.cache_clear()


WORDING_STATES = """
query ($pending: Boolean) {
  messageWordingStates(reviewPending: $pending) { event channel locale origin englishChangedAt reviewedBy }
}
"""
MARK_REVIEWED = """
mutation ($input: MessageTranslationMarkReviewedInput!) {
  messageTranslationMarkReviewed(input: $input) {
    __typename
    ... on MessageTranslationReviewed { review { locale englishChangedAt reviewedBy { id } } }
    ... on ConflictError { code message }
    ... on NotAllowedError { message }
    ... on ValidationError { field code }
  }
}
"""


def test_review_list_and_review_through_the_api(signed_in, browser) -> None:
    manager = signed_in("manager")
    save(manager, "en")
    states = browser.graphql(WORDING_STATES, {"pending": True}).get_json()["data"]["messageWordingStates"]
    welsh = [s for s in states if s["locale"] == "cy"]
    assert [(s["event"], s["channel"], s["origin"]) for s in welsh] == [(EVENT, CHANNEL, "default")]
    changed = welsh[0]["englishChangedAt"]
    variables = {"input": {"event": EVENT, "channel": CHANNEL, "locale": "cy", "englishChangedAt": changed}}
    result = browser.graphql(MARK_REVIEWED, variables).get_json()["data"]["messageTranslationMarkReviewed"]
    assert result["__typename"] == "MessageTranslationReviewed"
    assert result["review"]["locale"] == "cy" and result["review"]["reviewedBy"]["id"]
    states = browser.graphql(WORDING_STATES, {"pending": True}).get_json()["data"]["messageWordingStates"]
    assert "cy" not in {s["locale"] for s in states}


def test_api_review_problems_are_typed(signed_in, browser) -> None:
    manager = signed_in("manager")
    save(manager, "en")
    stale = {"event": EVENT, "channel": CHANNEL, "locale": "cy", "englishChangedAt": "2020-01-01T00:00:00Z"}
    result = browser.graphql(MARK_REVIEWED, {"input": stale}).get_json()["data"]["messageTranslationMarkReviewed"]
    assert (result["__typename"], result["code"]) == ("ConflictError", "english_changed") and result["message"]
    english = {**stale, "locale": "en"}
    result = browser.graphql(MARK_REVIEWED, {"input": english}).get_json()["data"]["messageTranslationMarkReviewed"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "locale", "unsupported")


def test_residents_see_no_wording_states_and_have_no_review_mutation(signed_in, browser) -> None:
    save(factories.make_user("manager"), "en")
    signed_in("resident")
    assert browser.graphql(WORDING_STATES, {"pending": True}).get_json()["data"]["messageWordingStates"] == []
    variables = {
        "input": {"event": EVENT, "channel": CHANNEL, "locale": "cy", "englishChangedAt": "2026-01-01T00:00:00Z"}
    }
    refused = browser.graphql(MARK_REVIEWED, variables).get_json()
    assert refused.get("data") is None and "messageTranslationMarkReviewed" in str(refused["errors"])
    assert pending("cy") == [(EVENT, CHANNEL, "cy")]


CHANGED_AT = re.compile(r'name="english_changed_at" value="([^"]+)"')
WELSH_EDIT = f"/console/templates/{EVENT}/{CHANNEL}/cy"


def test_console_lists_each_languages_state_and_clears_the_review(signed_in, browser) -> None:
    manager = signed_in("manager")
    english = browser.submit(
        f"/console/templates/{EVENT}/{CHANNEL}/en",
        {"subject": ENGLISH[0], "body": ENGLISH[1], "action": "save"},
    )
    assert english.status_code == 302
    index = browser.client.get("/console/templates").get_data(as_text=True)
    day = format_date(english_changed_at().replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE), "long", locale="en_GB")
    assert f"English changed on {day}: review the translation" in index
    assert "Translations to review" in index and 'href="/console/templates/reviews"' in index
    listing = browser.client.get("/console/templates/reviews").get_data(as_text=True)
    assert listing.count("Mark as reviewed<span") == len(pending()) and "Cymraeg" in listing
    (changed,) = {m for m in CHANGED_AT.findall(listing)}
    done = browser.submit(f"{WELSH_EDIT}/review", {"english_changed_at": changed}, page="/console/templates/reviews")
    assert done.status_code == 302 and done.headers["Location"].endswith("/console/templates/reviews")
    assert pending("cy") == [] and pending("pl") == [(EVENT, CHANNEL, "pl")]
    welsh = browser.client.get(WELSH_EDIT).get_data(as_text=True)
    assert "review the translation" not in welsh
    assert f"Last reviewed against the English by {manager.display_name} on {day}." in welsh
    assert "Got it: {{ reference }}" in welsh  # the English, for comparison


def test_console_edit_page_marks_the_review_and_saving_clears_it_too(signed_in, browser) -> None:
    manager = signed_in("manager")
    save(manager, "en")
    page = browser.client.get(WELSH_EDIT).get_data(as_text=True)
    assert "review the translation" in page and 'value="review"' in page
    subject, body, _origin = effective_source(EVENT, CHANNEL, "cy")
    (changed,) = CHANGED_AT.findall(page)
    as_a_browser_sends_it = body.replace("\n", "\r\n")
    marked = browser.submit(
        WELSH_EDIT,
        {"subject": subject, "body": as_a_browser_sends_it, "action": "review", "english_changed_at": changed},
    )
    assert marked.status_code == 302 and pending("cy") == []
    save(manager, "en", ("Received: {{ reference }}", ENGLISH[1]))
    assert pending("cy") == [(EVENT, CHANNEL, "cy")]
    saved = browser.submit(WELSH_EDIT, {"subject": WELSH[0], "body": WELSH[1], "action": "save"})
    assert saved.status_code == 302 and pending("cy") == []


def test_console_review_with_unsaved_changes_keeps_what_was_typed(signed_in, browser) -> None:
    save(signed_in("manager"), "en")
    (changed,) = CHANGED_AT.findall(browser.client.get(WELSH_EDIT).get_data(as_text=True))
    typed = {
        "subject": "Fy mhwnc",
        "body": "Testun newydd {{ name }}",
        "action": "review",
        "english_changed_at": changed,
    }
    response = browser.submit(WELSH_EDIT, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Save it instead" in page
    assert 'value="Fy mhwnc"' in page and "Testun newydd {{ name }}</textarea>" in page
    assert 'aria-invalid="true"' in page and pending("cy") == [(EVENT, CHANNEL, "cy")]


@pytest.mark.parametrize("seen", ["2020-01-01T00:00:00", "not a moment", "9" * 80])
def test_console_review_of_english_that_changed_since_says_so(signed_in, browser, seen) -> None:
    save(signed_in("manager"), "en")
    response = browser.submit(f"{WELSH_EDIT}/review", {"english_changed_at": seen}, page="/console/templates/reviews")
    assert response.status_code == 302
    page = browser.client.get("/console/templates/reviews").get_data(as_text=True)
    assert "The English wording changed again since you opened this page" in page
    assert pending("cy") == [(EVENT, CHANNEL, "cy")]


def test_case_handlers_see_the_review_list_but_cannot_mark_reviews(signed_in, browser) -> None:
    save(factories.make_user("manager"), "en")
    signed_in("staff")
    listing = browser.client.get("/console/templates/reviews").get_data(as_text=True)
    assert "English changed on" in listing and "Mark as reviewed" not in listing
    changed = english_changed_at().isoformat()
    refused = browser.submit(f"{WELSH_EDIT}/review", {"english_changed_at": changed}, page="/console/templates")
    assert refused.status_code == 403 and pending("cy") == [(EVENT, CHANNEL, "cy")]


def test_review_list_says_when_nothing_waits(signed_in, browser) -> None:
    signed_in("manager")
    page = browser.client.get("/console/templates/reviews").get_data(as_text=True)
    assert "Nothing to review" in page and "<table" not in page
    assert "Translations to review" not in browser.client.get("/console/templates").get_data(as_text=True)
