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
