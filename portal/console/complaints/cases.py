"""Console pages for complaints: the work queues, and the case page with a form for each step of the journey.

Every read and write runs a named operation from ``complaints.graphql`` as the viewer. Forms only appear
when the step makes sense for the complaint's status; the service still enforces the order, and a typed
ConflictError (a stale page, a second tab) is shown on the form that was sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backend.config import LANGUAGE_NAMES
from backend.i18n import N_
from backend.timeutil import local_date
from backend.workdays import add_working_days
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import NATION_FILTERS, STAFF, bp
from portal.console.complaints import search, steps
from portal.console.complaints.spso import why_not_signer
from portal.console.notifications.outgoing import CHANNEL_NAMES
from portal.forms import files_not_kept, show_problem
from portal.security import current_actor

ACTIVE = ["received", "open", "responded"]
VIEWS = {
    "new": _l("New contacts to classify"),
    "unassigned": _l("New and unassigned complaints"),
    "unacknowledged": _l("Not yet acknowledged"),
    "mine": _l("My complaints by due date"),
    "today": _l("Mine due today"),
    "week": _l("Mine due this week"),
    "at_risk": _l("At risk"),
    "breached": _l("Breached"),
    "awaiting": _l("Awaiting a response"),
    "stage2": _l("Stage 2"),
    "open": _l("All open complaints"),
}
AT_RISK_WORKING_DAYS = 2
# The SPSO's procedure: a handler's final response waits for a manager's sign-off (portal.console.complaints.spso).
SENT_FOR_SIGN_OFF = N_(
    "Your final response is waiting for a manager's sign-off. Nothing is sent to the resident until it is signed off."
)
# Queues of the viewer's own complaints: a handler filter does not apply to them.
MINE_VIEWS = ("mine", "today", "week", "unassigned")


def end_of_week(today: Any) -> Any:
    """The Sunday that ends today's week: "this week" runs from today to then."""
    return today + dt.timedelta(days=6 - today.weekday())


def default_view() -> str:
    """Managers share out the work, so they start at the complaints nobody handles; everyone else at their own."""
    return "unassigned" if current_actor().has_role("manager") else "mine"


def at_risk_boundaries(today: Any) -> dict[str, Any]:
    """The last due date that counts as at risk, per nation: two working days on that nation's own calendar.

    The statutory calendar (weekends and the nation's bank holidays) decides, as it does for the deadlines.
    """
    return {nation: add_working_days(today, AT_RISK_WORKING_DAYS, nation) for nation in NATION_FILTERS}


@bp.context_processor
def inject_today() -> dict[str, Any]:
    """Today in UK time, so that templates can say in words that a due date has passed."""
    return {"today_iso": local_date().isoformat()}


def case_choices() -> dict[str, list[dict[str, Any]]]:
    """Live service areas and categories, and active staff, for the console's selects."""
    data = operations.run("ConsoleCaseChoices")
    return {
        "areas": data["serviceAreas"]["nodes"],
        "categories": data["categories"]["nodes"],
        "staff": data["people"]["nodes"],
        "managers": data["managers"]["nodes"],
    }


def closures_ahead() -> list[dict[str, Any]]:
    """The office's closure days from today on. They never move a deadline; pages warn of those they precede."""
    where = {"archivedAt": {"isNull": True}, "day": {"gte": local_date().isoformat()}}
    return operations.run("ConsoleClosureDaysAhead", {"where": where})["closureDays"]["nodes"]


