"""Build a subject access export: a zip of everything held about one person, with other people's data taken out.

The zip holds ``data/<kind>.json`` (one file per kind of record, machine-readable), ``files/`` (the files the
person gave with their contacts, byte for byte), ``manifest.json`` (every file's size and SHA-256) and
``index.html`` (a readable page in the person's language that lists every record). Which rows go in is decided per
column in ``backend.privacy.coverage``; this module finds the rows, the records under them, and redacts.

Article 15(4): the copy must not adversely affect the rights of others. Free text (what the person wrote, staff
notes, messages, answers) is passed through :class:`Redactor`, which replaces other people's names, email
addresses, phone numbers and street addresses, while the person's own details, staff's names (they act in a
professional capacity) and case references are kept as written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast

from markupsafe import Markup, escape
from peewee import CharField, ForeignKeyField, Model, TextField

from backend import models as all_models
from backend.accounts.models import Home, SecondFactor, User, UserRole
from backend.attachments.names import clean_name
from backend.audit.models import AuditEvent
from backend.complaints.files import storage as attachment_storage
from backend.complaints.models import Attachment, CaseMessage, CaseNote, Complaint, ComplaintStage, Contact
from backend.complaints.restricted import may_see_contact, record_reads
from backend.config import text_direction
from backend.context import STAFF_ROLES, Actor
from backend.db import JSONField
from backend.events.models import Delivery
from backend.i18n import N_, locale_for, translations
from backend.privacy import coverage
from backend.privacy.models import SubjectAccessRequest
from backend.redaction import EMAIL, PHONE, POSTCODE, Labels, Party, redact_narrative
from backend.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from backend.timeutil import utcnow

#: Columns never exported: secrets, keys that open something, and copies made for other readers.
SECRET_COLUMNS = frozenset(
    {
        "password_hash",
        "sign_in_nonce",
        "token_hash",
        "key_hash",
        "held_recovery_codes",
        "idempotency_key",
        "storage_key",
        "key",
        "invitation_key",
        "export_key",
        "third_parties",
        "summary",
    }
)
ANOTHER_PERSON = "[another person]"
LABELS = Labels(name=ANOTHER_PERSON)
#: Case and lesson references ("LL-2026-000042") are the person's own and are never mistaken for a number.
REFERENCE = r"\b[A-Z]{2,4}-\d{4}-\d{3,8}\b"
_MARK = re.compile("\ue000(\\d+)\ue001")
_CANDIDATE_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}\b")
_TITLE_WORDS = frozenset("mr mrs ms miss mx dr cllr prof rev sir".split())

KIND_TITLES = {
    coverage.PROFILE: N_("Your account and profile"),
    coverage.CONTACTS: N_("What you told us"),
    coverage.COMPLAINTS: N_("Your complaints"),
    coverage.ADVOCACY: N_("Acting for other people"),
    coverage.MESSAGES: N_("Messages we sent you"),
    coverage.SURVEYS: N_("Your survey answers"),
    coverage.COCREATION: N_("Votes, follows, comments and suggestions"),
    coverage.PANELS: N_("Scrutiny panels"),
    coverage.WORK: N_("Records about you as a member of staff"),
    coverage.REQUESTS: N_("Your requests for your data"),
    "audit": N_("Changes recorded about you"),
}
KINDS = tuple(KIND_TITLES)


class Text(str):
    """Free text found while gathering: redacted once every other person is known."""


@dataclass
class Gathered:
    """What the export holds before redaction: records by kind, and the files to copy in."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    files: list[Attachment] = field(default_factory=list)
    files_for_review: list[Attachment] = field(default_factory=list)
    #: Need-to-know cases left out because the actor compiling is not cleared for them: (contact id, reference).
    withheld: dict[int, str] = field(default_factory=dict)
    #: Need-to-know cases that are in the export (the actor is cleared, or it is the system).
    restricted: set[int] = field(default_factory=set)


