"""Record a contact's resident's equality monitoring answers with their consent: /console/contacts/<id>/equality.

Staff never see the answers: the page asks every question afresh, and what they save replaces what was recorded.
The contact page shows only whether answers are recorded and how consent was given (``equality_status_for``).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from backend.context import STAFF_ROLES
from portal import operations
from portal.access import roles_required
from portal.accounts.equality import PROBLEM_FIELDS, PURPOSE, AnswersForm, add_questions, answers_input
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import date_field
from portal.forms import show_problem
from portal.security import current_actor

CONSENT_GIVERS = [
    SelectChoice("resident", _l("The resident")),
    SelectChoice(
        "representative", _l("Someone with legal authority to decide for them (such as a lasting power of attorney)")
    ),
]
CONSENT_METHODS = [
    SelectChoice("verbal", _l("Spoken, to me")),
    SelectChoice("written", _l("In writing")),
    SelectChoice("email", _l("By email")),
]
METHOD_NAMES = {
    "verbal": _l("spoken"),
    "written": _l("in writing"),
    "email": _l("by email"),
    "portal": _l("on the portal"),
}


class ContactAnswersForm(AnswersForm):
    consent_given_by = RadioField(
        _l("Who gave consent"), choices=CONSENT_GIVERS, validators=[InputRequired(_l("Choose who gave consent."))]
    )
    consent_method = RadioField(
        _l("How consent was given"),
        choices=CONSENT_METHODS,
        validators=[InputRequired(_l("Choose how consent was given."))],
    )
    consent_given_on = date_field(
        _l("Day consent was given"), required=_l("Give the day consent was given."), not_future=True
    )


def equality_status_for(contact_id: Any) -> dict[str, Any] | None:
    """Whether answers are recorded for the contact's resident (never the answers); None for non-staff."""
    if not current_actor().has_role(*STAFF_ROLES) or not contact_id:
        return None
    return operations.run("ConsoleContactEqualityStatus", {"contactId": str(contact_id)})["contactEqualityStatus"]


@bp.context_processor
def inject_equality_status() -> dict[str, Any]:
    return {"equality_status_for": equality_status_for, "consent_method_names": METHOD_NAMES}


def _page(contact_id: int, form: ContactAnswersForm, status: dict[str, Any], code: int = 200) -> Any:
    return render_template(
        "console/reports/contact_equality.html",
        contact_id=contact_id,
        form=form,
        status=status,
        purpose=PURPOSE,
        remove_form=EmptyForm(),
    ), code


@bp.route("/contacts/<int:contact_id>/equality", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_equality(contact_id: int) -> Any:
    status = equality_status_for(contact_id)
    if status is None:
        abort(404)
    form = ContactAnswersForm()
    add_questions(form)
    if form.validate_on_submit():
        variables = {
            "input": {
                "contactId": str(contact_id),
                "consentGivenBy": form.consent_given_by.data,
                "consentMethod": form.consent_method.data,
                "consentGivenOn": form.consent_given_on.data,
                "answers": answers_input(form),
            }
        }
        result = operations.run_mutation("ConsoleContactEqualityRecord", variables)
        if result.problem is None:
            flash(_("The answers have been recorded."), "success")
            return redirect(url_for("console.contact", contact_id=contact_id))
        show_problem(form, result.problem, PROBLEM_FIELDS)
    return _page(contact_id, form, status, 400 if form.is_submitted() else 200)


@bp.route("/contacts/<int:contact_id>/equality/remove", methods=["POST"])
@roles_required(*STAFF)
def contact_equality_remove(contact_id: int) -> Any:
    """Delete the answers, because the resident withdrew consent."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ConsoleContactEqualityRemove", {"input": {"contactId": str(contact_id)}})
    if result.problem is not None:
        flash(result.problem["message"], "error")
    else:
        flash(_("The answers have been deleted."), "success")
    return redirect(url_for("console.contact", contact_id=contact_id))