def closures_before(due_on: str | None, closures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The closure days (from ``closures_ahead``) that fall on or before a due date given as an ISO date."""
    return [day for day in closures if due_on and day["day"] <= due_on]


def _picked(name: str, options: list[dict[str, Any]]) -> str:
    """A filter value from the query string, kept only when it is one of the options."""
    value = request.args.get(name) or ""
    return value if value in {str(option["id"]) for option in options} else ""


def _complaint_where(view: str, filters: dict[str, str]) -> dict[str, Any]:
    today = local_date()
    where: dict[str, Any] = {"status": {"in": ACTIVE}}
    mine = {"id": {"eq": str(current_actor().user_id)}}
    if view == "mine":
        where["handler"] = mine
    elif view == "today":
        # Due today, or already overdue: both are today's work.
        where["handler"] = mine
        where["nextDueOn"] = {"lte": today.isoformat()}
    elif view == "week":
        where["handler"] = mine
        where["nextDueOn"] = {"lte": end_of_week(today).isoformat()}
    elif view == "unacknowledged":
        where["status"] = {"eq": "received"}
    elif view == "unassigned":
        # Every complaint nobody handles, from the moment it arrives (status received) to the end.
        where["handler"] = {"id": {"isNull": True}}
    elif view == "at_risk":
        where["or"] = [
            {"nation": {"eq": nation}, "nextDueOn": {"gte": today.isoformat(), "lte": boundary.isoformat()}}
            for nation, boundary in at_risk_boundaries(today).items()
        ]
    elif view == "breached":
        # Overdue now, or a deadline already missed at any stage (a clock met late stays breached).
        where["or"] = [{"nextDueOn": {"lt": today.isoformat()}}, {"clocks": {"some": {"breached": {"eq": True}}}}]
    elif view == "awaiting":
        where["status"] = {"eq": "open"}
    elif view == "stage2":
        where["stage"] = {"gte": 2}
    if filters["area"]:
        where["serviceArea"] = {"id": {"eq": filters["area"]}}
    if filters["category"]:
        where["category"] = {"id": {"eq": filters["category"]}}
    if filters["handler"] and view not in MINE_VIEWS:
        where["handler"] = {"id": {"eq": filters["handler"]}}
    elif filters.get("mine") and view not in MINE_VIEWS:
        where["handler"] = mine
    elif filters.get("team") and view not in MINE_VIEWS:
        # A manager's team: complaints handled by the people who report to them.
        where["handler"] = {"manager": {"id": {"eq": str(current_actor().user_id)}}}
    if filters["nation"]:
        where["nation"] = {"eq": filters["nation"]}
    return where


def _contact_where(filters: dict[str, str]) -> dict[str, Any]:
    where: dict[str, Any] = {"status": {"eq": "new"}}
    if filters["area"]:
        where["serviceArea"] = {"id": {"eq": filters["area"]}}
    if filters["category"]:
        where["category"] = {"id": {"eq": filters["category"]}}
    if filters["nation"]:
        where["nation"] = {"eq": filters["nation"]}
    return where


def queue_request() -> tuple[str, dict[str, Any], dict[str, str]]:
    """The queue a request asks for, the select options, and its filters (each kept only when it is an option)."""
    asked = request.args.get("view") or ""
    view = asked if asked in VIEWS else default_view()
    options = case_choices()
    nation = request.args.get("nation") or ""
    filters = {
        "area": _picked("area", options["areas"]),
        "category": _picked("category", options["categories"]),
        "handler": _picked("handler", options["staff"]),
        "nation": nation if nation in NATION_FILTERS else "",
        "team": "1" if request.args.get("team") == "1" and current_actor().has_role("manager") else "",
        "mine": "1" if request.args.get("mine") == "1" else "",
    }
    return view, options, filters


def queue_where(view: str, **filters: str) -> dict[str, Any]:
    """The filter of a complaint queue, as its page uses it: the dashboard counts with the same one."""
    given = {"area": "", "category": "", "handler": "", "nation": "", "team": "", "mine": "", **filters}
    return _contact_where(given) if view == "new" else _complaint_where(view, given)


@bp.route("/complaints")
@roles_required(*STAFF)
def complaints() -> Any:
    """The work queues: new contacts, unassigned, mine, at risk, breached, awaiting a response, stage 2 and all open.

    Every complaint queue lists the one due soonest first (the operation orders by ``nextDueOn``).
    """
    view, options, filters = queue_request()
    after = request.args.get("after") or None
    if view == "new":
        page = operations.run_page("ConsoleContactQueue", {"where": _contact_where(filters), "after": after})
        page = page["contacts"]
    else:
        where = _complaint_where(view, filters)
        page = operations.run_page("ConsoleComplaintQueue", {"where": where, "after": after})["complaints"]
    info = page["pageInfo"]
    today = local_date()
    closures = closures_ahead() if view != "new" else []
    return render_template(
        "console/complaints/queue.html",
        view=view,
        views=VIEWS,
        rows=page["nodes"],
        total=page["totalCount"],
        filters=filters,
        options=options,
        nations=NATION_FILTERS,
        at_risk_until=at_risk_boundaries(today).get(filters["nation"]),
        next_after=info["endCursor"] if info["hasNextPage"] else None,
        closures={row["id"]: closures_before(row.get("nextDueOn"), closures) for row in page["nodes"]},
    )


def load_case(complaint_id: int) -> dict[str, Any]:
    case = operations.run("ConsoleComplaint", {"id": str(complaint_id)})["complaint"]
    if case is None:
        abort(404)
    return case


# What each step is called on the case page's "Actions" list and as its own page's heading.
STEP_TITLES = {
    "words": _l("Add the resident's words (they will see this)"),
    "note": _l("Add an internal note (staff only)"),
    "acknowledge": _l("Acknowledge the complaint"),
    "assign": _l("Assign a case handler"),
    "extend": _l("Extend the response deadline"),
    "respond": _l("Respond to the complaint"),
    "mediation": _l("Offer mediation"),
    "escalate": _l("Take it to the next stage"),
    "close": _l("Close the complaint"),
    "refuse": _l("Do not take it forward"),
    "withdraw": _l("Withdraw the complaint"),
    "refer": _l("Record a referral to the Ombudsman"),
    "determination": _l("Record the Ombudsman's determination"),
    "update": _l("Send the resident an update"),
}
# Steps that can't be undone: their page asks again before it does them. Respond shows the message first.
CONFIRMED = frozenset({"close", "refuse", "withdraw", "determination", "escalate"})
# Steps whose message staff can see before they take them.
PREVIEWABLE = frozenset({"respond", "refuse", "extend"})


def awaiting_sign_off(case: dict[str, Any]) -> dict[str, Any] | None:
    """The final response waiting for a manager's sign-off at the complaint's current stage, if any."""
    waiting = [draft for draft in case.get("awaitingSignOff") or () if draft["stage"] == case["stage"]]
    return waiting[-1] if waiting else None


def render_case(complaint_id: int, failed: tuple[str, Any] | None = None, status: int = 200) -> Any:
    """The case page: the case first, then a list of the actions that open on their own pages.

    ``failed`` is ("action-<id>", form) for an outstanding action's completion sent with mistakes."""
    case = load_case(complaint_id)
    facts = steps.facts_of(case)
    action_forms = {action["id"]: steps.action_complete_form(action["id"], None) for action in case["actions"]}
    if failed is not None:
        action_forms[failed[0].removeprefix("action-")] = failed[1]
    closures = closures_ahead()
    running = [clock for clock in case["clocks"] if clock["status"] == "running"]
    awaiting = awaiting_sign_off(case)
    return render_template(
        "console/complaints/case.html",
        case=case,
        facts=facts,
        awaiting=awaiting,
        # Only a manager who may decide it is offered the sign-off: not its author, the handler or an earlier one.
        may_sign_off="sign_off" in facts.steps and awaiting is not None and why_not_signer(case, awaiting) is None,
        available=[name for name, step in steps.STEPS.items() if step.applies(case, facts)],
        step_titles=STEP_TITLES,
        shown=frozenset(),
        action_forms=action_forms,
        failed_form=failed[1] if failed else None,
        closure_warnings=[(clock, day) for clock in running for day in closures_before(clock["dueOn"], closures)],
        unreachable=operations.run("ConsoleUnreachable", {"complaintId": str(complaint_id)})["deliveries"]["nodes"],
        channel_names=CHANNEL_NAMES,
        language_names=LANGUAGE_NAMES,
    ), status


def render_step(
    case: dict[str, Any],
    name: str,
    form: Any = None,
    status: int = 200,
    preview: dict[str, Any] | None = None,
    template: str = "console/complaints/step.html",
) -> Any:
    """One step's own page: the case in a line, and the step's form (blank, or ``form`` as it was sent).

    With ``template`` "confirm.html", the page that asks again before a step that can't be undone."""
    options = case_choices()
    facts = steps.facts_of(case)
    step = steps.STEPS[name]
    form = form if form is not None else step.build(case, options, facts, None)
    applies = step.applies(case, facts) or steps.has_field_errors(form)
    closures = closures_ahead()
    running = [clock for clock in case["clocks"] if clock["status"] == "running"]
    return render_template(
        template,
        case=case,
        facts=facts,
        awaiting=awaiting_sign_off(case),
        name=name,
        forms={name: form},
        form=form,
        shown=frozenset({name}) if applies else frozenset(),
        step_titles=STEP_TITLES,
        step_page=True,
        failed_form=form if form.errors and not preview else None,
        closure_warnings=[(clock, day) for clock in running for day in closures_before(clock["dueOn"], closures)],
        preview=preview,
        previewable=PREVIEWABLE,
        confirmed=CONFIRMED,
        channel_names=CHANNEL_NAMES,
        language_names=LANGUAGE_NAMES,
        sent=[(key, value) for key, value in request.form.items(multi=True) if key not in ("csrf_token", "confirmed")],
    ), status


@bp.route("/complaints/<int:complaint_id>")
@roles_required(*STAFF)
def complaint(complaint_id: int) -> Any:
    return render_case(complaint_id)


@bp.route("/complaints/<int:complaint_id>/<step_name>", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_step(complaint_id: int, step_name: str) -> Any:
    """A step of the journey on its own page: GET shows its form, POST takes it and goes back to the case.

    A step that can't be undone (``CONFIRMED``) is asked again first; "change" goes back to the form as sent.
    CSRF is checked for every POST by CSRFProtect before this runs."""
    step = steps.STEPS.get(step_name)
    if step is None:
        abort(404)
    case = load_case(complaint_id)
    if request.method == "GET":
        return render_step(case, step_name)
    facts = steps.facts_of(case)
    form = step.build(case, case_choices(), facts, request)
    if request.form.get("change"):
        return render_step(case, step_name, form)
    valid = form.validate()
    variables = step.variables(form, case, facts) if valid or step.checks_rows else None
    previewing = step_name in PREVIEWABLE and bool(request.form.get("preview"))
    if valid and variables is not None and previewing:
        return _preview(complaint_id, step_name, step, form, variables, case)
    if valid and variables is not None and step_name in CONFIRMED and not request.form.get("confirmed"):
        return render_step(case, step_name, form, template="console/complaints/confirm.html")
    if valid and variables is not None:
        result = operations.run_mutation(step.operation, {"input": {"id": str(complaint_id), **variables}})
        if result.problem is None:
            held = (result.data or {}).get("awaitingSignOff")
            flash(_(SENT_FOR_SIGN_OFF) if held else str(step.message), "success")
            if (result.data or {}).get("filesNotKept"):
                flash(files_not_kept(result.data["filesNotKept"]), "error")
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        show_problem(form, result.problem, step.fields(form, facts))
        # Reload: a refused step changes nothing, but someone else may have moved the case on meanwhile.
        return render_step(load_case(complaint_id), step_name, form, result.status)
    return render_step(case, step_name, form, 400)


def _preview(
    complaint_id: int, step_name: str, step: Any, form: Any, variables: dict[str, Any], case: dict[str, Any]
) -> Any:
    """The step's page again, with the form as it was filled in and the message the step would send."""
    result = operations.run_mutation(step.operation + "Preview", {"input": {"id": str(complaint_id), **variables}})
    if result.problem is None:
        return render_step(case, step_name, form, 200, {"step": step_name, **result.data["preview"]})
    show_problem(form, result.problem, step.fields(form, steps.facts_of(case)))
    return render_step(case, step_name, form, result.status)


@bp.route("/complaints/<int:complaint_id>/remedies/<int:remedy_id>/complete", methods=["POST"])
@roles_required(*STAFF)
def remedy_complete(complaint_id: int, remedy_id: int) -> Any:
    result = operations.run_mutation("ConsoleRemedyComplete", {"input": {"id": str(remedy_id)}})
    if result.problem is None:
        flash(_("The remedy is marked as done. The resident will be told."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.complaint", complaint_id=complaint_id, _anchor="remedies-heading"))


@bp.route("/complaints/<int:complaint_id>/actions/<int:action_id>/complete", methods=["POST"])
@roles_required(*STAFF)
def action_complete(complaint_id: int, action_id: int) -> Any:
    form = steps.action_complete_form(action_id, request)
    if form.validate():
        variables = {"id": str(action_id), "note": form.note.data or ""}
        result = operations.run_mutation("ConsoleComplaintActionComplete", {"input": variables})
        if result.problem is None:
            flash(_("The action is marked as done. The resident will be told."), "success")
            return redirect(url_for("console.complaint", complaint_id=complaint_id, _anchor="actions-heading"))
        show_problem(form, result.problem)
    return render_case(complaint_id, (f"action-{action_id}", form), 400)


@bp.route("/complaints.csv")
@roles_required(*STAFF)
def complaints_csv() -> Any:
    """The queue the same arguments show, every page of it, as CSV (see ``portal.exports``)."""
    view, _options, filters = queue_request()
    where = queue_where(view, **filters)
    if view == "new":
        return exports.csv_download(
            "contacts-new",
            [str(h) for h in search.CONTACT_HEADER],
            lambda: (
                search.contact_row(n) for n in exports.pages("ConsoleContactQueueExport", {"where": where}, "contacts")
            ),
        )
    return exports.csv_download(
        f"complaints-{view}",
        [str(h) for h in search.COMPLAINT_HEADER],
        lambda: (
            search.complaint_row(n)
            for n in exports.pages("ConsoleComplaintQueueExport", {"where": where}, "complaints")
        ),
    )
