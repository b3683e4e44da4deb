"""Console: themes published for residents, their example quotes, and residents' suggestions of new themes.

``/console/co-creation/themes`` shows each theme in use with its readiness in every enabled language, publishes and
unpublishes it (managers), and lists the quotes waiting for a manager's approval, with the form that proposes one.
``/console/co-creation/suggestions`` is the queue of residents' suggestions, each accepted, linked to a theme or
declined with a reason, and the history of what moderators did.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from backend.cocreation.quotes import MAX_TEXT
from backend.cocreation.suggestions import MAX_REASON
from backend.config import LANGUAGE_NAMES, current
from backend.lessons.themes import MANAGER_ROLES
from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK
from portal.forms import show_problem
from portal.security import current_actor

_SLACK = 100


class QuoteForm(FlaskForm):
    """A quote staff propose for a theme."""

    theme_id = SelectField(_l("Theme"))
    locale = SelectField(_l("Language"))
    text = TextAreaField(
        _l("What the resident said"),
        description=_l(
            "Up to %(maximum)s characters. Names, addresses, phone numbers, emails and references are taken out as "
            "it is saved; a manager who did not propose it approves it before it is public.",
            maximum=MAX_TEXT,
        ),
    )
    contact_id = StringField(
        _l("Contact it came from (optional)"),
        description=_l("The contact's number in the console, for staff only: it is never published."),
    )


ACTIONS = {
    "accept": _l("Accept: make a new theme from it"),
    "link": _l("Link it to a theme we already have"),
    "decline": _l("Decline it"),
}


class ModerateForm(FlaskForm):
    """What a moderator does with one suggestion, and why."""

    action = RadioField(
        _l("What to do"),
        choices=[SelectChoice(code, label) for code, label in ACTIONS.items()],
        validate_choice=False,
        validators=[AnyOf(list(ACTIONS), message=_l("Choose what to do with the suggestion."))],
    )
    theme_id = SelectField(_l("Theme to link it to"), description=_l("Only when linking it."), validate_choice=False)
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The resident reads this, in full. Up to %(maximum)s characters.", maximum=f"{MAX_REASON:,}"),
    )


def _is_manager() -> bool:
    return current_actor().has_role(*MANAGER_ROLES)


def _quote_form(themes: list[dict[str, Any]], formdata: Any = None) -> QuoteForm:
    form = QuoteForm(formdata=formdata, prefix="quote")
    form.theme_id.choices = [BLANK, *(SelectChoice(t["id"], t["name"]) for t in themes)]
    form.locale.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in current().enabled_locales]
    return form


def _themes_page(quote_form: QuoteForm | None = None, status: int = 200) -> Any:
    data = operations.run("ConsoleCocreationThemes")
    themes = data["themes"]["nodes"]
    public = {t["id"] for t in data["publicThemes"]}
    names = {t["id"]: t["name"] for t in themes}
    by_theme: dict[str, list[dict[str, Any]]] = {}
    for quote in data["themeQuotes"]["nodes"]:
        by_theme.setdefault(quote["themeId"], []).append(quote)
    return render_template(
        "console/cocreation/themes/themes.html",
        themes=themes,
        public=public,
        locales=current().enabled_locales,
        language_names=LANGUAGE_NAMES,
        quotes=by_theme,
        names=names,
        quote_form=quote_form or _quote_form(themes),
        manager=_is_manager(),
        empty=EmptyForm(),
    ), status


@bp.route("/co-creation/themes")
@roles_required(*STAFF)
def cocreation_themes() -> Any:
    """Themes for residents: readiness, publication and quotes."""
    return _themes_page()


def _after_mutation(name: str, variables: dict[str, Any], done: str, back: str) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation(name, {"input": variables})
    if result.problem is None:
        flash(done, "success")
    elif result.problem.get("__typename") == "NotFoundError":
        abort(404)
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for(back))


@bp.route("/co-creation/themes/<int:theme_id>/<action>", methods=["POST"])
@roles_required(*MANAGER_ROLES)
def cocreation_theme_publication(theme_id: int, action: str) -> Any:
    """Publish a theme for residents, or take it off the public pages."""
    if action == "publish":
        name, done = "ConsoleThemePublish", _("The theme is published for residents.")
    elif action == "unpublish":
        name, done = "ConsoleThemeUnpublish", _("The theme is no longer public. Its votes are kept.")
    else:
        abort(404)
    return _after_mutation(name, {"id": str(theme_id)}, done, "console.cocreation_themes")


@bp.route("/co-creation/themes/quotes", methods=["POST"])
@roles_required(*STAFF)
def cocreation_quote_propose() -> Any:
    """Propose a quote for a theme."""
    themes = operations.run("ConsoleCocreationThemes")["themes"]["nodes"]
    form = _quote_form(themes, request.form)
    if not form.validate_on_submit():
        return _themes_page(form, 400)
    variables: dict[str, Any] = {
        "themeId": form.theme_id.data or "0",
        "locale": form.locale.data,
        "text": (form.text.data or "")[: MAX_TEXT + _SLACK],
    }
    if (form.contact_id.data or "").strip():
        variables["contactId"] = form.contact_id.data.strip()[:20]
    result = operations.run_mutation("ConsoleThemeQuotePropose", {"input": variables})
    if result.problem is not None:
        if result.problem.get("__typename") == "NotFoundError":
            form.theme_id.errors = [_("Choose a theme on the list.")]
        else:
            show_problem(form, result.problem)
        return _themes_page(form, 400)
    flash(_("The quote is proposed. Another manager approves it before it is public."), "success")
    return redirect(url_for("console.cocreation_themes"))


@bp.route("/co-creation/themes/quotes/<int:quote_id>/<action>", methods=["POST"])
@roles_required(*STAFF)
def cocreation_quote_decide(quote_id: int, action: str) -> Any:
    """Approve a proposed quote (managers), or withdraw one."""
    if action == "approve":
        if not _is_manager():
            abort(403)
        name, done = "ConsoleThemeQuoteApprove", _("The quote is approved and shown on the theme's page.")
    elif action == "withdraw":
        name, done = "ConsoleThemeQuoteWithdraw", _("The quote is withdrawn.")
    else:
        abort(404)
    return _after_mutation(name, {"id": str(quote_id)}, done, "console.cocreation_themes")


def _moderate_form(suggestion_id: str, themes: list[dict[str, Any]], formdata: Any = None) -> ModerateForm:
    form = ModerateForm(formdata=formdata, prefix=f"s{suggestion_id}")
    form.theme_id.choices = [BLANK, *(SelectChoice(t["id"], t["name"]) for t in themes)]
    return form


def _suggestions_page(failed: dict[str, ModerateForm] | None = None, status: int = 200) -> Any:
    data = operations.run("ConsoleCocreationSuggestions", {"after": (request.args.get("after") or "")[:200] or None})
    themes = data["themes"]["nodes"]
    queue = data["residentThemeSuggestions"]
    forms = {s["id"]: (failed or {}).get(s["id"]) or _moderate_form(s["id"], themes) for s in queue["nodes"]}
    return render_template(
        "console/cocreation/themes/suggestions.html",
        suggestions=queue["nodes"],
        page=queue["pageInfo"],
        forms=forms,
        history=data["residentThemeSuggestionModerations"],
        actions=ACTIONS,
        language_names=LANGUAGE_NAMES,
    ), status


@bp.route("/co-creation/suggestions")
@roles_required(*STAFF)
def cocreation_suggestions() -> Any:
    """Residents' suggestions waiting for a moderator, and what moderators did."""
    return _suggestions_page()


