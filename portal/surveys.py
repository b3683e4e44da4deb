"""The public survey pages: a signed link opens the survey, and ``?a=`` chooses the answer to the first question in
one click; the answers are recorded only when the person presses send.

The link itself is the credential, so these pages call the survey services directly (as the email
verification page does); they never show anything but the survey the link was made for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice

from backend.cocreation import impact
from backend.errors import Conflict, Invalid
from backend.surveys import answers, invitations
from backend.surveys.messages import ANSWER_LABELS
from backend.surveys.models import RATINGS, Survey, SurveyInvitation, SurveyQuestion
from backend.surveys.services import localised, questions_of
from portal.forms import add_error
from portal.security import speak_as

bp = Blueprint("surveys", __name__)
CHANNELS = ("email", "sms", "portal", "post")
YES_PARTLY_NO_LABELS = {value: _l(label) for value, label in ANSWER_LABELS.items()}


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _label(question: SurveyQuestion, locale: str) -> str:
    text = localised(question.text, locale)
    if question.required:
        return text
    optional = _l("(optional)")
    return f"{text} {optional}"


def question_field(question: SurveyQuestion, locale: str) -> Any:
    """The WTForms field for one question, labelled in ``locale`` (falling back to English)."""
    label = _label(question, locale)
    if question.kind == "rating":
        return RadioField(
            label,
            choices=[SelectChoice(value, value) for value in RATINGS],
            description=_l("1 means very poor and 5 means very good."),
            validate_choice=False,
        )
    if question.kind == "yes_partly_no":
        return RadioField(
            label, choices=[SelectChoice(v, text) for v, text in YES_PARTLY_NO_LABELS.items()], validate_choice=False
        )
    options = [SelectChoice(o["value"], localised(o["label"], locale)) for o in question.options]
    if question.kind == "single":
        return RadioField(label, choices=options, validate_choice=False)
    if question.kind == "multiple":
        return CheckboxesField(label, choices=options, description=_l("Select all that apply."), validate_choice=False)
    return TextAreaField(label)


def answer_form(
    questions: Sequence[SurveyQuestion], locale: str, saved: dict[int, Any], formdata: Any = None
) -> FlaskForm:
    """A form with one field per question shown, filled with the answers already given."""
    fields = {answers.field_name(q): question_field(q, locale) for q in questions}
    form_class = type("SurveyAnswerForm", (FlaskForm,), {"shown": HiddenField(), **fields})
    data = {answers.field_name(q): saved.get(q.id) for q in questions}
    data["shown"] = " ".join(str(q.id) for q in questions)
    return form_class(formdata=formdata, data=data)


def _problem(error: Invalid | Conflict) -> Any:
    expired = isinstance(error, Conflict) or error.code == "expired"
    return render_template("surveys/link_problem.html", expired=expired), 410 if expired else 400


def _open(token: str) -> SurveyInvitation | tuple[Any, int]:
    try:
        invitation = invitations.open_invitation(token)
    except (Invalid, Conflict) as error:
        return _problem(error)
    speak_as(invitation.user)  # the page speaks the language the email was written in
    return invitation


def _render(
    invitation: SurveyInvitation, form: FlaskForm, questions: Sequence[SurveyQuestion], locale: str, **extra: Any
) -> Any:
    survey: Survey = invitation.survey
    change = impact.change_of_invitation(invitation.id)
    return render_template(
        "surveys/answer.html",
        survey=survey,
        change_title=localised(change.title, locale) if change is not None else None,
        change_lang=None if change is None or change.title.get(locale) else "en",
        title=localised(survey.title, locale),
        description=localised(survey.description, locale),
        form=form,
        field_names=[answers.field_name(q) for q in questions],
        **extra,
    )


@bp.route("/s/<token>", methods=["GET"])
def answer(token: str) -> Any:
    """Show the survey. With ``?a=<value>`` (a one-click answer in the email) that answer to the first question is
    chosen on the page, and nothing is recorded until the person presses send: mail scanners that open every link
    in a message must not answer for them."""
    opened = _open(token)
    if not isinstance(opened, SurveyInvitation):
        return opened
    invitation = opened
    locale = str(get_locale() or "en")
    channel = request.args.get("c") if request.args.get("c") in CHANNELS else "email"
    questions = questions_of(invitation.survey)
    if not questions:
        abort(404)
    one_click = request.args.get("a")
    error = None
    saved = answers.saved_answers(answers.response_for(invitation))
    if one_click:
        problems = answers.check_answers(questions[:1], {questions[0].id: one_click}, final=False)
        if problems:
            error = problems[0]
        else:
            saved[questions[0].id] = one_click
    shown = answers.visible_questions(questions, saved)
    form = answer_form(shown, locale, saved)
    if error is not None:
        add_error(form, error)
    chosen = bool(one_click) and error is None
    status = 400 if error else 200
    return _render(invitation, form, shown, locale, chosen=chosen, channel=channel), status


@bp.route("/surveys/<int:invitation_id>")
@login_required
def signed_in_answer(invitation_id: int) -> Any:
    """Open one of the viewer's own invitations after signing in: the way in from a portal message or
    a letter, which never carry the personal link. Anyone else's invitation is not found."""
    invitation = SurveyInvitation.get_or_none(SurveyInvitation.id == invitation_id)
    if invitation is None or invitation.user_id != current_user.user.id:  # type: ignore[attr-defined]
        abort(404)
    channel = "post" if request.args.get("via") == "letter" else "portal"
    return redirect(f"/s/{invitations.invitation_token(invitation)}?c={channel}")


def _posted(form: FlaskForm, questions: Sequence[SurveyQuestion]) -> dict[int, Any]:
    posted: dict[int, Any] = {}
    for question in questions:
        name = answers.field_name(question)
        posted[question.id] = (
            request.form.getlist(name) if question.kind == "multiple" else (request.form.get(name) or "")
        )
    return posted


@bp.route("/s/<token>", methods=["POST"])
def submit(token: str) -> Any:
    """Save the answers. If they reveal more questions, show those; otherwise finish."""
    opened = _open(token)
    if not isinstance(opened, SurveyInvitation):
        return opened
    invitation = opened
    locale = str(get_locale() or "en")
    channel = request.args.get("c") if request.args.get("c") in CHANNELS else "email"
    questions = questions_of(invitation.survey)
    shown_ids = {int(part) for part in (request.form.get("shown") or "").split() if part.isdigit()}
    asked = [q for q in questions if q.id in shown_ids]
    check = FlaskForm()
    if not check.validate_on_submit():
        abort(400)
    posted = _posted(check, asked)
    problems = answers.check_answers(questions, posted, final=False)
    if not problems:
        answers.record_answers(invitation, posted, locale, channel)
        saved = answers.saved_answers(answers.response_for(invitation))
        now_shown = answers.visible_questions(questions, saved)
        if any(q.id not in shown_ids for q in now_shown):
            form = answer_form(now_shown, locale, saved)
            return _render(invitation, form, now_shown, locale, more=True, channel=channel)
        problems = answers.check_answers(questions, {q.id: saved.get(q.id) for q in now_shown}, final=True)
        if not problems:
            answers.record_answers(invitation, {q.id: saved.get(q.id) for q in now_shown}, locale, channel, final=True)
            return render_template("surveys/thanks.html", title=localised(invitation.survey.title, locale))
        asked = now_shown
    form = answer_form(asked, locale, {}, formdata=request.form)
    for problem in problems:
        if hasattr(form, problem.field):
            add_error(form, problem)
    return _render(invitation, form, asked, locale, channel=channel), 400
