"""Console pages for the letters-and-leaflets review: the documents under a review, members' proposed wording, the
panel's decision recorded for it, and adopting approved wording as the message wording or the enclosed leaflet."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.config import LANGUAGE_NAMES
from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.notifications.outgoing import CHANNEL_NAMES
from portal.forms import show_problem

MESSAGE_CHANNELS = ("email", "sms", "letter", "portal")
STATUS_NAMES = {
    "proposed": _l("Proposed"),
    "approved": _l("Approved by the panel"),
    "adopted": _l("Adopted: the wording in use"),
    "declined": _l("Not taken forward"),
}


class DocumentForm(FlaskForm):
    kind = RadioField(
        _l("What the panel reviews"),
        choices=[SelectChoice("wording", _l("A message's wording")), SelectChoice("leaflet", _l("A stage's leaflet"))],
        validators=[DataRequired(_l("Choose a message or a leaflet."))],
    )
    title = StringField(
        _l("Title"),
        description=_l("What members know it by, for example Stage 1 acknowledgement letter."),
        validators=[DataRequired(_l("Give the document a title.")), limit(200)],
    )
    event = SelectField(_l("Message (for wording)"), validators=[Optional()], validate_choice=False)
    channel = SelectField(_l("Channel (for wording)"), validators=[Optional()], validate_choice=False)
    stage = SelectField(_l("Stage (for a leaflet)"), validators=[Optional()], validate_choice=False)
    note = TextAreaField(_l("What to look at (optional)"), validators=[Optional(), limit(2000)], render_kw={"rows": 3})


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is not taken forward"),
        validators=[DataRequired(_l("Say why the wording is not taken forward.")), limit(2000)],
        render_kw={"rows": 2},
    )


class AdoptLeafletForm(FlaskForm):
    file = FileField(_l("PDF of the leaflet made from the approved words"))
    title = StringField(_l("Leaflet title (optional)"), validators=[Optional(), limit(200)])


def _choices(form: DocumentForm) -> None:
    data = operations.run("ConsoleDocumentChoices")
    form.event.choices = [SelectChoice("", "")] + [
        SelectChoice(e["name"], f"{e['name']}: {e['description']}")
        for e in data["messageEvents"]
        if not e["name"].startswith("block.")
    ]
    form.channel.choices = [SelectChoice("", "")] + [SelectChoice(c, CHANNEL_NAMES[c]) for c in MESSAGE_CHANNELS]
    form.stage.choices = [SelectChoice("", "")] + [
        SelectChoice(s["id"], f"{r['name']}: {s['name']}") for r in data["regimes"]["nodes"] for s in r["stages"]
    ]


@bp.route("/panels/documents")
@roles_required(*STAFF)
def panel_documents() -> Any:
    """The reviews of letters and leaflets, newest first."""
    reviews = operations.run("ConsoleLettersReviews")["lettersReviews"]
    return render_template("console/panels/documents.html", reviews=reviews)


def _review_page(review_id: int, form: DocumentForm, status: int = 200, errors: dict | None = None) -> Any:
    data = operations.run("ConsoleReviewDocuments", {"review": str(review_id)})
    review = next((r for r in data["lettersReviews"] if r["id"] == str(review_id)), None)
    if review is None:
        abort(404)
    return render_template(
        "console/panels/review_documents.html",
        review=review,
        documents=data["reviewDocuments"]["nodes"],
        form=form,
        decline_form=DeclineForm(formdata=None),
        adopt_form=AdoptLeafletForm(formdata=None),
        status_names=STATUS_NAMES,
        channel_names=CHANNEL_NAMES,
        language_names=LANGUAGE_NAMES,
        errors=errors or {},
    ), status


@bp.route("/panels/reviews/<int:review_id>/documents", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_review_documents(review_id: int) -> Any:
    """A review's documents with their proposals, and a form to put another document under review."""
    form = DocumentForm()
    _choices(form)
    if request.method == "GET":
        form.kind.data = "wording"
        return _review_page(review_id, form)
    status = 400
    if form.validate_on_submit():
        variables = {
            "reviewId": str(review_id),
            "kind": form.kind.data,
            "title": form.title.data,
            "event": form.event.data or "",
            "channel": form.channel.data or "",
            "stageId": form.stage.data or None,
            "note": form.note.data or "",
        }
        result = operations.run_mutation("ConsoleReviewDocumentAdd", {"input": variables})
        if result.problem is None:
            flash(_("The document is under review: members can now propose wording for it."), "success")
            return redirect(url_for("console.panel_review_documents", review_id=review_id))
        show_problem(form, result.problem, {"stageId": "stage"})
        status = result.status
    return _review_page(review_id, form, status)


@bp.route("/panels/reviews/<int:review_id>/proposals/<int:proposal_id>/<action>", methods=["POST"])
@roles_required(*STAFF)
def panel_proposal_decide(review_id: int, proposal_id: int, action: str) -> Any:
    """Record the panel's approval or decline of proposed wording, or adopt approved wording."""
    variables: dict[str, Any] = {"id": str(proposal_id)}
    if action == "approve":
        if not EmptyForm().validate_on_submit():
            abort(400)
        name, done = "ConsoleDocumentProposalApprove", _("The panel's approval is recorded.")
    elif action == "decline":
        decline = DeclineForm()
        if not decline.validate_on_submit():
            flash(_("Say why the wording is not taken forward."), "error")
            return redirect(url_for("console.panel_review_documents", review_id=review_id))
        variables["reason"] = decline.reason.data
        name, done = "ConsoleDocumentProposalDecline", _("The wording is recorded as not taken forward.")
    elif action == "adopt":
        adopt = AdoptLeafletForm()
        if not adopt.validate_on_submit():
            abort(400)
        if adopt.file.data:
            variables["file"] = adopt.file.data
            variables["title"] = adopt.title.data or ""
        name, done = "ConsoleDocumentProposalAdopt", _("The panel's wording is adopted and is now in use.")
    else:
        abort(404)
    result = operations.run_mutation(name, {"input": variables})
    if result.problem is None:
        flash(done, "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.panel_review_documents", review_id=review_id))
