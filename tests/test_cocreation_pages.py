"""The landlord's own pages: admins write them per language in a small safe markup; everyone reads them, in their
language, in English otherwise, or as the built-in default."""

from __future__ import annotations

import pytest

from backend.audit.models import AuditEvent
from backend.cocreation import pages
from backend.cocreation.models import LandlordPage
from backend.errors import Invalid, NotAllowed
from tests import factories


def test_set_page_by_admin_is_shown_and_audited() -> None:
    admin = factories.make_user("admin")
    page = pages.set_page(factories.actor_of(admin), "accessibility", "en", "Accessibility", "We aim for WCAG 2.2 AA.")
    assert (page.title, page.updated_by_id) == ("Accessibility", admin.id)
    assert pages.shown_page("accessibility", "en").body == "We aim for WCAG 2.2 AA."
    assert AuditEvent.select().where(AuditEvent.action == "landlord_page.set").count() == 1


def test_set_page_again_rewrites_the_one_row() -> None:
    actor = factories.actor_of(factories.make_user("admin"))
    pages.set_page(actor, "privacy", "cy", "Preifatrwydd", "Un")
    pages.set_page(actor, "privacy", "cy", "Preifatrwydd", "Dau")
    assert [row.body for row in LandlordPage.select().where(LandlordPage.kind == "privacy")] == ["Dau"]


@pytest.mark.parametrize("role", ["staff", "manager", "resident"])
def test_set_page_by_anyone_but_an_admin_is_refused(role: str) -> None:
    with pytest.raises(NotAllowed):
        pages.set_page(factories.actor_of(factories.make_user(role)), "contact", "en", "Contact", "Ring us.")


@pytest.mark.parametrize(
    ("kind", "locale", "title", "body", "problems"),
    [
        ("about", "en", "T", "B", {("kind", "invalid")}),
        ("contact", "xx", "T", "B", {("locale", "unsupported")}),
        ("contact", "en", "", "", {("title", "required"), ("body", "required")}),
        ("contact", "en", "T" * 201, "B" * 50_001, {("title", "too_long"), ("body", "too_long")}),
        ("contact", "en", "Two\nlines", "B", {("title", "hidden_characters")}),
    ],
)
def test_set_page_with_bad_input_lists_every_problem(kind, locale, title, body, problems) -> None:
    with pytest.raises(Invalid) as raised:
        pages.set_page(factories.actor_of(factories.make_user("admin")), kind, locale, title, body)
    assert {(problem.field, problem.code) for problem in raised.value.problems} == problems


def test_shown_page_falls_back_to_english_then_the_default() -> None:
    assert pages.shown_page("contact", "cy").built_in
    factories.make_landlord_page("contact", "en", title="Contact us", body="Ring us.")
    shown = pages.shown_page("contact", "cy")
    assert (shown.locale, shown.title, shown.built_in) == ("en", "Contact us", False)
    factories.make_landlord_page("contact", "cy", title="Cysylltu", body="Ffoniwch ni.")
    assert pages.shown_page("contact", "cy").title == "Cysylltu"


def test_shown_page_of_no_such_kind_is_none() -> None:
    assert pages.shown_page("about", "en") is None


def test_default_accessibility_statement_names_wcag_and_the_landlord(settings) -> None:
    shown = pages.default_page("accessibility")
    assert "WCAG" in shown.body and "2.2" in shown.body and settings.landlord_name in shown.body


def test_default_complaints_policy_links_to_how_to_complain() -> None:
    assert "(/how-to-complain)" in pages.default_page("complaints_policy").body


def test_blocks_make_headings_lists_paragraphs_and_safe_links() -> None:
    shown = pages.blocks(
        "## Help\n\nFirst line\nsame paragraph.\n\n- [Site](https://example.org)\n- [Mail](mailto:a@example.org)\n"
        "- [Bad](javascript:alert(1))"
    )
    assert [block["kind"] for block in shown] == ["heading", "paragraph", "list"]
    assert shown[1]["parts"] == [{"text": "First line same paragraph."}]
    items = shown[2]["items"]
    assert items[0] == [{"text": "Site", "href": "https://example.org"}]
    assert items[1] == [{"text": "Mail", "href": "mailto:a@example.org"}]
    assert all("href" not in part for part in items[2])


def test_page_never_shows_raw_html(client) -> None:
    factories.make_landlord_page(
        "privacy", "en", title="<b>Privacy</b>", body="<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    page = client.get("/pages/privacy").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and 'href="javascript' not in page
    assert "&lt;b&gt;Privacy&lt;/b&gt;" in page


def test_page_in_welsh_falls_back_to_english_marked_with_its_language(client) -> None:
    factories.make_landlord_page("contact", "en", title="Contact us", body="Ring us.")
    client.set_cookie("locale", "cy")
    page = client.get("/pages/contact", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert '<div lang="en"' in page and "Contact us" in page


def test_page_of_no_such_kind_is_404(client) -> None:
    assert client.get("/pages/about").status_code == 404


@pytest.mark.parametrize("kind", ["contact", "complaints_policy", "accessibility", "privacy"])
def test_every_page_has_a_default_and_a_print_view(client, kind: str) -> None:
    assert client.get(f"/pages/{kind}").status_code == 200
    page = client.get(f"/pages/{kind}?print=1").get_data(as_text=True)
    assert 'class="print-view"' in page


def test_footer_links_to_the_landlords_pages(client) -> None:
    page = client.get("/").get_data(as_text=True)
    for kind in ("contact", "complaints_policy", "accessibility", "privacy"):
        assert f'href="/pages/{kind}"' in page


@pytest.mark.parametrize("href", ["//evil.example/x", "/\\evil.example/x", "/a\\b"])
def test_a_link_that_a_browser_reads_as_another_site_stays_plain_words(href: str) -> None:
    (block,) = pages.blocks(f"[away]({href})")
    assert block["parts"] == [{"text": "away"}] or all("href" not in part for part in block["parts"])


def test_a_link_to_a_page_of_this_site_is_kept() -> None:
    (block,) = pages.blocks("[how to complain](/how-to-complain)")
    assert {"text": "how to complain", "href": "/how-to-complain"} in block["parts"]
