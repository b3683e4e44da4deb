"""One factory per model. Each returns a saved row with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from backend.accounts.models import (
    ApiToken,
    Home,
    Landlord,
    PhoneVerification,
    RecoveryCode,
    Representation,
    SecondFactor,
    SecuritySetting,
    SignInFailure,
    User,
    UserRole,
    UserSession,
)
from backend.accounts.passwords import hash_password
from backend.accounts.tokens import create_token
from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.context import SYSTEM
from backend.events.models import Delivery, OutboxEvent
from backend.ratelimit.models import RateLimitWindow
from backend.scheduling.models import SchedulerLease
from backend.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRule,
    TsmSurveyMethod,
)
from backend.timeutil import local_date, utcnow

PASSWORD = "correct horse battery"
_seq = itertools.count(1)

# Hashing is deliberately slow; tests share one hash of the common password.
_PASSWORD_HASH = hash_password(PASSWORD)


def make_landlord(name: str | None = None) -> Landlord:
    return Landlord.create(name=name or f"Landlord {next(_seq)}")


def make_home(nation: str = "england", tenure: str = "rented", landlord: Landlord | None = None) -> Home:
    n = next(_seq)
    return Home.create(
        landlord=landlord or make_landlord(),
        reference=f"H-{n:05d}",
        address=f"{n} Test Street",
        postcode="LS1 1AA",
        nation=nation,
        tenure=tenure,
    )


def make_user(
    *roles: str,
    email: str | None = None,
    password: str | None = PASSWORD,
    locale: str | None = None,
    verified: bool = True,
    home: Home | None = None,
    active: bool = True,
    phone: str | None = None,
    phone_verified: bool = False,
) -> User:
    n = next(_seq)
    user = User.create(
        email=email or f"person{n}@example.net",
        display_name=f"Person {n}",
        password_hash=(_PASSWORD_HASH if password == PASSWORD else hash_password(password)) if password else None,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
        home=home,
        is_active=active,
        phone=phone,
        phone_verified_at=utcnow() if phone and phone_verified else None,
    )
    for role in roles or ("resident",):
        UserRole.create(user=user, role=role)
    return user


def make_token(user: User | None = None, scope: str = "read") -> tuple[ApiToken, str]:
    user = user or make_user("staff")
    return create_token(SYSTEM, user.email, scope, f"tool {next(_seq)}")


def make_representation(advocate: User, resident: User) -> Representation:
    return Representation.create(advocate=advocate, resident=resident, consent_method="written")


def make_session(user: User | None = None) -> tuple[UserSession, str]:
    """Return a live session and its key, as sign-in would create them."""
    from backend.accounts.auth import start_session

    user = user or make_user()
    key = start_session(user)
    return UserSession.select().where(UserSession.user == user).order_by(UserSession.id.desc()).get(), key


def make_sign_in_failure(email: str = "someone@example.net") -> SignInFailure:
    import hashlib

    return SignInFailure.create(key_hash=hashlib.sha256(f"email:{email}".encode()).hexdigest())


def make_audit_event(action: str = "test.happened", entity_id: int = 1) -> AuditEvent:
    return record_audit(SYSTEM, action, "test", entity_id, {"field": {"before": 1, "after": 2}})


def make_outbox_event(name: str = "test.happened", **payload: object) -> OutboxEvent:
    return OutboxEvent.create(name=name, payload=payload)


def make_delivery(event: OutboxEvent | None = None, channel: str = "email", user: User | None = None) -> Delivery:
    event = event or make_outbox_event()
    user = user or make_user()
    return Delivery.create(
        event=event, idempotency_key=f"{event.id}:{user.id}:{channel}", channel=channel, recipient_user_id=user.id
    )


def make_rate_limit_window(key: str = "ip:192.0.2.1", hits: int = 1) -> RateLimitWindow:
    from backend.ratelimit.services import hit

    hit(key, limit=1_000_000, window_seconds=60, amount=hits)
    return RateLimitWindow.select().order_by(RateLimitWindow.id.desc()).get()


def make_scheduler_lease(name: str = "periodic", holder: str = "host-a:101") -> SchedulerLease:
    from backend.scheduling.leases import hold_lease

    assert hold_lease(name, holder, seconds=60)
    return SchedulerLease.get(SchedulerLease.name == name)


def make_message_template(
    event: str = "account.password_changed", channel: str = "email", locale: str = "en", body: str = "Hello {{ name }}."
) -> Any:
    from backend.notifications.models import MessageTemplate

    return MessageTemplate.create(event=event, channel=channel, locale=locale, subject="Notice", body=body)


def make_translation_review(
    event: str = "account.password_changed", channel: str = "email", locale: str = "cy", reviewer: User | None = None
) -> Any:
    """A review of one language's wording against the English wording staff saved (made here too)."""
    from backend.notifications.models import MessageTemplate, TranslationReview

    english = MessageTemplate.get_or_none(
        MessageTemplate.event == event, MessageTemplate.channel == channel, MessageTemplate.locale == "en"
    ) or make_message_template(event, channel, "en")
    return TranslationReview.create(
        event=event,
        channel=channel,
        locale=locale,
        english_changed_at=english.updated_at,
        reviewed_by=reviewer or make_user("manager"),
    )


def make_preference(user: User | None = None, topic: str = "changes", frequency: str = "weekly") -> Any:
    from backend.notifications.models import Preference

    return Preference.create(user=user or make_user(), topic=topic, frequency=frequency)


def make_channel_status(user: User | None = None, channel: str = "email") -> Any:
    from backend.notifications.models import ChannelStatus

    return ChannelStatus.create(user=user or make_user(), channel=channel, reason="550 no such user")


def make_portal_message(user: User | None = None) -> Any:
    from backend.notifications.models import PortalMessage

    return PortalMessage.create(user=user or make_user(), subject="We have your feedback", body="Thank you.")


def make_letter(user: User | None = None) -> Any:
    from backend.notifications.models import Letter

    return Letter.create(
        user=user or make_user(),
        address="1 Test Street\nLS1 1AA",
        subject="Your complaint",
        body="Thank you for telling us.",
    )


def make_call_task(user: User | None = None) -> Any:
    from backend.notifications.models import CallTask

    user = user or make_user(phone="07700 900123")
    delivery = make_delivery(channel="call", user=user)
    return CallTask.create(
        delivery=delivery, user=user, name=user.display_name, phone=user.phone, subject="Your complaint", body="Hello."
    )


def make_survey(status: str = "live", anonymous: bool = True, **values: object) -> Survey:
    title = values.pop("title", {"en": f"Survey {next(_seq)}", "cy": "Arolwg"})
    return Survey.create(title=title, status=status, anonymous=anonymous, **values)


