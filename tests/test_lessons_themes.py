"""Themes: creating and editing them with a resident-facing text per enabled language, archiving, merging, the
links staff confirm between lessons or contacts and themes, the priority weights, and each theme's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.context import Actor
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.lessons import theme_figures, themes
from backend.lessons.models import ContactTheme, LessonTheme, Theme, ThemeText
from backend.lessons.themes import TextInput
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


@pytest.fixture
def staff() -> Actor:
    return actor_of(factories.make_staff())


@pytest.fixture
def manager() -> Actor:
    return actor_of(factories.make_user("staff", "manager"))


def every_language(name: str = "Repairs") -> list[TextInput]:
    return [TextInput(locale, f"{name} ({locale})", "What residents read.") for locale in themes.enabled_locales()]


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def test_create_theme_records_texts_and_audit(staff: Actor) -> None:
    theme = themes.create_theme(staff, " Damp and mould ", every_language())
    assert theme.name == "Damp and mould"
    assert ThemeText.select().where(ThemeText.theme == theme.id).count() == len(themes.enabled_locales())
    assert (
        AuditEvent.select().where(AuditEvent.action == "theme.created", AuditEvent.entity_id == str(theme.id)).exists()
    )


def test_is_ready_only_with_a_name_in_every_enabled_language(staff: Actor) -> None:
    partial = themes.create_theme(staff, "Partial", every_language()[:1])
    whole = themes.create_theme(staff, "Whole", every_language())
    assert (themes.is_ready(partial.id), themes.is_ready(whole.id)) == (False, True)


@pytest.mark.parametrize(
    ("name", "texts", "expected"),
    [
        ("", [], ("name", "required")),
        ("\u200b ", [], ("name", "required")),
        ("x" * 101, [], ("name", "too_long")),
        ("Two\nlines", [], ("name", "hidden_characters")),
        ("Fine", [TextInput("xx", "Name")], ("texts", "unsupported")),
        ("Fine", [TextInput("en", "A"), TextInput("en", "B")], ("texts", "duplicate")),
        ("Fine", [TextInput("en", "x" * 101)], ("texts", "too_long")),
        ("Fine", [TextInput("en", "", "A description with no name")], ("texts", "required")),
        ("Fine", [TextInput("en", "Name", "x" * 10_001)], ("texts", "too_long")),
    ],
)
def test_create_theme_with_bad_input_is_refused(staff: Actor, name: str, texts: list, expected: tuple) -> None:
    with pytest.raises(Invalid) as raised:
        themes.create_theme(staff, name, texts)
    assert expected in codes(raised.value)
    assert not Theme.select().where(Theme.name == "Fine").exists()


def test_create_theme_with_a_name_taken_in_another_case_is_refused(staff: Actor) -> None:
    themes.create_theme(staff, "Repairs")
    with pytest.raises(Invalid) as raised:
        themes.create_theme(staff, "REPAIRS")
    assert ("name", "duplicate") in codes(raised.value)


@pytest.mark.parametrize("roles", [("resident",), ("panel_member",), ("advocate",)])
def test_create_theme_by_non_staff_is_not_allowed(roles: tuple) -> None:
    with pytest.raises(NotAllowed):
        themes.create_theme(actor_of(factories.make_user(*roles)), "Repairs")


def test_create_theme_with_read_only_token_is_not_allowed() -> None:
    user = factories.make_staff()
    with pytest.raises(NotAllowed):
        themes.create_theme(Actor(user.id, user.role_names(), token_id=1, scope="read"), "Repairs")


def _texts(theme_id: int) -> dict[str, str]:
    return {t.locale: t.name for t in ThemeText.select().where(ThemeText.theme == theme_id)}


def test_update_theme_changes_only_the_languages_given_and_drops_blank_ones(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs", every_language())
    themes.update_theme(
        staff, theme.id, "Repairs and upkeep", [TextInput("en", "Repairs", "Fixing things."), TextInput("cy")]
    )
    others = {t.locale: t.name for t in every_language() if t.locale not in ("en", "cy")}
    assert (Theme.get_by_id(theme.id).name, _texts(theme.id)) == ("Repairs and upkeep", {**others, "en": "Repairs"})


def test_renaming_a_theme_keeps_its_texts(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs", every_language())
    themes.update_theme(staff, theme.id, "Repairs and upkeep")
    assert Theme.get_by_id(theme.id).name == "Repairs and upkeep"
    assert _texts(theme.id) == {t.locale: t.name for t in every_language()}
    assert themes.is_ready(theme.id)


def test_changing_a_text_keeps_the_name(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs", every_language())
    themes.update_theme(staff, theme.id, texts=[TextInput("en", "Repairs and upkeep")])
    assert (Theme.get_by_id(theme.id).name, _texts(theme.id)["en"]) == ("Repairs", "Repairs and upkeep")


def test_update_theme_with_a_blank_name_is_refused(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    with pytest.raises(Invalid) as raised:
        themes.update_theme(staff, theme.id, " ")
    assert codes(raised.value) == {("name", "required")}


def test_update_theme_with_nothing_different_audits_nothing(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs", every_language())
    themes.update_theme(staff, theme.id, "Repairs", every_language())
    assert not (
        AuditEvent.select().where(AuditEvent.action == "theme.updated", AuditEvent.entity_id == str(theme.id)).exists()
    )


def test_update_theme_that_is_not_there_is_not_found(staff: Actor) -> None:
    with pytest.raises(NotFound):
        themes.update_theme(staff, 999_999, "Anything", [])


def test_update_archived_theme_is_a_conflict(staff: Actor, manager: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    themes.archive_theme(manager, theme.id)
    with pytest.raises(Conflict):
        themes.update_theme(staff, theme.id, "Repairs again", [])


def test_archive_theme_by_staff_who_is_not_a_manager_is_not_allowed(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    with pytest.raises(NotAllowed):
        themes.archive_theme(staff, theme.id)


def test_merge_theme_moves_links_once_and_records_where_it_went(staff: Actor, manager: Actor) -> None:
    source, target = themes.create_theme(staff, "Leaks"), themes.create_theme(staff, "Damp")
    shared, own = factories.make_lesson(), factories.make_lesson()
    contact = factories.make_contact()
    for lesson in (shared, own):
        themes.link_lesson(staff, lesson.id, source.id)
    themes.link_lesson(staff, shared.id, target.id)
    themes.link_contact(staff, contact.id, source.id)
    themes.merge_theme(manager, source.id, target.id)
    merged = Theme.get_by_id(source.id)
    lessons = {link.lesson_id for link in LessonTheme.select().where(LessonTheme.theme == target.id)}
    assert (merged.merged_into_id, lessons) == (target.id, {shared.id, own.id})
    assert ContactTheme.get(ContactTheme.contact == contact.id).theme_id == target.id
    assert not LessonTheme.select().where(LessonTheme.theme == source.id).exists()


def test_merge_theme_into_itself_is_refused(staff: Actor, manager: Actor) -> None:
    theme = themes.create_theme(staff, "Leaks")
    with pytest.raises(Invalid) as raised:
        themes.merge_theme(manager, theme.id, theme.id)
    assert codes(raised.value) == {("into_id", "same_theme")}


def test_merge_theme_into_an_archived_theme_is_a_conflict(staff: Actor, manager: Actor) -> None:
    source, target = themes.create_theme(staff, "Leaks"), themes.create_theme(staff, "Damp")
    themes.archive_theme(manager, target.id)
    with pytest.raises(Conflict):
        themes.merge_theme(manager, source.id, target.id)


def test_link_lesson_records_who_confirmed_it_in_the_lessons_history(staff: Actor) -> None:
    theme, lesson = themes.create_theme(staff, "Leaks"), factories.make_lesson()
    link = themes.link_lesson(staff, lesson.id, theme.id)
    assert link.linked_by_id == staff.user_id
    assert (
        AuditEvent.select()
        .where(
            AuditEvent.action == "lesson.theme_linked",
            AuditEvent.entity_type == "lesson",
            AuditEvent.entity_id == str(lesson.id),
        )
        .exists()
    )


def test_link_lesson_twice_is_a_conflict(staff: Actor) -> None:
    theme, lesson = themes.create_theme(staff, "Leaks"), factories.make_lesson()
    themes.link_lesson(staff, lesson.id, theme.id)
    with pytest.raises(Conflict):
        themes.link_lesson(staff, lesson.id, theme.id)


@pytest.mark.parametrize(("lesson_id", "theme_id", "error"), [(999_999, None, NotFound), (None, 999_999, Invalid)])
def test_link_lesson_to_something_not_there_is_refused(
    staff: Actor, lesson_id: Any, theme_id: Any, error: type
) -> None:
    lesson, theme = factories.make_lesson(), themes.create_theme(staff, "Leaks")
    with pytest.raises(error):
        themes.link_lesson(staff, lesson_id or lesson.id, theme_id or theme.id)


def test_unlink_lesson_removes_the_link(staff: Actor) -> None:
    theme, lesson = themes.create_theme(staff, "Leaks"), factories.make_lesson()
    themes.link_lesson(staff, lesson.id, theme.id)
    themes.unlink_lesson(staff, lesson.id, theme.id)
    assert not LessonTheme.select().where(LessonTheme.lesson == lesson.id).exists()


def test_unlink_lesson_not_linked_is_not_found(staff: Actor) -> None:
    theme, lesson = themes.create_theme(staff, "Leaks"), factories.make_lesson()
    with pytest.raises(NotFound):
        themes.unlink_lesson(staff, lesson.id, theme.id)


def test_link_contact_of_a_hidden_case_answers_like_not_there(staff: Actor) -> None:
    named = factories.make_staff()
    complaint = factories.make_complaint_staff(person=named).complaint
    theme = themes.create_theme(staff, "Conduct")
    with pytest.raises(NotFound):
        themes.link_contact(actor_of(named), complaint.contact_id, theme.id)
    assert not ContactTheme.select().where(ContactTheme.contact == complaint.contact_id).exists()


def test_unlink_contact_removes_the_link(staff: Actor) -> None:
    theme, contact = themes.create_theme(staff, "Leaks"), factories.make_contact()
    themes.link_contact(staff, contact.id, theme.id)
    themes.unlink_contact(staff, contact.id, theme.id)
    assert not ContactTheme.select().where(ContactTheme.contact == contact.id).exists()


def test_set_weights_changes_only_those_given(manager: Actor) -> None:
    after = themes.set_weights(manager, {"impact": 2.5})
    assert after == {**themes.weights(), "impact": 2.5}
    assert themes.weights()["impact"] == 2.5


@pytest.mark.parametrize(
    ("values", "field"), [({"impact": -1}, "impact"), ({"impact": 1001}, "impact"), ({"luck": 1}, "luck")]
)
def test_set_weights_with_bad_input_is_refused(manager: Actor, values: dict, field: str) -> None:
    with pytest.raises(Invalid) as raised:
        themes.set_weights(manager, values)
    assert field in {f for f, _ in codes(raised.value)}


def test_set_weights_with_nothing_given_is_refused(manager: Actor) -> None:
    with pytest.raises(Invalid) as raised:
        themes.set_weights(manager, {})
    assert codes(raised.value) == {("weights", "none_given")}


def test_set_weights_all_zero_is_refused(manager: Actor) -> None:
    before = themes.weights()
    with pytest.raises(Invalid) as raised:
        themes.set_weights(manager, dict.fromkeys(themes.FACTORS, 0))
    assert codes(raised.value) == {("weights", "all_zero")}
    assert themes.weights() == before


def test_set_weights_leaving_only_zeros_with_those_kept_is_refused(manager: Actor) -> None:
    themes.set_weights(manager, {"residents_affected": 0, "upheld_complaints": 0, "votes": 0, "impact": 1})
    with pytest.raises(Invalid):
        themes.set_weights(manager, {"impact": 0})


def test_set_weights_by_staff_who_is_not_a_manager_is_not_allowed(staff: Actor) -> None:
    with pytest.raises(NotAllowed):
        themes.set_weights(staff, {"impact": 2})


def test_trend_counts_contacts_complaints_and_upheld_by_uk_month(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    today = local_date()
    upheld = factories.responded_complaint()
    plain = factories.make_complaint()
    contact = factories.make_contact()
    for linked in (upheld.contact_id, plain.contact_id, contact.id):
        themes.link_contact(staff, linked, theme.id)
    months = theme_figures.trend(theme.id, today)
    this_month = months[-1]
    assert (len(months), months[0].month) == (12, theme_figures.month_starts(today)[0])
    assert (this_month.contacts, this_month.complaints, this_month.upheld_complaints) == (3, 2, 1)


def test_trend_leaves_out_contacts_older_than_twelve_months(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    old = factories.make_contact(received_at=dt.datetime.now() - dt.timedelta(days=400))
    themes.link_contact(staff, old.id, theme.id)
    assert sum(m.contacts for m in theme_figures.trend(theme.id)) == 0


def test_priority_combines_the_weighted_factors(staff: Actor, manager: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    resident = factories.make_user("resident")
    for contact in (factories.make_contact(resident), factories.make_contact(resident)):
        themes.link_contact(staff, contact.id, theme.id)
    themes.link_contact(staff, factories.responded_complaint().contact_id, theme.id)
    themes.link_lesson(staff, factories.make_lesson(business_impact=4, resident_impact=5).id, theme.id)
    themes.set_weights(manager, {"residents_affected": 1, "upheld_complaints": 10, "impact": 0.5, "votes": 100})
    theme_figures.ensure_current()
    row = Theme.select(theme_figures.priority_sql(Theme.id).alias("score")).where(Theme.id == theme.id).dicts().get()
    # 2 residents x 1 + 1 upheld x 10 + (4 + 5) x 0.5 + 0 votes x 100
    assert float(row["score"]) == pytest.approx(16.5)


def test_trends_keeps_each_theme_apart_in_one_statement(staff: Actor) -> None:
    first, second = themes.create_theme(staff, "Repairs"), themes.create_theme(staff, "Noise")
    for contact in (factories.make_contact(), factories.make_contact()):
        themes.link_contact(staff, contact.id, first.id)
    themes.link_contact(staff, factories.make_contact().id, second.id)
    found = theme_figures.trends()
    assert (found[first.id][-1].contacts, found[second.id][-1].contacts) == (2, 1)


def test_merge_theme_into_a_theme_not_there_is_refused(staff: Actor, manager: Actor) -> None:
    theme = themes.create_theme(staff, "Leaks")
    with pytest.raises(Invalid) as raised:
        themes.merge_theme(manager, theme.id, 999_999)
    assert codes(raised.value) == {("into_id", "theme_not_found")}


def test_set_weights_out_of_range_says_decimals_are_allowed(manager: Actor) -> None:
    from schema.error_texts import message_for

    with pytest.raises(Invalid) as raised:
        themes.set_weights(manager, {"impact": 1000.5})
    assert "decimals allowed" in message_for(raised.value.problems[0], lambda text: text)
