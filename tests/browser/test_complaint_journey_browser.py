"""The whole journey across roles in headless Chromium, with scripts off: a resident complains with a photo,
a case handler acknowledges and answers, the resident escalates, the stage-1 handler is refused stage 2,
and a different handler answers stage 2, which closes the complaint with its minimum record."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import press, region
from tests.browser.test_pages import submit
from tests.test_complaints_api import png

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def choose(select: Any, name: str) -> None:
    """Pick the option whose words include ``name`` (options also show the person's team)."""
    value = select.locator("option", has_text=name).first.get_attribute("value")
    select.select_option(value=value)


def acknowledge(page: Any, point: str, outcome: str) -> None:
    step = region(page, "Acknowledge the complaint")
    first = step.get_by_role("group", name="Point 1")
    first.get_by_label("What the complaint is about").fill(point)
    first.get_by_label("The outcome they want").fill(outcome)
    step.get_by_label("What the resident wants to happen overall").fill(outcome)
    press(step, "Acknowledge")
    assert "The complaint is acknowledged." in page.locator(".flashes").inner_text()


def respond(page: Any, reasons: str, **learning: str) -> None:
    step = region(page, "Respond to the complaint")
    decision = step.get_by_role("group", name=re.compile(r"^Point \d")).first
    decision.get_by_label("Partly upheld", exact=True).check()
    decision.get_by_label("Reasons for this decision").fill("The first visit was missed.")
    step.get_by_label("Our answer and the reasons for it").fill(reasons)
    remedy = step.get_by_role("group", name="Remedy 1")
    remedy.get_by_label("Kind of remedy").select_option(label="An apology")
    remedy.get_by_label("What we will do").fill("An apology in writing.")
    remedy.get_by_label("Done by").fill("2030-01-31")
    remedy.get_by_label("Who will do it").select_option(index=1)
    # A point is partly upheld, so the cause and the remedial action are needed at every stage.
    step.get_by_label("The underlying cause").fill(learning.get("cause", "The first visit was not confirmed."))
    step.get_by_label("The remedial action we are taking").fill(
        learning.get("action", "Visits are confirmed the day before.")
    )
    press(step, "Issue the response")
    assert "The response has been issued." in page.locator(".flashes").inner_text()


def test_complaint_goes_through_both_stages_across_roles(new_page: NewPage) -> None:
    resident = new_page(javascript=False)
    sign_in_page(resident, ACCOUNTS["resident"])
    resident.goto("/cases/new")
    resident.get_by_label("Make a complaint: something has gone wrong and I am not happy").check()
    resident.get_by_label("Tell us what happened, in your own words").fill("The front door lock has been broken.")
    resident.get_by_label("Photos, recordings or documents (optional)").set_input_files(
        [{"name": "lock.png", "mimeType": "image/png", "buffer": png()}]
    )
    submit(resident, "Send")
    reference = re.search(r"LL-\d{4}-\d{6}", resident.locator(".flashes").inner_text())[0]
    case_path = re.sub(r"^https?://[^/]+", "", resident.url)

    handler = new_page(javascript=False)
    sign_in_page(handler, ACCOUNTS["staff"])
    handler.goto(case_path.replace("/cases/", "/console/contacts/"))
    with handler.expect_navigation():
        handler.get_by_role("link", name=re.compile(rf"^Go to complaint {reference}")).click()
    complaint_path = re.sub(r"^https?://[^/]+", "", handler.url)
    acknowledge(handler, "The front door lock is broken", "A new lock")
    respond(handler, "The contractor missed the first visit; the lock is now fixed.")

    resident.goto(case_path)
    assert resident.get_by_text("The contractor missed the first visit").is_visible()
    submit(resident, "Take my complaint to stage 2")
    assert resident.get_by_text("Your complaint has moved to stage 2").is_visible()

    handler.goto(complaint_path)
    assign = region(handler, "Assign a case handler")
    choose(assign.get_by_label("Case handler"), "Jordan Lee")
    press(assign, "Assign")
    assert "stage 2 handler must be someone other than the stage 1 handler" in handler.get_by_role("alert").inner_text()

    reviewer = new_page(javascript=False)
    sign_in_page(reviewer, ACCOUNTS["manager"])
    reviewer.goto(complaint_path)
    assign = region(reviewer, "Assign a case handler")
    choose(assign.get_by_label("Case handler"), "Chris Evans")
    press(assign, "Assign")
    acknowledge(reviewer, "The front door lock is broken", "Compensation for the wait")
    respond(reviewer, "We reviewed the case again.", cause="No backup contractor.", action="A second contractor.")
    assert "Closed" in reviewer.locator("dl.summary").first.inner_text()

    resident.goto(case_path)
    text = resident.locator("main").inner_text()
    assert "our final answer" in text.lower() or "final answer" in text
    assert "Housing Ombudsman" in text


def test_staff_classify_offer_mediation_refuse_and_record_the_ombudsman_by_keyboard(new_page: NewPage) -> None:
    from tests.browser.test_console_cases_browser import log_contact

    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["staff"])
    log_contact(page, "I am unhappy that my rent account was wrong for a year.", complaint=False)
    classify = region(page, "Classify this contact")
    classify.get_by_label("Complaint", exact=True).check()
    classify.get_by_label("Why").fill("They are unhappy with how we handled their rent account.")
    press(classify, "Classify")
    # Classifying as a complaint opens it and goes straight to it.
    assert re.search(r"/console/complaints/\d+$", page.url), page.url
    complaint_path = re.sub(r"^https?://[^/]+", "", page.url)

    mediation = region(page, "Offer mediation")
    mediation.get_by_label("How mediation was offered").fill("Offered a meeting with the rents manager by phone.")
    press(mediation, "Record the offer")
    assert "The offer of mediation has been recorded." in page.locator(".flashes").inner_text()

    refuse = region(page, "Do not take it forward")
    refuse.get_by_label("Legal proceedings have started").check()
    refuse.get_by_label("Reasons").fill("The county court claim about these arrears started in May.")
    press(refuse, "Do not take it forward")
    assert page.get_by_role("alert").is_visible()  # the Ombudsman's details must be given first
    refuse = region(page, "Do not take it forward")
    refuse.get_by_label("Legal proceedings have started").check()
    refuse.get_by_label("Reasons").fill("The county court claim about these arrears started in May.")
    refuse.get_by_label("The resident was given the Ombudsman's details").check()
    press(refuse, "Do not take it forward")
    assert "will not be taken forward" in page.locator(".flashes").inner_text()

    page.goto(complaint_path)
    refer = region(page, "Record a referral to the Ombudsman")
    refer.get_by_label("The Ombudsman's reference").fill("202601234")
    press(refer, "Record the referral")
    assert "The referral to the Ombudsman has been recorded." in page.locator(".flashes").inner_text()
    determination = region(page, "Record the Ombudsman's determination")
    determination.get_by_label("The Ombudsman's determination").select_option(label="Service failure")
    determination.get_by_label("Orders and recommendations").fill("Apologise and review the rent account process.")
    determination.get_by_label("Date the orders are due by").fill("2030-01-31")
    press(determination, "Record the determination")
    assert "The Ombudsman's determination has been recorded." in page.locator(".flashes").inner_text()


