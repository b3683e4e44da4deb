"""The quality checklist admins edit: the items each month's sampled complaints are scored against (monthly QA)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import bp
from portal.console.complaints.forms import limit
from portal.console.lessons.qa import ReturnForm
from portal.console.lessons.sections import section
from portal.forms import show_problem

ADMINS = ("admin",)

section(61, "console.lessons_qa_checklist", _l("Quality checklist"), frozenset(ADMINS))


class CheckItemForm(FlaskForm):
    text = StringField(
        _l("What is checked"),
        description=_l("One thing a well-handled complaint does, for example: each point was answered, with reasons."),
        validators=[DataRequired(_l("Say what is checked.")), limit(300)],
    )
    position = IntegerField(
        _l("Position"),
        description=_l("Its place in the checklist, lowest first: a whole number from 0 to 1000."),
        validators=[
            InputRequired(_l("Give its position: a whole number from 0 to 1000.")),
            NumberRange(0, 1000, _l("Give a whole number from 0 to 1000.")),
        ],
    )


def _items() -> list[dict[str, Any]]:
    return list(exports.pages("ConsoleQualityCheckItems", {"first": 100}, "qualityCheckItems"))


@bp.route("/lessons/qa/checklist")
@roles_required(*ADMINS)
def lessons_qa_checklist() -> Any:
    """The quality checklist sampled complaints are scored against."""
    return render_template("console/lessons/qa_checklist.html", items=_items())


@bp.route("/lessons/qa/checklist.csv")
@roles_required(*ADMINS)
def lessons_qa_checklist_csv() -> Any:
    def rows() -> Any:
        for item in _items():
            yield [item["position"], item["text"], _("archived") if item["archivedAt"] else _("in use")]

    return exports.csv_download("quality-checklist", [_("Position"), _("What is checked"), _("State")], rows)


@bp.route("/lessons/qa/checklist/new", methods=["GET", "POST"])
@roles_required(*ADMINS)
def lessons_qa_checklist_new() -> Any:
    form = CheckItemForm(data=None if request.method == "POST" else {"position": 10 * (len(_items()) + 1)})
    if form.validate_on_submit():
        variables = {"text": form.text.data, "position": form.position.data}
        result = operations.run_mutation("ConsoleQualityCheckItemCreate", {"input": variables})
        if result.problem is None:
            flash(_("The item is added to the checklist."), "success")
            return redirect(url_for("console.lessons_qa_checklist"))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/lessons/qa_checklist_item.html", form=form, item=None), status


@bp.route("/lessons/qa/checklist/<int:item_id>", methods=["GET", "POST"])
@roles_required(*ADMINS)
def lessons_qa_checklist_edit(item_id: int) -> Any:
    item = operations.run("ConsoleQualityCheckItem", {"id": str(item_id)})["qualityCheckItem"]
    if item is None:
        abort(404)
    form = CheckItemForm(data=None if request.method == "POST" else item)
    if form.validate_on_submit():
        variables = {"id": str(item_id), "text": form.text.data, "position": form.position.data}
        result = operations.run_mutation("ConsoleQualityCheckItemUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The checklist item is changed."), "success")
            return redirect(url_for("console.lessons_qa_checklist"))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/lessons/qa_checklist_item.html", form=form, item=item), status


@bp.route("/lessons/qa/checklist/<int:item_id>/archive", methods=["POST"])
@roles_required(*ADMINS)
def lessons_qa_checklist_archive(item_id: int) -> Any:
    form = ReturnForm()
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleQualityCheckItemArchive", {"input": {"id": str(item_id)}})
        if result.problem is None:
            flash(_("The item is archived: it is no longer scored."), "success")
        else:
            flash(result.problem.get("message") or "", "error")
    return redirect(url_for("console.lessons_qa_checklist"))
