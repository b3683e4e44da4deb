"""Every resource the API lets you search has its full-text index, and searching lessons and meetings finds them."""

from __future__ import annotations

from typing import Any

from backend.db import db, is_postgres
from schema import discovery
from tests import factories


def test_every_searchable_resource_has_its_index() -> None:
    searched = [resource for resource in discovery.domains().resources if getattr(resource, "search", None)]
    assert searched, "the check must see at least one searchable resource"
    suffix = "_search" if is_postgres() else "_fts"
    missing = [
        resource.name for resource in searched if f"{resource.model._meta.table_name}{suffix}" not in db.get_tables()
    ]
    assert missing == []


def test_staff_search_lessons_and_meetings_by_their_words(browser: Any, signed_in: Any) -> None:
    factories.make_lesson(title="Scaffolding left up for months")
    factories.make_lesson(title="Letters sent to the wrong address")
    factories.make_meeting()  # "Repairs team meeting"
    signed_in("staff")
    body = browser.graphql(
        '{ lessons(search: "scaffolding") { nodes { title } } meetings(search: "repairs") { nodes { title } } }'
    ).get_json()
    assert "errors" not in body, body
    assert [n["title"] for n in body["data"]["lessons"]["nodes"]] == ["Scaffolding left up for months"]
    assert [n["title"] for n in body["data"]["meetings"]["nodes"]] == ["Repairs team meeting"]


def test_staff_search_panels_reviews_and_pack_items_by_their_words(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review(topic="Damp and mould repairs")
    factories.make_scrutiny_review(review.panel, topic="The complaints journey")
    factories.make_pack_item(review, title="Damp policy 2025")
    signed_in("staff")
    body = browser.graphql(
        '{ scrutinyReviews(search: "mould") { nodes { topic } } packItems(search: "policy") { nodes { title } } }'
    ).get_json()
    assert "errors" not in body, body
    assert [row["topic"] for row in body["data"]["scrutinyReviews"]["nodes"]] == ["Damp and mould repairs"]
    assert [row["title"] for row in body["data"]["packItems"]["nodes"]] == ["Damp policy 2025"]


def test_a_name_changed_without_stamping_the_row_keeps_the_index_whole() -> None:
    """A statement that leaves ``updated_at`` for its trigger to stamp fires the index's update trigger again, for
    the stamping update: the index must still hold exactly the row's words (SQLite's integrity check)."""
    from backend.accounts.models import User
    from backend.lessons.models import Lesson

    person = factories.make_user(home=factories.make_home(), phone="07700900123")
    lesson = factories.make_lesson(title="Scaffolding left up for months")
    User.update(display_name="Gwen Morgan", email="gwen@example.net", home=None, phone=None, is_active=False).where(
        User.id == person.id
    ).execute()
    Lesson.update(title="Scaffolding taken down late").where(Lesson.id == lesson.id).execute()
    if not is_postgres():
        for table in ("account", "lesson"):
            db.execute_sql(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")
    found = [
        row[0]
        for row in db.execute_sql(
            "SELECT rowid FROM account_fts WHERE account_fts MATCH 'morgan'"
            if not is_postgres()
            else "SELECT id FROM account_search WHERE document @@ to_tsquery('simple', 'morgan')"
        )
    ]
    assert found == [person.id]
