"""The Code's annual complaints performance and service improvement report (Code 2024 8.1) as a document, with the
sections the Code requires, in its order:

- (a) the self-assessment against the Code: the latest annual one approved or published for the year;
- (b) the analysis of complaint handling (``backend.reports.annual``), with the TSM CH01 and CH02 beside it and a
  summary of the types of complaints refused;
- (c) any findings of non-compliance with the Code by the Ombudsman;
- (d) the service improvements made from learning;
- (e) the Ombudsman's annual report on the landlord's performance;
- (f) other relevant reports and publications of the Ombudsman about the landlord.

The governing body's response (8.2) is recorded and published beside the report by ``backend.reports.publication``.
The document holds counts and the titles of lessons and actions, never a resident or a case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from backend import config
from backend.i18n import translations
from backend.redaction import redact_narrative
from backend.reports import annual, publications, tsm_complaints
from backend.reports.documents import Chart, ChartPoint, Figure, ReportDocument, Section, Table
from backend.reports.figures import Figure as Ratio
from backend.reports.models import AssessmentStatus, OmbudsmanPublicationKind, SelfAssessment, SelfAssessmentItem
from backend.reports.periods import YEAR, Period
from backend.timeutil import utcnow

KIND = "annual"


class _Words:
    """The document's language: translated words and numbers written as the language writes them."""

    def __init__(self, locale: str) -> None:
        self.gettext: Callable[[str], str] = translations(locale).gettext
        self.babel = config.formatting_locale(locale)

    def number(self, value: int | float | Decimal) -> str:
        return format_decimal(value, format="#,##0", locale=self.babel)

    def days(self, value: Decimal | None) -> str:
        if value is None:
            return self.gettext("no value")
        return format_decimal(value, format="#,##0.0", locale=self.babel)

    def pounds(self, value: Decimal) -> str:
        return "£" + format_decimal(value, format="#,##0.00", locale=self.babel)

    def ratio(self, ratio: Ratio) -> str:
        if ratio.published is None:
            return self.gettext("no value")
        number = format_decimal(Decimal(ratio.published), format="#,##0.0", locale=self.babel)
        return self.gettext("%(rate)s%%") % {"rate": number} if ratio.scale == 100 else number

    def day(self, value: dt.date) -> str:
        return format_date(value, "d MMMM y", locale=self.babel)


def _figure(code: str, label: str, ratio: Ratio, words: _Words, unit: str = "percent") -> Figure:
    return Figure(code, label, ratio.value, words.ratio(ratio), unit)


def _count(code: str, label: str, value: int, words: _Words) -> Figure:
    return Figure(code, label, value, words.number(value), "count")


def annual_document(period: Period, locale: str = "en") -> ReportDocument:
    """The annual report for ``period`` (a regulator's year) in ``locale``, counted now."""
    words = _Words(locale)
    _ = words.gettext
    analysis = annual.analyse(period)
    tsm = tsm_complaints.compute(period)
    sections = (
        _self_assessment_section(period, words),
        _analysis_section(analysis, tsm, words),
        _publications_section(
            "non_compliance",
            _("(c) Findings of non-compliance with the Code by the Ombudsman"),
            (OmbudsmanPublicationKind.NON_COMPLIANCE.value,),
            period,
            words,
        ),
        _improvements_section(analysis, words),
        _publications_section(
            "ombudsman_annual_report",
            _("(e) The Ombudsman's annual report on our performance"),
            (OmbudsmanPublicationKind.ANNUAL_LANDLORD_REPORT.value,),
            period,
            words,
        ),
        _publications_section(
            "other_ombudsman_reports",
            _("(f) Other reports and publications of the Ombudsman about us"),
            (OmbudsmanPublicationKind.SPECIAL_REPORT.value, OmbudsmanPublicationKind.OTHER.value),
            period,
            words,
        ),
    )
    return ReportDocument(
        kind=KIND,
        title=_("Annual complaints performance and service improvement report"),
        period_code=period.code,
        period_label=_("%(first)s to %(last)s (%(code)s)")
        % {"first": words.day(period.first), "last": words.day(period.last), "code": period.code},
        locale=locale,
        produced_at=utcnow().replace(microsecond=0).isoformat(),
        sections=sections,
    )


