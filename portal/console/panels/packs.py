"""Console pages for building a review's evidence pack: add items of each kind, draw a case sample, preview each
item's redacted copy, confirm or withdraw it, and answer the panel's evidence requests."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from backend.errors import NotFound
from backend.panels import packs
from backend.panels.access import visible_review
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from portal.panel.content import readable, words
from portal.panel.packs import KINDS, REQUEST_STATUSES
from portal.scrutiny_labels import REDACTED_HINT
from portal.security import current_actor

ITEM_STATUSES = {
    "draft": _l("Draft: check its redaction"),
    "confirmed": _l("In the pack"),
    "withdrawn": _l("Withdrawn"),
}
NOTE = _l("What it is and why it is in the pack (optional)")


class LinkForm(FlaskForm):
    title = StringField(_l("Title members see"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    url = StringField(_l("Web address"), description=_l("It must start with https://."), validators=[limit(2000)])
    note = TextAreaField(NOTE, description=REDACTED_HINT, validators=[Optional(), limit(5000)], render_kw={"rows": 3})


class DocumentForm(FlaskForm):
    title = StringField(_l("Title members see"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    file = FileField(_l("The file"), description=_l("A PDF, an office document or an image."))
    note = TextAreaField(NOTE, description=REDACTED_HINT, validators=[Optional(), limit(5000)], render_kw={"rows": 3})


class LessonForm(FlaskForm):
    lesson = SelectField(_l("Lesson"), validators=[DataRequired(_l("Choose a lesson."))])
    note = TextAreaField(NOTE, description=REDACTED_HINT, validators=[Optional(), limit(5000)], render_kw={"rows": 3})


class SurveyForm(FlaskForm):
    survey = SelectField(_l("Survey"), validators=[DataRequired(_l("Choose a survey."))])
    title = StringField(_l("Title members see (optional)"), validators=[Optional(), limit(200)])
    note = TextAreaField(NOTE, description=REDACTED_HINT, validators=[Optional(), limit(5000)], render_kw={"rows": 3})


class SnapshotForm(FlaskForm):
    report = SelectField(_l("Saved report"), validators=[DataRequired(_l("Choose a saved report."))])
    title = StringField(_l("Title members see (optional)"), validators=[Optional(), limit(200)])
    note = TextAreaField(NOTE, description=REDACTED_HINT, validators=[Optional(), limit(5000)], render_kw={"rows": 3})


class SampleForm(FlaskForm):
    period = StringField(
        _l("Closed in"),
        description=_l("A period: a year (2025/26), a quarter (2025/26-Q2) or a month (2026-03)."),
        validators=[DataRequired(_l("Give the period.")), limit(40)],
    )
    size = IntegerField(
        _l("How many cases"),
        validators=[DataRequired(_l("Give how many cases.")), NumberRange(1, 50, _l("Ask for 1 to 50 cases."))],
    )
    method = SelectField(
        _l("How"),
        choices=[
            SelectChoice("random", _l("At random")),
            SelectChoice("stratified", _l("At random within each service area")),
        ],
    )
    service_areas = SelectMultipleField(_l("Service areas (optional)"), validators=[Optional()], validate_choice=False)
    stage = IntegerField(_l("Stage reached (optional)"), validators=[Optional(), NumberRange(1, 5)])
    outcome = SelectField(
        _l("Outcome of the last response (optional)"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("upheld", _l("Upheld")),
            SelectChoice("partly_upheld", _l("Partly upheld")),
            SelectChoice("not_upheld", _l("Not upheld")),
            SelectChoice("resolved", _l("Resolved")),
        ],
        validators=[Optional()],
    )
    seed = StringField(
        _l("Seed (optional)"),
        description=_l("Give an earlier sample's seed to draw the same cases again."),
        validators=[Optional(), limit(64)],
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is taken out"), validators=[DataRequired(_l("Give the reason.")), limit(2000)], render_kw={"rows": 3}
    )


class SupplyForm(FlaskForm):
    items = SelectMultipleField(_l("Pack items that supply it"), validators=[Optional()], validate_choice=False)
    answer = TextAreaField(
        _l("A note for the panel (optional)"), description=REDACTED_HINT, validators=[Optional(), limit(5000)]
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is declined"),
        description=REDACTED_HINT,
        validators=[DataRequired(_l("Give the reason.")), limit(5000)],
    )


class AskForm(FlaskForm):
    asked = TextAreaField(
        _l("What the panel asked for"), validators=[DataRequired(_l("Say what evidence the panel wants.")), limit(2000)]
    )
    due_on = DateField(_l("By when"), validators=[DataRequired(_l("Enter a real date, for example 2026-12-29."))])


def _review(review_id: int) -> Any:
    try:
        return visible_review(current_actor(), review_id)
    except NotFound:
        abort(404)


def _item(item_id: int) -> dict[str, Any]:
    found = operations.run("ConsolePackItem", {"id": str(item_id)})["packItem"]
    if found is None:
        abort(404)
    return found


def _form_page(form: FlaskForm, review: Any, heading: str, submit_label: str, upload: bool = False) -> str:
    return render_template(
        "console/panels/pack_form.html",
        form=form,
        review=review,
        heading=heading,
        submit_label=submit_label,
        upload=upload,
    )


def _submit(form: FlaskForm, review_id: int, operation: str, variables: dict[str, Any], fields: dict[str, str]) -> Any:
    """Run the mutation; back to the pack when it went through, else the form's status with its problems shown."""
    result = operations.run_mutation(operation, {"input": variables})
    if result.problem is None:
        flash(_("Added to the pack as a draft. Check its redaction, then confirm it."), "success")
        return None
    show_problem(form, result.problem, fields)
    return result.status


