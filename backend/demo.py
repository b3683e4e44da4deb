"""Demo data for trying Learnloop on one machine. Never loaded in production."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend import config
from backend.accounts.auth import end_all_sessions
from backend.accounts.models import Home, Landlord, User
from backend.accounts.services import create_home, create_landlord, create_user, record_representation
from backend.accounts.tokens import actor_for_user, revoke_all_tokens
from backend.cocreation.demo import load_demo_cocreation
from backend.complaints.demo import load_demo_cases, load_demo_history
from backend.context import SYSTEM
from backend.db import transaction
from backend.lessons.demo import load_demo_lessons
from backend.panels.demo import load_demo_panels
from backend.reports.demo import load_demo_reports
from backend.surveys import services as surveys
from backend.surveys.answers import record_answers
from backend.surveys.models import Survey, SurveyInvitation
from backend.timeutil import utcnow

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published on purpose; never in production
DEMO_LANDLORD = "Riverside Homes (demo)"


class DemoRefused(RuntimeError):
    """Demo data is refused in production."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[str, ...]
    home: str | None = None
    locale: str | None = None


HOMES = (
    ("RH-0001", "Flat 3, 12 Mill Lane, Leeds", "LS1 4AB", "england", "rented"),
    ("RH-0002", "27 Orchard Close, Leeds", "LS6 2QT", "england", "shared_ownership"),
    ("RH-0003", "Flat 9, 12 Mill Lane, Leeds", "LS1 4AB", "england", "rented"),
    ("RH-0004", "14 Beech Grove, Leeds", "LS6 3HJ", "england", "rented"),
    ("RH-0005", "9 Canal Wharf, Wakefield", "WF1 5PQ", "england", "rented"),
    ("RH-0006", "22 Station Road, Bradford", "BD1 4EF", "england", "rented"),
    ("RH-0007", "3 Kestrel Court, Harrogate", "HG1 2LR", "england", "shared_ownership"),
    ("RH-0008", "41 Meadow View, York", "YO24 1AB", "england", "shared_ownership"),
    ("RH-0101", "5 Heol y Castell, Caerdydd", "CF10 1BH", "wales", "rented"),
    ("RH-0201", "2/1, 40 Dumbarton Road, Glasgow", "G11 6AA", "scotland", "rented"),
    ("RH-0202", "0/2, 15 Paisley Road West, Glasgow", "G51 1LF", "scotland", "rented"),
    ("RH-0301", "8 Lisburn Road, Belfast", "BT9 6AA", "northern_ireland", "rented"),
)

ACCOUNTS = (
    DemoAccount("resident@example.org", "Sam Okafor", ("resident",), "RH-0001", "en"),
    DemoAccount("preswylydd@example.org", "Gwen Pritchard", ("resident",), "RH-0101", "cy"),
    DemoAccount("resident.scotland@example.org", "Morag Campbell", ("resident",), "RH-0201", None),
    DemoAccount("advocate@example.org", "Priya Shah", ("advocate",), None, "en"),
    DemoAccount("panel@example.org", "Alex Morgan", ("resident", "panel_member"), "RH-0002", "en"),
    DemoAccount("panel.two@example.org", "Dee Walsh", ("resident", "panel_member"), "RH-0004", "en"),
    DemoAccount("panel.three@example.org", "Huw Jenkins", ("resident", "panel_member"), "RH-0005", "cy"),
    DemoAccount("staff@example.org", "Jordan Lee", ("staff",), None, "en"),
    DemoAccount("manager@example.org", "Chris Evans", ("manager",), None, "en"),
    DemoAccount("admin@example.org", "Robin Patel", ("admin",), None, "en"),
)