def latest_assessment(period: Period) -> SelfAssessment | None:
    """The annual self-assessment for the period approved or published most recently, or None."""
    return (
        SelfAssessment.select()
        .where(
            (SelfAssessment.trigger == "annual")
            & SelfAssessment.status.in_((AssessmentStatus.APPROVED.value, AssessmentStatus.PUBLISHED.value))
            & (SelfAssessment.period_first <= period.last)
            & (SelfAssessment.period_last >= period.first)
        )
        .order_by(SelfAssessment.period_last.desc(), SelfAssessment.approved_at.desc(), SelfAssessment.id.desc())
        .first()
    )


def _self_assessment_section(period: Period, words: _Words) -> Section:
    _ = words.gettext
    assessment = latest_assessment(period)
    title = _("(a) Our self-assessment against the Complaint Handling Code")
    if assessment is None:
        return Section(
            "self_assessment",
            title,
            paragraphs=(_("No annual self-assessment for this year has been approved yet."),),
            slot=True,
        )
    items = list(
        SelfAssessmentItem.select()
        .where((SelfAssessmentItem.assessment == assessment.id) & (SelfAssessmentItem.checklist == "code"))
        .order_by(SelfAssessmentItem.position, SelfAssessmentItem.id)
    )
    complies = sum(1 for item in items if item.complies is True)
    not_complying = [item for item in items if item.complies is False]
    not_assessed = sum(1 for item in items if item.complies is None)
    status = (
        _("published on %(day)s") % {"day": words.day(assessment.published_at.date())}
        if assessment.published_at
        else _("approved, not yet published")
    )
    return Section(
        "self_assessment",
        title,
        paragraphs=(
            _("The self-assessment for %(period)s, %(status)s, assesses every provision of the Code.")
            % {"period": assessment.period, "status": status},
        ),
        figures=(
            _count("provisions_complied", _("Provisions we comply with"), complies, words),
            _count("provisions_not_complied", _("Provisions we do not comply with"), len(not_complying), words),
            _count("provisions_not_assessed", _("Provisions not assessed"), not_assessed, words),
        ),
        tables=(
            *(
                (
                    Table(
                        "not_complying",
                        _("Provisions we do not comply with, and what we are doing about it"),
                        (_("Provision"), _("What it requires"), _("Explanation")),
                        tuple((item.number, item.requirement, item.explanation) for item in not_complying),
                    ),
                )
                if not_complying
                else ()
            ),
            # The whole self-assessment is published with the report (Code 8.2): every provision and its answer.
            Table(
                "every_provision",
                _("Every provision of the Code: whether we comply, and our evidence"),
                (_("Provision"), _("What it requires"), _("Complies"), _("Evidence"), _("Explanation")),
                tuple(
                    (
                        item.number,
                        item.requirement,
                        _("Yes") if item.complies is True else _("No") if item.complies is False else _("Not assessed"),
                        redact_narrative(item.evidence),
                        redact_narrative(item.explanation),
                    )
                    for item in items
                ),
            ),
        ),
    )


def _outcome_label(code: str | None, _: Callable[[str], str]) -> str:
    return {
        "upheld": _("Upheld"),
        "partly_upheld": _("Partly upheld"),
        "not_upheld": _("Not upheld"),
        "resolved": _("Resolved by agreement"),
        None: _("No outcome recorded"),
    }.get(code, code or "")


def _ground_label(code: str, _: Callable[[str], str]) -> str:
    return {
        "over_twelve_months": _("Raised more than 12 months after the issue"),
        "over_six_months": _("Raised more than 6 months after the issue"),
        "legal_proceedings": _("The subject of legal proceedings"),
        "already_considered": _("Already considered under the complaints procedure"),
    }.get(code, code)


