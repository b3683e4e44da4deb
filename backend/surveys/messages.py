"""The messages about surveys: an invitation and its reminder, with the first question's one-click answers, in the
person's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend import config
from backend.i18n import N_, translations
from backend.notifications.catalogue import HELLO, ActionLine, EventGroup, EventSpec, Link, Recipient
from backend.surveys.invitations import invitation_link
from backend.surveys.models import SurveyInvitation
from backend.surveys.services import answer_values, localised, questions_of

SURVEY_EVENTS = EventGroup()
ANSWER_LABELS = {
    "yes": N_("Yes"),
    "partly": N_("Partly"),
    "no": N_("No"),
    "dont_know": N_("Don't know"),
}
ANSWER_WHOLE = N_("Answer the whole survey")
ONLY_THEY_ANSWER = N_("Only %(name)s can answer this survey, from the link we sent them.")
# Code 1.6: surveys say how to complain. The system writes it after the call to action, so no wording removes it.
NOT_A_COMPLAINT = N_(
    "A survey is not a complaint. If you are unhappy with our service, you can complain at any time, in any way "
    "that suits you."
)
HOW_TO_COMPLAIN = N_("How to complain")
HOW_TO_COMPLAIN_PATH = "/how-to-complain"
RATING_LABELS = {
    "1": N_("1 – very poor"),
    "2": N_("2 – poor"),
    "3": N_("3 – fair"),
    "4": N_("4 – good"),
    "5": N_("5 – very good"),
}


def invitation_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """Placeholder values for an invitation or reminder: the survey and its first question."""
    invitation = SurveyInvitation.get_or_none(SurveyInvitation.id == payload.get("invitation_id"))
    if invitation is None:
        return {"survey": "", "question": ""}
    survey = invitation.survey
    questions = questions_of(survey)
    return {
        "survey": localised(survey.title, locale),
        "question": localised(questions[0].text, locale) if questions else "",
    }


def invitation_action(recipient: Recipient) -> list[ActionLine]:
    """The call to action of an invitation or reminder for one reader and channel.

    The invited person gets one-click answers and their personal link by email, just their link by
    text message, and a link to sign in and answer on the portal or on paper (a letter is printed by
    staff, so it never carries a personal link). An advocate's copy says who can answer, with no link:
    the personal link would show and change the resident's own answers.
    """
    invitation = SurveyInvitation.get_or_none(SurveyInvitation.id == recipient.payload.get("invitation_id"))
    if invitation is None:
        return []
    return [*_answer_lines(invitation, recipient), "", *how_to_complain(recipient.locale)]


def how_to_complain(locale: str) -> list[ActionLine]:
    """What every survey message ends with (Code 1.6): that a survey is not a complaint, and how to complain."""
    gettext = translations(locale).gettext
    url = f"{config.current().base_url}{HOW_TO_COMPLAIN_PATH}"
    return [gettext(NOT_A_COMPLAINT), Link(gettext(HOW_TO_COMPLAIN), url)]


def _answer_lines(invitation: SurveyInvitation, recipient: Recipient) -> list[ActionLine]:
    gettext = translations(recipient.locale).gettext
    if recipient.is_copy:
        return [gettext(ONLY_THEY_ANSWER) % {"name": recipient.subject_user.display_name}]
    whole = gettext(ANSWER_WHOLE)
    if recipient.channel in ("portal", "letter"):
        via = "?via=letter" if recipient.channel == "letter" else ""
        return [Link(whole, f"{config.current().base_url}/surveys/{invitation.id}{via}")]
    link = Link(whole, invitation_link(invitation), secret=True)
    if recipient.channel == "sms":
        return [link]
    return [*_one_click_answers(invitation, recipient.locale), "", link]


def _one_click_answers(invitation: SurveyInvitation, locale: str) -> list[ActionLine]:
    gettext = translations(locale).gettext
    questions = questions_of(invitation.survey)
    first = questions[0] if questions else None
    if first is None or first.kind not in ("rating", "yes_partly_no", "single"):
        return []
    labels = {option["value"]: localised(option.get("label"), locale) for option in first.options or []}
    lines: list[ActionLine] = []
    for answer in answer_values(first):
        label = labels.get(answer) or gettext(RATING_LABELS.get(answer) or ANSWER_LABELS.get(answer, answer))
        lines.append(Link(label, invitation_link(invitation, answer), secret=True))
    return lines


SURVEY_VARIABLES = {
    "survey": "How did we do?",
    "question": "How satisfied are you with how we handled your complaint?",
}
SURVEY_SAMPLE = (
    Link(N_("1 – very poor"), "https://example.org/s/…?a=1", secret=True),
    Link(N_("5 – very good"), "https://example.org/s/…?a=5", secret=True),
    "",
    Link(N_("Answer the whole survey"), "https://example.org/s/…", secret=True),
    "",
    NOT_A_COMPLAINT,
    Link(HOW_TO_COMPLAIN, "https://example.org/how-to-complain"),
)
SURVEY_EVENTS.add(
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
        context=invitation_values,
        action=invitation_action,
        sample_action=SURVEY_SAMPLE,
    )
)
SURVEY_EVENTS.add(
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
        context=invitation_values,
        action=invitation_action,
        sample_action=SURVEY_SAMPLE,
    )
)
