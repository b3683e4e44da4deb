"""The console overview (tiles counting each queue, charts), search, and lists downloaded as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from backend.accounts.models import User
from backend.complaints.models import Clock, Complaint, Contact
from backend.timeutil import local_date
from portal import exports
from tests import factories


def page_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def due_on(complaint: Any, day: dt.date) -> Any:
    Complaint.update(next_due_on=day).where(Complaint.id == complaint.id).execute()
    return complaint


def tile(page: str, key: str) -> tuple[int, str]:
    """The count and link of one tile on the overview."""
    found = re.search(
        rf'<li class="tile tile--{key}">\s*<a href="([^"]+)"><span class="tile-count">([\d,]+)</span>', page
    )
    assert found, f"no tile {key}"
    return int(found.group(2).replace(",", "")), found.group(1).replace("&amp;", "&")


def named(name: str, **values: Any) -> Any:
    user = factories.make_user(home=factories.make_home(), **values)
    user.display_name = name
    user.save()
    return user


def refs(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/console/(?:complaints|contacts)/\d+">([^<]+)</a></th>', page)


# --- Overview -----------------------------------------------------------------------------------------------


def test_overview_counts_my_work_and_each_count_links_to_its_queue(browser, signed_in) -> None:
    me = signed_in("staff")
    today = local_date()
    overdue = due_on(factories.acknowledged_complaint(me), today - dt.timedelta(days=1))
    due_today = due_on(factories.acknowledged_complaint(me), today)
    later = due_on(factories.acknowledged_complaint(me), today + dt.timedelta(days=30))
    due_on(factories.acknowledged_complaint(), today)  # someone else's
    factories.make_complaint()  # new, nobody handles it, not acknowledged
    page = page_of(browser.client.get("/console/"))
    count, href = tile(page, "today")
    assert count == 2
    assert sorted(refs(page_of(browser.client.get(href)))) == sorted([overdue.reference, due_today.reference])
    count, href = tile(page, "mine_breached")
    assert count == 1 and refs(page_of(browser.client.get(href))) == [overdue.reference]
    assert later.reference not in page_of(browser.client.get(tile(page, "week")[1]))
    count, href = tile(page, "unacknowledged")
    assert count == 1 and len(refs(page_of(browser.client.get(href)))) == 1
    assert tile(page, "unassigned")[0] == 1
    assert tile(page, "calls")[1] == "/console/calls"
    assert "tile--team_open" not in page  # only managers see their team


def test_overview_shows_a_manager_their_teams_figures(browser, signed_in) -> None:
    boss = signed_in("manager")
    report = factories.make_staff(manager=User.get_by_id(boss.id))
    mine = due_on(factories.acknowledged_complaint(report), local_date() - dt.timedelta(days=3))
    due_on(factories.acknowledged_complaint(), local_date() - dt.timedelta(days=3))  # another team's
    page = page_of(browser.client.get("/console/"))
    count, href = tile(page, "team_breached")
    assert count == 1
    assert refs(page_of(browser.client.get(href))) == [mine.reference]
    assert tile(page, "team_open")[0] == 1


def test_team_filter_is_ignored_for_staff_who_manage_nobody(browser, signed_in) -> None:
    signed_in("staff")
    complaint = factories.acknowledged_complaint()
    assert complaint.reference in page_of(browser.client.get("/console/complaints?view=open&team=1"))


def test_overview_charts_are_svg_with_their_figures_in_a_table(browser, signed_in) -> None:
    signed_in("staff")
    factories.make_complaint()
    answered = factories.responded_complaint()
    Clock.update(breached=True).where((Clock.complaint == answered.id) & (Clock.kind == "respond")).execute()
    factories.responded_complaint()
    page = page_of(browser.client.get("/console/"))
    assert page.count("<svg") == 2 and 'role="img"' in page
    assert "<script" not in page.split("<main", 1)[-1]
    week_rows = re.findall(r'<caption id="received-chart-caption">.*?</tbody>', page, flags=re.S)[0]
    assert len(re.findall(r"<tr><th scope=\"row\"", week_rows)) == 12
    # Three complaints opened this week: the last row of the table.
    assert re.findall(r"<td>(\d+)</td>", week_rows)[-1] == "3"
    month_rows = re.findall(r'<caption id="timely-chart-caption">.*?</tbody>', page, flags=re.S)[0]
    assert "50% (1 of 2)" in month_rows


def test_tiles_are_one_list_others_can_add_to(browser, signed_in) -> None:
    from portal.console import dashboard

    extra = dashboard.Tile("extra", "new", "Something new", lambda: 7, lambda: "/console/calls")
    dashboard.TILES.append(extra)
    try:
        signed_in("staff")
        assert tile(page_of(browser.client.get("/console/")), "extra") == (7, "/console/calls")
    finally:
        dashboard.TILES.remove(extra)


# --- Search -------------------------------------------------------------------------------------------------


def test_search_finds_a_complaint_by_reference_name_postcode_and_words(browser, signed_in) -> None:
    signed_in("staff")
    resident = named("Bronwen Pritchard")
    home = resident.home
    home.postcode = "CF10 1AA"
    home.save()
    complaint = factories.make_complaint(resident, description="Black mould behind the wardrobe")
    factories.make_complaint()  # another one, never found
    for query in [complaint.reference, "pritchard", "cf10 1aa", "mould wardrobe", "Bronwen CF10"]:
        page = page_of(browser.client.get("/console/search", query_string={"q": query}))
        assert complaint.reference in refs(page), query
        assert len(set(refs(page))) == 1, query
    assert complaint.reference not in page_of(browser.client.get("/console/search", query_string={"q": "mould zebra"}))


def test_search_box_is_in_the_console_header(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get("/console/complaints"))
    assert 'role="search"' in page and 'action="/console/search"' in page


def test_search_pages_its_results(browser, signed_in) -> None:
    signed_in("staff")
    resident = named("Many Complaints")
    made = {factories.make_complaint(resident).reference for _ in range(27)}
    page = page_of(browser.client.get("/console/search", query_string={"q": "Many"}))
    first = set(refs(page)) & made
    assert len(first) == 25 and "27 complaints found" in page
    after = re.search(r'href="(/console/search\?[^"]*complaints_after=[^"]+)"', page).group(1).replace("&amp;", "&")
    rest = set(refs(page_of(browser.client.get(after)))) & made
    assert rest == made - first


def test_search_never_shows_what_the_viewer_may_not_see(browser, signed_in) -> None:
    signed_in("resident")
    assert browser.client.get("/console/search?q=Person").status_code == 403
    assert browser.client.get("/console/search.csv?q=Person").status_code == 403


def test_search_limits_what_it_searches_for(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get("/console/search", query_string={"q": " ".join(f"w{i}" for i in range(12))}))
    assert "Only the first 5 words" in page


# --- CSV ----------------------------------------------------------------------------------------------------


def rows_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_cell_a_spreadsheet_would_run_is_neutralised() -> None:
    for text in ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"]:
        assert exports.safe_cell(text) == "'" + text
    assert exports.safe_cell("Plain") == "Plain" and exports.safe_cell(None) == "" and exports.safe_cell(3) == "3"


def test_queue_downloads_as_csv_with_formulas_neutralised(browser, signed_in) -> None:
    me = signed_in("staff")
    resident = named("=HYPERLINK(1)")
    mine = factories.acknowledged_complaint(me, resident=resident)
    factories.acknowledged_complaint()  # someone else's
    page = page_of(browser.client.get("/console/complaints?view=mine"))
    assert 'href="/console/complaints.csv?view=mine"' in page
    rows = rows_of(browser.client.get("/console/complaints.csv?view=mine"))
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == [mine.reference]
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_queue_csv_holds_every_page(browser, signed_in) -> None:
    me = signed_in("staff")
    for _ in range(103):
        due_on(factories.make_complaint(), local_date())
    Complaint.update(handler=me.id).execute()
    assert len(rows_of(browser.client.get("/console/complaints.csv?view=mine"))) == 104


def test_new_contacts_and_search_results_download_as_csv(browser, signed_in) -> None:
    signed_in("staff")
    contact = factories.make_contact(description="Noisy pipes at night")
    assert [row[0] for row in rows_of(browser.client.get("/console/complaints.csv?view=new"))[1:]] == [
        contact.reference
    ]
    found = rows_of(browser.client.get("/console/search.csv?q=pipes&list=contacts"))
    assert [row[0] for row in found[1:]] == [contact.reference]
    assert rows_of(browser.client.get("/console/search.csv?q=pipes&list=complaints"))[1:] == []


# --- The case page and each action on its own page ---------------------------------------------------------


def test_case_page_lists_actions_as_links_and_holds_no_step_form(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}"
    page = page_of(browser.client.get(url))
    assert 'aria-labelledby="actions-nav-heading"' in page
    for name in ("respond", "extend", "note", "words", "update"):
        assert f'href="{url}/{name}"' in page, name
        assert f'id="step-{name}"' not in page, name
    assert f'action="{url}/respond"' not in page


def test_an_action_page_shows_the_case_in_brief_and_only_its_form(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}"
    page = page_of(browser.client.get(f"{url}/extend"))
    assert 'id="step-extend"' in page and "<h1" in page
    assert 'id="step-respond"' not in page and 'id="notes"' not in page
    assert complaint.reference in page and f'href="{url}"' in page


def test_a_step_sent_with_mistakes_comes_back_on_its_own_page(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/update"
    response = browser.submit(url, {"update-body": ""}, page=url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="step-update"' in page and 'id="step-errors"' in page and 'id="step-respond"' not in page


def test_a_step_that_cannot_be_undone_is_confirmed_first(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/withdraw"
    asked = browser.submit(url, {"withdraw-reason": "Sorted out by phone."}, page=url)
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "t be undone." in page and "Sorted out by phone." in page
    assert 'name="withdraw-reason" value="Sorted out by phone."' in page
    assert Complaint.get_by_id(complaint.id).status == "received"  # nothing changed yet
    back = browser.submit(url, {"withdraw-reason": "Sorted out by phone.", "change": "1"}, page=url)
    assert back.status_code == 200 and 'id="step-withdraw"' in back.get_data(as_text=True)
    assert "Sorted out by phone.</textarea>" in back.get_data(as_text=True)
    assert Complaint.get_by_id(complaint.id).status == "received"
    done = browser.submit(url, {"withdraw-reason": "Sorted out by phone.", "confirmed": "1"}, page=url)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/console/complaints/{complaint.id}")
    assert Complaint.get_by_id(complaint.id).status == "withdrawn"


def test_a_step_page_of_someone_elses_or_no_complaint_is_not_found(browser, signed_in) -> None:
    signed_in("staff")
    assert browser.client.get("/console/complaints/999999/respond").status_code == 404
    complaint = factories.make_complaint()
    assert browser.client.get(f"/console/complaints/{complaint.id}/no-such-step").status_code == 404


def test_audit_trail_downloads_as_csv_for_managers_only(browser, signed_in) -> None:
    factories.make_audit_event("=cmd.ran", entity_id=42)
    signed_in("staff")
    assert browser.client.get("/console/audit.csv").status_code == 403
    browser.sign_out()
    signed_in("manager")
    assert 'href="/console/audit.csv"' in page_of(browser.client.get("/console/audit"))
    rows = rows_of(browser.client.get("/console/audit.csv"))
    assert rows[0][:3] == ["When", "Who", "What"]
    assert ["'=cmd.ran", "42"] in [[row[2], row[4]] for row in rows[1:]]


def test_search_finds_someone_without_an_account_and_takes_five_words(browser, signed_in) -> None:
    contact = factories.make_contact_person()  # Alex Doe, named on a contact
    signed_in("staff")
    page = page_of(browser.client.get("/console/search", query_string={"q": "alex doe"}))
    assert contact.contact.reference in refs(page)
    five = page_of(browser.client.get("/console/search", query_string={"q": "alex doe tap three weeks"}))
    assert contact.contact.reference in refs(five)


def test_calls_to_make_download_as_csv(browser, signed_in) -> None:
    call = factories.make_call_task()
    signed_in("staff")
    page = page_of(browser.client.get("/console/calls"))
    assert 'href="/console/calls.csv?status=open"' in page
    rows = rows_of(browser.client.get("/console/calls.csv?status=open"))
    assert rows[0][:2] == ["Name", "Phone number"]
    assert [row[0] for row in rows[1:]] == [exports.safe_cell(call.name)]
    assert rows_of(browser.client.get("/console/calls.csv?status=done"))[1:] == []


# --- Who a case is from, and codes in words, in search and CSV ----------------------------------------------


def search_row(page: str, reference: str) -> str:
    """The text of the search results' row for ``reference``, tags removed."""
    found = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]+>{re.escape(reference)}</a></th>(.*?)</tr>", page, re.S)
    assert found, f"no row for {reference}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_search_names_a_complainant_without_an_account_by_the_name_they_gave(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth")
    signed_in("staff")
    page = page_of(browser.client.get("/console/search", query_string={"q": "unsworth"}))
    row = search_row(page, contact.reference)
    assert "Gwen Unsworth" in row and "No account" not in row


