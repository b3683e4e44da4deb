"""Console pages for themes: the dashboard with each theme's trend and priority score (and its CSV), a theme's page,
creating and editing a theme with its name in every enabled language, archiving, merging, linking contacts, the
priority weights, and a lesson's suggested themes for staff to confirm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, StopValidation

from backend.config import LANGUAGE_NAMES, current, text_direction
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.lessons.sections import section
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
FACTORS = {
    "residents_affected": _l("Residents affected"),
    "upheld_complaints": _l("Upheld complaints"),
    "impact": _l("Impact ratings"),
    "votes": _l("Residents' votes"),
}
CSV_HEADER = (
    _l("Theme"),
    _l("Status"),
    _l("Ready for residents"),
    _l("Residents affected"),
    _l("Complaints"),
    _l("Upheld complaints"),
    _l("Impact"),
    _l("Votes"),
    _l("Priority score"),
    _l("Lessons"),
    _l("Contacts"),
)

section(20, "console.lesson_themes", _l("Themes"))
section(21, "console.lesson_theme_weights", _l("Priority weights"))


def locales() -> list[str]:
    return list(current().enabled_locales)


def theme_form(data: Any = None) -> FlaskForm:
    """The theme form: its internal name, then a name and description for each enabled language."""

    class ThemeForm(FlaskForm):
        name = StringField(
            _l("Internal name"),
            description=_l("What staff call it; unique. Residents don't see it."),
            validators=[DataRequired(_l("Give the theme a name.")), limit(100)],
        )

    for locale in locales():
        language = LANGUAGE_NAMES.get(locale, locale)
        setattr(
            ThemeForm,
            f"text_{locale}_name",
            StringField(_l("Name residents see in %(language)s", language=language), validators=[limit(100)]),
        )
        setattr(
            ThemeForm,
            f"text_{locale}_description",
            TextAreaField(_l("Description in %(language)s", language=language), validators=[limit(10_000)]),
        )
    return ThemeForm(data=data)


def _text_fields() -> dict[str, str]:
    """The input path of each text's name and description (as sent, in locale order) and its form field."""
    fields: dict[str, str] = {}
    for index, locale in enumerate(locales()):
        fields[f"texts[{index}].name"] = f"text_{locale}_name"
        fields[f"texts[{index}].description"] = f"text_{locale}_description"
        fields[f"texts[{index}].locale"] = f"text_{locale}_name"
    return fields


def _texts_input(form: FlaskForm) -> list[dict[str, str]]:
    return [
        {
            "locale": locale,
            "name": getattr(form, f"text_{locale}_name").data or "",
            "description": getattr(form, f"text_{locale}_description").data or "",
        }
        for locale in locales()
    ]


def _languages() -> list[dict[str, str]]:
    return [{"code": c, "name": LANGUAGE_NAMES.get(c, c), "dir": text_direction(c)} for c in locales()]


@dataclass(frozen=True)
class Bar:
    """One month of a theme's trend chart: the bar is the contacts linked; the table gives every figure."""

    label: str
    text: str
    value: int


def trend_bars(trend: list[dict[str, Any]]) -> list[Bar]:
    return [
        Bar(
            format_date(dt.date.fromisoformat(month["month"]), "MMM yyyy"),
            _(
                "%(contacts)s contacts, %(complaints)s complaints, %(upheld)s upheld",
                contacts=month["contacts"],
                complaints=month["complaints"],
                upheld=month["upheldComplaints"],
            ),
            month["contacts"],
        )
        for month in trend
    ]


def load_theme(theme_id: int) -> dict[str, Any]:
    theme = operations.run("ConsoleTheme", {"id": str(theme_id)})["theme"]
    if theme is None:
        abort(404)
    if "priorityScore" in theme:
        theme["priorityScore"] = shown_score(theme["priorityScore"])
    return theme


def shown_score(value: float | None) -> float | int | None:
    """A priority score as people read it: to one decimal place, or a whole number when it is one."""
    if value is None:
        return None
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def weights() -> dict[str, float]:
    found = {w["factor"]: w["weight"] for w in operations.run("ConsolePriorityWeights")["priorityWeights"]["nodes"]}
    return {factor: float(found.get(factor, 0.0)) for factor in FACTORS}


@bp.route("/lessons/themes")
@roles_required(*STAFF)
def lesson_themes() -> Any:
    """The themes dashboard: themes in use by priority score, with their figures and a trend chart each."""
    data = operations.run_page("ConsoleThemes", {"after": request.args.get("after") or None})
    for node in data["themes"]["nodes"]:
        node["priorityScore"] = shown_score(node["priorityScore"])
    return render_template(
        "console/lessons/themes.html",
        page=data["themes"],
        bars={node["id"]: trend_bars(node["trend"]) for node in data["themes"]["nodes"]},
        weights=weights(),
        factors=FACTORS,
        is_manager=current_actor().has_role(*MANAGERS),
    )