def make_survey_question(
    survey: Survey | None = None,
    kind: str = "rating",
    text: dict[str, str] | None = None,
    options: list[dict[str, object]] | None = None,
    required: bool = False,
    condition: dict[str, object] | None = None,
    tsm_code: str | None = None,
) -> SurveyQuestion:
    survey = survey or make_survey()
    last = SurveyQuestion.select().where(SurveyQuestion.survey == survey).count()
    if options is None and kind in ("single", "multiple"):
        options = [
            {"value": "repairs", "label": {"en": "Repairs", "cy": "Atgyweiriadau"}},
            {"value": "noise", "label": {"en": "Noise"}},
            {"value": "rent", "label": {"en": "Rent"}},
        ]
    return SurveyQuestion.create(
        survey=survey,
        position=last + 1,
        kind=kind,
        text=text or {"en": f"Question {next(_seq)}", "cy": "Cwestiwn"},
        options=options or [],
        required=required,
        condition=condition,
        tsm_code=tsm_code,
    )


def make_survey_rule(survey: Survey | None = None, event_name: str = "complaint.closed", days: int = 0) -> SurveyRule:
    return SurveyRule.create(survey=survey or make_survey(), event_name=event_name, delay_amount=days)


def make_survey_invitation(
    survey: Survey | None = None, user: User | None = None, status: str = "sent", expires_in_days: int = 28
) -> SurveyInvitation:
    now = utcnow()
    return SurveyInvitation.create(
        survey=survey or make_survey(),
        user=user or make_user(),
        key=f"manual:{next(_seq)}",
        status=status,
        due_at=now,
        sent_at=now if status != "pending" else None,
        expires_at=now + dt.timedelta(days=expires_in_days) if status != "pending" else None,
    )


def make_survey_response(
    survey: Survey | None = None,
    locale: str = "en",
    channel: str = "email",
    user: User | None = None,
    **values: Any,
) -> SurveyResponse:
    return SurveyResponse.create(survey=survey or make_survey(), locale=locale, channel=channel, user=user, **values)


def make_survey_answer(
    response: SurveyResponse | None = None, question: SurveyQuestion | None = None, value: str = "4"
) -> SurveyAnswer:
    response = response or make_survey_response()
    question = question or make_survey_question(response.survey)
    number = int(value) if question.kind == "rating" else None
    return SurveyAnswer.create(response=response, question=question, value=value, number=number)


def make_tsm_survey_method(survey: Survey | None = None, year: int = 2025, **values: Any) -> TsmSurveyMethod:
    fields: dict[str, Any] = {
        "method": "telephone",
        "sample_size": 500,
        "population": 4000,
        "weighting": "",
        "fieldwork_start": dt.date(year, 9, 1),
        "fieldwork_end": dt.date(year, 11, 30),
        **values,
    }
    return TsmSurveyMethod.create(survey=survey or make_survey(), year=year, **fields)


# --- Complaints -----------------------------------------------------------------------------


def actor_of(user: User) -> Any:
    """The actor a signed-in person acts as."""
    from backend.context import Actor

    return Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")


def make_staff(team: str = "Repairs team", manager: User | None = None) -> User:
    user = make_user("staff")
    user.team = team
    user.manager = manager
    user.save()
    return user


def make_service_area(name: str | None = None) -> Any:
    from backend.complaints.models import ServiceArea

    return ServiceArea.create(name=name or f"Area {next(_seq)}")


def make_category(name: str | None = None) -> Any:
    from backend.complaints.models import Category

    return Category.create(name=name or f"Category {next(_seq)}")


def make_closure_day(day: dt.date | None = None) -> Any:
    from backend.complaints.models import ClosureDay

    return ClosureDay.create(day=day or dt.date(2030, 12, 27), name="Office closed")


def make_regime(code: str | None = None) -> Any:
    from backend.complaints.models import Regime

    return Regime.create(
        code=code or f"r{next(_seq)}", name="Test regime", ombudsman_name="Ombudsman", ombudsman_details="Write to us."
    )


def make_regime_stage(regime: Any = None, number: int = 1) -> Any:
    from backend.complaints.models import RegimeStage

    return RegimeStage.create(regime=regime or make_regime(), number=number, name=f"Stage {number}", respond_days=10)


def make_regime_limit(regime: Any = None, number: int = 1) -> Any:
    from backend.complaints.models import RegimeLimit

    return RegimeLimit.create(
        regime=regime or make_regime(), number=number, respond_max=10, respond_from="acknowledgement"
    )


def make_contact(
    resident: User | None = None,
    description: str = "The kitchen tap has leaked for three weeks and nobody came.",
    wants_to_complain: bool = False,
    channel: str = "portal",
    received_at: dt.datetime | None = None,
    **values: Any,
) -> Any:
    """A contact logged by staff for a resident (one with a home in England unless given).

    Staff must choose the nation of a home that is not on record, so for a resident without a home the
    contact is about England unless ``nation`` says otherwise.
    """
    from backend.complaints.intake import NewContact, submit_contact

    resident = resident or make_user(home=make_home())
    if resident.home_id is None:  # type: ignore[attr-defined]
        values.setdefault("nation", "england")
    data = NewContact(
        channel=channel,
        description=description,
        resident_id=resident.id,
        wants_to_complain=wants_to_complain,
        received_at=received_at,
        logged_via="console",
        **values,
    )
    return submit_contact(SYSTEM, data)


def make_complaint(resident: User | None = None, received_at: dt.datetime | None = None, **values: Any) -> Any:
    from backend.complaints.models import Complaint

    contact = make_contact(resident, wants_to_complain=True, received_at=received_at, **values)
    return Complaint.get(Complaint.contact == contact.id)


def make_contact_person(contact: Any = None) -> Any:
    from backend.complaints.models import ContactPerson

    contact = contact or make_contact()
    return ContactPerson.create(contact=contact.id, name="Alex Doe", phone="0113 496 0000")


def make_complaint_stage(complaint: Any = None) -> Any:
    from backend.complaints.models import ComplaintStage

    complaint = complaint or make_complaint()
    return ComplaintStage.get(ComplaintStage.complaint == complaint.id)


def make_clock(complaint: Any = None) -> Any:
    from backend.complaints.models import Clock

    complaint = complaint or make_complaint()
    return Clock.select().where(Clock.complaint == complaint.id).get()


def acknowledged_complaint(handler: User | None = None, **values: Any) -> Any:
    from backend.complaints import journey

    handler = handler or make_staff()
    complaint = make_complaint(**values)
    return journey.acknowledge_complaint(
        actor_of(handler), complaint.id, [("The tap leaks", "Fix the tap")], "A repair and an apology"
    )


def make_complaint_point(complaint: Any = None) -> Any:
    from backend.complaints.models import ComplaintPoint

    complaint = complaint or acknowledged_complaint()
    return ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).get()


def responded_complaint(handler: User | None = None, **values: Any) -> Any:
    from backend.complaints import responses
    from backend.complaints.models import Complaint

    handler = handler or make_staff()
    complaint = acknowledged_complaint(handler, **values)
    point = make_complaint_point(complaint)
    responses.respond_to_complaint(
        actor_of(handler),
        complaint.id,
        {point.id: ("upheld", "The repair was late.")},
        "We missed two appointments.",
        "If you are not happy, ask for stage 2.",
        [responses.RemedyInput("apology", "We apologise.", dt.date(2030, 1, 10), owner_id=handler.id)],
        [responses.ActionInput("Replace the tap", dt.date(2030, 1, 20), owner_id=handler.id)],
        underlying_cause="Appointments were booked without checking the contractor's diary.",
        remedial_action="Bookings now check the contractor's diary.",
    )
    return Complaint.get_by_id(complaint.id)


