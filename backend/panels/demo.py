"""The demo scrutiny panel: the Residents' Scrutiny Panel, chaired by Alex Morgan, reviewing the complaints journey.

Needs the demo accounts (backend.demo). Running again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.panels import meetings, panels, reviews
from backend.panels.models import MeetingMode, Panel, PanelRole, PapersBy, ReviewStatus
from backend.timeutil import local_date, utcnow

PANEL_NAME = "Residents' Scrutiny Panel"
REVIEW_TOPIC = "The complaints journey"
TERMS = (
    "The panel reviews how the landlord works, from residents' point of view, and makes recommendations the landlord "
    "must answer. Members act independently, keep what they see in confidence, and declare any interest. The chair "
    "signs off the panel's reports; the vice-chair does when the chair is absent."
)
#: The members: email, role, and how they get meeting papers.
MEMBERS = (
    ("panel@example.org", PanelRole.CHAIR, PapersBy.EMAIL),
    ("panel.two@example.org", PanelRole.VICE_CHAIR, PapersBy.LARGE_PRINT),
    ("panel.three@example.org", PanelRole.MEMBER, PapersBy.POST),
)
SUPPORT = (("staff@example.org", "Panel officer"), ("manager@example.org", "Senior lead"))


def load_demo_panels() -> None:
    """Create the demo panel, its members and support, a review in the gathering stage and its next meeting once."""
    if Panel.select().where(Panel.name == PANEL_NAME).exists():
        return
    staff = User.get(User.email == "staff@example.org")
    manager = User.get(User.email == "manager@example.org")
    actor = actor_for_user(staff)
    panel = panels.create_panel(
        actor,
        {
            "name": PANEL_NAME,
            "terms_of_reference": TERMS,
            "sign_off_rule": "chair_or_vice",
            "senior_lead_id": manager.id,
            "reward_rule": "A £25 shopping voucher for each review completed.",
            "reward_pence": 2500,
        },
    )
    started = local_date() - dt.timedelta(days=180)
    for email, role, papers in MEMBERS:
        person = User.get(User.email == email)
        panels.add_membership(
            actor,
            panel.id,
            person.id,
            {
                "role": role,
                "started_on": started,
                "training_done_on": started + dt.timedelta(days=14),
                "training_note": "Induction: scrutiny, confidentiality and reading complaint data.",
                "confidentiality_signed_on": started,
                "papers_by": papers,
            },
        )
    for email, duty in SUPPORT:
        panels.add_support(actor, panel.id, User.get(User.email == email).id, duty)
    reviews.add_work_item(
        actor,
        panel.id,
        {"topic": "Repairs appointments", "source": "votes", "note": "Residents voted it their top concern."},
    )
    review = reviews.create_review(
        actor,
        panel.id,
        {
            "topic": REVIEW_TOPIC,
            "scope": "From the first contact to the final response at stage 2, in every channel. "
            "Not: insurance claims.",
            "questions": "Do residents know where they are in the process?\nAre letters short, clear and thankful?\n"
            "Is mediation offered early?",
            "starts_on": local_date() - dt.timedelta(days=30),
            "ends_on": local_date() + dt.timedelta(days=90),
        },
    )
    reviews.move_review(actor, review.id, ReviewStatus.GATHERING)
    next_week = (utcnow() + dt.timedelta(days=7)).replace(hour=17, minute=0, second=0, microsecond=0)
    meetings.schedule_meeting(
        actor,
        review.id,
        {
            "starts_at": next_week.replace(tzinfo=dt.UTC),
            "minutes_long": 120,
            "mode": MeetingMode.HYBRID,
            "place": "Community room, 12 Mill Lane, Leeds, or online",
            "agenda": "1. Welcome\n2. The complaint figures\n3. Plan the case sample\n4. Questions for staff",
        },
    )
    meetings.add_interview(
        actor,
        review.id,
        {
            "interviewee_role": "Complaints team leader",
            "person_id": staff.id,
            "held_on": local_date() - dt.timedelta(days=7),
            "notes": "Explained how complaints are logged and how stage 1 responses are checked.",
        },
    )
