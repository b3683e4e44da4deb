"""Verify the phone number on the account: text a code to it, then type the code in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from backend.accounts import second_factor
from portal import operations
from portal.accounts.blueprint import bp
from portal.accounts.forms import EmptyForm
from portal.forms import show_problem

SENT = _l("We texted a 6-digit code to your number. It works for 10 minutes.")
NOT_SENT = _l("Press “Text me a code” first. We will text a 6-digit code to your number.")


class PhoneCodeForm(FlaskForm):
    code = StringField(
        _l("Code from the text message"),
        description=SENT,
        validators=[DataRequired(_l("Enter the code.")), Length(max=20)],
    )


@bp.app_context_processor
def account_security() -> dict[str, Callable[[], dict[str, Any]]]:
    """Give templates the account's phone and second-factor state, read only when a page asks."""

    def summary() -> dict[str, Any]:
        user = current_user.user
        return {
            "phone": user.phone,
            "phone_verified": user.phone_verified_at is not None,
            "second_factor": second_factor.is_enabled(user.id),
        }

    return {"account_security": summary}


def _page(form: PhoneCodeForm, status: int = 200) -> Any:
    viewer = operations.run("ViewerPhone")["viewer"]
    # Until a code is on its way, the hint says how to get one rather than that one was sent.
    form.code.description = SENT if viewer["phoneCodePending"] else NOT_SENT
    return render_template("accounts/phone.html", viewer=viewer, form=form, send_form=EmptyForm()), status


@bp.route("/account/phone", methods=["GET"])
@login_required
def phone() -> Any:
    return _page(PhoneCodeForm(formdata=None))


@bp.route("/account/phone/send", methods=["POST"])
@login_required
def phone_send() -> Any:
    """Text a code to the number on the account."""
    form = PhoneCodeForm(formdata=None)
    if not EmptyForm().validate_on_submit():
        return _page(form, 400)
    result = operations.run_mutation("ViewerPhoneCodeSend")
    if result.problem is not None:
        show_problem(form, result.problem)
        return _page(form, result.status)
    flash(_("We have texted a code to your number."), "success")
    return redirect(url_for("accounts.phone"))


@bp.route("/account/phone/verify", methods=["POST"])
@login_required
def phone_verify() -> Any:
    """Check the code and mark the number verified."""
    form = PhoneCodeForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    result = operations.run_mutation("ViewerPhoneVerify", {"input": {"code": form.code.data}})
    if result.problem is not None:
        show_problem(form, result.problem)
        return _page(form, 400)
    flash(_("Thank you. Your phone number is verified, so we can send you text messages."), "success")
    return redirect(url_for("accounts.profile"))
