"""Staff sharing in the console: what its pages share, the champions and a champion's "My team" page.

The other sharing pages are in ``meetings``, ``briefings``, ``bulletins``, ``training`` and ``stories``. Every page
reads and writes through the named operations of ``portal/operations/lessons_sharing.graphql``, as the viewer.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK, IsoDate, limit
from portal.console.lessons.sections import section
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
DATE = {"type": "date"}
STATUS_WORDS = {
    "identified": _l("Identified"),
    "analysed": _l("Analysed"),
    "actions_agreed": _l("Actions agreed"),
    "in_progress": _l("In progress"),
    "measuring_impact": _l("Measuring impact"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
    "merged": _l("Merged"),
    "proposed": _l("Proposed"),
    "authorised": _l("Authorised"),
    "done": _l("Done"),
    "signed_off": _l("Signed off"),
    "verified": _l("Verified"),
}

section(50, "console.lessons_my_team", _l("My team"))
section(52, "console.lessons_champions", _l("Champions"))


def is_manager() -> bool:
    return current_actor().has_role(*MANAGERS)


def choices() -> dict[str, Any]:
    """Active staff, and the lessons and actions to choose from."""
    data = operations.run("ConsoleSharingChoices")
    return {
        "staff": data["people"]["nodes"],
        "lessons": data["sharingChoices"]["lessons"],
        "actions": data["sharingChoices"]["actions"],
        "teams": data["sharingChoices"]["teams"],
    }


def staff_options(people: list[dict[str, Any]], blank: bool = True) -> list[SelectChoice]:
    return [*([BLANK] if blank else []), *(SelectChoice(p["id"], f"{p['displayName']} ({p['email']})") for p in people)]


def lesson_options(lessons: list[dict[str, Any]], blank: bool = True) -> list[SelectChoice]:
    return [*([BLANK] if blank else []), *(SelectChoice(x["id"], f"{x['reference']}: {x['title']}") for x in lessons)]


def action_options(actions: list[dict[str, Any]], blank: bool = True, kind: str | None = None) -> list[SelectChoice]:
    shown = [x for x in actions if kind is None or x["actionType"] == kind]
    return [*([BLANK] if blank else []), *(SelectChoice(x["id"], x["title"]) for x in shown)]


def form_page(
    form: FlaskForm,
    heading: str,
    submit: str,
    back: tuple[str, str],
    intro: tuple[str, ...] = (),
    teams: list[str] | None = None,
) -> Any:
    """Render one form on its own page (the shared form template).

    ``teams``: the team names in use, offered as suggestions in the form's ``team`` box (a typed name still goes).
    """
    team = getattr(form, "team", None)
    if teams and team is not None:
        team.render_kw = {**(team.render_kw or {}), "list": "team-names", "autocomplete": "off"}
    return render_template(
        "console/lessons/sharing_form.html",
        form=form,
        heading=heading,
        submit_label=submit,
        back_url=back[0],
        back_label=back[1],
        intro=intro,
        teams=teams or [],
    )


def submit(
    form: FlaskForm, name: str, variables: dict[str, Any], done: str, fields: dict[str, str] | None = None
) -> Any:
    """Run a mutation with the form's values: None when it went through (``done`` is flashed), else the status.

    Its problems are put on the form's fields, so the page shows them next to what was typed.
    """
    result = operations.run_mutation(name, {"input": variables})
    if result.problem is None:
        flash(done, "success")
        return None
    show_problem(form, result.problem, fields)
    return result.status


# --- Champions ----------------------------------------------------------------------------------------------------


class ChampionForm(FlaskForm):
    person = SelectField(_l("Member of staff"), validators=[DataRequired(_l("Choose who the champion is."))])
    team = StringField(
        _l("Team"),
        description=_l("Choose a team already named, so its lessons and actions are followed, or type a new one."),
        validators=[DataRequired(_l("Give the team.")), limit(100)],
    )
    appointed_on = StringField(
        _l("First day"), validators=[DataRequired(_l("Give the first day.")), IsoDate()], render_kw=DATE
    )
    responsibilities = TextAreaField(
        _l("Responsibilities (optional)"), validators=[Optional(), limit(10_000)], render_kw={"rows": 3}
    )


class ChampionEndForm(FlaskForm):
    ended_on = StringField(
        _l("Last day"), validators=[DataRequired(_l("Give the last day.")), IsoDate()], render_kw=DATE
    )


def _champions() -> list[dict[str, Any]]:
    return operations.run("ConsoleChampions")["champions"]["nodes"]


@bp.route("/lessons/champions")
@roles_required(*STAFF)
def lessons_champions() -> Any:
    """Each team's lessons-learnt champions."""
    return render_template(
        "console/lessons/champions.html",
        champions=_champions(),
        is_manager=is_manager(),
        today=local_date().isoformat(),
    )


@bp.route("/lessons/champions/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lessons_champion_new() -> Any:
    """Name a team's lessons-learnt champion."""
    form = ChampionForm()
    found = choices()
    form.person.choices = staff_options(found["staff"])
    status = 200
    if request.method == "GET":
        form.appointed_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {
            "personId": form.person.data,
            "team": form.team.data,
            "appointedOn": form.appointed_on.data,
            "responsibilities": form.responsibilities.data or "",
        }
        status = submit(
            form, "ConsoleChampionAppoint", variables, _("The champion is recorded."), {"personId": "person"}
        )
        if status is None:
            return redirect(url_for("console.lessons_champions"))
    else:
        status = 400
    back = (url_for("console.lessons_champions"), _("Back to the champions"))
    return form_page(form, _("Name a champion"), _("Record the champion"), back, teams=found["teams"]), status


@bp.route("/lessons/champions/<int:champion_id>/end", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lessons_champion_end(champion_id: int) -> Any:
    """Set a champion's last day."""
    champion = next((c for c in _champions() if c["id"] == str(champion_id)), None)
    if champion is None:
        abort(404)
    form = ChampionEndForm()
    status = 200
    if request.method == "GET":
        form.ended_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {"id": str(champion_id), "endedOn": form.ended_on.data}
        status = submit(form, "ConsoleChampionEnd", variables, _("The last day is recorded."))
        if status is None:
            return redirect(url_for("console.lessons_champions"))
    else:
        status = 400
    back = (url_for("console.lessons_champions"), _("Back to the champions"))
    intro = (_("%(name)s, champion of %(team)s.", name=champion["person"]["displayName"], team=champion["team"]),)
    return form_page(form, _("Set a champion's last day"), _("Save"), back, intro), status


# --- My team ------------------------------------------------------------------------------------------------------


@bp.route("/lessons/my-team")
@roles_required(*STAFF)
def lessons_my_team() -> Any:
    """The lessons and actions of the teams the signed-in person champions."""
    data = operations.run("ConsoleMyTeam")["myTeam"]
    return render_template("console/lessons/my_team.html", team=data, statuses=STATUS_WORDS)
