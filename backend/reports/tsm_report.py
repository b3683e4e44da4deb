"""The Tenant Satisfaction Measures as a document to approve and publish: CH01 and CH02 (counted from complaints)
and TP01 to TP12 (from the perception survey, weighted), for low-cost rental and low-cost home ownership apart, with
the survey's method statement, as the Regulator of Social Housing asks landlords to publish them to tenants.

The document holds the figures, their numerators and denominators, and the method; never a resident or a case.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from backend import config
from backend.i18n import translations
from backend.reports import tsm_complaints, tsm_perception
from backend.reports.documents import Chart, ChartPoint, Figure, ReportDocument, Section, Table
from backend.reports.figures import Figure as Ratio
from backend.reports.periods import YEAR, Period
from backend.surveys.models import TSM_MEASURES
from backend.timeutil import utcnow

KIND = "tsm"
#: The TSMs are measured over a regulator's year.
PERIOD_KINDS = (YEAR,)


def _measure_names(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "tp01": _("Overall satisfaction"),
        "tp02": _("Satisfaction with repairs"),
        "tp03": _("Satisfaction with time taken to complete most recent repair"),
        "tp04": _("Satisfaction that the home is well maintained"),
        "tp05": _("Satisfaction that the home is safe"),
        "tp06": _("Satisfaction that the landlord listens to tenant views and acts upon them"),
        "tp07": _("Satisfaction that the landlord keeps tenants informed about things that matter to them"),
        "tp08": _("Agreement that the landlord treats tenants fairly and with respect"),
        "tp09": _("Satisfaction with the landlord's approach to handling complaints"),
        "tp10": _("Satisfaction that the landlord keeps communal areas clean and well maintained"),
        "tp11": _("Satisfaction that the landlord makes a positive contribution to neighbourhoods"),
        "tp12": _("Satisfaction with the landlord's approach to handling anti-social behaviour"),
    }


class _Words:
    def __init__(self, locale: str) -> None:
        self.gettext: Callable[[str], str] = translations(locale).gettext
        self.babel = config.formatting_locale(locale)

    def one_place(self, published: str | None, percent: bool) -> str:
        if published is None:
            return self.gettext("no value")
        number = format_decimal(Decimal(published), format="#,##0.0", locale=self.babel)
        return self.gettext("%(rate)s%%") % {"rate": number} if percent else number

    def number(self, value: float | int) -> str:
        return format_decimal(value, format="#,##0.##", locale=self.babel)


def tsm_document(period: Period, locale: str = "en") -> ReportDocument:
    """CH01, CH02 and TP01 to TP12 for ``period`` in ``locale``, counted now."""
    words = _Words(locale)
    _ = words.gettext
    complaints = tsm_complaints.compute(period)
    perception = tsm_perception.measures_over(period)
    babel = config.formatting_locale(locale)
    label = _("%(first)s to %(last)s (%(code)s)") % {
        "first": format_date(period.first, "d MMMM y", locale=babel),
        "last": format_date(period.last, "d MMMM y", locale=babel),
        "code": period.code,
    }
    return ReportDocument(
        kind=KIND,
        title=_("Tenant Satisfaction Measures"),
        period_code=period.code,
        period_label=label,
        locale=locale,
        produced_at=utcnow().replace(microsecond=0).isoformat(),
        sections=(_complaints_section(complaints, words), _perception_section(perception, words)),
    )


def _tenure_name(code: str | None, _: Callable[[str], str]) -> str:
    return {
        "rented": _("Low-cost rental"),
        "shared_ownership": _("Low-cost home ownership"),
        None: _("Both together"),
    }[code]


def _complaints_section(found: tsm_complaints.TsmComplaints, words: _Words) -> Section:
    _ = words.gettext
    names = {
        ("ch01", 1): _("Stage 1 complaints received per 1,000 homes"),
        ("ch01", 2): _("Stage 2 complaints received per 1,000 homes"),
        ("ch02", 1): _("Stage 1 complaints responded to within the Code's timescales"),
        ("ch02", 2): _("Stage 2 complaints responded to within the Code's timescales"),
    }
    figures: list[Figure] = []
    rows = []
    for measure in ("ch01", "ch02"):
        for stage in tsm_complaints.STAGES:
            cells: list[str | int | float | None] = [f"{measure.upper()}({stage}) {names[(measure, stage)]}"]
            for tenure in found.tenures:
                ratio: Ratio = (tenure.ch01 if measure == "ch01" else tenure.ch02)[stage]
                percent = measure == "ch02"
                text = words.one_place(ratio.published, percent)
                cells.append(text)
                if tenure.tenure is not None:
                    figures.append(
                        Figure(
                            f"{measure}_{stage}_{tenure.tenure}",
                            f"{measure.upper()}({stage}): {_tenure_name(tenure.tenure, _)}",
                            ratio.value,
                            text,
                            "percent" if percent else "per_1000",
                        )
                    )
            rows.append(tuple(cells))
    table = Table(
        "complaints_measures",
        _("Complaints measures by tenure"),
        (_("Measure"), *(_tenure_name(t.tenure, _) for t in found.tenures)),
        tuple(rows),
    )
    left_out = Table(
        "complaints_left_out",
        _("Complaints reported beside the measures"),
        (_("Stage"), _("Refused under a ground of exclusion"), _("About no home on record"), _("Withdrawn")),
        tuple(
            (
                _("Stage %(stage)s") % {"stage": stage},
                found.refused[stage],
                found.no_home_received[stage],
                found.withdrawn[stage],
            )
            for stage in tsm_complaints.STAGES
        ),  # fmt: skip
    )
    homes = ", ".join(
        f"{_tenure_name(t.tenure, _)}: {words.number(t.homes) if t.homes is not None else _('not entered')}"
        for t in found.tenures
        if t.tenure is not None
    )
    return Section(
        "complaints",
        _("Effective handling of complaints (CH01, CH02)"),
        paragraphs=(
            _(
                "Complaints about homes in England. CH01 is the complaints received in the year per 1,000 homes; "
                "CH02 the share of responses issued in the year within the Complaint Handling Code's timescales."
            ),
            _("Relevant homes at the year's end: %(homes)s.") % {"homes": homes},
        ),
        figures=tuple(figures),
        tables=(table, left_out),
    )


def _perception_section(found: tsm_perception.PerceptionReport, words: _Words) -> Section:
    _ = words.gettext
    names = _measure_names(_)
    groups = {group.tenure: group for group in found.groups}
    order = (tsm_perception.LCRA, tsm_perception.LCHO)
    group_names = {tsm_perception.LCRA: _("Low-cost rental"), tsm_perception.LCHO: _("Low-cost home ownership")}
    rows = []
    figures: list[Figure] = []
    for code in TSM_MEASURES:
        cells: list[str | int | float | None] = [f"{code.upper()} {names[code]}"]
        for group in order:
            measure = next(m for m in groups[group].measures if m.code == code)
            text = words.one_place(measure.published, True)
            cells.append(text)
            figures.append(
                Figure(f"{code}_{group}", f"{code.upper()}: {group_names[group]}", measure.value, text, "percent")
            )
        rows.append(tuple(cells))
    lcra = groups[tsm_perception.LCRA]
    chart = Chart(
        "perception_lcra",
        "bar",
        _("Tenant perception measures, low-cost rental"),
        _("A bar for each measure: the percentage of low-cost rental tenants satisfied."),
        _("Measure"),
        _("Satisfied"),
        tuple(ChartPoint(m.code.upper(), m.value, words.one_place(m.published, True)) for m in lcra.measures),
        "percent",
    )
    methods = Table(
        "survey_method",
        _("How the survey was carried out"),
        (_("Method"), _("Sample size"), _("Population"), _("Weighting"), _("Fieldwork")),
        tuple(
            (
                {
                    "postal": _("By post"),
                    "telephone": _("By telephone"),
                    "online": _("Online"),
                    "face_to_face": _("Face to face"),
                    "mixed": _("More than one way"),
                }.get(method.method, method.method),
                method.sample_size,
                method.population,
                method.weighting or "",
                _("%(first)s to %(last)s")
                % {
                    "first": format_date(method.fieldwork_start, "d MMMM y", locale=words.babel),
                    "last": format_date(method.fieldwork_end, "d MMMM y", locale=words.babel),
                },
            )
            for method in found.methods
        ),
    )
    paragraphs = [
        _(
            "From the tenant perception survey, weighted as the survey's method says: the share of those who "
            "answered who were very or fairly satisfied (or agreed). TP09 is asked of those who complained in the "
            "last 12 months."
        ),
        _("Responses counted: low-cost rental %(lcra)s, low-cost home ownership %(lcho)s.")
        % {"lcra": lcra.respondents, "lcho": groups[tsm_perception.LCHO].respondents},
    ]
    if found.filter_missing:
        paragraphs.append(_("No survey in the year asked whether the tenant had complained, so TP09 has no value."))
    return Section(
        "perception",
        _("Tenant perception measures (TP01 to TP12)"),
        paragraphs=tuple(paragraphs),
        figures=tuple(figures),
        tables=(
            Table(
                "perception_measures",
                _("Tenant perception measures by tenure"),
                (_("Measure"), *(group_names[g] for g in order)),
                tuple(rows),
            ),
            methods,
        ),
        charts=(chart,),
    )


def build(period: Period, locale: str) -> ReportDocument:
    """The builder the catalogue calls."""
    return tsm_document(period, locale)
