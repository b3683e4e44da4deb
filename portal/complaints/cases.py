"""The resident's cases: tell us something (with files), see where each complaint is, escalate or add more.

Advocates with a resident's consent see and act on that resident's cases too. Attachments are served
only to people who may see the case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from backend import config
from backend.attachments import names
from backend.attachments.filetypes import KINDS
from backend.complaints import files
from backend.complaints.progress import Progress, progress_for
from backend.errors import NotFound
from portal import operations
from portal.complaints.labels import next_step_text
from portal.forms import files_not_kept, show_problem
from portal.security import current_actor

bp = Blueprint("cases", __name__)
PAGE_SIZE = 20
ACCEPT = ",".join(sorted({kind.media_type for kind in KINDS}))

# WTForms' own message is not in our catalogues: this one is, in every language.
TOO_LONG = _l("Keep this to %(max)d characters or fewer.")


class TellUsForm(FlaskForm):
    kind = RadioField(
        _l("What would you like to do?"),
        choices=[
            SelectChoice("complaint", _l("Make a complaint: something has gone wrong and I am not happy")),
            SelectChoice("service_request", _l("Ask for something to be done, such as a repair")),
            SelectChoice("compliment", _l("Say thank you")),
            SelectChoice("suggestion", _l("Suggest an improvement")),
        ],
        default="complaint",
        validators=[DataRequired(_l("Choose what you would like to do."))],
    )
    description = TextAreaField(
        _l("Tell us what happened, in your own words"),
        description=_l("Say what went wrong, when, and what you would like us to do. You can write in any language."),
        validators=[
            DataRequired(_l("Tell us what happened, in your own words.")),
            Length(max=20_000, message=TOO_LONG),
        ],
    )
    adjustments = TextAreaField(
        _l("Anything we should do to make this easier for you (optional)"),
        description=_l("For example large print, an interpreter, or calling at a certain time."),
        validators=[Optional(), Length(max=2_000, message=TOO_LONG)],
    )
    # Its description names the configured limits; _describe_limits fills it in per request.
    attachments = MultipleFileField(_l("Photos, recordings or documents (optional)"))
    idempotency_key = HiddenField()


class MoreInformationForm(FlaskForm):
    body = TextAreaField(
        _l("What would you like to add?"),
        validators=[DataRequired(_l("Write your message.")), Length(max=20_000, message=TOO_LONG)],
    )
    attachments = MultipleFileField(_l("Photos, recordings or documents (optional)"))


class EscalateForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you unhappy with our answer? (optional)"),
        description=_l("You do not need to give a reason."),
        validators=[Optional(), Length(max=10_000, message=TOO_LONG)],
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you withdrawing it? (optional)"),
        description=_l("You do not need to give a reason."),
        validators=[Optional(), Length(max=2_000, message=TOO_LONG)],
    )


def _describe_limits(form: TellUsForm) -> None:
    settings = config.current()
    form.attachments.description = _(
        "Up to %(count)s files. Photos, audio, video, PDF and office documents, each under %(mb)s MB.",
        count=settings.attachments_per_contact,
        mb=settings.attachment_max_bytes // 2**20,
    )


def _for_whom() -> list[tuple[str, str]]:
    """For an advocate: the residents who consented to be represented (besides themself)."""
    actor = current_actor()
    if not actor.has_role("advocate"):
        return []
    data = operations.run("ResidentRepresentedPeople")
    me = data["viewer"]["id"]
    return [(p["id"], p["displayName"]) for p in data["people"]["nodes"] if p["id"] != me]


@bp.route("/cases")
@login_required
def index() -> Any:
    actor = current_actor()
    where = None if actor.has_role("advocate") else {"resident": {"id": {"eq": str(actor.user_id)}}}
    data = operations.run_page(
        "ResidentCases", {"where": where, "first": PAGE_SIZE, "after": request.args.get("after")}
    )
    return render_template("cases/index.html", contacts=data["contacts"])


def _tell_us_form_class(people: list[tuple[str, str]]) -> type[TellUsForm]:
    if not people:
        return TellUsForm
    me = SelectChoice("", _l("Myself"))
    field = SelectField(_l("Who is this about?"), choices=[me, *(SelectChoice(i, n) for i, n in people)])
    return type("TellUsForResidentForm", (TellUsForm,), {"on_behalf_of": field})


@bp.route("/cases/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    people = _for_whom()
    form = _tell_us_form_class(people)()
    _describe_limits(form)
    about = request.args.get("about") or request.form.get("about")
    if request.method == "GET":
        form.idempotency_key.data = uuid.uuid4().hex
        if about:
            form.kind.data = "complaint"
    if form.validate_on_submit():
        result = _submit(form, about)
        if result.problem is None:
            submitted = result.data
            flash(
                _("Thank you. We have your message. Your reference is %(reference)s.", reference=submitted["reference"])
            )
            if submitted["filesNotKept"]:
                flash(files_not_kept(submitted["filesNotKept"]), "error")
            return redirect(url_for("cases.show", contact_id=submitted["contact"]["id"]))
        show_problem(form, result.problem, {"residentId": "on_behalf_of"})
    status = 400 if form.errors or form.form_errors else 200
    return render_template("cases/new.html", form=form, about=about, accept=ACCEPT), status


def _submit(form: TellUsForm, about: str | None) -> operations.MutationResult:
    on_behalf = getattr(form, "on_behalf_of", None)
    variables = {
        "input": {
            "channel": "portal",
            "description": form.description.data,
            "wantsToComplain": form.kind.data == "complaint",
            "locale": str(get_locale() or "en"),
            "adjustments": form.adjustments.data or "",
            "idempotencyKey": form.idempotency_key.data or None,
            "residentId": (on_behalf.data or None) if on_behalf is not None else None,
            "relatedRequestId": about or None,
            "attachments": [f for f in request.files.getlist(form.attachments.name) if f.filename],
        }
    }
    return operations.run_mutation("ResidentContactSubmit", variables)


def steps_of(complaint: dict[str, Any]) -> list[str]:
    """The steps the viewer may take now, as the API's step table gives them (``escalate``, ``withdraw``...)."""
    return [item["step"].lower() for item in complaint["availableSteps"]]


