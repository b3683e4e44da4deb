"""Demo data for the reports, so that a fresh demo shows real-looking figures for the last complete regulator's year
and the current one: the homes at each year's end, the Ombudsman's publications about the landlord, the signals for
the board report, a tenant perception survey with imported answers and its method statement, equality answers given
with consent, and a draft annual self-assessment of last year with a few rows filled in.

Everything goes through the services staff use, as the demo's manager (Chris Evans) or, for their own equality
answers, the demo residents themselves. Nothing is approved or published: those steps are left for people trying
the product. Each part is loaded once; running the demo again changes nothing, nor anything staff changed since.
"""

from __future__ import annotations

import datetime as dt
import random

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.complaints import intake
from backend.complaints.demo import HISTORY
from backend.complaints.models import Contact, ServiceArea
from backend.context import SYSTEM, Actor
from backend.records import RecordSpec, create_record
from backend.reports import characteristics, publications, self_assessment, signals, stock
from backend.reports.models import (
    EqualityProfile,
    OmbudsmanPublication,
    OmbudsmanPublicationKind,
    SelfAssessment,
    SelfAssessmentItem,
    SignalCount,
    StockCount,
)
from backend.reports.periods import Period, regulator_year, year_of
from backend.surveys import imports
from backend.surveys import services as surveys
from backend.surveys.models import Survey
from backend.surveys.tsm import record_method
from backend.timeutil import local_date

STOCK_SOURCE = "Statistical data return to the Regulator of Social Housing (demo figures)"
#: Relevant homes at the end of the current year and the two before it, oldest first: (nation, tenure, homes).
STOCK = (
    ("england", "rented", (612, 628, 641)),
    ("england", "shared_ownership", (84, 88, 93)),
    ("scotland", "rented", (118, 121, 120)),
)

#: The Ombudsman's publications records as the console records them (schema/reports/annual.py edits the same).
PUBLICATION_SPEC = RecordSpec(
    OmbudsmanPublication,
    "ombudsman_publication",
    ("kind", "published_on", "title", "summary", "link"),
    frozenset({"manager", "admin"}),
    choices={"kind": OmbudsmanPublicationKind.codes()},
    validate=publications.validate,
)
#: (kind, which year, days after the year's first day, title, summary, link).
PUBLICATIONS = (
    (
        "non_compliance",
        "last",
        140,
        "Complaint Handling Failure Order: stage 2 response not issued",
        "The Ombudsman found that we did not issue a stage 2 response within the Code's timescale and ordered us to "
        "respond within 5 working days. We responded in 3 and now check stage 2 due dates at the weekly case review.",
        "",
    ),
    (
        "annual_landlord_report",
        "last",
        200,
        "Housing Ombudsman annual landlord performance report",
        "The Ombudsman's yearly summary of the cases it determined about us: a maladministration rate slightly above "
        "landlords of our size, mostly about damp and mould and about complaint handling.",
        "https://www.housing-ombudsman.org.uk/",
    ),
    (
        "special_report",
        "this",
        90,
        "Spotlight report on repairs: what we are doing about it",
        "The Ombudsman's spotlight report on repairs, read by the board. Its recommendations on appointment "
        "booking and keeping residents informed are in our repairs improvement plan.",
        "https://www.housing-ombudsman.org.uk/",
    ),
)

SIGNALS_SOURCE = "Repairs and insurance systems, monthly extract (demo figures)"
#: Service area, kind and (base count, extra in the winter months).
SIGNALS = (
    ("Repairs", "disrepair", 2, 1),
    ("Repairs", "damp_mould", 5, 6),
    ("Repairs", "insurance", 1, 1),
    ("Lettings", "damp_mould", 1, 2),
    ("Lettings", "disrepair", 0, 1),
)
WINTER = (11, 12, 1, 2, 3)

