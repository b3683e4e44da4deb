"""The resident's equality monitoring answers at /account/equality: give, change or withdraw them, with consent.

The words of each question and answer (``QUESTIONS``) are shared with the console's page for recording answers on a
contact, so that staff read out exactly what residents see.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField

from backend.reports.models import CHARACTERISTICS
from portal import operations
from portal.accounts.blueprint import bp
from portal.accounts.forms import EmptyForm
from portal.forms import show_problem
from portal.security import current_actor

#: What the answers are for, word for word wherever they are asked.
PURPOSE = _l(
    "We use these answers only to check that our complaints service treats everyone fairly. We report them only in "
    "groups of 5 or more people, so nobody can be picked out, and never publish or share them about you. Staff "
    "handling your complaint cannot see them. Every question is optional. You can change or remove your answers at "
    "any time."
)
NOT_ANSWERED = _l("Not answered")
PREFER_NOT = _l("Prefer not to say")

#: Each question and its answers, in the order the form asks them (the ONS's Census 2021 wording, shortened).
QUESTIONS: dict[str, tuple[Any, tuple[tuple[str, Any], ...]]] = {
    "age_band": (
        _l("What is your age?"),
        (
            ("age_16_24", _l("16 to 24")),
            ("age_25_34", _l("25 to 34")),
            ("age_35_44", _l("35 to 44")),
            ("age_45_54", _l("45 to 54")),
            ("age_55_64", _l("55 to 64")),
            ("age_65_74", _l("65 to 74")),
            ("age_75_plus", _l("75 or over")),
        ),
    ),
    "disability": (
        _l(
            "Are your day-to-day activities limited because of a health problem or disability that has lasted, or is "
            "expected to last, at least 12 months?"
        ),
        (
            ("limited_a_lot", _l("Yes, limited a lot")),
            ("limited_a_little", _l("Yes, limited a little")),
            ("not_limited", _l("No")),
        ),
    ),
    "gender_identity": (
        _l("Is the gender you identify with the same as your sex registered at birth?"),
        (("same", _l("Yes")), ("different", _l("No"))),
    ),
    "partnership": (
        _l("What is your legal marital or registered civil partnership status?"),
        (
            ("never", _l("Never married and never registered a civil partnership")),
            ("married", _l("Married")),
            ("civil_partnership", _l("In a registered civil partnership")),
            ("separated", _l("Separated, but still legally married or in a civil partnership")),
            ("divorced", _l("Divorced, or civil partnership dissolved")),
            ("widowed", _l("Widowed, or surviving civil partner")),
        ),
    ),
    "pregnancy": (
        _l("Are you pregnant, or have you given birth in the last 26 weeks?"),
        (("yes", _l("Yes")), ("no", _l("No"))),
    ),
    "ethnic_group": (
        _l("What is your ethnic group?"),
        (
            ("asian_indian", _l("Asian or Asian British: Indian")),
            ("asian_pakistani", _l("Asian or Asian British: Pakistani")),
            ("asian_bangladeshi", _l("Asian or Asian British: Bangladeshi")),
            ("asian_chinese", _l("Asian or Asian British: Chinese")),
            ("asian_other", _l("Asian or Asian British: any other Asian background")),
            ("black_caribbean", _l("Black, Black British, Caribbean or African: Caribbean")),
            ("black_african", _l("Black, Black British, Caribbean or African: African")),
            ("black_other", _l("Black, Black British, Caribbean or African: any other Black background")),
            ("mixed_white_black_caribbean", _l("Mixed or multiple ethnic groups: White and Black Caribbean")),
            ("mixed_white_black_african", _l("Mixed or multiple ethnic groups: White and Black African")),
            ("mixed_white_asian", _l("Mixed or multiple ethnic groups: White and Asian")),
            ("mixed_other", _l("Mixed or multiple ethnic groups: any other mixed or multiple background")),
            ("white_british", _l("White: English, Welsh, Scottish, Northern Irish or British")),
            ("white_irish", _l("White: Irish")),
            ("white_gypsy_traveller", _l("White: Gypsy or Irish Traveller")),
            ("white_roma", _l("White: Roma")),
            ("white_other", _l("White: any other White background")),
            ("other_arab", _l("Other ethnic group: Arab")),
            ("other_any", _l("Other ethnic group: any other ethnic group")),
        ),
    ),
    "religion": (
        _l("What is your religion?"),
        (
            ("none", _l("No religion")),
            ("christian", _l("Christian (all denominations)")),
            ("buddhist", _l("Buddhist")),
            ("hindu", _l("Hindu")),
            ("jewish", _l("Jewish")),
            ("muslim", _l("Muslim")),
            ("sikh", _l("Sikh")),
            ("other", _l("Any other religion or belief")),
        ),
    ),
    "sex": (_l("What is your sex?"), (("female", _l("Female")), ("male", _l("Male")))),
    "sexual_orientation": (
        _l("Which of the following best describes your sexual orientation?"),
        (
            ("straight", _l("Straight or heterosexual")),
            ("gay_lesbian", _l("Gay or lesbian")),
            ("bisexual", _l("Bisexual")),
            ("other", _l("Another sexual orientation")),
        ),
    ),
}
assert tuple(QUESTIONS) == tuple(CHARACTERISTICS), "every characteristic is asked, in the same order"


def answer_choices(name: str) -> list[tuple[str, Any]]:
    """A question's answers for a select: not answered first, prefer not to say last."""
    return [("", NOT_ANSWERED), *QUESTIONS[name][1], ("prefer_not_to_say", PREFER_NOT)]


