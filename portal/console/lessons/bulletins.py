"""Console pages for the internal lessons bulletin (self-assessment item 7): assemble, preview, send to all staff."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, limit
from portal.console.lessons.sections import section
from portal.console.lessons.sharing import DATE, MANAGERS, form_page, is_manager
from portal.forms import show_problem

section(44, "console.lessons_bulletins", _l("Bulletins"))


class BulletinForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    period_start = StringField(
        _l("First day of the period"),
        validators=[DataRequired(_l("Give the first day of the period.")), IsoDate()],
        render_kw=DATE,
    )
    period_end = StringField(
        _l("Last day of the period"),
        validators=[DataRequired(_l("Give the last day of the period.")), IsoDate()],
        render_kw=DATE,
    )
    introduction = TextAreaField(
        _l("Introduction (optional)"), validators=[Optional(), limit(10_000)], render_kw={"rows": 4}
    )


@bp.route("/lessons/bulletins")
@roles_required(*STAFF)
def lessons_bulletins() -> Any:
    """The bulletins, newest first: drafts and those sent."""
    found = operations.run("ConsoleBulletins")["bulletins"]["nodes"]
    return render_template("console/lessons/bulletins.html", bulletins=found, is_manager=is_manager())


@bp.route("/lessons/bulletins/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lessons_bulletin_new() -> Any:
    """Assemble a bulletin from the lessons closed in a period; it is a draft to preview before it is sent."""
    form = BulletinForm()
    status = 200
    if request.method == "GET":
        today = local_date()
        form.period_start.data, form.period_end.data = today.replace(day=1).isoformat(), today.isoformat()
    elif form.validate_on_submit():
        variables = {
            "title": form.title.data,
            "periodStart": form.period_start.data,
            "periodEnd": form.period_end.data,
            "introduction": form.introduction.data or "",
        }
        result = operations.run_mutation("ConsoleBulletinCreate", {"input": variables})
        if result.problem is None:
            flash(_("The bulletin is assembled. Check it, then send it."), "success")
            return redirect(url_for("console.lessons_bulletin", bulletin_id=result.data["bulletin"]["id"]))
        show_problem(form, result.problem)
        status = result.status
    else:
        status = 400
    back = (url_for("console.lessons_bulletins"), _("Back to the bulletins"))
    intro = (_("It holds the title and early lesson of each lesson closed in the period, and no personal data."),)
    return form_page(form, _("Assemble a bulletin"), _("Assemble and preview"), back, intro), status


@bp.route("/lessons/bulletins/<int:bulletin_id>")
@roles_required(*STAFF)
def lessons_bulletin(bulletin_id: int) -> Any:
    """A bulletin as staff read it; a draft has a button to send it to all staff."""
    bulletin = operations.run("ConsoleBulletin", {"id": str(bulletin_id)})["bulletin"]
    if bulletin is None:
        abort(404)
    return render_template("console/lessons/bulletin.html", bulletin=bulletin, is_manager=is_manager())


@bp.route("/lessons/bulletins/<int:bulletin_id>/send", methods=["POST"])
@roles_required(*MANAGERS)
def lessons_bulletin_send(bulletin_id: int) -> Any:
    """Send a draft bulletin to every active member of staff."""
    result = operations.run_mutation("ConsoleBulletinSend", {"input": {"id": str(bulletin_id)}})
    if result.problem is None:
        flash(_("The bulletin is being sent to every member of staff."), "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.lessons_bulletin", bulletin_id=bulletin_id))
