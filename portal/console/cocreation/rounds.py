"""Console: priority rounds. The list; setting a round up and changing it until it opens (texts in each language,
dates in UK time, budget, who may vote and the ballot of published themes); publishing and cancelling (managers);
and a round's page with its live turnout (how many voted and how many dots they used, never who) and, once counted,
its results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange

from backend.config import current
from backend.timeutil import LOCAL_ZONE
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import choices
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
LOCAL_MOMENT = "%Y-%m-%dT%H:%M"
UNITS = {"resident": _l("Each resident has the whole budget"), "home": _l("The residents of a home share the budget")}
TENURES = {"rented": _l("Rented"), "shared_ownership": _l("Shared ownership")}
NATIONS = {
    "england": _l("England"),
    "wales": _l("Wales"),
    "scotland": _l("Scotland"),
    "northern_ireland": _l("Northern Ireland"),
}
PHASES = {
    "draft": _l("Draft"),
    "upcoming": _l("Published: not open yet"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
}


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is cancelled"),
        description=_l("Kept in the audit trail. Up to 1,000 characters."),
        validators=[DataRequired(_l("Give the reason.")), Length(max=1000, message=_l("Keep it to 1,000 characters."))],
    )


def _round_form(themes: list[dict[str, Any]], data: dict[str, Any] | None = None) -> FlaskForm:
    """The form setting a round up, with a title and description field per enabled language."""

    class RoundForm(FlaskForm):
        pass

    for locale in current().enabled_locales:
        label = _("Title (%(locale)s)", locale=locale)
        required = [DataRequired(_l("Enter the English title."))] if locale == "en" else []
        setattr(
            RoundForm,
            f"title_{locale}",
            StringField(label, validators=[*required, Length(max=200, message=_l("Keep it to 200 characters."))]),
        )
        setattr(
            RoundForm,
            f"description_{locale}",
            TextAreaField(
                _("Description (%(locale)s)", locale=locale),
                validators=[Length(max=5000, message=_l("Keep it to 5,000 characters."))],
            ),
        )
    moment = {"type": "datetime-local"}
    RoundForm.opens_at = StringField(_l("Voting opens (UK time)"), render_kw=moment)  # type: ignore[attr-defined]
    RoundForm.closes_at = StringField(_l("Voting closes (UK time)"), render_kw=moment)  # type: ignore[attr-defined]
    whole = NumberRange(min=1, max=20, message=_l("Enter a whole number from 1 to 20."))
    RoundForm.budget = IntegerField(  # type: ignore[attr-defined]
        _l("Votes each voter has"), default=3, validators=[whole], description=_l("From 1 to 20.")
    )
    RoundForm.max_per_theme = IntegerField(  # type: ignore[attr-defined]
        _l("Most votes one theme may take"),
        default=1,
        validators=[whole],
        description=_l("1 is one vote per theme; the budget lets a voter put every vote on one theme."),
    )
    RoundForm.budget_unit = RadioField(  # type: ignore[attr-defined]
        _l("Whose budget"), choices=choices(UNITS), default="resident"
    )
    RoundForm.tenures = CheckboxesField(  # type: ignore[attr-defined]
        _l("Tenures that may vote"), choices=choices(TENURES), description=_l("None ticked: any.")
    )
    RoundForm.nations = CheckboxesField(  # type: ignore[attr-defined]
        _l("Nations that may vote"), choices=choices(NATIONS), description=_l("None ticked: any.")
    )
    RoundForm.areas = TextAreaField(  # type: ignore[attr-defined]
        _l("Postcode districts that may vote"),
        description=_l("Like CF10 or LS1, one per line, at most 50. Empty: any."),
        validators=[Length(max=1000, message=_l("Keep it to 1,000 characters."))],
    )
    RoundForm.theme_ids = CheckboxesField(  # type: ignore[attr-defined]
        _l("Themes on the ballot"),
        choices=[SelectChoice(theme["id"], theme["name"]) for theme in themes],
        description=_l("Published themes only: from 2 to 50."),
    )
    return RoundForm(data=data)


def _moment(value: str | None) -> str | None:
    """A datetime-local value read as UK time, as ISO text with its offset; None when blank or malformed."""
    try:
        local = dt.datetime.strptime((value or "").strip()[:16], LOCAL_MOMENT)
    except ValueError:
        return None
    return local.replace(tzinfo=LOCAL_ZONE).isoformat()


def _local(value: str | None) -> str:
    """A stored moment (ISO text, UTC) as a datetime-local value in UK time."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).strftime(LOCAL_MOMENT)


def _variables(form: FlaskForm) -> dict[str, Any]:
    locales = current().enabled_locales
    return {
        "title": [{"locale": loc, "text": form[f"title_{loc}"].data or ""} for loc in locales],
        "description": [{"locale": loc, "text": form[f"description_{loc}"].data or ""} for loc in locales],
        "opensAt": _moment(form.opens_at.data),
        "closesAt": _moment(form.closes_at.data),
        "budget": form.budget.data,
        "maxPerTheme": form.max_per_theme.data,
        "budgetUnit": form.budget_unit.data,
        "tenures": form.tenures.data or [],
        "nations": form.nations.data or [],
        "areas": [line.strip() for line in (form.areas.data or "").splitlines() if line.strip()],
        "themeIds": form.theme_ids.data or [],
    }


PROBLEM_FIELDS = {"title": "title_en", "description": "description_en"}


