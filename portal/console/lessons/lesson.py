"""Console pages for one lesson: the lesson with its history, and each action on its own page (capture,
classification, a source, a cause, the next step, cancel or merge, archive)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import CheckboxesField, choices, limit
from portal.console.lessons.actions import STATUSES as ACTION_STATUSES
from portal.console.lessons.labels import LEARNING_TYPES, STATUSES, labels
from portal.console.lessons.log import CONSOLE_KINDS, SOURCE_FIELDS, source_input
from portal.forms import show_problem
from portal.scrutiny_labels import labels as scrutiny_labels
from portal.security import current_actor

STEPS = ("identified", "analysed", "actions_agreed", "in_progress", "measuring_impact", "closed")
IMPACTS = {"": _l("Not rated"), **{str(n): str(n) for n in range(1, 6)}}
MANAGERS = ("manager", "admin")
# A lesson in one of these takes no new action.
ENDED = ("closed", "cancelled", "merged")


def load_lesson(lesson_id: int) -> dict[str, Any]:
    lesson = operations.run("ConsoleLesson", {"id": str(lesson_id)})["lesson"]
    if lesson is None:
        abort(404)
    return lesson


@bp.route("/lessons/<int:lesson_id>")
@roles_required(*STAFF)
def lesson(lesson_id: int) -> Any:
    """One lesson, case first: what it is, what may be done with it, its capture, sources, causes and history."""
    found = load_lesson(lesson_id)
    return render_template(
        "console/lessons/lesson.html",
        lesson=found,
        labels=labels(),
        steps=_steps(found),
        may_archive=current_actor().has_role(*MANAGERS),
        kept_cause=_kept_cause(found),
        action_statuses=ACTION_STATUSES,
        may_propose=found["status"] not in ENDED and not found["archivedAt"],
        action_titles={action["id"]: action["title"] for action in found["actions"]},
        panel_annotations=operations.run("ConsoleLessonAnnotations", {"lessonId": str(lesson_id)})["lessonAnnotations"][
            "nodes"
        ],
        panel_labels=scrutiny_labels(),
    )


def _kept_cause(lesson: dict[str, Any]) -> str | None:
    """The lesson's only root cause when it is analysed or further on: it keeps it, so it offers no removal."""
    roots = [cause["id"] for cause in lesson["causes"] if not cause["contributing"]]
    return roots[0] if len(roots) == 1 and lesson["status"] in STEPS[1:] else None


def _steps(lesson: dict[str, Any]) -> list[str]:
    """The steps the lesson may move to now: the next one and the one before."""
    if lesson["status"] not in STEPS or lesson["archivedAt"]:
        return []
    here = STEPS.index(lesson["status"])
    return [STEPS[i] for i in (here + 1, here - 1) if 0 <= i < len(STEPS)]


def _action_page(lesson: dict[str, Any], form: FlaskForm, action: str, status: int = 200, **extra: Any) -> Any:
    page = render_template(
        "console/lessons/lesson_action.html", lesson=lesson, form=form, action=action, labels=labels(), **extra
    )
    return page, status


def _done(lesson_id: int, message: str) -> Any:
    flash(message, "success")
    return redirect(url_for("console.lesson", lesson_id=lesson_id))


def _run(
    lesson: dict[str, Any],
    form: FlaskForm,
    action: str,
    operation: str,
    values: dict[str, Any],
    done: str,
    fields: dict[str, str] | None = None,
    **extra: Any,
) -> Any:
    """Run the action's mutation: back to the lesson when it worked, else the form again with the problems."""
    result = operations.run_mutation(operation, {"input": values})
    if result.problem is None:
        return _done(int(lesson["id"]), done)
    show_problem(form, result.problem, fields)
    return _action_page(lesson, form, action, result.status, **extra)


class CaptureForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the lesson a title.")), limit(200)])
    early_lesson = TextAreaField(_l("The lesson as first seen"), validators=[limit(10_000)])
    event_summary = TextAreaField(_l("The event as a whole"), validators=[limit(10_000)])
    business_impact = SelectField(_l("Impact on the business (1 least, 5 most)"), choices=choices(IMPACTS))
    resident_impact = SelectField(_l("Impact on residents (1 least, 5 most)"), choices=choices(IMPACTS))
    actions_taken = TextAreaField(_l("Actions already taken"), validators=[limit(10_000)])
    later_findings = TextAreaField(_l("What was found later"), validators=[limit(10_000)])
    referred_to_hr = BooleanField(
        _l("A conduct concern was referred to HR"),
        description=_l("Only this flag is kept here: record no detail of the concern on the lesson."),
    )


def _impact(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.route("/lessons/<int:lesson_id>/capture", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_capture(lesson_id: int) -> Any:
    """Change what the lesson says: its title, the early lesson, the event, the impacts and what was found."""
    found = load_lesson(lesson_id)
    form = CaptureForm()
    if request.method == "GET":
        form.title.data = found["title"]
        for name, key in (
            ("early_lesson", "earlyLesson"),
            ("event_summary", "eventSummary"),
            ("actions_taken", "actionsTaken"),
            ("later_findings", "laterFindings"),
        ):
            getattr(form, name).data = found[key]
        form.business_impact.data = str(found["businessImpact"] or "")
        form.resident_impact.data = str(found["residentImpact"] or "")
        form.referred_to_hr.data = found["referredToHr"]
        return _action_page(found, form, "capture")
    if not form.validate_on_submit():
        return _action_page(found, form, "capture", 400)
    values = {
        "id": found["id"],
        "title": form.title.data,
        "earlyLesson": form.early_lesson.data or "",
        "eventSummary": form.event_summary.data or "",
        "businessImpact": _impact(form.business_impact.data),
        "residentImpact": _impact(form.resident_impact.data),
        "actionsTaken": form.actions_taken.data or "",
        "laterFindings": form.later_findings.data or "",
        "referredToHr": bool(form.referred_to_hr.data),
    }
    return _run(found, form, "capture", "ConsoleLessonUpdate", values, _("The lesson is saved."))


class ClassificationForm(FlaskForm):
    learning_types = CheckboxesField(_l("What kinds of learning is it?"), choices=choices(LEARNING_TYPES))
    service_area = SelectField(_l("Service area"), choices=[])
    team = StringField(_l("Team"), description=_l("The team it belongs to."), validators=[Optional(), limit(100)])
    owner = SelectField(_l("Owner"), choices=[])
    champion = SelectField(_l("Lessons-learnt champion"), choices=[])


def _classification_form(found: dict[str, Any]) -> ClassificationForm:
    options = operations.run("ConsoleLessonFilters", {"me": "0"})
    form = ClassificationForm()
    nobody = {"": _("None yet")}
    areas = {**nobody, **{a["id"]: a["name"] for a in options["serviceAreas"]["nodes"]}}
    people = {**nobody, **{p["id"]: p["displayName"] for p in options["people"]["nodes"]}}
    # Someone no longer on the list (left, or beyond the first 100) stays chosen until changed.
    if found["serviceArea"]:
        areas.setdefault(found["serviceArea"]["id"], found["serviceArea"]["name"])
    for chosen in (found["owner"], found["champion"]):
        if chosen:
            people.setdefault(chosen["id"], chosen["displayName"])
    form.service_area.choices = choices(areas)
    form.owner.choices = choices(people)
    form.champion.choices = choices(people)
    return form


@bp.route("/lessons/<int:lesson_id>/classification", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_classification(lesson_id: int) -> Any:
    """Classify the lesson: learning types, service area, team, owner and champion."""
    found = load_lesson(lesson_id)
    form = _classification_form(found)
    if request.method == "GET":
        form.learning_types.data = [t["learningType"] for t in found["learningTypes"]]
        form.service_area.data = found["serviceArea"]["id"] if found["serviceArea"] else ""
        form.team.data = found["team"] or ""
        form.owner.data = found["owner"]["id"] if found["owner"] else ""
        form.champion.data = found["champion"]["id"] if found["champion"] else ""
        return _action_page(found, form, "classification")
    if not form.validate_on_submit():
        return _action_page(found, form, "classification", 400)
    values = {
        "id": found["id"],
        "learningTypes": form.learning_types.data or [],
        "serviceAreaId": form.service_area.data or None,
        "team": form.team.data or None,
        "ownerId": form.owner.data or None,
        "championId": form.champion.data or None,
    }
    fields = {"serviceAreaId": "service_area", "ownerId": "owner", "championId": "champion"}
    return _run(found, form, "classification", "ConsoleLessonUpdate", values, _("The classification is saved."), fields)


class SourceForm(FlaskForm):
    source_kind = RadioField(
        _l("Where did it come from?"),
        choices=choices(CONSOLE_KINDS),
        validators=[DataRequired(_l("Choose the source."))],
    )
    complaint_reference = StringField(
        _l("Complaint reference"),
        description=_l("For a complaint or an Ombudsman determination, e.g. LL-2026-000042."),
        validators=[Optional(), limit(20)],
    )
    contact_reference = StringField(
        _l("Contact reference"), description=_l("For a contact."), validators=[Optional(), limit(20)]
    )
    source_reference = StringField(_l("Reference outside the system (optional)"), validators=[Optional(), limit(100)])
    note = TextAreaField(
        _l("What the source says"),
        description=_l("Needed for operational feedback, a scrutiny recommendation or a speak-up note."),
        validators=[limit(10_000)],
    )
    anonymous = BooleanField(_l("This speak-up note is anonymous: record nothing about who gave it or who entered it"))


@bp.route("/lessons/<int:lesson_id>/sources/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_source_add(lesson_id: int) -> Any:
    """Add a source to the lesson."""
    found = load_lesson(lesson_id)
    form = SourceForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _action_page(found, form, "source", 200 if request.method == "GET" else 400)
    values = {"lessonId": found["id"], "source": source_input(form)}
    fields = {key.replace("sources[0]", "source"): value for key, value in SOURCE_FIELDS.items()}
    return _run(found, form, "source", "ConsoleLessonSourceAdd", values, _("The source is added."), fields)


@bp.route("/lessons/<int:lesson_id>/sources/<int:source_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def lesson_source_remove(lesson_id: int, source_id: int) -> Any:
    """Remove a source from the lesson (a lesson keeps at least one)."""
    load_lesson(lesson_id)
    result = operations.run_mutation(
        "ConsoleLessonSourceRemove", {"input": {"lessonId": str(lesson_id), "id": str(source_id)}}
    )
    if result.problem is not None:
        return _refused(lesson_id, result.problem)
    return _done(lesson_id, _("The source is removed."))


class CauseForm(FlaskForm):
    root_cause = SelectField(_l("Cause"), choices=[], validators=[DataRequired(_l("Choose a cause from the list."))])
    contributing = RadioField(
        _l("Is it the root cause?"),
        choices=choices({"root": _l("A root cause"), "contributing": _l("A contributing factor")}),
        default="root",
        validators=[DataRequired(_l("Choose whether it is a root cause or a contributing factor."))],
    )
    detail = TextAreaField(
        _l("How did it cause or contribute to what happened?"),
        description=_l(
            "Describe the process, policy, system or team, never a person: the lesson is about how things work."
        ),
        validators=[DataRequired(_l("Say how it caused or contributed to what happened.")), limit(10_000)],
    )


def _cause_choices() -> list[Any]:
    """The causes in use, each top-level cause followed by its sub-causes."""
    causes = operations.run("ConsoleRootCauses")["rootCauses"]["nodes"]
    in_use = [c for c in causes if not c["archivedAt"]]
    listed: dict[str, str] = {"": _("Choose a cause")}
    for top in (c for c in in_use if not c["parent"]):
        listed[top["id"]] = top["name"]
        for sub in in_use:
            if sub["parent"] and sub["parent"]["id"] == top["id"]:
                listed[sub["id"]] = f"{top['name']}: {sub['name']}"
    return choices(listed)


@bp.route("/lessons/<int:lesson_id>/causes/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_cause_add(lesson_id: int) -> Any:
    """Record a root cause or contributing factor of the lesson, from the taxonomy, with its own text."""
    found = load_lesson(lesson_id)
    form = CauseForm()
    form.root_cause.choices = _cause_choices()
    if request.method == "GET" or not form.validate_on_submit():
        return _action_page(found, form, "cause", 200 if request.method == "GET" else 400)
    values = {
        "lessonId": found["id"],
        "rootCauseId": form.root_cause.data,
        "detail": form.detail.data,
        "contributing": form.contributing.data == "contributing",
    }
    return _run(
        found,
        form,
        "cause",
        "ConsoleLessonCauseAdd",
        values,
        _("The cause is recorded."),
        {"rootCauseId": "root_cause"},
    )


@bp.route("/lessons/<int:lesson_id>/causes/<int:cause_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def lesson_cause_remove(lesson_id: int, cause_id: int) -> Any:
    """Remove a cause from the lesson."""
    load_lesson(lesson_id)
    result = operations.run_mutation(
        "ConsoleLessonCauseRemove", {"input": {"lessonId": str(lesson_id), "id": str(cause_id)}}
    )
    if result.problem is not None:
        return _refused(lesson_id, result.problem)
    return _done(lesson_id, _("The cause is removed."))


def _refused(lesson_id: int, problem: dict[str, Any]) -> Any:
    """A removal refused: 404 for a row not on this lesson (or not there), else the reason on the lesson page."""
    if problem.get("__typename") == "NotFoundError":
        abort(404)
    flash(problem["message"], "error")
    return redirect(url_for("console.lesson", lesson_id=lesson_id))


class StatusForm(FlaskForm):
    status = RadioField(_l("Move the lesson to"), choices=[], validators=[DataRequired(_l("Choose the step."))])


@bp.route("/lessons/<int:lesson_id>/status", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_status(lesson_id: int) -> Any:
    """Move the lesson to its next step, or back one."""
    found = load_lesson(lesson_id)
    form = StatusForm()
    form.status.choices = choices({step: STATUSES[step] for step in _steps(found)})
    if request.method == "GET" or not form.validate_on_submit():
        return _action_page(found, form, "status", 200 if request.method == "GET" else 400)
    values = {"id": found["id"], "status": form.status.data}
    return _run(found, form, "status", "ConsoleLessonStatusSet", values, _("The lesson has moved on."))


class EndForm(FlaskForm):
    how = RadioField(
        _l("How does it end?"),
        choices=choices({"cancel": _l("Cancel it"), "merge": _l("Merge it into another lesson")}),
        validators=[DataRequired(_l("Choose whether to cancel it or merge it."))],
    )
    into = StringField(
        _l("The lesson it is merged into"),
        description=_l("Its reference, e.g. LS-2026-0001. Only when merging."),
        validators=[Optional(), limit(20)],
    )
    reason = TextAreaField(_l("Why?"), validators=[DataRequired(_l("Give the reason.")), limit(2000)])


@bp.route("/lessons/<int:lesson_id>/end", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_end(lesson_id: int) -> Any:
    """Cancel the lesson, or merge it into another, with the reason."""
    found = load_lesson(lesson_id)
    form = EndForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _action_page(found, form, "end", 200 if request.method == "GET" else 400)
    if form.how.data == "cancel":
        values = {"id": found["id"], "reason": form.reason.data}
        return _run(found, form, "end", "ConsoleLessonCancel", values, _("The lesson is cancelled."))
    reference = (form.into.data or "").strip().upper()
    nodes = (
        operations.run("ConsoleLessonByReference", {"reference": reference})["lessons"]["nodes"] if reference else []
    )
    values = {"id": found["id"], "intoId": nodes[0]["id"] if nodes else "0", "reason": form.reason.data}
    return _run(found, form, "end", "ConsoleLessonMerge", values, _("The lesson is merged."), {"intoId": "into"})


class ArchiveForm(FlaskForm):
    pass


@bp.route("/lessons/<int:lesson_id>/archive", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lesson_archive(lesson_id: int) -> Any:
    """Take the lesson out of the log (managers); it stays, with its history."""
    found = load_lesson(lesson_id)
    form = ArchiveForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _action_page(found, form, "archive", 200 if request.method == "GET" else 400)
    return _run(found, form, "archive", "ConsoleLessonArchive", {"id": found["id"]}, _("The lesson is archived."))
