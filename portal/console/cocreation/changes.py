"""Console pages for "you said, we did" changes: the list (drafts and published), recording and editing one with
its texts in every language, linking its themes, lessons, actions and contacts, publishing it (managers), moving
it with a note for the public, its milestones, and its impact counts (read-only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from backend.config import LANGUAGE_NAMES, current, text_direction
from portal import operations
from portal.access import roles_required
from portal.cocreation.labels import STATUSES
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
#: Each text of a change, its label and its limit; the title is the one a change needs in English.
TEXTS = {"title": 200, "what": 5_000, "why": 5_000, "easy_read": 1_000}
MOVE_STATUSES = ("planned", "in_progress", "implemented")
UPDATE_KINDS = {
    "published": _l("Published"),
    "status": _l("Status moved"),
    "percent": _l("Percentage moved"),
    "milestone": _l("Milestone done"),
}


def locales() -> list[str]:
    return list(current().enabled_locales)


def languages() -> list[dict[str, str]]:
    return [{"code": c, "name": LANGUAGE_NAMES.get(c, c), "dir": text_direction(c)} for c in locales()]


def texts_of(form: FlaskForm, name: str) -> dict[str, str]:
    return {locale: getattr(form, f"{name}_{locale}").data or "" for locale in locales()}


def change_form(data: Any = None) -> FlaskForm:
    """The change form: its texts in each language, its service area and its day."""

    class ChangeForm(FlaskForm):
        service_area_id = SelectField(_l("Service area"), validators=[Optional()])
        changed_on = DateField(_l("When it takes effect"), description=_l("Optional."), validators=[Optional()])

    for name, maximum in TEXTS.items():
        for locale in locales():
            language = LANGUAGE_NAMES.get(locale, locale)
            kind = StringField if name == "title" else TextAreaField
            setattr(ChangeForm, f"{name}_{locale}", kind(_text_label(name, language), validators=[limit(maximum)]))
    form = ChangeForm(data=data)
    areas = operations.run("ConsoleChangeChoices")["serviceAreas"]["nodes"]
    form.service_area_id.choices = [SelectChoice("", _("None"))] + [SelectChoice(a["id"], a["name"]) for a in areas]
    return form


def _text_label(name: str, language: str) -> Any:
    """The label of a text's input in one language, named in that language's own name."""
    if name == "title":
        return _l("Title in %(language)s", language=language)
    if name == "what":
        return _l("What changed, in %(language)s", language=language)
    if name == "why":
        return _l("Why, in %(language)s", language=language)
    return _l("Easy-read summary in %(language)s", language=language)


def load(change_id: int) -> dict[str, Any]:
    change = operations.run("ConsoleChange", {"id": str(change_id)})["change"]
    if change is None:
        abort(404)
    return change


def _input(form: FlaskForm) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": texts_of(form, "title"),
        "what": texts_of(form, "what"),
        "why": texts_of(form, "why"),
        "easyRead": texts_of(form, "easy_read"),
    }
    values["serviceAreaId"] = form.service_area_id.data or None
    values["changedOn"] = form.changed_on.data.isoformat() if form.changed_on.data else None
    return values


@bp.route("/co-creation/changes")
@roles_required(*STAFF)
def cocreation_changes() -> Any:
    """Every change, drafts and published, most recently changed first; filtered by status and publication."""
    status = request.args.get("status") or ""
    state = request.args.get("state") or ""
    where: dict[str, Any] = {}
    if status in STATUSES:
        where["status"] = {"eq": status}
    if state == "draft":
        where["publishedAt"] = {"isNull": True}
    elif state == "published":
        where["publishedAt"] = {"isNull": False}
    data = operations.run_page(
        "ConsoleChanges", {"where": where or None, "after": (request.args.get("after") or "")[:200] or None}
    )
    return render_template(
        "console/cocreation/changes/list.html",
        page=data["changes"],
        statuses=STATUSES,
        states={"draft": _("Drafts"), "published": _("Published")},
        chosen={"status": status, "state": state},
    )


@bp.route("/co-creation/changes/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_change_new() -> Any:
    form = change_form()
    if request.method == "POST" and form.validate_on_submit():
        result = operations.run_mutation("ConsoleChangeCreate", {"input": _input(form)})
        if result.problem is None:
            flash(_("The change is recorded."), "success")
            return redirect(url_for("console.cocreation_change", change_id=result.data["change"]["id"]))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/cocreation/changes/form.html", form=form, change=None, change_languages=languages(), texts=TEXTS
    ), status


@bp.route("/co-creation/changes/<int:change_id>")
@roles_required(*STAFF)
def cocreation_change(change_id: int) -> Any:
    change = load(change_id)
    return render_template(
        "console/cocreation/changes/change.html",
        change=change,
        statuses=STATUSES,
        change_languages=languages(),
        is_manager=current_actor().has_role(*MANAGERS),
        kinds=UPDATE_KINDS,
    )


@bp.route("/co-creation/changes/<int:change_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_change_edit(change_id: int) -> Any:
    change = load(change_id)
    initial: dict[str, Any] = {
        "service_area_id": (change["serviceArea"] or {}).get("id", ""),
        "changed_on": change["changedOn"] and dt.date.fromisoformat(change["changedOn"]),
    }
    for name, key in (("title", "title"), ("what", "what"), ("why", "why"), ("easy_read", "easyRead")):
        for locale, text in (change[key] or {}).items():
            initial[f"{name}_{locale}"] = text
    form = change_form(None if request.method == "POST" else initial)
    if request.method == "POST" and form.validate_on_submit():
        result = operations.run_mutation("ConsoleChangeUpdate", {"input": {"id": str(change_id), **_input(form)}})
        if result.problem is None:
            flash(_("The change is saved."), "success")
            return redirect(url_for("console.cocreation_change", change_id=change_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/cocreation/changes/form.html", form=form, change=change, change_languages=languages(), texts=TEXTS
    ), status


class LinksForm(FlaskForm):
    theme_ids = SelectMultipleField(
        _l("Themes"), option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False), validate_choice=False
    )
    lesson_references = TextAreaField(
        _l("Lessons"),
        description=_l("Their references, one on each line, like LS-2026-0001."),
        validators=[limit(5_000)],
    )
    action_ids = TextAreaField(
        _l("Improvement actions"), description=_l("Their numbers, one on each line."), validators=[limit(2_000)]
    )
    contact_references = TextAreaField(
        _l("Contacts"),
        description=_l(
            "Their references, one on each line. The public see only how many, and how many were complaints."
        ),
        validators=[limit(10_000)],
    )


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@bp.route("/co-creation/changes/<int:change_id>/links", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_change_links(change_id: int) -> Any:
    change = load(change_id)
    initial = {
        "theme_ids": [row["theme"]["id"] for row in change["themes"] if row["theme"]],
        "lesson_references": "\n".join(row["lesson"]["reference"] for row in change["lessons"] if row["lesson"]),
        "action_ids": "\n".join(row["action"]["id"] for row in change["actions"] if row["action"]),
        "contact_references": "\n".join(row["contact"]["reference"] for row in change["contacts"] if row["contact"]),
    }
    form = LinksForm(data=None if request.method == "POST" else initial)
    form.theme_ids.choices = [
        SelectChoice(t["id"], t["name"]) for t in operations.run("ConsoleChangeChoices")["themes"]["nodes"]
    ]
    if request.method == "POST" and form.validate_on_submit():
        variables = {
            "id": str(change_id),
            "themeIds": form.theme_ids.data or [],
            "lessonReferences": _lines(form.lesson_references.data),
            "actionIds": [line.lstrip("#") for line in _lines(form.action_ids.data)],
            "contactReferences": _lines(form.contact_references.data),
        }
        result = operations.run_mutation("ConsoleChangeLinksSet", {"input": variables})
        if result.problem is None:
            flash(_("The links are saved."), "success")
            return redirect(url_for("console.cocreation_change", change_id=change_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/cocreation/changes/links.html", form=form, change=change), status


class ConfirmForm(FlaskForm):
    pass


@bp.route("/co-creation/changes/<int:change_id>/publish", methods=["POST"])
@roles_required(*MANAGERS)
def cocreation_change_publish(change_id: int) -> Any:
    form = ConfirmForm()
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleChangePublish", {"input": {"id": str(change_id)}})
        if result.problem is None:
            flash(_("The change is published."), "success")
        else:
            for problem in result.problem.get("problems") or [result.problem]:
                flash(problem["message"], "error")
    return redirect(url_for("console.cocreation_change", change_id=change_id))


def move_form(change: dict[str, Any] | None = None) -> FlaskForm:
    """Move a change: its status, its percentage and a note for the public in each language."""

    class MoveForm(FlaskForm):
        status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUSES[s]) for s in MOVE_STATUSES])
        percent = IntegerField(
            _l("How far along, in per cent"),
            description=_l("0 to 100. Implemented is 100."),
            validators=[Optional(), NumberRange(0, 100, _l("Enter a whole number from 0 to 100."))],
        )
        reason = TextAreaField(
            _l("Why it moves back"),
            description=_l("Only a manager moves a change back, and says why. Kept in the audit trail."),
            validators=[limit(1_000)],
        )

    for locale in locales():
        language = LANGUAGE_NAMES.get(locale, locale)
        setattr(
            MoveForm,
            f"note_{locale}",
            TextAreaField(_l("Note for the public in %(language)s", language=language), validators=[limit(1_000)]),
        )
    data = {"status": change["status"], "percent": change["percent"]} if change and request.method == "GET" else None
    return MoveForm(data=data)


@bp.route("/co-creation/changes/<int:change_id>/move", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_change_move(change_id: int) -> Any:
    change = load(change_id)
    form = move_form(change)
    if request.method == "POST" and form.validate_on_submit():
        variables = {
            "id": str(change_id),
            "status": form.status.data,
            "percent": form.percent.data,
            "note": {locale: getattr(form, f"note_{locale}").data or "" for locale in locales()},
            "reason": form.reason.data or "",
        }
        result = operations.run_mutation("ConsoleChangeMove", {"input": variables})
        if result.problem is None:
            flash(_("The change is moved."), "success")
            return redirect(url_for("console.cocreation_change", change_id=change_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/cocreation/changes/move.html", form=form, change=change, change_languages=languages()
    ), status


def milestone_form(data: Any = None) -> FlaskForm:
    class MilestoneForm(FlaskForm):
        due_on = DateField(_l("Planned for"), description=_l("Optional."), validators=[Optional()])

    for locale in locales():
        language = LANGUAGE_NAMES.get(locale, locale)
        setattr(
            MilestoneForm,
            f"title_{locale}",
            StringField(_l("Step in %(language)s", language=language), validators=[limit(200)]),
        )
    return MilestoneForm(data=data)


def _milestone_input(form: FlaskForm) -> dict[str, Any]:
    return {
        "title": texts_of(form, "title"),
        "dueOn": form.due_on.data.isoformat() if form.due_on.data else None,
    }


@bp.route("/co-creation/changes/<int:change_id>/milestones/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_change_milestone_new(change_id: int) -> Any:
    change = load(change_id)
    form = milestone_form()
    if request.method == "POST" and form.validate_on_submit():
        variables = {"changeId": str(change_id), **_milestone_input(form)}
        result = operations.run_mutation("ConsoleChangeMilestoneAdd", {"input": variables})
        if result.problem is None:
            flash(_("The milestone is added."), "success")
            return redirect(url_for("console.cocreation_change", change_id=change_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/cocreation/changes/milestone.html",
        form=form,
        change=change,
        milestone=None,
        change_languages=languages(),
    ), status


def _milestone_of(change: dict[str, Any], milestone_id: int) -> dict[str, Any]:
    found = [m for m in change["milestones"] if m["id"] == str(milestone_id)]
    if not found:
        abort(404)
    return found[0]


@bp.route("/co-creation/changes/<int:change_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_change_milestone_edit(change_id: int, milestone_id: int) -> Any:
    change = load(change_id)
    milestone = _milestone_of(change, milestone_id)
    initial: dict[str, Any] = {f"title_{k}": v for k, v in (milestone["title"] or {}).items()}
    if milestone["dueOn"]:
        initial["due_on"] = dt.date.fromisoformat(milestone["dueOn"])
    form = milestone_form(None if request.method == "POST" else initial)
    if request.method == "POST" and form.validate_on_submit():
        variables = {"id": str(milestone_id), **_milestone_input(form)}
        result = operations.run_mutation("ConsoleChangeMilestoneUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The milestone is saved."), "success")
            return redirect(url_for("console.cocreation_change", change_id=change_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/cocreation/changes/milestone.html",
        form=form,
        change=change,
        milestone=milestone,
        change_languages=languages(),
    ), status


@bp.route("/co-creation/changes/<int:change_id>/milestones/<int:milestone_id>/done", methods=["POST"])
@roles_required(*STAFF)
def cocreation_change_milestone_done(change_id: int, milestone_id: int) -> Any:
    change = load(change_id)
    _milestone_of(change, milestone_id)
    if ConfirmForm().validate_on_submit():
        result = operations.run_mutation("ConsoleChangeMilestoneDone", {"input": {"id": str(milestone_id)}})
        if result.problem is None:
            flash(_("The milestone is marked done."), "success")
        else:
            flash(result.problem["message"], "error")
    return redirect(url_for("console.cocreation_change", change_id=change_id))
