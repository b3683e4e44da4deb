"""Each step of an improvement action's path on its own page: authorise, start, complete with evidence, add
evidence, sign off, verify, change the due date and cancel. Each posts one mutation and returns to the action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.lessons import notices
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import ACCEPT, choices, date_field, limit, parse_date
from portal.console.lessons.actions import EFFECTS, labels, load_action, step_not_yet, step_refusal
from portal.forms import show_problem
from portal.security import current_actor
from schema.error_texts import INVALID

NEXT_STEPS = {
    "reopen": _l("Reopen the action: it goes back in progress for its owner"),
    "follow_up": _l("Propose a new action that follows it, for a manager to authorise"),
}


class ConfirmForm(FlaskForm):
    """A step that needs nothing but the viewer's confirmation."""


class EvidenceForm(FlaskForm):
    text = TextAreaField(
        _l("What was done"),
        description=_l("For example: what changed, when, and what the measure shows now."),
        validators=[Optional(), limit(10_000)],
    )
    links = TextAreaField(
        _l("Links (optional)"),
        description=_l(
            "Web addresses of reports or documents, each starting with https://, one on each line, at most 10."
        ),
        validators=[Optional(), limit(21_000)],
    )
    attachments = MultipleFileField(
        _l("Files (optional)"),
        description=_l("For example a report, a new procedure or a training record. Only staff can open them."),
        render_kw={"accept": ACCEPT},
    )