def make_complaint_response(complaint: Any = None) -> Any:
    from backend.complaints.models import ComplaintResponse

    complaint = complaint or responded_complaint()
    return ComplaintResponse.get(ComplaintResponse.complaint == complaint.id)


def make_point_decision() -> Any:
    from backend.complaints.models import PointDecision

    return PointDecision.get(PointDecision.response == make_complaint_response().id)


def make_remedy() -> Any:
    from backend.complaints.models import Remedy

    return Remedy.get(Remedy.response == make_complaint_response().id)


def make_outstanding_action() -> Any:
    from backend.complaints.models import OutstandingAction

    return OutstandingAction.get(OutstandingAction.response == make_complaint_response().id)


def make_ombudsman_order(complaint: Any = None) -> Any:
    from backend.complaints.models import OmbudsmanOrder

    complaint = complaint or make_complaint()
    return OmbudsmanOrder.create(
        complaint=complaint.id, text="Pay the resident £150 for the time and trouble.", due_on=dt.date(2030, 2, 1)
    )


def make_case_message(complaint: Any = None) -> Any:
    from backend.complaints.models import CaseMessage

    complaint = complaint or acknowledged_complaint()
    return CaseMessage.select().where(CaseMessage.complaint == complaint.id).get()


def make_update_interval(complaint: Any = None, every_days: int = 5) -> Any:
    from backend.complaints.models import UpdateInterval

    complaint = complaint or acknowledged_complaint()
    return UpdateInterval.create(
        complaint=complaint.id, stage=complaint.stage, every_days=every_days, agreed_on=local_date(), method="phone"
    )


def make_point_scope() -> Any:
    from backend.complaints.models import ComplaintPoint, PointScope

    point = ComplaintPoint.get(ComplaintPoint.complaint == acknowledged_complaint().id)
    return PointScope.create(point=point.id, landlord_responsible=False, signposted_to="The council's highways team.")


def make_contact_merge() -> Any:
    from backend.complaints.intake import merge_contact

    complaint = make_complaint()
    contact = make_contact(complaint.resident)
    return merge_contact(SYSTEM, contact.id, complaint.id, "The same leak, reported again by phone.")


def make_attachment(contact: Any = None) -> Any:
    from backend.complaints.models import Attachment

    contact = contact or make_contact()
    n = next(_seq)
    return Attachment.create(
        contact=contact.id,
        file_name="photo.png",
        media_type="image/png",
        family="image",
        size=10,
        sha256="0" * 64,
        storage_key=f"test/{n:08d}",
    )


def make_case_note(complaint: Any = None, body: str = "Rang the resident: the contractor is booked.") -> Any:
    from backend.complaints.notes import add_note

    complaint = complaint or make_complaint()
    return add_note(actor_of(make_staff()), complaint.id, "call_note", body)


def make_note_file(note: Any = None) -> Any:
    from backend.complaints.models import NoteFile

    note = note or make_case_note()
    return NoteFile.create(
        note=note.id,
        file_name="report.pdf",
        media_type="application/pdf",
        family="document",
        size=10,
        sha256="0" * 64,
        storage_key=f"test/note-{next(_seq):08d}",
    )


def make_second_factor(user: User | None = None, confirmed: bool = True) -> SecondFactor:
    """Return an authenticator for ``user``; ``pyotp.TOTP(authenticator_key(row)).now()`` gives a valid code."""
    import pyotp

    from backend.accounts.sealing import seal
    from backend.accounts.second_factor import SEAL_PURPOSE

    return SecondFactor.create(
        user=user or make_user("staff"),
        secret=seal(SEAL_PURPOSE, pyotp.random_base32()),
        confirmed_at=utcnow() if confirmed else None,
    )


def make_recovery_code(user: User | None = None, code: str | None = None) -> RecoveryCode:
    from backend.accounts.second_factor import recovery_code_hash

    code = code or f"TEST-CODE-{next(_seq):04d}-0000"
    return RecoveryCode.create(user=user or make_user("staff"), code_hash=recovery_code_hash(code))


def make_security_setting(key: str = "second_factor_required_for_staff", value: object = True) -> SecuritySetting:
    return SecuritySetting.create(key=key, value=value)


def make_phone_verification(user: User | None = None, phone: str = "07700 900123") -> PhoneVerification:
    import pyotp

    user = user or make_user(phone=phone)
    return PhoneVerification.create(
        user=user, phone=phone, secret=pyotp.random_base32(), expires_at=utcnow() + dt.timedelta(minutes=10)
    )


def make_stage_leaflet(stage: Any = None) -> Any:
    from backend.complaints.models import StageLeaflet

    stage = stage or make_regime_stage()
    n = next(_seq)
    return StageLeaflet.create(
        stage=stage.id,
        title="How we handle complaints",
        file_name="leaflet.pdf",
        size=10,
        sha256="0" * 64,
        storage_key=f"test/{n:08d}",
    )


def make_reasonable_adjustment(contact: Any = None, description: str = "Large print letters") -> Any:
    """An adjustment asked for on a contact's resident, not decided yet."""
    from backend.complaints import safeguards

    contact = contact or make_contact()
    actor = actor_of(make_staff())
    return safeguards.request_adjustment(actor, contact.id, description, "The resident", dt.date(2026, 1, 5))


def make_contact_restriction(contact: Any = None, **values: Any) -> Any:
    """A restriction a manager decided on a contact's resident: contact by email only, reviewed in 3 months."""
    from backend.complaints import safeguards
    from backend.timeutil import local_date

    contact = contact or make_contact()
    actor = actor_of(make_user("manager"))
    given = {
        "behaviour": "Abusive phone calls to the repairs team, several a day.",
        "evidence": "Call log and notes of 12, 14 and 15 January.",
        "kind": "email_only",
        "details": "Please contact us by email only, to complaints@example.org.",
        "equality_consideration": "No disability disclosed; email suits the resident, who uses it already.",
        "review_due_on": local_date() + dt.timedelta(days=90),
        **values,
    }
    return safeguards.record_restriction(actor, contact.id, given)


def make_role_designation(role: str = "senior_lead", person: User | None = None, **values: Any) -> Any:
    from backend.complaints.models import RoleDesignation

    values.setdefault("starts_on", dt.date(2026, 1, 1))
    return RoleDesignation.create(role=role, person=person or make_user("manager"), **values)


def make_hazard(contact: Any = None, severity: str = "significant", kind: str = "damp_mould") -> Any:
    """A hazard flagged by staff on a contact (its clocks started, escalated and the resident told)."""
    from backend.complaints.hazards import flag_hazard

    return flag_hazard(actor_of(make_staff()), (contact or make_contact()).id, kind, severity, "Bedroom wall.")


def make_hazard_clock(hazard: Any = None) -> Any:
    from backend.complaints.models import HazardClock

    return HazardClock.get(HazardClock.hazard == (hazard or make_hazard()).id)


