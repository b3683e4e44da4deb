"""Console pages for subject access requests: the list with each one-month clock, logging a request for a person
found by email or name, and each step (compile, the DPO's review, release, extend, refuse or withdraw).

Only administrators and the data protection officer see these pages. Anyone else signed in gets "not found", the
same as for a request that does not exist, so the pages never say whether somebody asked. The pages call
``backend.privacy.access`` directly: requests are not in the API (see docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from backend.accounts.models import User
from backend.errors import Conflict, DomainError, Invalid, NotFound
from backend.privacy import access
from backend.privacy.models import AccessRequestStatus, SubjectAccessRequest
from backend.timeutil import local_date
from portal.console.blueprint import bp
from portal.extensions import login_manager
from portal.security import current_actor

STATUS_LABELS = {
    "received": _l("Received: to compile"),
    "compiled": _l("Compiled: waiting for the DPO's review"),
    "approved": _l("Approved: ready to release"),
    "released": _l("Released"),
    "refused": _l("Refused"),
    "withdrawn": _l("Withdrawn"),
}
METHOD_LABELS = {
    "email": _l("By email (an encrypted file or a link that expires)"),
    "post": _l("By post"),
    "in_person": _l("In person"),
    "portal": _l("Through a secure portal outside Learnloop"),
}
PROBLEMS = {
    "in_future": _l("The day it was received cannot be in the future."),
    "too_long": _l("This is too long: at most %(maximum)s characters."),
    "too_many": _l("Give at most %(maximum)s names."),
    "required": _l("Give the reason."),
    "first_month_over": _l("The first month is over: an extension must be told to the person within it."),
    "not_later": _l("Choose a day after the current deadline."),
    "too_late": _l("An extension can reach at most three months from the day the request was received."),
    "invalid": _l("Choose one of the options."),
    "not_a_day": _l("Give a day that exists, as YYYY-MM-DD: for example 2027-03-15."),
    "already_extended": _l("This request is already extended. Its deadline cannot move again."),
    "own_export": _l(
        "You compiled this export, or it was compiled from the command line, so someone else must compile it again "
        "here before you can approve it."
    ),
    "not_dpo": _l("Only the data protection officer can review an export."),
    "checksum": _l("The stored export does not match its checksum. Compile it again."),
    "too_large": _l("The export is too large to keep here. Answer this request by hand, in parts."),
}


def handlers_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous visitors to sign in; anyone who may not handle requests gets "not found"."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not access.may_handle(current_actor()):
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def _load(request_id: int) -> SubjectAccessRequest:
    try:
        return access.get_request(current_actor(), request_id)
    except NotFound:
        abort(404)


def _problem(form: FlaskForm, error: DomainError, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form, in the reader's language."""
    if isinstance(error, Invalid):
        for problem in error.problems:
            message = str(PROBLEMS.get(problem.code, _l("Check this value and try again."))) % problem.params
            target = getattr(form, (fields or {}).get(problem.field, problem.field), None)
            if target is not None:
                target.errors = [*(target.errors if isinstance(target.errors, list) else []), message]
            else:
                form.form_errors.append(message)
        return
    code = getattr(error, "code", "")
    if isinstance(error, Conflict) and code not in PROBLEMS:
        form.form_errors.append(_("The request changed while you were working on it. Check it and try again."))
    else:
        form.form_errors.append(str(PROBLEMS.get(code, _l("This cannot be done."))))


def _row(item: SubjectAccessRequest, today: dt.date) -> dict[str, Any]:
    person = User.get_by_id(item.person_id)  # type: ignore[attr-defined]
    is_open = item.status in ("received", "compiled", "approved")
    left = access.days_left(item, today) if is_open else None
    return {
        "id": item.id,
        "person": person,
        "received_on": item.received_on,
        "deadline": access.current_deadline(item),
        "extended": item.extended_to is not None,
        "status": item.status,
        "status_label": STATUS_LABELS.get(item.status, item.status),
        "days_left": left,
        "overdue": left is not None and left < 0,
    }


