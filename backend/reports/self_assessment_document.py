"""A self-assessment against the Complaint Handling Code as a document, to print, share and download.

The document holds what the console's assessment page shows staff, in the document's language: the period, why it
was made, where it is (draft, approved on a day, published on a day with the day the governing body approved it),
how many rows comply, and one table per section of the Code and one for the 16 "learning from complaints" items,
each row with its requirement, whether it complies, the evidence, the system's figure (as kept at approval once
approved, as the page shows it), the explanation and the linked improvement action.

It names nobody: it may be printed and handed round, so it says "approved on" a day, never by whom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import groupby
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from peewee import JOIN, fn

from backend import config
from backend.errors import NotFound
from backend.i18n import N_, translations
from backend.lessons.models import ImprovementAction
from backend.lessons.quality import whole_percent
from backend.reports import evidence
from backend.reports.board import period_label
from backend.reports.documents import Cell, Figure, ReportDocument, Section, Table
from backend.reports.models import AssessmentStatus, Checklist, SelfAssessment, SelfAssessmentItem
from backend.reports.self_assessment import item_figure, period_of
from backend.timeutil import local_date, utcnow

KIND = "self_assessment"

TRIGGERS = {
    "annual": N_("Annual"),
    "restructure": N_("After a restructure"),
    "merger": N_("After a merger"),
    "procedure_change": N_("After a change in procedures"),
    "ombudsman_request": N_("At the Ombudsman's request"),
}
OBLIGATIONS = {"must": N_("Must"), "should": N_("Should")}
#: What each of the system's figures counts, as the assessment page says it beside the figure.
FIGURES = {
    "service_requests": N_("Service requests received in the period"),
    "refusals_with_reasons": N_("Refused complaints with a ground and written reasons"),
    "complaint_channels": N_("Channels complaints came through in the period"),
    "policy_published": N_("“How to complain” page published, linking the complaints policy"),
    "ombudsman_published": N_("“How to complain” page, with the Ombudsman's details, published"),
    "complaints_officer": N_("People named complaints officer at the period's end"),
    "escalations_refused_with_reasons": N_("Refused escalations with a ground and written reasons"),
    "stage1_acknowledged_in_time": N_("Stage 1 complaints acknowledged in time"),
    "stage1_responded_in_time": N_("Stage 1 responses issued in time"),
    "stage1_extensions_with_ombudsman": N_("Stage 1 extensions told with the Ombudsman's details"),
    "outstanding_actions_done": N_("Outstanding actions due in the period that are done"),
    "stage2_acknowledged_in_time": N_("Stage 2 escalations acknowledged in time"),
    "stage2_other_handler": N_("Stage 2 responses by someone other than stage 1's handler"),
    "stage2_responded_in_time": N_("Stage 2 responses issued in time"),
    "stage2_extensions_with_ombudsman": N_("Stage 2 extensions told with the Ombudsman's details"),
    "remedies_done": N_("Remedies due in the period that are done"),
    "upheld_with_lesson": N_("Upheld complaints with a lesson or a decision of no wider lesson"),
    "bulletins_sent": N_("Lessons bulletins sent to staff in the period"),
    "senior_lead": N_("People named senior lead for complaints at the period's end"),
    "mrc": N_("People named Member Responsible for Complaints at the period's end"),
    "orders_complied": N_("Ombudsman orders due in the period complied with on time"),
    "lessons_identified": N_("Lessons identified in the period"),
    "actions_authorised": N_("Improvement actions authorised in the period"),
    "actions_due_completed": N_("Improvement actions due in the period that are completed"),
    "actions_overdue": N_("Improvement actions overdue at the period's end"),
    "briefings_acknowledged": N_("Staff briefings on outcomes that were acknowledged"),
    "network_attendance": N_("Network meetings attended"),
    "practice_actions": N_("Actions changing practice, services or training"),
    "team_meetings": N_("Team meetings with complaints on the agenda"),
    "management_meetings": N_("Management meetings with complaints on the agenda"),
    "told_of_improvement": N_("Complainants told of improvements"),
    "quarterly_publication": N_("Quarterly publication of outcomes"),
    "senior_meetings": N_("Senior management meetings with complaints on the agenda"),
    "complaint_handling_actions": N_("Actions improving complaint handling"),
    "actions_signed_off": N_("Completed improvement actions signed off"),
}


class _Words:
    """The document's language: translated words, numbers and days as the language writes them."""

    def __init__(self, locale: str) -> None:
        self.gettext: Callable[[str], str] = translations(locale).gettext
        self.babel = config.formatting_locale(locale)

    def number(self, value: int) -> str:
        return format_decimal(value, format="#,##0", locale=self.babel)

    def day(self, value: dt.date) -> str:
        return format_date(value, "d MMMM y", locale=self.babel)

    def count(self, code: str, label: str, value: int) -> Figure:
        return Figure(code, label, value, self.number(value), "count")


