"""Console pages for SMART improvement actions: the board by status, my actions, the managers' queues (awaiting
authorisation, sign-off and verification), each list as CSV, one action's page, and proposing or changing an action.

The steps of an action's path, each on its own page, are in ``action_steps``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from backend.attachments import names
from backend.complaints import roles
from backend.errors import NotFound
from backend.lessons import actions as action_rules
from backend.timeutil import local_date
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK, IsoDate, choices, limit, parse_date
from portal.console.lessons import labels as lesson_labels
from portal.console.lessons.sections import section
from portal.forms import show_problem
from portal.security import current_actor
from schema.error_texts import INVALID

MANAGERS = frozenset({"manager", "admin"})
TYPES = {
    "working_practice": _l("Working practice"),
    "service_provision": _l("Service provision"),
    "staff_training": _l("Staff training"),
    "policy_procedure": _l("Policy or procedure"),
    "complaint_handling": _l("Complaint handling"),
}
STATUSES = {
    "proposed": _l("Proposed"),
    "authorised": _l("Authorised"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "signed_off": _l("Signed off"),
    "verified": _l("Verified"),
    "cancelled": _l("Cancelled"),
}
EFFECTS = {
    "addressed": _l("Addressed the problem"),
    "partly": _l("Partly addressed the problem"),
    "not_addressed": _l("Did not address the problem"),
}
# The board's columns, in the order of the path: (status, the board operation's field).
COLUMNS = (
    ("proposed", "proposed"),
    ("authorised", "authorised"),
    ("in_progress", "inProgress"),
    ("done", "done"),
    ("signed_off", "signedOff"),
)
CSV_HEADER = (
    _l("Lesson"),
    _l("Action"),
    _l("Type"),
    _l("Status"),
    _l("Owner"),
    _l("Team"),
    _l("Due"),
    _l("First due"),
    _l("Overdue"),
)


def labels() -> dict[str, Any]:
    return {"types": TYPES, "statuses": STATUSES, "effects": EFFECTS}


# --- Lists -------------------------------------------------------------------------------------------------------


def board_filters() -> tuple[dict[str, Any], dict[str, str]]:
    """The filter the board and its list share, from the query string (each kept only when it is valid).

    "My team" keeps the actions of the teams the viewer champions and of their own team: every member of staff
    reads every action, so a champion follows their team's with this filter rather than a row filter."""
    given = {
        "overdue": "1" if request.args.get("overdue") == "1" else "",
        "type": request.args.get("type") if request.args.get("type") in TYPES else "",
        "team": (request.args.get("team") or "").strip()[:100],
        "status": request.args.get("status") if request.args.get("status") in STATUSES else "",
        "my_team": "1" if request.args.get("my_team") == "1" else "",
    }
    where: dict[str, Any] = {}
    teams = operations.run("ConsoleActionTeams")["improvementActionTeams"] if given["my_team"] else []
    if teams:
        where["team"] = {"in": teams}
    else:
        given["my_team"] = ""
    if given["overdue"]:
        where["overdue"] = {"eq": True}
    if given["type"]:
        where["actionType"] = {"eq": given["type"]}
    if given["team"]:
        where["team"] = {"eq": given["team"]}
    if given["status"]:
        where["status"] = {"eq": given["status"]}
    return where, given


def _csv_rows(where: dict[str, Any]) -> Callable[[], Iterator[list[Any]]]:
    def rows() -> Iterator[list[Any]]:
        for node in exports.pages("ConsoleActions", {"where": where, "first": 100}, "improvementActions"):
            yield [
                node["lesson"]["reference"],
                node["title"],
                str(TYPES.get(node["actionType"], node["actionType"])),
                str(STATUSES.get(node["status"], node["status"])),
                (node["owner"] or {}).get("displayName", ""),
                node["team"] or "",
                node["dueOn"] or "",
                node["firstDueOn"] or "",
                _("Yes") if node["overdue"] else _("No"),
            ]

    return rows


