"""What a survey invitation says: the first question with one-click answers, in the person's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.i18n import N_, translations
from backend.surveys.invitations import invitation_link
from backend.surveys.models import SurveyInvitation
from backend.surveys.services import answer_values, localised, questions_of

ANSWER_LABELS = {
    "yes": N_("Yes"),
    "partly": N_("Partly"),
    "no": N_("No"),
    "dont_know": N_("Don't know"),
}
RATING_LABELS = {
    "1": N_("1 – very poor"),
    "2": N_("2 – poor"),
    "3": N_("3 – fair"),
    "4": N_("4 – good"),
    "5": N_("5 – very good"),
}


def invitation_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """Placeholder values for an invitation or reminder: the survey, its first question, the answers."""
    invitation = SurveyInvitation.get_or_none(SurveyInvitation.id == payload.get("invitation_id"))
    if invitation is None:
        return {"survey": "", "question": "", "answers": "", "link": ""}
    gettext = translations(locale).gettext
    survey = invitation.survey
    questions = questions_of(survey)
    first = questions[0] if questions else None
    lines = []
    if first is not None and first.kind in ("rating", "yes_partly_no", "single"):
        labels = {option["value"]: localised(option.get("label"), locale) for option in first.options or []}
        for answer in answer_values(first):
            label = labels.get(answer) or gettext(RATING_LABELS.get(answer) or ANSWER_LABELS.get(answer, answer))
            lines.append(f"{label}: {invitation_link(invitation, answer)}")
    return {
        "survey": localised(survey.title, locale),
        "question": localised(first.text, locale) if first is not None else "",
        "answers": "\n".join(lines),
        "link": invitation_link(invitation),
    }