def make_hazard_keyword(word: str | None = None, locale: str = "en", kind: str = "damp_mould") -> Any:
    from backend.complaints.models import HazardKeyword

    return HazardKeyword.create(locale=locale, kind=kind, word=word or f"word{next(_seq)}")


def make_hazard_dismissal(contact: Any = None, kind: str = "damp_mould") -> Any:
    from backend.complaints.models import HazardDismissal

    return HazardDismissal.create(contact=contact or make_contact(), kind=kind, reason="Only a dirty window.")


def make_complaint_staff(complaint: Any = None, person: User | None = None, part: str = "subject") -> Any:
    """A member of staff a complaint names (recorded by its handler)."""
    from backend.complaints.restricted import name_staff

    handler = make_staff()
    complaint = complaint or acknowledged_complaint(handler)
    return name_staff(actor_of(handler), complaint.id, (person or make_staff()).id, part, "Took the call")


def make_case_access(contact: Any = None, person: User | None = None) -> Any:
    """A member of staff on a need-to-know case's list (the case is made need-to-know by a manager)."""
    from backend.complaints.models import CaseAccess
    from backend.complaints.restricted import grant_access, restrict_case

    contact = contact or make_contact()
    manager = make_user("manager")
    if contact.restricted_kind is None:
        restrict_case(actor_of(manager), contact.id, "safeguarding", "A child may be at risk")
    grant_access(actor_of(manager), contact.id, (person or make_staff()).id, "Covers the handler")
    return CaseAccess.select().order_by(CaseAccess.id.desc()).get()


def make_case_read(contact: Any = None, person: User | None = None) -> Any:
    from backend.complaints.models import CaseRead

    return CaseRead.create(
        contact=(contact or make_contact()).id, person=(person or make_staff()).id, via="ConsoleComplaint"
    )


def make_complaint_assignment(complaint: Any = None) -> Any:
    """An acknowledged complaint's assignment: its handler took stage 1 when they acknowledged it."""
    from backend.complaints.models import ComplaintAssignment

    complaint = complaint or acknowledged_complaint()
    return ComplaintAssignment.get(ComplaintAssignment.complaint == complaint.id)


def make_inbound_mail(raw: bytes | None = None) -> Any:
    """An email to the complaints mailbox, kept and read."""
    from backend.complaints.inbound import receive_mail

    n = next(_seq)
    raw = (
        raw
        or (
            f"From: Sam Doe <sam{n}@example.net>\r\nTo: complaints@learnloop.test\r\nSubject: The lift\r\n"
            f"Message-ID: <m{n}@example.net>\r\n\r\nThe lift has been broken for a week.\r\n"
        ).encode()
    )
    return receive_mail(raw, "webhook", f"sam{n}@example.net")


def make_response_draft(complaint: Any = None) -> Any:
    from backend.complaints.models import ResponseDraft

    complaint = complaint or make_complaint()
    return ResponseDraft.create(complaint=complaint.id, stage=complaint.stage, content={"reasons": "Draft."})


def make_contractor(name: str | None = None) -> Any:
    from backend.complaints.models import Contractor

    return Contractor.create(name=name or f"Contractor {next(_seq)}")


def make_contact_review(contact: Any = None) -> Any:
    from backend.complaints.models import ContactReview

    contact = contact or make_contact()
    return ContactReview.create(contact=contact.id, kind="service_request", outcome="still_open")


# The lessons collector. Rows made straight in the tables, for tests of reading and of the engine; tests of the
# lessons services make their rows through the services.
def make_lesson(title: str = "Repairs appointments missed without notice", **values: Any) -> Any:
    from backend.lessons.models import Lesson

    n = next(_seq)
    values.setdefault("identified_on", local_date())
    return Lesson.create(reference=f"LS-{local_date().year}-{n:04d}", title=title, **values)


def make_lesson_learning_type(lesson: Any = None, learning_type: str = "systemic_issue") -> Any:
    from backend.lessons.models import LessonLearningType

    return LessonLearningType.create(lesson=(lesson or make_lesson()).id, learning_type=learning_type)


def make_lesson_source(lesson: Any = None, complaint: Any = None) -> Any:
    from backend.lessons.models import LessonSource

    complaint = complaint or make_complaint()
    return LessonSource.create(lesson=(lesson or make_lesson()).id, kind="complaint", complaint=complaint.id)


def make_no_lesson_decision(complaint: Any = None) -> Any:
    from backend.lessons.models import NoLessonDecision

    complaint = complaint or make_complaint()
    return NoLessonDecision.create(complaint=complaint.id, reason="A one-off mistake, already put right.")


def make_root_cause(name: str | None = None, parent: Any = None) -> Any:
    from backend.lessons.models import RootCause

    return RootCause.create(name=name or f"Cause {next(_seq)}", parent=parent.id if parent else None)


def make_lesson_cause(lesson: Any = None, root_cause: Any = None) -> Any:
    from backend.lessons.models import LessonCause

    return LessonCause.create(
        lesson=(lesson or make_lesson()).id,
        root_cause=(root_cause or make_root_cause()).id,
        detail="The booking system does not send reminders.",
    )


def make_theme(name: str | None = None) -> Any:
    from backend.lessons.models import Theme

    return Theme.create(name=name or f"Theme {next(_seq)}")


def make_theme_figures(theme: Any = None) -> Any:
    """A theme's stored figures: the row the database adds with each theme."""
    from backend.lessons.models import ThemeFigures

    return ThemeFigures.get(ThemeFigures.theme == (theme or make_theme()).id)


def make_theme_month_figures(theme: Any = None, month: dt.date | None = None) -> Any:
    from backend.lessons.models import ThemeMonthFigures

    return ThemeMonthFigures.create(
        theme=(theme or make_theme()).id, month=month or local_date().replace(day=1), contacts=2, complaints=1
    )


def make_lesson_reference_counter(year: int | None = None) -> Any:
    from backend.lessons.models import LessonReferenceCounter

    year = year or 1900 + next(_seq) % 100
    return LessonReferenceCounter.get_or_create(year=year, defaults={"last": 7})[0]


def make_theme_text(theme: Any = None, locale: str = "en") -> Any:
    from backend.lessons.models import ThemeText

    return ThemeText.create(theme=(theme or make_theme()).id, locale=locale, name="Repairs", description="Repairs.")


def make_lesson_theme(lesson: Any = None, theme: Any = None) -> Any:
    from backend.lessons.models import LessonTheme

    return LessonTheme.create(lesson=(lesson or make_lesson()).id, theme=(theme or make_theme()).id)


def make_contact_theme(contact: Any = None, theme: Any = None) -> Any:
    from backend.lessons.models import ContactTheme

    return ContactTheme.create(contact=(contact or make_contact()).id, theme=(theme or make_theme()).id)


def make_priority_weight(factor: str | None = None, weight: float = 1.0) -> Any:
    from backend.lessons.models import PriorityWeight

    return PriorityWeight.create(factor=factor or f"factor_{next(_seq)}", weight=weight)


def make_programme(name: str | None = None) -> Any:
    from backend.lessons.models import Programme

    return Programme.create(name=name or f"Programme {next(_seq)}")


