"""The workspace's letters-and-leaflets review: the documents under the member's panels' reviews, the wording in use,
the wording members proposed, a form to propose wording, and the chair's decision for the panel."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.config import LANGUAGE_NAMES, current
from backend.panels import documents as document_review
from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from portal.panel.blueprint import bp
from portal.security import current_actor

STATUS_NAMES = {
    "proposed": _l("Proposed"),
    "approved": _l("Approved by the panel"),
    "adopted": _l("Adopted: now in use"),
    "declined": _l("Not taken forward"),
}


class ProposalForm(FlaskForm):
    locale = SelectField(_l("Language of your wording"), validators=[DataRequired()], validate_choice=False)
    subject = StringField(
        _l("Subject line (optional)"),
        description=_l("For an email, letter or portal message. Leave it empty to keep the one in use."),
        validators=[Optional(), limit(500)],
    )
    text = TextAreaField(
        _l("Your proposed wording"),
        description=_l(
            "Keep the placeholders in double curly brackets, such as {{ name }}: they are filled in for each resident."
        ),
        validators=[DataRequired(_l("Write the wording you propose.")), limit(20_000)],
        render_kw={"rows": 10},
    )


@bp.route("/documents")
@roles_required("panel_member")
def documents() -> Any:
    """The reviews of letters and leaflets of the member's panels."""
    reviews = operations.run("PanelLettersReviews")["lettersReviews"]
    return render_template("panel/documents.html", reviews=reviews)


def _page(review_id: int, forms: dict[str, Any] | None = None, status: int = 200) -> Any:
    data = operations.run("PanelReviewDocuments", {"review": str(review_id)})
    review = next((r for r in data["lettersReviews"] if r["id"] == str(review_id)), None)
    if review is None:
        abort(404)
    found = data["reviewDocuments"]["nodes"]
    given = forms or {}
    for document in found:
        if document["id"] not in given:
            given[document["id"]] = _form(int(document["id"]))
            given[document["id"]].locale.data = current_locale()
            if document["kind"] == "wording":
                given[document["id"]].text.data = document["wordingInUse"]
    return render_template(
        "panel/review_documents.html",
        review=review,
        documents=found,
        forms=given,
        status_names=STATUS_NAMES,
        decide=EmptyForm(),
        may_decide=document_review.may_decide(current_actor(), review_id),
    ), status


def current_locale() -> str:
    """The viewer's language, as a locale code."""
    return str(get_locale() or "en")


def _form(document_id: int | None = None, formdata: Any = None) -> ProposalForm:
    form = ProposalForm(formdata=formdata, prefix=f"d{document_id}")
    form.locale.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in current().enabled_locales]
    return form


@bp.route("/reviews/<int:review_id>/documents")
@roles_required("panel_member")
def review_documents(review_id: int) -> Any:
    """The documents under one of the member's panels' reviews of letters and leaflets."""
    return _page(review_id)


@bp.route("/reviews/<int:review_id>/documents/<int:document_id>/propose", methods=["POST"])
@roles_required("panel_member")
def document_propose(review_id: int, document_id: int) -> Any:
    """Propose wording for a document under review."""
    form = _form(document_id, request.form)
    if form.validate_on_submit():
        variables = {
            "documentId": str(document_id),
            "locale": form.locale.data,
            "subject": form.subject.data or "",
            "text": form.text.data,
        }
        result = operations.run_mutation("PanelDocumentProposalSubmit", {"input": variables})
        if result.problem is None:
            flash(_("Thank you: your wording is with the panel."), "success")
            return redirect(url_for("panel.review_documents", review_id=review_id))
        if result.problem.get("__typename") == "NotFoundError":
            abort(404)
        show_problem(form, result.problem)
        return _page(review_id, {str(document_id): form}, result.status)
    return _page(review_id, {str(document_id): form}, 400)


@bp.route("/reviews/<int:review_id>/proposals/<int:proposal_id>/<action>", methods=["POST"])
@roles_required("panel_member")
def proposal_decide(review_id: int, proposal_id: int, action: str) -> Any:
    """The chair's (or vice-chair's) decision for the panel: approve proposed wording, or decline it with a reason."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    variables: dict[str, Any] = {"id": str(proposal_id)}
    if action == "approve":
        name, done = (
            "PanelDocumentProposalApprove",
            _("The panel's approval is recorded. Staff will adopt the wording."),
        )
    elif action == "decline":
        variables["reason"] = (request.form.get("reason") or "")[:2000]
        name, done = "PanelDocumentProposalDecline", _("The wording is recorded as not taken forward.")
    else:
        abort(404)
    result = operations.run_mutation(name, {"input": variables})
    if result.problem is None:
        flash(done, "success")
    elif result.problem.get("__typename") == "NotFoundError":
        abort(404)
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("panel.review_documents", review_id=review_id))
