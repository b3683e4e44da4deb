"""The portal's two helpers for what a mutation gives back: run_mutation tells a payload from a problem, and
show_problem puts the problem on a form, each part on the field it is about."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, g
from flask_wtf import FlaskForm
from wtforms import StringField

from backend.complaints.models import ServiceArea
from portal import operations
from portal.forms import form_field_name, show_problem
from tests import factories
from tests.conftest import Browser
from tests.factories import actor_of


@pytest.fixture
def as_manager(app: Flask) -> Iterator[None]:
    with app.test_request_context("/console/"):
        g.actor = actor_of(factories.make_user("manager"))
        yield


class PersonForm(FlaskForm):
    class Meta:
        csrf = False

    resident_email = StringField()
    person_email = StringField()
    received_at = StringField()


def problem(*parts: tuple[str, str]) -> dict[str, Any]:
    listed = [{"field": field, "code": "invalid", "message": message} for field, message in parts]
    return {"__typename": "ValidationError", **listed[0], "problems": listed}


# --- run_mutation ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("as_manager")
def test_run_mutation_gives_the_payload_when_the_mutation_worked() -> None:
    result = operations.run_mutation("ConsoleServiceAreaCreate", {"input": {"name": "Gas safety"}})
    assert (result.problem, result.status) == (None, 200)
    assert result.data == {"__typename": "ServiceAreaCreated"}
    assert ServiceArea.select().where(ServiceArea.name == "Gas safety").exists()


@pytest.mark.usefixtures("as_manager")
def test_run_mutation_gives_the_problem_when_the_input_was_refused() -> None:
    result = operations.run_mutation("ConsoleServiceAreaCreate", {"input": {"name": " "}})
    assert result.data == {} and result.status == 400 and result.about_values
    assert result.problem is not None
    assert (result.problem["field"], result.problem["code"]) == ("name", "required")
    assert result.problem["problems"] == [{"field": "name", "code": "required", "message": "This is required."}]


@pytest.mark.usefixtures("as_manager")
def test_run_mutation_answers_a_clash_with_409() -> None:
    complaint = factories.acknowledged_complaint()
    variables = {"input": {"id": str(complaint.id), "points": [{"text": "Again"}], "outcomesSought": "A fix"}}
    result = operations.run_mutation("ConsoleComplaintAcknowledge", variables)
    assert result.problem is not None and result.problem["code"] == "already_acknowledged"
    assert result.status == 409 and not result.about_values


@pytest.mark.usefixtures("as_manager")
def test_run_mutation_answers_a_refusal_with_a_problem_and_400() -> None:
    result = operations.run_mutation("ConsoleContactClose", {"input": {"id": "999999"}})
    assert result.problem is not None and result.problem["code"] == "not_found"
    assert result.status == 400


# --- show_problem ----------------------------------------------------------------------------------


def test_show_problem_puts_each_problem_on_the_field_named_like_its_path(app: Flask) -> None:
    with app.test_request_context():
        form = PersonForm()
        show_problem(form, problem(("person.email", "Not an address."), ("receivedAt", "In the future.")))
    assert form.person_email.errors == ["Not an address."]
    assert form.received_at.errors == ["In the future."]
    assert form.form_errors == []


def test_show_problem_follows_the_fields_given_where_the_names_differ(app: Flask) -> None:
    with app.test_request_context():
        form = PersonForm()
        show_problem(form, problem(("residentId", "No such person.")), {"residentId": "resident_email"})
    assert form.resident_email.errors == ["No such person."]


def test_show_problem_puts_what_no_field_shows_at_the_top_once(app: Flask) -> None:
    with app.test_request_context():
        form = PersonForm()
        show_problem(form, problem(("response", "Still missing: the reasons."), ("decisions", "Still missing.")))
        show_problem(form, {"__typename": "ConflictError", "code": "closed", "message": "It is closed."})
        show_problem(form, {"__typename": "ConflictError", "code": "closed", "message": "It is closed."})
    assert form.form_errors == ["Still missing: the reasons.", "Still missing.", "It is closed."]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("receivedAt", "received_at"),
        ("person.email", "person_email"),
        ("points[0].text", "points_0_text"),
        ("remedies[12].dueOn", "remedies_12_due_on"),
    ],
)
def test_form_field_name_is_the_path_in_snake_case(path: str, name: str) -> None:
    assert form_field_name(path) == name


# --- On the pages ----------------------------------------------------------------------------------


def test_console_respond_shows_the_apis_problems_on_the_remedy_row_they_came_from(
    browser: Browser, signed_in: Any
) -> None:
    complaint = factories.acknowledged_complaint()
    point = factories.make_complaint_point(complaint)
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}"
    data = {
        f"decision_{point.id}": "upheld",
        f"decision_reasons_{point.id}": "The repair was late.",
        "reasons": "We were late.",
        "next_steps": "Ask for stage 2.",
        "remedy_kind_2": "financial_redress",
        "remedy_description_2": "For the time off work.",
        "remedy_amount_2": "lots",
        "remedy_due_2": "2000-01-03",
    }
    response = browser.submit(f"{url}/respond", {f"respond-{key}": value for key, value in data.items()}, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        '<a href="#respond-remedy_amount_2">Give the amount in pounds and pence, more than 0, like 150.00.</a>' in page
    )
    assert '<a href="#respond-remedy_due_2">A remedy can' in page
