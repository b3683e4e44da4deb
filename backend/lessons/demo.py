"""Demo lessons at every point of their life, so each lessons page has something to show.

Four more upheld complaints feed lessons. The demo's damp complaint (backend/complaints/demo.py) is upheld in part
and deliberately left with neither a lesson nor a "no wider lesson" decision: the console's list of upheld
complaints without a lesson, and the end-to-end walk from a complaint to a lesson, start from it.

Rows are written with the models and each change gets its audit entry, as the services would record it, so every
lesson's history has something in it. Running the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from typing import Any

from peewee import fn

from backend import config
from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.audit.services import record_audit
from backend.complaints import intake, journey, responses
from backend.complaints.models import Complaint, ServiceArea
from backend.context import SYSTEM, Actor
from backend.lessons.models import (
    ActionStatus,
    ActionType,
    AgendaItem,
    Champion,
    Effect,
    ImprovementAction,
    Lesson,
    LessonCause,
    LessonLearningType,
    LessonSource,
    LessonStatus,
    LessonTheme,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    RootCause,
    SourceKind,
    StaffBriefing,
    StoryLink,
    StoryStatus,
    SuccessStory,
    Theme,
    ThemeText,
)
from backend.surveys.models import SurveyQuestion
from backend.timeutil import local_date, utcnow

#: The first demo lesson's title: when a lesson has it, the demo lessons are there.
FIRST_TITLE = "Repair appointments are missed when the contractor's diary is full"

#: Resident-facing theme names and descriptions in each language the service ships. A language enabled later gets
#: no text here: the theme then shows as not ready for residents until staff name it.
THEMES: dict[str, dict[str, tuple[str, str]]] = {
    "Repairs appointments": {
        "en": ("Repair appointments", "Booking, keeping and rearranging visits to repair your home."),
        "cy": ("Apwyntiadau atgyweirio", "Trefnu, cadw ac aildrefnu ymweliadau i atgyweirio eich cartref."),
        "pl": ("Wizyty naprawcze", "Umawianie, dotrzymywanie i przekładanie wizyt naprawczych w Twoim domu."),
        "ro": ("Programări pentru reparații", "Programarea, respectarea și reprogramarea vizitelor pentru reparații."),
        "ar": ("مواعيد الإصلاح", "حجز زيارات الإصلاح في منزلك والالتزام بها وإعادة جدولتها."),
        "bn": ("মেরামতের অ্যাপয়েন্টমেন্ট", "আপনার বাড়ি মেরামতের জন্য ভিজিট বুক করা, রাখা ও পুনর্নির্ধারণ করা।"),
        "so": ("Ballamada dayactirka", "Qabsashada, ilaalinta iyo dib u dhigista booqashooyinka dayactirka gurigaaga."),
        "ur": ("مرمت کی ملاقاتیں", "آپ کے گھر کی مرمت کے لیے وزٹ طے کرنا، پورے کرنا اور دوبارہ طے کرنا۔"),
    },
    "Damp and mould": {
        "en": ("Damp and mould", "Finding and fixing the causes of damp and mould in homes."),
        "cy": ("Lleithder a llwydni", "Canfod a thrwsio achosion lleithder a llwydni mewn cartrefi."),
        "pl": ("Wilgoć i pleśń", "Znajdowanie i usuwanie przyczyn wilgoci i pleśni w mieszkaniach."),
        "ro": ("Umezeală și mucegai", "Găsirea și remedierea cauzelor umezelii și mucegaiului din locuințe."),
        "ar": ("الرطوبة والعفن", "تحديد أسباب الرطوبة والعفن في المنازل ومعالجتها."),
        "bn": ("স্যাঁতসেঁতে ভাব ও ছত্রাক", "বাড়িতে স্যাঁতসেঁতে ভাব ও ছত্রাকের কারণ খুঁজে বের করে ঠিক করা।"),
        "so": ("Qoyaanka iyo caaryada", "Helitaanka iyo hagaajinta waxa keena qoyaanka iyo caaryada guryaha."),
        "ur": ("نمی اور پھپھوندی", "گھروں میں نمی اور پھپھوندی کی وجوہات تلاش کرنا اور انہیں ٹھیک کرنا۔"),
    },
    "Keeping residents informed": {
        "en": ("Keeping you informed", "How we tell you what is happening and when."),
        "cy": ("Rhoi gwybod i chi", "Sut rydyn ni'n dweud wrthych chi beth sy'n digwydd a phryd."),
        "pl": ("Informowanie Ciebie", "Jak informujemy Cię, co się dzieje i kiedy."),
        "ro": ("Vă ținem la curent", "Cum vă spunem ce se întâmplă și când."),
        "ar": ("إبقاؤك على اطلاع", "كيف نخبرك بما يحدث ومتى."),
        "bn": ("আপনাকে অবহিত রাখা", "কী ঘটছে এবং কখন, তা আমরা কীভাবে আপনাকে জানাই।"),
        "so": ("Inaan ku war gelinno", "Sida aan kuugu sheegno waxa dhacaya iyo goorta."),
        "ur": ("آپ کو باخبر رکھنا", "ہم آپ کو کیسے بتاتے ہیں کہ کیا ہو رہا ہے اور کب۔"),
    },
    "Heating and hot water": {
        "en": ("Heating and hot water", "Getting heating and hot water working again quickly."),
        "cy": ("Gwres a dŵr poeth", "Cael y gwres a'r dŵr poeth i weithio eto'n gyflym."),
        "pl": ("Ogrzewanie i ciepła woda", "Szybkie przywracanie ogrzewania i ciepłej wody."),
        "ro": ("Încălzire și apă caldă", "Repunerea rapidă în funcțiune a încălzirii și a apei calde."),
        "ar": ("التدفئة والماء الساخن", "إعادة تشغيل التدفئة والماء الساخن بسرعة."),
        "bn": ("হিটিং ও গরম পানি", "হিটিং ও গরম পানি দ্রুত আবার চালু করা।"),
        "so": ("Kululaynta iyo biyaha kulul", "Dib u shaqaysiinta kululaynta iyo biyaha kulul si degdeg ah."),
        "ur": ("ہیٹنگ اور گرم پانی", "ہیٹنگ اور گرم پانی کو جلد دوبارہ چالو کرنا۔"),
    },
    "Complaint handling": {
        "en": ("How we handle complaints", "Listening to complaints and putting things right."),
        "cy": ("Sut rydyn ni'n ymdrin â chwynion", "Gwrando ar gwynion ac unioni pethau."),
        "pl": ("Jak rozpatrujemy skargi", "Wysłuchiwanie skarg i naprawianie błędów."),
        "ro": ("Cum tratăm reclamațiile", "Ascultăm reclamațiile și îndreptăm lucrurile."),
        "ar": ("كيف نتعامل مع الشكاوى", "الاستماع إلى الشكاوى وتصحيح الأمور."),
        "bn": ("আমরা কীভাবে অভিযোগ সামলাই", "অভিযোগ শোনা এবং ভুল সংশোধন করা।"),
        "so": ("Sida aan u maareyno cabashooyinka", "Dhageysiga cabashooyinka iyo hagaajinta waxyaabaha."),
        "ur": ("ہم شکایات کیسے نمٹاتے ہیں", "شکایات سننا اور معاملات درست کرنا۔"),
    },
}

#: Upheld complaints that feed lessons: key, words, (point, outcome sought), decision, reasons.
COMPLAINTS = {
    "appointments": (
        "The repairs contractor cancelled my bathroom repair three times, each time on the day.",
        ("Appointments cancelled on the day", "Visits that happen when booked"),
        "partly_upheld",
        "The contractor's diary was overbooked and visits were dropped without warning.",
    ),
    "heating": (
        "My boiler has been broken for nine days and I have two small children.",
        ("No heating or hot water for nine days", "The boiler fixed and a heater meanwhile"),
        "upheld",
        "The part was ordered late and no temporary heater was offered.",
    ),
    "informed": (
        "Nobody told me the roof repair was put back a month; I waited in every Friday.",
        ("Not told the repair was delayed", "To be told when plans change"),
        "upheld",
        "The new date was known a month ahead but nobody told the resident.",
    ),
    "logged": (
        "I asked to make a complaint about my kitchen but it was treated as a repair request.",
        ("My complaint was not logged as a complaint", "My complaint handled properly"),
        "upheld",
        "The complaint was logged as a service request and the Code's timescales were missed.",
    ),
}


def _user(email: str) -> User:
    return User.get(User.email == email)


def _moment(days_ago: int, hour: int = 10) -> dt.datetime:
    return utcnow().replace(hour=hour, minute=0, second=0, microsecond=0) - dt.timedelta(days=days_ago)


def _upheld_complaint(key: str, handler: Actor, days_ago: int) -> Complaint:
    """Submit, acknowledge and answer a demo complaint with its one point upheld (or partly); return it."""
    words, (point, sought), decision, reasons = COMPLAINTS[key]
    data = intake.NewContact(
        resident_id=_user("resident@example.org").id,
        received_at=utcnow() - dt.timedelta(days=days_ago),
        idempotency_key=f"demo-lesson-{key}",
        logged_via="console",
        channel="phone",
        description=words,
        wants_to_complain=True,
    )
    contact = intake.submit_contact(SYSTEM, data)
    complaint = Complaint.get(Complaint.contact == contact.id)
    journey.acknowledge_complaint(handler, complaint.id, [(point, sought)], sought)
    point_row = complaint.points.get()  # type: ignore[attr-defined]
    responses.respond_to_complaint(
        handler,
        complaint.id,
        {point_row.id: (decision, reasons)},
        f"We looked into what happened. {reasons}",
        "If you are not happy with this answer, you can ask for stage 2 on this page or by phone.",
        [responses.RemedyInput("apology", "We apologise for what went wrong.", local_date(), owner_id=handler.user_id)],
        underlying_cause=reasons,
        remedial_action="We are looking at what to change so that it does not happen again.",
    )
    return Complaint.get_by_id(complaint.id)


def _next_reference(year: int) -> str:
    prefix = f"LS-{year}-"
    last = (
        Lesson.select(Lesson.reference)
        .where(Lesson.reference.startswith(prefix))
        .order_by(fn.LENGTH(Lesson.reference).desc(), Lesson.reference.desc())
        .first()
    )
    number = int(last.reference[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _themes(actor: Actor) -> dict[str, Theme]:
    """The demo themes with their resident-facing texts in each enabled language the demo has words for."""
    enabled = config.current().enabled_locales
    found = {}
    for name, texts in THEMES.items():
        theme = Theme.get_or_none(Theme.name == name)
        if theme is None:
            theme = Theme.create(name=name)
            record_audit(actor, "theme.created", "theme", theme.id, {"name": {"before": None, "after": name}})
        for locale in (code for code in enabled if code in texts):
            if not ThemeText.select().where(ThemeText.theme == theme.id, ThemeText.locale == locale).exists():
                text, description = texts[locale]
                ThemeText.create(theme=theme, locale=locale, name=text, description=description)
                changes = {f"name_{locale}": {"before": None, "after": text}}
                record_audit(actor, "theme.text_changed", "theme", theme.id, changes)
        found[name] = theme
    return found


def _cause(name: str) -> RootCause:
    return RootCause.get(RootCause.name == name)


class Builder:
    """Writes one demo lesson and what hangs off it, with an audit entry for each step."""

    def __init__(self, actor: Actor, lesson: Lesson) -> None:
        self.actor, self.lesson = actor, lesson

    @classmethod
    def create(cls, actor: Actor, title: str, days_ago: int, **values: Any) -> Builder:
        identified = local_date() - dt.timedelta(days=days_ago)
        lesson = Lesson.create(
            reference=_next_reference(identified.year),
            title=title,
            identified_on=identified,
            identified_by=actor.user_id,
            created_at=_moment(days_ago),
            **values,
        )
        record_audit(
            actor,
            "lesson.created",
            "lesson",
            lesson.id,
            {"reference": {"before": None, "after": lesson.reference}, "title": {"before": None, "after": title}},
        )
        return cls(actor, lesson)

    def _audit(self, verb: str, changes: Mapping[str, Any]) -> None:
        record_audit(
            self.actor,
            f"lesson.{verb}",
            "lesson",
            self.lesson.id,
            {k: {"before": None, "after": v} for k, v in changes.items()},
        )

    def source(self, kind: str, **values: Any) -> None:
        source = LessonSource.create(
            lesson=self.lesson, kind=kind, recorded_by=None if values.get("anonymous") else self.actor.user_id, **values
        )
        self._audit("source_added", {"source_kind": kind, "source_id": source.id})

    def cause(self, name: str, detail: str, contributing: bool = False) -> LessonCause:
        cause = LessonCause.create(
            lesson=self.lesson, root_cause=_cause(name), detail=detail, contributing=contributing
        )
        self._audit("cause_added", {"root_cause": name, "contributing": contributing})
        return cause

    def learning(self, *kinds: str) -> None:
        for kind in kinds:
            LessonLearningType.create(lesson=self.lesson, learning_type=kind)
        self._audit("classified", {"learning_types": list(kinds)})

    def themes(self, *themes: Theme) -> None:
        for theme in themes:
            LessonTheme.create(lesson=self.lesson, theme=theme, linked_by=self.actor.user_id)
            self._audit("theme_linked", {"theme_id": theme.id, "theme": theme.name})

    def status(self, status: str, **values: Any) -> None:
        before = self.lesson.status
        self.lesson.status = status
        for name, value in values.items():
            setattr(self.lesson, name, value)
        self.lesson.updated_at = utcnow()
        self.lesson.save()
        record_audit(
            self.actor,
            "lesson.status_changed",
            "lesson",
            self.lesson.id,
            {"status": {"before": before, "after": status}},
        )

    def action(
        self, steps: Mapping[str, Actor], title: str, status: str, due_in: int, **values: Any
    ) -> ImprovementAction:
        """An action moved along its path to ``status`` by ``steps`` (verb -> who), each step audited."""
        due = local_date() + dt.timedelta(days=due_in)
        order = ("proposed", "authorised", "started", "completed", "signed_off", "verified")
        reached = {
            ActionStatus.PROPOSED.value: 1,
            ActionStatus.AUTHORISED.value: 2,
            ActionStatus.IN_PROGRESS.value: 3,
            ActionStatus.DONE.value: 4,
            ActionStatus.SIGNED_OFF.value: 5,
            ActionStatus.VERIFIED.value: 6,
        }
        verbs = list(order[: reached.get(status, 1)])
        if status == ActionStatus.CANCELLED.value:
            verbs.append("cancelled")
        now = utcnow()
        steps_done: dict[str, Any] = {}
        for verb in verbs[1:]:
            who = steps[verb].user_id
            if verb == "authorised":
                steps_done.update(authorised_by=who, authorised_at=now, first_due_on=due)
            elif verb == "started":
                steps_done.update(started_at=now)
            elif verb == "completed":
                steps_done.update(
                    completed_by=who,
                    completed_at=now,
                    evidence="The new check is written into the procedure and has been used since last month.",
                )
            elif verb == "signed_off":
                steps_done.update(signed_off_by=who, signed_off_at=now)
            elif verb == "verified":
                steps_done.update(
                    verified_by=who,
                    verified_at=now,
                    effect=Effect.ADDRESSED.value,
                    effect_note="Repeat complaints fell from 6 to 1 a month.",
                )
            elif verb == "cancelled":
                steps_done.update(cancel_reason="The lesson was cancelled: the cause was a one-off fault.")
        action = ImprovementAction.create(
            lesson=self.lesson,
            title=title,
            description=values.pop("description", title),
            measure=values.pop("measure", "Repeat complaints about it each month"),
            baseline=values.pop("baseline", "6 a month"),
            target=values.pop("target", "1 a month or fewer"),
            team=values.pop("team", "Repairs team"),
            action_type=values.pop("action_type", ActionType.WORKING_PRACTICE.value),
            due_on=due,
            status=status,
            proposed_by=steps["proposed"].user_id,
            **values,
            **steps_done,
        )
        for verb in verbs:
            record_audit(
                steps.get(verb, self.actor),
                f"improvement_action.{verb}",
                "improvement_action",
                action.id,
                {"lesson_id": {"before": None, "after": self.lesson.id}, "step": {"before": None, "after": verb}},
            )
        return action


def load_demo_lessons() -> None:
    """Create the demo lessons, their themes, actions, meeting, briefing, success story and QA report once.

    Needs the demo accounts and cases (backend.demo). Running again changes nothing.
    """
    if Lesson.select().where(Lesson.title == FIRST_TITLE).exists():
        return
    staff, manager, admin = _user("staff@example.org"), _user("manager@example.org"), _user("admin@example.org")
    handler, boss, second = actor_for_user(staff), actor_for_user(manager), actor_for_user(admin)
    themes = _themes(handler)
    complaints = {
        key: _upheld_complaint(key, handler, days)
        for key, days in (("appointments", 6), ("heating", 80), ("informed", 125), ("logged", 210))
    }
    repairs = ServiceArea.get_or_none(ServiceArea.name == "Repairs")
    team = {"team": "Repairs team", "owner": staff.id, "service_area": repairs.id if repairs else None}
    # The path of an action: who proposes, authorises, starts, completes, signs off and verifies it. Sign-off is by
    # a manager who is not the owner; verifying, by a manager.
    path = {
        "proposed": handler,
        "authorised": boss,
        "started": handler,
        "completed": handler,
        "signed_off": boss,
        "verified": second,
        "cancelled": boss,
    }

    # Identified: captured from an upheld complaint, not analysed yet.
    lesson = Builder.create(handler, FIRST_TITLE, 2, early_lesson="Visits are dropped on the day.", **team)
    lesson.source(SourceKind.COMPLAINT.value, complaint=complaints["appointments"].id, note="Partly upheld.")
    lesson.themes(themes["Repairs appointments"])

    # Analysed: causes and themes recorded, no action yet. From a survey question's results where there is one.
    lesson = Builder.create(
        handler,
        "Residents rate our complaint handling low when we do not call them back",
        20,
        business_impact=2,
        resident_impact=3,
        **team,
    )
    question = SurveyQuestion.select().order_by(SurveyQuestion.id).first()
    if question is not None:
        lesson.source(
            SourceKind.TRANSACTIONAL_SURVEY.value,
            survey=question.survey_id,
            survey_question=question.id,
            note="Low ratings from residents who were not called back.",
        )
    else:
        lesson.source(SourceKind.OPERATIONAL_FEEDBACK.value, note="Low ratings from residents not called back.")
    lesson.cause("Resident not kept informed", "No step in the process says who calls the resident back.")
    lesson.learning("listening")
    lesson.themes(themes["Complaint handling"])
    lesson.status(LessonStatus.ANALYSED.value)

    # Actions agreed: an authorised action, from an anonymous speak-up note.
    lesson = Builder.create(handler, "Nobody owns the follow-up after a repair is finished", 40, **team)
    lesson.source(SourceKind.SPEAK_UP.value, anonymous=True, note="Jobs are closed before the resident is asked.")
    lesson.cause("Hand-offs between teams", "Jobs close when the operative leaves, before anyone checks.")
    lesson.learning("systemic_issue")
    lesson.themes(themes["Repairs appointments"], themes["Keeping residents informed"])
    lesson.status(LessonStatus.ANALYSED.value)
    lesson.action(
        path, "Call the resident before a repair job is closed", ActionStatus.AUTHORISED.value, 45, owner=staff.id
    )
    lesson.status(LessonStatus.ACTIONS_AGREED.value)

    # In progress: one action overdue, one done awaiting sign-off, one awaiting authorisation.
    lesson = Builder.create(
        handler, "Heating repairs wait for parts ordered late", 75, business_impact=3, resident_impact=5, **team
    )
    lesson.source(SourceKind.COMPLAINT.value, complaint=complaints["heating"].id, note="Upheld.")
    cause = lesson.cause("Materials or parts not available", "Boiler parts are ordered only after a second visit.")
    lesson.cause("Process unclear or missing", "No rule to offer a temporary heater.", contributing=True)
    lesson.learning("service_risk", "service_improvement")
    lesson.themes(themes["Heating and hot water"])
    lesson.status(LessonStatus.ANALYSED.value)
    lesson.action(
        path,
        "Order boiler parts on the first visit",
        ActionStatus.IN_PROGRESS.value,
        -5,
        owner=staff.id,
        cause=cause.id,
    )
    lesson.action(path, "Offer a temporary heater on the first day", ActionStatus.DONE.value, 10, owner=staff.id)
    lesson.action(
        path,
        "Train call handlers to spot residents at risk without heating",
        ActionStatus.PROPOSED.value,
        30,
        owner=staff.id,
        action_type=ActionType.STAFF_TRAINING.value,
    )
    lesson.status(LessonStatus.ACTIONS_AGREED.value)
    lesson.status(LessonStatus.IN_PROGRESS.value)

    # Measuring impact: the action is signed off and its effect is being checked.
    lesson = Builder.create(
        handler, "Residents are not told when a repair is put back", 120, business_impact=2, resident_impact=4, **team
    )
    lesson.source(SourceKind.COMPLAINT.value, complaint=complaints["informed"].id, note="Upheld.")
    lesson.cause("Resident not kept informed", "The new date was in the system but no message was sent.")
    lesson.learning("listening")
    lesson.themes(themes["Keeping residents informed"])
    lesson.status(LessonStatus.ANALYSED.value)
    lesson.action(path, "Text residents when a repair date moves", ActionStatus.SIGNED_OFF.value, -20, owner=staff.id)
    for status in (LessonStatus.ACTIONS_AGREED, LessonStatus.IN_PROGRESS, LessonStatus.MEASURING_IMPACT):
        lesson.status(status.value)

    # Closed: the action verified as having addressed the problem; a success story, a briefing and a meeting.
    closed = Builder.create(
        handler,
        "Complaints were logged as service requests",
        200,
        business_impact=4,
        resident_impact=4,
        later_findings="Two other complaints the same month had been logged the same way.",
        **team,
    )
    closed.source(SourceKind.COMPLAINT.value, complaint=complaints["logged"].id, note="Upheld.")
    closed.cause("Training not given", "New call handlers had not been shown the Code's definition of a complaint.")
    closed.learning("training_need", "policy_revision")
    closed.themes(themes["Complaint handling"])
    closed.status(LessonStatus.ANALYSED.value)
    verified = closed.action(
        path,
        "Check every new contact against the Code's definition of a complaint",
        ActionStatus.VERIFIED.value,
        -60,
        owner=staff.id,
        action_type=ActionType.COMPLAINT_HANDLING.value,
    )
    for status in (
        LessonStatus.ACTIONS_AGREED,
        LessonStatus.IN_PROGRESS,
        LessonStatus.MEASURING_IMPACT,
        LessonStatus.CLOSED,
    ):
        closed.status(status.value)

    # Cancelled, with the reason: a one-off, so its action is cancelled too.
    lesson = Builder.create(handler, "The lift at Orchard Court broke down twice in a week", 30, **team)
    lesson.source(SourceKind.OPERATIONAL_FEEDBACK.value, note="Reported by the caretaker.")
    lesson.action(path, "Review the lift maintenance contract", ActionStatus.CANCELLED.value, 60, owner=staff.id)
    lesson.status(LessonStatus.CANCELLED.value, end_reason="A one-off fault; the lift was replaced under warranty.")

    _sharing(handler, boss, closed.lesson, verified, complaints["logged"])
    _qa_report()


def _sharing(handler: Actor, boss: Actor, lesson: Lesson, action: ImprovementAction, complaint: Complaint) -> None:
    """A champion, a team meeting that discussed the lesson, a briefing to the handler and an approved story."""
    staff_id, manager_id = handler.user_id, boss.user_id
    champion = Champion.create(person=staff_id, team="Repairs team", appointed_on=local_date() - dt.timedelta(days=90))
    record_audit(
        boss, "champion.appointed", "champion", champion.id, {"team": {"before": None, "after": "Repairs team"}}
    )
    meeting = Meeting.create(
        kind=MeetingKind.TEAM.value,
        title="Repairs team lessons review",
        held_on=local_date() - dt.timedelta(days=7),
        team="Repairs team",
        minutes="We went through the lessons closed this quarter and the actions still open.",
        recorded_by=manager_id,
    )
    for person in (staff_id, manager_id):
        MeetingAttendee.create(meeting=meeting, person=person)
    MeetingAttendee.create(meeting=meeting, name="Contractor's repairs supervisor")
    AgendaItem.create(meeting=meeting, position=1, title="Complaints logged as service requests", lesson=lesson)
    AgendaItem.create(meeting=meeting, position=2, title="Checking new contacts", action=action)
    record_audit(boss, "meeting.recorded", "meeting", meeting.id, {"title": {"before": None, "after": meeting.title}})
    briefing = StaffBriefing.create(
        complaint=complaint,
        person=staff_id,
        summary="The complaint was upheld. Every new contact is now checked against the Code's definition.",
        sent_by=manager_id,
        acknowledged_at=utcnow(),
    )
    record_audit(
        boss, "staff_briefing.sent", "staff_briefing", briefing.id, {"person": {"before": None, "after": staff_id}}
    )
    story = SuccessStory.create(
        title="Complaints now reach the right team first time",
        story="Residents told us their complaints were treated as repair requests. We now check every new contact "
        "against the Code's definition, and complaints are logged as complaints from the start.",
        before_figure="6 complaints a month logged as repairs",
        after_figure="1 a month",
        status=StoryStatus.APPROVED.value,
        drafted_by=staff_id,
        approved_by=manager_id,
        approved_at=utcnow(),
    )
    StoryLink.create(story=story, lesson=lesson)
    StoryLink.create(story=story, action=action)
    record_audit(
        boss,
        "success_story.approved",
        "success_story",
        story.id,
        {"status": {"before": "submitted", "after": "approved"}},
    )


def _qa_report() -> None:
    """This month's QA report so far, counted by the monthly QA where the service has it (the demo's actions were all
    done this month, so last month's would be empty)."""
    try:
        qa = importlib.import_module("backend.lessons.qa")
    except ModuleNotFoundError:  # the monthly QA is not in this version yet: no report rather than a made-up one
        return
    qa.compute_report(SYSTEM, local_date().replace(day=1))
