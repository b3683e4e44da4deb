"""The Ombudsman's orders on a complaint: the list, recording an order, and recording that it was complied with.

Each action is its own page: the GET shows the form, the POST runs the API's mutation and goes back to the list
with a message. Recording compliance can't be undone, so it asks for a confirmation first.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired

from backend.complaints.order_items import MAX_ORDER
from backend.complaints.orders import MAX_EVIDENCE
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import date_field, limit
from portal.forms import show_problem


class OrderForm(FlaskForm):
    text = TextAreaField(
        _l("What the Ombudsman ordered"),
        description=_l("In the order's own words. Record each order on its own."),
        validators=[DataRequired(_l("Say what the Ombudsman ordered.")), limit(MAX_ORDER)],
    )
    due_on = date_field(
        _l("Date it is due by"),
        required=_l("Give the date the Ombudsman set for it."),
        description=_l("The case handler and their manager are told before and after this date until it is done."),
    )


class ComplyForm(FlaskForm):
    complied_on = date_field(
        _l("Date it was complied with"), required=_l("Give the date it was complied with."), not_future=True
    )
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l("What shows it was done, as sent to the Ombudsman: for example the letter, or the payment."),
        validators=[DataRequired(_l("Say what shows the order was complied with.")), limit(MAX_EVIDENCE)],
    )
    confirm = BooleanField(
        _l("I have checked: this order was complied with. This cannot be undone."),
        validators=[DataRequired(_l("Confirm that the order was complied with."))],
    )


def load_orders(complaint_id: int) -> dict[str, Any]:
    case = operations.run("ConsoleComplaintOrders", {"id": str(complaint_id)})["complaint"]
    if case is None:
        abort(404)
    return case


def _steps(case: dict[str, Any]) -> set[str]:
    return {item["step"].lower() for item in case["availableSteps"]}


@bp.route("/complaints/<int:complaint_id>/orders")
@roles_required(*STAFF)
def complaint_orders(complaint_id: int) -> Any:
    """The complaint's Ombudsman orders: each with its due date, and whether and when it was complied with."""
    case = load_orders(complaint_id)
    return render_template(
        "console/complaints/orders.html", case=case, steps=_steps(case), today=local_date().isoformat()
    )


@bp.route("/complaints/<int:complaint_id>/orders/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_order_new(complaint_id: int) -> Any:
    case = load_orders(complaint_id)
    if "record_order" not in _steps(case):
        abort(404)
    form = OrderForm()
    if form.validate_on_submit():
        variables = {"complaintId": str(complaint_id), "text": form.text.data, "dueOn": form.due_on.data.strip()}
        result = operations.run_mutation("ConsoleOmbudsmanOrderRecord", {"input": variables})
        if result.problem is None:
            flash(_("The Ombudsman's order is recorded. It will be followed up until it is complied with."), "success")
            return redirect(url_for("console.complaint_orders", complaint_id=complaint_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/complaints/order_new.html", case=case, form=form), status


@bp.route("/complaints/<int:complaint_id>/orders/<int:order_id>/comply", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_order_comply(complaint_id: int, order_id: int) -> Any:
    case = load_orders(complaint_id)
    order = next((item for item in case["ombudsmanOrderItems"] if item["id"] == str(order_id)), None)
    if order is None or order["compliedOn"] or "record_compliance" not in _steps(case):
        abort(404)
    form = ComplyForm(data=None if request.method == "POST" else {"complied_on": local_date().isoformat()})
    if form.validate_on_submit():
        variables = {"id": str(order_id), "compliedOn": form.complied_on.data.strip(), "evidence": form.evidence.data}
        result = operations.run_mutation("ConsoleOmbudsmanOrderComply", {"input": variables})
        if result.problem is None:
            flash(_("The order is recorded as complied with. Nobody will be told it is overdue."), "success")
            return redirect(url_for("console.complaint_orders", complaint_id=complaint_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/complaints/order_comply.html", case=case, order=order, form=form), status
