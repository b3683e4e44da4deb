"""Console page for sign-in security (admins): require a second factor for staff, reset someone's.

It calls the second-factor services directly: second factors are credentials, kept out of the API.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from backend.accounts import second_factor
from backend.errors import DomainError
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console import bp
from portal.security import current_actor
from schema.messages import message_for


class RequirementForm(FlaskForm):
    required = BooleanField(
        _l("Require two-step sign-in for every case handler, manager and administrator"),
        description=_l("Staff who have not set it up are sent to do so before they can use the console."),
    )


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
    status = 400 if form.is_submitted() else 200
    form.required.data = second_factor.required_for_staff()
    return render_template(
        "console/security.html",
        form=form,
        staff=second_factor.staff_overview(current_actor()),
        reset_form=EmptyForm(),
    ), status


@bp.route("/security/<int:user_id>/reset", methods=["POST"])
@roles_required("admin")
def reset_second_factor(user_id: int) -> Any:
    """Turn off someone's second factor so they can set it up again; they are told by email."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        second_factor.reset(current_actor(), user_id)
    except DomainError as error:
        flash(message_for(error, _), "error")
    else:
        flash(_("Two-step sign-in is reset. The person has been told by email."), "success")
    return redirect(url_for("console.security"))
