"""Console pages for contacts: log one on a resident's behalf, read it, classify, offer the choice, merge, close."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from backend import config
from backend.complaints.intake import check_person
from backend.config import LANGUAGE_NAMES, text_direction
from backend.errors import Invalid
from backend.timeutil import LOCAL_ZONE, utcnow
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.cases import case_choices
from portal.console.complaints.forms import (
    BLANK,
    WRITE_BY,
    ClassifyForm,
    ContactForm,
    ContactPersonForm,
    MergeForm,
    parse_date,
)
from portal.forms import add_error, files_not_kept, show_problem

# The input paths that the contact form shows under another name (``person.email`` is ``person_email`` already).
CONTACT_FIELDS = {
    "residentId": "resident_email",
    "anonymous": "who",
    "receivedAt": "received_date",
    "person.representativeName": "representative_name",
    "person.representativeContact": "representative_contact",
    "serviceAreaId": "service_area",
    "categoryId": "category",
}
# The details of someone without an account, as the contact and person forms name them after ``person_``.
PERSON_KEYS = ("name", "phone", "email", "address", "postcode", "contact_channel")


def _taxonomy(form: Any, options: dict[str, Any]) -> None:
    form.service_area.choices = [BLANK, *(SelectChoice(str(a["id"]), a["name"]) for a in options["areas"])]
    form.category.choices = [BLANK, *(SelectChoice(str(c["id"]), c["name"]) for c in options["categories"])]


def _received_at(form: ContactForm) -> str | None:
    """The moment typed in UK time, in ISO form with its UK offset; None (with an error shown) if it is not usable.

    The form asks for UK time (Europe/London): GMT in winter, BST in summer. In the hour the clocks go back a
    time happens twice and the first (BST) is taken; in the hour they go forward a time does not exist and is
    read as GMT (01:30 GMT is 02:30 BST). The API turns the offset into UTC.
    """
    if form.received_date.errors or form.received_time.errors:
        return None
    day = parse_date(form.received_date.data)
    try:
        time = dt.time.fromisoformat((form.received_time.data or "").strip())
    except ValueError:
        form.received_time.errors.append(_("Enter a time on the 24-hour clock, for example 14:05."))
        return None
    if day is None:
        return None
    local = dt.datetime.combine(day, time, tzinfo=LOCAL_ZONE)
    if local.astimezone(dt.UTC).replace(tzinfo=None) > utcnow():
        form.received_time.errors.append(_("The time received cannot be in the future."))
        return None
    return local.isoformat()


def _resident_id(form: ContactForm) -> str | None:
    email = (form.resident_email.data or "").strip().lower()
    if not email or form.resident_email.errors:
        return None
    found = operations.run("ConsolePersonByEmail", {"email": email})["people"]["nodes"]
    if not found:
        form.resident_email.errors.append(
            _("There is no account with this email address. Choose “Someone without an account” instead.")
        )
        return None
    return str(found[0]["id"])


def _check_person(form: ContactForm) -> bool:
    """Check the details of someone without an account as the service will, each problem on its field."""
    if form.who.data != "person":
        return True
    person = {key: getattr(form, f"person_{key}").data or "" for key in PERSON_KEYS}
    try:
        check_person(person)
    except Invalid as error:
        for problem in error.problems:
            field = getattr(form, f"person_{problem.field}", None)
            if field is None or not field.errors:
                add_error(form, problem, f"person_{problem.field}")
        return False
    return True


def _contact_input(form: ContactForm) -> dict[str, Any] | None:
    """The ContactSubmitInput for the form, or None when a check here added an error to it.

    The checks run even when the form's own failed, so that every mistake is shown at once.
    """
    received_at = _received_at(form)
    resident_id = _resident_id(form) if form.who.data == "account" else None
    person_ok = _check_person(form)
    if received_at is None or (form.who.data == "account" and resident_id is None) or not person_ok:
        return None
    person = None
    if form.who.data == "person" or form.representative_kind.data:
        own = form.who.data == "person"  # Someone with an account (or anonymous) gives no details of their own.
        person = {
            key: (getattr(form, f"person_{key}").data or "") if own else ""
            for key in ("name", "email", "phone", "address", "postcode")
        }
        person["contactChannel"] = (form.person_contact_channel.data or "") if own else ""
        person["representativeName"] = form.representative_name.data or ""
        person["representativeContact"] = form.representative_contact.data or ""
    return {
        "channel": form.channel.data,
        "description": form.description.data,
        "residentId": resident_id,
        "anonymous": form.who.data == "anonymous",
        "nation": form.nation.data or None,
        "locale": form.locale.data,
        "receivedAt": received_at,
        "wantsToComplain": bool(form.wants_to_complain.data),
        "interpreterUsed": bool(form.interpreter_used.data),
        "interpreterService": (form.interpreter_service.data or "").strip() or None,
        "representativeKind": form.representative_kind.data or None,
        "representativeConsent": bool(form.representative_consent.data),
        "representativeConsentMethod": "recorded_by_staff" if form.representative_kind.data else None,
        "adjustments": form.adjustments.data or "",
        "vulnerabilities": form.vulnerabilities.data or [],
        "person": person,
        "serviceAreaId": form.service_area.data or None,
        "categoryId": form.category.data or None,
        "idempotencyKey": form.idempotency_key.data or None,
        # In-process, the werkzeug FileStorage objects are the uploads; empty file inputs are dropped downstream.
        "attachments": request.files.getlist("attachments"),
    }


@bp.route("/contacts/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_new() -> Any:
    """Log a contact on someone's behalf. Everything typed is kept when something needs fixing."""
    form = ContactForm()
    locales = config.current().enabled_locales
    form.locale.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in locales]
    _taxonomy(form, case_choices())
    status = 200
    if request.method == "GET":
        # The key is made once, when the form is first shown, so a second press of Submit logs nothing new.
        now = utcnow().replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE)
        form.idempotency_key.data = uuid.uuid4().hex
        form.received_date.data = now.date().isoformat()
        form.received_time.data = now.strftime("%H:%M")
    else:
        valid = form.validate_on_submit()
        variables = _contact_input(form)
        if valid and variables is not None:
            result = operations.run_mutation("ConsoleContactSubmit", {"input": variables})
            if result.problem is None:
                logged = result.data
                flash(
                    _("The contact has been logged. Its reference is %(reference)s.", reference=logged["reference"]),
                    "success",
                )
                if logged["filesNotKept"]:
                    flash(files_not_kept(logged["filesNotKept"]), "error")
                return redirect(url_for("console.contact", contact_id=logged["contact"]["id"]))
            show_problem(form, result.problem, CONTACT_FIELDS)
        status = 400
    chosen_files = [f for f in request.files.getlist("attachments") if f.filename]
    return render_template(
        "console/complaints/contact_new.html", form=form, files_lost=bool(chosen_files) and status != 200
    ), status