def action_list(
    name: str,
    title: Any,
    intro: Any,
    where: dict[str, Any],
    endpoint: str,
    args: dict[str, str] | None = None,
    lesson_status: bool = False,
) -> Any:
    """One list of actions as a page (25 at a time), or all of it as CSV when ``?format=csv``; ``args`` are the
    query's filters its links keep, and ``lesson_status`` adds a column with each action's lesson status (flagging
    a lesson not analysed yet)."""
    if request.args.get("format") == "csv":
        return exports.csv_download(name, [str(h) for h in CSV_HEADER], _csv_rows(where))
    page = operations.run_page("ConsoleActions", {"where": where, "after": request.args.get("after") or None})
    return render_template(
        "console/lessons/action_list.html",
        page=page["improvementActions"],
        title=title,
        intro=intro,
        endpoint=endpoint,
        args={key: value for key, value in (args or {}).items() if value},
        labels=labels(),
        lesson_status=lesson_status,
        lesson_statuses=lesson_labels.STATUSES,
    )


@bp.route("/lessons/actions")
@roles_required(*STAFF)
def lesson_actions() -> Any:
    """The actions board: a column for each step of the path, the first 25 of each, soonest due first."""
    where, given = board_filters()
    where.pop("status", None)
    variables = {field: {**where, "status": {"eq": status}} for status, field in COLUMNS}
    variables["verified"] = {**where, "status": {"eq": "verified"}}
    variables["cancelled"] = {**where, "status": {"eq": "cancelled"}}
    data = operations.run("ConsoleActionBoard", variables)
    columns = [(status, data[field]) for status, field in COLUMNS]
    return render_template(
        "console/lessons/action_board.html",
        columns=columns,
        verified=sum(group["count"] for group in data["verified"]),
        cancelled=sum(group["count"] for group in data["cancelled"]),
        given=given,
        teams=operations.run("ConsoleActionTeams")["improvementActionTeams"],
        filter_args={key: value for key, value in given.items() if value and key != "status"},
        labels=labels(),
    )


@bp.route("/lessons/actions/list")
@roles_required(*STAFF)
def lesson_actions_list() -> Any:
    """Every action the board's filters select (one status, overdue, type, team), as a list or CSV."""
    where, given = board_filters()
    return action_list(
        "actions",
        _("Actions"),
        _("The actions the filters select, soonest due first."),
        where,
        "console.lesson_actions_list",
        given,
    )


@bp.route("/lessons/actions/mine")
@roles_required(*STAFF)
def lesson_actions_mine() -> Any:
    """The actions the viewer owns that are not yet verified or cancelled."""
    where = {
        "owner": {"id": {"eq": str(current_actor().user_id)}},
        "status": {"in": ["authorised", "in_progress", "done", "signed_off", "proposed"]},
    }
    intro = _("The actions you own that are not yet verified or cancelled, soonest due first.")
    return action_list("my-actions", _("My actions"), intro, where, "console.lesson_actions_mine")


QUEUES = {
    "authorisation": (
        "proposed",
        _l("Awaiting authorisation"),
        _l(
            "Proposed actions for a manager to authorise: each needs an owner, a measure, a target and a due date, "
            "and its lesson must be analysed first."
        ),
    ),
    "sign_off": (
        "done",
        _l("Awaiting sign-off"),
        _l("Actions done, with their evidence, for a manager who is not the owner to sign off."),
    ),
    "verification": (
        "signed_off",
        _l("Awaiting verification"),
        _l("Actions signed off, for a manager to check whether they addressed the problem."),
    ),
}


def _queue_view(queue: str) -> Callable[[], Any]:
    status, title, intro = QUEUES[queue]

    def view() -> Any:
        return action_list(
            f"actions-awaiting-{queue.replace('_', '-')}",
            title,
            intro,
            {"status": {"eq": status}},
            f"console.lesson_actions_{queue}",
            lesson_status=queue == "authorisation",
        )

    view.__name__ = f"lesson_actions_{queue}"
    view.__doc__ = f"The managers' queue of actions awaiting {queue.replace('_', ' ')}."
    return view


for _queue in QUEUES:
    bp.add_url_rule(
        f"/lessons/actions/awaiting-{_queue.replace('_', '-')}",
        f"lesson_actions_{_queue}",
        roles_required(*MANAGERS)(_queue_view(_queue)),
    )