def make_improvement_action(lesson: Any = None, **values: Any) -> Any:
    from backend.lessons.models import ImprovementAction

    values.setdefault("title", "Send a text the day before each repairs appointment")
    values.setdefault("action_type", "service_provision")
    return ImprovementAction.create(lesson=(lesson or make_lesson()).id, **values)


def make_action_evidence(action: Any = None) -> Any:
    from backend.lessons.models import ActionEvidence

    return ActionEvidence.create(action=(action or make_improvement_action()).id, text="Reminders went live.")


def make_due_date_change(action: Any = None) -> Any:
    from backend.lessons.models import DueDateChange

    today = local_date()
    return DueDateChange.create(
        action=(action or make_improvement_action()).id,
        from_date=today,
        to_date=today + dt.timedelta(days=14),
        reason="The supplier needs two more weeks.",
    )


def make_action_digest(action: Any = None, recipient: User | None = None) -> Any:
    from backend.lessons.models import ActionDigest

    return ActionDigest.create(
        action=(action or make_improvement_action()).id, recipient=(recipient or make_staff()).id, day=local_date()
    )


def make_champion(person: User | None = None, team: str = "Repairs team") -> Any:
    from backend.lessons.models import Champion

    return Champion.create(person=(person or make_staff()).id, team=team, appointed_on=local_date())


def make_meeting(kind: str = "team") -> Any:
    from backend.lessons.models import Meeting

    return Meeting.create(kind=kind, title="Repairs team meeting", held_on=local_date())


def make_meeting_attendee(meeting: Any = None, person: User | None = None) -> Any:
    from backend.lessons.models import MeetingAttendee

    return MeetingAttendee.create(meeting=(meeting or make_meeting()).id, person=(person or make_staff()).id)


def make_agenda_item(meeting: Any = None, lesson: Any = None) -> Any:
    from backend.lessons.models import AgendaItem

    return AgendaItem.create(
        meeting=(meeting or make_meeting()).id, title="Complaints this month", lesson=lesson.id if lesson else None
    )


def make_staff_briefing(complaint: Any = None, person: User | None = None) -> Any:
    from backend.lessons.models import StaffBriefing

    return StaffBriefing.create(
        complaint=(complaint or make_complaint()).id,
        person=(person or make_staff()).id,
        summary="Upheld: appointments now get a reminder the day before.",
    )


def make_bulletin() -> Any:
    from backend.lessons.models import Bulletin

    today = local_date()
    return Bulletin.create(title="Lessons this month", period_start=today.replace(day=1), period_end=today)


def make_bulletin_lesson(bulletin: Any = None, lesson: Any = None) -> Any:
    from backend.lessons.models import BulletinLesson

    return BulletinLesson.create(bulletin=(bulletin or make_bulletin()).id, lesson=(lesson or make_lesson()).id)


def make_training_record(action: Any = None) -> Any:
    from backend.lessons.models import TrainingRecord

    return TrainingRecord.create(
        title="Booking repairs with reminders", action=action.id if action else None, delivered_on=local_date()
    )


def make_training_attendee(record: Any = None, person: User | None = None) -> Any:
    from backend.lessons.models import TrainingAttendee

    return TrainingAttendee.create(record=(record or make_training_record()).id, person=(person or make_staff()).id)


def make_success_story() -> Any:
    from backend.lessons.models import SuccessStory

    return SuccessStory.create(title="Fewer missed appointments", story="Reminders cut missed appointments.")


def make_story_media(story: Any = None) -> Any:
    from backend.lessons.models import StoryMedia

    return StoryMedia.create(
        story=(story or make_success_story()).id,
        url="https://video.example.net/reminders",
        alt_text="A resident reads a reminder text.",
    )


def make_story_link(story: Any = None, lesson: Any = None) -> Any:
    from backend.lessons.models import StoryLink

    return StoryLink.create(story=(story or make_success_story()).id, lesson=(lesson or make_lesson()).id)


def make_qa_report(month: dt.date | None = None) -> Any:
    from backend.lessons.models import QaReport

    return QaReport.create(month=month or dt.date(2000 + next(_seq) % 100, 1, 1))


def make_quality_check_item(text: str = "Each point was answered, with reasons.") -> Any:
    from backend.lessons.models import QualityCheckItem

    return QualityCheckItem.create(text=text, position=next(_seq))


def make_quality_review(complaint: Any = None) -> Any:
    from backend.lessons.models import QualityReview

    return QualityReview.create(month=local_date().replace(day=1), complaint=(complaint or make_complaint()).id)


def make_quality_score(review: Any = None, item: Any = None) -> Any:
    from backend.lessons.models import QualityScore

    return QualityScore.create(
        review=(review or make_quality_review()).id, item=(item or make_quality_check_item()).id, result="met"
    )


def make_contact_from_person(
    name: str = "Alex Doe", wants_to_complain: bool = True, anonymous: bool = False, **person: str
) -> Any:
    """A contact logged by staff for someone without an account (a letter), with the details they gave; a
    complaint too unless ``wants_to_complain`` is false. ``anonymous`` logs it with no name at all."""
    from backend.complaints.intake import NewContact, submit_contact

    data = NewContact(
        channel="letter",
        description="The communal door has not shut for a month.",
        person={} if anonymous else {"name": name, **person},
        anonymous=anonymous,
        nation="england",
        wants_to_complain=wants_to_complain,
        logged_via="console",
    )
    return submit_contact(SYSTEM, data)


def make_uk_day(day: dt.date | None = None) -> Any:
    """A calendar day past the migrated calendar's last (the migration writes every day up to it)."""
    from backend.reports.calendar import LAST
    from backend.reports.models import UkDay
    from backend.reports.periods import uk_midnight

    day = day or LAST + dt.timedelta(days=next(_seq))
    return UkDay.create(day=day, starts_at=uk_midnight(day), england=0, wales=0, scotland=0, northern_ireland=0)


def make_statutory_timescale(regime: str = "test", stage: int = 1) -> Any:
    from backend.reports.models import StatutoryTimescale

    return StatutoryTimescale.create(
        regime=regime,
        stage=stage,
        in_force_from=dt.date(2000, 1, 1) + dt.timedelta(days=next(_seq)),
        respond_days=10,
        starts_from="acknowledgement",
        extension_cap=10,
        source="A test procedure.",
    )


def make_stock_count(
    year: int | None = None, nation: str = "england", tenure: str = "rented", homes: int = 2000
) -> Any:
    from backend.reports.models import StockCount

    return StockCount.create(
        year=year or 2000 + next(_seq) % 20, nation=nation, tenure=tenure, homes=homes, source="Statistical return"
    )


def make_ombudsman_publication(kind: str = "annual_landlord_report", published_on: dt.date | None = None) -> Any:
    from backend.reports.models import OmbudsmanPublication

    return OmbudsmanPublication.create(
        kind=kind,
        published_on=published_on or dt.date(2025, 10, 1),
        title="Annual landlord performance report 2024/25",
        summary="The Ombudsman found maladministration in 3 of 5 cases determined.",
    )