def test_search_names_a_contact_without_an_account_by_the_name_they_gave(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth", wants_to_complain=False)
    signed_in("staff")
    page = page_of(browser.client.get("/console/search", query_string={"q": "unsworth"}))
    assert "Gwen Unsworth" in search_row(page, contact.reference)


def test_queue_csv_names_a_complainant_without_an_account_and_says_anonymous(browser, signed_in) -> None:
    named_contact = factories.make_contact_from_person("Gwen Unsworth")
    anonymous = factories.make_contact_from_person(anonymous=True)
    signed_in("staff")
    rows = rows_of(browser.client.get("/console/complaints.csv?view=unassigned"))
    who = {row[0]: row[1] for row in rows[1:]}
    assert who[named_contact.reference] == "Gwen Unsworth"
    assert who[anonymous.reference] == "Anonymous"


def test_new_contacts_csv_names_someone_without_an_account(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth", wants_to_complain=False)
    signed_in("staff")
    rows = rows_of(browser.client.get("/console/complaints.csv?view=new"))
    assert [row[:2] for row in rows[1:]] == [[contact.reference, "Gwen Unsworth"]]


def test_queue_csv_writes_stage_and_status_in_words(browser, signed_in) -> None:
    factories.make_complaint()
    signed_in("staff")
    header, row = rows_of(browser.client.get("/console/complaints.csv?view=unassigned"))
    assert (row[header.index("Stage")], row[header.index("Status")]) == (
        "stage 1",
        "Received: awaiting acknowledgement",
    )


def test_new_contacts_csv_writes_channel_status_and_kind_in_words(browser, signed_in) -> None:
    contact = factories.make_contact(channel="phone")
    Contact.update(kind="service_request").where(Contact.id == contact.id).execute()
    signed_in("staff")
    header, row = rows_of(browser.client.get("/console/complaints.csv?view=new"))
    cells = [row[header.index(name)] for name in ("How", "Status", "Kind")]
    assert cells == ["Phone", "New: not yet classified", "Service request"]


def test_search_csv_writes_status_in_the_viewers_language(browser, signed_in) -> None:
    complaint = factories.make_complaint(description="Pibellau swnllyd")
    signed_in("staff", locale="cy")
    header, row = rows_of(browser.client.get("/console/search.csv", query_string={"q": "swnllyd"}))
    assert row[0] == complaint.reference
    assert row[4] == "Wedi dod i law: yn aros am gydnabyddiaeth"
