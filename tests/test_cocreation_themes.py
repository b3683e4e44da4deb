"""Published themes, their approved quotes and residents' suggestions of new themes, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.cocreation import public_themes, quotes, suggestions
from backend.cocreation.models import ModerationAction, RoundTheme, SuggestionStatus, ThemeQuote, ThemeSuggestion, Vote
from backend.complaints.models import Contact
from backend.db import count_statements
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.lessons.models import Theme, ThemeText
from backend.lessons.themes import archive_theme, enabled_locales
from backend.notifications.registry import EVENTS
from backend.timeutil import utcnow
from tests import factories
from tests.factories import actor_of, make_user


def ready_theme(name: str | None = None) -> Theme:
    """A theme named for residents in every enabled language, not published."""
    theme = factories.make_theme(name)
    for locale in enabled_locales():
        ThemeText.create(theme=theme.id, locale=locale, name=f"{theme.name} {locale}", description=f"About {locale}")
    return theme


def manager() -> Any:
    return actor_of(make_user("manager"))


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name))


# --- publishing ---------------------------------------------------------------------------------------------------


def test_publish_theme_ready_for_residents_makes_it_public() -> None:
    theme = ready_theme()
    published = public_themes.publish_theme(manager(), theme.id)
    assert published.published_at is not None
    assert public_themes.is_public(theme.id)
    assert AuditEvent.select().where(AuditEvent.action == "theme.published").count() == 1


def test_publish_theme_twice_counts_once() -> None:
    theme = ready_theme()
    actor = manager()
    first = public_themes.publish_theme(actor, theme.id).published_at
    assert public_themes.publish_theme(actor, theme.id).published_at == first
    assert AuditEvent.select().where(AuditEvent.action == "theme.published").count() == 1


def test_publish_theme_missing_a_language_is_refused() -> None:
    theme = factories.make_theme()
    ThemeText.create(theme=theme.id, locale="en", name="Repairs")
    with pytest.raises(Conflict) as raised:
        public_themes.publish_theme(manager(), theme.id)
    assert raised.value.code == "theme_not_ready"


def test_publish_theme_by_staff_is_not_allowed() -> None:
    with pytest.raises(NotAllowed):
        public_themes.publish_theme(actor_of(make_user("staff")), ready_theme().id)


def test_publish_archived_theme_is_refused() -> None:
    theme = ready_theme()
    archive_theme(manager(), theme.id)
    with pytest.raises(Conflict) as raised:
        public_themes.publish_theme(manager(), theme.id)
    assert raised.value.code == "theme_ended"


def test_archiving_a_published_theme_takes_it_off_the_public_pages() -> None:
    theme = ready_theme()
    public_themes.publish_theme(manager(), theme.id)
    archive_theme(manager(), theme.id)
    assert public_themes.public_theme(theme.id, "en") is None
    assert theme.id not in [t.id for t in public_themes.public_themes("en")]


def test_unpublish_theme_keeps_its_votes() -> None:
    theme = ready_theme()
    public_themes.publish_theme(manager(), theme.id)
    vote = factories.make_vote(factories.make_priority_round(themes=[theme]), theme)
    public_themes.unpublish_theme(manager(), theme.id)
    assert not public_themes.is_public(theme.id)
    assert Vote.get_by_id(vote.id).dots == 1


# --- the public view ----------------------------------------------------------------------------------------------


def test_public_theme_is_in_the_readers_language() -> None:
    theme = factories.make_published_theme(locales=("en", "cy"))
    shown = public_themes.public_theme(theme.id, "cy")
    assert shown is not None
    assert (shown.name.text, shown.name.locale) == (f"{theme.name} (cy)", "cy")


def test_public_theme_falls_back_to_english_and_says_so() -> None:
    theme = factories.make_published_theme(locales=("en",))
    shown = public_themes.public_theme(theme.id, "ar")
    assert shown is not None
    assert (shown.name.text, shown.name.locale) == (f"{theme.name} (en)", "en")


def test_public_theme_of_an_unpublished_theme_is_none() -> None:
    assert public_themes.public_theme(ready_theme().id, "en") is None


def test_public_theme_shows_approved_quotes_only() -> None:
    theme = factories.make_published_theme()
    factories.make_theme_quote(theme, text="Approved words.", status="approved", approved_at=utcnow())
    factories.make_theme_quote(theme, text="Proposed words.")
    factories.make_theme_quote(theme, text="Withdrawn words.", status="withdrawn")
    shown = public_themes.public_theme(theme.id, "en")
    assert shown is not None and [q.text for q in shown.quotes] == ["Approved words."]


def test_public_theme_quotes_fall_back_to_english_when_none_in_the_language() -> None:
    theme = factories.make_published_theme(locales=("en", "cy"))
    factories.make_theme_quote(theme, text="English words.", status="approved", approved_at=utcnow())
    shown = public_themes.public_theme(theme.id, "cy")
    assert shown is not None and [(q.text, q.locale) for q in shown.quotes] == [("English words.", "en")]
    factories.make_theme_quote(theme, locale="cy", text="Geiriau.", status="approved", approved_at=utcnow())
    shown = public_themes.public_theme(theme.id, "cy")
    assert shown is not None and [(q.text, q.locale) for q in shown.quotes] == [("Geiriau.", "cy")]


def test_public_theme_result_is_the_latest_counted_round() -> None:
    theme = factories.make_published_theme()
    now = utcnow()
    older = factories.make_priority_round(themes=[theme], counted_at=now - dt.timedelta(days=60))
    newer = factories.make_priority_round(themes=[theme], counted_at=now - dt.timedelta(days=1))
    factories.make_priority_round(themes=[theme])  # open, not counted
    RoundTheme.update(votes=4, voters=3).where(RoundTheme.round == older.id).execute()
    RoundTheme.update(votes=9, voters=7).where(RoundTheme.round == newer.id).execute()
    shown = public_themes.public_theme(theme.id, "en")
    assert shown is not None and shown.result is not None
    assert (shown.result.round_id, shown.result.votes, shown.result.voters) == (newer.id, 9, 7)
    assert shown.open_round


def test_public_theme_without_a_counted_round_has_no_result() -> None:
    theme = factories.make_published_theme()
    factories.make_priority_round(themes=[theme])
    shown = public_themes.public_theme(theme.id, "en")
    assert shown is not None and shown.result is None


def test_public_theme_lists_only_published_changes() -> None:
    theme = factories.make_published_theme()
    factories.make_change_theme(factories.make_change(reference="CH-2026-01"), theme)
    factories.make_change_theme(factories.make_change(reference="CH-2026-02", published_at=None), theme)
    shown = public_themes.public_theme(theme.id, "en")
    assert shown is not None and [c.reference for c in shown.changes] == ["CH-2026-01"]


@pytest.mark.parametrize("count", [1, 50])
def test_public_themes_statement_count_does_not_depend_on_themes(count: int) -> None:
    themes = [factories.make_published_theme() for _ in range(count)]
    counted = factories.make_priority_round(themes=themes, counted_at=utcnow())
    assert counted
    for theme in themes:
        factories.make_theme_quote(theme, status="approved", approved_at=utcnow())
        factories.make_change_theme(factories.make_change(), theme)
    with count_statements() as statements:
        shown = public_themes.public_themes("cy")
    assert len(shown) >= count
    assert len(statements) == 6, statements


# --- quotes -------------------------------------------------------------------------------------------------------


def test_propose_quote_redacts_the_contacts_parties_and_anything_personal() -> None:
    resident = make_user("resident", email="priya@example.org")
    User.update(display_name="Priya Shah").where(User.id == resident.id).execute()
    contact = factories.make_contact(resident)
    quote = quotes.propose_quote(
        actor_of(make_user("staff")),
        factories.make_published_theme().id,
        "en",
        "Priya Shah said: ring me on 07700 900123 or priya@example.org about LL-2026-000042.",
        contact.id,
    )
    assert "Priya" not in quote.text and "07700" not in quote.text and "priya@" not in quote.text
    assert "LL-2026" not in quote.text
    assert quote.status == "proposed" and quote.contact_id == contact.id
    assert len(events("cocreation.quote_proposed")) == 1


def test_propose_quote_twice_counts_once() -> None:
    actor, theme = actor_of(make_user("staff")), factories.make_published_theme()
    first = quotes.propose_quote(actor, theme.id, "en", "The repairs line never answers.")
    again = quotes.propose_quote(actor, theme.id, "en", "The repairs line never answers.")
    assert first.id == again.id and ThemeQuote.select().count() == 1


def test_propose_quote_from_a_hidden_contact_answers_as_not_found() -> None:
    staff = make_user("staff")
    contact = factories.make_contact()
    Contact.update(restricted_kind="safeguarding").where(Contact.id == contact.id).execute()
    with pytest.raises(Invalid) as raised:
        quotes.propose_quote(actor_of(staff), factories.make_published_theme().id, "en", "Words.", contact.id)
    assert [(p.field, p.code) for p in raised.value.problems] == [("contact_id", "not_found")]


@pytest.mark.parametrize(
    ("text", "locale", "problems"),
    [
        ("", "en", [("text", "required")]),
        ("x" * 501, "en", [("text", "too_long")]),
        ("Words.", "xx", [("locale", "unsupported")]),
        (" ", "xx", [("text", "required"), ("locale", "unsupported")]),
    ],
)
def test_propose_quote_with_bad_input_lists_every_problem(text: str, locale: str, problems: list) -> None:
    with pytest.raises(Invalid) as raised:
        quotes.propose_quote(actor_of(make_user("staff")), factories.make_published_theme().id, locale, text)
    assert [(p.field, p.code) for p in raised.value.problems] == problems


def test_approve_quote_by_its_proposer_is_not_allowed() -> None:
    proposer = actor_of(make_user("manager"))
    quote = quotes.propose_quote(proposer, factories.make_published_theme().id, "en", "Words.")
    with pytest.raises(NotAllowed) as raised:
        quotes.approve_quote(proposer, quote.id)
    assert raised.value.code == "own_quote"


def test_approve_quote_by_another_manager_makes_it_public() -> None:
    theme = factories.make_published_theme()
    quote = quotes.propose_quote(actor_of(make_user("staff")), theme.id, "en", "Words.")
    approved = quotes.approve_quote(manager(), quote.id)
    assert approved.status == "approved" and approved.approved_at is not None
    shown = public_themes.public_theme(theme.id, "en")
    assert shown is not None and [q.text for q in shown.quotes] == ["Words."]
    assert len(events("cocreation.quote_approved")) == 1


def test_withdraw_quote_takes_it_off_the_public_page() -> None:
    theme = factories.make_published_theme()
    quote = quotes.propose_quote(actor_of(make_user("staff")), theme.id, "en", "Words.")
    quotes.approve_quote(manager(), quote.id)
    quotes.withdraw_quote(manager(), quote.id)
    shown = public_themes.public_theme(theme.id, "en")
    assert shown is not None and shown.quotes == []
    with pytest.raises(Conflict):
        quotes.withdraw_quote(manager(), quote.id)


def test_withdraw_approved_quote_by_staff_is_not_allowed() -> None:
    quote = factories.make_theme_quote(status="approved", approved_at=utcnow())
    with pytest.raises(NotAllowed):
        quotes.withdraw_quote(actor_of(make_user("staff")), quote.id)


# --- suggestions --------------------------------------------------------------------------------------------------


def resident() -> Any:
    return actor_of(make_user("resident"))


def test_suggest_theme_records_it_pending_in_its_language() -> None:
    suggestion = suggestions.suggest_theme(resident(), "Bins left unemptied", "Full for a week.", "cy")
    assert (suggestion.status, suggestion.locale) == ("pending", "cy")


def test_suggest_theme_twice_counts_once() -> None:
    actor = resident()
    first = suggestions.suggest_theme(actor, "Bins", "Full.")
    assert suggestions.suggest_theme(actor, "Bins", "Full.").id == first.id


def test_suggest_theme_past_five_pending_is_refused() -> None:
    actor = resident()
    for n in range(suggestions.MAX_PENDING):
        suggestions.suggest_theme(actor, f"Theme {n}")
    with pytest.raises(Conflict) as raised:
        suggestions.suggest_theme(actor, "One more")
    assert raised.value.code == "too_many_suggestions"


@pytest.mark.parametrize(
    ("title", "description", "problems"),
    [
        ("", "", [("title", "required")]),
        ("x" * 101, "", [("title", "too_long")]),
        ("Two\nlines", "", [("title", "hidden_characters")]),
        ("Bins", "x" * 2001, [("description", "too_long")]),
        ("", "x" * 2001, [("title", "required"), ("description", "too_long")]),
    ],
)
def test_suggest_theme_with_bad_input_lists_every_problem(title: str, description: str, problems: list) -> None:
    with pytest.raises(Invalid) as raised:
        suggestions.suggest_theme(resident(), title, description)
    assert [(p.field, p.code) for p in raised.value.problems] == problems


def test_suggest_theme_by_staff_is_not_allowed() -> None:
    with pytest.raises(NotAllowed):
        suggestions.suggest_theme(actor_of(make_user("staff")), "Bins")


def test_accept_suggestion_makes_an_unpublished_theme_named_in_its_language() -> None:
    suggestion = suggestions.suggest_theme(resident(), "Biniau", "", "cy")
    accepted = suggestions.accept_suggestion(actor_of(make_user("staff")), suggestion.id, "Many told us.")
    assert accepted.status == SuggestionStatus.ACCEPTED
    theme = Theme.get_by_id(accepted.theme_id)
    assert theme.published_at is None
    assert ThemeText.get(ThemeText.theme == theme.id, ThemeText.locale == "cy").name == "Biniau"
    action = ModerationAction.get(ModerationAction.suggestion == suggestion.id)
    assert (action.action, action.reason) == ("accept", "Many told us.")
    moderated = events("cocreation.suggestion_moderated")
    assert [e.payload for e in moderated] == [{"suggestion_id": suggestion.id, "user_id": suggestion.author_id}]


def test_accept_suggestion_whose_title_is_a_theme_name_still_makes_a_theme() -> None:
    factories.make_theme("Bins")
    suggestion = suggestions.suggest_theme(resident(), "Bins")
    accepted = suggestions.accept_suggestion(actor_of(make_user("staff")), suggestion.id, "Yes.")
    assert Theme.get_by_id(accepted.theme_id).name.startswith("Bins (")


def test_link_suggestion_to_a_theme() -> None:
    theme = factories.make_published_theme()
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    linked = suggestions.link_suggestion(actor_of(make_user("staff")), suggestion.id, theme.id, "Already a theme.")
    assert (linked.status, linked.theme_id) == ("linked", theme.id)


def test_link_suggestion_to_no_theme_lists_every_problem() -> None:
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    with pytest.raises(Invalid) as raised:
        suggestions.link_suggestion(actor_of(make_user("staff")), suggestion.id, 0, "")
    assert [(p.field, p.code) for p in raised.value.problems] == [("reason", "required"), ("theme_id", "not_found")]


def test_decline_suggestion_needs_a_reason_of_at_most_1000_characters() -> None:
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    with pytest.raises(Invalid) as raised:
        suggestions.decline_suggestion(actor_of(make_user("staff")), suggestion.id, "x" * 1001)
    assert [(p.field, p.code) for p in raised.value.problems] == [("reason", "too_long")]


def test_moderating_a_suggestion_twice_is_a_conflict() -> None:
    staff = actor_of(make_user("staff"))
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    suggestions.decline_suggestion(staff, suggestion.id, "Not for us.")
    with pytest.raises(Conflict) as raised:
        suggestions.accept_suggestion(staff, suggestion.id, "Yes.")
    assert raised.value.code == "suggestion_moderated"


def test_moderating_by_a_resident_is_not_allowed() -> None:
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    with pytest.raises(NotAllowed):
        suggestions.decline_suggestion(resident(), suggestion.id, "No.")


def test_own_suggestion_of_someone_else_is_not_found() -> None:
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    with pytest.raises(NotFound):
        suggestions.own_suggestion(resident(), suggestion.id)


def test_suggestion_moderated_message_is_registered_and_says_the_outcome_in_the_residents_language() -> None:
    spec = EVENTS["cocreation.suggestion_moderated"]
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    suggestions.decline_suggestion(actor_of(make_user("staff")), suggestion.id, "Not for us.")
    assert spec.context is not None
    values = spec.context({"suggestion_id": suggestion.id}, None, "en")
    assert values["title"] == "Repairs late" and values["reason"] == "Not for us."
    assert values["outcome"] == "Not taken forward."


def test_moderation_history_lists_what_moderators_did() -> None:
    staff = make_user("staff")
    User.update(display_name="Jo Moderator").where(User.id == staff.id).execute()
    suggestion = suggestions.suggest_theme(resident(), "Repairs late")
    suggestions.decline_suggestion(actor_of(staff), suggestion.id, "Not for us.")
    history = suggestions.moderation_history()
    assert [(h.suggestion_id, h.action, h.moderator) for h in history] == [(suggestion.id, "decline", "Jo Moderator")]


# --- the pages ----------------------------------------------------------------------------------------------------


def test_themes_page_lists_published_themes_with_their_last_votes(browser) -> None:
    theme = factories.make_published_theme("Damp and mould")
    factories.make_theme("Staff-only theme")
    counted = factories.make_priority_round(themes=[theme], counted_at=utcnow())
    RoundTheme.update(votes=12, voters=8).where(RoundTheme.round == counted.id).execute()
    page = browser.client.get("/themes").get_data(as_text=True)
    assert "Damp and mould (en)" in page and "Staff-only theme" not in page
    assert "Votes: 12. Residents who voted for it: 8." in page


def test_theme_page_shows_approved_quotes_and_published_changes(browser) -> None:
    theme = factories.make_published_theme()
    factories.make_theme_quote(theme, text="Nobody rang back.", status="approved", approved_at=utcnow())
    factories.make_theme_quote(theme, text="Not approved yet.")
    factories.make_change_theme(factories.make_change(reference="CH-2026-07"), theme)
    page = browser.client.get(f"/themes/{theme.id}").get_data(as_text=True)
    assert "<blockquote><p>Nobody rang back.</p></blockquote>" in page
    assert "Not approved yet." not in page
    assert 'href="/changes/CH-2026-07"' in page


def test_theme_page_of_an_unpublished_theme_is_not_found(browser) -> None:
    assert browser.client.get(f"/themes/{factories.make_theme().id}").status_code == 404


def test_theme_page_marks_english_fallback_with_its_language(browser, signed_in) -> None:
    theme = factories.make_published_theme(locales=("en",))
    signed_in("resident", locale="cy")
    page = browser.client.get(f"/themes/{theme.id}").get_data(as_text=True)
    assert f'<span lang="en" dir="ltr">{theme.name} (en)</span>' in page


def test_suggest_page_asks_anonymous_visitors_to_sign_in(browser) -> None:
    assert browser.client.get("/themes/suggest").status_code == 302


def test_suggest_with_bad_input_shows_the_errors_and_keeps_the_text(browser, signed_in) -> None:
    signed_in("resident")
    response = browser.submit("/themes/suggest", {"title": "x" * 120, "description": "Kept words."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and 'id="title-error"' in page
    assert "Kept words." in page and "x" * 120 in page


def test_suggest_then_see_it_among_your_suggestions(browser, signed_in) -> None:
    user = signed_in("resident")
    response = browser.submit("/themes/suggest", {"title": "Bins", "description": "Full."})
    assert response.status_code == 302
    page = browser.client.get("/themes/suggest").get_data(as_text=True)
    assert "Bins" in page and "Waiting for a reply" in page
    assert ThemeSuggestion.get(ThemeSuggestion.author == user.id).title == "Bins"


def test_staff_decline_a_suggestion_from_the_queue(browser, signed_in) -> None:
    suggestion = factories.make_theme_suggestion(title="Parking")
    signed_in("staff")
    page = browser.client.get("/console/co-creation/suggestions").get_data(as_text=True)
    assert "Parking" in page
    response = browser.submit(
        f"/console/co-creation/suggestions/{suggestion.id}",
        {f"s{suggestion.id}-action": "decline", f"s{suggestion.id}-reason": "The council decides parking."},
        page="/console/co-creation/suggestions",
    )
    assert response.status_code == 302
    assert ThemeSuggestion.get_by_id(suggestion.id).status == "declined"
    page = browser.client.get("/console/co-creation/suggestions").get_data(as_text=True)
    assert "The council decides parking." in page


def test_staff_moderating_without_a_reason_see_the_error_beside_it(browser, signed_in) -> None:
    suggestion = factories.make_theme_suggestion(title="Parking")
    signed_in("staff")
    response = browser.submit(
        f"/console/co-creation/suggestions/{suggestion.id}",
        {f"s{suggestion.id}-action": "decline", f"s{suggestion.id}-reason": ""},
        page="/console/co-creation/suggestions",
    )
    assert response.status_code == 400
    assert f'id="s{suggestion.id}-reason-error"' in response.get_data(as_text=True)


def test_manager_publishes_a_ready_theme_from_the_console(browser, signed_in) -> None:
    theme = ready_theme("Lifts")
    signed_in("manager")
    page = browser.client.get("/console/co-creation/themes").get_data(as_text=True)
    assert "Publish Lifts" in page
    response = browser.submit(f"/console/co-creation/themes/{theme.id}/publish", {}, page="/console/co-creation/themes")
    assert response.status_code == 302
    assert public_themes.is_public(theme.id)


def test_staff_propose_a_quote_from_the_console(browser, signed_in) -> None:
    theme = factories.make_published_theme()
    signed_in("staff")
    response = browser.submit(
        "/console/co-creation/themes/quotes",
        {
            "quote-theme_id": str(theme.id),
            "quote-locale": "en",
            "quote-text": "Ring 07700 900123.",
            "quote-contact_id": "",
        },
        page="/console/co-creation/themes",
    )
    assert response.status_code == 302
    assert "07700" not in ThemeQuote.get(ThemeQuote.theme == theme.id).text