#: Contact details found by pattern: taken out before anything is kept, unless they are exactly the person's own.
_CONTACT_DETAIL = re.compile(f"(?P<email>{EMAIL})|(?P<phone>{PHONE})|(?P<postcode>{POSTCODE})")
#: A kept phrase never starts or ends inside an email address, a user name or a hyphenated word.
_BEFORE = r"(?<![\w.@-])"
_AFTER = r"(?![\w@-]|\.\w)"
#: CharField columns that hold codes or checksums, never free text.
PLAIN_COLUMNS = frozenset({"sha256", "media_type", "reference", "locale", "family", "status", "kind", "channel"})


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _postcode(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


class Redactor:
    """Take other people's personal data out of free text, keeping the person's own, staff's names and references.

    First every email address, phone number and postcode is replaced unless it is exactly the person's own; then
    only whole phrases are kept (the person's full name, staff's full names, address lines), never a part of a
    longer word, address or user name; everything else goes through ``redact_narrative``.
    """

    def __init__(
        self,
        keep: Iterable[str],
        others: Iterable[str],
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
        postcodes: Iterable[str] = (),
    ):
        kept = sorted({word.strip() for word in keep if word and len(word.strip()) >= 3}, key=len, reverse=True)
        sources = [rf"{_BEFORE}{re.escape(word)}{_AFTER}" for word in kept] + [REFERENCE]
        self._keep = re.compile("|".join(sources), re.IGNORECASE)
        self._emails = {email.strip().lower() for email in emails if email and email.strip()}
        self._phones = {_digits(phone) for phone in phones if phone and len(_digits(phone)) >= 6}
        self._postcodes = {_postcode(code) for code in postcodes if code and code.strip()}
        self._parties = tuple(Party(role=ANOTHER_PERSON, names=(name,)) for name in sorted(set(others)) if name)

    def _own(self, match: re.Match[str]) -> bool:
        found = match.group()
        if match.lastgroup == "email":
            return found.lower() in self._emails
        if match.lastgroup == "phone":
            return _digits(found) in self._phones
        return _postcode(found) in self._postcodes

    def __call__(self, text: str) -> str:
        kept: list[str] = []

        def shield(found: str) -> str:
            kept.append(found)
            return f"\ue000{len(kept) - 1}\ue001"

        def detail(match: re.Match[str]) -> str:
            if self._own(match):
                return shield(match.group())
            return str(getattr(LABELS, match.lastgroup or "email"))

        shielded = _CONTACT_DETAIL.sub(detail, text)
        shielded = self._keep.sub(lambda match: shield(match.group()), shielded)
        redacted = redact_narrative(shielded, self._parties, LABELS)
        return _MARK.sub(lambda match: kept[int(match.group(1))], redacted)


def third_party_names(value: str) -> list[str]:
    """The names in a request's list of other people, one a line, blanks and repeats left out."""
    return list(dict.fromkeys(line.strip() for line in (value or "").splitlines() if line.strip()))


def _model(name: str) -> type[Model]:
    return getattr(all_models, name)  # type: ignore[no-any-return]


def staff_ids() -> set[int]:
    """Every account that holds a staff role."""
    return {row.user_id for row in UserRole.select(UserRole.user).where(UserRole.role.in_(STAFF_ROLES))}  # type: ignore[attr-defined]


class Rows:
    """Turns model rows into plain records: secrets left out, accounts named by who they are to the person."""

    def __init__(self, person: User):
        self.person = person
        self.staff = staff_ids()
        self._names: dict[int, str] = {}

    def account(self, user_id: int | None) -> Any:
        if user_id is None:
            return None
        if user_id == self.person.id:
            return self.person.display_name
        if user_id in self.staff:
            if user_id not in self._names:
                found = User.get_or_none(User.id == user_id)
                self._names[user_id] = found.display_name if found is not None else ANOTHER_PERSON
            return self._names[user_id]
        return ANOTHER_PERSON

    def record(self, row: Model, leave_out: Iterable[str] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {}
        skipped = set(leave_out)
        for column in type(row)._meta.sorted_fields:  # type: ignore[attr-defined]
            name = column.name
            if name in SECRET_COLUMNS or name in skipped or name.endswith(("_redacted", "_hash")):
                continue
            value = row.__data__.get(name)
            if isinstance(column, ForeignKeyField) and column.rel_model is User:
                out[name] = self.account(value)
            elif isinstance(column, JSONField):
                out[name] = _texts_in(value)
            elif isinstance(value, str) and _free_text(column):
                out[name] = Text(value)
            else:
                out[name] = _plain(value)
        return out


def _free_text(column: Any) -> bool:
    """Whether a column holds free text to redact: every TextField, and CharFields that are not codes."""
    if isinstance(column, TextField):
        return True
    return isinstance(column, CharField) and not column.choices and column.name not in PLAIN_COLUMNS


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _texts_in(value: Any) -> Any:
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, list):
        return [_texts_in(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _texts_in(item) for key, item in value.items()}
    return _plain(value)


def gather(person: User, actor: Actor) -> Gathered:
    """Find every record about ``person`` (see ``backend.privacy.coverage``), unredacted.

    Need-to-know cases (``backend.complaints.restricted``) the ``actor`` may not see are left out, contact and
    complaint alike, and listed by reference in ``Gathered.withheld``: only a cleared handler can add them.
    """
    rows = Rows(person)
    found = Gathered()
    profile = rows.record(person)
    home = Home.get_or_none(Home.id == person.home_id) if person.home_id else None  # type: ignore[attr-defined]
    profile["home"] = rows.record(home, leave_out=("landlord",)) if home is not None else None
    profile["second_factor_set_up"] = SecondFactor.select().where(SecondFactor.user == person.id).exists()
    found.records[coverage.PROFILE].append({"account": profile})
    for column_name, kind in coverage.INCLUDED.items():
        model_name, column = column_name.split(".")
        model = _model(model_name)
        query = model.select().where(getattr(model, column) == person.id).order_by(model._meta.primary_key)  # type: ignore[attr-defined]
        for row in query:
            if not _visible(actor, found, row, column_name):
                continue
            found.records[kind].append({"record": model_name, **_record(rows, found, row, column_name, person)})
    found.records[coverage.MESSAGES] += [
        {"record": "Delivery", **rows.record(row, leave_out=("event", "lease_until", "provider_id", "last_error"))}
        for row in Delivery.select().where(Delivery.recipient_user_id == person.id).order_by(Delivery.id)
    ]
    found.records["audit"] = _audit(person)
    return found


def _visible(actor: Actor, found: Gathered, row: Model, column_name: str) -> bool:
    """Whether the row goes in: everything but a need-to-know case the actor is not cleared for."""
    if column_name == "Contact.representative_user":
        return True  # only the fact and the dates, never the case (which is the resident's)
    if isinstance(row, Contact):
        contact = row
    elif isinstance(row, Complaint):
        contact = Contact.get_by_id(row.contact_id)  # type: ignore[attr-defined]
    else:
        return True
    if contact.restricted_kind is None and may_see_contact(actor, contact):
        return True
    if not may_see_contact(actor, contact):
        found.withheld[contact.id] = contact.reference
        return False
    found.restricted.add(contact.id)
    return True


def _record(rows: Rows, found: Gathered, row: Model, column_name: str, person: User) -> dict[str, Any]:
    if column_name == "Contact.representative_user":
        # A contact made for someone else is that person's case: only the fact that the person acted, and when.
        keep = ("id", "reference", "channel", "received_at", "kind", "status")
        return {name: _plain(row.__data__.get(name)) for name in keep}
    record = rows.record(row)
    if isinstance(row, Contact):
        record["messages"] = [
            rows.record(message, leave_out=("contact",))
            for message in CaseMessage.select().where(CaseMessage.contact == row.id).order_by(CaseMessage.id)
        ]
        record["files"] = []
        for attachment in Attachment.select().where(Attachment.contact == row.id).order_by(Attachment.id):
            theirs = attachment.uploaded_by_id in (None, person.id)  # type: ignore[attr-defined]
            (found.files if theirs else found.files_for_review).append(attachment)
            # A file's name may name someone else ("Brennan noise.mp3"): it is redacted like any text.
            described = {**rows.record(attachment), "file_name": Text(attachment.file_name)}
            record["files"].append({**described, "in_this_export": theirs})
    elif isinstance(row, Complaint):
        record["stages"] = [
            rows.record(stage, leave_out=("complaint",))
            for stage in ComplaintStage.select()
            .where(ComplaintStage.complaint == row.id)
            .order_by(ComplaintStage.number)
        ]
        # Staff notes about the person's complaint are their personal data too; other people in them are redacted.
        record["staff_notes"] = [
            rows.record(note, leave_out=("complaint",))
            for note in CaseNote.select().where(CaseNote.complaint == row.id).order_by(CaseNote.id)
        ]
    elif isinstance(row, SurveyResponse):
        record["answers"] = [
            {"question": Text(answer.question.text), **rows.record(answer, leave_out=("response", "question"))}
            for answer in SurveyAnswer.select(SurveyAnswer, SurveyQuestion)
            .join(SurveyQuestion)
            .where(SurveyAnswer.response == row.id)
            .order_by(SurveyQuestion.position, SurveyAnswer.id)
        ]
    return record


def _audit(person: User) -> list[dict[str, Any]]:
    """Audit entries about the person's account (with what changed), and what they did (without: those changes are
    about other people's records)."""
    out: list[dict[str, Any]] = []
    about = (AuditEvent.entity_type == "user") & (AuditEvent.entity_id == str(person.id))
    for event in AuditEvent.select().where(about | (AuditEvent.actor_user_id == person.id)).order_by(AuditEvent.id):
        entry = {
            "occurred_at": _plain(event.occurred_at),
            "action": event.action,
            "record": event.entity_type,
            "record_id": event.entity_id,
            "by_you": event.actor_user_id == person.id,
        }
        if event.entity_type == "user" and event.entity_id == str(person.id):
            entry["changes"] = _texts_in(event.changes)
        out.append(entry)
    return out


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def other_accounts_named(texts: Iterable[str], person: User, staff: set[int]) -> list[str]:
    """Names of other residents' accounts that appear in ``texts`` (two or three capitalised words in a row)."""
    candidates: set[str] = set()
    for text in texts:
        for match in _CANDIDATE_NAME.finditer(text):
            words = match.group().split()
            while words and words[0].lower().rstrip(".") in _TITLE_WORDS:
                words.pop(0)
            for size in (2, 3):
                candidates.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    names: set[str] = set()
    found = sorted(candidates)
    for start in range(0, len(found), 500):
        for user in User.select(User.id, User.display_name).where(User.display_name.in_(found[start : start + 500])):
            if user.id != person.id and user.id not in staff:
                names.add(user.display_name)
    return sorted(names)


def redactor_for(person: User, extra_names: Iterable[str], texts: Iterable[str]) -> Redactor:
    """The redactor of one person's export: their own details and staff's names kept, everyone else's taken out.

    Only the person's whole name is kept, never one word of it: "Smith" alone may be a neighbour of the same name.
    """
    staff = staff_ids()
    home = Home.get_or_none(Home.id == person.home_id) if person.home_id else None  # type: ignore[attr-defined]
    own = [person.display_name]
    postcodes: list[str] = []
    if home is not None:
        own += [part.strip() for part in home.address.replace("\n", ",").split(",")]
        postcodes.append(home.postcode)
    staff_names = [user.display_name for user in User.select(User.display_name).where(User.id.in_(list(staff)))]
    others = [*extra_names, *other_accounts_named(texts, person, staff)]
    return Redactor(
        keep=[*own, *staff_names],
        others=others,
        emails=[person.email or ""],
        phones=[person.phone or ""],
        postcodes=postcodes,
    )


def redact(value: Any, redactor: Redactor) -> Any:
    """Return ``value`` with every gathered text redacted (plain JSON values as they are)."""
    if isinstance(value, Text):
        return redactor(str(value))
    if isinstance(value, list):
        return [redact(item, redactor) for item in value]
    if isinstance(value, dict):
        return {key: redact(item, redactor) for key, item in value.items()}
    return value


#: Exports larger than this are spooled to a temporary file rather than held in memory while they are built.
SPOOL_BYTES = 16 * 1024 * 1024


def build_export(person: User, request: SubjectAccessRequest, actor: Actor) -> tuple[BinaryIO, str]:
    """Return the zip of everything held about ``person`` that ``actor`` may see, rewound, and its summary (JSON:
    counts by kind, the need-to-know cases in it by id, and those left out by reference).

    Reading a need-to-know case into the export is logged as a read of it (``via="subject_access"``).
    """
    found = gather(person, actor)
    texts = [text for records in found.records.values() for text in _strings(records)]
    redactor = redactor_for(person, third_party_names(request.third_parties), texts)
    records = {kind: redact(items, redactor) for kind, items in found.records.items()}
    locale = locale_for(person.locale)
    storage = attachment_storage()
    buffer = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES))  # the caller closes it
    manifest: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(f"data/{kind}.json", json.dumps(records[kind], ensure_ascii=False, indent=2))
        for attachment in found.files:
            name = f"files/{attachment.id}-{clean_name(redactor(attachment.file_name)) or 'file'}"
            with storage.open(attachment.storage_key) as stream, archive.open(name, "w") as target:
                shutil.copyfileobj(stream, target)
            manifest.append({"path": name, "size": attachment.size, "sha256": attachment.sha256})
        archive.writestr("manifest.json", json.dumps({"files": manifest}, ensure_ascii=False, indent=2))
        archive.writestr("index.html", render_index(person, records, manifest, locale))
    buffer.seek(0)
    if found.restricted and actor.user_id is not None:
        record_reads(actor.user_id, None, found.restricted, via="subject_access")
    summary = {
        "kinds": {kind: len(records[kind]) for kind in KINDS},
        "files": len(found.files),
        "files_for_review": [
            {"id": attachment.id, "file_name": attachment.file_name, "contact_id": attachment.contact_id}  # type: ignore[attr-defined]
            for attachment in found.files_for_review
        ],
        "restricted_cases": len(found.restricted),
        "restricted_contact_ids": sorted(found.restricted),
        "withheld_cases": [found.withheld[contact_id] for contact_id in sorted(found.withheld)],
        "compiled_at": utcnow().isoformat(),
    }
    return buffer, json.dumps(summary)


