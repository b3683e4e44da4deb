"""The words for the self-assessment's codes and the system's figures, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backend.lessons.quality import whole_percent

TRIGGERS = {
    "annual": _l("Annual"),
    "restructure": _l("After a restructure"),
    "merger": _l("After a merger"),
    "procedure_change": _l("After a change in procedures"),
    "ombudsman_request": _l("At the Ombudsman's request"),
}
STATUSES = {"draft": _l("Draft"), "approved": _l("Approved"), "published": _l("Published")}
OBLIGATIONS = {"must": _l("Must"), "should": _l("Should")}
EVENT_KINDS = {"benchmark": _l("Benchmarking"), "network_meeting": _l("Network meeting")}
#: What each figure counts, as the assessment page says it beside the figure.
FIGURES = {
    "service_requests": _l("Service requests received in the period"),
    "refusals_with_reasons": _l("Refused complaints with a ground and written reasons"),
    "complaint_channels": _l("Channels complaints came through in the period"),
    "policy_published": _l("“How to complain” page published, linking the complaints policy"),
    "ombudsman_published": _l("“How to complain” page, with the Ombudsman's details, published"),
    "complaints_officer": _l("People named complaints officer at the period's end"),
    "escalations_refused_with_reasons": _l("Refused escalations with a ground and written reasons"),
    "stage1_acknowledged_in_time": _l("Stage 1 complaints acknowledged in time"),
    "stage1_responded_in_time": _l("Stage 1 responses issued in time"),
    "stage1_extensions_with_ombudsman": _l("Stage 1 extensions told with the Ombudsman's details"),
    "outstanding_actions_done": _l("Outstanding actions due in the period that are done"),
    "stage2_acknowledged_in_time": _l("Stage 2 escalations acknowledged in time"),
    "stage2_other_handler": _l("Stage 2 responses by someone other than stage 1's handler"),
    "stage2_responded_in_time": _l("Stage 2 responses issued in time"),
    "stage2_extensions_with_ombudsman": _l("Stage 2 extensions told with the Ombudsman's details"),
    "remedies_done": _l("Remedies due in the period that are done"),
    "upheld_with_lesson": _l("Upheld complaints with a lesson or a decision of no wider lesson"),
    "bulletins_sent": _l("Lessons bulletins sent to staff in the period"),
    "senior_lead": _l("People named senior lead for complaints at the period's end"),
    "mrc": _l("People named Member Responsible for Complaints at the period's end"),
    "orders_complied": _l("Ombudsman orders due in the period complied with on time"),
    "lessons_identified": _l("Lessons identified in the period"),
    "actions_authorised": _l("Improvement actions authorised in the period"),
    "actions_due_completed": _l("Improvement actions due in the period that are completed"),
    "actions_overdue": _l("Improvement actions overdue at the period's end"),
    "briefings_acknowledged": _l("Staff briefings on outcomes that were acknowledged"),
    "network_attendance": _l("Network meetings attended"),
    "practice_actions": _l("Actions changing practice, services or training"),
    "team_meetings": _l("Team meetings with complaints on the agenda"),
    "management_meetings": _l("Management meetings with complaints on the agenda"),
    "told_of_improvement": _l("Complainants told of improvements"),
    "quarterly_publication": _l("Quarterly publication of outcomes"),
    "senior_meetings": _l("Senior management meetings with complaints on the agenda"),
    "complaint_handling_actions": _l("Actions improving complaint handling"),
    "actions_signed_off": _l("Completed improvement actions signed off"),
}


def label(table: dict[str, Any], code: str | None) -> str:
    """A code's words (the API gives enum codes in capitals)."""
    return str(table.get((code or "").lower(), code or ""))


def figure_text(figure: dict[str, Any] | None) -> str:
    """A figure as the page says it: "3 of 4 (75%)", a count, yes or no, or "no evidence yet"."""
    if figure is None:
        return ""
    kind = figure["kind"]
    if kind == "share":
        if not figure["due"]:
            return _("no items")
        return _(
            "%(met)s of %(due)s (%(rate)s%%)",
            met=figure["met"],
            due=figure["due"],
            rate=whole_percent(figure["percent"] or 0),
        )
    if kind == "count":
        return str(figure["met"])
    if kind == "present":
        return _("Yes") if figure["met"] else _("No")
    return _("No evidence yet")


def complies_text(value: bool | None, checklist: str) -> str:
    if value is None:
        return _("Not assessed")
    if checklist == "learning":
        return _("Yes (1)") if value else _("No (0)")
    return _("Yes") if value else _("No")
