"""Console pages for the root-cause taxonomy (admins): the causes and their sub-causes, add, rename, describe,
move under another cause, and archive. The taxonomy holds categories (process, policy, system...), never people."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import bp
from portal.console.complaints.forms import choices, limit
from portal.console.lessons.sections import section
from portal.forms import show_problem

ADMINS = frozenset({"admin"})
section(19, "console.root_causes", _l("Root causes"), ADMINS)


class RootCauseForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("A category of cause, such as a process, policy or system. Never a person or a job title."),
        validators=[DataRequired(_l("Give the cause a name.")), limit(100)],
    )
    parent = SelectField(_l("Part of"), choices=[])
    description = TextAreaField(_l("What it covers (optional)"), validators=[limit(10_000)])


def _causes() -> list[dict[str, Any]]:
    return operations.run("ConsoleRootCauses")["rootCauses"]["nodes"]


def _form(causes: list[dict[str, Any]], editing: str | None = None) -> RootCauseForm:
    form = RootCauseForm()
    tops = [c for c in causes if not c["parent"] and not c["archivedAt"] and c["id"] != editing]
    form.parent.choices = choices({"": _("Nothing: a top-level cause"), **{c["id"]: c["name"] for c in tops}})
    return form


@bp.route("/lessons/root-causes", methods=["GET", "POST"])
@roles_required(*ADMINS)
def root_causes() -> Any:
    """The taxonomy, each top-level cause with its sub-causes, and the form to add one."""
    causes = _causes()
    form = _form(causes)
    if request.method == "POST":
        if form.validate_on_submit():
            values = {
                "name": form.name.data,
                "parentId": form.parent.data or None,
                "description": form.description.data or "",
            }
            result = operations.run_mutation("ConsoleRootCauseCreate", {"input": values})
            if result.problem is None:
                flash(_("The cause is added."), "success")
                return redirect(url_for("console.root_causes"))
            show_problem(form, result.problem, {"parentId": "parent"})
            return _page(causes, form, result.status)
        return _page(causes, form, 400)
    return _page(causes, form, 200)


def _page(causes: list[dict[str, Any]], form: RootCauseForm, status: int) -> Any:
    tops = [c for c in causes if not c["parent"]]
    children = {top["id"]: [c for c in causes if c["parent"] and c["parent"]["id"] == top["id"]] for top in tops}
    return render_template("console/lessons/lesson_root_causes.html", tops=tops, children=children, form=form), status


@bp.route("/lessons/root-causes/<int:cause_id>", methods=["GET", "POST"])
@roles_required(*ADMINS)
def root_cause(cause_id: int) -> Any:
    """Rename a cause, describe it or move it under another; or archive it so it is no longer offered."""
    cause = operations.run("ConsoleRootCause", {"id": str(cause_id)})["rootCause"]
    if cause is None:
        abort(404)
    form = _form(_causes(), editing=cause["id"])
    if request.method == "GET":
        form.name.data = cause["name"]
        form.parent.data = cause["parent"]["id"] if cause["parent"] else ""
        form.description.data = cause["description"]
        return _edit_page(cause, form, 200)
    if request.form.get("archive") == "yes":
        result = operations.run_mutation("ConsoleRootCauseArchive", {"input": {"id": cause["id"]}})
        if result.problem is None:
            flash(_("The cause is archived: it is no longer offered."), "success")
            return redirect(url_for("console.root_causes"))
        show_problem(form, result.problem)
        return _edit_page(cause, form, result.status)
    if not form.validate_on_submit():
        return _edit_page(cause, form, 400)
    values = {
        "id": cause["id"],
        "name": form.name.data,
        "parentId": form.parent.data or None,
        "description": form.description.data or "",
    }
    result = operations.run_mutation("ConsoleRootCauseUpdate", {"input": values})
    if result.problem is None:
        flash(_("The cause is saved."), "success")
        return redirect(url_for("console.root_causes"))
    show_problem(form, result.problem, {"parentId": "parent"})
    return _edit_page(cause, form, result.status)


def _edit_page(cause: dict[str, Any], form: RootCauseForm, status: int) -> Any:
    return render_template("console/lessons/lesson_root_cause.html", cause=cause, form=form), status