def _progress(complaint: dict[str, Any]) -> Progress:
    stage = complaint["stage"]
    due = complaint["nextDueOn"]
    return progress_for(
        status=complaint["status"],
        stage=stage,
        resident_steps=steps_of(complaint),
        next_due_on=dt.date.fromisoformat(due) if due else None,
        acknowledgement_running=any(
            c["kind"] == "acknowledge" and c["status"] == "running" and c["stage"] == stage for c in complaint["clocks"]
        ),
        referred=complaint["ombudsmanReferredAt"] is not None,
        determined=complaint["ombudsmanDetermination"] is not None,
        ombudsman=complaint["regime"]["ombudsmanName"],
    )


def _load(contact_id: int) -> dict[str, Any]:
    contact = operations.run("ResidentCase", {"id": str(contact_id)})["contact"]
    if contact is None:
        abort(404)
    return contact


@bp.route("/cases/<int:contact_id>")
@login_required
def show(contact_id: int) -> Any:
    contact = _load(contact_id)
    return _render_case(contact, MoreInformationForm(), EscalateForm())


def _render_case(
    contact: dict[str, Any],
    more: MoreInformationForm,
    escalate: EscalateForm,
    status: int = 200,
    withdraw: WithdrawForm | None = None,
) -> Any:
    complaint = contact["complaints"][0] if contact["complaints"] else None
    progress = _progress(complaint) if complaint else None
    decisions: dict[str, list[dict[str, Any]]] = {}
    if complaint:
        for response in complaint["responses"]:
            for decision in response["decisions"]:
                decisions.setdefault(decision["point"]["id"], []).append({**decision, "stage": response["stage"]})
    return (
        render_template(
            "cases/show.html",
            contact=contact,
            complaint=complaint,
            progress=progress,
            next_step=next_step_text(progress) if progress else "",
            steps=steps_of(complaint) if complaint else [],
            decisions=decisions,
            more=more,
            escalate=escalate,
            withdraw=withdraw or WithdrawForm(prefix="withdraw"),
            accept=ACCEPT,
            updates=_agreed_updates(complaint) if complaint else None,
        ),
        status,
    )


