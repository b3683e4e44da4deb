"""Console pages for staff briefings (self-assessment item 6): send one about a complaint, and acknowledge your own.

A briefed person's own briefings show only the summary: the case may be hidden from them (they are its subject).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.lessons.sections import section
from portal.console.lessons.sharing import form_page, submit
from portal.security import current_actor

PARTS = {"subject": _l("the complaint is about them"), "involved": _l("involved"), "handler": _l("its handler")}

section(42, "console.lessons_briefings_mine", _l("Briefings"))


class BriefingForm(FlaskForm):
    person = RadioField(
        _l("Who to brief"), validators=[DataRequired(_l("Choose who to brief."))], validate_choice=False
    )
    summary = TextAreaField(
        _l("The outcome and the lessons drawn"),
        description=_l("Started from the complaint's outcome and the lessons drawn from it. Change it as you need."),
        validators=[DataRequired(_l("Say what the outcome was and the lessons drawn.")), limit(10_000)],
        render_kw={"rows": 8},
    )


def _briefings(where: dict[str, Any]) -> list[dict[str, Any]]:
    return operations.run("ConsoleBriefings", {"where": where})["staffBriefings"]["nodes"]


@bp.route("/lessons/briefings/mine")
@roles_required(*STAFF)
def lessons_briefings_mine() -> Any:
    """The briefings sent to the signed-in person, to read and acknowledge."""
    mine = _briefings({"person": {"id": {"eq": str(current_actor().user_id)}}})
    return render_template("console/lessons/briefings_mine.html", briefings=mine)


@bp.route("/lessons/briefings/<int:briefing_id>/acknowledge", methods=["POST"])
@roles_required(*STAFF)
def lessons_briefing_acknowledge(briefing_id: int) -> Any:
    """Acknowledge one of your briefings."""
    result = operations.run_mutation("ConsoleStaffBriefingAcknowledge", {"input": {"id": str(briefing_id)}})
    if result.problem is None:
        flash(_("Thank you: your acknowledgement is recorded."), "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.lessons_briefings_mine"))


@bp.route("/lessons/briefings")
@roles_required(*STAFF)
def lessons_briefings() -> Any:
    """Briefings sent about the complaints the viewer may see, and a way to brief staff about a complaint.

    A reference that is not there or is hidden from the viewer is answered alike ("no such complaint"); a complaint
    the viewer sees but may not brief about (they are neither a manager nor its handler) is said so on the form.
    """
    reference = (request.args.get("reference") or "").strip()[:20]
    if not reference:
        return _lookup_page(reference)
    found = operations.run("ConsoleComplaintByReference", {"reference": reference})["complaints"]["nodes"]
    if not found:
        return _lookup_page(reference, "not_found")
    data = operations.run("ConsoleBriefingDraft", {"complaintId": found[0]["id"]})
    if data["complaint"] is None:
        return _lookup_page(reference, "not_found")
    if data["staffBriefingDraft"] is None:
        return _lookup_page(reference, "not_allowed")
    return redirect(url_for("console.lessons_briefing_new", complaint_id=found[0]["id"]))


def _lookup_page(reference: str, problem: str | None = None) -> Any:
    """The briefings page, with what is wrong with the reference looked up (404 not there, 403 not theirs)."""
    sent = _briefings({"complaint": {"id": {"isNull": False}}})
    page = render_template("console/lessons/briefings.html", briefings=sent, reference=reference, problem=problem)
    return page, {None: 200, "not_found": 404, "not_allowed": 403}[problem]


@bp.route("/lessons/briefings/new/<int:complaint_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_briefing_new(complaint_id: int) -> Any:
    """Brief a member of staff involved in a complaint on its outcome and the lessons drawn."""
    data = operations.run("ConsoleBriefingDraft", {"complaintId": str(complaint_id)})
    draft, complaint = data["staffBriefingDraft"], data["complaint"]
    if complaint is None:
        abort(404)
    if draft is None:
        return _lookup_page(complaint["reference"], "not_allowed")
    form = BriefingForm()
    form.person.choices = [
        SelectChoice(p["id"], f"{p['displayName']} ({PARTS.get(p['part'], p['part'])})") for p in draft["people"]
    ]
    status = 200
    if request.method == "GET":
        form.summary.data = draft["summary"]
        if len(draft["people"]) == 1:
            form.person.data = draft["people"][0]["id"]
    elif form.validate_on_submit():
        variables = {"complaintId": str(complaint_id), "personId": form.person.data, "summary": form.summary.data}
        status = submit(form, "ConsoleStaffBriefingSend", variables, _("The briefing is sent."), {"personId": "person"})
        if status is None:
            return redirect(url_for("console.lessons_briefings"))
    else:
        status = 400
    back = (url_for("console.lessons_briefings"), _("Back to the briefings"))
    intro = (
        _("Complaint %(reference)s.", reference=complaint["reference"]),
        _("They are sent a message asking them to read the briefing and acknowledge it."),
    )
    if not draft["people"]:
        intro = (*intro, _("The complaint names no member of staff and has no handler, so there is nobody to brief."))
    return form_page(form, _("Brief staff on a complaint's outcome"), _("Send the briefing"), back, intro), status
