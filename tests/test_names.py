"""Names refuse line breaks and hidden characters wherever a person's name is set.

The assessment put a "Pay now: https://…" line into official email through a display name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.accounts import services
from backend.accounts.models import User
from backend.complaints.models import ContactPerson
from backend.context import SYSTEM
from backend.errors import Invalid
from backend.names import check_name
from tests import factories
from tests.conftest import Browser, read_mail

PHISHING = "there\n\nURGENT - your rent account is in arrears. Pay now: https://evil.example/pay\n\nHousing team"
HIDDEN = [
    pytest.param(PHISHING, id="line breaks"),
    pytest.param("Sam\rJones", id="carriage return"),
    pytest.param("Sam\u2028Pay now: https://evil.example", id="line separator"),
    pytest.param("Sam\u2029Jones", id="paragraph separator"),
    pytest.param("Sam\x85Jones", id="next line"),
    pytest.param("Sam\tJones", id="tab"),
    pytest.param("Sam\x00Jones", id="nul"),
    pytest.param("\u202egnp.exe", id="right-to-left override"),
    pytest.param("Sam \u2066Jones\u2069", id="bidi isolate"),
    pytest.param("Sam\u200eJones", id="left-to-right mark"),
    pytest.param("Sam\u200bJones", id="zero-width space"),
    pytest.param("Sam\ufeffJones", id="byte order mark"),
    pytest.param("Sam\u00adJones", id="soft hyphen"),
]
GOOD = [
    pytest.param("Zoë O'Brien-Smith", id="latin with marks"),
    pytest.param("مريم الحسن", id="arabic"),
    pytest.param("\u0645\u06cc\u200c\u0631\u0648\u0632", id="persian with non-joiner"),
    pytest.param("\u0995\u09cd\u200d\u09b7", id="bengali with joiner"),
    pytest.param("Gwen 👩\u200d👩\u200d👧", id="emoji sequence"),
    pytest.param("  Sam Jones  ", id="surrounding spaces"),
]
PROFILE_UPDATE = """mutation($name: String) { viewerProfileUpdate(input: {displayName: $name}) {
  __typename ... on ValidationError { field code message } } }"""
SUBMIT = """mutation($input: ContactSubmitInput!) { contactSubmit(input: $input) {
  __typename ... on ValidationError { field code message } } }"""


@pytest.mark.parametrize("name", HIDDEN)
def test_check_name_refuses_hidden_characters(name: str) -> None:
    with pytest.raises(Invalid) as error:
        check_name("display_name", name, 200)
    assert (error.value.field, error.value.code) == ("display_name", "hidden_characters")


@pytest.mark.parametrize("name", GOOD)
def test_check_name_keeps_names_in_any_script(name: str) -> None:
    assert check_name("display_name", name, 200) == name.strip()


def test_register_page_refuses_a_name_with_a_phishing_line(browser: Browser, mail_dir: Path) -> None:
    response = browser.submit(
        "/register",
        {
            "display_name": PHISHING,
            "email": "phish-target@example.net",
            "password": factories.PASSWORD,
            "confirm": factories.PASSWORD,
            "locale": "en",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your name cannot contain line breaks or hidden formatting characters." in html
    assert not User.select().where(User.email == "phish-target@example.net").exists()
    assert read_mail(mail_dir) == []


def test_register_page_refuses_hidden_characters_in_the_chosen_language(browser: Browser) -> None:
    response = browser.submit(
        "/register",
        {
            "display_name": "\u202egnp.exe",
            "email": "cy@example.net",
            "password": factories.PASSWORD,
            "confirm": factories.PASSWORD,
            "locale": "cy",
        },
        headers={"Accept-Language": "cy"},
    )
    assert response.status_code == 400
    assert 'lang="cy"' in response.get_data(as_text=True)


@pytest.mark.parametrize("name", HIDDEN[:3] + HIDDEN[7:8])
def test_profile_update_over_the_api_refuses_hidden_characters(signed_in: Any, browser: Browser, name: str) -> None:
    user = signed_in("resident")
    result = browser.graphql(PROFILE_UPDATE, {"name": name}).json["data"]["viewerProfileUpdate"]
    assert (result["__typename"], result["field"], result["code"]) == (
        "ValidationError",
        "displayName",
        "hidden_characters",
    )
    assert "line breaks" in result["message"]
    assert User.get_by_id(user.id).display_name == user.display_name


def test_profile_page_refuses_a_name_with_a_line_break(signed_in: Any, browser: Browser) -> None:
    user = signed_in("resident")
    response = browser.submit(
        "/account",
        {"display_name": "Sam\nPay now: https://evil.example", "locale": "en", "contact_channel": "email"},
    )
    assert response.status_code == 400
    assert "cannot contain line breaks" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).display_name == user.display_name


def test_staff_created_account_refuses_hidden_characters() -> None:
    with pytest.raises(Invalid) as error:
        services.create_user(SYSTEM, "new.staff@example.org", "Ann\u202eOwen", ["staff"])
    assert error.value.code == "hidden_characters"
    assert not User.select().where(User.email == "new.staff@example.org").exists()


@pytest.mark.parametrize("field", ["name", "representativeName"])
def test_contact_person_names_refuse_line_breaks(signed_in: Any, browser: Browser, field: str) -> None:
    signed_in("staff")
    person = {"name": "Ada Byron", field: "Ada\nPay now: https://evil.example"}
    variables = {"input": {"channel": "letter", "description": "Please ring me.", "person": person}}
    result = browser.graphql(SUBMIT, variables).json["data"]["contactSubmit"]
    assert (result["__typename"], result["code"]) == ("ValidationError", "hidden_characters")
    assert result["field"] == f"person.{field}"
    assert ContactPerson.select().count() == 0
