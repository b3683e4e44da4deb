"""Theme suggestions for a lesson, ranked by the database's full-text ranking (run on SQLite and on PostgreSQL
with LEARNLOOP_TEST_DATABASE_URL): the closest theme first, from its names, its texts and its lessons' texts,
kept in step with every change, and never a theme already linked, archived or merged."""

from __future__ import annotations

import pytest

from backend.context import Actor
from backend.errors import NotFound
from backend.lessons import theme_suggestions, themes
from backend.lessons.models import Lesson
from backend.lessons.themes import TextInput
from tests import factories
from tests.factories import actor_of


@pytest.fixture
def staff() -> Actor:
    return actor_of(factories.make_staff())


def suggested(lesson_id: int) -> list[str]:
    return [s.name for s in theme_suggestions.suggest_themes(lesson_id)]


def lesson(title: str, early: str = "", event: str = "") -> Lesson:
    return factories.make_lesson(title, early_lesson=early, event_summary=event)


@pytest.fixture
def three(staff: Actor) -> dict[str, int]:
    return {
        "damp": themes.create_theme(
            staff, "Damp and mould", [TextInput("en", "Damp homes", "Mould on walls, condensation")]
        ).id,
        "repairs": themes.create_theme(staff, "Repairs appointments", [TextInput("en", "Repairs", "Missed visits")]).id,
        "noise": themes.create_theme(
            staff, "Antisocial behaviour", [TextInput("en", "Noise", "Neighbours and noise")]
        ).id,
    }


def test_suggest_themes_ranks_the_closest_theme_first(three: dict[str, int]) -> None:
    found = lesson("Mould came back after the damp survey", "Condensation on the bedroom walls")
    assert suggested(found.id)[0] == "Damp and mould"


def test_suggest_themes_leaves_out_themes_that_share_no_word(three: dict[str, int]) -> None:
    found = lesson("Mould came back after the damp survey")
    assert "Antisocial behaviour" not in suggested(found.id)


def test_suggest_themes_matches_word_forms(three: dict[str, int]) -> None:
    found = lesson("Neighbour noises at night")
    assert suggested(found.id)[:1] == ["Antisocial behaviour"]


def test_suggest_themes_reads_the_texts_of_lessons_already_linked(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Communication")
    themes.create_theme(staff, "Estates")
    themes.link_lesson(staff, lesson("Letters sent with the wrong boiler engineer details").id, theme.id)
    assert suggested(lesson("Boiler engineer letters were confusing").id) == ["Communication"]


def test_suggest_themes_follows_a_renamed_text(staff: Actor, three: dict[str, int]) -> None:
    found = lesson("Parking permits refused")
    assert suggested(found.id) == []
    themes.update_theme(staff, three["noise"], "Antisocial behaviour", [TextInput("en", "Parking", "Parking permits")])
    assert suggested(found.id) == ["Antisocial behaviour"]


def test_suggest_themes_follows_an_edited_lesson(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Communication")
    linked = lesson("Letters unclear")
    themes.link_lesson(staff, linked.id, theme.id)
    found = lesson("Scaffolding left up for months")
    assert suggested(found.id) == []
    Lesson.update(event_summary="Scaffolding outside the block for months").where(Lesson.id == linked.id).execute()
    assert suggested(found.id) == ["Communication"]


def test_suggest_themes_leaves_out_linked_archived_and_merged_themes(staff: Actor, three: dict[str, int]) -> None:
    manager = actor_of(factories.make_user("staff", "manager"))
    found = lesson("Damp, mould, repairs and noise", "Missed repairs visits, condensation, neighbours")
    themes.link_lesson(staff, found.id, three["damp"])
    themes.archive_theme(manager, three["repairs"])
    themes.merge_theme(manager, three["noise"], three["damp"])
    assert suggested(found.id) == []


def test_suggest_themes_for_a_lesson_of_only_common_words_is_empty(three: dict[str, int]) -> None:
    assert suggested(lesson("It was the one that they had").id) == []


def test_suggest_themes_with_query_syntax_in_the_text_is_safe(three: dict[str, int]) -> None:
    found = lesson('mould" OR NEAR(damp) * ^ - : ( ) | & ! <->')
    assert suggested(found.id)[0] == "Damp and mould"


def test_suggest_themes_for_a_lesson_not_there_is_not_found() -> None:
    with pytest.raises(NotFound):
        theme_suggestions.suggest_themes(999_999)