def add_questions(form: FlaskForm) -> None:
    """Give each question's select its words and answers (the form classes declare the fields)."""
    for name, (question, _answers) in QUESTIONS.items():
        field = getattr(form, name)
        field.label.text = question
        field.choices = answer_choices(name)


def answers_input(form: FlaskForm) -> dict[str, str | None]:
    """The form's answers as the API takes them: a code, or null for not answered."""
    return {_camel(name): (getattr(form, name).data or None) for name in QUESTIONS}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class AnswersForm(FlaskForm):
    """The nine questions; ``add_questions`` gives each its words and answers."""

    age_band = SelectField(default="", validate_choice=True)
    disability = SelectField(default="", validate_choice=True)
    gender_identity = SelectField(default="", validate_choice=True)
    partnership = SelectField(default="", validate_choice=True)
    pregnancy = SelectField(default="", validate_choice=True)
    ethnic_group = SelectField(default="", validate_choice=True)
    religion = SelectField(default="", validate_choice=True)
    sex = SelectField(default="", validate_choice=True)
    sexual_orientation = SelectField(default="", validate_choice=True)


class OwnAnswersForm(AnswersForm):
    consent = BooleanField(
        _l(
            "I agree that the landlord may keep these answers, only for checking that its complaints service treats "
            "everyone fairly."
        )
    )


#: Where the API puts a problem, and the form field it goes on.
PROBLEM_FIELDS = {"answers": "age_band", **{f"answers.{_camel(name)}": name for name in QUESTIONS}}


def _page(form: OwnAnswersForm, profile: dict[str, Any] | None, status: int = 200) -> Any:
    return render_template(
        "accounts/equality.html", form=form, profile=profile, purpose=PURPOSE, withdraw_form=EmptyForm()
    ), status


def _own_profile() -> dict[str, Any] | None:
    return operations.run("ViewerEqualityProfile").get("viewerEqualityProfile")


def _resident_only() -> None:
    if not current_actor().has_role("resident"):
        abort(404)


@bp.route("/account/equality", methods=["GET", "POST"])
@login_required
def equality() -> Any:
    """The questions, with the purpose and the consent box; saving replaces the answers given before."""
    _resident_only()
    form = OwnAnswersForm()
    add_questions(form)
    profile = _own_profile()
    if not form.is_submitted() and profile is not None:
        for name in QUESTIONS:
            getattr(form, name).data = profile["answers"][_camel(name)] or ""
        form.consent.data = True
    if form.validate_on_submit():
        variables = {"input": {"consent": bool(form.consent.data), "answers": answers_input(form)}}
        result = operations.run_mutation("ViewerEqualityProfileSave", variables)
        if result.problem is None:
            flash(_("Thank you. Your answers have been saved."), "success")
            return redirect(url_for("accounts.profile", _anchor="equality-heading"))
        show_problem(form, result.problem, PROBLEM_FIELDS)
    return _page(form, profile, 400 if form.is_submitted() else 200)


@bp.route("/account/equality/withdraw", methods=["POST"])
@login_required
def equality_withdraw() -> Any:
    """Withdraw consent: every answer is deleted."""
    _resident_only()
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ViewerEqualityConsentWithdraw")
    if result.problem is not None:
        flash(result.problem["message"], "error")
    elif result.data.get("deleted"):
        flash(_("You have withdrawn your consent. We have deleted your answers."), "success")
    else:
        flash(_("You had no answers to delete."), "success")
    return redirect(url_for("accounts.profile", _anchor="equality-heading"))


@bp.app_context_processor
def account_equality() -> dict[str, Any]:
    """Give the account page whether the resident has given equality answers, read only when the page asks."""

    def summary() -> dict[str, Any] | None:
        if not current_actor().has_role("resident"):
            return None
        return {"profile": _own_profile()}

    return {"account_equality": summary}