def make_code_provision(number: str = "99.1", **values: Any) -> Any:
    """A provision of an edition of the Code no assessment uses (the seeded 2024 ones are already there)."""
    from backend.reports.models import CodeProvision

    values.setdefault("edition", "Test edition")
    values.setdefault("effective_on", dt.date(2030, 4, 1))
    values.setdefault("section", int(number.split(".")[0]))
    values.setdefault("section_title", "A section for tests")
    values.setdefault("requirement", "Landlords must answer every complaint.")
    return CodeProvision.create(number=number, **values)


def make_self_assessment(drafted_by: User | None = None, period: str = "2024/25", **values: Any) -> Any:
    """A draft self-assessment of a period, started by a manager (``drafted_by``), with every row in use.

    It is one after a change of procedure unless ``trigger`` says otherwise, so that several may cover a year.
    """
    from backend.reports import self_assessment

    drafter = drafted_by or make_user("manager")
    trigger = values.pop("trigger", "procedure_change")
    context = values.pop("context", "" if trigger == "annual" else "The escalation form changed.")
    return self_assessment.start_assessment(actor_of(drafter), period, trigger, context)


def make_self_assessment_item(assessment: Any = None, number: str = "6.2") -> Any:
    from backend.reports.models import SelfAssessmentItem

    assessment = assessment or make_self_assessment()
    return SelfAssessmentItem.get(SelfAssessmentItem.assessment == assessment.id, SelfAssessmentItem.number == number)


def make_sector_event(kind: str = "network_meeting", held_on: dt.date | None = None, **values: Any) -> Any:
    from backend.reports.models import SectorEvent

    values.setdefault("name", "North West complaints network")
    return SectorEvent.create(kind=kind, held_on=held_on or dt.date(2024, 6, 12), **values)


def make_sector_event_attendee(event: Any = None, person: User | None = None) -> Any:
    from backend.reports.models import SectorEventAttendee

    return SectorEventAttendee.create(event=(event or make_sector_event()).id, person=(person or make_staff()).id)


# Reports.
def make_report_publication(kind: str = "board", period_code: str = "2025/26-Q1", **values: Any) -> Any:
    """A drafted report, its document counted now (``values`` may set its status and steps)."""
    from backend.reports.catalogue import KINDS
    from backend.reports.models import ReportPublication
    from backend.reports.periods import parse_period

    document = KINDS[kind].build(parse_period(period_code), "en")
    return ReportPublication.create(
        kind=kind, period_code=period_code, title=document.title, snapshot=document.as_dict(), **values
    )


def make_equality_profile(user: User | None = None, contact: Any = None, **answers: str) -> Any:
    """Equality monitoring answers an account holder gave on the portal (or, given a contact, recorded on it)."""
    from backend.reports.models import EqualityProfile

    owner = {"contact": contact.id} if contact is not None else {"user": (user or make_user("resident")).id}
    consent = {
        "consent_given_by": "resident",
        "consent_method": "verbal" if contact is not None else "portal",
        "consent_given_on": local_date(),
    }
    return EqualityProfile.create(**owner, **consent, **(answers or {"sex": "female", "age_band": "age_35_44"}))


def make_signal_count(month: dt.date | None = None, kind: str = "damp_mould", count: int = 12) -> Any:
    from backend.reports.models import SignalCount

    return SignalCount.create(
        month=month or dt.date(2025, 4, 1),
        service_area=make_service_area(),
        kind=kind,
        count=count,
        source="Repairs system export",
    )


SAVED_QUERY = "query Complaints { complaints(first: 50) { nodes { reference status } } }"


def make_saved_report(owner: User | None = None, query: str = SAVED_QUERY, **values: Any) -> Any:
    """A saved report of its owner's (a new member of staff by default), listing complaints as a table."""
    from backend.reports.models import SavedReport

    return SavedReport.create(
        name=values.pop("name", "Complaints by status"),
        query=query,
        rows_path=values.pop("rows_path", "complaints.nodes"),
        columns=values.pop("columns", ["reference", "status"]),
        owner=(owner or make_staff()).id,
        **values,
    )


def make_saved_report_recipient(report: Any = None, person: User | None = None) -> Any:
    """A member of staff told when a scheduled report is ready."""
    from backend.reports.models import SavedReportRecipient

    return SavedReportRecipient.create(report=(report or make_saved_report()).id, person=(person or make_staff()).id)


# ---------------------------------------------------------------- scrutiny panels


def make_panel(name: str | None = None, **values: Any) -> Any:
    """A scrutiny panel, signed off by its chair, answered within 40 working days."""
    from backend.panels.models import Panel

    if name is None:
        # A live server's setup runs in its own process, whose counter starts again: skip names already taken.
        name = f"Residents' Scrutiny Panel {next(_seq)}"
        while Panel.select().where(Panel.name == name).exists():
            name = f"Residents' Scrutiny Panel {next(_seq)}"
    return Panel.create(name=name, **values)


def make_panel_support(panel: Any = None, person: User | None = None) -> Any:
    """A member of staff supporting a panel as its officer."""
    from backend.panels.models import PanelSupport

    return PanelSupport.create(
        panel=(panel or make_panel()).id, person=(person or make_staff()).id, duty="Panel officer"
    )


def make_panel_membership(panel: Any = None, person: User | None = None, role: str = "member", **values: Any) -> Any:
    """A current member of a panel (a resident with the panel_member role), trained and signed up."""
    from backend.panels.models import PanelMembership

    values.setdefault("started_on", dt.date(2026, 1, 5))
    values.setdefault("training_done_on", dt.date(2026, 1, 12))
    values.setdefault("confidentiality_signed_on", dt.date(2026, 1, 5))
    return PanelMembership.create(
        panel=(panel or make_panel()).id,
        person=(person or make_user("resident", "panel_member")).id,
        role=role,
        **values,
    )


def make_scrutiny_review(panel: Any = None, **values: Any) -> Any:
    """A review of the complaints journey, gathering evidence."""
    from backend.panels.models import ScrutinyReview

    if "reference" not in values:
        reference = f"SR-2026-{next(_seq):02d}"
        while ScrutinyReview.select().where(ScrutinyReview.reference == reference).exists():
            reference = f"SR-2026-{next(_seq):02d}"
        values["reference"] = reference
    values.setdefault("topic", "The complaints journey")
    values.setdefault("status", "gathering")
    return ScrutinyReview.create(panel=(panel or make_panel()).id, **values)


def make_scrutiny_reference_counter(year: int | None = None) -> Any:
    from backend.panels.models import ScrutinyReferenceCounter

    return ScrutinyReferenceCounter.create(year=year or 1900 + next(_seq), last=1)


def make_work_programme_item(panel: Any = None, **values: Any) -> Any:
    from backend.panels.models import WorkProgrammeItem

    values.setdefault("topic", "Repairs appointments")
    return WorkProgrammeItem.create(panel=(panel or make_panel()).id, **values)


