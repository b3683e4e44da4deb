"""Surveys say how to complain (Code 1.6): every invitation ends with a fixed sentence and a link to the public
"how to complain" page, which no wording staff edit can remove, in the reader's language; the survey pages too."""

from __future__ import annotations

from pathlib import Path

from backend.notifications.models import MessageTemplate
from tests import factories
from tests.conftest import read_mail
from tests.test_message_secrets import invite, live_survey

SENTENCE = "A survey is not a complaint. If you are unhappy with our service, you can complain at any time"


def bodies(mail_dir: Path) -> dict[str, str]:
    return {m["To"]: m.get_body(preferencelist=("html",)).get_content() for m in read_mail(mail_dir)}


def test_an_invitation_says_how_to_complain(mail_dir: Path) -> None:
    live_survey(anonymous=True)
    resident = factories.make_user("resident")
    invite(resident)
    html = bodies(mail_dir)[resident.email]
    assert SENTENCE in html
    assert 'href="http://learnloop.test/how-to-complain"' in html


def test_wording_staff_edit_cannot_remove_it(mail_dir: Path) -> None:
    live_survey(anonymous=True)
    MessageTemplate.create(
        event="survey.invitation_due",
        channel="email",
        locale="en",
        subject="{{ survey }}",
        body="Please answer.",
    )
    resident = factories.make_user("resident")
    invite(resident)
    html = bodies(mail_dir)[resident.email]
    assert "Please answer." in html
    assert SENTENCE in html and "/how-to-complain" in html


def test_an_advocates_copy_says_it_too(mail_dir: Path) -> None:
    live_survey(anonymous=True)
    resident, advocate = factories.make_user("resident"), factories.make_user("advocate")
    factories.make_representation(advocate, resident)
    invite(resident)
    assert "/how-to-complain" in bodies(mail_dir)[advocate.email]


def test_the_survey_page_says_it(browser) -> None:
    live_survey(anonymous=True)
    resident = factories.make_user("resident")
    invitation = invite(resident)
    browser.sign_in(resident.email)
    page = browser.client.get(f"/surveys/{invitation.id}", follow_redirects=True).get_data(as_text=True)
    assert SENTENCE in page and 'href="/how-to-complain"' in page