def load_demo() -> list[DemoAccount]:
    """Create the demo landlord, homes and accounts if they are missing; return the accounts.

    Safe to run again. Raises :class:`DemoRefused` in production.
    """
    if config.current().is_production:
        raise DemoRefused("demo data is never loaded in production")
    with transaction():
        landlord = Landlord.get_or_none(Landlord.name == DEMO_LANDLORD) or create_landlord(SYSTEM, DEMO_LANDLORD)
        homes = {}
        for reference, address, postcode, nation, tenure in HOMES:
            home = Home.get_or_none(Home.reference == reference)
            homes[reference] = home or create_home(SYSTEM, landlord.id, reference, address, postcode, nation, tenure)
        for account in ACCOUNTS:
            if User.select().where(User.email == account.email).exists():
                continue
            create_user(
                SYSTEM,
                account.email,
                account.name,
                list(account.roles),
                password=DEMO_PASSWORD,
                home_id=homes[account.home].id if account.home else None,
                locale=account.locale,
                is_demo=True,
            )
        advocate = User.get(User.email == "advocate@example.org")
        resident = User.get(User.email == "resident@example.org")
        if not resident.representatives.exists():  # type: ignore[attr-defined]  # peewee adds it at runtime
            staff = User.get(User.email == "staff@example.org")
            record_representation(actor_for_user(staff), advocate.id, resident.id, "written")
        load_demo_surveys()
        load_demo_cases()
        load_demo_history()
        load_demo_lessons()
        load_demo_reports()
        load_demo_panels()
        load_demo_cocreation()
    return list(ACCOUNTS)


def remove_demo_accounts() -> int:
    """Deactivate and anonymise demo accounts so a database can go to production. Returns how many."""
    count = 0
    with transaction():
        for user in User.select().where(User.is_demo == True):  # noqa: E712
            end_all_sessions(user.id)
            revoke_all_tokens(SYSTEM, user.id)
            user.is_demo = False
            user.is_active = False
            user.password_hash = None
            user.email = f"removed-demo-{user.id}@learnloop.invalid"
            user.save()
            count += 1
    return count


def load_demo_surveys() -> None:
    """A live complaint-experience survey with a few answers, and a draft to build. Safe to run again."""
    if Survey.select().exists():
        return
    live = surveys.create_survey(
        SYSTEM,
        title={"en": "How did we handle your complaint?", "cy": "Sut wnaethon ni ddelio â'ch cwyn?"},
        anonymous=False,
    )
    rating = surveys.add_question(
        SYSTEM,
        live.id,
        kind="rating",
        required=True,
        text={
            "en": "How satisfied are you with how we handled your complaint?",
            "cy": "Pa mor fodlon ydych chi â'r ffordd y gwnaethon ni ddelio â'ch cwyn?",
        },
    )
    surveys.add_question(
        SYSTEM,
        live.id,
        kind="yes_partly_no",
        text={"en": "Did we put things right?", "cy": "Wnaethon ni unioni pethau?"},
    )
    surveys.add_question(
        SYSTEM,
        live.id,
        kind="single",
        text={"en": "How did you tell us?"},
        options=[
            {"value": "phone", "label": {"en": "By phone"}},
            {"value": "web", "label": {"en": "On the website"}},
            {"value": "letter", "label": {"en": "By letter"}},
        ],
    )
    surveys.add_question(
        SYSTEM,
        live.id,
        kind="text",
        text={"en": "What could we have done better?"},
        condition={"question": rating.id, "lte": 3},
    )
    surveys.add_rule(SYSTEM, live.id, "complaint.closed", 5, "work_days")
    surveys.publish_survey(SYSTEM, live.id)
    questions = surveys.questions_of(live)
    for email, answers in (
        ("resident@example.org", ("4", "yes", "phone")),
        ("preswylydd@example.org", ("2", "partly", "letter")),
    ):
        user = User.get(User.email == email)
        invitation = SurveyInvitation.create(
            survey=live,
            user=user,
            key=f"demo:{live.id}:{user.id}",
            status="sent",
            due_at=utcnow(),
            sent_at=utcnow(),
            expires_at=utcnow() + dt.timedelta(days=30),
        )
        record_answers(
            invitation, {q.id: a for q, a in zip(questions, answers, strict=False)}, user.locale or "en", final=True
        )
    draft = surveys.create_survey(SYSTEM, title={"en": "Did the change make a difference?"}, anonymous=True)
    surveys.add_question(
        SYSTEM,
        draft.id,
        kind="yes_partly_no",
        text={"en": "Has the change to repairs appointments made a difference to you?"},
    )
