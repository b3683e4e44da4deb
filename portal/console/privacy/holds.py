"""Console page for legal holds (admins): place one on a person or on a case, see those in force, lift one.

It calls the hold services directly: holds decide what erasure may touch, a matter for the landlord's
administrators alone, so they are kept out of the API (as second factors are).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from backend.accounts.models import User
from backend.accounts.users import find_user_by_email
from backend.complaints.models import Contact
from backend.errors import Conflict, DomainError, Invalid
from backend.privacy import holds
from backend.privacy.holds import MAX_REASON
from backend.timeutil import local_date
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import bp
from portal.security import current_actor
from schema.error_texts import message_for


class HoldForm(FlaskForm):
    email = EmailField(
        _l("Person's email address"),
        description=_l("To keep everything about one person. Leave it empty to hold one case instead."),
        validators=[Optional(), Length(max=254)],
    )
    reference = StringField(
        _l("Case reference"),
        description=_l("To keep one case, for example LL-2026-000042. Leave it empty to hold a person instead."),
        validators=[Optional(), Length(max=20)],
    )
    reason = TextAreaField(
        _l("Why the records must be kept"),
        description=_l("The claim, the proceedings or the request that needs them."),
        validators=[DataRequired(_l("Say why the records must be kept.")), Length(max=MAX_REASON)],
        render_kw={"rows": 3},
    )
    held_until = DateField(
        _l("Keep until (optional)"),
        description=_l("For example, 2027-12-31. Leave it empty to keep them until the hold is lifted."),
        validators=[Optional()],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if bool(self.email.data) == bool((self.reference.data or "").strip()):
            self.email.errors = [*self.email.errors, _("Give a person's email address or a case reference, not both.")]
            return False
        return valid


def _target(form: HoldForm) -> tuple[int | None, int | None]:
    """The person's or the case's id; a field error (the same for "not there" and "not yours") when not found."""
    if form.email.data:
        person = find_user_by_email(form.email.data)
        if person is None:
            form.email.errors = [_("There is no account with this email address.")]
            return None, None
        return person.id, None
    contact = Contact.get_or_none(Contact.reference == (form.reference.data or "").strip().upper())
    if contact is None:
        form.reference.errors = [_("There is no case with this reference.")]
        return None, None
    return None, contact.id


def _rows() -> list[dict[str, Any]]:
    """The holds in force, with what each keeps in words staff recognise."""
    rows = []
    for hold in holds.active_holds(local_date()):
        if hold.person_id is not None:  # type: ignore[attr-defined]
            person = User.get_by_id(hold.person_id)  # type: ignore[attr-defined]
            target = _("%(name)s (everything about them)", name=person.display_name)
        else:
            target = _("Case %(reference)s", reference=Contact.get_by_id(hold.contact_id).reference)  # type: ignore[attr-defined]
        rows.append({"hold": hold, "target": target})
    return rows


@bp.route("/privacy/holds", methods=["GET", "POST"])
@roles_required("admin", hidden=True)  # as the subject access pages
def legal_holds() -> Any:
    """List the holds in force (GET); place one (POST)."""
    form = HoldForm()
    if form.validate_on_submit():
        person_id, contact_id = _target(form)
        if person_id is not None or contact_id is not None:
            try:
                holds.place_hold(
                    current_actor(),
                    reason=form.reason.data or "",
                    person_id=person_id,
                    contact_id=contact_id,
                    held_until=form.held_until.data,
                )
            except Invalid as error:
                for problem in error.problems:
                    if problem.field == "held_until":
                        form.held_until.errors = [_("The end date can't be in the past.")]
                    else:
                        form.reason.errors = [message_for(problem, _)]
            else:
                flash(_("The legal hold is placed. Nothing it keeps will be erased until it ends."), "success")
                return redirect(url_for("console.legal_holds"))
    status = 400 if form.is_submitted() else 200
    return render_template("console/privacy/holds.html", form=form, rows=_rows()), status


@bp.route("/privacy/holds/<int:hold_id>/lift", methods=["POST"])
@roles_required("admin", hidden=True)  # as the subject access pages
def lift_legal_hold(hold_id: int) -> Any:
    """Lift a hold; what it kept is erased when its own period has passed."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        holds.lift_hold(current_actor(), hold_id)
    except Conflict:
        flash(_("This legal hold was already lifted."), "error")
    except DomainError as error:
        flash(message_for(error, _), "error")
    else:
        flash(_("The legal hold is lifted."), "success")
    return redirect(url_for("console.legal_holds"))