PERCEPTION_TITLE = "Tenant satisfaction survey (TSM perception measures)"
#: Each measure's question and the chance each answer is positive (4 or 5).
PERCEPTION = (
    (
        "tp01",
        "Taking everything into account, how satisfied or dissatisfied are you with the service we provide?",
        0.72,
    ),
    ("tp02", "How satisfied or dissatisfied are you with the overall repairs service over the last 12 months?", 0.68),
    ("tp03", "How satisfied or dissatisfied are you with the time taken to complete your most recent repair?", 0.61),
    ("tp04", "How satisfied or dissatisfied are you that we provide a home that is well maintained?", 0.70),
    ("tp05", "How satisfied or dissatisfied are you that we provide a home that is safe?", 0.78),
    ("tp06", "How satisfied or dissatisfied are you that we listen to your views and act upon them?", 0.58),
    ("tp07", "How satisfied or dissatisfied are you that we keep you informed about things that matter to you?", 0.66),
    ("tp08", "To what extent do you agree or disagree that we treat you fairly and with respect?", 0.79),
    ("tp09_filter", "Have you made a complaint to us in the last 12 months?", 0.3),
    ("tp09", "How satisfied or dissatisfied are you with our approach to complaints handling?", 0.38),
    ("tp10", "How satisfied or dissatisfied are you that we keep communal areas clean and well maintained?", 0.64),
    ("tp11", "How satisfied or dissatisfied are you that we make a positive contribution to your neighbourhood?", 0.63),
    ("tp12", "How satisfied or dissatisfied are you with our approach to handling anti-social behaviour?", 0.57),
)
#: Answers in the last complete year, and at most this many in the current one so far.
LAST_YEAR_ANSWERS = 60
THIS_YEAR_ANSWERS = 24
#: Weights by tenure, as a survey weighted to the stock would give (shared owners answer less often).
WEIGHTS = {"rented": ("0.94", "1.02", "1.08"), "shared_ownership": ("1.21", "1.35")}

#: The demo residents' own answers (given with consent on the portal). Sam Okafor (resident@example.org) has none,
#: so that people can try giving them on /account, and staff recording them on his contacts.
EQUALITY = {
    "preswylydd@example.org": {"age_band": "age_65_74", "sex": "female", "disability": "limited_a_little"},
    "resident.scotland@example.org": {"age_band": "age_45_54", "sex": "female", "ethnic_group": "white_british"},
    "panel@example.org": {"age_band": "age_25_34", "ethnic_group": "mixed_white_asian", "religion": "none"},
}
#: Answers staff recorded on contacts of the demo's history (backend.complaints.demo), with the resident's spoken
#: consent: the history's key, the answers.
EQUALITY_ON_CONTACTS = (
    ("bedroom-damp", {"age_band": "age_35_44", "sex": "male", "ethnic_group": "white_other"}),
    ("mould-bathroom", {"age_band": "age_25_34", "religion": "muslim", "ethnic_group": "asian_pakistani"}),
    ("music-upstairs", {"age_band": "age_75_plus", "disability": "limited_a_lot", "sex": "male"}),
)

#: Rows of last year's self-assessment filled in: (checklist, number, complies, evidence, explanation).
ASSESSMENT_ROWS = (
    (
        "code",
        "1.2",
        True,
        "Our complaints policy (section 2) uses the Code's definition word for word; staff training covers it.",
        "",
    ),
    ("code", "3.7", True, "Every acknowledgement and response letter gives the Ombudsman's details.", ""),
    (
        "code",
        "6.3",
        False,
        "",
        "Some stage 1 responses were late while the repairs contractor changed. We now agree an extension with the "
        "resident before the due date; the repairs team reviews due dates weekly.",
    ),
    ("learning", "1", True, "Every upheld complaint is reviewed for a lesson; the lessons log shows each one.", ""),
)


def _manager() -> Actor:
    return actor_for_user(User.get(User.email == "manager@example.org"))


def _years(today: dt.date) -> tuple[Period, Period]:
    """The last complete regulator's year and the current one."""
    current = year_of(today)
    return regulator_year(current.first.year - 1), current