def assessment_document(assessment_id: int, locale: str = "en") -> ReportDocument:
    """The self-assessment ``assessment_id`` as a document in ``locale``. Raises NotFound("self_assessment").

    Who may read it is the caller's to check: the API gives it to staff, as it gives the assessment.
    """
    assessment = SelfAssessment.get_or_none(SelfAssessment.id == assessment_id)
    if assessment is None:
        raise NotFound("self_assessment", assessment_id)
    words = _Words(locale)
    _ = words.gettext
    items = list(
        SelfAssessmentItem.select(SelfAssessmentItem, ImprovementAction.id, ImprovementAction.title)
        .join(ImprovementAction, JOIN.LEFT_OUTER)
        .where(SelfAssessmentItem.assessment == assessment.id)
        .order_by(SelfAssessmentItem.position, SelfAssessmentItem.id)
    )
    code_rows = [item for item in items if item.checklist == Checklist.CODE]
    learning = [item for item in items if item.checklist == Checklist.LEARNING]
    sections = [_summary_section(assessment, words)]
    for number, rows in groupby(code_rows, key=lambda item: item.section):
        found = list(rows)
        title = _("Section %(number)s: %(title)s") % {"number": number, "title": found[0].section_title}
        sections.append(
            Section(f"section-{number}", title, tables=(_table(f"section-{number}", title, found, assessment, words),))
        )
    if learning:
        sections.append(_learning_section(assessment, learning, words))
    return ReportDocument(
        kind=KIND,
        title=_("Self-assessment against the Complaint Handling Code"),
        period_code=assessment.period,
        period_label=period_label(period_of(assessment), locale),
        locale=locale,
        produced_at=utcnow().replace(microsecond=0).isoformat(),
        sections=tuple(sections),
    )


def _counts(assessment_id: int) -> dict[tuple[str, bool | None], int]:
    """How many rows of each checklist comply, do not, or are not assessed, in one statement."""
    query: Any = (
        SelfAssessmentItem.select(
            SelfAssessmentItem.checklist, SelfAssessmentItem.complies, fn.COUNT(SelfAssessmentItem.id)
        )
        .where(SelfAssessmentItem.assessment == assessment_id)
        .group_by(SelfAssessmentItem.checklist, SelfAssessmentItem.complies)
        .tuples()
    )
    return {(str(checklist), None if complies is None else bool(complies)): int(n) for checklist, complies, n in query}


def _status_paragraph(assessment: SelfAssessment, words: _Words) -> str:
    _ = words.gettext
    if assessment.status == AssessmentStatus.PUBLISHED:
        published = words.day(local_date(assessment.published_at))
        if assessment.governing_body_approved_on is None:
            return _("Published on %(published)s.") % {"published": published}
        return _("Published on %(published)s. The governing body approved it on %(approved)s.") % {
            "published": published,
            "approved": words.day(assessment.governing_body_approved_on),
        }
    if assessment.status == AssessmentStatus.APPROVED:
        return _("Approved on %(approved)s; not yet published.") % {
            "approved": words.day(local_date(assessment.approved_at))
        }
    return _("A draft: not yet approved. The system's figures are worked out as things stand now.")


