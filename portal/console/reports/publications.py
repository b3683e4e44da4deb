"""/console/reports/publications/<id>: one report on its way to publication, shown from its frozen document, with
its print view and files, and the steps a manager takes: approve (not one's own draft), publish, and record the
governing body's response."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired

from backend.reports.documents import ReportDocument, document_from_dict
from backend.reports.publication import MAX_RESPONSE
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.reports import output
from portal.forms import show_problem

MANAGERS = ("manager", "admin")


def read_publication(publication_id: int) -> dict[str, Any]:
    """The publication as the viewer may see it; 404 when there is none."""
    found = operations.run("ConsoleReportPublication", {"id": str(publication_id)})["reportPublication"]
    if found is None:
        abort(404)
    return found


def document_of(publication: dict[str, Any]) -> ReportDocument:
    return document_from_dict(publication["snapshot"])


def response_of(publication: dict[str, Any]) -> dict[str, str] | None:
    """The governing body's response as pages show it, or None when none is recorded."""
    if not publication["governingBodyResponse"]:
        return None
    on = dt.date.fromisoformat(publication["governingBodyRespondedOn"])
    return {"text": publication["governingBodyResponse"], "on": _("Given on %(day)s", day=format_date(on, "d MMMM y"))}


def status_line(publication: dict[str, Any]) -> str:
    """Where it stands, in words, for the page and the print view."""
    if publication["status"] == "published":
        return _("Published: anyone can read it, and it no longer changes.")
    if publication["status"] == "approved":
        return _("Approved, not yet published.")
    return _("Draft: not yet approved. The figures may still change.")


class ResponseForm(FlaskForm):
    text = TextAreaField(
        _l("The governing body's response"),
        description=_l("As the governing body gave it. It is published alongside the report."),
        validators=[DataRequired(_l("Enter the governing body's response.")), limit(MAX_RESPONSE)],
    )
    responded_on = DateField(
        _l("The day it was given"),
        description=_l("For example 2026-07-14."),
        validators=[DataRequired(_l("Enter the day the governing body gave its response."))],
    )


class StepForm(FlaskForm):
    """A step that is one button: approve or publish."""


@bp.route("/reports/publications/<int:publication_id>")
@roles_required(*STAFF)
def report_publication(publication_id: int) -> Any:
    """The report as drafted or frozen, where it stands, and the steps the viewer may take."""
    found = read_publication(publication_id)
    return render_template(
        "console/reports/publication.html",
        publication=found,
        document=document_of(found),
        status_line=status_line(found),
        response=response_of(found),
        step_form=StepForm(),
    )


@bp.route("/reports/publications/<int:publication_id>/print")
@roles_required(*STAFF)
def report_publication_print(publication_id: int) -> Any:
    found = read_publication(publication_id)
    back = url_for("console.report_publication", publication_id=publication_id)
    return output.print_view(document_of(found), back, status_line(found), response_of(found))


@bp.route("/reports/publications/<int:publication_id>.<any(pdf, csv, xlsx):fmt>")
@roles_required(*STAFF)
def report_publication_file(publication_id: int, fmt: str) -> Any:
    found = read_publication(publication_id)
    back = url_for("console.report_publication", publication_id=publication_id)
    return output.download(f"{found['kind']}-report", document_of(found), fmt, back)


STEPS = {
    "approve": ("ConsoleReportPublicationApprove", _l("The report is approved. Its figures are frozen.")),
    "publish": ("ConsoleReportPublicationPublish", _l("The report is published. Anyone can read it now.")),
}


@bp.route("/reports/publications/<int:publication_id>/<any(approve, publish):step>", methods=["POST"])
@roles_required(*MANAGERS)
def report_publication_step(publication_id: int, step: str) -> Any:
    """Approve or publish the report; a refusal is shown on the report's page."""
    if not StepForm().validate_on_submit():
        abort(400)
    operation, done = STEPS[step]
    result = operations.run_mutation(operation, {"input": {"id": str(publication_id)}})
    if result.problem is not None:
        flash(result.problem["message"], "error")
    else:
        flash(str(done), "success")
    return redirect(url_for("console.report_publication", publication_id=publication_id))


@bp.route("/reports/publications/<int:publication_id>/response", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def report_publication_response(publication_id: int) -> Any:
    """Record the governing body's response, published alongside the report."""
    found = read_publication(publication_id)
    data = None
    if found["governingBodyResponse"]:
        data = {
            "text": found["governingBodyResponse"],
            "responded_on": dt.date.fromisoformat(found["governingBodyRespondedOn"]),
        }
    form = ResponseForm(data=data)
    if form.validate_on_submit():
        variables = {
            "input": {
                "id": str(publication_id),
                "text": form.text.data,
                "respondedOn": form.responded_on.data.isoformat(),
            }
        }
        result = operations.run_mutation("ConsoleReportPublicationResponseRecord", variables)
        if result.problem is None:
            flash(_("The governing body's response is recorded."), "success")
            return redirect(url_for("console.report_publication", publication_id=publication_id))
        show_problem(form, result.problem)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("console/reports/response.html", form=form, publication=found), status
