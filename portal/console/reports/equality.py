"""The equality breakdowns in the console: /console/reports/equality?period=2025/26&stage=1, with its print view
(``/print``) and files (``.pdf``, ``.csv``, ``.xlsx``) taking the same period and stage.

One table per dimension, a row per group and the total. The API has already hidden small numbers: a hidden figure
arrives as null and is shown with one marker, whatever the reason it was hidden.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backend.config import LANGUAGE_NAMES
from backend.errors import Invalid
from backend.lessons.quality import whole_percent
from backend.reports.documents import ReportDocument, document_from_dict
from backend.reports.periods import parse_period, year_of
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.accounts.equality import NOT_ANSWERED, PREFER_NOT, QUESTIONS
from portal.complaints import labels as case_labels
from portal.console.blueprint import STAFF, bp
from portal.console.reports import output
from schema.error_texts import message_for

DIMENSION_NAMES = {
    "language": _l("Language the contact was made in"),
    "representative": _l("Representative"),
    "channel": _l("How the contact reached us"),
    "vulnerability": _l("Vulnerability recorded"),
    "age_band": _l("Age"),
    "disability": _l("Disability"),
    "gender_identity": _l("Gender reassignment: gender the same as sex registered at birth"),
    "partnership": _l("Marriage and civil partnership"),
    "pregnancy": _l("Pregnancy and maternity"),
    "ethnic_group": _l("Ethnic group"),
    "religion": _l("Religion or belief"),
    "sex": _l("Sex"),
    "sexual_orientation": _l("Sexual orientation"),
}
MEASURE_NAMES = {
    "received": _l("Received"),
    "responded": _l("Responded to"),
    "inTime": _l("In time"),
    "late": _l("Late"),
    "rate": _l("Share in time"),
    "upheld": _l("Upheld"),
    "partlyUpheld": _l("Partly upheld"),
    "notUpheld": _l("Not upheld"),
    "resolved": _l("Resolved"),
    "noOutcome": _l("No outcome recorded"),
}
ETHNIC_HEADINGS = {
    "asian": _l("Asian or Asian British"),
    "black": _l("Black, Black British, Caribbean or African"),
    "mixed": _l("Mixed or multiple ethnic groups"),
    "white": _l("White"),
    "other": _l("Other ethnic group"),
}
SHARED_GROUPS = {
    "not_recorded": NOT_ANSWERED,
    "prefer_not_to_say": PREFER_NOT,
    "several": _l("More than one"),
}


def group_label(dimension: str, group: str) -> str:
    """A group's name in the reader's language."""
    if dimension == "language":
        return LANGUAGE_NAMES.get(group, group)
    if group in SHARED_GROUPS:
        return str(SHARED_GROUPS[group])
    if dimension == "representative":
        return str(_("No representative") if group == "none" else case_labels.label(case_labels.REPRESENTATIVES, group))
    if dimension == "vulnerability":
        return str(_("None recorded") if group == "none" else case_labels.label(case_labels.VULNERABILITIES, group))
    if dimension == "channel":
        return case_labels.label(case_labels.CHANNELS, group)
    if dimension == "ethnic_group":
        return str(ETHNIC_HEADINGS.get(group, group))
    return str(dict(QUESTIONS[dimension][1]).get(group, group))


def cell_text(value: int | None) -> str:
    """A figure, or the marker of a hidden one."""
    return _("[hidden]") if value is None else str(value)


def rate_text(value: float | None) -> str:
    return _("[hidden]") if value is None else f"{whole_percent(value)}%"


def _period_code() -> tuple[str, str | None]:
    """The period asked for (this regulator's year by default), and the problem with it, if any."""
    code = (request.args.get("period") or "").strip()[:40] or year_of(local_date()).code
    try:
        parse_period(code)
    except Invalid as error:
        return code, message_for(error, _)
    return code, None


@bp.route("/reports/equality")
@roles_required(*STAFF)
def equality_report() -> Any:
    code, problem = _period_code()
    stage = _stage()
    report = None if problem else operations.run("ConsoleEqualityBreakdowns", {"period": code})["equalityBreakdowns"]
    tables = []
    for table in (report or {}).get("tables", []):
        rows = [(group_label(table["dimension"], row["group"]), row["stages"][stage - 1]) for row in table["rows"]]
        total = table["total"]["stages"][stage - 1]
        shown = [key for key in MEASURE_NAMES if key != "noOutcome" or _any_shown(rows, total, key)]
        tables.append(
            {
                "dimension": table["dimension"],
                "name": DIMENSION_NAMES[table["dimension"]],
                "rows": rows,
                "total": total,
                "measures": shown,
            }
        )
    return render_template(
        "console/reports/equality.html",
        code=code,
        problem=problem,
        report=report,
        stage=stage,
        tables=tables,
        measure_names=MEASURE_NAMES,
        cell_text=cell_text,
        rate_text=rate_text,
        other_stage_url=url_for("console.equality_report", period=code, stage=1 if stage == 2 else 2),
    ), 400 if problem else 200


def _any_shown(rows: list[tuple[str, dict[str, Any]]], total: dict[str, Any], key: str) -> bool:
    """Whether any figure of a measure is shown and not 0: a column of nothing but hidden figures is left out."""
    return any(figures[key] for _label, figures in rows) or bool(total[key])


def _stage() -> int:
    return 2 if request.args.get("stage") == "2" else 1


def _document() -> ReportDocument:
    """The breakdowns asked for as a document; 404 for a period that cannot be used (the page explains why)."""
    code, problem = _period_code()
    if problem:
        abort(404)
    found = operations.run("ConsoleEqualityDocument", {"period": code, "stage": _stage()})["equalityDocument"]
    return document_from_dict(found)


def _back(document: ReportDocument) -> str:
    return url_for("console.equality_report", period=document.period_code, stage=_stage())


@bp.route("/reports/equality/print")
@roles_required(*STAFF)
def equality_print() -> Any:
    """The breakdowns of one stage alone, for printing: no navigation, small numbers hidden."""
    document = _document()
    return output.print_view(document, _back(document))


@bp.route("/reports/equality.<any(pdf, csv, xlsx):fmt>")
@roles_required(*STAFF)
def equality_file(fmt: str) -> Any:
    """The breakdowns of one stage as a PDF, or its tables as CSV or XLSX."""
    document = _document()
    return output.download(f"equality-stage-{_stage()}", document, fmt, _back(document))
