"""The equality breakdowns of one stage over a period as a document, to print and download.

Every figure comes from :func:`backend.reports.equality.equality_report`, the one the console's page and the API
read, after small-number suppression: a hidden figure is never in the document, only the marker the page shows for it
("[hidden]"), whatever the reason it was hidden. Each dimension is one table, laid out as the page lays it out: a row
per group, the total last, and the column of responses with no outcome only when some group has one to show.
"""

from __future__ import annotations

from collections.abc import Callable

from backend.config import LANGUAGE_NAMES
from backend.context import Actor
from backend.i18n import N_, translations
from backend.lessons.quality import whole_percent
from backend.reports.board import period_label
from backend.reports.documents import Cell, ReportDocument, Section, Table
from backend.reports.equality import NONE, NOT_RECORDED, SEVERAL, STAGES, Row, StageFigures, equality_report
from backend.reports.models import PREFER_NOT_TO_SAY
from backend.reports.periods import Period
from backend.timeutil import utcnow

KIND = "equality"
#: The marker of a hidden figure, as the page shows it.
HIDDEN = N_("[hidden]")

DIMENSIONS = {
    "language": N_("Language the contact was made in"),
    "representative": N_("Representative"),
    "channel": N_("How the contact reached us"),
    "vulnerability": N_("Vulnerability recorded"),
    "age_band": N_("Age"),
    "disability": N_("Disability"),
    "gender_identity": N_("Gender reassignment: gender the same as sex registered at birth"),
    "partnership": N_("Marriage and civil partnership"),
    "pregnancy": N_("Pregnancy and maternity"),
    "ethnic_group": N_("Ethnic group"),
    "religion": N_("Religion or belief"),
    "sex": N_("Sex"),
    "sexual_orientation": N_("Sexual orientation"),
}
#: The columns, in the page's order; ``rate`` is in_time as a share of responded.
MEASURES = {
    "received": N_("Received"),
    "responded": N_("Responded to"),
    "in_time": N_("In time"),
    "late": N_("Late"),
    "rate": N_("Share in time"),
    "upheld": N_("Upheld"),
    "partly_upheld": N_("Partly upheld"),
    "not_upheld": N_("Not upheld"),
    "resolved": N_("Resolved"),
    "no_outcome": N_("No outcome recorded"),
}
#: Groups named the same in every dimension.
SHARED_GROUPS = {
    NOT_RECORDED: N_("Not answered"),
    PREFER_NOT_TO_SAY: N_("Prefer not to say"),
    SEVERAL: N_("More than one"),
}
#: Each dimension's groups, in the words residents and staff are shown (language names are in their own language).
GROUPS: dict[str, dict[str, str]] = {
    "representative": {
        NONE: N_("No representative"),
        "advocate": N_("Advocate"),
        "family_member": N_("Family member"),
        "councillor": N_("Councillor"),
        "mp": N_("Member of Parliament"),
        "solicitor": N_("Solicitor"),
        "other": N_("Someone else"),
    },
    "channel": {
        "portal": N_("Website"),
        "email": N_("Email"),
        "phone": N_("Phone"),
        "letter": N_("Letter"),
        "face_to_face": N_("Face to face"),
        "verbal_to_staff": N_("Told to a member of staff"),
        "social_media": N_("Social media"),
        "representative": N_("Through a representative"),
        "interpreter": N_("Through an interpreter"),
    },
    "vulnerability": {
        NONE: N_("None recorded"),
        "disability": N_("Disability"),
        "mental_health": N_("Mental health"),
        "health_condition": N_("Health condition"),
        "older_person": N_("Older person"),
        "language_or_literacy": N_("Language or literacy"),
        "domestic_abuse": N_("Domestic abuse"),
        "financial_hardship": N_("Financial hardship"),
        "bereavement": N_("Bereavement"),
        "young_children": N_("Young children in the home"),
        "other": N_("Other"),
    },
    "age_band": {
        "age_16_24": N_("16 to 24"),
        "age_25_34": N_("25 to 34"),
        "age_35_44": N_("35 to 44"),
        "age_45_54": N_("45 to 54"),
        "age_55_64": N_("55 to 64"),
        "age_65_74": N_("65 to 74"),
        "age_75_plus": N_("75 or over"),
    },
    "disability": {
        "limited_a_lot": N_("Yes, limited a lot"),
        "limited_a_little": N_("Yes, limited a little"),
        "not_limited": N_("No"),
    },
    "gender_identity": {"same": N_("Yes"), "different": N_("No")},
    "partnership": {
        "never": N_("Never married and never registered a civil partnership"),
        "married": N_("Married"),
        "civil_partnership": N_("In a registered civil partnership"),
        "separated": N_("Separated, but still legally married or in a civil partnership"),
        "divorced": N_("Divorced, or civil partnership dissolved"),
        "widowed": N_("Widowed, or surviving civil partner"),
    },
    "pregnancy": {"yes": N_("Yes"), "no": N_("No")},
    "ethnic_group": {
        "asian": N_("Asian or Asian British"),
        "black": N_("Black, Black British, Caribbean or African"),
        "mixed": N_("Mixed or multiple ethnic groups"),
        "white": N_("White"),
        "other": N_("Other ethnic group"),
    },
    "religion": {
        "none": N_("No religion"),
        "christian": N_("Christian (all denominations)"),
        "buddhist": N_("Buddhist"),
        "hindu": N_("Hindu"),
        "jewish": N_("Jewish"),
        "muslim": N_("Muslim"),
        "sikh": N_("Sikh"),
        "other": N_("Any other religion or belief"),
    },
    "sex": {"female": N_("Female"), "male": N_("Male")},
    "sexual_orientation": {
        "straight": N_("Straight or heterosexual"),
        "gay_lesbian": N_("Gay or lesbian"),
        "bisexual": N_("Bisexual"),
        "other": N_("Another sexual orientation"),
    },
}


