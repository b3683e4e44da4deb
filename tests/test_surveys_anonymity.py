"""Anonymous survey answers cannot be matched to the invitation they came from (security audit, finding 3).

Residents answer through their emailed links, as in the audit; staff and managers then look through
GraphQL, the audit trail and the console for anything that joins an invitation to a response: times,
ids and their order, filters, sorting, groupings, language and channel, or audit entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend import config
from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.context import SYSTEM, Actor
from backend.surveys import answers, batches, services
from backend.surveys.invitations import invitation_token
from backend.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from backend.timeutil import utcnow
from tests import factories

STAFF_ROLES = ["staff", "manager"]
MINIMUM = 5


def anonymous_survey(anonymous: bool = True) -> tuple[Any, Any, Any]:
    survey = factories.make_survey(anonymous=anonymous)
    rating = factories.make_survey_question(survey, text={"en": "How did we do?"}, required=True)
    why = factories.make_survey_question(survey, kind="text", text={"en": "Tell us more"})
    return survey, rating, why


def answer_by_link(
    browser: Any, invitation: Any, rating: Any, why: Any, value: str, text: str, thanks: str = "Thank you"
) -> None:
    """Click the one-click answer in the email, then send the rest of the survey, as a resident would; the page
    speaks the language the email was written in."""
    path = f"/s/{invitation_token(invitation)}"
    assert browser.client.get(f"{path}?a={value}").status_code == 200
    sent = browser.submit(path, {"shown": f"{rating.id} {why.id}", f"q_{rating.id}": value, f"q_{why.id}": text})
    assert sent.status_code == 200 and thanks in sent.get_data(as_text=True)


def invite(survey: Any, locale: str = "en") -> Any:
    return factories.make_survey_invitation(survey, user=factories.make_user(locale=locale))


def answered_group(browser: Any, count: int, survey: Any, rating: Any, why: Any) -> list[Any]:
    invited = [invite(survey) for _ in range(count)]
    for number, invitation in enumerate(invited, start=1):
        answer_by_link(browser, invitation, rating, why, str(number % 5 + 1), f"Answer number {number}")
    return invited


def staff_token(role: str) -> str:
    return factories.make_token(factories.make_user(role), scope="read")[1]


def query(client: Any, token: str, text: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = client.post(
        "/graphql",
        json={"query": text, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()
    assert "errors" not in body, body
    return body["data"]


EVERYTHING = """query ($survey: ID!) {
  surveyInvitations(first: 100) { nodes { id status answeredAt sentAt person { id } } }
  surveyResponses(first: 100) { totalCount nodes { id createdAt submittedAt locale channel
    answers(first: 10) { id createdAt updatedAt value textRedacted } } }
  surveyAnswers(first: 100) { totalCount nodes { id createdAt updatedAt } }
  survey(id: $survey) { responsesCount }
  surveyResults(id: $survey) { total }
}"""
WAITING = "query ($survey: ID!) { survey(id: $survey) { responsesWaiting } }"


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_anonymous_answers_leave_no_answered_time_on_invitations(client, browser, role: str) -> None:
    survey, rating, why = anonymous_survey()
    answered_group(browser, MINIMUM, survey, rating, why)
    data = query(client, staff_token(role), EVERYTHING, {"survey": str(survey.id)})
    nodes = data["surveyInvitations"]["nodes"]
    assert [node["status"] for node in nodes] == ["answered"] * MINIMUM
    assert [node["answeredAt"] for node in nodes] == [None] * MINIMUM
    assert SurveyInvitation.select().where(SurveyInvitation.answered_at.is_null(False)).count() == 0


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_anonymous_responses_reach_staff_only_in_a_group_of_the_minimum(client, browser, role: str) -> None:
    survey, rating, why = anonymous_survey()
    token = staff_token(role)
    invited = answered_group(browser, MINIMUM - 1, survey, rating, why)
    waiting = query(client, token, EVERYTHING, {"survey": str(survey.id)})
    assert waiting["surveyResponses"]["totalCount"] == 0 and waiting["surveyAnswers"]["totalCount"] == 0
    assert waiting["survey"] == {"responsesCount": 0}
    assert [result["total"] for result in waiting["surveyResults"]] == [0, 0]
    assert query(client, token, WAITING, {"survey": str(survey.id)})["survey"] == {"responsesWaiting": MINIMUM - 1}
    invited += answered_group(browser, 1, survey, rating, why)
    released = query(client, token, EVERYTHING, {"survey": str(survey.id)})
    assert released["surveyResponses"]["totalCount"] == MINIMUM
    assert released["surveyAnswers"]["totalCount"] == 2 * MINIMUM
    assert released["survey"] == {"responsesCount": MINIMUM}
    assert query(client, token, WAITING, {"survey": str(survey.id)})["survey"] == {"responsesWaiting": 0}
    assert [result["total"] for result in released["surveyResults"]] == [MINIMUM, MINIMUM]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_released_group_shares_one_day_and_no_finer_time(client, browser, role: str) -> None:
    survey, rating, why = anonymous_survey()
    answered_group(browser, MINIMUM, survey, rating, why)
    data = query(client, staff_token(role), EVERYTHING, {"survey": str(survey.id)})
    today = batches.day_of(utcnow()).isoformat() + "Z"  # outputs are UTC with Z
    times = {
        *(value for node in data["surveyResponses"]["nodes"] for value in (node["createdAt"], node["submittedAt"])),
        *(value for node in data["surveyAnswers"]["nodes"] for value in (node["createdAt"], node["updatedAt"])),
    }
    assert times == {today}


def test_released_group_is_written_in_shuffled_order_under_new_ids(browser, monkeypatch) -> None:
    survey, rating, why = anonymous_survey()

    def reverse(self: Any, items: list[Any]) -> None:  # a shuffle whose result the test can predict
        items.reverse()

    monkeypatch.setattr(batches.random.SystemRandom, "shuffle", reverse)
    for number in range(1, MINIMUM + 1):
        answer_by_link(browser, invite(survey), rating, why, str(number), f"Answer {number}")
    released = list(SurveyResponse.select().order_by(SurveyResponse.id))
    ratings = [
        SurveyAnswer.get(SurveyAnswer.response == r.id, SurveyAnswer.question == rating.id).value for r in released
    ]
    # Answered 1, 2, 3, 4, 5: by id they now come in the order the shuffle chose, not the order of answering.
    assert ratings == ["5", "4", "3", "2", "1"]
    answer_ids = [a.id for r in released for a in SurveyAnswer.select().where(SurveyAnswer.response == r.id)]
    assert answer_ids == sorted(answer_ids)  # the answers' ids follow the same shuffled order
    assert [r.held for r in released] == [False] * MINIMUM


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_cannot_filter_sort_or_group_anonymous_responses_by_language_or_channel(
    client,
    browser,
    role: str,
) -> None:
    survey, rating, why = anonymous_survey()
    answers.record_answers(invite(survey, "cy"), {rating.id: "1", why.id: "Anghwrtais"}, "cy", "portal", final=True)
    for _ in range(MINIMUM - 1):
        answers.record_answers(invite(survey), {rating.id: "4"}, "en", "sms", final=True)
    token = staff_token(role)
    found = query(
        client,
        token,
        """{
          welsh: surveyResponses(where: {locale: {eq: "cy"}}) { totalCount }
          sms: surveyResponses(where: {channel: {eq: sms}}) { totalCount }
          shown: surveyResponses(orderBy: [{field: locale, direction: DESC}]) { nodes { locale channel } }
          answers: surveyAnswers(where: {response: {locale: {eq: "cy"}}}) { totalCount }
          groups: surveyResponsesAggregate(groupBy: [locale, channel]) { key { locale channel } count }
        }""",
    )
    assert found["welsh"]["totalCount"] == 0 and found["sms"]["totalCount"] == 0
    assert found["answers"]["totalCount"] == 0
    assert found["shown"]["nodes"] == [{"locale": None, "channel": None}] * MINIMUM
    assert found["groups"] == [{"key": {"locale": None, "channel": None}, "count": MINIMUM}]
    for probe in (
        "{ surveyResponses(where: {held: {eq: true}}) { totalCount } }",
        "{ surveyResponses { nodes { held } } }",
    ):
        body = client.post("/graphql", json={"query": probe}, headers={"Authorization": f"Bearer {token}"}).get_json()
        assert body.get("errors"), body  # held responses cannot even be asked about


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_results_hide_a_language_too_small_to_hide_in(client, browser, role: str) -> None:
    survey, rating, why = anonymous_survey()
    welsh = invite(survey, "cy")
    answers.record_answers(welsh, {rating.id: "1", why.id: "Roedd Dave yn anghwrtais"}, "cy", "portal", final=True)
    for _ in range(2 * MINIMUM - 1):  # two full groups
        answers.record_answers(invite(survey), {rating.id: "4", why.id: "Fine"}, "en", "email", final=True)
    results = query(
        client,
        staff_token(role),
        """query ($id: ID!) { surveyResults(id: $id) { total
          byLocale { key total } byChannel { key total } texts { text locale channel } } }""",
        {"id": str(survey.id)},
    )["surveyResults"]
    rated, written = results
    assert rated["total"] == 2 * MINIMUM
    # Welsh alone (one person) is hidden, and English with it: "everyone" minus English would be the Welsh answer.
    assert rated["byLocale"] == [] and rated["byChannel"] == []
    assert {(t["locale"], t["channel"]) for t in written["texts"]} == {(None, None)}


def test_results_show_languages_once_each_group_is_large_enough(browser) -> None:
    from backend.surveys import results

    survey, rating, why = anonymous_survey()
    for locale, count in (("cy", MINIMUM), ("en", MINIMUM + 1)):
        for _ in range(count):
            answers.record_answers(invite(survey, locale), {rating.id: "4"}, locale, "email", final=True)
    found = results.survey_results(SYSTEM, survey.id)[0]
    assert sorted(found.by_locale) == ["cy", "en"] and sorted(found.by_channel) == ["email"]


@pytest.mark.parametrize("sizes", [{"cy": 5, "en": 7, "pl": 1}, {"cy": 3, "en": 4}, {"en": 9}, {"ar": 2, "pl": 2}])
def test_shown_groups_never_leave_fewer_than_the_minimum_hidden(sizes: dict[str, int]) -> None:
    from backend.surveys.results import shown_groups

    shown = shown_groups(sizes, MINIMUM)
    hidden = sum(size for key, size in sizes.items() if key not in shown)
    assert all(sizes[key] >= MINIMUM for key in shown)
    assert hidden == 0 or hidden >= MINIMUM or not shown


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_audit_trail_names_no_anonymous_response(client, browser, role: str) -> None:
    survey, rating, why = anonymous_survey()
    # An entry as the old code wrote it, one per answer: kept (the trail is append-only) but not served.
    record_audit(Actor(user_id=None, label="survey respondent"), "survey_response.answered", "survey_response", 1)
    answered_group(browser, MINIMUM, survey, rating, why)
    token = staff_token("manager") if role == "manager" else staff_token("admin")
    events = query(client, token, "{ auditEvents(first: 100) { nodes { action entityType entityId changes } } }")
    nodes = events["auditEvents"]["nodes"]
    assert not [n for n in nodes if n["entityType"] == "survey_response"]
    released = [n for n in nodes if n["action"] == "survey_response.released"]
    assert released == [
        {
            "action": "survey_response.released",
            "entityType": "survey",
            "entityId": str(survey.id),
            "changes": {"responses": {"before": 0, "after": MINIMUM}},
        }
    ]


def test_answering_again_after_release_keeps_days_and_the_same_response(client, browser, clock_at) -> None:
    survey, rating, why = anonymous_survey()
    invited = answered_group(browser, MINIMUM, survey, rating, why)
    ids = sorted(r.id for r in SurveyResponse.select())
    now = utcnow()
    later = now + dt.timedelta(days=1, hours=3)
    clock_at(later)
    answers.record_answers(invited[0], {rating.id: "1"}, "en")
    assert sorted(r.id for r in SurveyResponse.select()) == ids
    times = {t for a in SurveyAnswer.select() for t in (a.created_at, a.updated_at)}
    assert times <= {batches.day_of(now), batches.day_of(later)}
    assert SurveyInvitation.get_by_id(invited[0].id).answered_at is None
    page = browser.client.get(f"/s/{invitation_token(invited[0])}").get_data(as_text=True)
    assert f'checked id="q_{rating.id}-0"' in page  # the resident still finds and changes their own answers


def test_partly_answered_response_waits_until_sent_or_a_day_old() -> None:
    survey, rating, _why = anonymous_survey()
    for _ in range(MINIMUM):
        answers.record_answers(invite(survey), {rating.id: "3"}, "en")  # only the one-click answer
    assert SurveyResponse.select().where(SurveyResponse.held == False).count() == 0  # noqa: E712
    assert batches.release_ready(survey.id) == 0
    assert batches.release_ready(survey.id, now=utcnow() + dt.timedelta(days=1)) == MINIMUM
    assert SurveyResponse.select().where(SurveyResponse.held == True).count() == 0  # noqa: E712


def test_closing_an_anonymous_survey_releases_a_full_group_but_never_a_small_one() -> None:
    staff = Actor(user_id=None, roles=frozenset({"staff"}))
    small, rating, _ = anonymous_survey()
    for _ in range(MINIMUM - 1):
        answers.record_answers(invite(small), {rating.id: "3"}, "en")
    services.close_survey(staff, small.id)
    assert SurveyResponse.select().where(SurveyResponse.held == False).count() == 0  # noqa: E712
    full, rating, _ = anonymous_survey()
    for _ in range(MINIMUM):
        answers.record_answers(invite(full), {rating.id: "3"}, "en")
    services.close_survey(staff, full.id)
    released = SurveyResponse.select().where(SurveyResponse.survey == full.id, SurveyResponse.held == False)  # noqa: E712
    assert released.count() == MINIMUM


def test_batch_minimum_comes_from_the_settings(monkeypatch) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(survey_anonymous_batch_min=2))
    survey, rating, _ = anonymous_survey()
    answers.record_answers(invite(survey), {rating.id: "3"}, "en", final=True)
    assert SurveyResponse.select().where(SurveyResponse.held == False).count() == 0  # noqa: E712
    answers.record_answers(invite(survey), {rating.id: "3"}, "en", final=True)
    assert SurveyResponse.select().where(SurveyResponse.held == False).count() == 2  # noqa: E712


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_linked_survey_keeps_its_times_and_shows_each_response_at_once(client, browser, role: str) -> None:
    survey, rating, why = anonymous_survey(anonymous=False)
    answer_by_link(browser, invite(survey, "cy"), rating, why, "2", "Slow", thanks="Diolch")
    data = query(client, staff_token(role), EVERYTHING, {"survey": str(survey.id)})
    assert data["surveyInvitations"]["nodes"][0]["answeredAt"] is not None
    response = data["surveyResponses"]["nodes"][0]
    assert response["createdAt"] != batches.day_of(utcnow()).isoformat()
    assert (response["locale"], response["channel"]) == ("cy", "email")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_console_shows_waiting_answers_but_no_small_group(browser, signed_in, role: str) -> None:
    survey, rating, why = anonymous_survey()
    welsh = invite(survey, "cy")
    answers.record_answers(welsh, {rating.id: "1", why.id: "Rude"}, "cy", "portal", final=True)
    for _ in range(2 * MINIMUM - 1):
        answers.record_answers(invite(survey), {rating.id: "4"}, "en", "email", final=True)
    answers.record_answers(invite(survey), {rating.id: "2"}, "en", "email", final=True)  # waits for a group
    signed_in(role)
    page = browser.client.get(f"/console/surveys/{survey.id}/results").get_data(as_text=True)
    assert "1 answer is waiting to join a group." in page
    assert "10 answers." in page
    assert '<th scope="col">Cymraeg</th>' not in page and '<th scope="col">Portal</th>' not in page
    assert 'dir="auto">Rude</li>' in page  # the words, without the language and channel that would name them
    summary = browser.client.get(f"/console/surveys/{survey.id}").get_data(as_text=True)
    assert "Waiting to reach you" in summary


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_redacted_free_text_looks_the_same_whoever_in_the_group_wrote_it(client, role: str) -> None:
    survey, rating, why = anonymous_survey()
    gwen = factories.make_survey_invitation(survey, user=factories.make_user())
    will = factories.make_survey_invitation(survey, user=factories.make_user())
    User.update(display_name="Gwen Pritchard").where(User.id == gwen.user_id).execute()
    User.update(display_name="Will Jones").where(User.id == will.user_id).execute()
    # Each writes the other's name: redacting only the writer's own name would show who wrote which.
    written = {
        gwen: "Will you send someone? Will Jones next door agrees.",
        will: "Gwen Pritchard from the office was rude.",
    }
    for invitation, text in written.items():
        answers.record_answers(
            SurveyInvitation.get_by_id(invitation.id), {rating.id: "2", why.id: text}, "en", final=True
        )
    for _ in range(MINIMUM - 2):
        answers.record_answers(invite(survey), {rating.id: "4"}, "en", final=True)
    texts = query(client, staff_token(role), "{ surveyAnswers(first: 100) { nodes { textRedacted } } }")
    shown = sorted(n["textRedacted"] for n in texts["surveyAnswers"]["nodes"] if n["textRedacted"])
    assert shown == [
        "[name] [name] from the office was rude.",
        "[name] you send someone? [name] [name] next door agrees.",
    ]
    # Changed after the release, the words are redacted with the same names, not with the writer's alone.
    answers.record_answers(SurveyInvitation.get_by_id(gwen.id), {why.id: "Will was rude, and so was Gwen."}, "en")
    assert SurveyAnswer.get(SurveyAnswer.text == "Will was rude, and so was Gwen.").text_redacted == (
        "[name] was rude, and so was [name]."
    )


ANSWER = """mutation ($input: SurveyAnswerInput!) {
  surveyAnswer(input: $input) { __typename ... on SurveyAnswered { submitted response { id createdAt } } }
}"""


def test_answers_taken_by_phone_through_the_api_are_held_and_untimed(client) -> None:
    survey, rating, _why = anonymous_survey()
    invitation = invite(survey)
    variables = {
        "input": {
            "token": invitation_token(invitation),
            "answers": [{"questionId": str(rating.id), "value": "2"}],
            "channel": "phone",
            "final": True,
        }
    }
    # The member of staff who types in the answers cannot see the response they made, until it is released.
    secret = factories.make_token(factories.make_user("staff"), scope="write")[1]
    body = client.post(
        "/graphql", json={"query": ANSWER, "variables": variables}, headers={"Authorization": f"Bearer {secret}"}
    ).get_json()
    assert "errors" not in body, body
    assert body["data"]["surveyAnswer"] == {"__typename": "SurveyAnswered", "submitted": True, "response": None}
    assert SurveyInvitation.get_by_id(invitation.id).answered_at is None
    held = SurveyResponse.get()
    assert held.held and (held.created_at, held.submitted_at) == (batches.day_of(utcnow()),) * 2


PAGE = """query ($after: String, $order: [SurveyResponseOrderBy!]) {
  surveyResponses(first: 1, after: $after, orderBy: $order) {
    edges { cursor node { answers(first: 1) { value } } } pageInfo { hasNextPage } } }"""


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("order", [None, [{"field": "createdAt", "direction": "ASC"}], [{"field": "submittedAt"}]])
def test_paging_with_cursors_in_any_order_follows_the_shuffle_not_the_answers(
    client,
    browser,
    monkeypatch,
    role: str,
    order: Any,
) -> None:
    survey, rating, why = anonymous_survey()

    def rotate(self: Any, items: list[Any]) -> None:  # neither the order of answering nor its reverse
        items[:] = items[2:] + items[:2]

    monkeypatch.setattr(batches.random.SystemRandom, "shuffle", rotate)
    for number in range(1, MINIMUM + 1):
        answer_by_link(browser, invite(survey), rating, why, str(number), f"Answer {number}")
    token, after, seen = staff_token(role), None, []
    while True:
        page = query(client, token, PAGE, {"after": after, "order": order})["surveyResponses"]
        seen += [edge["node"]["answers"][0]["value"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["edges"][-1]["cursor"]
    # Every response has the same day, so the order falls to the ids, which the shuffle gave out.
    assert seen == ["3", "4", "5", "1", "2"]


def test_the_periodic_survey_run_releases_groups_that_waited_a_day(clock_at) -> None:
    from tasks.surveys import run_survey_invitations

    survey, rating, _why = anonymous_survey()
    for _ in range(MINIMUM):
        answers.record_answers(invite(survey), {rating.id: "3"}, "en")  # only the one-click answer
    assert run_survey_invitations.call_local()["released"] == 0
    tomorrow = utcnow() + dt.timedelta(days=1)
    clock_at(tomorrow)
    assert run_survey_invitations.call_local()["released"] == MINIMUM