@bp.route("/lessons/themes.csv")
@roles_required(*STAFF)
def lesson_themes_csv() -> Any:
    """Every theme, in use, archived or merged, with its figures, as CSV."""

    def rows() -> Any:
        for node in exports.pages("ConsoleThemesExport", {}, "themes"):
            if node["mergedInto"]:
                status = _("Merged into %(name)s", name=node["mergedInto"]["name"])
            else:
                status = _("Archived") if node["archivedAt"] else _("In use")
            yield [
                node["name"],
                status,
                _("Yes") if node["readyForResidents"] else _("No"),
                node["residentsAffected"],
                node["complaintCount"],
                node["upheldComplaintCount"],
                node["impact"],
                node["votes"],
                shown_score(node["priorityScore"]),
                node["lessonsCount"],
                node["contactCount"],
            ]

    return exports.csv_download("themes", [str(h) for h in CSV_HEADER], rows)


@bp.route("/lessons/themes/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_theme_new() -> Any:
    form = theme_form()
    if request.method == "POST" and form.validate_on_submit():
        result = operations.run_mutation(
            "ConsoleThemeCreate", {"input": {"name": form.name.data, "texts": _texts_input(form)}}
        )
        if result.problem is None:
            flash(_("The theme is created."), "success")
            return redirect(url_for("console.lesson_theme", theme_id=result.data["theme"]["id"]))
        show_problem(form, result.problem, _text_fields())
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/lessons/theme_form.html", form=form, theme=None, theme_languages=_languages()
    ), status


@bp.route("/lessons/themes/<int:theme_id>")
@roles_required(*STAFF)
def lesson_theme(theme_id: int) -> Any:
    theme = load_theme(theme_id)
    texts = {t["locale"]: t for t in theme["texts"]}
    return render_template(
        "console/lessons/theme.html",
        theme=theme,
        bars=trend_bars(theme["trend"]),
        texts=texts,
        theme_languages=_languages(),
        is_manager=current_actor().has_role(*MANAGERS),
    )


@bp.route("/lessons/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_theme_edit(theme_id: int) -> Any:
    theme = load_theme(theme_id)
    initial: dict[str, Any] = {"name": theme["name"]}
    for text in theme["texts"]:
        initial[f"text_{text['locale']}_name"] = text["name"]
        initial[f"text_{text['locale']}_description"] = text["description"]
    form = theme_form(None if request.method == "POST" else initial)
    if request.method == "POST" and form.validate_on_submit():
        variables = {"id": str(theme_id), "name": form.name.data, "texts": _texts_input(form)}
        result = operations.run_mutation("ConsoleThemeUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The theme is saved."), "success")
            return redirect(url_for("console.lesson_theme", theme_id=theme_id))
        show_problem(form, result.problem, _text_fields())
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/lessons/theme_form.html", form=form, theme=theme, theme_languages=_languages()
    ), status


class ConfirmForm(FlaskForm):
    pass