section(30, "console.lesson_actions", _l("Actions board"))
section(31, "console.lesson_actions_mine", _l("My actions"))
section(32, "console.lesson_actions_authorisation", _l("Awaiting authorisation"), MANAGERS)
section(33, "console.lesson_actions_sign_off", _l("Awaiting sign-off"), MANAGERS)
section(34, "console.lesson_actions_verification", _l("Awaiting verification"), MANAGERS)


# --- One action ------------------------------------------------------------------------------------------------


def load_action(action_id: int) -> dict[str, Any]:
    action = operations.run("ConsoleAction", {"id": str(action_id)})["improvementAction"]
    if action is None:
        abort(404)
    return action


def step_refusal(action: dict[str, Any], step: str) -> str | None:
    """Why the viewer may not take ``step`` on the action, in words; None when they may.

    The same rules the services apply (``backend.lessons.actions``), so a step page can say so before anything is
    typed: authorising and changing the due date are for managers; starting, recording it done and adding evidence
    for its owner or a manager; signing off and verifying for a manager who is not its owner (signing off for a
    senior manager while some are named); cancelling for a manager, or whoever proposed it while it is proposed.
    """
    actor = current_actor()
    manager = actor.has_role(*MANAGERS)
    owner = (action["owner"] or {}).get("id") == str(actor.user_id)
    proposer = (action["proposedBy"] or {}).get("id") == str(actor.user_id)
    if step == "authorise" and not manager:
        return _("Only a manager can authorise an action.")
    if step == "due_date" and not manager:
        return _("Only a manager can change an action's due date.")
    if step in ("start", "complete", "evidence") and not (manager or owner):
        return _("Only the action's owner or a manager can record this.")
    if step == "sign_off":
        if not manager:
            return _("Only a manager can sign off an action.")
        if owner:
            return _("You own this action, so another manager must sign it off.")
        seniors = roles.senior_managers()
        if seniors and actor.user_id not in {user.id for user in seniors}:
            names = ", ".join(user.display_name for user in seniors)
            return _("Only the senior managers can sign off actions: %(names)s.", names=names)
    if step == "verify" and not manager:
        return _("Only a manager can verify an action's effect.")
    if step == "verify" and owner:
        return _("You own this action, so another manager must verify its effect.")
    if step == "cancel" and not (manager or (proposer and action["status"] == "proposed")):
        return _("Only a manager can cancel this action, or whoever proposed it while it is still proposed.")
    return None


def step_not_yet(action: dict[str, Any], step: str) -> str | None:
    """Why ``step`` can't be taken on the action yet by anyone, in words, when something else must happen first;
    None when nothing stands in the way. Like ``step_refusal``, the rule is the service's, said before the step is
    tried: an action is authorised only once its lesson is analysed (its root causes recorded)."""
    if step == "authorise" and action["lesson"].get("status") == "identified":
        return _(
            "The lesson must be analysed first: record its root causes on the lesson's page and move it to "
            "analysed. Then the action can be authorised."
        )
    return None


#: Each step: the statuses it is offered in, its page's endpoint and its link's words.
STEPS = (
    ("authorise", ("proposed",), _l("Authorise the action")),
    ("start", ("authorised",), _l("Record that work started")),
    ("complete", ("in_progress",), _l("Record it as done, with evidence")),
    ("evidence", ("authorised", "in_progress", "done"), _l("Add evidence")),
    ("sign_off", ("done",), _l("Sign off the action")),
    ("verify", ("signed_off",), _l("Verify its effect")),
    ("due_date", ("authorised", "in_progress"), _l("Change the due date")),
    ("cancel", ("proposed", "authorised", "in_progress", "done", "signed_off"), _l("Cancel the action")),
)


def viewer_steps(action: dict[str, Any]) -> list[tuple[str, Any]]:
    """The steps the viewer may take on the action now, as (endpoint, label): only those they are allowed and
    that nothing else must come before (``waiting_steps`` names those)."""
    steps: list[tuple[str, Any]] = []
    if action["status"] == "proposed":
        steps.append(("console.lesson_action_edit", _("Change the action")))
    for step, statuses, label in STEPS:
        if action["status"] in statuses and step_refusal(action, step) is None and step_not_yet(action, step) is None:
            steps.append((f"console.lesson_action_{step}", label))
    return steps


