"""The Tenant Satisfaction Measures on complaints in the console: CH01 and CH02 by tenure for a period, what they
leave out, the complaints behind each figure (each with what decided how it counts), and both as CSV."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backend.reports import tsm_report
from backend.reports.periods import Period, year_of
from backend.reports.tsm_complaints import MAX_ROWS, TsmList
from backend.timeutil import local_date
from portal import exports, operations
from portal.access import roles_required
from portal.complaints.labels import REFUSAL_GROUNDS
from portal.console.blueprint import STAFF, bp
from portal.console.reports.document_pages import DocumentPage, document_pages
from portal.console.reports.periods import chosen_period, period_label, recent_periods

TENURE_NAMES = {
    "rented": _l("Low-cost rental"),
    "shared_ownership": _l("Low-cost home ownership"),
    None: _l("Both together"),
}
MEASURES = (
    ("ch01Stage1", "CH01(1)", _l("Stage 1 complaints received per 1,000 homes"), "received", 1),
    ("ch01Stage2", "CH01(2)", _l("Stage 2 complaints received per 1,000 homes"), "received", 2),
    ("ch02Stage1", "CH02(1)", _l("Stage 1 complaints responded to within the Code's timescales"), "responded", 1),
    ("ch02Stage2", "CH02(2)", _l("Stage 2 complaints responded to within the Code's timescales"), "responded", 2),
)
LIST_NAMES = {
    "received": _l("Complaints received that CH01 counts"),
    "responded": _l("Complaints responded to that CH02 counts"),
    "late": _l("Complaints responded to outside the Code's timescales"),
    "refused": _l("Complaints refused under a ground of exclusion (left out of CH01)"),
    "refused_escalations": _l("Escalations refused under a ground of exclusion"),
    "no_home": _l("Complaints about no home on record (a data-quality exception)"),
}
TENURES = ("rented", "shared_ownership")


def published_text(figure: dict[str, Any], percent: bool) -> str:
    """A figure as published, in the reader's number format: "22.5", "50.0%", or "no value"."""
    if figure["published"] is None:
        return _("no value")
    number = format_decimal(Decimal(figure["published"]), format="#,##0.0")
    return _("%(number)s%%", number=number) if percent else number


def working_text(figure: dict[str, Any], percent: bool) -> str:
    """How a figure is worked out: "45 ÷ 2,000 × 1,000" or "2 of 4"."""
    numerator = format_decimal(figure["numerator"])
    if figure["denominator"] is None:
        return _("%(count)s received; the homes at the year's end are not entered", count=numerator)
    denominator = format_decimal(figure["denominator"])
    if percent:
        return _("%(met)s of %(all)s", met=numerator, all=denominator)
    return _("%(count)s ÷ %(homes)s homes × 1,000", count=numerator, homes=denominator)


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, code, name, kind, stage in MEASURES:
        percent = kind == "responded"
        cells = []
        for tenure in report["tenures"]:
            figure = tenure[key]
            cells.append(
                {
                    "tenure": tenure["tenure"],
                    "text": published_text(figure, percent),
                    "working": working_text(figure, percent),
                    "href": url_for(
                        "console.report_tsm_behind",
                        period=report["period"]["code"],
                        list=kind,
                        stage=stage,
                        tenure=tenure["tenure"] or "",
                    ),
                }
            )
        rows.append({"code": code, "name": name, "cells": cells})
    return rows


@bp.route("/reports/tsm")
@roles_required(*STAFF)
def report_tsm() -> Any:
    """CH01 and CH02 for the period asked for (this regulator's year so far when none)."""
    chosen = chosen_period()
    report = None
    if chosen.period is not None:
        report = operations.run("ConsoleTsmComplaints", {"period": chosen.period.code})["tsmComplaints"]
    return render_template(
        "console/reports/tsm.html",
        chosen=chosen,
        label=period_label(chosen.period) if chosen.period else "",
        report=report,
        rows=_rows(report) if report else [],
        tenure_names=TENURE_NAMES,
        list_names=LIST_NAMES,
        recent=recent_periods(),
    ), (200 if chosen.error is None else 400)


@bp.route("/reports/tsm.csv")
@roles_required(*STAFF)
def report_tsm_csv() -> Any:
    chosen = chosen_period()
    if chosen.period is None:
        abort(404)
    report = operations.run("ConsoleTsmComplaints", {"period": chosen.period.code})["tsmComplaints"]
    header = [_("Measure"), _("Tenure"), _("Published"), _("Value, unrounded"), _("Numerator"), _("Denominator")]

    def rows() -> Any:
        for key, code, _name, _kind, _stage in MEASURES:
            for tenure in report["tenures"]:
                figure = tenure[key]
                yield [
                    code,
                    str(TENURE_NAMES[tenure["tenure"]]),
                    figure["published"] or "",
                    "" if figure["value"] is None else repr(figure["value"]),
                    figure["numerator"],
                    "" if figure["denominator"] is None else figure["denominator"],
                ]

    return exports.csv_download(f"tsm-complaints-{chosen.period.code.replace('/', '-')}", header, rows)


