"""Anonymous survey answers reach staff in groups, so that no answer can be matched to the person who gave it.

Staff see whether each invitation has been answered (never when). If a response appeared as soon as it was
given, the moment it appeared, its time or its place in the order of ids would show whose it is. So an
anonymous survey's responses are held back, and released together once at least
``LEARNLOOP_SURVEY_ANONYMOUS_BATCH_MIN`` are ready. On release each is written again, in random order, under
new ids and dated the day of release: nothing in a group tells its members apart.

Free text is redacted again on release with the names of everyone in the group (and, when an answer changes
later, of everyone released the same day). Redacting only the writer's own name would give the writer away:
"Will you come?" would read "[name] you come?" only in the answer of someone called Will.

A held response is ready once it is submitted, once a day has passed since it last changed (someone who
answered only the one-click question in the email), or once the survey is no longer live. A response still
being filled in waits: its next answers, arriving straight after a release, would point to the person who
had just answered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from backend import config
from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.context import SYSTEM
from backend.db import transaction
from backend.surveys.invitations import response_key
from backend.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyResponse
from backend.surveys.redaction import redact
from backend.timeutil import utcnow

ANSWER_COLUMNS = ("question_id", "value", "number", "choices", "text", "text_redacted")


def day_of(moment: dt.datetime) -> dt.datetime:
    """The start of the (UTC) day of ``moment``: the finest time kept for an anonymous response."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def lock_survey(survey_id: int) -> None:
    """Make answering and releasing one survey take turns, until the current transaction ends.

    An UPDATE that changes nothing takes the row's lock on PostgreSQL and the write lock on SQLite,
    without moving ``updated_at``, which staff can see.
    """
    Survey.update(anonymous=Survey.anonymous).where(Survey.id == survey_id).execute()


def release_ready(survey_id: int, minimum: int | None = None, now: dt.datetime | None = None) -> int:
    """Release the survey's ready held responses together, if there are at least ``minimum``; return how many.

    ``minimum`` defaults to the configured batch minimum. Returns 0, releasing nothing, when fewer are
    ready or the survey is unknown. Safe to run twice, and alongside people answering.
    """
    minimum = minimum or config.current().survey_anonymous_batch_min
    today = day_of(now or utcnow())
    with transaction():
        lock_survey(survey_id)
        survey = Survey.get_or_none(Survey.id == survey_id)
        if survey is None:
            return 0
        held = SurveyResponse.select().where(SurveyResponse.survey == survey_id, SurveyResponse.held == True)  # noqa: E712
        if survey.status == "live":
            held = held.where(SurveyResponse.submitted_at.is_null(False) | (SurveyResponse.updated_at < today))
        ready = list(held.order_by(SurveyResponse.id))  # the shuffle alone decides the order written
        if len(ready) < minimum:
            return 0
        _write_again_shuffled(ready, today)
        # One entry for the group, naming no response: an entry per response would time each one.
        record_audit(
            SYSTEM, "survey_response.released", "survey", survey_id, {"responses": {"before": 0, "after": len(ready)}}
        )
    return len(ready)


def release_all_ready(now: dt.datetime | None = None) -> int:
    """Release the ready groups of every anonymous survey with held responses; return how many responses."""
    surveys = (
        SurveyResponse.select(SurveyResponse.survey)
        .where(SurveyResponse.held == True)  # noqa: E712
        .distinct()
    )
    ids: list[int] = [row.survey_id for row in surveys]  # type: ignore[attr-defined]
    return sum(release_ready(survey_id, now=now) for survey_id in ids)


def respondents_names(survey_id: int, keys: set[str]) -> list[str]:
    """The names of the people whose invitations the response keys ``keys`` stand for, in no particular order.

    The link from a response to its invitation is kept only as a keyed hash, so this hashes each answered
    invitation of the survey and keeps those that match.
    """
    invited: Any = (  # peewee types .tuples() as the model select
        SurveyInvitation.select(SurveyInvitation.id, User.display_name)
        .join(User)
        .where(SurveyInvitation.survey == survey_id, SurveyInvitation.status == "answered")
        .tuples()
    )
    return sorted(name for invitation_id, name in invited if response_key(invitation_id) in keys)


def names_released_with(response: SurveyResponse) -> list[str]:
    """The names of everyone whose response was released on the same day as this one (its group, or more)."""
    survey_id: int = response.survey_id  # type: ignore[attr-defined]
    keys: Any = (  # peewee types .tuples() as the model select
        SurveyResponse.select(SurveyResponse.invitation_key)
        .where(
            SurveyResponse.survey == survey_id,
            SurveyResponse.created_at == response.created_at,
            SurveyResponse.held == False,  # noqa: E712
        )
        .tuples()
    )
    return respondents_names(survey_id, {key for (key,) in keys if key})


def _write_again_shuffled(responses: list[SurveyResponse], today: dt.datetime) -> None:
    """Replace the responses and their answers with copies made in random order, so new ids follow no one."""
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    ids = [response.id for response in responses]
    names = respondents_names(responses[0].survey_id, {r.invitation_key for r in responses if r.invitation_key})  # type: ignore[attr-defined]
    for answer in SurveyAnswer.select().where(SurveyAnswer.response.in_(ids)).order_by(SurveyAnswer.question):
        columns = {name: getattr(answer, name) for name in ANSWER_COLUMNS}
        if answer.text is not None:
            columns["text_redacted"] = redact(answer.text, names)
        answers[answer.response_id].append(columns)  # type: ignore[attr-defined]
    SurveyAnswer.delete().where(SurveyAnswer.response.in_(ids)).execute()
    SurveyResponse.delete().where(SurveyResponse.id.in_(ids)).execute()
    random.SystemRandom().shuffle(responses)
    for old in responses:
        new = SurveyResponse.create(
            survey=old.survey_id,  # type: ignore[attr-defined]
            invitation_key=old.invitation_key,
            user=None,
            locale=old.locale,
            channel=old.channel,
            created_at=today,
            updated_at=today,
            submitted_at=today if old.submitted_at is not None else None,
            held=False,
        )
        for columns in answers[old.id]:
            SurveyAnswer.create(response=new, created_at=today, updated_at=today, **columns)