def waiting_steps(action: dict[str, Any]) -> list[tuple[Any, str]]:
    """The steps the viewer would be allowed now but that must wait for something else, as (label, why)."""
    waiting: list[tuple[Any, str]] = []
    for step, statuses, label in STEPS:
        if action["status"] in statuses and step_refusal(action, step) is None:
            reason = step_not_yet(action, step)
            if reason is not None:
                waiting.append((label, reason))
    return waiting


@bp.route("/lessons/actions/<int:action_id>")
@roles_required(*STAFF)
def lesson_action(action_id: int) -> Any:
    action = load_action(action_id)
    return render_template(
        "console/lessons/action.html",
        action=action,
        steps=viewer_steps(action),
        waiting=waiting_steps(action),
        earlier=earlier_path(action),
        labels=labels(),
    )


#: The steps of an action's path that a reopening undoes, as the audit trail names them.
REOPENED_STEPS = ("improvement_action.completed", "improvement_action.signed_off", "improvement_action.reopened")


def earlier_path(action: dict[str, Any]) -> list[dict[str, Any]]:
    """When the action was reopened after verification: each time it was done, signed off and reopened up to the
    last reopening (oldest first), from the lesson's history, so that the path stays visible on its page."""
    if not action["verifiedAt"]:
        return []
    lesson = operations.run("ConsoleActionHistory", {"lessonId": action["lesson"]["id"]})["lesson"]
    entries = [
        entry
        for entry in reversed((lesson or {}).get("history") or [])
        if entry["entityType"] == "improvement_action"
        and entry["entityId"] == str(action["id"])
        and entry["action"] in REOPENED_STEPS
    ]
    last = max((i for i, entry in enumerate(entries) if entry["action"] == REOPENED_STEPS[2]), default=-1)
    return entries[: last + 1]


@bp.route("/lessons/actions/evidence/<int:evidence_id>")
@roles_required(*STAFF)
def lesson_action_evidence_file(evidence_id: int) -> Any:
    """Send an evidence file to staff; anyone else, and a file not there, get the same 404."""
    try:
        row, stream = action_rules.open_evidence_file(current_actor(), evidence_id)
    except NotFound:
        abort(404)
    kind = names.kind_for_media_type(row.media_type)
    response = Response(_chunks(stream), mimetype=kind.media_type if kind else "application/octet-stream")
    response.direct_passthrough = True
    response.headers["Content-Length"] = str(row.size)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(names.file_name(row.file_name, kind))}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _chunks(stream: Any) -> Iterator[bytes]:
    try:
        while chunk := stream.read(64 * 1024):
            yield chunk
    finally:
        stream.close()


# --- Proposing and changing ------------------------------------------------------------------------------------


class NotPast:
    """Refuse a typed date before today (UK time), as the service does, so that a past due date is named together
    with the problems the form finds (a missing title or type), not on the next submit."""

    def __call__(self, form: FlaskForm, field: Any) -> None:
        day = parse_date(field.data)
        if day is not None and day < local_date():
            raise ValidationError(_(INVALID[("due_on", "in_past")]))


class ActionForm(FlaskForm):
    title = StringField(
        _l("What will be done"),
        description=_l("Specific: one line, for example “Text residents the day before each repairs visit”."),
        validators=[DataRequired(_l("Give it a title.")), limit(200)],
    )
    description = TextAreaField(_l("In full (optional)"), validators=[Optional(), limit(10_000)])
    action_type = RadioField(
        _l("What kind of change is it?"),
        choices=choices(TYPES),
        validators=[DataRequired(_l("Choose what kind of change the action makes."))],
    )
    measure = TextAreaField(
        _l("How its effect is measured"),
        description=_l(
            "Measurable: for example “missed repairs appointments a month”. Needed before it is authorised."
        ),
        validators=[Optional(), limit(10_000)],
    )
    baseline = StringField(_l("The figure now (optional)"), validators=[Optional(), limit(200)])
    target = StringField(
        _l("The figure aimed for"),
        description=_l("Needed before it is authorised."),
        validators=[Optional(), limit(200)],
    )
    owner_id = SelectField(
        _l("Owner"), description=_l("Who does it. Needed before it is authorised."), validators=[Optional()]
    )
    team = StringField(_l("Team (optional)"), validators=[Optional(), limit(100)])
    cause_id = SelectField(_l("The cause it addresses (optional)"), validators=[Optional()])
    programme_id = SelectField(_l("Programme of work (optional)"), validators=[Optional()])
    due_on = StringField(
        _l("Due date"),
        description=_l("Time-bound: not in the past. Needed before it is authorised."),
        validators=[Optional(), IsoDate(), NotPast()],
        render_kw={"type": "date"},
    )


