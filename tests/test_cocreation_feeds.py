"""The Atom feeds of published changes and published digests: valid Atom, in the asked language, public only."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from backend.cocreation.models import Digest
from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None
    return root


def _entries(root: ET.Element) -> list[dict[str, str]]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title", ""),
            "summary": entry.findtext(f"{ATOM}summary", ""),
            "link": next((link.get("href", "") for link in entry.findall(f"{ATOM}link")), ""),
            "updated": entry.findtext(f"{ATOM}updated", ""),
            "id": entry.findtext(f"{ATOM}id", ""),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_changes_feed_has_each_published_change_with_its_easy_read_summary(client) -> None:
    factories.make_change(reference="CH-2026-01", title={"en": "Reminder texts"}, easy_read={"en": "We text first."})
    factories.make_change(reference="CH-2026-02", published_at=None)
    (entry,) = _entries(_feed(client, "/changes.atom"))
    assert (entry["title"], entry["summary"]) == ("Reminder texts", "We text first.")
    assert entry["link"].endswith("/changes/CH-2026-01") and entry["id"] == entry["link"]
    assert dt.datetime.fromisoformat(entry["updated"]).tzinfo is not None


def test_changes_feed_in_welsh_uses_welsh_text_and_english_otherwise(client) -> None:
    factories.make_change(reference="CH-2026-03", title={"en": "Reminders", "cy": "Nodiadau atgoffa"})
    factories.make_change(reference="CH-2026-04", title={"en": "Only English"})
    root = _feed(client, "/changes.atom?lang=cy")
    assert {entry["title"] for entry in _entries(root)} == {"Nodiadau atgoffa", "Only English"}
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"


def test_digests_feed_has_published_digests_only(client) -> None:
    factories.make_digest(2026, 1, status="published", published_at=dt.datetime(2026, 4, 2, 9))
    factories.make_digest(2026, 2)
    (entry,) = _entries(_feed(client, "/digests.atom"))
    assert entry["link"].endswith("/digests/2026-q1") and "2026" in entry["title"]
    assert entry["summary"] == "What you told us this quarter, and what we did."


def test_empty_feeds_are_still_valid(client) -> None:
    Digest.delete().execute()
    assert _entries(_feed(client, "/digests.atom")) == []
    assert _entries(_feed(client, "/changes.atom")) == []


def test_feeds_are_linked_from_the_hub(client) -> None:
    page = client.get("/you-said-we-did").get_data(as_text=True)
    assert 'href="/changes.atom?lang=en"' in page and 'href="/digests.atom?lang=en"' in page


def test_feed_links_use_the_sites_own_address_whatever_the_host_header(client) -> None:
    factories.make_change(reference="CH-2026-01")
    text = client.get("/changes.atom", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in text