MODERATIONS = {
    "accept": ("ConsoleThemeSuggestionAccept", _l("The suggestion is accepted: a new theme was made from it.")),
    "link": ("ConsoleThemeSuggestionLink", _l("The suggestion is linked to the theme.")),
    "decline": ("ConsoleThemeSuggestionDecline", _l("The suggestion is declined.")),
}


@bp.route("/co-creation/suggestions/<int:suggestion_id>", methods=["POST"])
@roles_required(*STAFF)
def cocreation_suggestion_moderate(suggestion_id: int) -> Any:
    """Accept, link or decline one suggestion, with the reason the resident reads."""
    themes = operations.run("ConsoleCocreationSuggestions", {"after": None})["themes"]["nodes"]
    key = str(suggestion_id)
    form = _moderate_form(key, themes, request.form)
    if not form.validate_on_submit():
        return _suggestions_page({key: form}, 400)
    name, done = MODERATIONS[form.action.data]
    variables: dict[str, Any] = {"id": key, "reason": (form.reason.data or "")[: MAX_REASON + _SLACK]}
    if form.action.data == "link":
        variables["themeId"] = form.theme_id.data or "0"
    result = operations.run_mutation(name, {"input": variables})
    if result.problem is None:
        flash(str(done), "success")
        return redirect(url_for("console.cocreation_suggestions"))
    if result.problem.get("__typename") == "NotFoundError":
        abort(404)
    show_problem(form, result.problem)
    return _suggestions_page({key: form}, 400)