def load_demo_stock(actor: Actor, today: dt.date) -> None:
    """The relevant homes at the end of the current year and the two before it, for each demo nation and tenure."""
    first = year_of(today).first.year - 2
    for nation, tenure, counts in STOCK:
        for year, homes in enumerate(counts, start=first):
            found = StockCount.select().where(
                (StockCount.year == year) & (StockCount.nation == nation) & (StockCount.tenure == tenure)
            )
            if not found.exists():
                stock.record_stock(actor, stock.StockInput(year, nation, tenure, homes, STOCK_SOURCE))


def load_demo_publications(actor: Actor, today: dt.date) -> None:
    """A non-compliance finding and the Ombudsman's annual report on the landlord last year; a special report this."""
    last, current = _years(today)
    for kind, year, after, title, summary, link in PUBLICATIONS:
        if OmbudsmanPublication.select().where(OmbudsmanPublication.title == title).exists():
            continue
        period = last if year == "last" else current
        day = min(period.first + dt.timedelta(days=after), period.last, today)
        values = {"kind": kind, "published_on": day, "title": title, "summary": summary, "link": link}
        create_record(actor, PUBLICATION_SPEC, values)


def _months(first: dt.date, today: dt.date) -> list[dt.date]:
    """The first day of each month from ``first``'s to the month before today's."""
    months, month = [], first.replace(day=1)
    while month < today.replace(day=1):
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def load_demo_signals(actor: Actor, today: dt.date) -> None:
    """Monthly disrepair claims, damp and mould cases and insurance claims for two service areas, from the start of
    the last complete year to last month (so the last 12 months at least)."""
    if SignalCount.select().where(SignalCount.source == SIGNALS_SOURCE).exists():
        return
    known = {area.name for area in ServiceArea.select(ServiceArea.name)}
    lines = ["month,service_area,kind,count"]
    for month in _months(_years(today)[0].first, today):
        for area, kind, base, winter in SIGNALS:
            if area in known:
                extra = winter if month.month in WINTER else 0
                lines.append(f"{month:%Y-%m},{area},{kind},{base + extra + (month.month * 7 + len(kind)) % 3}")
    if len(lines) > 1:
        signals.import_signals(actor, "\n".join(lines) + "\n", SIGNALS_SOURCE)


def _answer(chance: float, pick: random.Random) -> str:
    """A rating from 1 to 5 (or "don't know" now and then), positive (4 or 5) with the chance given."""
    roll = pick.random()
    if roll < 0.04:
        return "don't know"
    if pick.random() < chance:
        return pick.choice(("4", "5", "5") if chance > 0.7 else ("4", "4", "5"))
    return pick.choice(("1", "2", "3", "3"))


def _perception_rows(days: list[dt.date], pick: random.Random) -> list[dict[str, str]]:
    rows = []
    for day in days:
        tenure = "shared_ownership" if pick.random() < 0.2 else "rented"
        row = {"date": day.isoformat(), "tenure": tenure, "weight": pick.choice(WEIGHTS[tenure])}
        complained = pick.random() < 0.3
        for code, _text, chance in PERCEPTION:
            if code == "tp09_filter":
                row["TP09_FILTER"] = "yes" if complained else "no"
            elif code == "tp09":
                row["TP09"] = _answer(chance, pick) if complained else ""
            else:
                row[code.upper()] = _answer(chance, pick)
        rows.append(row)
    return rows