def _summary_section(assessment: SelfAssessment, words: _Words) -> Section:
    _ = words.gettext
    counts = _counts(assessment.id)
    code = Checklist.CODE.value
    why = _(TRIGGERS.get(assessment.trigger, assessment.trigger))
    paragraphs = [
        _("Made: %(why)s.") % {"why": why},
        *([_("What led to it: %(context)s") % {"context": assessment.context}] if assessment.context else []),
        _status_paragraph(assessment, words),
    ]
    if assessment.status != AssessmentStatus.DRAFT:
        paragraphs.append(_("The system's figures are those kept when it was approved."))
    return Section(
        "summary",
        _("Where it stands"),
        paragraphs=tuple(paragraphs),
        figures=(
            words.count(
                "provisions", _("Provisions of the Code"), sum(n for (c, _v), n in counts.items() if c == code)
            ),
            words.count("complying", _("Provisions it complies with"), counts.get((code, True), 0)),
            words.count("not_complying", _("Provisions it does not comply with"), counts.get((code, False), 0)),
            words.count("not_assessed", _("Provisions not assessed"), counts.get((code, None), 0)),
            words.count(
                "learning_score", _("Learning from complaints score (of 16)"), counts.get(("learning", True), 0)
            ),
        ),
    )


def _learning_section(assessment: SelfAssessment, rows: list[SelfAssessmentItem], words: _Words) -> Section:
    _ = words.gettext
    score = sum(1 for row in rows if row.complies)
    title = _("Learning from complaints")
    return Section(
        "learning",
        title,
        paragraphs=(
            _("Each item scores 1 when met and 0 when not: %(score)s of %(total)s.")
            % {"score": score, "total": len(rows)},
        ),
        tables=(_table("learning", title, rows, assessment, words, learning=True),),
    )


def _table(
    code: str,
    caption: str,
    rows: list[SelfAssessmentItem],
    assessment: SelfAssessment,
    words: _Words,
    learning: bool = False,
) -> Table:
    _ = words.gettext
    # The caption differs from the section's heading: a table that scrolls is a region named by its caption, and two
    # regions of one name are one too many for a screen reader's list of landmarks.
    if learning:
        caption = _("%(title)s: each item") % {"title": caption}
    else:
        caption = _("%(title)s: each provision") % {"title": caption}
    columns = (
        _("Number"),
        _("What it requires"),
        _("Must or should"),
        _("Complies"),
        _("Evidence"),
        _("The system's figure"),
        _("Explanation"),
        _("Improvement action"),
    )
    return Table(code, caption, columns, tuple(_row(row, assessment, words, learning) for row in rows))


def _row(row: SelfAssessmentItem, assessment: SelfAssessment, words: _Words, learning: bool) -> tuple[Cell, ...]:
    _ = words.gettext
    links = [f"{link['label']}: {link['url']}" for link in row.links or []]
    action = row.action
    return (
        row.number,
        row.requirement,
        _(OBLIGATIONS.get(row.obligation, row.obligation)),
        complies_words(row.complies, learning, _),
        "\n".join([row.evidence, *links]).strip(),
        figure_words(item_figure(row, assessment), _),
        row.explanation,
        action.title if action is not None else "",
    )


def complies_words(value: bool | None, learning: bool, gettext: Callable[[str], str]) -> str:
    """Whether a row complies, as the page says it: yes, no or not assessed (a learning item: with its score)."""
    if value is None:
        return gettext("Not assessed")
    if learning:
        return gettext("Yes (1)") if value else gettext("No (0)")
    return gettext("Yes") if value else gettext("No")


def figure_words(figure: evidence.Figure | None, gettext: Callable[[str], str]) -> str:
    """The system's figure for a row in words, as the page says it: "Stage 1 ...: 3 of 4 (75%)"; empty for none."""
    if figure is None:
        return ""
    value: Any
    if figure.kind == evidence.SHARE:
        if not figure.due:
            value = gettext("no items")
        else:
            value = gettext("%(met)s of %(due)s (%(rate)s%%)") % {
                "met": figure.met,
                "due": figure.due,
                "rate": whole_percent(figure.percent or 0),
            }
    elif figure.kind == evidence.COUNT:
        value = str(figure.met)
    elif figure.kind == evidence.PRESENT:
        value = gettext("Yes") if figure.met else gettext("No")
    else:
        value = gettext("No evidence yet")
    label = FIGURES.get(figure.code)
    return f"{gettext(label)}: {value}" if label else str(value)
