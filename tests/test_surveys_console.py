"""The survey console: the list, building a draft through its forms, preview, results and CSV import."""

from __future__ import annotations

import io

import pytest

from backend.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyRule
from tests import factories

PAGES = ("", "/{id}", "/{id}/preview?lang=cy", "/{id}/results", "/{id}/import")


def draft_with_questions() -> tuple[Survey, SurveyQuestion, SurveyQuestion]:
    survey = factories.make_survey(status="draft", title={"en": "After your repair", "cy": "Ar ôl eich atgyweiriad"})
    rating = factories.make_survey_question(
        survey, text={"en": "How was the repair?", "cy": "Sut oedd yr atgyweiriad?"}
    )
    fixed = factories.make_survey_question(survey, kind="yes_partly_no", text={"en": "Is it fixed?"}, required=True)
    return survey, rating, fixed


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_survey_pages_open_for_staff_roles(browser, signed_in, role: str, page: str) -> None:
    survey, _, _ = draft_with_questions()
    signed_in(role)
    response = browser.client.get("/console/surveys" + page.format(id=survey.id))
    assert response.status_code == 200
    assert "After your repair" in response.get_data(as_text=True) or page == "/{id}/preview?lang=cy"


@pytest.mark.parametrize("page", PAGES)
def test_survey_pages_refuse_residents(browser, signed_in, page: str) -> None:
    survey, _, _ = draft_with_questions()
    signed_in("resident")
    assert browser.client.get("/console/surveys" + page.format(id=survey.id)).status_code == 403


def test_survey_page_for_unknown_survey_is_not_found(browser, signed_in) -> None:
    signed_in("staff")
    assert browser.client.get("/console/surveys/999999").status_code == 404


def test_surveys_list_counts_questions_and_invitations(browser, signed_in) -> None:
    survey, _, _ = draft_with_questions()
    factories.make_survey_invitation(survey, status="sent")
    factories.make_survey_invitation(survey, status="answered")
    factories.make_survey_invitation(survey, status="skipped")
    signed_in("staff")
    page = browser.client.get("/console/surveys").get_data(as_text=True)
    row = page[page.index("After your repair") :].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == ["Draft", "2", "2", "1", "1"]


