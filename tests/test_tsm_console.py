"""The tenant perception measures page and the method statement forms in the console."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from backend.surveys.models import SurveyQuestion, SurveyResponse, TsmSurveyMethod
from tests import factories


def coded_survey() -> object:
    survey = factories.make_survey(title={"en": "Perception survey 2025"})
    overall = factories.make_survey_question(survey, tsm_code="tp01")
    for value, tenure in (("5", "rented"), ("4", "rented"), ("1", "rented"), ("2", "shared_ownership")):
        response = factories.make_survey_response(survey, tenure=tenure, submitted_at=dt.datetime(2025, 6, 1, 12))
        factories.make_survey_answer(response, overall, value)
    return survey


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_staff_see_the_measures_by_tenure(browser, signed_in, role: str) -> None:
    coded_survey()
    signed_in(role)
    response = browser.client.get("/console/reports/tsm/perception?period=2025/26")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tenant perception measures, Low-cost rental (LCRA), 2025/26" in page
    assert "<td>66.7</td>" in page and "<td>0.0</td>" in page and "No value: nobody answered" in page


def test_residents_cannot_open_the_page(browser, signed_in) -> None:
    signed_in("resident")
    assert browser.client.get("/console/reports/tsm/perception").status_code in (302, 403, 404)


@pytest.mark.parametrize("period", ["2025/27", "next year", "2999/00"])
def test_a_bad_period_is_shown_on_the_form(browser, signed_in, period: str) -> None:
    signed_in("staff")
    response = browser.client.get("/console/reports/tsm/perception", query_string={"period": period})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page and 'href="#period"' in page


def test_a_manager_records_and_changes_the_method_statement(browser, signed_in) -> None:
    survey = coded_survey()
    signed_in("manager")
    url = f"/console/reports/tsm/perception/methods/new?survey={survey.id}&year=2025/26"
    data = {
        "method": "telephone",
        "sample_size": "4",
        "population": "40",
        "weighting": "",
        "fieldwork_start": "2025-05-01",
        "fieldwork_end": "2025-06-30",
    }
    response = browser.submit(url, data, page=url)
    assert response.status_code == 302
    record = TsmSurveyMethod.get()
    assert (record.year, record.sample_size, record.method) == (2025, 4, "telephone")
    page = browser.client.get("/console/reports/tsm/perception?period=2025/26").get_data(as_text=True)
    assert "Telephone" in page and "2025-05-01 to 2025-06-30" in page
    edit = f"/console/reports/tsm/perception/methods/{record.id}"
    bad = browser.submit(edit, {**data, "sample_size": "400"}, page=edit)
    assert bad.status_code == 400 and "larger than the population" in bad.get_data(as_text=True)
    assert browser.submit(edit, {**data, "sample_size": "5"}, page=edit).status_code == 302
    assert TsmSurveyMethod.get().sample_size == 5


def test_staff_who_are_not_managers_cannot_record_the_method(browser, signed_in) -> None:
    survey = coded_survey()
    signed_in("staff")
    url = f"/console/reports/tsm/perception/methods/new?survey={survey.id}&year=2025/26"
    assert browser.client.get(url).status_code == 403


def test_the_import_can_skip_bad_rows_and_lists_them(browser, signed_in) -> None:
    survey = factories.make_survey(status="draft")
    factories.make_survey_question(survey, tsm_code="tp01")
    signed_in("manager")
    url = f"/console/surveys/{survey.id}/import"
    text = "TP01,tenure,weight\n5,rented,1\n4,council,1\n3,lcho,0\n2,lcho,2\n"
    data = {"file": (io.BytesIO(text.encode()), "tp.csv"), "skip_bad_rows": "y"}
    response = browser.submit(url, data, page=url, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 rows were skipped" in page
    assert '<th scope="row">3</th><td>tenure</td>' in page and '<th scope="row">4</th><td>weight</td>' in page
    assert SurveyResponse.select().where(SurveyResponse.survey == survey).count() == 2


def test_a_question_gets_its_tsm_code_in_the_builder(browser, signed_in) -> None:
    survey = factories.make_survey(status="draft")
    signed_in("staff")
    url = f"/console/surveys/{survey.id}"
    data = {"question-kind": "rating", "question-text_en": "Overall?", "question-tsm_code": "tp01"}
    assert browser.submit(url, data, page=url).status_code == 302
    assert SurveyQuestion.get(SurveyQuestion.survey == survey).tsm_code == "tp01"
    wrong = {"question-kind": "text", "question-text_en": "Why?", "question-tsm_code": "tp02"}
    page = browser.submit(url, wrong, page=url).get_data(as_text=True)
    assert "TP01 to TP12 go on a rating question" in page
