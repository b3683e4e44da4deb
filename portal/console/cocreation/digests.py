"""Console: the quarterly "you said, we did" digest. Staff assemble a quarter's digest, write its introduction in
each language, pick success stories, preview it and submit it; a manager who did not draft it publishes it, or
sends it back. Every step runs through the API (``digestAssemble``, ``digestUpdate``, ``digestSubmit``,
``digestPublish``, ``digestReturn``).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from backend.cocreation.digests import MAX_INTRODUCTION, previous_quarter, quarter_of
from backend.config import LANGUAGE_NAMES, current
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.cocreation.publication import DIRECTION_LABELS, STATUS_LABELS, localised
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from portal.security import current_actor

DIGEST_STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for a manager"),
    "published": _l("Published"),
}


class AssembleForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Give the year.")),
            NumberRange(2000, 2100, _l("Give a year between 2000 and 2100.")),
        ],
    )
    quarter = IntegerField(
        _l("Quarter"),
        description=_l("1 is January to March, 4 is October to December."),
        validators=[InputRequired(_l("Give the quarter.")), NumberRange(1, 4, _l("Choose a quarter from 1 to 4."))],
    )


class StepForm(FlaskForm):
    """A step's button: its CSRF token only."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _edit_form(formdata: Any = None, data: dict[str, Any] | None = None) -> FlaskForm:
    """The digest's form: an introduction per enabled language, and the stories it features."""

    class EditForm(FlaskForm):
        story_ids = MultiCheckboxField(
            _l("Success stories it features"), validators=[Optional()], validate_choice=False
        )

    for code in current().enabled_locales:
        setattr(
            EditForm,
            f"introduction_{code}",
            TextAreaField(
                _l("Introduction in %(language)s", language=LANGUAGE_NAMES.get(code, code)),
                description=_l("Up to 5,000 characters. Contact details typed here are replaced when it is saved."),
                validators=[Optional(), limit(MAX_INTRODUCTION)],
                render_kw={"rows": 5, "lang": code},
            ),
        )
    return EditForm(formdata=formdata, data=data)


def _digest(digest_id: int) -> dict[str, Any]:
    found = operations.run("ConsoleDigest", {"id": str(digest_id)})
    if found["digest"] is None:
        abort(404)
    return found


@bp.route("/co-creation/digests", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_digests() -> Any:
    """Every digest with where it stands, and the form that assembles a quarter's digest."""
    year, quarter = previous_quarter(*quarter_of(local_date()))
    form = AssembleForm(data={"year": year, "quarter": quarter})
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"year": form.year.data, "quarter": form.quarter.data}
            result = operations.run_mutation("ConsoleDigestAssemble", {"input": variables})
            if result.problem is None:
                flash(_("The digest is assembled. Write its introduction, then submit it."), "success")
                digest_id = result.data["digest"]["id"]
                return redirect(url_for("console.cocreation_digest", digest_id=digest_id))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    found = operations.run("ConsoleDigests")["digests"]["nodes"]
    return render_template(
        "console/cocreation/digests.html", digests=found, form=form, statuses=DIGEST_STATUSES
    ), status


def _page(found: dict[str, Any], form: FlaskForm, status: int = 200) -> Any:
    digest = found["digest"]
    stories = found["successStories"]["nodes"]
    form.story_ids.choices = [(story["id"], story["title"]) for story in stories]
    content = digest["content"] or {}
    by_status = {
        code: [change for change in content.get("changes", []) if change.get("status") == code]
        for code in STATUS_LABELS
    }
    actor = current_actor()
    drafter = (digest.get("draftedBy") or {}).get("id")
    return render_template(
        "console/cocreation/digest.html",
        digest=digest,
        content=content,
        by_status=by_status,
        form=form,
        statuses=DIGEST_STATUSES,
        status_labels=STATUS_LABELS,
        direction_labels=DIRECTION_LABELS,
        localised=localised,
        may_publish=actor.has_role("manager", "admin") and str(drafter) != str(actor.user_id),
        may_return=actor.has_role("manager", "admin"),
    ), status


@bp.route("/co-creation/digests/<int:digest_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def cocreation_digest(digest_id: int) -> Any:
    """A digest: its preview, and while a draft its introduction and stories to edit."""
    found = _digest(digest_id)
    digest = found["digest"]
    data = {f"introduction_{code}": text for code, text in (digest["introduction"] or {}).items()}
    data["story_ids"] = [str(story["id"]) for story in (digest["content"] or {}).get("stories", [])]
    form = _edit_form(request.form if request.method == "POST" else None, data)
    form.story_ids.choices = [(story["id"], story["title"]) for story in found["successStories"]["nodes"]]
    if request.method == "POST":
        if not form.validate_on_submit():
            return _page(found, form, 400)
        introductions = [
            {"locale": code, "text": getattr(form, f"introduction_{code}").data or ""}
            for code in current().enabled_locales
        ]
        variables = {"id": str(digest_id), "introductions": introductions, "storyIds": form.story_ids.data or []}
        result = operations.run_mutation("ConsoleDigestUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The digest is saved."), "success")
            return redirect(url_for("console.cocreation_digest", digest_id=digest_id))
        places = {f"introductions[{i}].text": f"introduction_{item['locale']}" for i, item in enumerate(introductions)}
        show_problem(form, result.problem, {"stories": "story_ids", **places})
        return _page(found, form, result.status)
    return _page(found, form)


STEPS = {
    "submit": ("ConsoleDigestSubmit", _l("The digest is sent to the managers for approval.")),
    "publish": ("ConsoleDigestPublish", _l("The digest is published.")),
    "return": ("ConsoleDigestReturn", _l("The digest is back in draft.")),
}


@bp.route("/co-creation/digests/<int:digest_id>/<any(submit, publish, return):step>", methods=["POST"])
@roles_required(*STAFF)
def cocreation_digest_step(digest_id: int, step: str) -> Any:
    """Submit, publish or send back a digest; a refusal or a clash is shown at the top of the page."""
    found = _digest(digest_id)
    if not StepForm().validate_on_submit():
        abort(400)
    operation, done = STEPS[step]
    result = operations.run_mutation(operation, {"input": {"id": str(digest_id)}})
    if result.problem is None:
        flash(str(done), "success")
        return redirect(url_for("console.cocreation_digest", digest_id=digest_id))
    form = _edit_form(None, {})
    show_problem(form, result.problem)
    return _page(found, form, result.status)
