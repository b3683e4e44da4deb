"""Console pages for contacts that are not complaints, kept under review: the service-request queue with target dates
and reviews (Code 1.4), and managers' quality checks of the offer to complain (Code 1.3). Each action is its own page.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import date_field, limit, parse_date
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
OUTCOMES = {
    "service_request": {
        "resolved": _l("Done: the resident's need is met"),
        "still_open": _l("Not done yet: keep it in the queue"),
        "became_complaint": _l("The resident is dissatisfied with it: it is a complaint"),
    },
    "complaint_offer": {
        "no_dissatisfaction": _l("No dissatisfaction was expressed, so no offer was due"),
        "offer_made": _l("Dissatisfaction was expressed: the offer to complain is made now"),
        "offer_missed": _l("The offer was due and not made: learning for the team"),
    },
}
TITLES = {"service_request": _l("Review the service request"), "complaint_offer": _l("Check the offer to complain")}


class DueForm(FlaskForm):
    due_on = date_field(_l("Target date"), description=_l("Leave it empty to clear the target date."))


def review_form(kind: str) -> type[FlaskForm]:
    class ReviewForm(FlaskForm):
        outcome = RadioField(
            _l("What the review found"),
            choices=[SelectChoice(code, label) for code, label in OUTCOMES[kind].items()],
            validators=[DataRequired(_l("Choose what the review found."))],
        )
        note = TextAreaField(_l("Note (optional)"), validators=[limit(2_000)])

    return ReviewForm


@bp.route("/service-requests")
@roles_required(*STAFF)
def service_requests() -> Any:
    """Open service requests, soonest target date first (those without one last)."""
    page = operations.run("ConsoleServiceRequests", {"after": request.args.get("after")})["contacts"]
    return render_template("console/complaints/service_requests.html", page=page, outcomes=OUTCOMES)


@bp.route("/offer-checks")
@roles_required(*MANAGERS)
def offer_checks() -> Any:
    """Contacts that are not complaints, with no offer to complain recorded and not yet checked: oldest first."""
    page = operations.run("ConsoleOfferChecks", {"after": request.args.get("after")})["contacts"]
    return render_template("console/complaints/offer_checks.html", page=page)


def _contact(contact_id: int) -> dict[str, Any]:
    contact = operations.run("ConsoleReviewedContact", {"id": str(contact_id)})["contact"]
    if contact is None:
        abort(404)
    return contact


@bp.route("/contacts/<int:contact_id>/review/<kind>", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_review(contact_id: int, kind: str) -> Any:
    """Review a contact: a service request's target date and review, or a manager's check of the offer."""
    if kind not in OUTCOMES:
        abort(404)
    if kind == "complaint_offer" and not _is_manager():
        abort(403)
    contact = _contact(contact_id)
    due_form = DueForm(prefix="due", data={"due_on": contact.get("serviceDueOn") or ""})
    form = review_form(kind)(prefix="review")
    status = 200
    if request.method == "POST" and request.form.get("action") == "due" and kind == "service_request":
        form = review_form(kind)(prefix="review", formdata=None)
        if due_form.validate_on_submit():
            due = parse_date(due_form.due_on.data)
            variables = {"id": str(contact_id), "dueOn": due.isoformat() if due else None}
            result = operations.run_mutation("ConsoleContactServiceDueSet", {"input": variables})
            if result.problem is None:
                flash(_("The target date is saved."), "success")
                return redirect(url_for("console.service_requests"))
            show_problem(due_form, result.problem, {"dueOn": "due_on"})
            status = result.status
        else:
            status = 400
    elif request.method == "POST":
        if form.validate_on_submit():
            variables = {
                "id": str(contact_id),
                "kind": kind,
                "outcome": form.outcome.data,
                "note": form.note.data or "",
            }
            result = operations.run_mutation("ConsoleContactReview", {"input": variables})
            if result.problem is None:
                if form.outcome.data == "became_complaint":
                    flash(_opened_message(contact_id), "success")
                else:
                    flash(_("The review is recorded."), "success")
                back = "console.service_requests" if kind == "service_request" else "console.offer_checks"
                return redirect(url_for(back))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    return render_template(
        "console/complaints/contact_review.html",
        contact=contact,
        kind=kind,
        title=TITLES[kind],
        form=form,
        due_form=due_form,
        outcomes=OUTCOMES,
    ), status


def _opened_message(contact_id: int) -> Markup | str:
    """Say which complaint the review opened, with a link to it."""
    led = [row for about in _contact(contact_id)["complaintsAbout"] for row in about["complaints"]]
    if not led:
        return _("The review is recorded, and a complaint about the request is opened at stage 1.")
    opened = max(led, key=lambda row: int(row["id"]))
    return Markup('{} <a href="{}">{}</a>').format(
        _(
            "The review is recorded, and complaint %(reference)s about the request is opened at stage 1.",
            reference=opened["reference"],
        ),
        url_for("console.complaint", complaint_id=opened["id"]),
        _("Go to complaint %(reference)s", reference=opened["reference"]),
    )


def _is_manager() -> bool:
    return current_actor().has_role(*MANAGERS)
