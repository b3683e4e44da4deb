"""Contacts and complaints in the real tables: what residents told the landlord, and each complaint's journey.

Contacts arrive over three years, ids in the order received. About a third are complaints; each
complaint's journey (``bench.cases``) is worked out once while its contact is generated, so the
contact's status agrees with it, and later tables read the planned cases from ``world.cases``.
Rows that later rows point at (points, responses) carry explicit ids, counted in case order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from backend.complaints.models import (
    CaseMessage,
    Category,
    Clock,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    PointDecision,
    Remedy,
    ServiceArea,
)
from bench.cases import Case, CaseSeed, plan_case, regime_for
from bench.words import (
    CATEGORIES,
    CONTACT_CHANNELS,
    FOLLOW_UPS,
    ISSUES,
    OTHER_KINDS,
    SERVICE_AREAS,
    SUGGESTIONS,
    THANKS,
)
from bench.world import Table, World, weighted

#: Contacts arrive over this many days before the dataset's today.
HISTORY_DAYS = 3 * 365
#: Channels where a member of staff takes the contact down.
IN_PERSON = ("phone", "face_to_face", "verbal_to_staff")
#: The share of contacts from the few residents who get in touch most (5 % of residents).
FREQUENT_SHARE = 0.4
CLOCK_FIELDS = (
    "stage",
    "kind",
    "status",
    "started_on",
    "days",
    "due_on",
    "original_due_on",
    "met_at",
    "met_on",
    "breached",
    "working_days_taken",
    "at_risk_notified_at",
    "breach_notified_at",
)


def service_areas(world: World) -> Table:
    rows = iter([(i, name) for i, name in enumerate(SERVICE_AREAS, start=1)])
    return Table("service areas", ServiceArea, [ServiceArea.id, ServiceArea.name], len(SERVICE_AREAS), rows, True)


def categories(world: World) -> Table:
    rows = iter([(i, name) for i, name in enumerate(CATEGORIES, start=1)])
    return Table("categories", Category, [Category.id, Category.name], len(CATEGORIES), rows, True)


def contacts(world: World) -> Table:
    """Every contact, in the order received; a complaint's journey is planned as its contact is made."""
    rng, sizes = world.rng, world.sizes
    count, residents = sizes["contacts"], sizes["residents"]
    complaints = min(sizes["complaints"], count)
    frequent = rng.sample(range(1, residents + 1), max(1, residents // 20))
    received = sorted(world.moment(HISTORY_DAYS) for _ in range(count))
    channels, channel_weights = weighted(CONTACT_CHANNELS)
    kinds, kind_weights = weighted(OTHER_KINDS)
    staff_ids = [person for person, _team in world.handlers]

    def complaint(seed: CaseSeed, logged_by: int, taker: int) -> tuple[Any, ...]:
        """Plan the complaint the contact opened: straight away if they asked to complain, else when staff saw it."""
        wants = rng.random() < 0.6
        late = dt.timedelta(seconds=rng.randint(3_600, 30 * 3_600))
        received_at = seed.received_at
        classified_at = received_at if wants else max(received_at, min(received_at + late, world.today))
        # When it opened, and its own generator, are decided here.
        seed = replace(seed, opened_at=classified_at, seed=rng.getrandbits(63))
        case = plan_case(seed, regime_for(world.regimes, seed.nation), world.handlers, world.today)
        world.cases.append(case)
        status = "open" if case.is_active else "closed"
        description = f"{rng.choice(ISSUES)} {rng.choice(FOLLOW_UPS)}"
        return "complaint", wants, logged_by if wants else taker, classified_at, status, description

    def other(received_at: dt.datetime, taker: int) -> tuple[Any, ...]:
        """A service request, compliment, suggestion or survey answer; the last two days' partly unclassified."""
        kind = rng.choices(kinds, kind_weights)[0]
        description = _words(rng, kind)
        if (world.today - received_at).days < 2 and rng.random() < 0.7:
            return None, False, None, None, "new", description
        classified_at = received_at + dt.timedelta(seconds=rng.randint(600, 8 * 3_600))
        old = (world.today - received_at).days > 21
        status = "closed" if old and rng.random() < 0.9 else "open"
        return kind, False, taker, classified_at, status, description

    def rows() -> Iterator[tuple[Any, ...]]:
        left = complaints
        for index, received_at in enumerate(received):
            contact_id = index + 1
            is_complaint = rng.random() * (count - index) < left
            left -= is_complaint
            anonymous = not is_complaint and rng.random() < 0.02
            if anonymous:
                resident = None
            elif rng.random() < FREQUENT_SHARE:
                resident = rng.choice(frequent)
            else:
                resident = rng.randint(1, residents)
            home = world.resident_homes[resident - 1] if resident else rng.randint(1, sizes["homes"])
            nation = world.home_nations[home - 1]
            channel = rng.choices(channels, channel_weights)[0]
            taker = rng.choice(staff_ids)
            by_portal = channel == "portal"
            logged_by = resident if by_portal and resident else taker
            reference = f"LL-{received_at.year}-{contact_id:06d}"
            area, category = rng.randint(1, len(SERVICE_AREAS)), rng.randint(1, len(CATEGORIES))
            if is_complaint:
                assert resident is not None  # a complaint is never anonymous
                about = (len(world.cases) + 1, contact_id, reference, resident, home, nation, area, category)
                made = complaint(
                    CaseSeed(*about, received_at=received_at, opened_at=received_at, seed=0), logged_by, taker
                )
                kind, wants, classified_by, classified_at, status, description = made
            else:
                kind, wants, classified_by, classified_at, status, description = other(received_at, taker)
            vulnerable = ["disability"] if rng.random() < 0.05 else []
            representative = "family_member" if channel == "representative" else None
            yield (
                contact_id,
                reference,
                channel,
                received_at,
                taker if channel in IN_PERSON else None,
                logged_by,
                "portal" if by_portal else "console",
                resident,
                home,
                nation,
                anonymous,
                "cy" if nation == "wales" and rng.random() < 0.3 else "en",
                description,
                description,
                wants,
                channel == "interpreter",
                representative,
                representative is not None,
                "verbal" if representative else None,
                "",
                vulnerable,
                kind,
                None if kind is None or wants else "What they describe is this kind of contact.",
                classified_by,
                classified_at,
                area,
                category,
                status,
                received_at,
                classified_at or received_at,
            )

    fields = [
        Contact.id,
        Contact.reference,
        Contact.channel,
        Contact.received_at,
        Contact.received_by,
        Contact.logged_by,
        Contact.logged_via,
        Contact.resident,
        Contact.home,
        Contact.nation,
        Contact.anonymous,
        Contact.locale,
        Contact.description,
        Contact.description_redacted,
        Contact.wants_to_complain,
        Contact.interpreter_used,
        Contact.representative_kind,
        Contact.representative_consent,
        Contact.representative_consent_method,
        Contact.adjustments,
        Contact.vulnerabilities,
        Contact.kind,
        Contact.kind_reason,
        Contact.classified_by,
        Contact.classified_at,
        Contact.service_area,
        Contact.category,
        Contact.status,
        Contact.created_at,
        Contact.updated_at,
    ]
    return Table("contacts", Contact, fields, count, rows(), True)


def _words(rng: Any, kind: str) -> str:
    if kind == "compliment":
        return str(rng.choice(THANKS))
    if kind == "suggestion":
        return str(rng.choice(SUGGESTIONS))
    return f"{rng.choice(ISSUES)} {rng.choice(FOLLOW_UPS)}"


def complaints(world: World) -> Table:
    def row(case: Case) -> tuple[Any, ...]:
        seed = case.seed
        return (
            seed.complaint_id,
            seed.reference,
            seed.contact_id,
            seed.resident,
            seed.home,
            seed.nation,
            case.regime,
            case.stage,
            case.status,
            case.handler,
            case.team,
            seed.service_area,
            seed.category,
            case.summary,
            case.outcomes_sought,
            case.refusal_ground,
            case.refusal_reasons,
            case.refused_at,
            case.withdrawn_at,
            case.withdrawal_reason,
            case.underlying_cause,
            case.remedial_action,
            case.closed_at,
            case.next_due_on,
            seed.opened_at,
            case.updated_at,
        )

    fields = [
        Complaint.id,
        Complaint.reference,
        Complaint.contact,
        Complaint.resident,
        Complaint.home,
        Complaint.nation,
        Complaint.regime,
        Complaint.stage,
        Complaint.status,
        Complaint.handler,
        Complaint.team,
        Complaint.service_area,
        Complaint.category,
        Complaint.summary,
        Complaint.outcomes_sought,
        Complaint.refusal_ground,
        Complaint.refusal_reasons,
        Complaint.refused_at,
        Complaint.withdrawn_at,
        Complaint.withdrawal_reason,
        Complaint.underlying_cause,
        Complaint.remedial_action,
        Complaint.closed_at,
        Complaint.next_due_on,
        Complaint.created_at,
        Complaint.updated_at,
    ]
    return Table("complaints", Complaint, fields, len(world.cases), (row(c) for c in world.cases), True)


def complaint_stages(world: World) -> Table:
    rows = ((case.seed.complaint_id, *stage) for case in world.cases for stage in case.stages)
    fields = [
        ComplaintStage.complaint,
        ComplaintStage.number,
        ComplaintStage.handler,
        ComplaintStage.opened_at,
        ComplaintStage.acknowledged_at,
        ComplaintStage.responded_at,
        ComplaintStage.extended_days,
        ComplaintStage.extension_reason,
        ComplaintStage.extension_told_on,
        ComplaintStage.extension_ombudsman_details_given,
        ComplaintStage.escalation_reason,
    ]
    total = sum(len(case.stages) for case in world.cases)
    return Table("complaint stages", ComplaintStage, fields, total, rows)


def clocks(world: World) -> Table:
    rows = (
        (case.seed.complaint_id, *(clock[name] for name in CLOCK_FIELDS))
        for case in world.cases
        for clock in case.clocks
    )
    fields = [Clock.complaint, *(getattr(Clock, name) for name in CLOCK_FIELDS)]
    return Table("clocks", Clock, fields, sum(len(case.clocks) for case in world.cases), rows)


def complaint_points(world: World) -> Table:
    def rows() -> Iterator[tuple[Any, ...]]:
        point_id = 0
        for case in world.cases:
            for point in case.points:
                point_id += 1
                yield (point_id, case.seed.complaint_id, *point)

    fields = [
        ComplaintPoint.id,
        ComplaintPoint.complaint,
        ComplaintPoint.position,
        ComplaintPoint.text,
        ComplaintPoint.outcome_sought,
        ComplaintPoint.stage,
    ]
    total = sum(len(case.points) for case in world.cases)
    return Table("complaint points", ComplaintPoint, fields, total, rows(), True)


def complaint_responses(world: World) -> Table:
    def rows() -> Iterator[tuple[Any, ...]]:
        response_id = 0
        for case in world.cases:
            for response in case.responses:
                response_id += 1
                yield (
                    response_id,
                    case.seed.complaint_id,
                    response.stage,
                    response.reasons,
                    response.next_steps,
                    response.issued_at,
                    response.issued_by,
                )

    fields = [
        ComplaintResponse.id,
        ComplaintResponse.complaint,
        ComplaintResponse.stage,
        ComplaintResponse.reasons,
        ComplaintResponse.next_steps,
        ComplaintResponse.issued_at,
        ComplaintResponse.issued_by,
    ]
    total = sum(len(case.responses) for case in world.cases)
    return Table("complaint responses", ComplaintResponse, fields, total, rows(), True)


def _with_ids(world: World) -> Iterator[tuple[Case, int, int]]:
    """Each case with the id before its first point and before its first response."""
    points = responses = 0
    for case in world.cases:
        yield case, points, responses
        points += len(case.points)
        responses += len(case.responses)


def point_decisions(world: World) -> Table:
    def rows() -> Iterator[tuple[Any, ...]]:
        for case, points, responses in _with_ids(world):
            for offset, response in enumerate(case.responses, start=1):
                for index, decision, reasons in response.decisions:
                    yield (responses + offset, points + index + 1, decision, reasons)

    fields = [PointDecision.response, PointDecision.point, PointDecision.decision, PointDecision.reasons]
    total = sum(len(r.decisions) for case in world.cases for r in case.responses)
    return Table("point decisions", PointDecision, fields, total, rows())


def remedies(world: World) -> Table:
    def rows() -> Iterator[tuple[Any, ...]]:
        for case, _points, responses in _with_ids(world):
            for offset, response in enumerate(case.responses, start=1):
                for remedy in response.remedies:
                    yield (case.seed.complaint_id, responses + offset, *remedy)

    fields = [
        Remedy.complaint,
        Remedy.response,
        Remedy.kind,
        Remedy.description,
        Remedy.amount,
        Remedy.due_on,
        Remedy.completed_at,
        Remedy.completed_by,
    ]
    total = sum(len(r.remedies) for case in world.cases for r in case.responses)
    return Table("remedies", Remedy, fields, total, rows())


def case_messages(world: World) -> Table:
    rows = (
        (case.seed.contact_id, case.seed.complaint_id, direction, kind, body, body, stage, by, at)
        for case in world.cases
        for direction, kind, body, stage, by, at in case.messages
    )
    fields = [
        CaseMessage.contact,
        CaseMessage.complaint,
        CaseMessage.direction,
        CaseMessage.kind,
        CaseMessage.body,
        CaseMessage.body_redacted,
        CaseMessage.stage,
        CaseMessage.created_by,
        CaseMessage.created_at,
    ]
    return Table("case messages", CaseMessage, fields, sum(len(case.messages) for case in world.cases), rows)


def tables(world: World) -> Iterator[Table]:
    """The contact and complaint tables, in dependency order (after accounts and homes)."""
    yield service_areas(world)
    yield categories(world)
    yield contacts(world)
    yield complaints(world)
    yield complaint_stages(world)
    yield clocks(world)
    yield complaint_points(world)
    yield complaint_responses(world)
    yield point_decisions(world)
    yield remedies(world)
    yield case_messages(world)
