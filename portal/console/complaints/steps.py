"""The steps of the complaint journey as the case page offers them: the form and the input.

A step's form shows when the complaint's ``availableSteps`` (the API's step table, for the viewer) lists
it; nothing here decides what can happen next.

Each step's form carries the step's name as its prefix, so that a dozen forms on one page never share an id.
They have no CSRF field of their own: CSRFProtect checks the page-wide ``csrf_token`` on every POST.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from backend.complaints import responses
from backend.complaints.progress import ombudsman_name
from backend.errors import Invalid
from backend.i18n import locale_for, translations
from backend.timeutil import LOCAL_ZONE, local_date
from portal.complaints import labels as case_labels
from portal.console.complaints import forms, notes
from portal.forms import add_error


@dataclass(frozen=True)
class Facts:
    """What the page and the steps need to know about the complaint's current stage."""

    final: bool
    points: list[dict[str, Any]]
    respond_running: bool
    extension_left: int
    next_steps: str
    # The steps the table lets the viewer take now (its names: "offer_mediation", "send_update"...).
    steps: frozenset[str]
    # The grounds of exclusion the complaint's procedure allows, and whether every extension needs a manager.
    refusal_grounds: tuple[str, ...] = ()
    extension_needs_manager: bool = False


def facts_of(case: dict[str, Any]) -> Facts:
    stage = case["stage"]
    regime = case["regime"]
    rules = next((s for s in regime["stages"] if s["number"] == stage), None)
    current = next((s for s in case["stages"] if s["number"] == stage), None)
    allowed = rules["maxExtensionDays"] if rules else 0
    used = current["extendedDays"] if current else 0
    final = stage >= regime["maxStages"]
    # The default is sent to the resident, so it is written in their language, not the handler's.
    reader = translations(locale_for((case.get("resident") or {}).get("locale") or case["contact"]["locale"]))
    if final:
        next_steps = reader.gettext(
            "This is our final answer. If you are not happy with it, you can ask the %(ombudsman)s to look at "
            "your complaint. %(details)s"
        ) % {
            "ombudsman": ombudsman_name(regime["ombudsmanName"], reader.gettext),
            "details": regime["ombudsmanDetails"],
        }
    else:
        next_steps = reader.gettext(
            "If you are not happy with our answer, you can ask us to look at your complaint again at stage "
            "%(next)s. Reply to this message, call us or write to us. You do not need to give a reason."
        ) % {"next": stage + 1}
    return Facts(
        final=final,
        points=[p for p in case["points"] if p["stage"] == stage],
        respond_running=any(
            c["stage"] == stage and c["kind"] == "respond" and c["status"] == "running" for c in case["clocks"]
        ),
        extension_left=max(allowed - used, 0),
        next_steps=next_steps,
        refusal_grounds=tuple(regime.get("refusalGrounds") or ()),
        extension_needs_manager=any(
            limit["number"] == stage and limit["extensionNeedsManager"] for limit in regime.get("limits") or ()
        ),
        steps=frozenset(item["step"].lower() for item in case["availableSteps"]),
    )


def has_field_errors(form: FlaskForm) -> bool:
    return any(f.errors for f in form)


def staff_choices(options: dict[str, Any], blank: Any) -> list[SelectChoice]:
    people = [SelectChoice(str(p["id"]), f"{p['displayName']} ({p['email']})") for p in options["staff"]]
    return [SelectChoice("", blank), *people]