def test_offer_merge_close_update_and_withdraw_by_keyboard(new_page: NewPage) -> None:
    from tests.browser.test_console_cases_browser import log_contact

    staff = new_page(javascript=False)
    sign_in_page(staff, ACCOUNTS["staff"])
    # A service request, offered the choice to complain, done and closed.
    log_contact(staff, "Please fix the bathroom extractor fan.", complaint=False)
    press(staff.locator("main"), "Record that we offered the choice to complain")
    assert "offered the choice to make a complaint" in staff.locator(".flashes").inner_text()
    classify = region(staff, "Classify this contact")
    classify.get_by_label("Service request", exact=True).check()
    classify.get_by_label("Why").fill("A repair request.")
    press(classify, "Classify")
    press(staff.locator("main"), "Close the contact")
    assert "The contact is closed." in staff.locator(".flashes").inner_text()

    # A complaint, and a second call about it merged into it.
    complaint_contact = log_contact(staff, "The fan still does not work after two visits.", complaint=True)
    with staff.expect_navigation():
        staff.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    complaint_path = re.sub(r"^https?://[^/]+", "", staff.url)
    reference = re.search(r"LL-\d{4}-\d{6}", staff.locator("h1").inner_text())[0]
    log_contact(staff, "Ringing again about the fan.", complaint=False)
    merge = region(staff, "Merge into a complaint")
    merge.get_by_label("Complaint reference or number").fill(reference)
    merge.get_by_label("Why they belong together").fill("The same fan.")
    press(merge, "Merge")
    assert "merged into the complaint" in staff.locator(".flashes").inner_text()

    # The resident adds information; staff answer, complete the remedy, update and close.
    resident = new_page(javascript=False)
    sign_in_page(resident, ACCOUNTS["resident"])
    resident.goto(complaint_contact.replace("/console/contacts/", "/cases/"))
    resident.get_by_label("What would you like to add?").fill("The engineer said a part is on order.")
    submit(resident, "Add to my complaint")
    assert "We have added this to your complaint" in resident.locator(".flashes").inner_text()

    staff.goto(complaint_path)
    assert staff.get_by_text("Ringing again about the fan.").first.is_visible()
    assert staff.get_by_text("The engineer said a part is on order.").first.is_visible()
    acknowledge(staff, "The fan still does not work", "A working fan")
    respond(staff, "The part was on back order.")
    done = staff.get_by_role("button", name=re.compile(r"^Mark as done – An apology"))
    done.focus()
    with staff.expect_navigation():
        staff.keyboard.press("Enter")
    update = region(staff, "Send the resident an update")
    update.get_by_label("Your update to the resident").fill("The part arrives on Friday.")
    press(update, "Send the update")
    close = region(staff, "Close the complaint")
    close.get_by_label("The underlying cause").fill("Parts ordered late.")
    close.get_by_label("The remedial action we are taking").fill("Keep fans in stock.")
    press(close, "Close the complaint")
    assert "The complaint is closed." in staff.locator(".flashes").inner_text()

    resident.goto(complaint_contact.replace("/console/contacts/", "/cases/"))
    assert resident.get_by_text("The part arrives on Friday.").is_visible()

    # Another complaint, withdrawn at the resident's wish.
    log_contact(staff, "Noise from the flat above.", complaint=True)
    with staff.expect_navigation():
        staff.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    withdraw = region(staff, "Withdraw the complaint")
    withdraw.get_by_label("Why they withdrew it (optional)").fill("Sorted out with the neighbour.")
    press(withdraw, "Withdraw")
    assert "The complaint has been withdrawn." in staff.locator(".flashes").inner_text()