def _behind_arguments() -> dict[str, Any]:
    """The drill-down's arguments from the address; anything unknown is not a page (404)."""
    kind = request.args.get("list", "")
    if kind not in TsmList.codes():
        abort(404)
    stage = request.args.get("stage", "1")
    tenure = request.args.get("tenure") or None
    page = request.args.get("page", "1")
    if stage not in ("1", "2") or (tenure is not None and tenure not in TENURES) or not page.isdigit():
        abort(404)
    number = int(page)
    if not 1 <= number <= 2_000:
        abort(404)
    return {"list": kind, "stage": int(stage), "tenure": tenure, "page": number}


@bp.route("/reports/tsm/complaints")
@roles_required(*STAFF)
def report_tsm_behind() -> Any:
    """The complaints behind a figure, oldest first, a page of 500 at a time, each with why it counts as it does."""
    chosen = chosen_period()
    if chosen.period is None:
        abort(404)
    wanted = _behind_arguments()
    variables = {
        "period": chosen.period.code,
        "list": wanted["list"],
        "stage": wanted["stage"],
        "tenure": wanted["tenure"],
        "offset": (wanted["page"] - 1) * MAX_ROWS,
        "limit": MAX_ROWS,
    }
    found = operations.run("ConsoleTsmComplaintsBehind", variables)["tsmComplaintsBehind"]
    more = wanted["page"] * MAX_ROWS < found["total"]
    return render_template(
        "console/reports/tsm_behind.html",
        chosen=chosen,
        label=period_label(chosen.period),
        wanted=wanted,
        found=found,
        title=LIST_NAMES[wanted["list"]],
        tenure_name=TENURE_NAMES[wanted["tenure"]] if wanted["list"] != "no_home" else None,
        tenure_names_all=TENURE_NAMES,
        grounds=REFUSAL_GROUNDS,
        next_page=wanted["page"] + 1 if more else None,
    )


@bp.route("/reports/tsm/complaints.csv")
@roles_required(*STAFF)
def report_tsm_behind_csv() -> Any:
    chosen = chosen_period()
    if chosen.period is None:
        abort(404)
    wanted = _behind_arguments()
    header = [
        _("Reference"), _("Tenure"), _("Stage opened"), _("Timescale started"), _("Responded"), _("Working days"),
        _("Timescale in working days"), _("Extension recorded"), _("Extension that counts"), _("In time"),
        _("Ground of exclusion"), _("Withdrawn"),
    ]  # fmt: skip

    def rows() -> Any:
        offset = 0
        while True:
            variables = {
                "period": chosen.period.code,  # type: ignore[union-attr]
                "list": wanted["list"],
                "stage": wanted["stage"],
                "tenure": wanted["tenure"],
                "offset": offset,
                "limit": MAX_ROWS,
            }
            found = operations.run("ConsoleTsmComplaintsBehind", variables)["tsmComplaintsBehind"]
            for row in found["complaints"]:
                yield [
                    row["reference"], row["tenure"] or "", row["openedAt"] or "", row["startedAt"] or "",
                    row["respondedAt"] or "", _blank(row["workingDays"]), _blank(row["timescaleDays"]),
                    _blank(row["extendedDays"]), _blank(row["extensionAllowed"]), _yes_no(row["inTime"]),
                    str(REFUSAL_GROUNDS.get(row["refusalGround"], row["refusalGround"] or "")),
                    _yes_no(row["withdrawn"]),
                ]  # fmt: skip
            offset += MAX_ROWS
            if offset >= found["total"] or offset >= exports.MAX_ROWS:
                return

    name = f"tsm-{wanted['list']}-stage{wanted['stage']}-{chosen.period.code.replace('/', '-')}"
    return exports.csv_download(name, header, rows)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def last_year() -> Period:
    """The last regulator's year that has ended."""
    return year_of(local_date()).previous()


DOCUMENT_PAGE = DocumentPage(
    kind=tsm_report.KIND,
    path="/reports/tsm/document",
    endpoint="console.tsm_report",
    file_name="tenant-satisfaction-measures",
    title=_l("Tenant Satisfaction Measures"),
    introduction=_l(
        "CH01 and CH02 from complaints and TP01 to TP12 from the perception survey, by tenure, with the survey's "
        "method: the measures the landlord publishes to tenants each year. Print or download them, or draft them for "
        "a manager's approval and publication."
    ),
    operation="ConsoleTsmReport",
    root="tsmReport",
    default_period=last_year,
    period_kinds=tsm_report.PERIOD_KINDS,
)
document_pages(DOCUMENT_PAGE)