class VerifyForm(FlaskForm):
    """Checks every rule of verifying at once (the effect can't be sent to the service without a choice), so a
    missing note, next step and new due date are named together."""

    effect = RadioField(
        _l("Did the action address the problem?"),
        choices=choices(EFFECTS),
        validators=[DataRequired(_l("Choose whether the action addressed the problem."))],
    )
    note = TextAreaField(
        _l("How you judged it"),
        description=_l("For example: what the measure shows now against the baseline and the target."),
        validators=[DataRequired(_l("Say how its effect was judged: what the measure shows now.")), limit(10_000)],
    )
    next_step = RadioField(
        _l("If it did not address the problem: what next?"), choices=choices(NEXT_STEPS), validators=[Optional()]
    )
    due_on = date_field(
        _l("If you reopen it: its new due date"),
        description=_l("Not in the past. It is recorded as a due-date change, your note being the reason."),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.effect.data == "not_addressed" and not self.next_step.data:
            self.next_step.errors = [*self.next_step.errors, _(INVALID[("next_step", "required")])]
            valid = False
        if self.effect.data == "not_addressed" and self.next_step.data == "reopen" and not self.due_on.errors:
            day = parse_date(self.due_on.data)
            if day is None:
                self.due_on.errors = [*self.due_on.errors, _(INVALID[("due_on", "reopen_required")])]
                valid = False
            elif day < local_date():
                self.due_on.errors = [*self.due_on.errors, _(INVALID[("due_on", "in_past")])]
                valid = False
        return valid


class DueDateForm(FlaskForm):
    """Only the date's form is checked here: the service names every other problem at once (the date missing, in
    the past or unchanged, and the reason missing)."""

    to_date = date_field(_l("New due date"))
    reason = TextAreaField(
        _l("Why it moves"),
        description=_l("On time is still measured against the first authorised due date."),
        validators=[Optional()],
    )


class SignOffForm(FlaskForm):
    resident_message = TextAreaField(
        _l("What to tell the residents whose complaints led to this (optional)"),
        description=_l(
            "Write it for residents, in plain words: what changed because they complained. It is sent to each "
            "resident whose complaint fed the lesson, except anonymous ones. Leave it empty to tell nobody."
        ),
        validators=[Optional(), limit(2_000)],
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it cancelled?"), validators=[DataRequired(_l("Give the reason it is cancelled.")), limit(10_000)]
    )


def _links(form: EvidenceForm) -> list[str]:
    return [line.strip() for line in (form.links.data or "").splitlines() if line.strip()]


def _files(form: EvidenceForm) -> list[Any]:
    return [f for f in request.files.getlist(form.attachments.name) if f.filename]


def _step(
    action_id: int,
    step: str,
    form: FlaskForm,
    template: str,
    operation: str,
    variables: Callable[[], dict[str, Any]],
    done: Any,
    shown: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    context: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    **extra: Any,
) -> Any:
    """Show a step's page; on a valid post run its mutation and go back to the action, or show the problem
    (as ``shown`` leaves it, when given). ``context`` adds what the page shows of the action, once it may be shown.

    Someone who may not take the step is told why (403) instead of being shown the form, whether they open the
    page or post to it; the step pages admit all staff so that this, not a bare "no access", answers them.
    A step that must wait for something else (``step_not_yet``) says so, with no button, and is not tried (409)."""
    action = load_action(action_id)
    refusal = step_refusal(action, step)
    if refusal is not None:
        return render_template(
            "console/lessons/action_refused.html", action=action, refusal=refusal, labels=labels(), **extra
        ), 403
    not_yet = step_not_yet(action, step)
    codes: set[str] = set()
    status = 200
    if request.method == "POST":
        if not_yet is not None:
            status = 409
        elif form.validate_on_submit():
            result = operations.run_mutation(operation, {"input": {"id": str(action_id), **variables()}})
            if result.problem is None:
                flash(done, "success")
                return redirect(url_for("console.lesson_action", action_id=action_id))
            codes = {str(each.get("code")) for each in result.problem.get("problems") or [result.problem]}
            show_problem(form, shown(result.problem) if shown else result.problem)
            status = result.status
        else:
            status = 400
    return render_template(
        f"console/lessons/{template}",
        action=action,
        form=form,
        labels=labels(),
        not_yet=not_yet,
        problem_codes=codes,
        **(context(action) if context else {}),
        **extra,
    ), status


def _confirm(
    action_id: int,
    step: str,
    operation: str,
    title: Any,
    explanation: Any,
    button: Any,
    done: Any,
    shown: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    return _step(
        action_id,
        step,
        ConfirmForm(),
        "action_confirm.html",
        operation,
        dict,
        done,
        shown=shown,
        title=title,
        explanation=explanation,
        button=button,
    )


def _summary_of_missing_parts(problem: dict[str, Any]) -> dict[str, Any]:
    """The problem without the one-per-part "required" problems when a first problem lists every missing part:
    the confirmation page has no fields to put them on, so it shows the list once."""
    problems = problem.get("problems") or []
    if not any(each.get("code") == "incomplete" for each in problems):
        return problem
    return {**problem, "problems": [each for each in problems if each.get("code") != "required"]}


@bp.route("/lessons/actions/<int:action_id>/authorise", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_authorise(action_id: int) -> Any:
    """Authorise a proposed action; refused, naming every missing part, until it is SMART."""
    return _confirm(
        action_id,
        "authorise",
        "ConsoleImprovementActionAuthorise",
        _("Authorise the action"),
        _("Work may start once it is authorised. Its due date becomes the date on-time is measured against."),
        _("Authorise"),
        _("The action is authorised."),
        _summary_of_missing_parts,
    )


@bp.route("/lessons/actions/<int:action_id>/start", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_start(action_id: int) -> Any:
    return _confirm(
        action_id,
        "start",
        "ConsoleImprovementActionStart",
        _("Record that work started"),
        _("The action moves to in progress."),
        _("Work has started"),
        _("The action is in progress."),
    )


@bp.route("/lessons/actions/<int:action_id>/sign-off", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_sign_off(action_id: int) -> Any:
    """Sign off a done action (a senior manager who is not its owner), and tell the complainants what changed."""
    form = SignOffForm()
    return _step(
        action_id,
        "sign_off",
        form,
        "action_sign_off.html",
        "ConsoleImprovementActionSignOff",
        lambda: {"residentMessage": form.resident_message.data or ""},
        _("The action is signed off."),
        context=lambda action: {
            "complainants": notices.complainants_count(current_actor(), int(action["lesson"]["id"]))
        },
    )


@bp.route("/lessons/actions/<int:action_id>/complete", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_complete(action_id: int) -> Any:
    """Record an action as done, with at least one piece of evidence (given here or before)."""
    form = EvidenceForm()
    return _step(
        action_id,
        "complete",
        form,
        "action_evidence.html",
        "ConsoleImprovementActionComplete",
        lambda: {"text": form.text.data or "", "links": _links(form), "attachments": _files(form)},
        _("The action is done. A manager who is not its owner will sign it off."),
        completing=True,
    )


@bp.route("/lessons/actions/<int:action_id>/evidence", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_evidence(action_id: int) -> Any:
    form = EvidenceForm()
    return _step(
        action_id,
        "evidence",
        form,
        "action_evidence.html",
        "ConsoleImprovementActionEvidenceAdd",
        lambda: {"text": form.text.data or "", "links": _links(form), "attachments": _files(form)},
        _("The evidence is added."),
        completing=False,
    )


@bp.route("/lessons/actions/<int:action_id>/verify", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_verify(action_id: int) -> Any:
    """Verify a signed-off action's effect; "not addressed" reopens it or proposes a new one, as chosen."""
    form = VerifyForm()

    def variables() -> dict[str, Any]:
        given = {"effect": form.effect.data, "note": form.note.data or ""}
        if form.effect.data == "not_addressed" and form.next_step.data:
            given["nextStep"] = form.next_step.data
            if form.next_step.data == "reopen":
                given["dueOn"] = (form.due_on.data or "").strip() or None
        return given

    reopening = form.effect.data == "not_addressed" and form.next_step.data == "reopen"
    done = _("The action is reopened: it is back in progress for its owner.") if reopening else None
    return _step(
        action_id,
        "verify",
        form,
        "action_verify.html",
        "ConsoleImprovementActionVerify",
        variables,
        done or _("The effect is recorded."),
    )


@bp.route("/lessons/actions/<int:action_id>/due-date", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_due_date(action_id: int) -> Any:
    form = DueDateForm()
    return _step(
        action_id,
        "due_date",
        form,
        "action_due_date.html",
        "ConsoleImprovementActionDueDateChange",
        lambda: {"toDate": (form.to_date.data or "").strip(), "reason": form.reason.data or ""},
        _("The due date is changed."),
    )


@bp.route("/lessons/actions/<int:action_id>/cancel", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_cancel(action_id: int) -> Any:
    form = CancelForm()
    return _step(
        action_id,
        "cancel",
        form,
        "action_cancel.html",
        "ConsoleImprovementActionCancel",
        lambda: {"reason": form.reason.data or ""},
        _("The action is cancelled."),
    )
