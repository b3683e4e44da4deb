"""Console pages for the involvement ledger: each panel's members' totals in a period, one member's entries with time
and expenses entered by hand, rewards to approve, what is waiting to be recorded, and the CSV for the landlord's
annual involvement report. Every page that shows rewards carries the benefits note."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, WholeNumber, limit, parse_date
from portal.exports import csv_download
from portal.forms import show_problem

MANAGERS = ("manager", "admin")
KIND_NAMES = {
    "meeting": _l("Meeting attended"),
    "review": _l("Review completed"),
    "hours": _l("Other time"),
    "document": _l("Letter or leaflet reviewed"),
    "expense": _l("Expense repaid"),
    "reward": _l("Reward"),
}


@bp.app_template_filter("pounds")
def pounds(pence: Any) -> str:
    """Pence as people read money: £25.00."""
    value = int(pence or 0)
    return f"£{value // 100:,}.{value % 100:02d}"


@bp.app_template_filter("hours")
def hours(minutes: Any) -> str:
    """Minutes as hours to one decimal place: 2.5."""
    return f"{int(minutes or 0) / 60:.1f}"


def period() -> tuple[str, str]:
    """The period asked for: by default this financial year (from 1 April) to today."""
    today = local_date()
    first = parse_date(request.args.get("from") or "") or dt.date(today.year - (today.month < 4), 4, 1)
    last = parse_date(request.args.get("to") or "") or today
    return first.isoformat(), last.isoformat()


@bp.route("/panels/ledger")
@roles_required(*STAFF)
def panel_ledger() -> Any:
    """Each member's involvement in a period, by panel, and the meetings and reviews waiting to be recorded."""
    start, end = period()
    data = operations.run("ConsoleLedger", {"start": start, "end": end})
    rows = data["involvementTotals"]
    panels = sorted({(row["panel"], row["panelName"]) for row in rows}, key=lambda p: p[1])
    chosen = request.args.get("panel") or ""
    shown = [row for row in rows if not chosen or row["panel"] == chosen]
    return render_template(
        "console/panels/ledger.html",
        rows=shown,
        panels=[{"id": pid, "name": name} for pid, name in panels],
        panel=chosen,
        start=start,
        end=end,
        waiting=data["involvementToRecord"],
    )


@bp.route("/panels/ledger.csv")
@roles_required(*STAFF)
def panel_ledger_export() -> Any:
    """The same totals as CSV, one row per member, for the annual involvement report."""
    start, end = period()
    chosen = request.args.get("panel") or None
    header = [
        _("Panel"),
        _("Member"),
        _("Period start"),
        _("Period end"),
        _("Meetings attended"),
        _("Reviews completed"),
        _("Hours given"),
        _("Letters and leaflets reviewed"),
        _("Expenses repaid (£)"),
        _("Rewards approved (£)"),
        _("Opted out of rewards"),
    ]

    def rows() -> Any:
        found = operations.run("ConsoleLedger", {"panel": chosen, "start": start, "end": end})["involvementTotals"]
        for row in found:
            yield [
                row["panelName"],
                row["memberName"],
                start,
                end,
                row["meetings"],
                row["reviews"],
                hours(row["minutes"]),
                row["documents"],
                f"{row['expensesPence'] / 100:.2f}",
                f"{row['rewardsPence'] / 100:.2f}",
                _("Yes") if row["rewardsOptOut"] else _("No"),
            ]

    return csv_download("involvement", header, rows)


@bp.route("/panels/ledger/record/<kind>/<int:item_id>", methods=["POST"])
@roles_required(*STAFF)
def panel_ledger_record(kind: str, item_id: int) -> Any:
    """Record a held meeting's attendance, or a completed review's participants, in the members' ledgers."""
    if kind == "meeting":
        result = operations.run_mutation("ConsolePanelMeetingAttendanceRecord", {"input": {"meetingId": str(item_id)}})
    elif kind == "review":
        result = operations.run_mutation("ConsolePanelReviewCompletionRecord", {"input": {"reviewId": str(item_id)}})
    else:
        abort(404)
    if result.problem is None:
        count = len(result.data.get("entries") or [])
        flash(_("%(count)s entries are recorded in the members' ledgers.", count=count), "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.panel_ledger"))


