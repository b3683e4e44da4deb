"""Each nation's own complaints procedure, deadlines on the statutory calendar only, settings that can't exceed
the law, grounds of exclusion per procedure, and extensions beyond the cap with a good reason and a manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend import records
from backend.audit.models import AuditEvent
from backend.complaints import clocks, journey
from backend.complaints.models import Clock, ClosureDay, Complaint, ComplaintStage, Regime, RegimeStage
from backend.context import Actor
from backend.errors import Conflict, Invalid
from schema.complaints.resources import CLOSURE_DAY, REGIME, REGIME_STAGE
from schema.error_texts import message_for
from tests import factories
from tests.factories import actor_of

MUTATION = """
mutation ($input: %(type)s!) {
  %(name)s(input: $input) {
    __typename
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
  }
}
"""


def resident_in(nation: str) -> Any:
    return factories.make_user(home=factories.make_home(nation=nation))


def clock(complaint: Any, kind: str, stage: int | None = None) -> Clock:
    return Clock.get(Clock.complaint == complaint.id, Clock.kind == kind, Clock.stage == (stage or complaint.stage))


def admin() -> Actor:
    return Actor(user_id=factories.make_user("admin").id, roles=frozenset({"admin"}))


def stage_of(code: str, number: int) -> RegimeStage:
    return RegimeStage.get(RegimeStage.regime == Regime.get(Regime.code == code).id, RegimeStage.number == number)


def call(browser: Any, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    body = browser.graphql(MUTATION % {"name": name, "type": input_type}, {"input": values}).get_json()
    assert "errors" not in body, body
    return body["data"][name]


def define(handler: Any, complaint: Any) -> Complaint:
    return journey.acknowledge_complaint(actor_of(handler), complaint.id, [("The tap leaks", "Fix it")], "A repair")


# --- The audit's worked dates --------------------------------------------------------------------------


def test_code_stage_one_worked_dates_skip_easter_in_england(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = factories.make_complaint(resident_in("england"))
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 9)
    clock_at(dt.datetime(2026, 3, 9, 10))
    complaint = define(handler, complaint)
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 23)
    journey.extend_complaint(actor_of(handler), complaint.id, 10, "Survey booked.", dt.date(2026, 3, 9), True)
    extended = clock(complaint, "respond")
    assert (extended.due_on, extended.original_due_on) == (dt.date(2026, 4, 8), dt.date(2026, 3, 23))


def test_spso_stage_two_worked_dates(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 2, 23, 10))
    complaint = factories.responded_complaint(resident=resident_in("scotland"))
    assert Regime.get_by_id(complaint.regime_id).code == "spso"
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert clock(complaint, "acknowledge").due_on == dt.date(2026, 3, 5)
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 30)


# --- A procedure for each nation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "code", "ombudsman"),
    [
        ("england", "hoc", "Housing Ombudsman"),
        ("scotland", "spso", "Scottish Public Services Ombudsman"),
        ("wales", "psow", "Public Services Ombudsman for Wales"),
        ("northern_ireland", "nipso", "Northern Ireland Public Services Ombudsman"),
    ],
)
def test_each_nation_gets_its_own_procedure_and_ombudsman(
    browser: Any, signed_in: Any, nation: str, code: str, ombudsman: str
) -> None:
    resident = signed_in("resident", home=factories.make_home(nation=nation))
    complaint = factories.make_complaint(resident)
    assert Regime.get_by_id(complaint.regime_id).code == code
    query = "query ($id: ID!) { complaint(id: $id) { regime { ombudsmanName ombudsmanDetails } } }"
    body = browser.graphql(query, {"id": str(complaint.id)}).get_json()
    regime = body["data"]["complaint"]["regime"]
    assert regime["ombudsmanName"] == ombudsman
    assert ombudsman in regime["ombudsmanDetails"]


def test_home_in_a_nation_without_a_procedure_is_refused_never_given_another() -> None:
    Regime.update(archived_at=dt.datetime(2026, 1, 1)).where(Regime.code == "psow").execute()
    with pytest.raises(Conflict) as caught:
        factories.make_complaint(resident_in("wales"))
    assert (caught.value.code, caught.value.params) == ("no_regime", {"nation": "wales"})
    assert Complaint.select().count() == 0
    assert "cannot be opened under another country's rules" in message_for(caught.value, lambda text: text)


def test_welsh_informal_stage_answers_in_ten_working_days_from_receipt(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = factories.make_complaint(resident_in("wales"))
    assert not Clock.select().where(Clock.complaint == complaint.id, Clock.kind == "acknowledge").exists()
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 16)


# --- Closure days warn; they never move a deadline or clear a breach -----------------------------------


def test_closure_day_added_after_a_breach_neither_moves_the_date_nor_clears_it(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = factories.make_complaint(resident_in("england"))
    clock_at(dt.datetime(2026, 3, 11, 10))
    clocks.sweep_clocks(dt.date(2026, 3, 11))
    assert clock(complaint, "acknowledge").breached is True
    for past in (dt.date(2026, 3, 3), dt.date(2026, 3, 4)):
        with pytest.raises(Invalid) as caught:
            records.create_record(admin(), CLOSURE_DAY.editable, {"day": past, "name": "Training"})
        assert (caught.value.field, caught.value.code) == ("day", "in_past")
    records.create_record(admin(), CLOSURE_DAY.editable, {"day": dt.date(2026, 3, 12), "name": "Training"})
    missed = clock(complaint, "acknowledge")
    assert (missed.due_on, missed.original_due_on, missed.breached) == (dt.date(2026, 3, 9), dt.date(2026, 3, 9), True)
    clock_at(dt.datetime(2026, 3, 13, 10))
    define(factories.make_staff(), complaint)
    met = clock(complaint, "acknowledge")
    assert (met.status, met.breached, met.due_on) == ("met", True, dt.date(2026, 3, 9))


def test_closure_day_in_the_past_is_refused_through_the_api(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    result = call(browser, "closureDayCreate", "ClosureDayCreateInput", {"day": "2020-12-29", "name": "Closed"})
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "day", "in_past")
    assert result["message"] == "A closure day cannot be in the past."
    assert ClosureDay.select().count() == 0


# --- Settings can't exceed the law ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "number", "values", "field", "error", "sentence"),
    [
        ("hoc", 1, {"respondDays": 11}, "respondDays", "above_maximum", "Respond within at most 10 working days"),
        ("hoc", 1, {"respondDays": 60}, "respondDays", "above_maximum", "Respond within at most 10 working days"),
        ("hoc", 2, {"respondDays": 21}, "respondDays", "above_maximum", "Respond within at most 20 working days"),
        ("hoc", 1, {"acknowledgeDays": 6}, "acknowledgeDays", "above_maximum", "at most 5 working days"),
        ("hoc", 1, {"acknowledgeDays": None}, "acknowledgeDays", "required_by_procedure", "requires an ackn"),
        ("hoc", 1, {"maxExtensionDays": 11}, "maxExtensionDays", "above_maximum", "at most 10 working days"),
        ("hoc", 2, {"maxExtensionDays": 60}, "maxExtensionDays", "above_maximum", "at most 20 working days"),
        ("spso", 1, {"respondDays": 6}, "respondDays", "above_maximum", "at most 5 working days"),
        ("spso", 2, {"acknowledgeDays": 4}, "acknowledgeDays", "above_maximum", "at most 3 working days"),
        ("spso", 2, {"respondFrom": "acknowledgement"}, "respondFrom", "longer_than_procedure", "from receipt"),
        ("psow", 2, {"respondDays": 25}, "respondDays", "above_maximum", "at most 20 working days"),
        ("nipso", 1, {"respondDays": 10}, "respondDays", "above_maximum", "at most 5 working days"),
    ],
)
def test_stage_setting_beyond_the_procedure_is_refused_and_changes_nothing(
    browser: Any,
    signed_in: Any,
    code: str,
    number: int,
    values: dict[str, Any],
    field: str,
    error: str,
    sentence: str,
) -> None:
    stage = stage_of(code, number)
    before = (stage.acknowledge_days, stage.respond_days, stage.respond_from, stage.max_extension_days)
    signed_in("admin")
    result = call(browser, "regimeStageUpdate", "RegimeStageUpdateInput", {"id": str(stage.id), **values})
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", field, error)
    assert sentence in result["message"]
    found = RegimeStage.get_by_id(stage.id)
    assert (found.acknowledge_days, found.respond_days, found.respond_from, found.max_extension_days) == before


def test_admin_can_shorten_within_the_procedure() -> None:
    stage = stage_of("hoc", 2)
    records.update_record(admin(), REGIME_STAGE.editable, stage.id, {"acknowledge_days": 3, "respond_days": 15})
    found = RegimeStage.get_by_id(stage.id)
    assert (found.acknowledge_days, found.respond_days) == (3, 15)


def test_removing_a_stage_the_procedure_requires_is_refused() -> None:
    regime = Regime.get(Regime.code == "hoc")
    with pytest.raises(Invalid) as caught:
        records.update_record(admin(), REGIME.editable, regime.id, {"max_stages": 1})
    assert (caught.value.field, caught.value.code, caught.value.params) == (
        "max_stages",
        "below_statutory",
        {"minimum": 2},
    )
    assert Regime.get_by_id(regime.id).max_stages == 2


def test_console_stage_form_names_the_maximum(browser: Any, signed_in: Any) -> None:
    stage = stage_of("hoc", 1)
    signed_in("admin")
    data = {"acknowledge_days": "5", "respond_days": "60", "max_extension_days": "10"}
    response = browser.submit(f"/console/complaint-settings/stages/{stage.id}", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Respond within at most 10 working days (the complaints procedure&#39;s maximum)." in page
    assert 'value="60"' in page
    assert RegimeStage.get_by_id(stage.id).respond_days == 10


# --- Grounds of exclusion per procedure ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "ground", "allowed"),
    [
        ("england", "over_twelve_months", True),
        ("england", "over_six_months", False),
        ("scotland", "over_six_months", True),
        ("scotland", "over_twelve_months", False),
        ("wales", "over_six_months", True),
        ("northern_ireland", "over_twelve_months", False),
    ],
)
def test_refusal_ground_must_belong_to_the_complaints_procedure(nation: str, ground: str, allowed: bool) -> None:
    handler = factories.make_staff()
    complaint = factories.make_complaint(resident_in(nation))
    refuse = journey.refuse_complaint
    if allowed:
        assert refuse(actor_of(handler), complaint.id, ground, "Out of time.", True).status == "refused"
        return
    with pytest.raises(Invalid) as caught:
        refuse(actor_of(handler), complaint.id, ground, "Out of time.", True)
    assert (caught.value.field, caught.value.code) == ("ground", "not_in_procedure")
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_console_offers_only_the_procedures_grounds(browser: Any, signed_in: Any) -> None:
    complaint = factories.make_complaint(resident_in("scotland"))
    signed_in("staff")
    page = browser.client.get(f"/console/complaints/{complaint.id}/refuse").get_data(
        as_text=True
    )  # the step's own page
    assert 'value="over_six_months"' in page
    assert 'value="over_twelve_months"' not in page


def test_api_lists_each_procedures_grounds(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql("{ regimes(first: 10) { nodes { code refusalGrounds } } }").get_json()
    grounds = {node["code"]: node["refusalGrounds"] for node in body["data"]["regimes"]["nodes"]}
    assert grounds["hoc"] == ["over_twelve_months", "legal_proceedings", "already_considered"]
    assert grounds["spso"][0] == "over_six_months"


# --- Extensions beyond the cap -------------------------------------------------------------------------


def test_extension_beyond_the_cap_without_a_good_reason_names_the_cap(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = define(handler, factories.make_complaint(resident_in("england")))
    with pytest.raises(Invalid) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, 11, "Survey.", dt.date(2026, 3, 2), True)
    assert (caught.value.field, caught.value.code, caught.value.params) == (
        "days",
        "beyond_cap",
        {"maximum": 10, "cap": 10},
    )
    assert "Extend by at most 10 working days" in message_for(caught.value, lambda text: text)
    assert clock(complaint, "respond").due_on == dt.date(2026, 3, 16)


@pytest.mark.parametrize("who", ["staff", "handler"])
def test_extension_beyond_the_cap_needs_a_manager_who_is_not_the_handler(clock_at: Any, who: str) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_user("manager")
    complaint = define(handler, factories.make_complaint(resident_in("england")))
    actor = actor_of(factories.make_staff()) if who == "staff" else actor_of(handler)
    with pytest.raises(Invalid) as caught:
        journey.extend_complaint(actor, complaint.id, 15, "Survey.", dt.date(2026, 3, 2), True, "Specialist survey.")
    assert caught.value.field == "days"
    assert caught.value.code == {"staff": "needs_manager", "handler": "needs_other_manager"}[who]
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0


def test_a_handler_cannot_record_a_managers_authorisation_for_them(browser: Any, signed_in: Any) -> None:
    """The manager authorises by making the extension in their own session; nobody names them instead."""
    handler = signed_in("staff")
    complaint = define(handler, factories.make_complaint(resident_in("england")))
    manager = factories.make_user("manager")
    values = {
        "id": str(complaint.id),
        "days": 12,
        "reason": "Survey.",
        "toldOn": dt.date.today().isoformat(),
        "ombudsmanDetailsGiven": True,
        "goodReason": "Structural survey.",
    }
    refused = call(browser, "complaintExtend", "ComplaintExtendInput", values)
    assert (refused["__typename"], refused["code"]) == ("ValidationError", "needs_manager")
    body = browser.graphql(
        "mutation($input: ComplaintExtendInput!) { complaintExtend(input: $input) { __typename } }",
        {"input": {**values, "authorisedById": str(manager.id)}},
    ).get_json()
    assert "errors" in body  # there is no way to name someone else as the authoriser
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0


def test_extension_beyond_the_cap_with_good_reason_and_manager_is_stored_and_audited(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler, manager = factories.make_staff(), factories.make_user("manager")
    complaint = define(handler, factories.make_complaint(resident_in("england")))
    journey.extend_complaint(
        actor_of(manager), complaint.id, 15, "Survey.", dt.date(2026, 3, 2), True, "Structural survey."
    )
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id)
    assert (stage.extended_days, stage.extension_good_reason) == (15, "Structural survey.")
    assert stage.extension_authorised_by_id == manager.id
    assert clock(complaint, "respond").due_on == dt.date(2026, 4, 8)
    audit = AuditEvent.get(AuditEvent.action == "complaint.extension_recorded")
    assert audit.actor_user_id == manager.id
    assert audit.changes["extension_authorised_by"] == {"before": None, "after": manager.id}
    assert audit.changes["extension_good_reason"] == {"before": None, "after": "Structural survey."}


def test_spso_extension_needs_a_manager_even_within_the_cap(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler, manager = factories.make_staff(), factories.make_user("manager")
    complaint = define(handler, factories.make_complaint(resident_in("scotland")))
    with pytest.raises(Invalid) as caught:
        journey.extend_complaint(actor_of(handler), complaint.id, 5, "Report.", dt.date(2026, 3, 2), True)
    assert (caught.value.field, caught.value.code) == ("days", "needs_manager")
    journey.extend_complaint(actor_of(manager), complaint.id, 5, "Report.", dt.date(2026, 3, 2), True)
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extension_authorised_by_id == manager.id


def test_extension_beyond_the_cap_through_graphql(browser: Any, signed_in: Any, clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = define(handler, factories.make_complaint(resident_in("england")))
    manager = signed_in("manager")
    values = {
        "id": str(complaint.id),
        "days": 12,
        "reason": "Survey.",
        "toldOn": "2026-03-02",
        "ombudsmanDetailsGiven": True,
    }
    refused = call(browser, "complaintExtend", "ComplaintExtendInput", values)
    assert (refused["__typename"], refused["code"]) == ("ValidationError", "beyond_cap")
    done = call(browser, "complaintExtend", "ComplaintExtendInput", {**values, "goodReason": "Structural survey."})
    assert done["__typename"] == "ComplaintExtended"
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extension_authorised_by_id == manager.id


def test_console_extension_beyond_the_cap_is_made_by_a_manager(browser: Any, signed_in: Any) -> None:
    handler = factories.make_staff()
    complaint = define(handler, factories.make_complaint(resident_in("england")))
    data = {
        "extend-days": "12",
        "extend-reason": "Survey.",
        "extend-told_on": dt.date.today().isoformat(),
        "extend-ombudsman_details_given": "y",
        "extend-good_reason": "Structural survey.",
    }
    url = f"/console/complaints/{complaint.id}/extend"
    signed_in("staff")
    refused = browser.submit(url, data, page=f"/console/complaints/{complaint.id}")
    assert refused.status_code == 400
    assert "a manager who is not the case handler must make it" in refused.get_data(as_text=True)
    assert "Structural survey.</textarea>" in refused.get_data(as_text=True)
    browser.sign_out()
    manager = signed_in("manager")
    done = browser.submit(url, data, page=f"/console/complaints/{complaint.id}")
    assert done.status_code == 302
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id)
    assert (stage.extended_days, stage.extension_authorised_by_id) == (12, manager.id)


def test_console_case_page_and_queue_warn_of_a_closure_day_before_the_deadline(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.make_complaint(resident_in("england"))
    journey.assign_complaint(actor_of(staff), complaint.id, staff.id)
    due = clock(complaint, "acknowledge").due_on
    closed = due - dt.timedelta(days=1)
    if closed.weekday() >= 5 or closed < dt.date.today():
        closed = due
    factories.make_closure_day(closed)
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert "The office is closed on" in page and "this acknowledgement is still due on" in page
    queue = browser.client.get("/console/complaints?view=mine").get_data(as_text=True)
    assert "this is still due on" in queue
    assert clock(complaint, "acknowledge").due_on == due


@pytest.mark.parametrize(
    ("values", "field", "sentence"),
    [
        ({"ombudsmanName": "O" * 201}, "ombudsmanName", "The Ombudsman's name must be at most 200 characters long."),
        (
            {"ombudsmanDetails": "D" * 2001},
            "ombudsmanDetails",
            "Keep the Ombudsman's contact details to 2000 characters or fewer.",
        ),
    ],
)
def test_the_ombudsmans_name_and_details_have_a_size_limit(
    browser: Any, signed_in: Any, values: dict[str, str], field: str, sentence: str
) -> None:
    regime = Regime.get(Regime.code == "hoc")
    before = (regime.ombudsman_name, regime.ombudsman_details)
    signed_in("admin")
    result = call(browser, "regimeUpdate", "RegimeUpdateInput", {"id": str(regime.id), **values})
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", field, "too_long")
    assert sentence in result["message"].replace(",", "")
    found = Regime.get_by_id(regime.id)
    assert (found.ombudsman_name, found.ombudsman_details) == before


def test_the_ombudsmans_details_may_be_as_long_as_the_limit() -> None:
    regime = Regime.get(Regime.code == "hoc")
    details = "Housing Ombudsman Service, PO Box 1484. " * 50
    records.update_record(admin(), REGIME.editable, regime.id, {"ombudsman_details": details[:2000]})
    assert Regime.get_by_id(regime.id).ombudsman_details == details[:2000].strip()