def test_create_a_survey_through_the_form(browser, signed_in) -> None:
    signed_in("manager")
    data = {"title": "Your new kitchen", "anonymous": "linked", "expiry_days": "14", "reminder_days": "3"}
    response = browser.submit("/console/surveys", data)
    survey = Survey.get()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/console/surveys/{survey.id}")
    assert (survey.title, survey.anonymous, survey.expiry_days, survey.reminder_days) == (
        {"en": "Your new kitchen"},
        False,
        14,
        3,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "expiry_days": "28", "reminder_days": "7"}, "title in English."),
        ({"title": "Kitchen", "expiry_days": "many", "reminder_days": "7"}, "Enter a whole number from 0 to 365."),
        ({"title": "Kitchen", "expiry_days": "999", "reminder_days": "7"}, "Enter a whole number from 0 to 365."),
    ],
)
def test_create_a_survey_with_bad_input_shows_the_error(browser, signed_in, data, message) -> None:
    signed_in("manager")
    response = browser.submit("/console/surveys", {"anonymous": "anonymous", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert not Survey.select().exists()


def add_question(browser, survey: Survey, **fields: str) -> object:
    data = {"action": "question", **{f"question-{name}": value for name, value in fields.items()}}
    return browser.submit(f"/console/surveys/{survey.id}", data)


def test_build_a_draft_through_the_forms(browser, signed_in) -> None:
    signed_in("manager")
    survey = factories.make_survey(status="draft")
    add_question(browser, survey, kind="rating", text_en="How was the repair?", text_cy="Sut oedd?", required="y")
    response = add_question(
        browser, survey, kind="single", text_en="What was it about?", options="Repairs\nNoise\n\nRent"
    )
    assert response.status_code == 302
    rating, choice = list(SurveyQuestion.select().order_by(SurveyQuestion.position))
    assert rating.text == {"en": "How was the repair?", "cy": "Sut oedd?"} and rating.required
    assert [o["label"]["en"] for o in choice.options] == ["Repairs", "Noise", "Rent"]
    add_question(
        browser,
        survey,
        kind="text",
        text_en="What went wrong?",
        condition_question=str(rating.id),
        condition_values="1, 2",
    )
    why = SurveyQuestion.get(SurveyQuestion.position == 3)
    assert why.condition == {"question": rating.id, "in": ["1", "2"]}
    rule = browser.submit(
        f"/console/surveys/{survey.id}",
        {"action": "rule", "rule-event_name": "complaint.closed", "rule-delay_amount": "2", "rule-delay_unit": "weeks"},
    )
    assert rule.status_code == 302
    assert SurveyRule.get().delay_unit == "weeks"
    browser.submit(f"/console/surveys/{survey.id}/questions/{choice.id}/up", {}, page=f"/console/surveys/{survey.id}")
    assert SurveyQuestion.get_by_id(choice.id).position == 1
    published = browser.submit(f"/console/surveys/{survey.id}/publish", {}, page=f"/console/surveys/{survey.id}")
    assert published.status_code == 302 and Survey.get_by_id(survey.id).status == "live"


def test_edit_and_remove_a_question(browser, signed_in) -> None:
    signed_in("admin")
    survey, rating, fixed = draft_with_questions()
    url = f"/console/surveys/{survey.id}/questions/{rating.id}"
    assert "Sut oedd yr atgyweiriad?" in browser.client.get(url).get_data(as_text=True)
    response = browser.submit(url, {"text_en": "How good was the repair?", "text_cy": "", "required": "y"})
    assert response.status_code == 302
    changed = SurveyQuestion.get_by_id(rating.id)
    assert changed.text == {"en": "How good was the repair?"} and changed.required
    browser.submit(
        f"/console/surveys/{survey.id}/questions/{fixed.id}/remove", {}, page=f"/console/surveys/{survey.id}"
    )
    assert SurveyQuestion.get_or_none(SurveyQuestion.id == fixed.id) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "rating", "text_en": ""}, "Enter the question in English."),
        ({"kind": "single", "text_en": "Which?", "options": "Only one"}, "Give between 2 and 20 options."),
        ({"kind": "text", "text_en": "Why?", "condition_question": "__Q__", "condition_values": "7"}, "Check this"),
    ],
)
def test_add_question_with_bad_input_shows_the_error(browser, signed_in, fields, message) -> None:
    signed_in("manager")
    survey, rating, _ = draft_with_questions()
    fields = {k: v.replace("__Q__", str(rating.id)) for k, v in fields.items()}
    response = add_question(browser, survey, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert SurveyQuestion.select().where(SurveyQuestion.survey == survey).count() == 2


def test_add_question_error_is_in_the_viewers_language(browser, signed_in) -> None:
    signed_in("manager", locale="cy")
    survey, _, _ = draft_with_questions()
    page = add_question(browser, survey, kind="single", text_en="Which?", options="Only one").get_data(as_text=True)
    assert "Give between 2 and 20 options." not in page and "There is a problem" not in page


def test_publish_without_questions_shows_why(browser, signed_in) -> None:
    signed_in("manager")
    survey = factories.make_survey(status="draft")
    url = f"/console/surveys/{survey.id}"
    response = browser.submit(f"{url}/publish", {}, page=url, follow_redirects=True)
    assert "Add at least one question before you publish the survey." in response.get_data(as_text=True)
    assert Survey.get_by_id(survey.id).status == "draft"


def test_preview_in_welsh(browser, signed_in) -> None:
    survey, _, _ = draft_with_questions()
    signed_in("staff")
    page = browser.client.get(f"/console/surveys/{survey.id}/preview?lang=cy").get_data(as_text=True)
    assert "Ar ôl eich atgyweiriad" in page and "Sut oedd yr atgyweiriad?" in page
    assert 'lang="cy"' in page
    # Untranslated text falls back to English.
    assert "Is it fixed?" in page


def test_results_count_answers_by_language_and_channel(browser, signed_in) -> None:
    survey, rating, _ = draft_with_questions()
    Survey.update(anonymous=False).where(Survey.id == survey.id).execute()  # small groups show when linked
    for locale, channel, value in (("en", "email", "5"), ("cy", "sms", "3"), ("cy", "email", "5")):
        factories.make_survey_answer(factories.make_survey_response(survey, locale, channel), rating, value)
    signed_in("staff")
    page = browser.client.get(f"/console/surveys/{survey.id}/results").get_data(as_text=True)
    assert "3 answers." in page and "Mean rating: 4.33." in page
    assert '<th scope="col">Welsh</th>' in page or '<th scope="col">Cymraeg</th>' in page
    assert '<th scope="col">Text message</th>' in page


def test_results_show_free_text_redacted_for_staff(browser, signed_in) -> None:
    survey, _, _ = draft_with_questions()
    why = factories.make_survey_question(survey, kind="text", text={"en": "Anything else?"})
    SurveyAnswer.create(
        response=factories.make_survey_response(survey),
        question=why,
        text="Call me on 07700 900123",
        text_redacted="Call me on [phone]",
    )
    signed_in("staff")
    page = browser.client.get(f"/console/surveys/{survey.id}/results").get_data(as_text=True)
    assert "Call me on [phone]" in page and "07700" not in page


def upload(browser, survey: Survey, text: str) -> object:
    url = f"/console/surveys/{survey.id}/import"
    return browser.submit(
        url, {"file": (io.BytesIO(text.encode()), "tp.csv")}, page=url, content_type="multipart/form-data"
    )


def test_import_creates_anonymous_responses(browser, signed_in) -> None:
    survey, rating, fixed = draft_with_questions()
    signed_in("manager")
    response = upload(browser, survey, "Q1,Q2,language\n4,yes,en\n2,Don't know,cy\n")
    assert response.status_code == 302 and response.headers["Location"].endswith("/results")
    responses = list(SurveyResponse.select().where(SurveyResponse.survey == survey).order_by(SurveyResponse.id))
    assert [(r.channel, r.locale, r.user_id) for r in responses] == [("import", "en", None), ("import", "cy", None)]
    assert all(r.submitted_at for r in responses)
    values = [a.value for a in SurveyAnswer.select().where(SurveyAnswer.question == fixed).order_by(SurveyAnswer.id)]
    assert values == ["yes", "dont_know"]


def test_import_with_bad_rows_imports_nothing_and_lists_each_row(browser, signed_in) -> None:
    survey, _, _ = draft_with_questions()
    signed_in("manager")
    response = upload(browser, survey, "Q1,Q2\n4,yes\n9,yes\n3,\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert '<th scope="row">3</th><td>Q1</td>' in page and '<th scope="row">4</th><td>Q2</td>' in page
    assert not SurveyResponse.select().exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q1,Q9\n4,5\n", "is not a question column"),
        ("Q1\n", "The file has no rows of answers."),
        ("Q1,Q2,language\n4,yes,xx\n", "Use a language code"),
    ],
)
def test_import_rejects_bad_files(browser, signed_in, text: str, message: str) -> None:
    survey, _, _ = draft_with_questions()
    signed_in("admin")
    response = upload(browser, survey, text)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert not SurveyResponse.select().exists()


def test_import_refuses_files_that_are_not_utf8(browser, signed_in) -> None:
    survey, _, _ = draft_with_questions()
    signed_in("manager")
    url = f"/console/surveys/{survey.id}/import"
    data = {"file": (io.BytesIO(b"Q1\n\xff\xfe\n"), "tp.csv")}
    response = browser.submit(url, data, page=url, content_type="multipart/form-data")
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