def group_words(dimension: str, group: str, gettext: Callable[[str], str]) -> str:
    """A group's name in the document's language, as the console's page names it."""
    if dimension == "language":
        return LANGUAGE_NAMES.get(group, group)
    if group in SHARED_GROUPS:
        return gettext(SHARED_GROUPS[group])
    words = GROUPS.get(dimension, {}).get(group)
    return gettext(words) if words else group


def equality_document(actor: Actor, period: Period, stage: int, locale: str = "en") -> ReportDocument:
    """The breakdowns of stage ``stage`` (1 or 2) over ``period`` in ``locale``, small numbers hidden.

    Raises NotAllowed("equality.breakdowns") for anyone but staff (as ``equality_report`` does) and ValueError for a
    stage that is not 1 or 2.
    """
    if stage not in STAGES:
        raise ValueError(f"no stage {stage}")
    gettext = translations(locale).gettext
    report = equality_report(actor, period)
    sections = [
        Section(
            "about",
            gettext("About these figures"),
            paragraphs=(
                gettext(
                    "Complaints received, their outcomes and whether they were answered in time, for each group. "
                    "Residents' own answers about themselves are counted only when they gave them with consent."
                ),
                gettext(
                    "To protect people's privacy, a figure below 5 is hidden, and so is any figure that would let a "
                    "hidden one be worked out from a total. Every hidden figure shows as “[hidden]”, whatever the "
                    "reason."
                ),
            ),
        )
    ]
    for table in report.tables:
        name = gettext(DIMENSIONS[table.dimension])
        caption = gettext("%(name)s: stage %(stage)s complaints, %(period)s") % {
            "name": name,
            "stage": stage,
            "period": period.code,
        }
        rows = [(group_words(table.dimension, row.category, gettext), _at(row, stage)) for row in table.rows]
        total = _at(table.total, stage)
        shown = [key for key in MEASURES if key != "no_outcome" or _any_shown(rows, total, key)]
        body = [
            (label, *(_cell(figures, key, gettext) for key in shown))
            for label, figures in [*rows, (gettext("All complaints"), total)]
        ]
        columns = (gettext("Group"), *(gettext(MEASURES[key]) for key in shown))
        sections.append(Section(table.dimension, name, tables=(Table(table.dimension, caption, columns, tuple(body)),)))
    return ReportDocument(
        kind=KIND,
        title=gettext("Equality and diversity: stage %(stage)s complaints") % {"stage": stage},
        period_code=period.code,
        period_label=period_label(period, locale),
        locale=locale,
        produced_at=utcnow().replace(microsecond=0).isoformat(),
        sections=tuple(sections),
    )


def _at(row: Row, stage: int) -> StageFigures:
    return next(figures for figures in row.stages if figures.stage == stage)


def _cell(figures: StageFigures, key: str, gettext: Callable[[str], str]) -> Cell:
    """A figure, or the marker of a hidden one; the share in time as a whole percentage, as the page shows it."""
    if key == "rate":
        rate = figures.in_time_rate
        return gettext(HIDDEN) if rate is None else f"{whole_percent(rate)}%"
    value = figures.figures[key]
    return gettext(HIDDEN) if value is None else value


def _any_shown(rows: list[tuple[str, StageFigures]], total: StageFigures, key: str) -> bool:
    """Whether any figure of a measure is shown and not 0: a column of nothing but hidden figures is left out."""
    return any(figures.figures[key] for _label, figures in rows) or bool(total.figures[key])
