"""The SPSO's own steps, each on its own page: move a frontline complaint to stage 2 (investigation), and sign off
(or return) a final response that waits for a manager. Also the page that names a complaint's contractors.

Both pages read and write through the API as the viewer (``complaints.graphql``); the step table decides when
each is open, and a page for a step that is not open now says so and offers the way back to the case.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal import operations
from portal.access import roles_required
from portal.complaints import labels
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import Visible, limit
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")


class InvestigateForm(FlaskForm):
    reason = TextAreaField(
        _l("Why this complaint goes to investigation"),
        description=_l("Why it is complex, or why it cannot be resolved at the frontline stage. Staff see this."),
        validators=[DataRequired(_l("Give the reason.")), Visible(_l("Give the reason.")), limit(2_000)],
    )


class SignOffForm(FlaskForm):
    confirm = BooleanField(
        _l("I have read this response, and I sign it off as our final position on the complaint"),
        validators=[DataRequired(_l("Confirm that you have read the response and sign it off."))],
    )


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("What the handler should change"),
        validators=[
            DataRequired(_l("Say what the handler should change.")),
            Visible(_l("Say what the handler should change.")),
            limit(4_000),
        ],
    )


def _steps(case: dict[str, Any]) -> set[str]:
    return {item["step"].lower() for item in case["availableSteps"]}


def _case(operation: str, complaint_id: int) -> dict[str, Any]:
    case = operations.run(operation, {"id": str(complaint_id)})["complaint"]
    if case is None:
        abort(404)
    return case


@bp.route("/complaints/<int:complaint_id>/investigation", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_investigate(complaint_id: int) -> Any:
    """Move a frontline complaint to stage 2: directly when nothing was done at stage 1, else as escalated.

    It can't be undone, so a valid form is asked again first (with what will happen); "change" goes back to it."""
    case = _case("ConsoleComplaintInvestigation", complaint_id)
    form = InvestigateForm()
    status, confirming = 200, False
    if form.is_submitted() and request.form.get("change"):
        pass  # back to the form, as it was sent
    elif form.validate_on_submit() and not request.form.get("confirmed"):
        confirming = True
    elif form.validate_on_submit():
        variables = {"id": str(complaint_id), "reason": form.reason.data}
        result = operations.run_mutation("ConsoleComplaintInvestigate", {"input": variables})
        if result.problem is None:
            flash(_("The complaint is now at stage 2 (investigation). Acknowledge it within its deadline."), "success")
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        show_problem(form, result.problem)
        status = result.status
    elif form.is_submitted():
        status = 400
    return render_template(
        "console/complaints/investigate.html",
        case=case,
        form=form,
        confirming=confirming and "investigate" in _steps(case),
        open_now="investigate" in _steps(case),
        direct=case["status"] == "received",
    ), status


def _draft(case: dict[str, Any]) -> dict[str, Any] | None:
    waiting = [d for d in case["responseDrafts"] if d["status"] == "awaiting" and d["stage"] == case["stage"]]
    return waiting[-1] if waiting else None