def _agreed_updates(complaint: dict[str, Any]) -> dict[str, Any] | None:
    """The update interval agreed for the complaint's current stage while its answer is late (Code 5.9), if any."""
    found = operations.run("ResidentCaseUpdates", {"complaintId": str(complaint["id"])})["updateIntervals"]["nodes"]
    return next((i for i in found if i["stage"] == complaint["stage"] and i["nextUpdateDue"]), None)


@bp.route("/cases/<int:contact_id>/more", methods=["POST"])
@login_required
def add_information(contact_id: int) -> Any:
    contact = _load(contact_id)
    complaint = contact["complaints"][0] if contact["complaints"] else None
    if complaint is None:
        abort(404)
    form = MoreInformationForm()
    if form.validate_on_submit():
        uploads = [f for f in request.files.getlist(form.attachments.name) if f.filename]
        result = operations.run_mutation(
            "ResidentComplaintAddInformation",
            {"input": {"id": complaint["id"], "body": form.body.data, "attachments": uploads}},
        )
        if result.problem is None:
            flash(_("Thank you. We have added this to your complaint and told the person handling it."))
            if result.data["filesNotKept"]:
                flash(files_not_kept(result.data["filesNotKept"]), "error")
            return redirect(url_for("cases.show", contact_id=contact_id))
        show_problem(form, result.problem)
    return _render_case(contact, form, EscalateForm(), 400)


@bp.route("/cases/<int:contact_id>/escalate", methods=["POST"])
@login_required
def escalate(contact_id: int) -> Any:
    contact = _load(contact_id)
    complaint = contact["complaints"][0] if contact["complaints"] else None
    if complaint is None:
        abort(404)
    form = EscalateForm()
    if form.validate_on_submit():
        result = operations.run_mutation(
            "ResidentComplaintEscalate", {"input": {"id": complaint["id"], "reason": form.reason.data or ""}}
        )
        if result.problem is None:
            flash(
                _(
                    "We have your request. Your complaint has moved to stage %(stage)s.",
                    stage=result.data["complaint"]["stage"],
                )
            )
            return redirect(url_for("cases.show", contact_id=contact_id))
        show_problem(form, result.problem)
    return _render_case(contact, MoreInformationForm(), form, 400)


@bp.route("/cases/<int:contact_id>/withdraw", methods=["POST"])
@login_required
def withdraw(contact_id: int) -> Any:
    contact = _load(contact_id)
    complaint = contact["complaints"][0] if contact["complaints"] else None
    if complaint is None:
        abort(404)
    form = WithdrawForm(prefix="withdraw")
    if form.validate_on_submit():
        result = operations.run_mutation(
            "ResidentComplaintWithdraw", {"input": {"id": complaint["id"], "reason": form.reason.data or ""}}
        )
        if result.problem is None:
            flash(_("You have withdrawn your complaint. We have stopped work on it."))
            return redirect(url_for("cases.show", contact_id=contact_id))
        show_problem(form, result.problem)
    return _render_case(contact, MoreInformationForm(), EscalateForm(), 400, form)


@bp.route("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int) -> Any:
    """Send a file to someone who may see its case, as a download that browsers never run or sniff."""
    try:
        row, stream = files.open_attachment(current_actor(), attachment_id)
    except NotFound:
        abort(404)
    # Rows kept before names were cleaned may hold any name: the type decides the extension, always.
    kind = names.kind_for_media_type(row.media_type)
    name = names.file_name(row.file_name, kind)
    media_type = kind.media_type if kind is not None else "application/octet-stream"
    response = Response(_chunks(stream), mimetype=media_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(row.size)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_filter("attachment_name")
def attachment_name(attachment: dict[str, Any]) -> str:
    """The name an attachment (with ``fileName`` and ``mediaType``) is shown and downloaded under."""
    return names.file_name(attachment["fileName"], names.kind_for_media_type(attachment["mediaType"]))


def _chunks(stream: Any) -> Any:
    try:
        while chunk := stream.read(64 * 1024):
            yield chunk
    finally:
        stream.close()