def load_contact(contact_id: int) -> dict[str, Any]:
    contact = operations.run("ConsoleContact", {"id": str(contact_id)})["contact"]
    if contact is None:
        abort(404)
    return contact


def _contact_forms(submitted: str | None = None) -> dict[str, Any]:
    """The contact page's forms, blank except the one named ``submitted``, which reads the request."""
    options = case_choices()
    made = {}
    for name, cls in (("classify", ClassifyForm), ("merge", MergeForm)):
        kwargs: dict[str, Any] = {"prefix": name, "meta": {"csrf": False}}
        if name != submitted:
            kwargs["formdata"] = None
        made[name] = cls(**kwargs)
    _taxonomy(made["classify"], options)
    return made


def _person_form(contact: dict[str, Any], submitted: bool = False) -> ContactPersonForm | None:
    """The form for the details of someone without an account, filled with what is recorded."""
    people = [p for p in contact["people"] if p["name"] or p["email"] or p["phone"] or p["address"]]
    if contact["anonymous"] or contact.get("resident") or not people:
        return None
    if submitted:
        return ContactPersonForm(prefix="person", meta={"csrf": False})
    recorded = people[0]
    data = {key: recorded["contactChannel" if key == "contact_channel" else key] or "" for key in PERSON_KEYS}
    return ContactPersonForm(prefix="person", meta={"csrf": False}, formdata=None, data=data)


def render_contact(contact_id: int, forms: dict[str, Any] | None = None, status: int = 200) -> Any:
    contact = load_contact(contact_id)
    forms = forms or _contact_forms()
    if "person" not in forms:
        forms["person"] = _person_form(contact)
    complaint = contact["complaints"][0] if contact["complaints"] else None
    # A service request the resident is dissatisfied with became a complaint of its own: it is not classified again.
    led_to_complaint = any(about["complaints"] for about in contact.get("complaintsAbout") or ())
    open_for_work = contact["status"] not in ("merged", "closed") and complaint is None and not led_to_complaint
    return render_template(
        "console/complaints/contact.html",
        contact=contact,
        complaint=complaint,
        forms=forms,
        can_classify=open_for_work,
        can_offer=open_for_work and contact["complaintOfferedAt"] is None,
        can_merge=open_for_work,
        can_close=complaint is None and contact["kind"] not in (None, "complaint") and contact["status"] == "open",
        words_dir=text_direction(contact["locale"]),
        language=LANGUAGE_NAMES.get(contact["locale"], contact["locale"]),
        write_by={choice.value: choice.label for choice in WRITE_BY},
    ), status


@bp.route("/contacts/<int:contact_id>")
@roles_required(*STAFF)
def contact(contact_id: int) -> Any:
    return render_contact(contact_id)


def _done(contact_id: int, result: operations.MutationResult, message: str) -> Any:
    """Flash and go back to the contact on success; otherwise flash the error and go back all the same."""
    if result.problem is None:
        flash(message, "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.contact", contact_id=contact_id))