@bp.route("/privacy")
@handlers_only
def privacy() -> Any:
    """Every subject access request, open ones first by deadline, with the working days left."""
    today = local_date()
    rows = [_row(item, today) for item in access.list_requests(current_actor())]
    return render_template("console/privacy/list.html", rows=rows, dpo=access.dpo_id())


class NewRequestForm(FlaskForm):
    person_id = RadioField(_l("Who is asking"), validators=[DataRequired(_l("Choose the person asking."))])
    received_on = StringField(
        _l("Day received"),
        description=_l("Day one of the month the law allows, as YYYY-MM-DD. Leave empty: today."),
        validators=[Optional(), Length(max=10)],
    )
    channel = StringField(_l("How it arrived (optional)"), validators=[Optional(), Length(max=40)])
    note = TextAreaField(_l("What they asked for (optional)"), validators=[Optional(), Length(max=2000)])


@bp.route("/privacy/new", methods=["GET", "POST"])
@handlers_only
def privacy_new() -> Any:
    """Log a request: find the person by email address or name, then record when it arrived."""
    actor = current_actor()
    query = (request.values.get("q") or "").strip()[:254]
    people = access.find_people(actor, query)
    form = NewRequestForm()
    form.person_id.choices = [
        SelectChoice(str(person.id), f"{person.display_name} ({person.email})") for person in people
    ]
    if request.method == "POST" and form.validate_on_submit():
        received_at = None
        if form.received_on.data:
            try:
                day = dt.date.fromisoformat(form.received_on.data.strip())
                received_at = dt.datetime.combine(day, dt.time(12))
            except ValueError:
                form.received_on.errors = [_("Give the day as YYYY-MM-DD.")]
        if not form.received_on.errors:
            try:
                created = access.log_request(
                    actor,
                    int(form.person_id.data),
                    received_at=received_at,
                    channel=form.channel.data or "",
                    note=form.note.data or "",
                )
            except NotFound:
                form.person_id.errors = [_("Choose the person asking.")]
            except DomainError as error:
                _problem(form, error, {"received_at": "received_on"})
            else:
                flash(_("Request logged. It is due by %(day)s.", day=created.due_on.isoformat()))
                return redirect(url_for("console.privacy_request", request_id=created.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("console/privacy/new.html", form=form, query=query, people=people), status


@bp.route("/privacy/<int:request_id>")
@handlers_only
def privacy_request(request_id: int) -> Any:
    """One request: the person, the clock, each step so far, what the export holds, and the steps available."""
    item = _load(request_id)
    summary = json.loads(item.summary) if item.summary else None
    return render_template(
        "console/privacy/request.html",
        item=item,
        row=_row(item, local_date()),
        summary=summary,
        is_dpo=current_actor().user_id == access.dpo_id(),
        names={user.id: user.display_name for user in _people(item)},
        status_labels=STATUS_LABELS,
        method_labels=METHOD_LABELS,
    )


def _people(item: SubjectAccessRequest) -> list[User]:
    ids = {
        getattr(item, f"{name}_id")
        for name in ("logged_by", "compiled_by", "reviewed_by", "released_by", "closed_by", "extended_by")
    }
    return list(User.select().where(User.id.in_([i for i in ids if i])))


@bp.route("/privacy/<int:request_id>/export.zip")
@handlers_only
def privacy_export(request_id: int) -> Any:
    """Download the compiled zip (for the DPO's review, or to release it); the download is audited."""
    _load(request_id)
    try:
        item, stream = access.open_export(current_actor(), request_id)
    except NotFound:
        abort(404)
    except Conflict:
        flash(str(PROBLEMS["checksum"]))
        return redirect(url_for("console.privacy_request", request_id=request_id))
    return send_file(
        stream, mimetype="application/zip", as_attachment=True, download_name=f"subject-access-{item.id}.zip"
    )


class CompileForm(FlaskForm):
    third_parties = TextAreaField(
        _l("Other people to take out (optional)"),
        description=_l(
            "Names of neighbours, other residents or anyone else named in the records, one a line. Their names, and "
            "any email address, phone number or street address, are replaced. Staff names are kept."
        ),
        validators=[Optional(), Length(max=4000)],
    )


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice("approve", _l("Approve it for release")),
            SelectChoice("send_back", _l("Send it back to be compiled again")),
        ],
        validators=[DataRequired(_l("Choose approve or send back."))],
    )
    note = TextAreaField(
        _l("Note"), description=_l("Needed to send it back: say what to change."), validators=[Length(max=2000)]
    )