def _missing_moments(form: FlaskForm, variables: dict[str, Any]) -> bool:
    """Put "enter a date and time" on a blank or malformed moment; say whether there was one."""
    found = False
    for name, key in (("opens_at", "opensAt"), ("closes_at", "closesAt")):
        if variables[key] is None:
            form[name].errors = [_("Enter a date and time, like 2026-03-02 18:00.")]
            found = True
    return found


@bp.route("/co-creation/rounds")
@roles_required(*STAFF)
def cocreation_rounds() -> Any:
    """Every priority round, newest opening first."""
    found = operations.run("ConsolePriorityRounds")["priorityRounds"]["nodes"]
    return render_template("console/cocreation/rounds/list.html", rounds=found, phases=PHASES)


@bp.route("/co-creation/rounds/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_round_new() -> Any:
    """Set a round up as a draft."""
    themes = operations.run("ConsolePriorityRoundThemeChoices")["priorityRoundThemeChoices"]
    form = _round_form(themes)
    if form.validate_on_submit():
        variables = _variables(form)
        if not _missing_moments(form, variables):
            result = operations.run_mutation("ConsolePriorityRoundCreate", {"input": variables})
            if result.problem is None:
                flash(_("The round is set up as a draft."), "success")
                made = result.data["priorityRound"]["id"]
                return redirect(url_for("console.cocreation_round", round_id=made))
            show_problem(form, result.problem, PROBLEM_FIELDS)
    return render_template(
        "console/cocreation/rounds/form.html", form=form, heading=_("Set up a priority round"), locales=_locales()
    )


def _locales() -> tuple[str, ...]:
    return tuple(current().enabled_locales)


def _read(round_id: int) -> dict[str, Any]:
    data = operations.run("ConsolePriorityRound", {"id": str(round_id)})
    if data["priorityRound"] is None:
        abort(404)
    return data


@bp.route("/co-creation/rounds/<int:round_id>")
@roles_required(*STAFF)
def cocreation_round(round_id: int) -> Any:
    """A round: its settings, ballot, live turnout and, once counted, its results."""
    data = _read(round_id)
    found = data["priorityRound"]
    results = sorted(found["ballot"], key=lambda entry: -(entry["countedVotes"] or 0)) if found["countedAt"] else []
    return render_template(
        "console/cocreation/rounds/round.html",
        round=found,
        turnout=data["priorityRoundTurnout"],
        results=results,
        phases=PHASES,
        units=UNITS,
        managing=current_actor().has_role(*MANAGERS),
    )


@bp.route("/co-creation/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_round_edit(round_id: int) -> Any:
    """Change a round until it opens."""
    found = _read(round_id)["priorityRound"]
    themes = operations.run("ConsolePriorityRoundThemeChoices")["priorityRoundThemeChoices"]
    current_values: dict[str, Any] = {
        "opens_at": _local(found["opensAt"]),
        "closes_at": _local(found["closesAt"]),
        "budget": found["budget"],
        "max_per_theme": found["maxPerTheme"],
        "budget_unit": found["budgetUnit"],
        "tenures": found["tenures"],
        "nations": found["nations"],
        "areas": "\n".join(found["areas"]),
        "theme_ids": [entry["themeId"] for entry in found["ballot"]],
    }
    for locale in _locales():
        current_values[f"title_{locale}"] = (found["title"] or {}).get(locale, "")
        current_values[f"description_{locale}"] = (found["description"] or {}).get(locale, "")
    form = _round_form(themes, None if request.method == "POST" else current_values)
    if form.validate_on_submit():
        variables = _variables(form)
        if not _missing_moments(form, variables):
            result = operations.run_mutation(
                "ConsolePriorityRoundUpdate", {"input": {"id": str(round_id), **variables}}
            )
            if result.problem is None:
                flash(_("The round is changed."), "success")
                return redirect(url_for("console.cocreation_round", round_id=round_id))
            show_problem(form, result.problem, PROBLEM_FIELDS)
    return render_template(
        "console/cocreation/rounds/form.html", form=form, heading=_("Change the priority round"), locales=_locales()
    )


@bp.route("/co-creation/rounds/<int:round_id>/publish", methods=["POST"])
@roles_required(*MANAGERS)
def cocreation_round_publish(round_id: int) -> Any:
    """Publish a draft round."""
    result = operations.run_mutation("ConsolePriorityRoundPublish", {"input": {"id": str(round_id)}})
    if result.problem is None:
        flash(_("The round is published."), "success")
    else:
        messages = [each["message"] for each in result.problem.get("problems") or [result.problem]]
        flash(" ".join(messages), "error")
    return redirect(url_for("console.cocreation_round", round_id=round_id))


@bp.route("/co-creation/rounds/<int:round_id>/cancel", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def cocreation_round_cancel(round_id: int) -> Any:
    """Cancel a round, with the reason."""
    _read(round_id)
    form = CancelForm()
    if form.validate_on_submit():
        variables = {"id": str(round_id), "reason": form.reason.data}
        result = operations.run_mutation("ConsolePriorityRoundCancel", {"input": variables})
        if result.problem is None:
            flash(_("The round is cancelled. Its votes will not be counted."), "success")
            return redirect(url_for("console.cocreation_round", round_id=round_id))
        show_problem(form, result.problem)
    return render_template(
        "console/cocreation/rounds/cancel.html", form=form, back=url_for("console.cocreation_round", round_id=round_id)
    )