@dataclass(frozen=True)
class Step:
    name: str
    form_class: Callable[[dict[str, Any], Facts], type[FlaskForm]]
    applies: Callable[[dict[str, Any], Facts], bool]
    variables: Callable[[Any, dict[str, Any], Facts], dict[str, Any] | None]
    operation: str
    message: Any
    defaults: Callable[[dict[str, Any], Facts], dict[str, Any]] | None = None
    configure: Callable[[Any, dict[str, Any], Facts], None] | None = None
    # Where the form shows each input path whose name differs from its fields' (see portal.forms.show_problem).
    fields: Callable[[Any, Facts], dict[str, str]] = lambda form, facts: {}
    # The input is built from rows checked here, not by WTForms; check them even when a field failed, so that
    # every mistake is listed at once.
    checks_rows: bool = False

    def build(self, case: dict[str, Any], options: dict[str, Any], facts: Facts, request: Any) -> Any:
        """The step's form: blank (with defaults) when ``request`` is None, else filled from the request."""
        kwargs: dict[str, Any] = {"prefix": self.name, "meta": {"csrf": False}}
        if request is None:
            kwargs["formdata"] = None
            kwargs["data"] = self.defaults(case, facts) if self.defaults else None
        form = self.form_class(case, facts)(**kwargs)
        if self.configure is not None:
            self.configure(form, options, facts)
        return form


def _text(form: Any, name: str) -> str:
    return (form[name].data or "").strip()


def _acknowledge(form: Any, case: dict[str, Any], facts: Facts) -> dict[str, Any] | None:
    points, complete = [], True
    for row in range(1, forms.ACKNOWLEDGE_ROWS + 1):
        text, outcome = _text(form, f"point_{row}"), _text(form, f"outcome_{row}")
        if text:
            points.append({"text": text, "outcomeSought": outcome})
        elif outcome:
            form[f"point_{row}"].errors.append(_("Write down the point this outcome is for."))
            complete = False
    if not points and complete:
        form.point_1.errors.append(_("Write down at least one point of the complaint."))
        complete = False
    if not complete:
        return None
    return {"points": points, "outcomesSought": form.outcomes_sought.data, "summary": form.summary.data or ""}


def _acknowledge_fields(form: Any, facts: Facts) -> dict[str, str]:
    """Each point sent (the rows with a point written, in order) on its row of the form."""
    rows = [row for row in range(1, forms.ACKNOWLEDGE_ROWS + 1) if _text(form, f"point_{row}")]
    found = {"points": "point_1"}
    for index, row in enumerate(rows):
        found |= {f"points[{index}].text": f"point_{row}", f"points[{index}].outcomeSought": f"outcome_{row}"}
    return found


# The rows of remedies and actions on the respond form: each input field and the form field it comes from.
REMEDY_PARTS = {
    "kind": "remedy_kind",
    "description": "remedy_description",
    "amount": "remedy_amount",
    "dueOn": "remedy_due",
    "ownerId": "remedy_owner",
}
ACTION_PARTS = {"description": "action_description", "dueOn": "action_due", "ownerId": "action_owner"}


def _respond_fields(form: Any, facts: Facts) -> dict[str, str]:
    """Each decision on its point's fields, and each remedy and action sent on the row it came from."""
    found = {"remedies": "remedy_kind_1", "actions": "action_description_1"}
    for index, point in enumerate(facts.points):
        found[f"decisions[{index}].decision"] = f"decision_{point['id']}"
        found[f"decisions[{index}].reasons"] = f"decision_reasons_{point['id']}"
    if facts.points:
        found["decisions"] = f"decision_{facts.points[0]['id']}"
    found |= _rows_sent(form, "remedies", REMEDY_PARTS, forms.REMEDY_ROWS)
    found |= _rows_sent(form, "actions", ACTION_PARTS, forms.ACTION_ROWS)
    return found


def _rows_sent(form: Any, name: str, parts: dict[str, str], rows: int) -> dict[str, str]:
    """``name[n].part`` for the n-th row used (as the input lists them), on that row's form fields."""
    used = [row for row in range(1, rows + 1) if _row_used(form, [f"{part}_{row}" for part in parts.values()])]
    return {
        f"{name}[{index}].{path}": f"{part}_{row}" for index, row in enumerate(used) for path, part in parts.items()
    }


def _row_used(form: Any, names: list[str]) -> bool:
    return any(_text(form, name) for name in names)


def _require(form: Any, name: str, message: str) -> bool:
    if _text(form, name):
        return True
    form[name].errors.append(message)
    return False