def make_panel_meeting(review: Any = None, **values: Any) -> Any:
    """An in-person meeting of a review, a week from now."""
    from backend.panels.models import PanelMeeting

    values.setdefault("starts_at", utcnow() + dt.timedelta(days=7))
    values.setdefault("place", "Community room, Ground floor")
    return PanelMeeting.create(review=(review or make_scrutiny_review()).id, **values)


def make_panel_attendance(meeting: Any = None, person: User | None = None) -> Any:
    from backend.panels.models import PanelAttendance

    return PanelAttendance.create(
        meeting=(meeting or make_panel_meeting()).id, person=(person or make_user("resident", "panel_member")).id
    )


def make_staff_interview(review: Any = None) -> Any:
    from backend.panels.models import StaffInterview

    return StaffInterview.create(
        review=(review or make_scrutiny_review()).id, interviewee_role="Complaints team leader", held_on=local_date()
    )


def make_evidence_request(review: Any = None, **values: Any) -> Any:
    from backend.panels.models import EvidenceRequest

    values.setdefault("due_on", local_date() + dt.timedelta(days=14))
    return EvidenceRequest.create(
        review=(review or make_scrutiny_review()).id, asked="The stage 1 response template.", **values
    )


def make_case_sample(review: Any = None) -> Any:
    from backend.panels.models import CaseSample

    return CaseSample.create(review=(review or make_scrutiny_review()).id, size=5, seed="factory")


def make_pack_item(review: Any = None, **values: Any) -> Any:
    """A confirmed link in a review's evidence pack."""
    from backend.panels.models import PackItem

    values.setdefault("kind", "link")
    values.setdefault("title", "Complaints policy")
    values.setdefault("url", "https://landlord.example.org/complaints-policy")
    values.setdefault("status", "confirmed")
    return PackItem.create(review=(review or make_scrutiny_review()).id, **values)


def make_pack_item_view(item: Any = None, person: User | None = None) -> Any:
    from backend.panels.models import PackItemView

    return PackItemView.create(
        item=(item or make_pack_item()).id, person=(person or make_user("resident", "panel_member")).id
    )


def make_lesson_annotation(item: Any = None, **values: Any) -> Any:
    from backend.panels.models import LessonAnnotation

    values.setdefault("comment", "The actions fix the letters but not the missed appointments.")
    values.setdefault("rating", "partly")
    return LessonAnnotation.create(item=(item or make_pack_item()).id, **values)


def make_panel_question(review: Any = None, **values: Any) -> Any:
    from backend.panels.models import PanelQuestion

    values.setdefault("text", "How many stage 1 responses were late last year?")
    return PanelQuestion.create(review=(review or make_scrutiny_review()).id, **values)


def make_findings_version(review: Any = None, number: int = 1, **values: Any) -> Any:
    from backend.panels.models import FindingsVersion

    values.setdefault("summary", "The journey is clear but letters are long.")
    values.setdefault("recommendations", ["Shorten the stage 1 letter.", "Publish expected times."])
    return FindingsVersion.create(review=(review or make_scrutiny_review()).id, number=number, **values)


def make_accuracy_comment(version: Any = None) -> Any:
    from backend.panels.models import AccuracyComment

    return AccuracyComment.create(
        version=(version or make_findings_version()).id, comment="The figure for 2025/26 is 84, not 48."
    )


def make_recommendation(review: Any = None, number: int = 1, **values: Any) -> Any:
    from backend.panels.models import Recommendation

    review = review or make_scrutiny_review()
    version = values.pop("version", None) or make_findings_version(review, signed_off_at=utcnow())
    values.setdefault("response_due_on", local_date() + dt.timedelta(days=56))
    return Recommendation.create(
        review=review.id, version=version.id, number=number, text="Shorten the stage 1 letter.", **values
    )


def make_approval_meeting(body: str = "executive", meets_on: dt.date | None = None) -> Any:
    from backend.panels.models import ApprovalMeeting

    return ApprovalMeeting.create(body=body, meets_on=meets_on or local_date() + dt.timedelta(days=next(_seq)))


def make_involvement_entry(membership: Any = None, **values: Any) -> Any:
    from backend.panels.models import InvolvementEntry

    values.setdefault("kind", "meeting")
    values.setdefault("occurred_on", local_date())
    values.setdefault("minutes_given", 150)
    return InvolvementEntry.create(membership=(membership or make_panel_membership()).id, **values)


def make_review_document(review: Any = None, **values: Any) -> Any:
    """The stage 1 acknowledgement email's wording, under a review of letters and leaflets."""
    from backend.panels.models import ReviewDocument

    values.setdefault("kind", "wording")
    values.setdefault("event", "complaint.acknowledged")
    values.setdefault("channel", "email")
    values.setdefault("title", "Stage 1 acknowledgement email")
    review = review or make_scrutiny_review(kind="documents")
    return ReviewDocument.create(review=review.id, **values)


def make_document_proposal(document: Any = None, **values: Any) -> Any:
    """A member's proposed wording for a document under review."""
    from backend.panels.models import DocumentProposal

    values.setdefault("locale", "en")
    values.setdefault("subject", "We have your complaint")
    values.setdefault("text", "Dear {{ name }}, we have your complaint and will reply soon.")
    return DocumentProposal.create(document=(document or make_review_document()).id, **values)


# --- Co-creation ---------------------------------------------------------------------------------------------------


def make_published_theme(name: str | None = None, locales: tuple[str, ...] = ("en",)) -> Any:
    """A theme published for residents, with a resident-facing name in each of ``locales``."""
    from backend.lessons.models import Theme, ThemeText

    theme = make_theme(name)
    for locale in locales:
        ThemeText.create(theme=theme.id, locale=locale, name=f"{theme.name} ({locale})", description="What it is.")
    Theme.update(published_at=utcnow()).where(Theme.id == theme.id).execute()
    return Theme.get_by_id(theme.id)


def make_theme_quote(theme: Any = None, **values: Any) -> Any:
    from backend.cocreation.models import ThemeQuote

    values.setdefault("locale", "en")
    values.setdefault("text", "The engineer never came and nobody rang to say.")
    return ThemeQuote.create(theme=(theme or make_published_theme()).id, **values)


def make_theme_suggestion(author: User | None = None, **values: Any) -> Any:
    from backend.cocreation.models import ThemeSuggestion

    values.setdefault("title", "Bins left unemptied")
    values.setdefault("description", "The communal bins are often full for a week.")
    return ThemeSuggestion.create(author=(author or make_user()).id, **values)


def make_priority_round(themes: Any = None, **values: Any) -> Any:
    """A published round, open now for a week, with its themes on the ballot (two published themes by default)."""
    from backend.cocreation.models import PriorityRound, RoundTheme

    now = utcnow()
    values.setdefault("title", {"en": f"What should we fix first? {next(_seq)}"})
    values.setdefault("opens_at", now - dt.timedelta(days=1))
    values.setdefault("closes_at", now + dt.timedelta(days=7))
    values.setdefault("status", "published")
    values.setdefault("published_at", now - dt.timedelta(days=1) if values["status"] != "draft" else None)
    round_ = PriorityRound.create(**values)
    for position, theme in enumerate(
        themes if themes is not None else [make_published_theme(), make_published_theme()]
    ):
        RoundTheme.create(round=round_.id, theme=theme.id, position=position)
    return round_