def _choices(form: ActionForm, data: dict[str, Any]) -> None:
    form.owner_id.choices = [BLANK, *[(p["id"], p["displayName"]) for p in data["people"]["nodes"]]]
    lesson = data["improvementActionLesson"]
    form.cause_id.choices = [BLANK, *[(c["id"], f"{c['name']}: {c['detail']}"[:120]) for c in lesson["causes"]]]
    form.programme_id.choices = [BLANK, *[(p["id"], p["name"]) for p in data["programmes"]["nodes"]]]


def _fields(form: ActionForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "",
        "actionType": form.action_type.data,
        "description": form.description.data or "",
        "measure": form.measure.data or "",
        "baseline": form.baseline.data or "",
        "target": form.target.data or "",
        "ownerId": form.owner_id.data or None,
        "team": form.team.data or "",
        "causeId": form.cause_id.data or None,
        "programmeId": form.programme_id.data or None,
        "dueOn": (form.due_on.data or "").strip() or None,
    }


def _lesson_choices(lesson_id: int) -> dict[str, Any]:
    data = operations.run("ConsoleActionChoices", {"lessonId": str(lesson_id)})
    if data["improvementActionLesson"] is None:
        abort(404)
    return data


@bp.route("/lessons/<int:lesson_id>/actions/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_new(lesson_id: int) -> Any:
    """Propose a SMART action for a lesson; a manager authorises it before work starts."""
    data = _lesson_choices(lesson_id)
    form = ActionForm()
    _choices(form, data)
    if request.method == "GET" and data["improvementActionLesson"]["team"]:
        form.team.data = data["improvementActionLesson"]["team"]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"lessonId": str(lesson_id), **_fields(form)}
            result = operations.run_mutation("ConsoleImprovementActionPropose", {"input": variables})
            if result.problem is None:
                flash(_("The action is proposed. A manager must authorise it before work starts."), "success")
                action_id = result.data["improvementAction"]["id"]
                return redirect(url_for("console.lesson_action", action_id=action_id))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    return render_template(
        "console/lessons/action_form.html", form=form, lesson=data["improvementActionLesson"], action=None
    ), status


@bp.route("/lessons/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_action_edit(action_id: int) -> Any:
    """Change a proposed action's SMART parts, for example to add what authorising it needs."""
    action = load_action(action_id)
    if action["status"] != "proposed":
        abort(404)
    data = _lesson_choices(int(action["lesson"]["id"]))
    form = ActionForm()
    _choices(form, data)
    status = 200
    if request.method == "GET":
        _fill(form, action)
    elif form.validate_on_submit():
        result = operations.run_mutation(
            "ConsoleImprovementActionUpdate", {"input": {"id": str(action_id), **_fields(form)}}
        )
        if result.problem is None:
            flash(_("The action is changed."), "success")
            return redirect(url_for("console.lesson_action", action_id=action_id))
        show_problem(form, result.problem)
        status = result.status
    else:
        status = 400
    return render_template(
        "console/lessons/action_form.html", form=form, lesson=data["improvementActionLesson"], action=action
    ), status


def _fill(form: ActionForm, action: dict[str, Any]) -> None:
    for name in ("title", "description", "measure", "baseline", "target", "team"):
        getattr(form, name).data = action[name] or ""
    form.action_type.data = action["actionType"]
    form.owner_id.data = (action["owner"] or {}).get("id") or ""
    form.cause_id.data = action["causeId"] or ""
    form.programme_id.data = (action["programme"] or {}).get("id") or ""
    form.due_on.data = action["dueOn"] or ""


@bp.app_template_global()
def action_status_label(status: str) -> Any:
    """An action's status in the viewer's language."""
    return STATUSES.get(status, status)
