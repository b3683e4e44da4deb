"""A lesson's reference, LS-YYYY-NNNN, is the next number of the year even when a reference of the year that is not
a number was recorded (brought in from elsewhere)."""

from __future__ import annotations

import pytest

from backend.lessons.lessons import next_reference
from backend.lessons.models import Lesson
from tests import factories


def lesson_numbered(reference: str) -> None:
    lesson = factories.make_lesson()
    Lesson.update(reference=reference).where(Lesson.id == lesson.id).execute()


@pytest.mark.parametrize("odd", ["LS-2026-a3f1", "LS-2026-zzzz", "LS-2026-12ab", "LS-2026-²"])
def test_next_reference_passes_over_a_tail_that_is_not_a_number(odd: str) -> None:
    lesson_numbered("LS-2026-0007")
    lesson_numbered(odd)
    assert next_reference(2026) == "LS-2026-0008"


def test_next_reference_of_a_year_with_only_odd_references_starts_at_one() -> None:
    lesson_numbered("LS-2026-a3f1")
    assert next_reference(2026) == "LS-2026-0001"
