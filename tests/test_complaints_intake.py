"""Intake at the service: who may log what, every field checked before anything is stored, personal data
kept apart, and the narrative's redacted copy."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from backend.accounts.models import Representation
from backend.complaints import files, intake
from backend.complaints.intake import NewContact, submit_contact
from backend.complaints.models import Attachment, Complaint, Contact, ContactPerson
from backend.context import SYSTEM
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.timeutil import utcnow
from tests import factories
from tests.factories import actor_of
from tests.test_complaints_api import png


def staff() -> Any:
    return actor_of(factories.make_staff())


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"channel": "pigeon"}, "channel", "unsupported"),
        ({"description": " "}, "description", "required"),
        ({"description": "x" * 20_001}, "description", "too_long"),
        ({"locale": "xx"}, "locale", "unsupported"),
        ({"received_at": utcnow() + dt.timedelta(days=1)}, "received_at", "in_future"),
        ({"representative_kind": "councillor"}, "representative_consent", "required"),
        ({"representative_kind": "friend", "representative_consent": True}, "representative_kind", "unsupported"),
        ({"vulnerabilities": ("grumpy",)}, "vulnerabilities", "unsupported"),
        ({"idempotency_key": "short"}, "idempotency_key", "invalid"),
        ({"person": {"shoe_size": "9"}}, "shoe_size", "unknown_field"),
        ({"nation": "atlantis"}, "nation", "unsupported"),
    ],
)
def test_bad_contact_is_invalid_and_nothing_is_stored(values: dict[str, Any], field: str, code: str) -> None:
    resident = factories.make_user()
    data = {"channel": "phone", "description": "The hall light is out.", "resident_id": resident.id, **values}
    with pytest.raises(Invalid) as caught:
        submit_contact(staff(), NewContact(**data))
    assert (caught.value.field, caught.value.code) == (field, code)
    assert Contact.select().count() == 0


def test_contact_needs_a_resident_a_name_or_anonymity() -> None:
    with pytest.raises(Invalid) as caught:
        submit_contact(staff(), NewContact(channel="letter", description="Please call me."))
    assert caught.value.field == "resident"


INVISIBLE_ONLY = ["\u200b", "\u200b\u200d\ufeff", " \u2060 ", "\u200c", "\u202e"]


@pytest.mark.parametrize("blank", INVISIBLE_ONLY)
def test_submit_contact_person_name_of_invisible_characters_is_no_name(blank: str) -> None:
    with pytest.raises(Invalid) as caught:
        submit_contact(staff(), NewContact(channel="letter", description="Please call me.", person={"name": blank}))
    assert (caught.value.field, caught.value.code) == ("resident", "required")
    assert Contact.select().count() == 0


@pytest.mark.parametrize("blank", INVISIBLE_ONLY)
@pytest.mark.parametrize(("channel", "needed"), [("post", "address"), ("email", "email"), ("sms", "phone")])
def test_submit_contact_person_detail_of_invisible_characters_is_required(
    blank: str, channel: str, needed: str
) -> None:
    person = {"name": "Ada Lovelace", "contact_channel": channel, needed: blank}
    data = NewContact(channel="letter", description="Please write.", person=person, nation="england")
    with pytest.raises(Invalid) as caught:
        submit_contact(staff(), data)
    assert (caught.value.field, caught.value.code) == (needed, "required")
    assert Contact.select().count() == 0


@pytest.mark.parametrize("blank", INVISIBLE_ONLY)
@pytest.mark.parametrize("field", ["postcode", "representative_name", "representative_contact"])
def test_submit_contact_person_field_of_invisible_characters_is_stored_empty(blank: str, field: str) -> None:
    person = {"name": "\u200bAda Lovelace\u200b", "phone": "07700 900123", field: blank}
    contact = submit_contact(
        staff(), NewContact(channel="letter", description="Please call.", person=person, nation="england")
    )
    stored = ContactPerson.get(ContactPerson.contact == contact.id)
    assert (stored.name, getattr(stored, field)) == ("Ada Lovelace", "")


@pytest.mark.parametrize("blank", INVISIBLE_ONLY)
def test_update_contact_person_name_of_invisible_characters_is_stored_empty(blank: str) -> None:
    contact = submit_contact(
        staff(),
        NewContact(
            channel="letter",
            description="Please call.",
            person={"name": "Ada", "phone": "07700 900123"},
            nation="england",
        ),
    )
    intake.update_contact_person(staff(), contact.id, {"representative_name": blank})
    assert ContactPerson.get(ContactPerson.contact == contact.id).representative_name == ""


def test_someone_without_an_account_is_kept_in_a_table_of_their_own() -> None:
    contact = submit_contact(
        staff(),
        NewContact(
            channel="letter",
            description="I am Ada Lovelace of 4 Byron Road, LS2 9JT; ring 07700 900123.",
            person={"name": "Ada Lovelace", "phone": "07700 900123", "address": "4 Byron Road", "postcode": "LS2 9JT"},
            nation="england",
        ),
    )
    person = ContactPerson.get(ContactPerson.contact == contact.id)
    assert (person.name, person.postcode) == ("Ada Lovelace", "LS2 9JT")
    assert contact.resident_id is None and not contact.anonymous
    for secret in ("Ada", "Lovelace", "Byron", "LS2 9JT", "07700"):
        assert secret not in contact.description_redacted
    assert contact.description.startswith("I am Ada Lovelace")


def test_redacted_copy_uses_the_residents_known_details() -> None:
    home = factories.make_home()
    resident = factories.make_user(home=home)
    contact = factories.make_contact(
        resident, description=f"{resident.display_name} here, write to {resident.email} about {home.postcode}."
    )
    assert resident.display_name not in contact.description_redacted
    assert resident.email not in contact.description_redacted
    assert home.postcode not in contact.description_redacted
    assert "[resident]" in contact.description_redacted


def test_resident_naming_someone_else_is_told_as_for_someone_who_isnt_there() -> None:
    resident, other = factories.make_user(), factories.make_user()
    answers = []
    for named in (other.id, 10**9):
        with pytest.raises(Invalid) as caught:
            submit_contact(actor_of(resident), NewContact(channel="portal", description="Hi", resident_id=named))
        answers.append([(p.at, p.code, p.params) for p in caught.value.problems])
    assert answers[0] == answers[1] == [(("resident",), "not_found", {})]


def test_submit_contact_lists_every_unknown_id_with_the_other_problems() -> None:
    staff = factories.make_user("staff")
    data = NewContact(
        channel="phone",
        description="",
        resident_id=10**9,
        home_id=10**9,
        related_request_id=10**9,
        service_area_id=10**9,
        category_id=10**9,
    )
    with pytest.raises(Invalid) as caught:
        submit_contact(actor_of(staff), data)
    assert [(p.at, p.code) for p in caught.value.problems] == [
        (("description",), "required"),
        (("service_area",), "not_found"),
        (("category",), "not_found"),
        (("resident",), "not_found"),
        (("home",), "not_found"),
        (("related_request",), "not_found"),
    ]


def test_resident_cannot_log_anonymously_or_choose_a_home() -> None:
    resident = factories.make_user()
    with pytest.raises(NotAllowed):
        submit_contact(actor_of(resident), NewContact(channel="portal", description="Hi", anonymous=True))
    with pytest.raises(NotAllowed):
        submit_contact(
            actor_of(resident), NewContact(channel="portal", description="Hi", home_id=factories.make_home().id)
        )


def test_advocate_without_consent_is_refused() -> None:
    advocate, resident = factories.make_user("advocate"), factories.make_user()
    with pytest.raises(Invalid, match="resident: not_found"):
        submit_contact(actor_of(advocate), NewContact(channel="portal", description="Hi", resident_id=resident.id))


def test_advocates_contact_records_how_the_resident_consented_to_them() -> None:
    advocate, resident = factories.make_user("advocate"), factories.make_user()
    Representation.create(advocate=advocate, resident=resident, consent_method="verbal")
    contact = submit_contact(
        actor_of(advocate), NewContact(channel="portal", description="Hi", resident_id=resident.id)
    )
    assert (contact.representative_kind, contact.representative_consent_method) == ("advocate", "verbal")


def test_consent_method_outside_the_list_is_refused() -> None:
    staff = factories.make_user("staff")
    data = NewContact(
        channel="phone",
        description="Hi",
        resident_id=factories.make_user().id,
        nation="england",
        representative_kind="advocate",
        representative_consent=True,
        representative_consent_method="recorded",
    )
    with pytest.raises(Invalid, match="representative_consent_method: unsupported"):
        submit_contact(actor_of(staff), data)


def test_interpreter_channel_records_the_interpreter() -> None:
    contact = factories.make_contact(channel="interpreter", interpreter_service="Language Line", locale="so")
    assert (contact.interpreter_used, contact.interpreter_service, contact.locale) == (True, "Language Line", "so")


def test_photo_is_stored_with_its_checksum(tmp_path: Any) -> None:
    import hashlib

    resident = factories.make_user()
    contact = submit_contact(
        actor_of(resident),
        NewContact(channel="portal", description="Photo of the crack."),
        [files.Upload("crack.jpeg", io.BytesIO(png()))],
    )
    attachment = Attachment.get(Attachment.contact == contact.id)
    assert attachment.media_type == "image/png"  # by content, whatever the name says
    assert attachment.sha256 == hashlib.sha256(png()).hexdigest()
    with files.storage().open(attachment.storage_key) as stored:
        assert stored.read() == png()


def test_one_bad_file_stores_none_of_them() -> None:
    resident = factories.make_user()
    uploads = [files.Upload("ok.png", io.BytesIO(png())), files.Upload("bad.exe", io.BytesIO(b"MZ" + b"\0" * 64))]
    with pytest.raises(Invalid) as caught:
        submit_contact(actor_of(resident), NewContact(channel="portal", description="Two files."), uploads)
    assert (caught.value.code, caught.value.params["name"]) == ("unsupported_type", "bad.exe")
    assert Attachment.select().count() == 0 and Contact.select().count() == 0


def test_too_many_files_are_refused() -> None:
    resident = factories.make_user()
    uploads = [files.Upload(f"{n}.png", io.BytesIO(png())) for n in range(11)]
    with pytest.raises(Invalid) as caught:
        submit_contact(actor_of(resident), NewContact(channel="portal", description="Many."), uploads)
    assert caught.value.code == "too_many"


def test_failed_transaction_leaves_no_file_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    import backend.complaints.intake as intake

    stored: list[str] = []
    real_prepare = files.prepare

    def prepare(uploads: Any) -> Any:
        made = real_prepare(uploads)
        stored.extend(item.stored.key for item in made)
        return made

    def explode(*args: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake.files, "prepare", prepare)
    monkeypatch.setattr(intake, "record_event", explode)
    with pytest.raises(RuntimeError):
        submit_contact(
            SYSTEM,
            NewContact(channel="email", description="x", anonymous=True, nation="england"),
            [files.Upload("a.png", io.BytesIO(png()))],
        )
    assert stored
    with pytest.raises(FileNotFoundError):
        files.storage().open(stored[0])


def test_clean_name_keeps_only_the_last_part() -> None:
    assert files.clean_name("C:\\Users\\sam\\..\\photo\x00.png") == "photo.png"
    assert files.clean_name("") == "file"


@pytest.mark.parametrize("channel", ["phone", "letter", "face_to_face", "verbal_to_staff", "interpreter"])
def test_resident_cannot_log_their_own_contact_as_one_only_staff_take(channel: str) -> None:
    from backend.accounts.tokens import actor_for_user
    from backend.complaints.intake import NewContact, submit_contact
    from backend.complaints.models import Contact

    resident = factories.make_user("resident", home=factories.make_home())
    data = NewContact(channel=channel, description="The hall light is out.", logged_via="api")
    with pytest.raises(Invalid) as refused:
        submit_contact(actor_for_user(resident), data)
    assert (refused.value.field, refused.value.code) == ("channel", "staff_only")
    assert not Contact.select().exists()


# --- classify_contact: the most binding check answers first -------------------------------------------------
BAD_CLASSIFICATION = [
    {"kind": "gossip"},
    {"reason": " "},
    {"nation": "atlantis"},
    {"service_area_id": 999_999},
]


def _classify_with(contact_id: int, actor: Any = None, **bad: Any) -> Contact:
    values = {"kind": "service_request", "reason": "A repair.", **bad}
    return intake.classify_contact(actor or staff(), contact_id, **values)


@pytest.mark.parametrize("bad", BAD_CLASSIFICATION)
def test_classify_contact_not_staff_is_refused_before_the_values(bad: dict[str, Any]) -> None:
    contact = factories.make_contact()
    with pytest.raises(NotAllowed):
        _classify_with(contact.id, actor_of(contact.resident), **bad)


@pytest.mark.parametrize("bad", BAD_CLASSIFICATION)
def test_classify_contact_not_there_answers_before_the_values(bad: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        _classify_with(999_999, **bad)


@pytest.mark.parametrize("bad", BAD_CLASSIFICATION)
def test_classify_contact_already_a_complaint_answers_before_the_values(bad: dict[str, Any]) -> None:
    complaint = factories.make_complaint()
    with pytest.raises(Conflict) as caught:
        _classify_with(complaint.contact_id, **bad)
    assert caught.value.code == "already_complaint"


@pytest.mark.parametrize("bad", BAD_CLASSIFICATION)
def test_classify_contact_merged_answers_before_the_values(bad: dict[str, Any]) -> None:
    complaint = factories.make_complaint()
    contact = factories.make_contact(complaint.resident)
    intake.merge_contact(staff(), contact.id, complaint.id, "Same leak")
    with pytest.raises(Conflict) as caught:
        _classify_with(contact.id, **bad)
    assert caught.value.code == "merged"


def test_classify_contact_lists_every_bad_value_at_once() -> None:
    contact = factories.make_contact()
    with pytest.raises(Invalid) as caught:
        intake.classify_contact(staff(), contact.id, "gossip", " ", service_area_id=999_999, nation="atlantis")
    found = {(p.field, p.code) for p in caught.value.problems}
    assert found == {
        ("kind", "unsupported"),
        ("reason", "required"),
        ("nation", "unsupported"),
        ("service_area", "not_found"),
    }
    assert Contact.get_by_id(contact.id).kind is None


def test_classify_contact_a_complaint_opened_meanwhile_is_a_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    contact = factories.make_contact()
    actor = staff()
    checked = intake._require_classifiable

    def and_meanwhile(row: Contact) -> None:
        checked(row)
        monkeypatch.setattr(intake, "_require_classifiable", checked)
        intake.classify_contact(staff(), contact.id, "complaint", "Someone else got there first.")

    monkeypatch.setattr(intake, "_require_classifiable", and_meanwhile)
    with pytest.raises(Conflict) as caught:
        intake.classify_contact(actor, contact.id, "complaint", "Unhappy.")
    assert caught.value.code == "already_complaint"
    assert Complaint.select().where(Complaint.contact == contact.id).count() == 1