class ReleaseForm(FlaskForm):
    method = RadioField(
        _l("How it reached the person"),
        choices=[SelectChoice(code, label) for code, label in METHOD_LABELS.items()],
        validators=[DataRequired(_l("Choose how it was released."))],
    )


class ExtendForm(FlaskForm):
    extended_to = StringField(
        _l("New deadline"),
        description=_l("At most three months from the day received, as YYYY-MM-DD."),
        validators=[DataRequired(_l("Give the new deadline.")), Length(max=10)],
    )
    reason = TextAreaField(
        _l("Why (as told to the person)"),
        validators=[DataRequired(_l("Give the reason.")), Length(max=2000)],
    )


class CloseForm(FlaskForm):
    status = RadioField(
        _l("Close it as"),
        choices=[SelectChoice("refused", _l("Refused")), SelectChoice("withdrawn", _l("Withdrawn by the person"))],
        validators=[DataRequired(_l("Choose refused or withdrawn."))],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give the reason.")), Length(max=2000)])


STEPS: dict[str, tuple[type[FlaskForm], Any, Any]] = {
    "compile": (CompileForm, _l("Compile the export"), AccessRequestStatus.RECEIVED),
    "review": (ReviewForm, _l("Review the export"), AccessRequestStatus.COMPILED),
    "release": (ReleaseForm, _l("Record the release"), AccessRequestStatus.APPROVED),
    "extend": (ExtendForm, _l("Extend the deadline"), None),
    "close": (CloseForm, _l("Refuse or withdraw"), None),
}


def _do(step: str, item: SubjectAccessRequest, form: Any) -> SubjectAccessRequest:
    actor = current_actor()
    if step == "compile":
        return access.compile_request(actor, item.id, third_parties=form.third_parties.data or "")
    if step == "review":
        if form.decision.data == "approve":
            return access.approve_request(actor, item.id, form.note.data or "")
        return access.send_back_request(actor, item.id, form.note.data or "")
    if step == "release":
        return access.release_request(actor, item.id, form.method.data)
    if step == "extend":
        try:
            day = dt.date.fromisoformat(form.extended_to.data.strip())
        except ValueError:
            raise Invalid("extended_to", "not_a_day") from None
        return access.extend_request(actor, item.id, day, form.reason.data)
    return access.close_request(actor, item.id, form.status.data, form.reason.data)


@bp.route("/privacy/<int:request_id>/<any(compile, review, release, extend, close):step>", methods=["GET", "POST"])
@handlers_only
def privacy_step(request_id: int, step: str) -> Any:
    """One step on a request: GET shows its form, POST does it and goes back to the request."""
    item = _load(request_id)
    form_class, title, _status = STEPS[step]
    form = form_class(data={"third_parties": item.third_parties} if step == "compile" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            _do(step, item, form)
        except (DomainError, ValueError) as error:
            if isinstance(error, DomainError):
                _problem(form, error, {"reason": "note" if step == "review" else "reason"})
            else:
                form.form_errors.append(_("This cannot be done."))
        else:
            flash(_("Done."))
            return redirect(url_for("console.privacy_request", request_id=item.id))
    status = 400 if form.errors or form.form_errors else 200
    page = render_template("console/privacy/step.html", form=form, item=item, step=step, title=title)
    return page, status