def _shown(case: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """The draft's content with each decision beside its point and each code in words, for the manager to read."""
    content = draft["content"]
    points = {str(p["id"]): p for p in case["points"]}
    decisions = [
        {
            "point": points.get(str(point_id), {}).get("text", ""),
            "decision": labels.label(labels.DECISIONS, decision),
            "reasons": why,
        }
        for point_id, (decision, why) in content.get("decisions", [])
    ]
    remedies = [{**r, "kind": labels.label(labels.REMEDIES, r["kind"])} for r in content.get("remedies", [])]
    outcome = content.get("outcome")
    return {
        **content,
        "decisions": decisions,
        "remedies": remedies,
        "outcome": labels.label(labels.DECISIONS, outcome) if outcome else None,
    }


@bp.route("/complaints/<int:complaint_id>/sign-off", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_sign_off(complaint_id: int) -> Any:
    """Show the final response waiting for sign-off; a manager signs it off (it is issued) or returns it."""
    case = _case("ConsoleComplaintSignOff", complaint_id)
    sign_form = SignOffForm(prefix="sign")
    return_form = ReturnForm(prefix="return")
    status = 200
    if request.method == "POST":
        if request.form.get("action") == "return":
            status = _return(complaint_id, return_form)
            sign_form = SignOffForm(prefix="sign", formdata=None)
        else:
            status = _sign(complaint_id, sign_form)
            return_form = ReturnForm(prefix="return", formdata=None)
        if status == 302:
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        case = _case("ConsoleComplaintSignOff", complaint_id)
    draft = _draft(case)
    return render_template(
        "console/complaints/sign_off.html",
        case=case,
        draft=_shown(case, draft) if draft else None,
        submitted=draft,
        sign_form=sign_form,
        return_form=return_form,
        why_not=why_not_signer(case, draft),
        open_now="sign_off" in _steps(case),
    ), status


def _viewer_roles() -> frozenset[str]:
    return current_actor().roles


def why_not_signer(case: dict[str, Any], draft: dict[str, Any] | None) -> str | None:
    """Why the viewer may not sign off (or return) the waiting response, in words; None when they may.

    The service refuses the same people (``backend.complaints.approval``); the page says why instead of offering
    buttons that would only be refused."""
    if not any(role in MANAGERS for role in _viewer_roles()):
        return _("A manager who did not write it, and does not handle the complaint, signs it off.")
    me = str(current_actor().user_id)
    if draft is not None and str((draft.get("submittedBy") or {}).get("id")) == me:
        return _(
            "You wrote this response, so you can't sign it off or return it. A manager who did not write it, "
            "and does not handle the complaint, does that."
        )
    if str((case.get("handler") or {}).get("id")) == me:
        return _(
            "You handle this complaint, so you can't sign off or return its final response. Another manager does that."
        )
    earlier = {str((s.get("handler") or {}).get("id")) for s in case["stages"] if s["number"] < case["stage"]}
    if me in earlier:
        return _(
            "You handled an earlier stage of this complaint, so you can't sign off or return its final response. "
            "A manager who has not handled the complaint does that."
        )
    return None


def _sign(complaint_id: int, form: SignOffForm) -> int:
    if not form.validate_on_submit():
        return 400
    result = operations.run_mutation("ConsoleComplaintResponseSignOff", {"input": {"id": str(complaint_id)}})
    if result.problem is None:
        flash(_("You signed off the final response. It has been sent to the resident."), "success")
        return 302
    show_problem(form, result.problem)
    return result.status


def _return(complaint_id: int, form: ReturnForm) -> int:
    if not form.validate_on_submit():
        return 400
    variables = {"id": str(complaint_id), "reason": form.reason.data}
    result = operations.run_mutation("ConsoleComplaintResponseReturn", {"input": variables})
    if result.problem is None:
        flash(_("The final response went back to the handler with your reasons. Nothing was sent."), "success")
        return 302
    show_problem(form, result.problem)
    return result.status


# --- Contractors (Code 5.4-5.5): which contractor the complaint and each point are about ------------------------


def _contractor_form(data: dict[str, Any], request_data: Any) -> FlaskForm:
    """A select for the complaint and one per point, offering the contractors in use and any already named."""
    complaint = data["complaint"]
    offered = {c["id"]: c["name"] for c in data["contractors"]["nodes"]}
    for named in [complaint.get("contractor")] + [p.get("contractor") for p in complaint["points"]]:
        if named:
            offered.setdefault(named["id"], named["name"])
    named = sorted(offered.items(), key=lambda item: item[1].lower())
    options = [SelectChoice("", _("None")), *(SelectChoice(value, text) for value, text in named)]

    class ContractorForm(FlaskForm):
        pass

    ContractorForm.contractor = SelectField(_l("Contractor the complaint is about"), choices=options)
    for point in complaint["points"]:
        label = _("Point %(number)s: %(text)s", number=point["position"], text=point["text"][:80])
        setattr(ContractorForm, f"point_{point['id']}", SelectField(label, choices=options))
    values = {"contractor": (complaint.get("contractor") or {}).get("id", "")}
    for point in complaint["points"]:
        values[f"point_{point['id']}"] = (point.get("contractor") or {}).get("id", "")
    return ContractorForm(formdata=request_data, data=values)


@bp.route("/complaints/<int:complaint_id>/contractor", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_contractor(complaint_id: int) -> Any:
    """Name the contractor the complaint, and each of its points, is about."""
    data = operations.run("ConsoleComplaintContractors", {"id": str(complaint_id)})
    if data["complaint"] is None:
        abort(404)
    form = _contractor_form(data, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        points = [
            {"pointId": p["id"], "contractorId": form[f"point_{p['id']}"].data or None}
            for p in data["complaint"]["points"]
        ]
        variables = {"id": str(complaint_id), "contractorId": form.contractor.data or None, "points": points}
        result = operations.run_mutation("ConsoleComplaintContractorSet", {"input": variables})
        if result.problem is None:
            flash(_("The contractors are recorded on the complaint."), "success")
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        show_problem(form, result.problem, {"contractorId": "contractor"})
        status = result.status
    elif form.is_submitted():
        status = 400
    return render_template("console/complaints/contractor.html", case=data["complaint"], form=form), status
