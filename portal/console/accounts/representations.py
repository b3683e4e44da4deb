"""Console page for advocates: record a resident's consent for an advocate, see and revoke current ones."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.forms import show_problem

CONSENT_METHODS = [
    SelectChoice("written", _l("In writing")),
    SelectChoice("verbal", _l("Spoken (for example, on the phone)")),
    SelectChoice("email", _l("By email")),
    SelectChoice("portal", _l("On this website")),
]
RELATIONSHIPS = [
    SelectChoice("advocate", _l("Advocate")),
    SelectChoice("family", _l("Family member")),
    SelectChoice("friend", _l("Friend")),
    SelectChoice("carer", _l("Carer")),
    SelectChoice("support_worker", _l("Support worker")),
    SelectChoice("solicitor", _l("Solicitor")),
    SelectChoice("councillor", _l("Councillor or MP")),
    SelectChoice("other", _l("Someone else")),
]


class RepresentationForm(FlaskForm):
    resident_email = EmailField(
        _l("Resident's email address"),
        description=_l("The resident who agreed to someone acting for them."),
        validators=[DataRequired(_l("Enter the resident's email address.")), Length(max=254)],
    )
    advocate = SelectField(_l("Advocate"), validators=[DataRequired(_l("Choose the advocate."))])
    relationship = SelectField(_l("Relationship to the resident"), choices=RELATIONSHIPS, default="advocate")
    consent_method = RadioField(
        _l("How the resident gave consent"),
        choices=CONSENT_METHODS,
        validators=[DataRequired(_l("Choose how the resident gave consent."))],
    )


def _form(formdata: Any = "request") -> RepresentationForm:
    form = RepresentationForm() if formdata == "request" else RepresentationForm(formdata=None)
    advocates = operations.run("ConsoleAdvocates")["people"]["nodes"]
    form.advocate.choices = [
        SelectChoice("", _("Choose an advocate")),
        *(SelectChoice(str(a["id"]), f"{a['displayName']} ({a['email']})") for a in advocates),
    ]
    return form


def _resident_id(form: RepresentationForm) -> str | None:
    email = (form.resident_email.data or "").strip().lower()
    found = operations.run("ConsolePersonByEmail", {"email": email})["people"]["nodes"]
    if not found:
        form.resident_email.errors.append(_("There is no account with this email address."))
        return None
    return str(found[0]["id"])


@bp.route("/representations", methods=["GET", "POST"])
@roles_required(*STAFF)
def representations() -> Any:
    """Record consent for an advocate; list the consents in force, each with a button to revoke it."""
    form = _form()
    status = 200
    if form.validate_on_submit():
        resident_id = _resident_id(form)
        if resident_id is not None:
            variables = {
                "advocateId": form.advocate.data,
                "residentId": resident_id,
                "consentMethod": form.consent_method.data,
                "relationship": form.relationship.data,
            }
            result = operations.run_mutation("ConsoleRepresentationRecord", {"input": variables})
            if result.problem is None:
                flash(_("The consent is recorded. The resident and the advocate have been told."), "success")
                return redirect(url_for("console.representations"))
            show_problem(form, result.problem, {"residentId": "resident_email", "advocateId": "advocate"})
        status = 400
    elif form.is_submitted():
        status = 400
    current = operations.run("ConsoleRepresentations")["representations"]["nodes"]
    return render_template(
        "console/representations.html",
        form=form,
        representations=current,
        revoke_form=EmptyForm(),
        relationship_labels={choice.value: choice.label for choice in RELATIONSHIPS},
        consent_labels={choice.value: choice.label for choice in CONSENT_METHODS},
    ), status


@bp.route("/representations/<int:representation_id>/revoke", methods=["POST"])
@roles_required(*STAFF)
def revoke_representation(representation_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ConsoleRepresentationRevoke", {"input": {"id": str(representation_id)}})
    if result.problem is None:
        flash(_("The consent is revoked. The resident and the advocate have been told."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.representations"))