class InvolvementForm(FlaskForm):
    kind = RadioField(
        _l("What to record"),
        choices=[SelectChoice("hours", _l("Other time given")), SelectChoice("expense", _l("An expense repaid"))],
        validators=[DataRequired(_l("Choose time or an expense."))],
    )
    occurred_on = StringField(
        _l("Day"),
        validators=[DataRequired(_l("Give the day.")), IsoDate(not_future=True)],
        render_kw={"type": "date"},
    )
    minutes_given = StringField(
        _l("Time given, in minutes"),
        description=_l("For other time: 1 to 1,440 minutes. Leave it empty for an expense with no time."),
        validators=[Optional(), WholeNumber(0, 1440)],
        render_kw={"inputmode": "numeric"},
    )
    amount = StringField(
        _l("Expense, in pounds"),
        description=_l("For an expense only: for example 12.50. Expenses are kept apart from rewards."),
        validators=[Optional(), limit(10)],
        render_kw={"inputmode": "decimal"},
    )
    note = TextAreaField(
        _l("What it was for"),
        description=_l("Required for an expense, for example bus fares to the meeting."),
        validators=[Optional(), limit(2000)],
        render_kw={"rows": 3},
    )


def _pence(text: str | None) -> int | None:
    """Pounds typed as 12.50 or £12.50 in pence; None when it is not an amount."""
    raw = (text or "").strip().lstrip("£").replace(",", "")
    if not raw:
        return 0
    try:
        pounds_part, _dot, pence_part = raw.partition(".")
        if len(pence_part) > 2 or not pounds_part.isdigit() or (pence_part and not pence_part.isdigit()):
            return None
        return int(pounds_part) * 100 + int((pence_part or "0").ljust(2, "0"))
    except ValueError:
        return None


def _member(membership_id: int) -> dict[str, Any]:
    data = operations.run("ConsoleLedger", {"start": "2000-01-01", "end": local_date().isoformat()})[
        "involvementTotals"
    ]
    found = [row for row in data if row["membership"] == str(membership_id)]
    if not found:
        abort(404)
    return found[0]


@bp.route("/panels/ledger/members/<int:membership_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_ledger_member(membership_id: int) -> Any:
    """One member's ledger: every entry, their totals, and a form to add other time or an expense."""
    member = _member(membership_id)
    form = InvolvementForm()
    status = 200
    if request.method == "GET":
        form.occurred_on.data = local_date().isoformat()
        form.kind.data = "hours"
    elif form.validate_on_submit():
        amount = _pence(form.amount.data)
        if amount is None:
            form.amount.errors = [_("Enter the amount in pounds and pence, for example 12.50.")]
            status = 400
        else:
            variables = {
                "membershipId": str(membership_id),
                "kind": form.kind.data,
                "occurredOn": form.occurred_on.data,
                "minutesGiven": int(form.minutes_given.data or 0),
                "amountPence": amount,
                "note": form.note.data or "",
            }
            result = operations.run_mutation("ConsoleInvolvementRecord", {"input": variables})
            if result.problem is None:
                flash(_("The entry is recorded in the member's ledger."), "success")
                return redirect(url_for("console.panel_ledger_member", membership_id=membership_id))
            show_problem(form, result.problem, {"amountPence": "amount"})
            status = result.status
    else:
        status = 400
    entries = operations.run("ConsoleLedgerMember", {"membership": str(membership_id)})["involvementEntries"]
    return render_template(
        "console/panels/ledger_member.html",
        member=member,
        entries=entries["nodes"],
        form=form,
        kind_names=KIND_NAMES,
    ), status


@bp.route("/panels/rewards")
@roles_required(*STAFF)
def panel_rewards() -> Any:
    """Rewards waiting for a manager's approval."""
    waiting = operations.run("ConsoleRewardsWaiting")["involvementEntries"]["nodes"]
    return render_template("console/panels/rewards.html", rewards=waiting)


@bp.route("/panels/rewards/<int:entry_id>/approve", methods=["POST"])
@roles_required(*MANAGERS)
def panel_reward_approve(entry_id: int) -> Any:
    """Approve a reward someone else recorded; the member is thanked."""
    result = operations.run_mutation("ConsoleRewardApprove", {"input": {"id": str(entry_id)}})
    if result.problem is None:
        flash(_("The reward is approved, and the member has been thanked."), "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.panel_rewards"))