def _text(value: Any) -> str:
    return str(escape(value))


def render_index(person: User, records: dict[str, list[Any]], files: list[dict[str, Any]], locale: str) -> str:
    """The readable copy: every record, kind by kind, in the person's language (field names as in the JSON)."""
    gettext = translations(locale).gettext
    title = gettext("The personal data we hold about you")
    # Each text is looked up on its own line, where the message extractor finds it, and escaped to a plain str:
    # a str joined to markupsafe's Markup would be escaped itself.
    greeting = gettext("This is a copy of the records we hold about you, %(name)s.") % {"name": person.display_name}
    explanation = gettext(
        "Where a record names other people, their names and contact details are replaced by "
        "[another person] or a label such as [phone number], to protect their privacy. The same records are "
        "in the data folder as JSON files, one for each kind, for use in other software."
    )
    contents = gettext("Contents")
    parts = [
        f'<!doctype html><html lang="{_text(locale)}" dir="{text_direction(locale)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title></head><body><main>",
        f"<h1>{_text(title)}</h1>",
        f"<p>{_text(greeting)}</p>",
        f"<p>{_text(explanation)}</p>",
        f'<nav aria-labelledby="contents"><h2 id="contents">{_text(contents)}</h2><ul>',
    ]
    for kind in KINDS:
        parts.append(f'<li><a href="#{kind}">{escape(gettext(KIND_TITLES[kind]))}</a> ({len(records[kind])})</li>')
    parts.append(f'<li><a href="#files">{_text(gettext("Files you gave us"))}</a> ({len(files)})</li></ul></nav>')
    for kind in KINDS:
        parts.append(f'<section aria-labelledby="{kind}"><h2 id="{kind}">{escape(gettext(KIND_TITLES[kind]))}</h2>')
        if not records[kind]:
            nothing = gettext("We hold nothing of this kind about you.")
            parts.append(f"<p>{_text(nothing)}</p>")
        parts += [_html(record) for record in records[kind]]
        parts.append("</section>")
    files_title = gettext("Files you gave us")
    parts.append(f'<section aria-labelledby="files"><h2 id="files">{_text(files_title)}</h2><ul>')
    for entry in files:
        parts.append(
            f'<li><a href="{escape(entry["path"])}">{escape(entry["path"])}</a> (SHA-256 {entry["sha256"]})</li>'
        )
    parts.append("</ul></section></main></body></html>")
    return "".join(parts)


def _html(value: Any) -> Markup:
    if isinstance(value, dict):
        items = Markup("").join(
            Markup("<dt>{}</dt><dd>{}</dd>").format(str(key).replace("_", " "), _html(item))
            for key, item in value.items()
        )
        return Markup("<dl>{}</dl>").format(items)
    if isinstance(value, list):
        if not value:
            return Markup("—")
        return Markup("<ul>{}</ul>").format(Markup("").join(Markup("<li>{}</li>").format(_html(i)) for i in value))
    if value is None:
        return Markup("—")
    return escape(str(value))
