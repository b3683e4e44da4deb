"""The workspace's evidence pages: a review's pack, one page per item (its view logged), the file of a document,
the panel's evidence requests, and the standing data.

A member reaches only their own panels' reviews and confirmed items: anything else is a 404, the same as a page that
is not there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length

from backend.errors import NotFound
from backend.panels import packs
from backend.panels.access import visible_review
from portal import operations
from portal.access import roles_required
from portal.forms import show_problem
from portal.panel.blueprint import bp
from portal.panel.content import readable, words
from portal.security import current_actor
from schema.access import PANEL_ROLES

KINDS = {
    "document": _l("Document"),
    "link": _l("Web page"),
    "survey": _l("Survey results"),
    "lesson": _l("Lesson"),
    "snapshot": _l("Figures"),
    "case": _l("Case"),
}
REQUEST_STATUSES = {"open": _l("Waiting"), "supplied": _l("Supplied"), "declined": _l("Declined")}


class AskForm(FlaskForm):
    asked = TextAreaField(
        _l("What evidence does the panel want?"),
        validators=[DataRequired(_l("Say what evidence the panel wants.")), Length(max=2000)],
        render_kw={"rows": 4},
    )
    due_on = DateField(
        _l("By when"),
        description=_l("For example, 2026-12-29."),
        validators=[DataRequired(_l("Enter a real date, for example 2026-12-29."))],
    )


def _review_or_404(review_id: int) -> Any:
    try:
        return visible_review(current_actor(), review_id)
    except NotFound:
        abort(404)


@bp.route("/reviews/<int:review_id>/pack")
@roles_required(*PANEL_ROLES)
def pack(review_id: int) -> Any:
    """The review's evidence pack: the items staff confirmed, in order."""
    review = _review_or_404(review_id)
    if current_actor().is_staff:  # staff see drafts too; here they see the pack as members do
        found = operations.run("ConsolePack", {"review": str(review_id)})["packItems"]["nodes"]
        items = sorted((i for i in found if i["status"] == "confirmed"), key=lambda i: (i["position"], int(i["id"])))
    else:
        items = operations.run("PanelPack", {"review": str(review_id)})["packItems"]["nodes"]
    return render_template("panel/pack.html", review=review, items=items, kinds=KINDS)


@bp.route("/items/<int:item_id>")
@roles_required(*PANEL_ROLES)
def item(item_id: int) -> Any:
    """One item of a pack, laid out to read; each view by a member is logged."""
    try:
        packs.open_item(current_actor(), item_id)
    except NotFound:
        abort(404)
    found = operations.run("PanelPackItem", {"id": str(item_id)})["packItem"]
    if found is None:
        abort(404)
    return render_template(
        "panel/item.html", item=found, readable=readable(found.get("content")), words=words(), kinds=KINDS
    )


@bp.route("/items/<int:item_id>/file")
@roles_required(*PANEL_ROLES)
def item_file(item_id: int) -> Any:
    """A document's file, for someone who may open the item; the view is logged. Never run by the browser."""
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


@bp.route("/reviews/<int:review_id>/requests", methods=["GET", "POST"])
@roles_required(*PANEL_ROLES)
def requests_page(review_id: int) -> Any:
    """The evidence the panel asked for, by when, and the answers; and a form to ask for more."""
    review = _review_or_404(review_id)
    form = AskForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            due: dt.date = form.due_on.data  # type: ignore[assignment]
            variables = {"reviewId": str(review_id), "asked": form.asked.data, "dueOn": due.isoformat()}
            result = operations.run_mutation("PanelEvidenceRequestAsk", {"input": variables})
            if result.problem is None:
                flash(_("The request is sent to staff."), "success")
                return redirect(url_for("panel.requests_page", review_id=review_id))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    found = operations.run("PanelRequests", {"review": str(review_id)})["evidenceRequests"]["nodes"]
    return render_template(
        "panel/requests.html", review=review, requests=found, form=form, statuses=REQUEST_STATUSES
    ), status


@bp.route("/standing")
@roles_required(*PANEL_ROLES)
def standing() -> Any:
    """The figures the panel always has before it, small numbers hidden."""
    data = operations.run("PanelStanding", {"period": None})["panelStandingData"]
    if data is None:
        abort(404)
    return render_template("panel/standing.html", data=data)