def _analysis_section(analysis: annual.Analysis, tsm: tsm_complaints.TsmComplaints, words: _Words) -> Section:
    _ = words.gettext
    both = next(row for row in tsm.tenures if row.tenure is None)
    figures: list[Figure] = []
    for stage in tsm_complaints.STAGES:
        times = analysis.times[stage]
        figures += [
            _figure(
                f"acknowledged_on_time_{stage}",
                _("Stage %(stage)s complaints acknowledged within 5 working days") % {"stage": stage},
                analysis.acknowledged[stage],
                words,
            ),
            _figure(
                f"responded_on_time_{stage}",
                _("Stage %(stage)s responses within the Code's timescales (CH02(%(stage)s))") % {"stage": stage},
                times.in_time,
                words,
            ),
            _figure(
                f"extended_{stage}",
                _("Stage %(stage)s responses whose timescale was extended") % {"stage": stage},
                times.extended,
                words,
            ),
            Figure(
                f"mean_days_{stage}",
                _("Stage %(stage)s: mean working days to respond") % {"stage": stage},
                None if times.mean_days is None else float(times.mean_days),
                words.days(times.mean_days),
                "days",
            ),
            Figure(
                f"median_days_{stage}",
                _("Stage %(stage)s: median working days to respond") % {"stage": stage},
                None if times.median_days is None else float(times.median_days),
                words.days(times.median_days),
                "days",
            ),
        ]
    figures += [
        _figure("ch01_1", _("Stage 1 complaints per 1,000 homes (CH01(1))"), both.ch01[1], words, "per_1000"),
        _figure("ch01_2", _("Stage 2 complaints per 1,000 homes (CH01(2))"), both.ch01[2], words, "per_1000"),
        _figure("escalation_rate", _("Stage 1 responses escalated to stage 2"), analysis.escalation, words),
        _count("ombudsman_referred", _("Complaints taken to the Ombudsman"), analysis.ombudsman.referred, words),
        _count("orders_made", _("Ombudsman orders made"), analysis.ombudsman.orders_made, words),
        _count("orders_complied", _("Ombudsman orders complied with"), analysis.ombudsman.orders_complied, words),
        _count(
            "orders_overdue", _("Ombudsman orders overdue at the year's end"), analysis.ombudsman.orders_overdue, words
        ),
        Figure(
            "compensation_offered",
            _("Compensation offered"),
            float(analysis.remedies.compensation_offered),
            words.pounds(analysis.remedies.compensation_offered),
            "pounds",
        ),
        Figure(
            "compensation_paid",
            _("Compensation paid"),
            float(analysis.remedies.compensation_paid),
            words.pounds(analysis.remedies.compensation_paid),
            "pounds",
        ),
    ]
    categories = Table(
        "by_category",
        _("Complaints received, refused and withdrawn, by stage and category"),
        (_("Stage and category"), _("Received"), _("Refused"), _("Withdrawn")),
        tuple(
            (
                _("Stage %(stage)s: %(category)s")
                % {"stage": row.stage, "category": row.category or _("No category recorded")},
                row.received,
                row.refused,
                row.withdrawn,
            )
            for row in analysis.categories
        ),
    )
    outcomes = Table(
        "outcomes",
        _("Outcomes of the responses issued, by stage"),
        (_("Stage and outcome"), _("Responses")),
        tuple(
            (_("Stage %(stage)s: %(outcome)s") % {"stage": stage, "outcome": _outcome_label(code, _)}, count)
            for stage, counts in sorted(analysis.outcomes.items())
            for code, count in sorted(counts.items(), key=lambda item: item[0] or "~")
        ),
    )
    refusals = Table(
        "refusals",
        _("The types of complaints we refused, by ground of exclusion"),
        (_("Ground"), _("Complaints")),
        tuple((_ground_label(ground, _), count) for ground, count in sorted(analysis.refusals.items())),
    )
    findings = Table(
        "ombudsman_findings",
        _("The Ombudsman's findings in the year"),
        (_("Finding"), _("Complaints")),
        tuple((_finding_label(code, _), count) for code, count in sorted(analysis.ombudsman.determinations.items())),
    )
    remedies = Table(
        "remedies",
        _("Remedies offered, by kind"),
        (_("Remedy"), _("How many")),
        tuple((_remedy_label(code, _), count) for code, count in sorted(analysis.remedies.by_kind.items())),
    )
    outcome_chart = Chart(
        "stage1_outcomes",
        "bar",
        _("Stage 1 responses by outcome"),
        _("A bar for each outcome of the stage 1 responses issued in the year."),
        _("Outcome"),
        _("Responses"),
        tuple(
            ChartPoint(_outcome_label(code, _), count, words.number(count))
            for code, count in sorted(analysis.outcomes.get(1, {}).items(), key=lambda item: item[0] or "~")
        ),
    )
    return Section(
        "analysis",
        _("(b) How we handled complaints"),
        paragraphs=(
            _(
                "Complaints about homes in England, counted over the year on UK days. Working days leave out weekends "
                "and bank holidays. A stage is received when it opens; a response counts in the year it was issued."
            ),
        ),
        figures=tuple(figures),
        tables=(categories, outcomes, refusals, findings, remedies),
        charts=(outcome_chart,) if outcome_chart.points else (),
    )


