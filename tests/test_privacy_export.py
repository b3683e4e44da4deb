"""A subject access export holds everything about the person, as JSON and a readable page, and nobody else's data."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest

from backend.complaints.files import storage
from backend.complaints.models import Attachment
from backend.privacy import access
from backend.privacy.models import SubjectAccessRequest
from tests import factories

NEIGHBOUR = "Dave Brennan"
ASB = (
    "My neighbour Dave Brennan at 14 Oak Road plays loud music every night until 3am. Brennan shouted at my "
    "children on Tuesday. His number is 07700 900456 and his email is dave.brennan@example.org. Mrs Kowalczyk "
    "upstairs heard it too."
)


@pytest.fixture
def admin() -> Any:
    return factories.make_user("admin")


def _zip(request: SubjectAccessRequest) -> zipfile.ZipFile:
    with storage().open(request.export_key) as stream:
        return zipfile.ZipFile(io.BytesIO(stream.read()))


def _everything(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def _store(content: bytes) -> Any:
    return storage().save(io.BytesIO(content), 1_000_000)


def _compiled(admin: Any, person: Any, third_parties: str = "") -> SubjectAccessRequest:
    request = access.log_request(factories.actor_of(admin), person.id, third_parties=third_parties)
    return access.compile_request(factories.actor_of(admin), request.id)


def test_export_holds_each_kind_as_json_and_a_readable_index(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    factories.make_complaint(person, description="The boiler has failed twice this month.")
    factories.make_portal_message(person)
    factories.make_preference(person)
    archive = _zip(_compiled(admin, person))
    names = set(archive.namelist())
    assert {"index.html", "manifest.json", "data/profile.json", "data/contacts.json", "data/complaints.json"} <= names
    assert {"data/messages.json", "data/surveys.json", "data/cocreation.json", "data/audit.json"} <= names
    contacts = json.loads(archive.read("data/contacts.json"))
    assert contacts[0]["description"] == "The boiler has failed twice this month."
    assert json.loads(archive.read("data/complaints.json"))[0]["record"] == "Complaint"
    assert json.loads(archive.read("data/messages.json"))
    profile = json.loads(archive.read("data/profile.json"))
    assert profile[0]["account"]["email"] == person.email
    index = archive.read("index.html").decode()
    assert '<html lang="en" dir="ltr">' in index and "<h1>" in index
    assert "&lt;" not in index.split("<main>")[1].split("<section")[0], "the introduction's markup is escaped"
    assert "The boiler has failed twice this month." in index


def test_export_leaves_out_secrets(admin: Any) -> None:
    person = factories.make_user()
    factories.make_token(person)
    factories.make_survey_invitation(user=person)
    text = _everything(_zip(_compiled(admin, person)))
    assert "password_hash" not in text
    assert "token_hash" not in text
    assert "manual:" not in text  # the invitation's key opens the survey


def test_neighbour_named_in_an_asb_complaint_appears_nowhere_in_the_export(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    complaint = factories.make_complaint(person, description=ASB)
    factories.make_case_note(complaint, body=f"Spoke to {NEIGHBOUR} at 14 Oak Road, who denies it.")
    recording = _store(b"the noise at night")
    Attachment.create(
        contact=complaint.contact_id,
        file_name=f"{NEIGHBOUR} music.mp3",
        media_type="audio/mpeg",
        family="audio",
        size=recording.size,
        sha256=recording.sha256,
        storage_key=recording.key,
        uploaded_by=person.id,
    )
    request = _compiled(admin, person, third_parties=NEIGHBOUR)
    archive = _zip(request)
    text = _everything(archive) + "\n".join(archive.namelist())
    for trace in ("Brennan", "Dave", "07700 900456", "dave.brennan", "14 Oak Road", "Kowalczyk"):
        assert trace not in text
    assert "[another person]" in text
    assert "plays loud music every night" in text
    assert NEIGHBOUR not in request.summary


def test_another_residents_account_named_in_the_text_is_redacted_without_being_listed(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    neighbour = factories.make_user(home=factories.make_home())
    neighbour.display_name = "Priya Ramanathan"
    neighbour.save()
    factories.make_complaint(person, description="Priya Ramanathan keeps blocking the shared bin store.")
    text = _everything(_zip(_compiled(admin, person)))
    assert "Ramanathan" not in text
    assert "keeps blocking the shared bin store" in text


def test_the_persons_own_details_and_staff_names_are_kept(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home(), phone="07700 900123")
    staff = factories.make_staff()
    complaint = factories.make_complaint(
        person, description=f"Call me on 07700 900123. I spoke to {staff.display_name}."
    )
    factories.make_case_note(complaint, body=f"{person.display_name} rang about {complaint.reference}.")
    text = _everything(_zip(_compiled(admin, person)))
    assert "Call me on 07700 900123" in text
    assert f"I spoke to {staff.display_name}" in text
    assert f"{person.display_name} rang about {complaint.reference}" in text


def test_anonymous_survey_answers_are_absent_and_linked_ones_present(admin: Any) -> None:
    person = factories.make_user()
    linked = factories.make_survey(anonymous=False)
    question = factories.make_survey_question(linked)
    factories.make_survey_answer(factories.make_survey_response(linked, user=person), question, value="5")
    anonymous = factories.make_survey(anonymous=True)
    factories.make_survey_answer(factories.make_survey_response(anonymous), value="1")
    surveys = json.loads(_zip(_compiled(admin, person)).read("data/surveys.json"))
    assert [record["survey"] for record in surveys if record["record"] == "SurveyResponse"] == [linked.id]
    assert surveys[0]["answers"][0]["value"] == "5"


def test_files_the_person_gave_are_in_the_zip_with_their_checksums(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    contact = factories.make_contact(person)
    content = b"\x89PNG the photo of the damp wall"
    stored = _store(content)
    Attachment.create(
        contact=contact.id,
        file_name="damp.png",
        media_type="image/png",
        family="image",
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        uploaded_by=person.id,
    )
    staff_file = _store(b"a photo staff took")
    Attachment.create(
        contact=contact.id,
        file_name="inspection.png",
        media_type="image/png",
        family="image",
        size=staff_file.size,
        sha256=staff_file.sha256,
        storage_key=staff_file.key,
        uploaded_by=factories.make_staff().id,
    )
    request = _compiled(admin, person)
    archive = _zip(request)
    manifest = json.loads(archive.read("manifest.json"))["files"]
    assert len(manifest) == 1
    entry = manifest[0]
    assert entry["path"].endswith("damp.png")
    assert archive.read(entry["path"]) == content
    assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    summary = json.loads(request.summary)
    assert [item["file_name"] for item in summary["files_for_review"]] == ["inspection.png"]


def test_the_zips_checksum_and_size_are_recorded(admin: Any) -> None:
    person = factories.make_user()
    request = _compiled(admin, person)
    with storage().open(request.export_key) as stream:
        content = stream.read()
    assert request.export_size == len(content)
    assert request.export_sha256 == hashlib.sha256(content).hexdigest()


def test_the_index_is_in_the_persons_language(admin: Any) -> None:
    person = factories.make_user(locale="cy")
    index = _zip(_compiled(admin, person)).read("index.html").decode()
    assert '<html lang="cy" dir="ltr">' in index


def test_a_right_to_left_language_index_reads_right_to_left(admin: Any) -> None:
    person = factories.make_user(locale="ar")
    index = _zip(_compiled(admin, person)).read("index.html").decode()
    assert '<html lang="ar" dir="rtl">' in index


# ------------------------------------------------------------------ the person's own details, and only whole


def test_the_persons_name_words_do_not_shield_other_peoples_emails_or_names(admin: Any) -> None:
    person = factories.make_user(email="anne.smith@london.gov.uk", home=factories.make_home())
    person.display_name = "Anne Smith"
    person.save()
    factories.make_complaint(
        person,
        description="Write to anne.smith@london.gov.uk, not mary.smith@gmail.com or anne_smith-x@example.org. "
        "Mary Smith next door agrees with Anne Smith.",
    )
    request = _compiled(admin, person, third_parties="Mary Smith")
    contacts = json.loads(_zip(request).read("data/contacts.json"))
    description = contacts[0]["description"]
    assert "anne.smith@london.gov.uk" in description
    assert "mary.smith" not in description and "gmail" not in description
    assert "anne_smith-x" not in description
    assert "Mary" not in description and "[another person] Smith" not in description
    assert "agrees with Anne Smith" in description


def test_other_peoples_phone_numbers_are_taken_out_and_the_persons_own_kept() -> None:
    from backend.privacy.export import Redactor

    redactor = Redactor(keep=["Anne Smith"], others=[], emails=["anne@example.org"], phones=["07700 900123"])
    redacted = redactor("Ring 07700900123 or her sister on 07700 900999, or anne@example.org.")
    assert "07700900123" in redacted and "anne@example.org" in redacted
    assert "900999" not in redacted


def test_short_free_text_is_redacted_too(admin: Any) -> None:
    person = factories.make_user(home=factories.make_home())
    factories.make_theme_suggestion(person, title="Stop Dave Brennan's parties", description="Loud.")
    text = _everything(_zip(_compiled(admin, person, third_parties=NEIGHBOUR)))
    assert "Brennan" not in text
    assert "parties" in text


def test_every_translation_of_the_exports_explanation_keeps_the_labels_the_records_hold() -> None:
    """The records say [another person] and [phone number] in English whatever the language (as redaction
    labels are stored), so the page explaining them must quote them as written."""
    from backend.config import LOCALES_DIR
    from backend.i18n import translations

    explanation = (
        "Where a record names other people, their names and contact details are replaced by "
        "[another person] or a label such as [phone number], to protect their privacy. The same records are "
        "in the data folder as JSON files, one for each kind, for use in other software."
    )
    locales = sorted(path.name for path in LOCALES_DIR.iterdir() if (path / "LC_MESSAGES").is_dir())
    assert len(locales) >= 8
    for locale in locales:
        translated = translations(locale).gettext(explanation)
        assert "[another person]" in translated and "[phone number]" in translated, locale
