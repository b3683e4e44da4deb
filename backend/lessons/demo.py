"""Demo lessons at every point of their life, so each lessons page has something to show.

Four more upheld complaints feed lessons. The demo's damp complaint (backend/complaints/demo.py) is upheld in part
and deliberately left with neither a lesson nor a "no wider lesson" decision: the console's list of upheld
complaints without a lesson, and the end-to-end walk from a complaint to a lesson, start from it.

Everything is done through the services the console and the API use, by the demo's own staff: Jordan Lee (staff,
the case handler who captures lessons and carries out actions), Chris Evans (manager: authorises, signs off,
cancels) and Robin Patel (admin: verifies). The demo therefore follows the product's rules and leaves the same
audit trail and lesson histories as real work.

The story runs over the last seven months, in the order it happened (``backend.demo_story``): each step runs with
the clock seam (``backend.timeutil.clock``, the one tests move) set to its day. So a due date was ahead when it was
agreed and can be past now (the overdue action), every row and audit entry carries the day it happened, and the
monthly QA reports of those months are counted on the first of the month after, as they would have been. (The
database's own ``updated_at`` triggers, which touch a row when a row under it changes, read the database's clock, not
the seam: such rows show the day the demo was loaded as when they last changed.) Running the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from backend import config
from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.complaints import intake, journey, responses
from backend.complaints.models import Complaint, Remedy, ServiceArea
from backend.context import SYSTEM
from backend.demo_story import Story
from backend.lessons import (
    actions,
    briefings,
    bulletins,
    causes,
    champions,
    meetings,
    qa,
    sources,
    stories,
    themes,
    training,
)
from backend.lessons import lessons as lesson_services
from backend.lessons.actions import NextStep
from backend.lessons.models import (
    ActionType,
    Effect,
    ImprovementAction,
    Lesson,
    LessonStatus,
    MeetingKind,
    RootCause,
    SourceKind,
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


#: Days before today each demo complaint was received; it is acknowledged the next day, answered two days later
#: (with its apology, given in the answer) and closed three weeks after that, once that day has come.
RECEIVED = {"logged": 210, "informed": 125, "heating": 80, "appointments": 6}
ACKNOWLEDGED_AFTER, ANSWERED_AFTER, CLOSED_AFTER = 1, 3, 24
REMEDIAL_ACTION = "We are looking at what to change so that it does not happen again."
TEAM = "Repairs team"
INTRANET = "https://intranet.example.org/repairs"


def _user(email: str) -> User:
    return User.get(User.email == email)


def _root_cause(name: str) -> int:
    return RootCause.get(RootCause.name == name).id  # type: ignore[no-any-return]


class DemoLessons:
    """The demo's lessons and what hangs off them, told as a :class:`Story`: each step is a service called by the
    member of staff who would call it."""

    def __init__(self) -> None:
        staff, manager, admin = _user("staff@example.org"), _user("manager@example.org"), _user("admin@example.org")
        self.staff_id = staff.id
        # The handler captures lessons and carries out actions; the manager authorises, signs off (not being the
        # owner) and cancels; the admin verifies.
        self.handler, self.boss, self.checker = actor_for_user(staff), actor_for_user(manager), actor_for_user(admin)
        repairs = ServiceArea.get_or_none(ServiceArea.name == "Repairs")
        self.area_id = repairs.id if repairs else None
        self.story = Story()

    def due(self, days_from_today: int) -> dt.date:
        """A day counted from the real today (negative: past), as due dates are agreed ahead of it."""
        return self.story.today + dt.timedelta(days=days_from_today)

    # --- Complaints and themes ----------------------------------------------------------------------------------

    def complaint(self, key: str) -> None:
        """A demo complaint received, acknowledged, answered with its one point upheld (or partly) and its apology,
        and closed, each on its day."""
        story, handler = self.story, self.handler
        words, (point, sought), decision, reasons = COMPLAINTS[key]

        def receive() -> None:
            data = intake.NewContact(
                resident_id=_user("resident@example.org").id,
                received_at=utcnow(),
                idempotency_key=f"demo-lesson-{key}",
                logged_via="console",
                channel="phone",
                description=words,
                wants_to_complain=True,
            )
            contact = intake.submit_contact(SYSTEM, data)
            story.keep(f"complaint:{key}", Complaint.get(Complaint.contact == contact.id))

        def answer() -> None:
            complaint = Complaint.get_by_id(story.id(f"complaint:{key}"))
            point_row = complaint.points.get()  # type: ignore[attr-defined]
            responses.respond_to_complaint(
                handler,
                complaint.id,
                {point_row.id: (decision, reasons)},
                f"We looked into what happened. {reasons}",
                "If you are not happy with this answer, you can ask for stage 2 on this page or by phone.",
                [
                    responses.RemedyInput(
                        "apology", "We apologise for what went wrong.", local_date(), owner_id=handler.user_id
                    )
                ],
                underlying_cause=reasons,
                remedial_action=REMEDIAL_ACTION,
            )
            for remedy in Remedy.select().where(Remedy.complaint == complaint.id):
                responses.complete_remedy(handler, remedy.id)  # the apology was given in the answer

        received = RECEIVED[key]
        story.at(received, receive, hour=9)
        story.at(
            received - ACKNOWLEDGED_AFTER,
            lambda: journey.acknowledge_complaint(handler, story.id(f"complaint:{key}"), [(point, sought)], sought),
            hour=9,
        )
        story.at(received - ANSWERED_AFTER, answer, hour=9)
        if received - CLOSED_AFTER >= 1:

            def close() -> None:
                journey.close_complaint(handler, story.id(f"complaint:{key}"), reasons, REMEDIAL_ACTION)

            story.at(received - CLOSED_AFTER, close, hour=9)

    def name_themes(self, days_ago: int) -> None:
        """The demo themes, named for residents in each enabled language the demo has words for."""

        def make() -> None:
            enabled = config.current().enabled_locales
            for name, texts in THEMES.items():
                wanted = {code: texts[code] for code in enabled if code in texts}
                theme = Theme.get_or_none(Theme.name == name)
                if theme is None:
                    inputs = [themes.TextInput(code, *words) for code, words in wanted.items()]
                    theme = themes.create_theme(self.handler, name, inputs)
                else:  # there already: give it the languages it lacks, keeping the texts it has
                    had = {
                        row.locale: (row.name, row.description)
                        for row in ThemeText.select().where(ThemeText.theme == theme.id)
                    }
                    if set(wanted) - set(had):
                        inputs = [themes.TextInput(code, *words) for code, words in {**wanted, **had}.items()]
                        theme = themes.update_theme(self.handler, theme.id, theme.name, inputs)
                self.story.keep(f"theme:{name}", theme)

        self.story.at(days_ago, make, hour=9)

    # --- A lesson's steps ---------------------------------------------------------------------------------------

    def lesson(self, days_ago: int, key: str, title: str, source: Callable[[], Any], **details: Any) -> None:
        """Capture a lesson from one source (made when the step runs), owned by the handler for the repairs team."""

        def capture() -> None:
            values = {"team": TEAM, "owner_id": self.staff_id, "service_area_id": self.area_id, **details}
            made = lesson_services.create_lesson(self.handler, title, [source()], lesson_services.Details(**values))
            self.story.keep(key, made)

        self.story.at(days_ago, capture)

    def from_complaint(self, key: str, note: str) -> Callable[[], Any]:
        return lambda: sources.SourceInput(
            SourceKind.COMPLAINT.value, complaint_id=self.story.id(f"complaint:{key}"), note=note
        )

    @staticmethod
    def noted(kind: str, note: str, anonymous: bool = False) -> Callable[[], Any]:
        return lambda: sources.SourceInput(kind, note=note, anonymous=anonymous)

    def analyse(
        self,
        days_ago: int,
        key: str,
        cause: tuple[str, str],
        learning: tuple[str, ...],
        theme_names: tuple[str, ...],
        contributing: tuple[str, str] | None = None,
    ) -> None:
        """Record the lesson's root cause (and a contributing factor), classify it, link its themes, and mark it
        analysed."""
        story, handler = self.story, self.handler

        def analysed() -> None:
            lesson_id = story.id(key)
            story.keep(f"{key}:cause", causes.add_cause(handler, lesson_id, _root_cause(cause[0]), cause[1]))
            if contributing:
                causes.add_cause(handler, lesson_id, _root_cause(contributing[0]), contributing[1], contributing=True)
            lesson_services.update_lesson(handler, lesson_id, {"learning_types": list(learning)})
            for name in theme_names:
                themes.link_lesson(handler, lesson_id, story.id(f"theme:{name}"))
            lesson_services.set_status(handler, lesson_id, LessonStatus.ANALYSED.value)

        story.at(days_ago, analysed)

    # --- An action's steps ----------------------------------------------------------------------------------------

    def propose(
        self, days_ago: int, key: str, lesson: str, title: str, due_in: int, for_cause: bool = False, **values: Any
    ) -> None:
        """The handler proposes an action they will own, due ``due_in`` days from the real today; ``for_cause``: it
        addresses the lesson's root cause."""
        given = {
            "description": title,
            "measure": "Repeat complaints about it each month",
            "baseline": "6 a month",
            "target": "1 a month or fewer",
            "team": TEAM,
            "owner_id": self.staff_id,
            "action_type": ActionType.WORKING_PRACTICE.value,
            "due_on": self.due(due_in),
            **values,
        }

        def proposed() -> None:
            cause = {"cause_id": self.story.id(f"{lesson}:cause")} if for_cause else {}
            made = actions.propose_action(self.handler, self.story.id(lesson), title=title, **given, **cause)
            self.story.keep(key, made)

        self.story.at(days_ago, proposed)

    def carry_out(self, key: str, steps: dict[str, Any]) -> None:
        """Move an action along its path, each step on its day (days ago): "authorised", "started", "completed"
        (with the evidence, a text and a link), "signed_off" (with what residents are told, or ""), "verified" (an
        effect, a note and, when not addressed, the next step)."""
        story = self.story

        def at(step: str, call: Callable[[int], object]) -> None:
            if step in steps:
                days = steps[step] if isinstance(steps[step], int) else steps[step][0]
                story.at(days, lambda: call(story.id(key)), hour=11)

        at("authorised", lambda action_id: actions.authorise_action(self.boss, action_id))
        at("started", lambda action_id: actions.start_action(self.handler, action_id))
        if "completed" in steps:
            _days, text, link = steps["completed"]
            at("completed", lambda action_id: actions.complete_action(self.handler, action_id, text, [link]))
        if "signed_off" in steps:
            _days, told = steps["signed_off"]
            at("signed_off", lambda action_id: actions.sign_off_action(self.boss, action_id, told))
        if "verified" in steps:
            _days, effect, note, *then = steps["verified"]
            at("verified", lambda action_id: actions.verify_action(self.checker, action_id, effect, note, *then))

    # --- The demo ---------------------------------------------------------------------------------------------------

    def tell(self) -> None:
        """Schedule the whole story: complaints, themes, seven lessons, and what they were shared in."""
        for key in RECEIVED:
            self.complaint(key)
        self.name_themes(215)
        self.closed_lesson()
        self.measuring_lesson()
        self.in_progress_lesson()
        self.agreed_lesson()
        self.analysed_lesson()
        self.identified_lesson()
        self.cancelled_lesson()
        self.sharing()
        self.qa_reports(215)

    def closed_lesson(self) -> None:
        """Closed: both actions verified as having addressed the problem; later findings added on the way."""
        story, handler = self.story, self.handler
        self.lesson(
            200,
            "closed",
            "Complaints were logged as service requests",
            self.from_complaint("logged", "Upheld."),
            business_impact=4,
            resident_impact=4,
        )
        self.analyse(
            198,
            "closed",
            ("Training not given", "New call handlers had not been shown the Code's definition of a complaint."),
            ("training_need", "policy_revision"),
            ("Complaint handling",),
        )
        self.propose(
            196,
            "closed:check",
            "closed",
            "Check every new contact against the Code's definition of a complaint",
            -60,
            measure="Complaints logged as service requests each month",
            action_type=ActionType.COMPLAINT_HANDLING.value,
            for_cause=True,
        )
        self.propose(
            196,
            "closed:brief",
            "closed",
            "Brief every call handler on the Code's definition of a complaint",
            -150,
            measure="Call handlers briefed on the definition",
            baseline="None of the 12 call handlers",
            target="All 12",
            action_type=ActionType.STAFF_TRAINING.value,
        )
        self.carry_out(
            "closed:brief",
            {
                "authorised": 195,
                "started": 185,
                "completed": (
                    170,
                    "All 12 call handlers attended the briefing; the training log records it.",
                    f"{INTRANET}/complaint-definition-briefing",
                ),
                "signed_off": (147, ""),
                "verified": (
                    90,
                    Effect.ADDRESSED.value,
                    "Every call handler in the quarter's sample logged complaints as complaints.",
                ),
            },
        )
        story.at(
            172,
            lambda: training.record_training(
                handler,
                "The Code's definition of a complaint",
                story.day(172),
                audience="Call handlers",
                attendees=12,
                notes="What makes a contact a complaint, with the examples from last quarter's upheld complaints.",
                action_id=story.id("closed:brief"),
                people=[self.staff_id],
            ),
        )
        self.carry_out(
            "closed:check",
            {
                "authorised": 195,
                "started": 190,
                "completed": (
                    150,
                    "Every new contact now goes through the Code's definition before it is logged; the check is in "
                    "the contact procedure and the call script.",
                    f"{INTRANET}/contact-procedure",
                ),
                "signed_off": (
                    147,
                    "When you contact us, we now check straight away whether you are making a complaint, so that it "
                    "is handled as one from the start.",
                ),
                "verified": (
                    90,
                    Effect.ADDRESSED.value,
                    "Complaints logged as service requests fell from 6 to 1 a month.",
                ),
            },
        )
        story.at(
            160,
            lambda: lesson_services.update_lesson(
                handler,
                story.id("closed"),
                {"later_findings": "Two other complaints the same month had been logged the same way."},
            ),
        )
        story.at(85, lambda: lesson_services.set_status(self.boss, story.id("closed"), LessonStatus.CLOSED.value))

    def measuring_lesson(self) -> None:
        """Measuring impact: one action verified as having partly addressed it, one signed off awaiting its check."""
        self.lesson(
            120,
            "measuring",
            "Residents are not told when a repair is put back",
            self.from_complaint("informed", "Upheld."),
            business_impact=2,
            resident_impact=4,
        )
        self.analyse(
            119,
            "measuring",
            ("Resident not kept informed", "The new date was in the system but no message was sent."),
            ("listening",),
            ("Keeping residents informed",),
        )
        self.propose(
            118,
            "measuring:text",
            "measuring",
            "Text residents when a repair date moves",
            -20,
            measure="Complaints about repairs put back without notice",
            baseline="4 a month",
            target="None",
            for_cause=True,
        )
        self.propose(
            118,
            "measuring:call",
            "measuring",
            "Call residents when a contractor puts a repair back",
            -50,
            measure="Delays the resident is told of within a day",
            baseline="1 in 3",
            target="9 in 10",
        )
        self.carry_out(
            "measuring:call",
            {
                "authorised": 117,
                "started": 100,
                "completed": (
                    70,
                    "Contractors now report each delay to the repairs desk, which calls the resident the same day.",
                    f"{INTRANET}/contractor-delays",
                ),
                "signed_off": (65, ""),
                "verified": (
                    30,
                    Effect.PARTLY.value,
                    "Residents are now told of 7 in 10 delays; delays the contractor decides on site are still missed.",
                ),
            },
        )
        self.carry_out(
            "measuring:text",
            {
                "authorised": 117,
                "started": 110,
                "completed": (
                    40,
                    "The repairs system now texts the resident whenever a job's date changes, for every contractor.",
                    f"{INTRANET}/date-change-texts",
                ),
                "signed_off": (35, "When the date of your repair changes, we now send you a text message at once."),
            },
        )

    def in_progress_lesson(self) -> None:
        """In progress: one action overdue, one done awaiting sign-off, one verified as not having addressed the
        problem (so a new action follows it), and one awaiting authorisation."""
        story = self.story
        self.lesson(
            75,
            "heating",
            "Heating repairs wait for parts ordered late",
            self.from_complaint("heating", "Upheld."),
            business_impact=3,
            resident_impact=5,
        )
        self.analyse(
            74,
            "heating",
            ("Materials or parts not available", "Boiler parts are ordered only after a second visit."),
            ("service_risk", "service_improvement"),
            ("Heating and hot water",),
            contributing=("Process unclear or missing", "No rule to offer a temporary heater."),
        )
        parts: dict[str, Any] = {
            "measure": "Days from the first visit to a working boiler",
            "baseline": "9 days",
            "target": "3 days or fewer",
            "action_type": ActionType.SERVICE_PROVISION.value,
            "for_cause": True,
        }
        self.propose(73, "heating:order", "heating", "Order boiler parts on the first visit", -5, **parts)
        self.carry_out("heating:order", {"authorised": 72, "started": 70})
        self.propose(73, "heating:remind", "heating", "Remind contractors to carry common boiler parts", -30, **parts)
        self.carry_out(
            "heating:remind",
            {
                "authorised": 72,
                "started": 71,
                "completed": (
                    50,
                    "Both heating contractors were sent the list of common parts and reminded to carry them.",
                    f"{INTRANET}/common-boiler-parts",
                ),
                "signed_off": (45, ""),
                "verified": (
                    25,
                    Effect.NOT_ADDRESSED.value,
                    "Parts were still ordered after a second visit in 5 of 8 jobs: a reminder alone changed nothing.",
                    NextStep.FOLLOW_UP.value,
                ),
            },
        )

        def follow_up() -> None:  # the new action verifying proposed, made SMART by the handler the day after
            follows = ImprovementAction.get(ImprovementAction.follows == story.id("heating:remind"))
            actions.update_action(
                self.handler,
                follows.id,
                title="Keep common boiler parts on every heating engineer's van",
                description="Each van carries the parts that fail most often, checked at the start of each week.",
                due_on=self.due(40),
            )

        story.at(24, follow_up)
        self.propose(
            73,
            "heating:heater",
            "heating",
            "Offer a temporary heater on the first day",
            10,
            measure="Residents without heating offered a heater on the first day",
            baseline="None",
            target="All",
        )
        self.carry_out(
            "heating:heater",
            {
                "authorised": 72,
                "started": 60,
                "completed": (
                    8,
                    "Every report of no heating now books a heater delivery the same day; 14 were delivered.",
                    f"{INTRANET}/temporary-heaters",
                ),
            },
        )
        self.propose(
            20,
            "heating:train",
            "heating",
            "Train call handlers to spot residents at risk without heating",
            30,
            measure="Calls about no heating where the resident's risk was asked about",
            baseline="Not recorded",
            target="All",
            action_type=ActionType.STAFF_TRAINING.value,
        )

    def agreed_lesson(self) -> None:
        """Actions agreed, from an anonymous speak-up note: an authorised action whose due date a manager moved."""
        self.lesson(
            40,
            "agreed",
            "Nobody owns the follow-up after a repair is finished",
            self.noted(SourceKind.SPEAK_UP.value, "Jobs are closed before the resident is asked.", anonymous=True),
        )
        self.analyse(
            38,
            "agreed",
            ("Hand-offs between teams", "Jobs close when the operative leaves, before anyone checks."),
            ("systemic_issue",),
            ("Repairs appointments", "Keeping residents informed"),
        )
        self.propose(
            36,
            "agreed:call",
            "agreed",
            "Call the resident before a repair job is closed",
            15,
            measure="Jobs reopened within a month of closing",
            baseline="1 in 12",
            target="1 in 40",
            for_cause=True,
        )
        self.carry_out("agreed:call", {"authorised": 35})
        self.story.at(
            10,
            lambda: actions.change_due_date(
                self.boss,
                self.story.id("agreed:call"),
                self.due(45),
                "Holding jobs open until the call is made needs the repairs system update due next month.",
            ),
        )

    def analysed_lesson(self) -> None:
        """Analysed: its cause and theme recorded, no action yet; the survey's low ratings added to it today."""
        self.lesson(
            20,
            "analysed",
            "Residents rate our complaint handling low when we do not call them back",
            self.noted(
                SourceKind.OPERATIONAL_FEEDBACK.value, "Complaint handlers hear that residents were not called back."
            ),
            business_impact=2,
            resident_impact=3,
        )
        self.analyse(
            18,
            "analysed",
            ("Resident not kept informed", "No step in the process says who calls the resident back."),
            ("listening",),
            ("Complaint handling",),
        )

        def ratings() -> None:  # the demo survey is made today, so its answers come in today
            question = SurveyQuestion.select().order_by(SurveyQuestion.id).first()
            if question is not None:
                source = sources.SourceInput(
                    SourceKind.TRANSACTIONAL_SURVEY.value,
                    survey_question_id=question.id,
                    note="Low ratings from residents who were not called back.",
                )
                sources.add_source(self.handler, self.story.id("analysed"), source)

        self.story.now(ratings)

    def identified_lesson(self) -> None:
        """Identified: captured from an upheld complaint two days ago, not analysed yet."""
        self.lesson(
            2,
            "identified",
            FIRST_TITLE,
            self.from_complaint("appointments", "Partly upheld."),
            early_lesson="Visits are dropped on the day.",
        )
        self.story.at(
            2,
            lambda: themes.link_lesson(
                self.handler, self.story.id("identified"), self.story.id("theme:Repairs appointments")
            ),
        )

    def cancelled_lesson(self) -> None:
        """Cancelled, with the reason: a one-off, so its proposed action is cancelled too."""
        self.lesson(
            30,
            "cancelled",
            "The lift at Orchard Court broke down twice in a week",
            self.noted(SourceKind.OPERATIONAL_FEEDBACK.value, "Reported by the caretaker."),
        )
        self.propose(
            29,
            "cancelled:review",
            "cancelled",
            "Review the lift maintenance contract",
            60,
            action_type=ActionType.SERVICE_PROVISION.value,
        )

        def cancel() -> None:
            actions.cancel_action(
                self.boss, self.story.id("cancelled:review"), "The lesson was cancelled: the cause was a one-off fault."
            )
            lesson_services.cancel_lesson(
                self.boss, self.story.id("cancelled"), "A one-off fault; the lift was replaced under warranty."
            )

        self.story.at(12, cancel)

    def sharing(self) -> None:
        """A champion, a briefing to the handler, a bulletin, an approved success story and a team meeting."""
        story, handler, boss = self.story, self.handler, self.boss
        story.at(
            90,
            lambda: champions.appoint_champion(
                boss,
                self.staff_id,
                TEAM,
                story.day(90),
                "Follows the team's lessons and actions and brings them to the team meeting.",
            ),
        )

        def briefed() -> None:
            briefing = briefings.send_briefing(
                boss,
                story.id("complaint:logged"),
                self.staff_id,
                "The complaint was upheld. Every new contact is now checked against the Code's definition.",
            )
            story.keep("briefing", briefing)

        story.at(140, briefed)
        story.at(139, lambda: briefings.acknowledge_briefing(handler, story.id("briefing")))

        def bulletin() -> None:
            made = bulletins.create_bulletin(
                boss,
                "Lessons bulletin: what we changed this quarter",
                story.day(120),
                story.day(61),
                "What we changed because residents told us something went wrong.",
            )
            bulletins.send_bulletin(boss, made.id)

        story.at(60, bulletin)

        def drafted() -> None:
            made = stories.draft_story(
                handler,
                "Complaints now reach the right team first time",
                "Residents told us their complaints were treated as repair requests. We now check every new contact "
                "against the Code's definition, and complaints are logged as complaints from the start.",
                "6 complaints a month logged as repairs",
                "1 a month",
                lesson_ids=[story.id("closed")],
                action_ids=[story.id("closed:check")],
            )
            stories.submit_story(handler, made.id)
            story.keep("story", made)

        story.at(80, drafted)
        story.at(78, lambda: stories.approve_story(boss, story.id("story")))

        def meeting() -> None:
            made = meetings.create_meeting(
                boss,
                MeetingKind.TEAM.value,
                "Repairs team lessons review",
                story.day(7),
                TEAM,
                "We went through the lessons closed this quarter and the actions still open.",
            )
            for person in (self.staff_id, boss.user_id):
                meetings.add_attendee(boss, made.id, person)
            meetings.add_attendee(boss, made.id, name="Contractor's repairs supervisor")
            closed, check = story.id("closed"), story.id("closed:check")
            meetings.add_agenda_item(boss, made.id, "Complaints logged as service requests", lesson_id=closed)
            meetings.add_agenda_item(boss, made.id, "Checking new contacts", action_id=check)
            meetings.add_agenda_item(
                boss,
                made.id,
                "Boiler parts still ordered late",
                "Ordering parts on the first visit is due this week and is not done yet.",
                lesson_id=story.id("heating"),
                action_id=story.id("heating:order"),
            )

        story.at(7, meeting, hour=14)

    def qa_reports(self, since: int) -> None:
        """Each month's QA counted on the first of the month after, as the monthly QA is; this month's so far."""
        story = self.story
        first = story.day(since).replace(day=1)
        while True:
            first = (first + dt.timedelta(days=32)).replace(day=1)
            if first > story.today:
                break
            month = (first - dt.timedelta(days=1)).replace(day=1)
            count = lambda month=month: qa.compute_report(SYSTEM, month)  # noqa: E731
            days = (story.today - first).days
            if days >= 1:
                story.at(days, count, hour=7)
            else:  # the first of the month is today
                story.now(count)
        story.now(lambda: qa.compute_report(SYSTEM, story.today.replace(day=1)))


def load_demo_lessons() -> None:
    """Create the demo lessons, their themes, actions, meeting, briefing, bulletin, success story and QA reports once.

    Needs the demo accounts and cases (backend.demo). Running again changes nothing.
    """
    if Lesson.select().where(Lesson.title == FIRST_TITLE).exists():
        return
    demo = DemoLessons()
    demo.tell()
    demo.story.run()
