"""The public answer pages: one-click answers from the email, the rest of the survey, friendly link errors."""

from __future__ import annotations

import datetime as dt

from backend.surveys.invitations import invitation_token
from backend.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from backend.timeutil import utcnow
from tests import factories


def survey_with_questions(anonymous: bool = True) -> tuple[object, list[object]]:
    survey = factories.make_survey(anonymous=anonymous)
    rating = factories.make_survey_question(
        survey, text={"en": "How was the repair?", "cy": "Sut oedd yr atgyweiriad?"}
    )
    fixed = factories.make_survey_question(survey, kind="yes_partly_no", text={"en": "Is it fixed?"}, required=True)
    why = factories.make_survey_question(
        survey, kind="text", text={"en": "What went wrong?"}, condition={"question": rating.id, "lte": 2}
    )
    return survey, [rating, fixed, why]


def test_one_click_answer_chooses_the_first_answer_and_shows_the_rest(client) -> None:
    survey, (rating, fixed, why) = survey_with_questions()
    invitation = factories.make_survey_invitation(survey)
    response = client.get(f"/s/{invitation_token(invitation)}?a=4")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "How was the repair?" in page and "Is it fixed?" in page
    assert "What went wrong?" not in page
    assert f'checked id="q_{rating.id}-3"' in page
    assert "It is not recorded yet" in page


def test_one_click_link_opened_records_nothing(client) -> None:
    """Mail scanners open every link in a message: opening a one-click answer must not answer for the person."""
    survey, _ = survey_with_questions(anonymous=False)
    invitation = factories.make_survey_invitation(survey)
    token = invitation_token(invitation)
    client.get(f"/s/{token}?a=4")
    client.get(f"/s/{token}?a=1")
    assert SurveyAnswer.select().count() == 0
    assert SurveyResponse.select().count() == 0
    assert SurveyInvitation.get_by_id(invitation.id).status == "sent"


def test_one_click_answer_then_send_records_it_once(browser) -> None:
    survey, (rating, fixed, _) = survey_with_questions(anonymous=False)
    url = f"/s/{invitation_token(factories.make_survey_invitation(survey))}"
    assert browser.client.get(f"{url}?a=4").status_code == 200
    browser.submit(url, {"shown": f"{rating.id} {fixed.id}", f"q_{rating.id}": "4", f"q_{fixed.id}": "yes"})
    assert sorted(a.value for a in SurveyAnswer.select()) == ["4", "yes"]
    assert SurveyResponse.select().count() == 1


def test_low_one_click_rating_shows_the_follow_up_question(client) -> None:
    survey, _ = survey_with_questions()
    token = invitation_token(factories.make_survey_invitation(survey))
    assert "What went wrong?" in client.get(f"/s/{token}?a=1").get_data(as_text=True)


def test_one_click_with_unknown_value_records_nothing(client) -> None:
    survey, _ = survey_with_questions()
    token = invitation_token(factories.make_survey_invitation(survey))
    response = client.get(f"/s/{token}?a=9")
    assert response.status_code == 400
    assert SurveyAnswer.select().count() == 0


def test_tampered_link_shows_a_friendly_page_and_records_nothing(client) -> None:
    survey, _ = survey_with_questions()
    token = invitation_token(factories.make_survey_invitation(survey))
    response = client.get(f"/s/{token}x?a=4")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert SurveyAnswer.select().count() == 0


def test_expired_link_is_gone_and_records_nothing(client) -> None:
    survey, _ = survey_with_questions()
    invitation = factories.make_survey_invitation(survey)
    SurveyInvitation.update(expires_at=utcnow() - dt.timedelta(minutes=1)).where(
        SurveyInvitation.id == invitation.id
    ).execute()
    response = client.get(f"/s/{invitation_token(invitation)}?a=4")
    assert response.status_code == 410
    assert SurveyAnswer.select().count() == 0


def test_closed_survey_link_is_gone(client) -> None:
    invitation = factories.make_survey_invitation(factories.make_survey(status="closed"))
    factories.make_survey_question(invitation.survey)
    assert client.get(f"/s/{invitation_token(invitation)}").status_code == 410


def test_submit_answers_finishes_the_survey(browser) -> None:
    survey, (rating, fixed, _) = survey_with_questions()
    invitation = factories.make_survey_invitation(survey)
    url = f"/s/{invitation_token(invitation)}"
    response = browser.submit(url, {"shown": f"{rating.id} {fixed.id}", f"q_{rating.id}": "5", f"q_{fixed.id}": "yes"})
    assert response.status_code == 200
    assert "Thank you for your answers" in response.get_data(as_text=True)
    assert SurveyResponse.get().submitted_at is not None
    assert SurveyResponse.get().user_id is None


def test_submit_low_rating_adds_the_follow_up_question(browser) -> None:
    survey, (rating, fixed, why) = survey_with_questions()
    url = f"/s/{invitation_token(factories.make_survey_invitation(survey))}"
    response = browser.submit(url, {"shown": f"{rating.id} {fixed.id}", f"q_{rating.id}": "1", f"q_{fixed.id}": "no"})
    page = response.get_data(as_text=True)
    assert "What went wrong?" in page
    assert SurveyResponse.get().submitted_at is None


def test_submit_without_required_answer_shows_the_error_summary(browser) -> None:
    survey, (rating, fixed, _) = survey_with_questions()
    url = f"/s/{invitation_token(factories.make_survey_invitation(survey))}"
    response = browser.submit(url, {"shown": f"{rating.id} {fixed.id}", f"q_{rating.id}": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and f'href="#q_{fixed.id}-0"' in page


def test_submit_without_csrf_is_refused(client) -> None:
    survey, (rating, _, _) = survey_with_questions()
    url = f"/s/{invitation_token(factories.make_survey_invitation(survey))}"
    assert client.post(url, data={"shown": str(rating.id), f"q_{rating.id}": "4"}).status_code == 400
    assert SurveyAnswer.select().count() == 0


def test_survey_page_is_in_welsh_with_english_fallback(client) -> None:
    survey, _ = survey_with_questions()
    token = invitation_token(factories.make_survey_invitation(survey))
    page = client.get(f"/s/{token}", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert "Sut oedd yr atgyweiriad?" in page
    assert "Is it fixed?" in page
    assert '<fieldset id="q_' in page and "<legend" in page