def _finding_label(code: str, _: Callable[[str], str]) -> str:
    return {
        "severe_maladministration": _("Severe maladministration"),
        "maladministration": _("Maladministration"),
        "service_failure": _("Service failure"),
        "reasonable_redress": _("Reasonable redress"),
        "no_maladministration": _("No maladministration"),
        "outside_jurisdiction": _("Outside the Ombudsman's jurisdiction"),
    }.get(code, code)


def _remedy_label(code: str, _: Callable[[str], str]) -> str:
    return {
        "apology": _("An apology"),
        "acknowledgement": _("Acknowledging what went wrong"),
        "explanation": _("An explanation"),
        "action_on_delay": _("Putting right a delay"),
        "reconsider_decision": _("Reconsidering a decision"),
        "amend_record": _("Correcting a record"),
        "financial_redress": _("Financial redress"),
        "policy_change": _("Changing a policy or practice"),
    }.get(code, code)


def _improvements_section(analysis: annual.Analysis, words: _Words) -> Section:
    _ = words.gettext
    found = analysis.improvements
    return Section(
        "improvements",
        _("(d) What we changed because of what residents told us"),
        paragraphs=(
            _(
                "Lessons closed in the year, and the improvement actions from lessons that were signed off or "
                "verified in it."
            ),
        ),
        figures=(
            _count("lessons_closed", _("Lessons closed"), found.lessons_closed, words),
            _count("actions_finished", _("Improvement actions finished"), found.actions_finished, words),
        ),
        tables=(
            Table(
                "improvements",
                _("Improvements made"),
                (_("What we did"), _("Lesson"), _("Finished")),
                tuple(
                    (item.title, f"{item.lesson_reference}: {item.lesson_title}", words.day(item.finished_at.date()))
                    for item in found.listed
                    if item.finished_at is not None
                ),
            ),
        ),
    )


def _publications_section(code: str, title: str, kinds: tuple[str, ...], period: Period, words: _Words) -> Section:
    _ = words.gettext
    found = publications.in_period(period, kinds)
    if not found:
        return Section(code, title, paragraphs=(_("None in this year."),))
    return Section(
        code,
        title,
        tables=(
            Table(
                code,
                title,
                (_("Published"), _("Title"), _("What it said, and what we did"), _("Where to read it")),
                # Published: contact details and titled names in what a manager typed are replaced.
                tuple(
                    (
                        words.day(item.published_on),
                        redact_narrative(item.title),
                        redact_narrative(item.summary),
                        item.link or "",
                    )
                    for item in found
                ),  # fmt: skip
            ),
        ),
    )


def build(period: Period, locale: str) -> ReportDocument:
    """The builder the catalogue calls: the annual report covers a regulator's year."""
    return annual_document(period, locale)


#: The kinds of period the annual report takes.
PERIOD_KINDS = (YEAR,)
