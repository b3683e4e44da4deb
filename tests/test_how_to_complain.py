"""The public "how to complain" page (Code 3.4-3.7): open to everyone, generated from each nation's procedure,
in every language, and linked from every page's footer and from the resident's case."""

from __future__ import annotations

from typing import Any

import pytest

from backend import config
from backend.complaints.models import Regime, RegimeStage
from backend.config import ConfigError, load_settings
from tests import factories


def page(browser: Any, path: str) -> str:
    response = browser.client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_anyone_can_read_it_and_every_page_links_to_it(browser) -> None:
    assert 'href="/how-to-complain"' in page(browser, "/sign-in")
    text = page(browser, "/how-to-complain")
    for nation in ("england", "wales", "scotland", "northern_ireland"):
        assert f'href="/how-to-complain/{nation}"' in text


def test_england_shows_the_codes_stages_days_and_the_housing_ombudsman(browser) -> None:
    text = page(browser, "/how-to-complain/england")
    assert "Our procedure has 2 stages" in text
    assert "within 5 working days." in text
    assert "within 10 working days of confirming we have your complaint." in text
    assert "within 20 working days of confirming we have your complaint." in text
    assert "Housing Ombudsman" in text
    regime = Regime.get(Regime.code == "hoc")
    assert regime.ombudsman_details.split(".")[0] in text


def test_the_page_follows_the_regime_data(browser) -> None:
    regime = Regime.get(Regime.code == "hoc")
    stage = RegimeStage.get(RegimeStage.regime == regime.id, RegimeStage.number == 1)
    before = stage.respond_days
    stage.respond_days = 8
    stage.save()
    try:
        assert "within 8 working days of confirming" in page(browser, "/how-to-complain/england")
    finally:
        stage.respond_days = before
        stage.save()


def test_scotland_names_the_spso(browser) -> None:
    text = page(browser, "/how-to-complain/scotland")
    assert "Scottish Public Services Ombudsman" in text


def test_an_unknown_nation_is_not_found(browser) -> None:
    assert browser.client.get("/how-to-complain/atlantis").status_code == 404


def test_it_is_in_the_readers_language(browser) -> None:
    browser.submit("/language", {"locale": "cy", "next": "/how-to-complain/wales"}, page="/how-to-complain")
    text = page(browser, "/how-to-complain/wales")
    assert 'lang="cy"' in text


def test_the_policy_link_is_a_setting(browser, app) -> None:
    assert "Ask us for a copy of our complaints policy" in page(browser, "/how-to-complain/england")
    saved = config.current()
    config.set_current(saved.with_overrides(complaints_policy_url="https://example.org/complaints-policy"))
    try:
        assert 'href="https://example.org/complaints-policy"' in page(browser, "/how-to-complain/england")
    finally:
        config.set_current(saved)


def test_the_policy_address_must_be_a_web_address() -> None:
    with pytest.raises(ConfigError):
        load_settings(environ={"LEARNLOOP_COMPLAINTS_POLICY_URL": "javascript:alert(1)"}, secret_key="x" * 40)


def test_the_residents_case_links_to_their_nations_page(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home("wales"))
    complaint = factories.make_complaint(resident)
    text = page(browser, f"/cases/{complaint.contact_id}")
    assert 'href="/how-to-complain/wales"' in text
