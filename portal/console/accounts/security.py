"""Console page for sign-in security (admins): require a second factor for staff, reset someone's.

It calls the second-factor services directly: second factors are credentials, kept out of the API.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Length

from backend.accounts import second_factor
from backend.accounts.users import find_user_by_email
from backend.context import STAFF_ROLES
from backend.errors import DomainError
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import bp
from portal.security import current_actor
from schema.error_texts import message_for


class RequirementForm(FlaskForm):
    required = BooleanField(
        _l("Require two-step sign-in for every case handler, manager and administrator"),
        description=_l("Staff who have not set it up are sent to do so before they can use the console."),
    )


class FindPersonForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("Anyone's: a resident, an advocate, a panel member or a member of staff."),
        validators=[DataRequired(_l("Enter the person's email address.")), Length(max=254)],
    )


def _security_page(form: RequirementForm, find_form: FindPersonForm, status: int = 200) -> Any:
    actor = current_actor()
    form.required.data = second_factor.required_for_staff()
    return render_template(
        "console/security.html",
        form=form,
        find_form=find_form,
        staff=second_factor.staff_overview(actor),
        own_id=actor.user_id,
        own_enabled=second_factor.is_enabled(actor.user_id or 0),
        # The reset search answers at an address that takes only forms.
        language_return=url_for("console.security"),
    ), status


@bp.route("/security", methods=["GET", "POST"])
@roles_required("admin")
def security() -> Any:
    """Show who on the staff has a second factor, and whether one is required."""
    form = RequirementForm()
    if form.validate_on_submit():
        second_factor.set_required_for_staff(current_actor(), bool(form.required.data))
        if form.required.data:
            flash(_("Two-step sign-in is now required for staff."), "success")
        else:
            flash(_("Two-step sign-in is no longer required for staff."), "success")
        return redirect(url_for("console.security"))
    return _security_page(form, FindPersonForm(formdata=None), 400 if form.is_submitted() else 200)


@bp.route("/security/reset", methods=["POST"])
@roles_required("admin")
def find_second_factor_to_reset() -> Any:
    """Find anyone by email address and go on to confirm resetting their second factor."""
    find_form = FindPersonForm()
    if find_form.validate_on_submit():
        person = find_user_by_email(find_form.email.data or "")
        if person is None:
            find_form.email.errors.append(_("There is no account with this email address."))
        else:
            try:
                second_factor.user_to_reset(current_actor(), person.id)
            except DomainError as error:
                find_form.email.errors.append(message_for(error, _))
            else:
                return redirect(url_for("console.reset_second_factor", user_id=person.id))
    return _security_page(RequirementForm(formdata=None), find_form, 400)


def _back_with_error(error: DomainError) -> Any:
    flash(message_for(error, _), "error")
    return redirect(url_for("console.security"))


@bp.route("/security/<int:user_id>/reset", methods=["GET", "POST"])
@roles_required("admin")
def reset_second_factor(user_id: int) -> Any:
    """Say what a reset does and ask to confirm (GET); turn the second factor off (POST). They are told by email."""
    try:
        person = second_factor.user_to_reset(current_actor(), user_id)
    except DomainError as error:
        return _back_with_error(error)
    if request.method == "GET":
        must_set_up = bool(person.role_names() & STAFF_ROLES) and second_factor.required_for_staff()
        return render_template("console/security_reset.html", person=person, must_set_up=must_set_up)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        second_factor.reset(current_actor(), user_id)
    except DomainError as error:
        return _back_with_error(error)  # another admin reset it meanwhile
    flash(_("Two-step sign-in is reset. The person has been told by email."), "success")
    return redirect(url_for("console.security"))
