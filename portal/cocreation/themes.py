"""Published themes, for anyone, signed in or not, and residents' suggestions of new themes.

``/themes`` lists the published themes in the reader's language with their last counted votes and a link to any
open round; ``/themes/<id>`` shows one with its description, approved quotes, latest result and the changes made
for it; ``/themes/suggest`` lets a signed-in resident suggest a theme and follow what became of their suggestions.
Everything is read through the API as the viewer, so only what is published is there.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from backend.cocreation.suggestions import MAX_DESCRIPTION, MAX_TITLE
from portal import operations
from portal.access import roles_required
from portal.cocreation.blueprint import bp
from portal.forms import show_problem

# A little over each limit, so that a longer text reaches the API and is refused there with the limit named.
_SLACK = 100


class SuggestionForm(FlaskForm):
    """A theme a resident suggests; the API checks the values and names every problem."""

    title = StringField(
        _l("What should the theme be called?"),
        description=_l("One line, up to %(maximum)s characters.", maximum=MAX_TITLE),
    )
    description = TextAreaField(
        _l("Why does it matter? (optional)"),
        description=_l(
            "Up to %(maximum)s characters. Do not include names, addresses or phone numbers: we read every suggestion "
            "before anything is published.",
            maximum=f"{MAX_DESCRIPTION:,}",
        ),
    )


def _locale() -> str:
    return str(get_locale() or "en")


@bp.route("/themes")
def themes() -> Any:
    """Every published theme in the reader's language, with its last counted votes."""
    found = operations.run("ResidentPublicThemes", {"locale": _locale()})["publicThemes"]
    return render_template("cocreation/themes/list.html", themes=found, any_open=any(t["openRound"] for t in found))


@bp.route("/themes/<int:theme_id>")
def theme(theme_id: int) -> Any:
    """One published theme: what it covers, what residents said, its latest result and the changes made for it."""
    found = operations.run("ResidentPublicThemePage", {"id": str(theme_id), "locale": _locale()})["publicTheme"]
    if found is None:
        abort(404)
    return render_template("cocreation/themes/theme.html", theme=found)


def _suggest_page(form: SuggestionForm, status: int = 200) -> Any:
    mine = operations.run("ResidentOwnThemeSuggestions")["residentThemeSuggestions"]["nodes"]
    return render_template("cocreation/themes/suggest.html", form=form, suggestions=mine), status


@bp.route("/themes/suggest", methods=["GET", "POST"])
@roles_required("resident")
def theme_suggest() -> Any:
    """Suggest a theme, and see what became of your suggestions."""
    form = SuggestionForm()
    if request.method == "GET":
        return _suggest_page(form)
    if not form.validate_on_submit():
        return _suggest_page(form, 400)
    variables = {
        "title": (form.title.data or "")[: MAX_TITLE + _SLACK],
        "description": (form.description.data or "")[: MAX_DESCRIPTION + _SLACK],
        "locale": _locale(),
    }
    result = operations.run_mutation("ResidentThemeSuggest", {"input": variables})
    if result.problem is not None:
        show_problem(form, result.problem)
        return _suggest_page(form, 400)
    flash(_("Thank you: your suggestion is with us. We will tell you what we decide."), "success")
    return redirect(url_for("cocreation.theme_suggest"))