@bp.route("/contacts/<int:contact_id>/classify", methods=["POST"])
@roles_required(*STAFF)
def contact_classify(contact_id: int) -> Any:
    forms = _contact_forms("classify")
    form = forms["classify"]
    if form.validate():
        variables = {
            "id": str(contact_id),
            "kind": form.kind.data,
            "reason": form.reason.data,
            "serviceAreaId": form.service_area.data or None,
            "categoryId": form.category.data or None,
            "nation": form.nation.data or None,
        }
        result = operations.run_mutation("ConsoleContactClassify", {"input": variables})
        if result.problem is None:
            opened = result.data["contact"]["complaints"]
            if opened:
                flash(
                    _(
                        "This is now complaint %(reference)s. Its deadlines have started.",
                        reference=opened[0]["reference"],
                    ),
                    "success",
                )
                return redirect(url_for("console.complaint", complaint_id=opened[0]["id"]))
            flash(_("The contact has been classified."), "success")
            return redirect(url_for("console.contact", contact_id=contact_id))
        if result.problem["code"] == "no_nation":
            form.nation.errors.append(result.problem["message"])  # shown on the field that fixes it
        else:
            show_problem(form, result.problem)
        return render_contact(contact_id, forms, result.status)
    return render_contact(contact_id, forms, 400)


@bp.route("/contacts/<int:contact_id>/person", methods=["POST"])
@roles_required(*STAFF)
def contact_person(contact_id: int) -> Any:
    """Correct or complete the details of someone without an account (each change is audited)."""
    form = _person_form(load_contact(contact_id), submitted=True)
    if form is None:
        abort(404)
    forms = {**_contact_forms(), "person": form}
    if form.validate():
        variables = {
            "contactId": str(contact_id),
            "name": form.name.data or "",
            "phone": form.phone.data or "",
            "email": form.email.data or "",
            "address": form.address.data or "",
            "postcode": form.postcode.data or "",
            "contactChannel": form.contact_channel.data or "",
        }
        result = operations.run_mutation("ConsoleContactPersonUpdate", {"input": variables})
        if result.problem is None:
            flash(_("Their details are saved. Messages use them from now on."), "success")
            return redirect(url_for("console.contact", contact_id=contact_id))
        show_problem(form, result.problem)
    return render_contact(contact_id, forms, 400)


@bp.route("/contacts/<int:contact_id>/offer", methods=["POST"])
@roles_required(*STAFF)
def contact_offer(contact_id: int) -> Any:
    result = operations.run_mutation("ConsoleContactOfferComplaint", {"input": {"id": str(contact_id)}})
    return _done(contact_id, result, _("We have recorded that they were offered the choice to make a complaint."))


@bp.route("/contacts/<int:contact_id>/close", methods=["POST"])
@roles_required(*STAFF)
def contact_close(contact_id: int) -> Any:
    """Close the contact, once staff have confirmed it (closing can't be undone)."""
    if not request.form.get("confirmed"):
        return confirm_page(contact_id, _("Close this contact"), _("Close the contact"), [])
    result = operations.run_mutation("ConsoleContactClose", {"input": {"id": str(contact_id)}})
    return _done(contact_id, result, _("The contact is closed."))


def confirm_page(
    contact_id: int, title: str, button: str, details: list[tuple[str, Any]], endpoint: str = "console.contact_close"
) -> Any:
    """The page that asks again before a step on a contact that can't be undone, with what was entered."""
    contact = operations.run("ConsoleContact", {"id": str(contact_id)})["contact"]
    if contact is None:
        abort(404)
    sent = [(key, value) for key, value in request.form.items(multi=True) if key not in ("csrf_token", "confirmed")]
    return render_template(
        "console/complaints/contact_confirm.html",
        contact=contact,
        title=title,
        button=button,
        details=details,
        sent=sent,
        action=url_for(endpoint, contact_id=contact_id),
    )


def _complaint_id(form: MergeForm) -> str | None:
    """The complaint a reference (or a number) names, or None with an error on the field."""
    typed = (form.complaint.data or "").strip()
    if not typed or form.complaint.errors:
        return None
    where = {"id": {"eq": typed}} if typed.isdigit() else {"reference": {"eq": typed.upper()}}
    found = operations.run("ConsoleComplaintLookup", {"where": where})["complaints"]["nodes"]
    if not found:
        form.complaint.errors.append(_("There is no complaint with this reference."))
        return None
    return str(found[0]["id"])


@bp.route("/contacts/<int:contact_id>/merge", methods=["POST"])
@roles_required(*STAFF)
def contact_merge(contact_id: int) -> Any:
    forms = _contact_forms("merge")
    form = forms["merge"]
    valid = form.validate()
    complaint_id = _complaint_id(form)  # looked up even when the reason is missing, so both show at once
    if not valid or complaint_id is None:
        return render_contact(contact_id, forms, 400)
    if not request.form.get("confirmed"):
        details = [(form.complaint.label.text, form.complaint.data), (form.reason.label.text, form.reason.data)]
        return confirm_page(contact_id, _("Merge into a complaint"), _("Merge"), details, "console.contact_merge")
    variables = {"id": str(contact_id), "complaintId": complaint_id, "reason": form.reason.data}
    result = operations.run_mutation("ConsoleContactMerge", {"input": variables})
    if result.problem is None:
        flash(_("The contact has been merged into the complaint. Its words are kept as written."), "success")
        return redirect(url_for("console.complaint", complaint_id=complaint_id))
    show_problem(form, result.problem)
    return render_contact(contact_id, forms, result.status)