def _spread(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """``count`` fieldwork days spread evenly from ``first`` to ``last``."""
    span = (last - first).days
    return [first + dt.timedelta(days=round(span * index / max(count - 1, 1))) for index in range(count)]


def _england_homes(period: Period, today: dt.date) -> int:
    """The demo's homes in England (both tenures) at the end of ``period``, the survey's population."""
    index = period.first.year - year_of(today).first.year + len(STOCK[0][2]) - 1
    return sum(counts[index] for nation, _tenure, counts in STOCK if nation == "england")


def load_demo_perception_survey(actor: Actor, today: dt.date) -> None:
    """The tenant perception survey: a question for each measure and the TP09 filter, answers imported with tenure
    and weight across the last complete year and the current one so far, and a method statement for each."""
    if any(survey.title.get("en") == PERCEPTION_TITLE for survey in Survey.select(Survey.id, Survey.title)):
        return
    survey = surveys.create_survey(actor, title={"en": PERCEPTION_TITLE}, anonymous=True)
    for code, text, _chance in PERCEPTION:
        kind = "yes_partly_no" if code == "tp09_filter" else "rating"
        surveys.add_question(actor, survey.id, kind=kind, text={"en": text}, tsm_code=code)
    surveys.publish_survey(actor, survey.id)
    pick = random.Random(14)  # noqa: S311 - demo answers, the same every time; nothing secret
    last, current = _years(today)
    waves = [
        (last, last.first + dt.timedelta(days=20), last.last - dt.timedelta(days=20), LAST_YEAR_ANSWERS),
        (current, current.first + dt.timedelta(days=20), today - dt.timedelta(days=2), THIS_YEAR_ANSWERS),
    ]
    for period, first, end, count in waves:
        if end < first:
            continue  # the current year has only just begun: no fieldwork yet
        rows = _perception_rows(_spread(first, end, count), pick)
        imports.import_responses(actor, survey.id, list(rows[0]), rows)
        record_method(
            actor,
            survey.id,
            period.first.year,
            method="mixed",
            sample_size=count,
            population=_england_homes(period, today),
            weighting="Weighted by tenure to the stock at the year's end.",
            fieldwork_start=first,
            fieldwork_end=end,
        )


def load_demo_equality(actor: Actor) -> None:
    """The demo residents' own equality answers, and a few staff recorded on contacts, each with consent."""
    for email, answers in EQUALITY.items():
        user = User.get_or_none(User.email == email)
        if user is None or EqualityProfile.select().where(EqualityProfile.user == user.id).exists():
            continue
        characteristics.save_own_profile(actor_for_user(user), answers, consent=True)
    words = {case.key: case.words for case in HISTORY}
    for key, answers in EQUALITY_ON_CONTACTS:
        stored_key = intake.scoped_key(SYSTEM, f"demo-history-{key}", words[key])
        contact = Contact.get_or_none(Contact.idempotency_key == stored_key)
        if contact is None or EqualityProfile.select().where(EqualityProfile.contact == contact.id).exists():
            continue
        characteristics.record_for_contact(
            actor, contact.id, answers, "resident", "verbal", local_date(contact.received_at)
        )


def load_demo_self_assessment(actor: Actor, today: dt.date) -> None:
    """Last year's annual self-assessment, started and left in draft with a few rows filled in."""
    last = _years(today)[0]
    exists = SelfAssessment.select().where((SelfAssessment.period == last.code) & (SelfAssessment.trigger == "annual"))
    if exists.exists():
        return
    assessment = self_assessment.start_assessment(actor, last.code, "annual")
    for checklist, number, complies, evidence, explanation in ASSESSMENT_ROWS:
        item = SelfAssessmentItem.get_or_none(
            (SelfAssessmentItem.assessment == assessment.id)
            & (SelfAssessmentItem.checklist == checklist)
            & (SelfAssessmentItem.number == number)
        )
        if item is not None:
            self_assessment.update_item(actor, item.id, complies, evidence, explanation)


def load_demo_reports() -> None:
    """Load every part of the reports' demo data that is missing. Needs the demo accounts and complaints."""
    actor, today = _manager(), local_date()
    load_demo_stock(actor, today)
    load_demo_publications(actor, today)
    load_demo_signals(actor, today)
    load_demo_perception_survey(actor, today)
    load_demo_equality(actor)
    load_demo_self_assessment(actor, today)