def _remedies(form: Any, earliest: dt.date) -> list[dict[str, Any]] | None:
    found: list[dict[str, Any]] = []
    complete = True
    for row in range(1, forms.REMEDY_ROWS + 1):
        names = [
            f"remedy_kind_{row}",
            f"remedy_description_{row}",
            f"remedy_amount_{row}",
            f"remedy_due_{row}",
            f"remedy_owner_{row}",
        ]
        if not _row_used(form, names):
            continue
        checks = [
            _require(form, names[0], _("Choose the kind of remedy.")),
            _require(form, names[1], _("Say what we will do.")),
            _check_amount(form, names[2], _text(form, names[0])),
            _require(form, names[3], _("Give the date it will be done by."))
            and _check_due(form, names[3], "remedies", earliest),
            _require(form, names[4], _("Choose who will do it.")),
        ]
        complete = complete and all(checks)
        amount = _text(form, names[2]) or None
        found.append(
            {
                "kind": _text(form, names[0]),
                "description": _text(form, names[1]),
                "amount": amount,
                "dueOn": _text(form, names[3]),
                "ownerId": _text(form, names[4]) or None,
            }
        )
    return found if complete else None


def _check_amount(form: Any, name: str, kind: str) -> bool:
    """Check the amount as the service does, so that a bad one is listed with the form's other mistakes."""
    if form[name].errors:
        return False
    try:
        amount = responses.parse_amount(_text(form, name))
        if kind == "financial_redress" and amount is None:
            raise Invalid("remedies", "amount_required")
    except Invalid as error:
        add_error(form, error, name)
        return False
    return True


def _check_due(form: Any, name: str, field: str, earliest: dt.date) -> bool:
    """Refuse a date before the complaint was made, or before today (UK time), as the service does (a malformed
    date is the form's)."""
    day = forms.parse_date(form[name].data)
    if form[name].errors or day is None or day >= max(earliest, local_date()):
        return not form[name].errors
    add_error(form, Invalid(field, "due_before_complaint" if day < earliest else "due_in_past"), name)
    return False


def _received_on(case: dict[str, Any]) -> dt.date:
    """The UK date the complaint's contact reached us: nothing promised can be due before it."""
    received = dt.datetime.fromisoformat(case["contact"]["receivedAt"])
    return local_date(received.astimezone(dt.UTC).replace(tzinfo=None))


def _actions(form: Any, earliest: dt.date) -> list[dict[str, Any]] | None:
    found: list[dict[str, Any]] = []
    complete = True
    for row in range(1, forms.ACTION_ROWS + 1):
        names = [f"action_description_{row}", f"action_due_{row}", f"action_owner_{row}"]
        if not _row_used(form, names):
            continue
        checks = [
            _require(form, names[0], _("Say what still needs doing.")),
            _require(form, names[1], _("Give the date it will be done by."))
            and _check_due(form, names[1], "actions", earliest),
            _require(form, names[2], _("Choose who will do it.")),
        ]
        complete = complete and all(checks)
        found.append(
            {
                "description": _text(form, names[0]),
                "dueOn": _text(form, names[1]),
                "ownerId": _text(form, names[2]) or None,
            }
        )
    return found if complete else None


def _respond(form: Any, case: dict[str, Any], facts: Facts) -> dict[str, Any] | None:
    earliest = _received_on(case)
    remedies, actions = _remedies(form, earliest), _actions(form, earliest)
    record = True
    upheld = any(form[f"decision_{p['id']}"].data in ("upheld", "partly_upheld") for p in facts.points)
    if facts.final or upheld:
        # Whatever went wrong needs its cause and its remedy recorded; the final answer also closes the complaint.
        record = all(
            [
                _require(form, "underlying_cause", _("Give the underlying cause.")),
                _require(form, "remedial_action", _("Give the remedial action.")),
            ]
        )
    if remedies is None or actions is None or not record:
        return None
    decisions = [
        {
            "pointId": point["id"],
            "decision": form[f"decision_{point['id']}"].data or "",
            "reasons": _text(form, f"decision_reasons_{point['id']}"),
        }
        for point in facts.points
    ]
    return {
        "decisions": decisions,
        "reasons": form.reasons.data,
        "nextSteps": form.next_steps.data,
        "remedies": remedies,
        "actions": actions,
        "underlyingCause": form.underlying_cause.data or "",
        "remedialAction": form.remedial_action.data or "",
    }


