"""Demo contacts and complaints at every point of the journey, so each queue and page has something to show."""

from __future__ import annotations

import datetime as dt

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.complaints import intake, journey, responses
from backend.complaints.models import Category, ClosureDay, Complaint, Contact, ServiceArea
from backend.context import SYSTEM
from backend.timeutil import local_date, utcnow

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
