"""Demo contacts and complaints at every point of the journey, so each queue and page has something to show.

``load_demo_history`` adds a history for the reports: complaints received over the last complete regulator's year
and the current one so far, acknowledged and answered on time or late, extended (told in time, with the Ombudsman's
details), escalated, refused, withdrawn and one taken to the Ombudsman. Each step is the service staff would use, run
on its day in the past (``backend.demo_story``), so the figures come from the same rows and audit trail as real work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.accounts.models import Home, User
from backend.accounts.tokens import actor_for_user
from backend.complaints import intake, journey, orders, responses
from backend.complaints.models import (
    Category,
    ClosureDay,
    Complaint,
    ComplaintPoint,
    Contact,
    OmbudsmanOrder,
    Remedy,
    ServiceArea,
)
from backend.context import SYSTEM
from backend.demo_story import Story
from backend.reports.periods import regulator_year, year_of
from backend.timeutil import local_date, utcnow
from backend.workdays import add_working_days

FIRST_WORDS = "The plumber missed two appointments for my leaking kitchen tap. I took days off work."
AREAS = ("Repairs", "Lettings", "Anti-social behaviour", "Rents and service charges")
CATEGORIES = ("Missed appointment", "Damp and mould", "Communication", "Staff conduct", "Noise")


def _user(email: str) -> User:
    return User.get(User.email == email)


def _submit(key: str, email: str | None, days_ago: int, **values: object) -> Contact:
    resident = _user(email) if email else None
    data = intake.NewContact(
        resident_id=resident.id if resident else None,
        received_at=utcnow() - dt.timedelta(days=days_ago),
        idempotency_key=key,
        logged_via="console",
        **values,  # type: ignore[arg-type]
    )
    return intake.submit_contact(SYSTEM, data)


def load_demo_cases() -> None:
    """Create the demo cases once; running again changes nothing."""
    for name in AREAS:
        ServiceArea.get_or_create(name=name)
    for name in CATEGORIES:
        Category.get_or_create(name=name)
    this_year = local_date().year
    ClosureDay.get_or_create(day=dt.date(this_year, 12, 29), defaults={"name": "Office closed"})
    staff, manager = _user("staff@example.org"), _user("manager@example.org")
    if staff.team is None:
        staff.team, staff.manager = "Repairs team", manager.id
        staff.save()
        manager.team = "Customer resolution team"
        manager.save()
    first = intake.scoped_key(SYSTEM, "demo-missed-repairs", FIRST_WORDS)
    if Contact.select().where(Contact.idempotency_key == first).exists():
        return
    handler, reviewer = actor_for_user(staff), actor_for_user(manager)
    open_one = _submit(
        "demo-missed-repairs",
        "resident@example.org",
        3,
        channel="portal",
        description=FIRST_WORDS,
        wants_to_complain=True,
    )
    complaint = Complaint.get(Complaint.contact == open_one.id)
    journey.acknowledge_complaint(
        handler,
        complaint.id,
        [("Two repair appointments were missed", "The tap fixed"), ("Time off work was wasted", "Compensation")],
        "The tap repaired, an apology and compensation for lost time",
    )
    answered = _submit(
        "demo-damp",
        "resident@example.org",
        20,
        channel="phone",
        description="Black mould is back in the bedroom after the last treatment.",
        wants_to_complain=True,
    )
    complaint = Complaint.get(Complaint.contact == answered.id)
    journey.acknowledge_complaint(handler, complaint.id, [("Mould came back", "A lasting fix")], "A lasting fix")
    point = complaint.points.get()  # type: ignore[attr-defined]
    responses.respond_to_complaint(
        handler,
        complaint.id,
        {point.id: ("partly_upheld", "The treatment did not deal with the cause.")},
        "We inspected the room: the extractor fan was not working, so the mould returned.",
        "If you are not happy with this answer, you can ask for stage 2 on this page or by phone.",
        [
            responses.RemedyInput(
                "apology", "We apologise that the first treatment did not last.", local_date(), owner_id=staff.id
            )
        ],
        [
            responses.ActionInput(
                "Replace the bathroom extractor fan", local_date() + dt.timedelta(days=14), owner_id=staff.id
            )
        ],
        underlying_cause="The extractor fan had failed, and the first visit treated the mould without checking it.",
        remedial_action="Mould visits now check the room's ventilation before treating it.",
    )
    _submit(
        "demo-welsh",
        "preswylydd@example.org",
        1,
        channel="portal",
        locale="cy",
        description="Mae'r gwres wedi bod i ffwrdd ers dydd Llun.",
        wants_to_complain=True,
    )
    scotland = _submit(
        "demo-scotland",
        "resident.scotland@example.org",
        2,
        channel="letter",
        description="Nobody has replied to my letter about the broken close door entry system.",
        wants_to_complain=True,
    )
    journey.assign_complaint(reviewer, Complaint.get(Complaint.contact == scotland.id).id, manager.id)
    request = _submit(
        "demo-repair-request",
        "resident@example.org",
        6,
        channel="phone",
        description="Please fix the bathroom light.",
    )
    intake.classify_contact(handler, request.id, "service_request", "A repair request, not a complaint.")
    _submit(
        "demo-interpreter",
        "preswylydd@example.org",
        0,
        channel="interpreter",
        description="Mae'r bin heb ei gasglu ers pythefnos.",
        locale="cy",
        interpreter_service="Language Line",
        vulnerabilities=("older_person",),
    )
    _submit(
        "demo-anonymous",
        None,
        0,
        channel="social_media",
        description="The bins on Mill Lane have not been collected for two weeks.",
        anonymous=True,
        nation="england",
    )


# --- History: a year and a half of complaints for the reports ---------------------------------------------------


@dataclass(frozen=True)
class Past:
    """One complaint of the demo's history: when it came in and what became of it, in working days.

    ``year`` is "last" (the last complete regulator's year) or "this" (the current one so far) and ``at`` how far
    through it (0 to 1) the complaint was received. ``acknowledged`` counts from receipt (over 5 is late);
    ``extended`` is (working days after the acknowledgement it was agreed and told, with the Ombudsman's details,
    working days added); ``answered`` counts from the acknowledgement (over 10 at stage 1, plus the extension, is
    late). ``then`` is what followed: close, escalate (with ``stage2``: working days from the answer to the request,
    to its acknowledgement and to its answer, and the decision), refuse, withdraw or open.
    """

    key: str
    year: str
    at: float
    home: str
    person: str
    area: str
    category: str
    channel: str
    words: str
    point: str
    sought: str
    acknowledged: int = 2
    extended: tuple[int, int] | None = None
    answered: int = 8
    decision: str = "upheld"
    compensation: str | None = None
    then: str = "close"
    stage2: tuple[int, int, int, str] | None = None
    ombudsman: bool = False


REPAIRS, LETTINGS, ASB, RENTS = AREAS
MISSED, DAMP, COMMUNICATION, CONDUCT, NOISE = CATEGORIES
SAM, ALEX, MORAG = "resident@example.org", "panel@example.org", "resident.scotland@example.org"

HISTORY = (
    Past("gas-no-show", "last", 0.03, "RH-0003", "Dionne Clarke", REPAIRS, MISSED, "phone",
         "The gas engineer did not turn up for the boiler service twice and nobody rang to say.",
         "Two boiler service visits were missed without warning", "A visit I can rely on", 2, None, 7,
         "upheld", "50.00"),
    Past("bedroom-damp", "last", 0.08, "RH-0004", "Tomasz Nowak", REPAIRS, DAMP, "email",
         "Damp is coming through the bedroom wall again and my son's asthma is worse.",
         "Damp in the bedroom has come back after two repairs", "The cause found and fixed", 3, (6, 10), 16,
         "partly_upheld", "150.00", "escalate", (8, 3, 18, "partly_upheld")),
    Past("kitchen-postponed", "last", 0.12, "RH-0001", SAM, REPAIRS, COMMUNICATION, "phone",
         "Nobody told me my kitchen replacement was postponed; I cleared the kitchen for nothing.",
         "The kitchen replacement was postponed without telling me", "A new date and an apology", 1, None, 12),
    Past("service-charge-rise", "last", 0.17, "RH-0007", "Grace Adeyemi", RENTS, COMMUNICATION, "letter",
         "My service charge went up by 40 per cent and the letter gave no breakdown of the costs.",
         "The service charge rose with no breakdown", "A breakdown and the rise checked", 4, None, 9,
         "not_upheld", None, "escalate", (15, 4, 17, "not_upheld"), True),
    Past("music-upstairs", "last", 0.22, "RH-0005", "Bill Hargreaves", ASB, NOISE, "phone",
         "Loud music from the flat above most nights; I reported it three times and heard nothing back.",
         "Reports of noise were not followed up", "The noise dealt with", 7, None, 10, "partly_upheld"),
    Past("mould-bathroom", "last", 0.27, "RH-0006", "Amina Hussain", REPAIRS, DAMP, "email",
         "Black mould in the bathroom and the extractor fan has not worked since spring.",
         "Mould and a broken extractor fan", "The fan replaced and the mould treated", 2, (8, 10), 19,
         "upheld", "250.00"),
    Past("surveyor-missed", "last", 0.31, "RH-0008", "Owen Price", REPAIRS, MISSED, "phone",
         "The surveyor missed the appointment to look at the crack above the front door.",
         "The surveyor's appointment was missed", "A new appointment", 3, None, 6, "resolved"),
    Past("old-fence", "last", 0.36, "RH-0003", "Linda Moss", REPAIRS, COMMUNICATION, "letter",
         "The fence blown down in the storm two winters ago was never replaced.",
         "The fence was never replaced", "A new fence", then="refuse"),
    Past("resale-delay", "last", 0.41, "RH-0002", ALEX, LETTINGS, COMMUNICATION, "email",
         "The resale of my share has stalled because nobody answers the buyer's solicitor.",
         "The buyer's solicitor gets no answers", "The resale moved on", 2, None, 11, "partly_upheld"),
    Past("communal-door", "last", 0.46, "RH-0004", "Mark Ellis", REPAIRS, MISSED, "phone",
         "The communal entrance door has not locked for a week.",
         "The entrance door does not lock", "The lock fixed", 2, None, 3, then="withdraw"),
    Past("radiators-cold", "last", 0.52, "RH-0001", SAM, REPAIRS, MISSED, "phone",
         "The radiators are cold again and the repair booked for Tuesday never happened.",
         "The heating repair was missed", "Heating that works", 3, (5, 5), 17, "upheld", "75.00",
         "escalate", (5, 2, 14, "upheld")),
    Past("rude-contractor", "last", 0.58, "RH-0003", "Dionne Clarke", REPAIRS, CONDUCT, "email",
         "The contractor who came about the sink was rude to my mother and left a mess.",
         "The contractor was rude and left a mess", "An apology", 2, None, 8),
    Past("mould-returns", "last", 0.63, "RH-0006", "Amina Hussain", REPAIRS, DAMP, "phone",
         "The mould is back in the bathroom three months after it was treated.",
         "The mould came back", "A lasting fix", 4, None, 9, "upheld", "100.00"),
    Past("roof-leak", "last", 0.69, "RH-0007", "Grace Adeyemi", REPAIRS, MISSED, "phone",
         "Water is coming through the ceiling on the landing when it rains.",
         "The roof leaks onto the landing", "The roof repaired", 1, None, 10, "partly_upheld"),
    Past("parties-next-door", "last", 0.75, "RH-0005", "Bill Hargreaves", ASB, NOISE, "letter",
         "The parties next door go on until four in the morning every weekend.",
         "Late-night parties next door", "The parties stopped", 3, None, 14, "not_upheld", None,
         "escalate", (10, 6, 22, "partly_upheld")),
    Past("charge-statement", "last", 0.81, "RH-0008", "Owen Price", RENTS, COMMUNICATION, "email",
         "My annual service charge statement has not arrived and the direct debit went up.",
         "No statement before the direct debit rose", "The statement sent", 2, None, 7, "resolved"),
    Past("damp-again", "last", 0.87, "RH-0004", "Tomasz Nowak", REPAIRS, DAMP, "email",
         "The damp in the bedroom is back and the wallpaper is peeling off.",
         "The damp came back", "The cause found", 2, None, 9, "upheld", "100.00"),
    Past("letters-unanswered", "last", 0.93, "RH-0003", "Linda Moss", LETTINGS, COMMUNICATION, "letter",
         "I asked for a move to a ground-floor flat in three letters and had no reply.",
         "Three letters had no reply", "An answer about a move", 3, (7, 10), 18, "partly_upheld", None,
         "escalate", (6, 3, 12, "partly_upheld")),
    Past("boiler-winter", "last", 0.97, "RH-0001", SAM, REPAIRS, MISSED, "phone",
         "The boiler broke down again and the engineer could not come for six days.",
         "Six days without heating", "Heating fixed sooner", 2, None, 11, "upheld", "60.00",
         "escalate", (4, 2, 16, "upheld")),
    Past("window-missed", "this", 0.05, "RH-0006", "Kofi Mensah", REPAIRS, MISSED, "phone",
         "The window fitter did not come and I had taken the day off work.",
         "The window fitter did not come", "Paid for the day lost", 2, None, 8, "upheld", "40.00"),
    Past("charge-rise-again", "this", 0.12, "RH-0007", "Grace Adeyemi", RENTS, COMMUNICATION, "letter",
         "The service charge rose again with the same lack of explanation as last year.",
         "The rise was not explained", "A breakdown of the costs", 5, None, 10, "not_upheld"),
    Past("hall-damp", "this", 0.2, "RH-0003", "Dionne Clarke", REPAIRS, DAMP, "email",
         "Damp patches in the hall are spreading and smell of mould.",
         "Spreading damp in the hall", "The damp treated", 3, (7, 10), 17, "upheld", "200.00",
         "escalate", (8, 4, 15, "upheld")),
    Past("disrepair-claim", "this", 0.27, "RH-0005", "Peter Walsh", REPAIRS, DAMP, "letter",
         "My solicitor has started a disrepair claim about the damp and I want to complain as well.",
         "Damp in the flat", "Compensation", then="refuse"),
    Past("plumber-twice", "this", 0.35, "RH-0008", "Owen Price", REPAIRS, MISSED, "phone",
         "The plumber missed two appointments for the leaking cistern.",
         "Two plumbing appointments missed", "The leak fixed", 2, None, 12, "upheld", "60.00"),
    Past("dog-barking", "this", 0.43, "RH-0006", "Amina Hussain", ASB, NOISE, "phone",
         "A dog in the next flat barks all day while its owner is out.",
         "A dog barking all day", "The noise dealt with", 1, None, 6, "resolved"),
    Past("no-call-back", "this", 0.5, "RH-0001", SAM, REPAIRS, COMMUNICATION, "email",
         "I was promised a call back about the damp survey three times and nobody rang.",
         "Promised call backs never came", "A call and the survey booked", 2, None, 9, "partly_upheld"),
    Past("damp-baby", "this", 0.58, "RH-0004", "Tomasz Nowak", REPAIRS, DAMP, "phone",
         "There is mould in the room where my baby sleeps.",
         "Mould in the baby's room", "The room made safe now", 6, None, 10, "upheld", "120.00"),
    Past("officer-manner", "this", 0.66, "RH-0006", "Kofi Mensah", ASB, CONDUCT, "email",
         "The housing officer spoke to me as if I was the one causing the trouble.",
         "The housing officer's manner", "An apology", 3, None, 8, "not_upheld", None,
         "escalate", (5, 3, 18, "not_upheld")),
    Past("drilling", "this", 0.74, "RH-0004", "Mark Ellis", ASB, NOISE, "phone",
         "Drilling from the flat below starts at seven every morning.",
         "Early drilling below", "The work kept to sensible hours", 2, None, 4, then="withdraw"),
    Past("shower-leak", "this", 0.82, "RH-0002", ALEX, REPAIRS, MISSED, "email",
         "The shower has leaked into the kitchen below for a month.",
         "A month-long shower leak", "The leak fixed", 2, (6, 5), 13, "upheld"),
    Past("gutter", "this", 0.9, "RH-0005", "Bill Hargreaves", REPAIRS, MISSED, "phone",
         "The gutter repair has been booked and missed twice.",
         "The gutter repair was missed twice", "The gutter fixed", 3, None, 8, "upheld"),
    Past("landing-mould", "this", 0.96, "RH-0003", "Linda Moss", REPAIRS, DAMP, "letter",
         "Mould is growing on the landing ceiling.",
         "Mould on the landing", "The mould treated", 2, None, 9, "upheld"),
    Past("close-door", "last", 0.1, "RH-0201", MORAG, REPAIRS, COMMUNICATION, "letter",
         "The close door entry system has been broken for a fortnight.",
         "The door entry is broken", "The door entry fixed", 1, None, 3),
    Past("stair-damp", "last", 0.35, "RH-0202", "Iain Fraser", REPAIRS, DAMP, "phone",
         "Damp is running down the stair wall outside my flat.",
         "Damp on the stair wall", "The damp fixed", 1, None, 7, "partly_upheld", None,
         "escalate", (5, 2, 15, "partly_upheld")),
    Past("backcourt", "last", 0.6, "RH-0201", MORAG, ASB, NOISE, "phone",
         "People gather in the back court drinking late at night.",
         "Late-night drinking in the back court", "Something done about it", 1, None, 4, "not_upheld"),
    Past("old-window", "last", 0.85, "RH-0202", "Iain Fraser", REPAIRS, MISSED, "letter",
         "The window that was left unrepaired last year still lets the rain in.",
         "The window lets the rain in", "The window replaced", then="refuse"),
    Past("bins-scotland", "this", 0.3, "RH-0201", MORAG, RENTS, COMMUNICATION, "email",
         "I was charged for bulk uplift that never happened.",
         "Charged for an uplift that never happened", "The charge refunded", 1, None, 2, "resolved"),
    Past("repair-letter", "this", 0.7, "RH-0202", "Iain Fraser", REPAIRS, COMMUNICATION, "email",
         "The letter about my repair gave the wrong date.",
         "The repair letter had the wrong date", "The right date", 1, None, 4, "upheld"),
)  # fmt: skip

#: The ground each refused complaint of the history is refused on, with the reasons given.
REFUSALS = {
    "old-fence": (
        "over_twelve_months",
        "The fence came down more than 12 months before you complained, and nothing new has happened since.",
    ),
    "disrepair-claim": (
        "legal_proceedings",
        "Your solicitor has started a disrepair claim about the same damp, so the court will decide it.",
    ),
    "old-window": (
        "over_six_months",
        "You first told us about the window more than 6 months ago and there are no special circumstances.",
    ),
}
STAGE_2_ASKED = "I am not happy with the answer and want it looked at again."


def _history_day(case: Past, today: dt.date) -> dt.date:
    """The day ``case`` was received: ``at`` of the way through its regulator's year (the current one so far)."""
    current = year_of(today)
    period = current if case.year == "this" else regulator_year(current.first.year - 1)
    last = min(period.last, today)
    return period.first + dt.timedelta(days=round(case.at * (last - period.first).days))


class DemoHistory:
    """The demo's history of complaints as a :class:`Story`: each step is a service called on its day by the member
    of staff who would call it. Jordan Lee handles stage 1, Chris Evans stage 2 (and refusals); in Scotland Robin
    Patel issues the final answer, as the SPSO's sign-off wants someone other than the handler."""

    def __init__(self) -> None:
        staff, manager, admin = _user("staff@example.org"), _user("manager@example.org"), _user("admin@example.org")
        self.staff_id = staff.id
        self.handler, self.boss, self.signer = actor_for_user(staff), actor_for_user(manager), actor_for_user(admin)
        self.story = Story()
        self.areas = {area.name: area.id for area in ServiceArea.select()}
        self.categories = {category.name: category.id for category in Category.select()}
        self.homes = {home.reference: home for home in Home.select()}

    def tell(self, case: Past) -> None:
        """Schedule every step of ``case`` that happened before today."""
        home = self.homes[case.home]
        received = _history_day(case, self.story.today)
        if not self.story.on(received, lambda: self._receive(case, home), hour=10):
            return
        acknowledged = add_working_days(received, case.acknowledged, home.nation)
        if case.then == "refuse":
            self._on(acknowledged, self._refuse, case, 14)
            return
        if not self._on(acknowledged, self._acknowledge, case, 11):
            return
        if case.then == "withdraw":
            self._on(add_working_days(acknowledged, case.answered, home.nation), self._withdraw, case, 13)
            return
        if case.extended and not self._on(
            add_working_days(acknowledged, case.extended[0], home.nation), self._extend, case, 12
        ):
            return
        answered = add_working_days(acknowledged, case.answered, home.nation)
        if not self._on(answered, self._answer, case, 15):
            return
        if case.then == "close":
            self._on(add_working_days(answered, 10, home.nation), self._close, case, 16)
        elif case.then == "escalate" and case.stage2 is not None:
            self._stage2(case, answered, home.nation)

    def _stage2(self, case: Past, answered: dt.date, nation: str) -> None:
        asked, acknowledged, answered_after, _decision = case.stage2  # type: ignore[misc]
        steps: list[tuple[Callable[[Past], object], int, int]] = [
            (self._escalate, asked, 9),
            (self._acknowledge2, acknowledged, 11),
            (self._answer2, answered_after, 15),
        ]
        if case.ombudsman:  # referred a month after the final answer; the determination about three months later
            steps += [(self._refer, 25, 14), (self._determine, 60, 14), (self._comply, 10, 14)]
        day = answered
        for step, days, hour in steps:
            day = add_working_days(day, days, nation)
            if not self._on(day, step, case, hour):
                return

    def _on(self, day: dt.date, step: Callable[[Past], object], case: Past, hour: int) -> bool:
        """Schedule ``step`` of ``case`` on ``day`` if that is before today; return whether it will happen."""
        return self.story.on(day, lambda: step(case), hour=hour)

    def _complaint(self, case: Past) -> Complaint:
        return Complaint.get_by_id(self.story.id(case.key))

    def _receive(self, case: Past, home: Home) -> None:
        account = User.get_or_none(User.email == case.person)
        data = intake.NewContact(
            resident_id=account.id if account else None,
            home_id=None if account else home.id,
            person={}
            if account
            else {"name": case.person, "email": _email_of(case.person), "contact_channel": "email"},
            received_at=utcnow(),
            idempotency_key=f"demo-history-{case.key}",
            logged_via="console",
            channel=case.channel,
            description=case.words,
            wants_to_complain=True,
            service_area_id=self.areas[case.area],
            category_id=self.categories[case.category],
        )
        contact = intake.submit_contact(SYSTEM, data)
        self.story.keep(case.key, Complaint.get(Complaint.contact == contact.id))

    def _refuse(self, case: Past) -> None:
        ground, reasons = REFUSALS[case.key]
        journey.refuse_complaint(
            self.boss,
            self._complaint(case).id,
            ground,
            f"{reasons} We have explained how to take this to the Ombudsman.",
            ombudsman_details_given=True,
        )

    def _acknowledge(self, case: Past) -> None:
        journey.acknowledge_complaint(self.handler, self._complaint(case).id, [(case.point, case.sought)], case.sought)

    def _withdraw(self, case: Past) -> None:
        journey.withdraw_complaint(
            self.handler, self._complaint(case).id, "Put right straight away; happy to withdraw."
        )

    def _extend(self, case: Past) -> None:
        _after, days = case.extended  # type: ignore[misc]
        journey.extend_complaint(
            self.handler,
            self._complaint(case).id,
            days,
            "We are waiting for the contractor's report before we can answer fully.",
            local_date(),
            ombudsman_details_given=True,
        )

    def _answer(self, case: Past, actor: Any = None, decision: str | None = None) -> None:
        complaint = self._complaint(case)
        decision = decision or case.decision
        point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage)
        remedies = []
        if decision in ("upheld", "partly_upheld"):
            remedies.append(responses.RemedyInput("apology", "We apologise for what went wrong.", local_date()))
        if case.compensation and complaint.stage == 1:
            remedies.append(
                responses.RemedyInput(
                    "financial_redress",
                    "Compensation for the time and trouble.",
                    local_date() + dt.timedelta(days=14),
                    amount=case.compensation,
                )
            )
        actor = actor or self.handler
        responses.respond_to_complaint(
            actor,
            complaint.id,
            {point.id: (decision, ANSWERS[decision])},
            f"We looked into what happened. {ANSWERS[decision]}",
            "If you are not happy with this answer, you can ask us to look at it again, or contact the Ombudsman.",
            [
                responses.RemedyInput(r.kind, r.description, r.due_on, r.amount, owner_id=self.staff_id)
                for r in remedies
            ],
            underlying_cause=ANSWERS[decision],
            remedial_action="Staff were reminded of what the service standard promises.",
        )
        for remedy in Remedy.select().where(Remedy.complaint == complaint.id, Remedy.completed_at.is_null()):
            responses.complete_remedy(actor, remedy.id)

    def _close(self, case: Past) -> None:
        journey.close_complaint(
            self.handler, self._complaint(case).id, ANSWERS[case.decision], "Staff were reminded of the standard."
        )

    def _escalate(self, case: Past) -> None:
        journey.escalate_complaint(self.handler, self._complaint(case).id, STAGE_2_ASKED)

    def _acknowledge2(self, case: Past) -> None:
        journey.acknowledge_complaint(
            self.boss, self._complaint(case).id, [(f"The stage 1 answer: {case.point}", case.sought)], case.sought
        )

    def _answer2(self, case: Past) -> None:
        scotland = self._complaint(case).nation == "scotland"
        self._answer(case, self.signer if scotland else self.boss, case.stage2[3])  # type: ignore[index]

    def _refer(self, case: Past) -> None:
        journey.refer_to_ombudsman(self.boss, self._complaint(case).id, f"HOS-{202000 + self._complaint(case).id}")

    def _determine(self, case: Past) -> None:
        journey.record_determination(
            self.boss,
            self._complaint(case).id,
            "service_failure",
            "Apologise in writing and pay £150 for the time and trouble the delay in explaining the charge caused.",
            local_date() + dt.timedelta(days=28),
        )

    def _comply(self, case: Past) -> None:
        for order in OmbudsmanOrder.select().where(OmbudsmanOrder.complaint == self._complaint(case).id):
            orders.record_compliance(self.boss, order.id, local_date(), "The letter of apology and the payment slip.")


ANSWERS = {
    "upheld": "We got this wrong, and we have put it right.",
    "partly_upheld": "We got part of this wrong; the rest was outside our control.",
    "not_upheld": "We checked our records and the visits, and we acted as our policy says.",
    "resolved": "We put this right the day we heard about it, as you agreed.",
}


def _email_of(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.net"


def load_demo_history() -> None:
    """Create the demo's history of complaints, over the last complete regulator's year and the current one, once.

    Needs the demo accounts and homes (backend.demo). Running again changes nothing.
    """
    first = HISTORY[0]
    if (
        Contact.select()
        .where(Contact.idempotency_key == intake.scoped_key(SYSTEM, f"demo-history-{first.key}", first.words))
        .exists()
    ):
        return
    history = DemoHistory()
    for case in HISTORY:
        history.tell(case)
    history.story.run()