@bp.route("/panels/reviews/<int:review_id>/pack")
@roles_required(*STAFF)
def panel_pack(review_id: int) -> Any:
    """The pack builder: every item with its status, the samples drawn and the panel's evidence requests."""
    review = _review(review_id)
    found = operations.run("ConsolePack", {"review": str(review_id)})
    return render_template(
        "console/panels/pack.html",
        review=review,
        items=sorted(found["packItems"]["nodes"], key=lambda item: (item["position"], int(item["id"]))),
        requests=found["evidenceRequests"]["nodes"],
        samples=found["caseSamples"]["nodes"],
        kinds=KINDS,
        statuses=ITEM_STATUSES,
        request_statuses=REQUEST_STATUSES,
    )


def _add_page(
    review_id: int, form: FlaskForm, heading: str, operation: str, values: Any, fields: dict[str, str]
) -> Any:
    review = _review(review_id)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _submit(form, review_id, operation, {"reviewId": str(review_id), **values()}, fields)
            if status is None:
                return redirect(url_for("console.panel_pack", review_id=review_id))
        else:
            status = 400
    return _form_page(form, review, heading, _("Add it"), upload=isinstance(form, DocumentForm)), status


@bp.route("/panels/reviews/<int:review_id>/pack/link", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_pack_link(review_id: int) -> Any:
    """Add a web page."""
    form = LinkForm()
    values = lambda: {"title": form.title.data, "url": form.url.data or "", "note": form.note.data or ""}  # noqa: E731
    return _add_page(review_id, form, _("Add a web page"), "ConsolePackItemLinkAdd", values, {})


@bp.route("/panels/reviews/<int:review_id>/pack/document", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_pack_document(review_id: int) -> Any:
    """Add a file: a policy, a letter or a leaflet."""
    form = DocumentForm()

    def values() -> dict[str, Any]:
        upload = request.files.get("file")
        return {"title": form.title.data, "note": form.note.data or "", "file": upload if upload else None}

    fields = {"attachments": "file"}
    return _add_page(review_id, form, _("Add a document"), "ConsolePackItemDocumentAdd", values, fields)


@bp.route("/panels/reviews/<int:review_id>/pack/lesson", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_pack_lesson(review_id: int) -> Any:
    """Add a lesson as a redacted copy."""
    form = LessonForm()
    lessons = operations.run("ConsolePackChoices")["sharingChoices"]["lessons"]
    form.lesson.choices = [SelectChoice("", _("Choose a lesson"))] + [
        SelectChoice(x["id"], f"{x['reference']} {x['title']}") for x in lessons
    ]
    values = lambda: {"lessonId": form.lesson.data, "note": form.note.data or ""}  # noqa: E731
    return _add_page(review_id, form, _("Add a lesson"), "ConsolePackItemLessonAdd", values, {"lessonId": "lesson"})


@bp.route("/panels/reviews/<int:review_id>/pack/survey", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_pack_survey(review_id: int) -> Any:
    """Add a survey's results, frozen as figures."""
    form = SurveyForm()
    surveys = operations.run("ConsolePackChoices")["surveys"]["nodes"]
    form.survey.choices = [SelectChoice("", _("Choose a survey"))] + [
        SelectChoice(x["id"], (x["title"] or {}).get("en") or x["id"]) for x in surveys
    ]
    values = lambda: {"surveyId": form.survey.data, "title": form.title.data or "", "note": form.note.data or ""}  # noqa: E731
    return _add_page(
        review_id, form, _("Add survey results"), "ConsolePackItemSurveyAdd", values, {"surveyId": "survey"}
    )


@bp.route("/panels/reviews/<int:review_id>/pack/snapshot", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_pack_snapshot(review_id: int) -> Any:
    """Add a saved report's figures, frozen now."""
    form = SnapshotForm()
    reports = operations.run("ConsolePackChoices")["savedReports"]["nodes"]
    form.report.choices = [SelectChoice("", _("Choose a saved report"))] + [
        SelectChoice(x["id"], x["name"]) for x in reports
    ]
    values = lambda: {"reportId": form.report.data, "title": form.title.data or "", "note": form.note.data or ""}  # noqa: E731
    return _add_page(review_id, form, _("Add figures"), "ConsolePackItemSnapshotAdd", values, {"reportId": "report"})


@bp.route("/panels/reviews/<int:review_id>/pack/sample", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_pack_sample(review_id: int) -> Any:
    """Draw a sample of closed complaints; each becomes a draft case item."""
    review = _review(review_id)
    form = SampleForm()
    areas = operations.run("ConsolePackChoices")["serviceAreas"]["nodes"]
    form.service_areas.choices = [SelectChoice(x["id"], x["name"]) for x in areas]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {
                "reviewId": str(review_id),
                "period": form.period.data,
                "size": form.size.data,
                "method": form.method.data,
                "serviceAreaIds": form.service_areas.data or [],
                "stage": form.stage.data,
                "outcome": form.outcome.data or None,
                "seed": form.seed.data or "",
            }
            result = operations.run_mutation("ConsoleCaseSampleDraw", {"input": variables})
            if result.problem is None:
                flash(_("The sample is drawn. Check each case's redaction, then confirm it."), "success")
                return redirect(url_for("console.panel_pack", review_id=review_id))
            show_problem(form, result.problem, {"serviceAreaIds": "service_areas"})
            status = result.status
        else:
            status = 400
    return _form_page(form, review, _("Draw a case sample"), _("Draw the sample")), status


@bp.route("/panels/items/<int:item_id>")
@roles_required(*STAFF)
def panel_pack_item(item_id: int) -> Any:
    """An item as members will see it, with its confirmation or withdrawal."""
    item = _item(item_id)
    return render_template(
        "console/panels/pack_item.html",
        item=item,
        readable=readable(item.get("content")),
        words=words(),
        kinds=KINDS,
        statuses=ITEM_STATUSES,
        withdraw=WithdrawForm(),
    )


def _act(item_id: int, operation: str, variables: dict[str, Any], done: str) -> Any:
    result = operations.run_mutation(operation, {"input": {"id": str(item_id), **variables}})
    if result.problem is None:
        flash(done, "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.panel_pack_item", item_id=item_id))


@bp.route("/panels/items/<int:item_id>/confirm", methods=["POST"])
@roles_required(*STAFF)
def panel_pack_item_confirm(item_id: int) -> Any:
    """Confirm the item's redaction: members may now see it."""
    return _act(item_id, "ConsolePackItemConfirm", {}, _("Confirmed: the panel's members can now see it."))


@bp.route("/panels/items/<int:item_id>/withdraw", methods=["POST"])
@roles_required(*STAFF)
def panel_pack_item_withdraw(item_id: int) -> Any:
    """Take the item out of the pack, with the reason."""
    item = _item(item_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        variables = {"reason": form.reason.data}
        return _act(item_id, "ConsolePackItemWithdraw", variables, _("Taken out of the pack."))
    page = render_template(
        "console/panels/pack_item.html",
        item=item,
        readable=readable(item.get("content")),
        words=words(),
        kinds=KINDS,
        statuses=ITEM_STATUSES,
        withdraw=form,
    )
    return page, 400


@bp.route("/panels/items/<int:item_id>/move", methods=["POST"])
@roles_required(*STAFF)
def panel_pack_item_move(item_id: int) -> Any:
    """Move the item up or down the pack by one place."""
    item = _item(item_id)
    step = -1 if request.form.get("direction") == "up" else 1
    variables = {"id": str(item_id), "position": max(1, int(item["position"]) + step)}
    operations.run_mutation("ConsolePackItemMove", {"input": variables})
    return redirect(url_for("console.panel_pack", review_id=item["reviewId"]))


@bp.route("/panels/items/<int:item_id>/file")
@roles_required(*STAFF)
def panel_pack_item_file(item_id: int) -> Any:
    """A document item's file, for staff; never run by the browser."""
    try:
        found, stream = packs.open_item_file(current_actor(), item_id)
    except NotFound:
        abort(404)
    with stream:
        body = stream.read()
    response = Response(body, mimetype=found.media_type or "application/octet-stream")
    response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Evidence requests ---------------------------------------------------------------------------------------------


@bp.route("/panels/reviews/<int:review_id>/requests/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_request_new(review_id: int) -> Any:
    """Record a request the panel made at a meeting, by phone or on paper."""
    review = _review(review_id)
    form = AskForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"reviewId": str(review_id), "asked": form.asked.data, "dueOn": form.due_on.data.isoformat()}
            result = operations.run_mutation("ConsoleEvidenceRequestAsk", {"input": variables})
            if result.problem is None:
                flash(_("The request is recorded."), "success")
                return redirect(url_for("console.panel_pack", review_id=review_id))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    return _form_page(form, review, _("Record a request for evidence"), _("Record it")), status


def _answer_page(review_id: int, request_id: int, form: FlaskForm, operation: str, heading: str, values: Any) -> Any:
    review = _review(review_id)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            result = operations.run_mutation(operation, {"input": {"id": str(request_id), **values()}})
            if result.problem is None:
                flash(_("The answer is recorded; the panel can read it."), "success")
                return redirect(url_for("console.panel_pack", review_id=review_id))
            show_problem(form, result.problem, {"itemIds": "items"})
            status = result.status
        else:
            status = 400
    return _form_page(form, review, heading, _("Save the answer")), status


@bp.route("/panels/reviews/<int:review_id>/requests/<int:request_id>/supply", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_request_supply(review_id: int, request_id: int) -> Any:
    """Record a request as supplied by items of the pack."""
    form = SupplyForm()
    found = operations.run("ConsolePack", {"review": str(review_id)})["packItems"]["nodes"]
    form.items.choices = [SelectChoice(x["id"], x["title"]) for x in found if x["status"] != "withdrawn"]
    values = lambda: {"itemIds": form.items.data or [], "answer": form.answer.data or ""}  # noqa: E731
    heading = _("Supply the evidence asked for")
    return _answer_page(review_id, request_id, form, "ConsoleEvidenceRequestSupply", heading, values)


@bp.route("/panels/reviews/<int:review_id>/requests/<int:request_id>/decline", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_request_decline(review_id: int, request_id: int) -> Any:
    """Record a request as declined, with the reason."""
    form = DeclineForm()
    values = lambda: {"reason": form.reason.data}  # noqa: E731
    return _answer_page(review_id, request_id, form, "ConsoleEvidenceRequestDecline", _("Decline the request"), values)
