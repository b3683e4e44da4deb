"""How one generated complaint stands on the dataset's "today": its stages, clocks, points, responses and messages.

The journey follows the services in ``backend.complaints`` (open, assign, acknowledge, extend, respond,
escalate, refuse, withdraw, close) with the same working-day rules, but is worked out in memory so
that hundreds of thousands of cases can be inserted in batches. Each case has its own seeded
``random.Random``, so a case comes out the same whatever else the dataset holds.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from backend.timeutil import local_date
from backend.workdays import add_working_days, is_working_day, working_days_between
from bench.words import MORE_INFORMATION, NEXT_STEPS, OUTCOMES, POINTS, RESPONSE_REASONS, UPDATES

#: Of complaints opened, the share refused at the start and the share withdrawn along the way.
REFUSED, WITHDRAWN = 0.03, 0.03
#: Of answered stage-1 complaints, the share the resident escalates (about 10 % of all reach stage 2).
ESCALATED = 0.12
#: Of stages, the share acknowledged late, extended, and answered late.
LATE_ACKNOWLEDGEMENT, EXTENDED, LATE_RESPONSE = 0.06, 0.06, 0.08
DECISIONS = (("upheld", 35), ("partly_upheld", 25), ("not_upheld", 35), ("resolved", 5))


@dataclass(frozen=True)
class StageRules:
    acknowledge_days: int | None
    respond_days: int
    respond_from: str
    max_extension_days: int


@dataclass(frozen=True)
class RegimeRules:
    id: int
    nations: tuple[str, ...]
    counting: str
    stages: dict[int, StageRules]

    @property
    def max_stages(self) -> int:
        return max(self.stages)


#: The regimes migrations 0007 and 0012 seed, for generating rows without a database; the store reads the real ones.
SEEDED_REGIMES = (
    RegimeRules(
        1,
        ("england",),
        "next_working_day",
        {1: StageRules(5, 10, "acknowledgement", 10), 2: StageRules(5, 20, "acknowledgement", 20)},
    ),
    RegimeRules(
        2,
        ("scotland",),
        "next_working_day",
        {1: StageRules(None, 5, "receipt", 5), 2: StageRules(3, 20, "receipt", 0)},
    ),
    RegimeRules(
        3,
        ("wales",),
        "next_working_day",
        {1: StageRules(None, 10, "receipt", 0), 2: StageRules(5, 20, "receipt", 0)},
    ),
    RegimeRules(
        4,
        ("northern_ireland",),
        "next_working_day",
        {1: StageRules(None, 5, "receipt", 5), 2: StageRules(3, 20, "receipt", 0)},
    ),
)


def regime_for(regimes: tuple[RegimeRules, ...], nation: str) -> RegimeRules:
    """The regime covering a nation (as ``backend.complaints.journey.regime_for``: there is no fallback)."""
    for regime in regimes:
        if nation in regime.nations:
            return regime
    raise LookupError(f"no complaint regime covers {nation}")


@lru_cache(maxsize=65_536)
def due_date(start: dt.date, days: int, nation: str, counting: str) -> dt.date:
    """As ``backend.complaints.clocks.due_date`` with no closure days (the bench landlord never closes)."""
    if counting == "same_day" and is_working_day(start, nation):
        start = start - dt.timedelta(days=1)
    return add_working_days(start, days, nation)


@lru_cache(maxsize=65_536)
def working_days_after(start: dt.date, days: int, nation: str) -> dt.date:
    return add_working_days(start, days, nation)


@dataclass(frozen=True)
class CaseSeed:
    """What the contact decided about its complaint; everything else follows from ``seed``."""

    complaint_id: int
    contact_id: int
    reference: str
    resident: int
    home: int
    nation: str
    service_area: int
    category: int
    received_at: dt.datetime
    opened_at: dt.datetime
    seed: int


@dataclass
class Response:
    stage: int
    reasons: str
    next_steps: str
    issued_at: dt.datetime
    issued_by: int
    #: (index into the case's points, decision, reasons)
    decisions: list[tuple[int, str, str]]
    #: (kind, description, amount, due_on, completed_at, completed_by)
    remedies: list[tuple[Any, ...]]


@dataclass
class Case:
    """A complaint as it stands on ``today``. Row tuples are in the order ``bench.casework`` inserts them."""

    seed: CaseSeed
    regime: int
    status: str = "received"
    stage: int = 1
    handler: int | None = None
    team: str | None = None
    summary: str | None = None
    outcomes_sought: str | None = None
    refusal_ground: str | None = None
    refusal_reasons: str | None = None
    refused_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None
    withdrawal_reason: str | None = None
    underlying_cause: str | None = None
    remedial_action: str | None = None
    closed_at: dt.datetime | None = None
    next_due_on: dt.date | None = None
    updated_at: dt.datetime | None = None
    #: (number, handler, opened_at, acknowledged_at, responded_at, extended_days, extension_reason,
    #: extension_told_on, extension_ombudsman_details_given, escalation_reason)
    stages: list[list[Any]] = field(default_factory=list)
    #: dicts with the Clock model's field names
    clocks: list[dict[str, Any]] = field(default_factory=list)
    #: (position, text, outcome_sought, stage)
    points: list[tuple[Any, ...]] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    #: (direction, kind, body, stage, created_by, created_at)
    messages: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status in ("received", "open", "responded")


class Stopped(Exception):
    """Today came before the next step: the case is left where it is."""


class Journey:
    """Walks one case forward step by step until it ends or reaches ``today``."""

    def __init__(self, seed: CaseSeed, regime: RegimeRules, staff: list[tuple[int, str]], today: dt.datetime):
        self.rng = random.Random(seed.seed)  # noqa: S311 - seeded for a reproducible dataset
        self.regime = regime
        self.staff = staff
        self.today = today
        self.case = Case(seed=seed, regime=regime.id, updated_at=seed.opened_at)
        self.nation = seed.nation
        self.earlier_handlers: set[int] = set()

    # --- time -------------------------------------------------------------------------------

    def moment(self, day: dt.date, after: dt.datetime) -> dt.datetime:
        """A time in office hours on ``day``, never before ``after``; raise Stopped if it is after today."""
        at = dt.datetime.combine(day, dt.time(self.rng.randint(8, 16), self.rng.randrange(60), self.rng.randrange(60)))
        if at <= after:
            at = after + dt.timedelta(minutes=self.rng.randint(5, 180))
        if at > self.today:
            raise Stopped
        self.case.updated_at = at
        return at

    def due(self, start: dt.date, days: int) -> dt.date:
        return due_date(start, days, self.nation, self.regime.counting)

    def after_working_days(self, start: dt.date, days: int) -> dt.date:
        return working_days_after(start, days, self.nation)

    # --- clocks ----------------------------------------------------------------------------

    def start_clock(self, stage: int, kind: str, started_on: dt.date, days: int) -> dict[str, Any]:
        due = self.due(started_on, days)
        clock = {
            "stage": stage,
            "kind": kind,
            "status": "running",
            "started_on": started_on,
            "days": days,
            "due_on": due,
            "original_due_on": due,
            "met_at": None,
            "met_on": None,
            "breached": False,
            "working_days_taken": None,
            "at_risk_notified_at": None,
            "breach_notified_at": None,
        }
        self.case.clocks.append(clock)
        return clock

    def running(self, kind: str) -> dict[str, Any] | None:
        for clock in self.case.clocks:
            if clock["stage"] == self.case.stage and clock["kind"] == kind and clock["status"] == "running":
                return clock
        return None

    def meet(self, kind: str, at: dt.datetime) -> None:
        clock = self.running(kind)
        if clock is None:
            return
        met_on = local_date(at)
        clock.update(status="met", met_at=at, met_on=met_on, breached=met_on > clock["due_on"])
        clock["working_days_taken"] = working_days_between(clock["started_on"], met_on, self.nation)
        if clock["breached"]:
            self.flag(clock)

    def flag(self, clock: dict[str, Any]) -> None:
        """What the clock sweep records: at risk two days before the due date, breached the day after."""
        due = clock["due_on"]
        clock["at_risk_notified_at"] = dt.datetime.combine(due - dt.timedelta(days=2), dt.time(6))
        clock["breach_notified_at"] = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(6))

    def stop_clocks(self) -> None:
        for clock in self.case.clocks:
            if clock["status"] == "running":
                clock["status"] = "stopped"

    def settle(self) -> None:
        """Flag running clocks as the sweep would by today, and keep ``next_due_on`` as the services do."""
        today = self.today.date()
        running = [clock for clock in self.case.clocks if clock["status"] == "running"]
        for clock in running:
            if today > clock["due_on"]:
                clock["breached"] = True
                self.flag(clock)
            elif working_days_between(today, clock["due_on"], self.nation) <= 2:
                clock["at_risk_notified_at"] = self.today - dt.timedelta(hours=18)
        self.case.next_due_on = min((clock["due_on"] for clock in running), default=None)

    # --- steps -----------------------------------------------------------------------------

    def say(self, kind: str, body: str, at: dt.datetime, by: int | None, direction: str = "to_resident") -> None:
        self.case.messages.append((direction, kind, body, self.case.stage, by, at))

    def assign(self, stage: list[Any], opened_at: dt.datetime) -> int:
        choices = [person for person in self.staff if person[0] not in self.earlier_handlers]
        handler, team = self.rng.choice(choices)
        delay = self.rng.choice((0, 0, 1, 1, 2))
        self.moment(self.after_working_days(local_date(opened_at), delay), opened_at)
        self.case.handler, self.case.team, stage[1] = handler, team, handler
        return handler

    def run_stage(self, opened_at: dt.datetime, escalation_reason: str | None) -> dt.datetime:
        """Open, assign, acknowledge and answer one stage; return when it was answered. Raises Stopped."""
        case, rng = self.case, self.rng
        number = case.stage
        rules = self.regime.stages[number]
        opened_on = local_date(opened_at)
        stage = [number, None, opened_at, None, None, 0, None, None, False, escalation_reason]
        case.stages.append(stage)
        case.status = "received"
        if rules.acknowledge_days is not None:
            self.start_clock(number, "acknowledge", opened_on, rules.acknowledge_days)
        if rules.respond_from == "receipt" or rules.acknowledge_days is None:
            self.start_clock(number, "respond", opened_on, rules.respond_days)
        ending = rng.random()  # refused, withdrawn or answered (stage 1 only)
        handler = self.assign(stage, opened_at)
        limit = rules.acknowledge_days or 3
        late = rng.random() < LATE_ACKNOWLEDGEMENT
        days = rng.randint(limit + 1, limit + 4) if late else rng.randint(1, limit)
        acknowledged_at = self.moment(self.after_working_days(opened_on, days), opened_at)
        if number == 1 and ending < REFUSED:
            self.refuse(acknowledged_at, handler)
        self.acknowledge(stage, acknowledged_at, handler)
        respond = self.running("respond")
        if respond is None:  # the regime starts the response clock at acknowledgement
            respond = self.start_clock(number, "respond", local_date(acknowledged_at), rules.respond_days)
        started_on = respond["started_on"]
        # Stages whose procedure caps the extension at nothing are never extended here (that needs a manager).
        extended = rng.random() < EXTENDED and rules.max_extension_days > 0
        if extended:
            self.extend(stage, respond, rng.randint(1, rules.max_extension_days), acknowledged_at, handler)
        late = rng.random() < LATE_RESPONSE
        window = working_days_between(started_on, respond["due_on"], self.nation)
        days = window + rng.randint(1, 8) if late else rng.randint(max(1, window // 3), max(1, window))
        responded_on = self.after_working_days(started_on, days)
        if number == 1 and REFUSED <= ending < REFUSED + WITHDRAWN:
            between = (responded_on - local_date(acknowledged_at)).days
            self.withdraw(acknowledged_at + dt.timedelta(days=rng.randint(0, max(0, between))))
        self.keep_in_touch(acknowledged_at, responded_on, handler)
        responded_at = self.moment(responded_on, case.updated_at or acknowledged_at)
        self.respond(stage, responded_at, handler)
        return responded_at

    def refuse(self, at: dt.datetime, handler: int) -> None:
        case = self.case
        case.status, case.refused_at = "refused", at
        case.refusal_ground = self.rng.choice(("over_twelve_months", "legal_proceedings", "already_considered"))
        case.refusal_reasons = "We cannot take this complaint on under our policy; here is why, and the Ombudsman."
        self.stop_clocks()
        self.say("refusal", case.refusal_reasons, at, handler)
        raise Stopped

    def withdraw(self, at: dt.datetime) -> None:
        at = self.moment(at.date(), at)
        case = self.case
        case.status, case.withdrawn_at, case.withdrawal_reason = "withdrawn", at, "The resident is happy now."
        self.stop_clocks()
        raise Stopped

    def acknowledge(self, stage: list[Any], at: dt.datetime, handler: int) -> None:
        case, rng = self.case, self.rng
        start = len(case.points)
        for position in range(start + 1, start + 1 + self.point_count()):
            case.points.append((position, rng.choice(POINTS), rng.choice(OUTCOMES), case.stage))
        case.outcomes_sought = case.outcomes_sought or rng.choice(OUTCOMES)
        case.summary = case.summary or "Repairs not completed and calls not returned."
        case.status = "open"
        stage[3] = at
        self.meet("acknowledge", at)
        self.say("acknowledgement", case.outcomes_sought, at, handler)

    def point_count(self) -> int:
        if self.case.stage == 1:
            return self.rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]
        return self.rng.choice((0, 0, 1, 2))

    def extend(self, stage: list[Any], clock: dict[str, Any], days: int, after: dt.datetime, handler: int) -> None:
        told_on = max(local_date(after), clock["original_due_on"] - dt.timedelta(days=3))
        at = self.moment(told_on, after)
        stage[5:9] = [days, "We are waiting for a specialist report.", local_date(at), True]
        clock["due_on"] = self.after_working_days(clock["original_due_on"], days)
        self.say("extension", stage[6], at, handler)

    def keep_in_touch(self, since: dt.datetime, until: dt.date, handler: int) -> None:
        """Updates to the resident and more information from them while the stage is open."""
        rng, span = self.rng, max(1, (until - since.date()).days)
        notes = [("update", rng.choice(UPDATES), handler, "to_resident") for _ in range(rng.choice((0, 1, 1, 2)))]
        if rng.random() < 0.25:
            notes.append(("more_information", rng.choice(MORE_INFORMATION), self.case.seed.resident, "from_resident"))
        offsets = sorted(rng.randint(0, span) for _ in notes)
        for (kind, body, by, direction), offset in zip(notes, offsets, strict=True):
            at = self.moment(since.date() + dt.timedelta(days=offset), self.case.updated_at or since)
            self.say(kind, body, at, by, direction)

    def respond(self, stage: list[Any], at: dt.datetime, handler: int) -> None:
        case, rng = self.case, self.rng
        decisions = [
            (index, rng.choices(*zip(*DECISIONS, strict=True))[0], "We looked into this point.")
            for index in range(len(case.points))
        ]
        remedies: list[tuple[Any, ...]] = []
        if any(decision in ("upheld", "partly_upheld") for _i, decision, _r in decisions):
            due = at.date() + dt.timedelta(days=rng.randint(10, 28))
            done = dt.datetime.combine(due, dt.time(12)) if due < self.today.date() and rng.random() < 0.8 else None
            remedies.append(("apology", "We apologise for the delay.", None, due, done, handler if done else None))
            if rng.random() < 0.25:
                amount = Decimal(rng.randrange(2_500, 50_000)) / 100
                remedies.append(("financial_redress", "For the time without heating.", amount, due, done, None))
        final = case.stage >= self.regime.max_stages
        next_steps = NEXT_STEPS[1] if final else NEXT_STEPS[0]
        reasons = rng.choice(RESPONSE_REASONS)
        case.responses.append(Response(case.stage, reasons, next_steps, at, handler, decisions, remedies))
        stage[4] = at
        self.meet("acknowledge", at)
        self.meet("respond", at)
        case.status = "responded"
        self.say("response", reasons, at, handler)
        if final:
            self.close(at)

    def close(self, at: dt.datetime) -> None:
        case = self.case
        case.underlying_cause = "The first repair did not find the cause."
        case.remedial_action = "Repairs now check the cause before closing a job."
        case.status, case.closed_at = "closed", at
        self.stop_clocks()

    def escalate(self, responded_at: dt.datetime) -> tuple[dt.datetime, str | None]:
        at = self.moment(responded_at.date() + dt.timedelta(days=self.rng.randint(3, 40)), responded_at)
        reason = "I am still waiting for the repair." if self.rng.random() < 0.7 else None
        case = self.case
        self.earlier_handlers.add(case.handler or 0)
        case.stage += 1
        case.handler = case.team = None
        if reason:
            self.say("escalation_request", reason, at, case.seed.resident, "from_resident")
        return at, reason

    def walk(self) -> Case:
        case = self.case
        opened_at, reason = case.seed.opened_at, None
        try:
            while True:
                responded_at = self.run_stage(opened_at, reason)
                if case.status == "closed":
                    break
                if self.rng.random() < ESCALATED:
                    opened_at, reason = self.escalate(responded_at)
                    continue
                closing = responded_at.date() + dt.timedelta(days=self.rng.randint(10, 30))
                self.close(self.moment(closing, responded_at))
                break
        except Stopped:
            pass
        self.settle()
        case.messages.sort(key=lambda message: message[5])
        return case


def plan_case(seed: CaseSeed, regime: RegimeRules, staff: list[tuple[int, str]], today: dt.datetime) -> Case:
    """The complaint ``seed`` describes, as it stands on ``today``."""
    return Journey(seed, regime, staff, today).walk()