@bp.route("/lessons/themes/<int:theme_id>/archive", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lesson_theme_archive(theme_id: int) -> Any:
    theme = load_theme(theme_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        result = operations.run_mutation("ConsoleThemeArchive", {"input": {"id": str(theme_id)}})
        if result.problem is None:
            flash(_("The theme is archived."), "success")
            return redirect(url_for("console.lesson_theme", theme_id=theme_id))
        show_problem(form, result.problem)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("console/lessons/theme_archive.html", form=form, theme=theme), status


class MergeForm(FlaskForm):
    into = SelectField(
        _l("Merge it into"),
        description=_l("Its lessons and contacts move there. Residents' votes don't move: they will be asked again."),
        validators=[DataRequired(_l("Choose the theme to merge it into."))],
    )


@bp.route("/lessons/themes/<int:theme_id>/merge", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lesson_theme_merge(theme_id: int) -> Any:
    theme = load_theme(theme_id)
    form = MergeForm()
    others = [t for t in operations.run("ConsoleThemeChoices")["themes"]["nodes"] if t["id"] != str(theme_id)]
    form.into.choices = [("", _("Choose a theme"))] + [(t["id"], t["name"]) for t in others]
    if request.method == "POST" and form.validate_on_submit():
        result = operations.run_mutation(
            "ConsoleThemeMerge", {"input": {"id": str(theme_id), "intoId": form.into.data}}
        )
        if result.problem is None:
            flash(_("The theme is merged."), "success")
            return redirect(url_for("console.lesson_theme", theme_id=form.into.data))
        show_problem(form, result.problem, {"intoId": "into"})
    status = 400 if request.method == "POST" else 200
    return render_template("console/lessons/theme_merge.html", form=form, theme=theme), status


class ContactLinkForm(FlaskForm):
    reference = StringField(
        _l("Contact reference"),
        description=_l("For example LL-2026-000042."),
        validators=[DataRequired(_l("Give the contact's reference.")), limit(20)],
    )


@bp.route("/lessons/themes/<int:theme_id>/contacts/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_theme_contact_link(theme_id: int) -> Any:
    """Link a contact to the theme by its reference; a contact you may not see is one not found."""
    theme = load_theme(theme_id)
    form = ContactLinkForm()
    if request.method == "POST" and form.validate_on_submit():
        reference = (form.reference.data or "").strip().upper()
        found = operations.run("ConsoleContactByReference", {"reference": reference})["contacts"]["nodes"]
        if not found:
            form.reference.errors = [_("There is no contact with this reference that you can see.")]
        else:
            variables = {"contactId": found[0]["id"], "themeId": str(theme_id)}
            result = operations.run_mutation("ConsoleContactThemeLink", {"input": variables})
            if result.problem is None:
                flash(_("The contact is linked to the theme."), "success")
                return redirect(url_for("console.lesson_theme", theme_id=theme_id))
            show_problem(form, result.problem, {"contactId": "reference"})
    status = 400 if request.method == "POST" else 200
    return render_template("console/lessons/theme_contact.html", form=form, theme=theme), status


@bp.route("/lessons/themes/<int:theme_id>/contacts/<int:contact_id>/unlink", methods=["POST"])
@roles_required(*STAFF)
def lesson_theme_contact_unlink(theme_id: int, contact_id: int) -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    variables = {"contactId": str(contact_id), "themeId": str(theme_id)}
    result = operations.run_mutation("ConsoleContactThemeUnlink", {"input": variables})
    if result.problem is None:
        flash(_("The contact is no longer linked to the theme."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.lesson_theme", theme_id=theme_id))


class WeightField(DecimalField):
    """A weight: a number, or one message naming the weight (``not_a_number``) in place of WTForms' nameless
    "Not a valid decimal value." and the range check it would otherwise add on top."""

    def __init__(self, *args: Any, not_a_number: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and not str(valuelist[0]).strip():
            self.data = None  # left empty: the field's own "required" message says what to give
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.not_a_number or str(error)) from error

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def weights_form(data: dict[str, float] | None = None) -> FlaskForm:
    class WeightsForm(FlaskForm):
        pass

    for factor, label in FACTORS.items():
        # Each error names its weight, once: the error summary lists all four together.
        wrong = _("%(weight)s: give a weight from 0 to 1,000; decimals allowed, such as 1.5.", weight=label)
        setattr(
            WeightsForm,
            factor,
            WeightField(
                label,
                places=None,
                description=_l("From 0 to 1,000; decimals allowed, such as 1.5."),
                validators=[InputRequired(wrong), NumberRange(min=0, max=1000, message=wrong)],
                not_a_number=_(
                    "%(weight)s: give the weight as a number, with a full stop for decimals, such as 1.5.",
                    weight=label,
                ),
            ),
        )
    return WeightsForm(data=data)


@bp.route("/lessons/themes/weights", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_theme_weights() -> Any:
    """The priority weights: every member of staff sees them; managers change them."""
    is_manager = current_actor().has_role(*MANAGERS)
    form = weights_form(None if request.method == "POST" else weights())
    if request.method == "POST":
        if not is_manager:
            abort(403)
        if form.validate_on_submit():
            variables = {
                "residentsAffected": float(form.residents_affected.data),
                "upheldComplaints": float(form.upheld_complaints.data),
                "impact": float(form.impact.data),
                "votes": float(form.votes.data),
            }
            result = operations.run_mutation("ConsolePriorityWeightsSet", {"input": variables})
            if result.problem is None:
                flash(_("The weights are saved."), "success")
                return redirect(url_for("console.lesson_theme_weights"))
            show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "console/lessons/theme_weights.html", form=form, weights=weights(), factors=FACTORS, is_manager=is_manager
    ), status


class LinkForm(FlaskForm):
    theme_id = HiddenField(validators=[Optional()])


@bp.route("/lessons/<int:lesson_id>/themes", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_theme_links(lesson_id: int) -> Any:
    """A lesson's themes: the suggested ones to confirm, and the links it has, each with a button to remove it."""
    data = operations.run("ConsoleLessonThemes", {"id": str(lesson_id)})
    if not data["lessons"]["nodes"]:
        abort(404)
    form = LinkForm()
    if request.method == "POST" and form.validate_on_submit():
        action = "ConsoleLessonThemeUnlink" if request.form.get("action") == "unlink" else "ConsoleLessonThemeLink"
        variables = {"lessonId": str(lesson_id), "themeId": form.theme_id.data or ""}
        result = operations.run_mutation(action, {"input": variables})
        if result.problem is None:
            if action == "ConsoleLessonThemeLink":
                flash(_("The lesson is linked to the theme."), "success")
            else:
                flash(_("The lesson is no longer linked to the theme."), "success")
        else:
            flash(result.problem["message"], "error")
        return redirect(url_for("console.lesson_theme_links", lesson_id=lesson_id))
    return render_template(
        "console/lessons/theme_links.html",
        lesson=data["lessons"]["nodes"][0],
        suggestions=data["themeSuggestions"],
        links=data["lessonThemes"]["nodes"],
    )