def make_round_theme(round_: Any = None, theme: Any = None) -> Any:
    from backend.cocreation.models import RoundTheme

    round_ = round_ or make_priority_round(themes=[])
    return RoundTheme.create(round=round_.id, theme=(theme or make_published_theme()).id)


def make_vote(round_: Any = None, theme: Any = None, voter: User | None = None, dots: int = 1) -> Any:
    from backend.cocreation.models import RoundTheme, Vote

    round_ = round_ or make_priority_round()
    theme_id = theme.id if theme is not None else RoundTheme.get(RoundTheme.round == round_.id).theme_id
    voter = voter or make_user(home=make_home())
    return Vote.create(round=round_.id, theme=theme_id, voter=voter.id, home=voter.home_id, dots=dots)


def make_revote_request(vote: Any = None) -> Any:
    from backend.cocreation.models import RevoteRequest

    vote = vote or make_vote()
    return RevoteRequest.create(
        round=vote.round_id, voter=vote.voter_id, theme=vote.theme_id, merged_into=make_theme().id, dots=vote.dots
    )


def make_change(**values: Any) -> Any:
    """A published "you said, we did" change, in progress, with a CH-YYYY-NN reference."""
    from backend.cocreation.models import Change

    n = next(_seq)
    values.setdefault("reference", f"CH-2000-{n:02d}")
    values.setdefault("title", {"en": "Repairs appointments now come with a reminder text"})
    values.setdefault("what", {"en": "We text you the day before a repairs appointment."})
    values.setdefault("why", {"en": "You told us engineers came when nobody was in."})
    values.setdefault("easy_read", {"en": "We send a text before we come."})
    values.setdefault("status", "in_progress")
    values.setdefault("percent", 50)
    values.setdefault("published_at", utcnow())
    return Change.create(**values)


def make_change_reference_counter(year: int | None = None) -> Any:
    from backend.cocreation.models import ChangeReferenceCounter

    return ChangeReferenceCounter.create(year=year or 2000 + next(_seq) % 100, last=1)


def make_change_theme(change: Any = None, theme: Any = None) -> Any:
    from backend.cocreation.models import ChangeTheme

    return ChangeTheme.create(change=(change or make_change()).id, theme=(theme or make_published_theme()).id)


def make_change_lesson(change: Any = None, lesson: Any = None) -> Any:
    from backend.cocreation.models import ChangeLesson

    return ChangeLesson.create(change=(change or make_change()).id, lesson=(lesson or make_lesson()).id)


def make_change_action(change: Any = None, action: Any = None) -> Any:
    from backend.cocreation.models import ChangeAction

    return ChangeAction.create(change=(change or make_change()).id, action=(action or make_improvement_action()).id)


def make_change_contact(change: Any = None, contact: Any = None) -> Any:
    from backend.cocreation.models import ChangeContact

    return ChangeContact.create(change=(change or make_change()).id, contact=(contact or make_contact()).id)


def make_change_milestone(change: Any = None, **values: Any) -> Any:
    from backend.cocreation.models import ChangeMilestone

    values.setdefault("title", {"en": "Reminder texts switched on"})
    values.setdefault("due_on", local_date())
    return ChangeMilestone.create(change=(change or make_change()).id, **values)


def make_change_update(change: Any = None, **values: Any) -> Any:
    from backend.cocreation.models import ChangeUpdate

    change = change or make_change()
    values.setdefault("kind", "status")
    values.setdefault("status", change.status)
    values.setdefault("percent", change.percent)
    return ChangeUpdate.create(change=change.id, **values)


def make_change_follow(change: Any = None, user: User | None = None, **values: Any) -> Any:
    from backend.cocreation.models import ChangeFollow

    return ChangeFollow.create(change=(change or make_change()).id, user=(user or make_user()).id, **values)


def make_change_notice(update: Any = None, user: User | None = None) -> Any:
    from backend.cocreation.models import ChangeNotice

    return ChangeNotice.create(change_update=(update or make_change_update()).id, user=(user or make_user()).id)


def make_impact_ask(change: Any = None, user: User | None = None, **values: Any) -> Any:
    from backend.cocreation.models import ImpactAsk

    return ImpactAsk.create(change=(change or make_change()).id, user=(user or make_user()).id, **values)


def make_change_comment(change: Any = None, author: User | None = None, **values: Any) -> Any:
    """A published comment by a resident on a change."""
    from backend.cocreation.models import ChangeComment

    values.setdefault("body", "The reminder text meant I was in when they came.")
    values.setdefault("body_public", values["body"])
    values.setdefault("status", "published")
    return ChangeComment.create(change=(change or make_change()).id, author=(author or make_user()).id, **values)


def make_comment_report(comment: Any = None, reporter: User | None = None) -> Any:
    from backend.cocreation.models import CommentReport

    return CommentReport.create(comment=(comment or make_change_comment()).id, reporter=(reporter or make_user()).id)


def make_moderation_action(comment: Any = None, **values: Any) -> Any:
    from backend.cocreation.models import ModerationAction

    values.setdefault("action", "publish")
    values.setdefault("reason", "Nothing personal in it.")
    return ModerationAction.create(comment=(comment or make_change_comment()).id, **values)


def make_digest(year: int | None = None, quarter: int = 1, **values: Any) -> Any:
    from backend.cocreation.models import Digest

    values.setdefault("introduction", {"en": "What you told us this quarter, and what we did."})
    return Digest.create(year=year or 1900 + next(_seq) % 1000, quarter=quarter, **values)


def make_digest_story(digest: Any = None, story: Any = None) -> Any:
    from backend.cocreation.models import DigestStory

    return DigestStory.create(digest=(digest or make_digest()).id, story=(story or make_success_story()).id)


def make_landlord_page(kind: str = "contact", locale: str | None = None, **values: Any) -> Any:
    from backend.cocreation.models import LandlordPage

    values.setdefault("title", "Contact us")
    values.setdefault("body", "Ring us on the number on your tenancy agreement.")
    return LandlordPage.create(kind=kind, locale=locale or f"x{next(_seq)}", **values)


def make_legal_hold(person: User | None = None, contact: Any = None, reason: str = "Disrepair claim") -> Any:
    from backend.privacy.holds import LegalHold

    if contact is None:
        person = person or make_user()
    return LegalHold.create(person=person, contact=contact, reason=reason)


def make_erased_record(record_type: str = "contact", record_id: int = 1) -> Any:
    from backend.privacy.holds import ErasedRecord

    return ErasedRecord.create(
        record_type=record_type, record_id=record_id, erased_on=dt.date(2026, 1, 1), rule="request"
    )


def make_subject_access_request(person: User | None = None, **values: Any) -> Any:
    """A subject access request logged today, not yet compiled."""
    from backend.privacy.models import SubjectAccessRequest

    today = local_date()
    values.setdefault("received_at", utcnow())
    values.setdefault("received_on", today)
    values.setdefault("due_on", today + dt.timedelta(days=30))
    return SubjectAccessRequest.create(person=(person or make_user()).id, **values)