def _configure_assign(form: Any, options: dict[str, Any], facts: Facts) -> None:
    form.handler.choices = staff_choices(options, _l("Choose a member of staff"))


def _configure_respond(form: Any, options: dict[str, Any], facts: Facts) -> None:
    for row in range(1, forms.ACTION_ROWS + 1):
        form[f"action_owner_{row}"].choices = staff_choices(options, _l("Not chosen"))
    for row in range(1, forms.REMEDY_ROWS + 1):
        form[f"remedy_owner_{row}"].choices = staff_choices(options, _l("Not chosen"))


def _configure_extend(form: Any, options: dict[str, Any], facts: Facts) -> None:
    form.days.description = _(
        "Up to %(days)s working days are left within the procedure's limit for this stage. Beyond that, a "
        "manager who is not the case handler makes the extension, with a good reason.",
        days=facts.extension_left,
    )
    if facts.extension_needs_manager:
        form.days.description = _(
            "This procedure needs a manager's authorisation for every extension: a manager who is not the case "
            "handler makes it."
        )


def _configure_refuse(form: Any, options: dict[str, Any], facts: Facts) -> None:
    """Offer only the grounds of exclusion the complaint's own procedure allows."""
    form.ground.choices = forms.choices(
        {code: label for code, label in case_labels.REFUSAL_GROUNDS.items() if code in facts.refusal_grounds}
    )


def _extend(form: Any, case: dict[str, Any], facts: Facts) -> dict[str, Any]:
    return {
        "days": int(form.days.data.strip()),
        "reason": form.reason.data,
        "toldOn": form.told_on.data.strip(),
        "ombudsmanDetailsGiven": bool(form.ombudsman_details_given.data),
        "goodReason": form.good_reason.data or "",
        "backdateReason": form.backdate_reason.data or "",
    }


def _open(step: str) -> Callable[[dict[str, Any], Facts], bool]:
    """The step's form applies when the step table lists ``step`` for the viewer now."""
    return lambda case, facts: step in facts.steps


def _escalate(form: Any, case: dict[str, Any], facts: Facts) -> dict[str, Any]:
    variables: dict[str, Any] = {"reason": form.reason.data or ""}
    asked = dt.date.fromisoformat(form.requested_on.data.strip()) if (form.requested_on.data or "").strip() else None
    if asked is not None and asked != local_date():
        # A date only: the end of that day, which is never before an answer given that day; the clocks count
        # from the date, so the hour does not move them.
        moment = dt.datetime.combine(asked, dt.time(23, 59, 59), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)
        variables["requestedAt"] = moment.isoformat()
        variables["backdateReason"] = form.backdate_reason.data or ""
    return variables


def _fixed(cls: type[FlaskForm]) -> Callable[[dict[str, Any], Facts], type[FlaskForm]]:
    return lambda case, facts: cls


STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step(
            "acknowledge",
            lambda case, facts: forms.acknowledge_form_class(),
            _open("acknowledge"),
            _acknowledge,
            "ConsoleComplaintAcknowledge",
            _l("The complaint is acknowledged. The resident will be told, and the response deadline has started."),
            fields=_acknowledge_fields,
            checks_rows=True,
        ),
        Step(
            "assign",
            _fixed(forms.AssignForm),
            _open("assign"),
            lambda form, case, facts: {"handlerId": form.handler.data},
            "ConsoleComplaintAssign",
            _l("The case handler has been changed."),
            defaults=lambda case, facts: {"handler": (case["handler"] or {}).get("id", "")},
            configure=_configure_assign,
        ),
        Step(
            "extend",
            _fixed(forms.ExtendForm),
            # Open even when the procedure's limit is used: beyond it, a good reason and a manager are needed.
            _open("extend"),
            _extend,
            "ConsoleComplaintExtend",
            _l("The response deadline has been extended."),
            defaults=lambda case, facts: {"told_on": local_date().isoformat()},
            configure=_configure_extend,
        ),
        Step(
            "respond",
            lambda case, facts: forms.respond_form_class(facts.points, facts.final, facts.next_steps),
            _open("respond"),
            _respond,
            "ConsoleComplaintRespond",
            _l("The response has been issued. The resident will be sent it."),
            configure=_configure_respond,
            fields=_respond_fields,
            checks_rows=True,
        ),
        Step(
            "mediation",
            _fixed(forms.MediationForm),
            _open("offer_mediation"),
            lambda form, case, facts: {"note": form.note.data},
            "ConsoleComplaintOfferMediation",
            _l("The offer of mediation has been recorded."),
        ),
        Step(
            "escalate",
            _fixed(forms.EscalateForm),
            _open("escalate"),
            _escalate,
            "ConsoleComplaintEscalate",
            _l("The complaint has moved to the next stage. Assign a handler who did not handle the last stage."),
            defaults=lambda case, facts: {"requested_on": local_date().isoformat()},
            fields=lambda form, facts: {"requestedAt": "requested_on", "backdateReason": "backdate_reason"},
        ),
        Step(
            "close",
            _fixed(forms.CloseForm),
            _open("close"),
            lambda form, case, facts: {
                "underlyingCause": form.underlying_cause.data,
                "remedialAction": form.remedial_action.data,
            },
            "ConsoleComplaintClose",
            _l("The complaint is closed."),
            defaults=lambda case, facts: {
                "underlying_cause": case["underlyingCause"] or "",
                "remedial_action": case["remedialAction"] or "",
            },
        ),
        Step(
            "refuse",
            _fixed(forms.RefuseForm),
            _open("refuse"),
            lambda form, case, facts: {
                "ground": form.ground.data,
                "reasons": form.reasons.data,
                "ombudsmanDetailsGiven": bool(form.ombudsman_details_given.data),
            },
            "ConsoleComplaintRefuse",
            _l("The complaint will not be taken forward. The resident will be told why, with the Ombudsman's details."),
            configure=_configure_refuse,
        ),
        Step(
            "withdraw",
            _fixed(forms.WithdrawForm),
            _open("withdraw"),
            lambda form, case, facts: {"reason": form.reason.data or ""},
            "ConsoleComplaintWithdraw",
            _l("The complaint has been withdrawn."),
        ),
        Step(
            "refer",
            _fixed(forms.ReferForm),
            _open("refer"),
            lambda form, case, facts: {"reference": form.reference.data},
            "ConsoleComplaintReferToOmbudsman",
            _l("The referral to the Ombudsman has been recorded."),
        ),
        Step(
            "determination",
            _fixed(forms.DeterminationForm),
            _open("record_determination"),
            lambda form, case, facts: {
                "determination": form.determination.data,
                "orders": form.orders.data or "",
                "ordersDueOn": (form.orders_due_on.data or "").strip() or None,
            },
            "ConsoleComplaintRecordDetermination",
            _l("The Ombudsman's determination has been recorded."),
        ),
        Step(
            "words",
            _fixed(notes.ResidentWordsForm),
            _open("add_information"),
            notes.words_variables,
            "ConsoleComplaintAddInformation",
            _l("The resident's words are added to the case. The resident can see them."),
        ),
        Step(
            "note",
            _fixed(notes.NoteForm),
            _open("add_note"),
            notes.note_variables,
            "ConsoleComplaintAddNote",
            _l("The note is added. Only staff can see it."),
        ),
        Step(
            "update",
            _fixed(forms.UpdateForm),
            _open("send_update"),
            lambda form, case, facts: {"body": form.body.data},
            "ConsoleComplaintSendUpdate",
            _l("Your update has been sent to the resident."),
        ),
    ]
}


def action_complete_form(action_id: Any, request: Any) -> Any:
    """The note form for one outstanding action; its prefix keeps its ids apart from the other actions'."""
    kwargs: dict[str, Any] = {"prefix": f"action-{action_id}", "meta": {"csrf": False}}
    if request is None:
        kwargs["formdata"] = None
    return forms.ActionCompleteForm(**kwargs)
