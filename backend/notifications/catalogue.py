"""Every event that sends messages: its topic, whether it is statutory, its placeholders, the call to
action the system adds after the wording, and the default wording in every language (translated
through the catalogues until staff edit it).

Links are never placeholders. Wording is staff's to edit, and a placeholder that wording can move
could carry a secret (a reset, verification or personal survey link) into a subject or into the
delivery log. So every link is a line of the event's *call to action*, which the system writes
after the wording: secret links are put in only as an email or text message is handed to its
channel, and every stored copy shows ``[link]`` in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.i18n import N_

TOPICS = ("account", "complaints", "changes", "surveys", "feedback")
# People can't opt out of these: the Code requires complaint letters, and security notices protect them.
STATUTORY_TOPICS = frozenset({"account", "complaints"})
# What a stored copy of a message shows in place of a secret link.
LINK_MARK = "[link]"
# Statutory messages are queued and swept ahead of bulk ones.
STATUTORY_PRIORITY = 10
DIGEST_INTRO = N_("Hello %(name)s, here are the messages you asked us to collect for you.")


def recipient_id(payload: Mapping[str, Any]) -> int | None:
    """The person an event is about: its user, resident or (for staff events) recipient."""
    for key in ("user_id", "resident_id", "recipient_id"):
        if payload.get(key) is not None:
            return int(payload[key])
    return None


@dataclass(frozen=True)
class Link:
    """One line of a call to action: a label and the address it opens.

    A ``secret`` link works as a credential (it resets a password, confirms an address, or opens
    someone's own survey answers) and is never stored or shown to staff.
    """

    label: str
    url: str
    secret: bool = False


# A call to action is a list of lines: plain text, links, and "" for a paragraph break.
ActionLine = str | Link


@dataclass(frozen=True)
class Recipient:
    """Who one message is for, and how it will reach them: what a call to action depends on."""

    event: str
    payload: Mapping[str, Any]
    subject_user: Any  # the person the event is about
    reader: Any  # who reads this message: the person, or their advocate's copy
    channel: str
    locale: str

    @property
    def is_copy(self) -> bool:
        return self.reader.id != self.subject_user.id


@dataclass(frozen=True)
class EventSpec:
    """What an event says by default. Placeholders are ``%(name)s`` in the translatable defaults and
    ``{{ name }}`` in the templates staff edit; ``variables`` lists them with sample values for previews.

    ``link_text`` labels the event's one link, made by ``link``; ``action`` replaces both where an
    event needs more than one line (a survey's one-click answers). Either way the system writes
    the call to action after the wording.
    """

    name: str
    topic: str
    subject: str
    paragraphs: tuple[str, ...]
    variables: Mapping[str, str]
    link_text: str | None = None
    description: str = ""
    # Supplies the placeholders' values for one recipient: (payload, user, locale) -> values.
    context: Callable[[Mapping[str, Any], Any, str], dict[str, Any]] | None = field(default=None, compare=False)
    # The address of the event's link for one recipient, and whether it is a secret.
    link: Callable[[Recipient], str | None] | None = field(default=None, compare=False)
    secret: bool = False
    # A call to action of several lines, for one recipient (overrides link and link_text).
    action: Callable[[Recipient], list[ActionLine]] | None = field(default=None, compare=False)
    # Sample lines for previews: the link's sample address, or a whole sample call to action.
    sample_link: str = "https://example.org/"
    sample_action: tuple[ActionLine, ...] = ()
    # The substance the system writes after the wording for one recipient (see backend.notifications.blocks).
    details: Callable[[Recipient], list[Any]] | None = field(default=None, compare=False)

    @property
    def statutory(self) -> bool:
        return self.topic in STATUTORY_TOPICS


HELLO = N_("Hello %(name)s,")
THANKS = N_("Thank you for using Learnloop.")

EVENTS: dict[str, EventSpec] = {}


def register(spec: EventSpec) -> EventSpec:
    EVENTS[spec.name] = spec
    return spec


def _account_link(recipient: Recipient) -> str:
    from backend.notifications.contexts import account_link

    return account_link(recipient)


register(
    EventSpec(
        "account.registered",
        "account",
        N_("Confirm your email address"),
        (
            HELLO,
            N_(
                "Thank you for registering. Please confirm your email address so that we can keep you up to date with "
                "your feedback and complaints."
            ),
            N_("The link works for 7 days. If you did not register, you can ignore this email."),
        ),
        {"name": "Sam Okafor"},
        N_("Confirm my email address"),
        N_("Sent when someone registers, with the link that confirms their address."),
        link=_account_link,
        secret=True,
    )
)
register(
    EventSpec(
        "account.registration_repeated",
        "account",
        N_("Someone tried to register with your email address"),
        (
            HELLO,
            N_(
                "Someone tried to create a new account with this email address, but you already have one. "
                "If it was you, you can sign in or reset your password."
            ),
            N_("If it was not you, you do not need to do anything."),
        ),
        {"name": "Sam Okafor"},
        N_("Reset my password"),
        N_("Sent instead of a second account, so registration never reveals an address."),
        link=_account_link,
        sample_link="https://example.org/reset-password",
    )
)
register(
    EventSpec(
        "account.password_reset_requested",
        "account",
        N_("Reset your password"),
        (
            HELLO,
            N_("We received a request to reset your password."),
            N_(
                "The link works for %(minutes)s minutes and only once. If you did not ask for this, you can "
                "ignore this email: your password has not changed."
            ),
        ),
        {"name": "Sam Okafor", "minutes": "60"},
        N_("Choose a new password"),
        N_("The password reset link."),
        link=_account_link,
        secret=True,
    )
)
register(
    EventSpec(
        "account.invited",
        "account",
        N_("Your Learnloop account is ready"),
        (HELLO, N_("An account has been created for you. Please choose a password to start.")),
        {"name": "Sam Okafor"},
        N_("Choose a password"),
        N_("Sent to someone whose account staff created."),
        link=_account_link,
        secret=True,
    )
)
register(
    EventSpec(
        "account.password_changed",
        "account",
        N_("Your password was changed"),
        (
            HELLO,
            N_(
                "The password for your account was just changed. Every other device was signed out, and any API "
                "tokens that acted as you stopped working."
            ),
            N_("If this was not you, reset your password now and tell us."),
        ),
        {"name": "Sam Okafor"},
        N_("Reset my password"),
        N_("A security notice after any password change."),
        link=_account_link,
        sample_link="https://example.org/reset-password",
    )
)

register(
    EventSpec(
        "account.sign_in_link_requested",
        "account",
        N_("Your link to sign in"),
        (
            HELLO,
            N_("We received a request to sign in to your account with a link instead of a password."),
            N_(
                "The link works for %(minutes)s minutes and only once. If you did not ask for this, you can "
                "ignore this email: nobody can sign in without it."
            ),
        ),
        {"name": "Sam Okafor", "minutes": "15"},
        N_("Sign in"),
        N_("The link that signs someone in without their password."),
        link=_account_link,
        secret=True,
    )
)
register(
    EventSpec(
        "account.second_factor_reset",
        "account",
        N_("Two-step sign-in was turned off for your account"),
        (
            HELLO,
            N_(
                "An administrator turned off two-step sign-in for your account, as happens when an authenticator "
                "app is lost. Please set it up again from Your account after you next sign in."
            ),
            N_("If you did not ask for this, reset your password now and tell us."),
        ),
        {"name": "Sam Okafor"},
        N_("Reset my password"),
        N_("A security notice when an administrator resets someone's second factor."),
        link=_account_link,
        sample_link="https://example.org/reset-password",
    )
)


def _representation_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    from backend.accounts.models import Representation, User

    rep = Representation.get_or_none(Representation.id == payload.get("representation_id"))
    if rep is None:
        return {"advocate": "", "resident": ""}
    advocate_id, resident_id = rep.advocate_id, rep.resident_id  # type: ignore[attr-defined]  # peewee adds them
    people = User.select(User.id, User.display_name).where(User.id.in_([advocate_id, resident_id]))
    names = {person.id: person.display_name for person in people}
    return {"advocate": names.get(advocate_id, ""), "resident": names.get(resident_id, "")}


REPRESENTATION_VARIABLES = {"name": "Sam Okafor", "advocate": "Alex Advocate", "resident": "Sam Okafor"}


def _representation(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    return register(
        EventSpec(
            name,
            "account",
            subject,
            (HELLO, *paragraphs, THANKS),
            REPRESENTATION_VARIABLES,
            description=description,
            context=_representation_values,
        )
    )


_representation(
    "account.representation_recorded",
    N_("%(advocate)s can now act for you"),
    (
        N_(
            "We have recorded that you agreed to %(advocate)s acting for you. They can now see your feedback and "
            "complaints, act on them for you, and receive copies of our messages to you."
        ),
        N_("If you did not agree to this, or you change your mind, tell us and we will stop it at once."),
    ),
    N_("Tells a resident that staff recorded their consent for an advocate."),
)
_representation(
    "account.representation_recorded_advocate",
    N_("You can now act for %(resident)s"),
    (N_("We have recorded that %(resident)s agreed to you acting for them. You can now see their cases."),),
    N_("Tells an advocate that staff recorded a resident's consent for them."),
)
_representation(
    "account.representation_revoked",
    N_("%(advocate)s can no longer act for you"),
    (
        N_(
            "We have recorded that %(advocate)s no longer acts for you. They can no longer see your feedback or "
            "complaints, and they will not receive copies of our messages."
        ),
        N_("If this is a mistake, tell us."),
    ),
    N_("Tells a resident that their consent for an advocate was withdrawn."),
)
_representation(
    "account.representation_revoked_advocate",
    N_("You can no longer act for %(resident)s"),
    (N_("We have recorded that you no longer act for %(resident)s, so you can no longer see their cases."),),
    N_("Tells an advocate that a resident's consent for them was withdrawn."),
)

register(
    EventSpec(
        "feedback.received",
        "feedback",
        N_("We have your feedback: %(reference)s"),
        (
            HELLO,
            N_("Thank you for telling us. We have your feedback and its reference is %(reference)s."),
            N_(
                "We will contact you within %(days)s working days to say what happens next. You can see where "
                "it is at any time on our website."
            ),
            THANKS,
        ),
        {"name": "Sam Okafor", "reference": "LL-2026-00042", "days": "5"},
        N_("See your feedback"),
        N_("The acknowledgement a resident receives when their feedback is logged."),
        context=lambda payload, user, locale: _feedback_values(payload),
        link=lambda recipient: _base_url() + "/cases",
        sample_link="https://example.org/cases",
    )
)


def _feedback_values(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {"reference": str(payload.get("reference", "")), "days": str(payload.get("days", 5))}


def _base_url() -> str:
    from backend.config import current

    return current().base_url


# A block, not a message: the system ends every complaint message to a resident with it.
WHERE_YOU_ARE = register(
    EventSpec(
        "block.where_you_are",
        "complaints",
        N_("Where your complaint is"),
        (
            N_("Your complaint is at %(stage)s."),
            N_("What happens next: %(next_step)s"),
            N_("We will reply by %(due_date)s."),
        ),
        {"stage": "stage 1", "next_step": "we are looking into what happened", "due_date": "5 December 2026"},
        description=N_("The block every complaint message includes: the stage, what happens next, and by when."),
    )
)
BLOCKS = frozenset({"block.where_you_are"})


def _complaint_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    from backend.complaints.messages import complaint_values

    return complaint_values(payload, user, locale)


def _complaint_details(recipient: Recipient) -> list[Any]:
    from backend.complaints.answers import complaint_details

    return complaint_details(recipient)


def _complaint_link(recipient: Recipient) -> str:
    from backend.complaints.messages import complaint_link

    return complaint_link(recipient.payload)


COMPLAINT_VARIABLES = {
    "reference": "LL-2026-000042",
    "team": "Repairs team",
    "stage": "stage 1",
    "ombudsman": "Housing Ombudsman",
    "ombudsman_details": "Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET. Telephone 0300 111 3000.",
    "due_date": "5 December 2026",
}
SEE_CASE = N_("See your complaint")


def _complaint(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    """A message to the resident: staff's short summary, then the substance and the "where you are" block,
    which the system writes (see backend.complaints.answers), then the link to the case."""
    return register(
        EventSpec(
            name,
            "complaints",
            subject,
            # No closing "thank you for using Learnloop": it would sit between the summary and the answer, and
            # every summary already thanks the resident (short letters, as residents asked).
            (HELLO, *paragraphs),
            COMPLAINT_VARIABLES,
            SEE_CASE,
            description,
            context=_complaint_values,
            link=_complaint_link,
            sample_link="https://example.org/cases/42",
            details=_complaint_details,
        )
    )


def _staff(name: str, subject: str, paragraphs: tuple[str, ...], description: str) -> EventSpec:
    return register(
        EventSpec(
            name,
            "complaints",
            subject,
            (HELLO, *paragraphs),
            COMPLAINT_VARIABLES,
            N_("Open the case"),
            description,
            context=_complaint_values,
            link=_complaint_link,
            sample_link="https://example.org/console/complaints/42",
        )
    )


_complaint(
    "complaint.acknowledged",
    N_("We have logged your complaint %(reference)s"),
    (
        N_(
            "Thank you for telling us when something has gone wrong. We have logged your complaint, and "
            "%(team)s is looking into it."
        ),
    ),
    N_("Sent when a complaint is acknowledged at any stage."),
)
_complaint(
    "complaint.extended",
    N_("We need a little longer on complaint %(reference)s"),
    (N_("We are sorry, but we need more time to answer your complaint properly. We will now reply by %(due_date)s."),),
    N_("Sent when the time to answer a complaint is extended, with the Ombudsman's details."),
)
_complaint(
    "complaint.responded",
    N_("Our answer to your complaint %(reference)s"),
    (
        N_(
            "Thank you for your patience. Here is our answer to your complaint: our decision on each point, our "
            "reasons, and what we will do to put things right."
        ),
    ),
    N_("Sent when a stage's answer is issued."),
)
_complaint(
    "complaint.escalated",
    N_("We will look at complaint %(reference)s again"),
    (
        N_(
            "Thank you for letting us know that you are not happy with our answer. "
            "Your complaint has moved to %(stage)s."
        ),
    ),
    N_("Sent when a resident asks for the next stage."),
)
_complaint(
    "complaint.refused",
    N_("About your complaint %(reference)s"),
    (
        N_(
            "We are sorry, but we cannot take this complaint through our complaints procedure. Our reasons, and "
            "how to ask the %(ombudsman)s to look at it, are below."
        ),
    ),
    N_("Sent when a complaint is refused on a ground of exclusion."),
)
_complaint(
    "complaint.withdrawn",
    N_("Your complaint %(reference)s is withdrawn"),
    (N_("As you asked, we have withdrawn your complaint. If you want to raise it again, just tell us."),),
    N_("Sent when a complaint is withdrawn."),
)
_complaint(
    "complaint.updated",
    N_("An update on your complaint %(reference)s"),
    (N_("We have an update for you on your complaint."),),
    N_("Sent with each update on a complaint's outstanding actions."),
)
_complaint(
    "complaint.remedy_completed",
    N_("We have done what we promised: %(reference)s"),
    (N_("We have completed one of the things we said we would do to put things right."),),
    N_("Sent when a remedy is completed."),
)
_staff(
    "complaint.assigned",
    N_("Complaint %(reference)s is now yours"),
    (N_("You are now handling complaint %(reference)s, at %(stage)s."),),
    N_("Tells a handler a complaint was given to them."),
)
_staff(
    "complaint.information_added",
    N_("New information on complaint %(reference)s"),
    (N_("The resident has added information to complaint %(reference)s."),),
    N_("Tells the handler the resident added information."),
)
_staff(
    "complaint.clock_at_risk",
    N_("Complaint %(reference)s is due on %(due_date)s"),
    (N_("Complaint %(reference)s, at %(stage)s, is due on %(due_date)s: two working days or less from now."),),
    N_("Tells the handler and their manager that a deadline is two working days away."),
)
_staff(
    "complaint.clock_breached",
    N_("Complaint %(reference)s is overdue"),
    (N_("Complaint %(reference)s, at %(stage)s, was due on %(due_date)s and has not been answered."),),
    N_("Tells the handler and their manager that a deadline was missed."),
)


def _survey_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    from backend.surveys.messages import invitation_values

    return invitation_values(payload, user, locale)


def _survey_action(recipient: Recipient) -> list[ActionLine]:
    from backend.surveys.messages import invitation_action

    return invitation_action(recipient)


SURVEY_VARIABLES = {
    "survey": "How did we do?",
    "question": "How satisfied are you with how we handled your complaint?",
}
SURVEY_SAMPLE = (
    Link(N_("1 – very poor"), "https://example.org/s/…?a=1", secret=True),
    Link(N_("5 – very good"), "https://example.org/s/…?a=5", secret=True),
    "",
    Link(N_("Answer the whole survey"), "https://example.org/s/…", secret=True),
)
register(
    EventSpec(
        "survey.invitation_due",
        "surveys",
        N_("%(survey)s: one quick question"),
        (
            HELLO,
            N_("Thank you for dealing with us recently. Would you tell us how it went? One click is enough."),
            "%(question)s",
        ),
        SURVEY_VARIABLES,
        N_("Answer the whole survey"),
        N_("Invites someone to a survey, with one-click answers to its first question."),
        context=_survey_values,
        action=_survey_action,
        sample_action=SURVEY_SAMPLE,
    )
)
register(
    EventSpec(
        "survey.reminder_due",
        "surveys",
        N_("Reminder: %(survey)s"),
        (
            HELLO,
            N_("A few days ago we asked how we did. If you have a moment, one click is enough."),
            "%(question)s",
        ),
        SURVEY_VARIABLES,
        N_("Answer the whole survey"),
        N_("The one reminder for a survey invitation that has not been answered."),
        context=_survey_values,
        action=_survey_action,
        sample_action=SURVEY_SAMPLE,
    )
)
