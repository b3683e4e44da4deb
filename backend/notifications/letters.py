"""Letters to post, laid out for printing: a page staff print from the browser, and a PDF.

Each letter has the landlord's name and address, the recipient's address, the date and reference, the
subject, the wording, the substance the system wrote (tables for the points of a complaint), the call to
action, and "Enclosed: …" with the stage's leaflet appended to the PDF. The PDF uses DejaVu Sans (bundled
in ``fonts/`` with its licence) and HarfBuzz shaping, so Welsh (ŵ, ŷ) and Arabic (joined, right to left)
print as they should.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date

from backend.accounts.models import User
from backend.complaints.leaflets import leaflet_bytes, leaflet_for
from backend.complaints.models import Complaint, StageLeaflet
from backend.config import current, formatting_locale, text_direction
from backend.context import Actor
from backend.errors import NotAllowed, NotFound
from backend.i18n import N_, translations
from backend.notifications.blocks import Block, Section, blocks_text
from backend.notifications.catalogue import Recipient, recipient_id
from backend.notifications.compose import action_for, action_text, details_for, split_details
from backend.notifications.models import Letter
from backend.notifications.people import person_reader
from backend.timeutil import local_date

FONTS = Path(__file__).resolve().parent / "fonts"
DATE, REFERENCE, ENCLOSED = N_("Date"), N_("Our reference"), N_("Enclosed: %(title)s")
# fpdf2 names scripts by their ISO 15924 code; languages written in Arabic script need the Arabic shaper.
SCRIPTS = {"ar": "arab", "ur": "arab", "bn": "beng"}


@dataclass(frozen=True)
class LetterDocument:
    """Everything a printed letter shows, in the letter's language."""

    id: int
    locale: str
    direction: str
    sender_name: str
    sender_address: tuple[str, ...]
    recipient_address: tuple[str, ...]
    date_label: str
    date: str
    reference_label: str
    reference: str
    subject: str
    paragraphs: tuple[str, ...]
    details: tuple[Block, ...]
    action: tuple[str, ...]
    enclosure: str
    leaflet_id: int | None


def letter_for_staff(actor: Actor, letter_id: int) -> Letter:
    """A letter, for staff to print. Raises NotAllowed for anyone else, NotFound when there is none."""
    if not actor.is_staff:
        raise NotAllowed("letter.read")
    letter = Letter.get_or_none(Letter.id == letter_id)
    if letter is None:
        raise NotFound("letter", letter_id)
    return letter


def letter_document(letter: Letter) -> LetterDocument:
    """Lay out a stored letter: its wording, with the substance as tables when it can be rebuilt as stored."""
    gettext = translations(letter.locale).gettext
    settings = current()
    event = letter.event
    payload: dict[str, Any] = dict(event.payload) if event is not None else {}
    body, action = letter.body, ""
    details: tuple[Block, ...] = ()
    recipient = _recipient(letter, event.name, payload) if event is not None else None
    if recipient is not None:
        if isinstance(recipient.reader, User):
            action = action_text(action_for(recipient.event, recipient), "letter", reveal=False)
        # Someone without an account has no call to action: its links open pages that need an account.
        if action and body.endswith(action):
            body = body[: len(body) - len(action)].rstrip()
        else:
            action = ""
        part = split_details(body, details_for(recipient.event, recipient), "letter")
        body, details = part.body, part.details
    complaint = Complaint.get_or_none(Complaint.id == payload.get("complaint_id")) if payload else None
    leaflet = leaflet_for(complaint.id, payload.get("stage")) if complaint is not None else None
    written_on = local_date(letter.created_at)
    return LetterDocument(
        id=letter.id,
        locale=letter.locale,
        direction=text_direction(letter.locale),
        sender_name=settings.landlord_name,
        sender_address=settings.landlord_address,
        recipient_address=tuple(line for line in letter.address.splitlines() if line.strip()),
        date_label=gettext(DATE),
        date=format_date(written_on, format="long", locale=formatting_locale(letter.locale)),
        reference_label=gettext(REFERENCE),
        reference=complaint.reference if complaint is not None else str(payload.get("reference", "")),
        subject=letter.subject,
        paragraphs=tuple(p for p in body.split("\n\n") if p.strip()),
        details=details,
        action=tuple(line for line in action.splitlines() if line.strip()),
        enclosure=gettext(ENCLOSED) % {"title": leaflet.title} if leaflet is not None else "",
        leaflet_id=leaflet.id if leaflet is not None else None,
    )


def _recipient(letter: Letter, event_name: str, payload: dict[str, Any]) -> Recipient | None:
    """Who the letter is for, as its wording was composed: an account holder (and whom the event is
    about), or someone without an account from the details recorded with their contact. None when they
    are no longer there: the stored text is then printed as it is."""
    if letter.user_id is not None:  # type: ignore[attr-defined]
        reader = User.get_or_none(User.id == letter.user_id)  # type: ignore[attr-defined]
        if reader is None:
            return None
        subject_user = User.get_or_none(User.id == recipient_id(payload)) or reader
        return Recipient(event_name, payload, subject_user, reader, "letter", letter.locale)
    person = person_reader(letter.person_id)  # type: ignore[attr-defined]
    if person is None:
        return None
    return Recipient(event_name, payload, person, person, "letter", letter.locale)


def letter_text(document: LetterDocument) -> str:
    """The whole letter as text, in reading order (what the PDF and the printable page show)."""
    head = [document.sender_name, *document.sender_address, "", *document.recipient_address, ""]
    head += [f"{document.date_label}: {document.date}"]
    if document.reference:
        head.append(f"{document.reference_label}: {document.reference}")
    chunks = ["\n".join(head), document.subject, *document.paragraphs, blocks_text(document.details, "letter")]
    chunks += ["\n".join(document.action), document.enclosure]
    return "\n\n".join(chunk for chunk in chunks if chunk)


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # slow to import, and only the glyph check reads the font

    with TTFont(str(FONTS / "DejaVuSans.ttf"), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_characters(text: str) -> set[str]:
    """The characters of ``text`` the letter font has no glyph for (they would print as empty boxes)."""
    covered = _font_characters()
    return {character for character in text if not character.isspace() and ord(character) not in covered}


def letter_pdf(document: LetterDocument) -> bytes:
    """The letter as a PDF (A4), with the stage's leaflet appended when there is one."""
    from fpdf import FPDF  # a second to import: only printing a letter loads it

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("letter", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("letter", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_lang(document.locale)
    pdf.set_title(document.subject)
    pdf.set_creator(document.sender_name)
    rtl = document.direction == "rtl"
    pdf.set_text_shaping(
        use_shaping_engine=True,
        direction=document.direction,
        script=SCRIPTS.get(document.locale),
        language=document.locale,
    )
    start, end = ("R", "L") if rtl else ("L", "R")
    pdf.add_page()
    writer = _PdfWriter(pdf, start, document)
    # Postal addresses are written left to right whatever the letter's language, as Royal Mail reads them.
    writer.lines([document.sender_name, *document.sender_address], align=end, bold_first=True, ltr=True)
    pdf.ln(6)
    writer.lines(list(document.recipient_address), align=start, ltr=True)
    pdf.ln(6)
    meta = [f"{document.date_label}: {document.date}"]
    if document.reference:
        meta.append(f"{document.reference_label}: {document.reference}")
    writer.lines(meta, align=start)
    pdf.ln(4)
    writer.paragraph(document.subject, bold=True, size=13)
    for paragraph in document.paragraphs:
        writer.paragraph(paragraph)
    for block in document.details:
        writer.block(block, rtl)
    if document.action:
        writer.lines(list(document.action), align=start)
    if document.enclosure:
        pdf.ln(4)
        writer.paragraph(document.enclosure, bold=True)
    data = bytes(pdf.output())
    return _with_leaflet(data, document.leaflet_id)


class _PdfWriter:
    def __init__(self, pdf: Any, start: str, document: LetterDocument):
        self.pdf, self.start, self.document = pdf, start, document

    def lines(self, lines: list[str], align: str, bold_first: bool = False, ltr: bool = False) -> None:
        if ltr:
            self.pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
        for number, line in enumerate(lines):
            self.pdf.set_font("letter", "B" if bold_first and number == 0 else "", 10)
            self.pdf.multi_cell(0, 5, line, align=align, new_x="LMARGIN", new_y="NEXT")
        if ltr:
            document = self.document
            self.pdf.set_text_shaping(
                use_shaping_engine=True,
                direction=document.direction,
                script=SCRIPTS.get(document.locale),
                language=document.locale,
            )

    def paragraph(self, text: str, bold: bool = False, size: int = 11) -> None:
        self.pdf.set_font("letter", "B" if bold else "", size)
        for line in text.splitlines():
            self.pdf.multi_cell(0, 6, line, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)

    def block(self, block: Block, rtl: bool) -> None:
        if isinstance(block, Section):
            if block.heading:
                self.paragraph(block.heading, bold=True, size=12)
            for paragraph in block.paragraphs:
                self.paragraph(paragraph)
            return
        if not block.rows:
            return
        self.paragraph(block.caption, bold=True, size=12)
        self.pdf.set_font("letter", "", 10)
        order = (lambda cells: list(reversed(cells))) if rtl else list
        with self.pdf.table(text_align=self.start, line_height=5, headings_style=_bold()) as table:
            heading = table.row()
            for column in order(list(block.columns)):
                heading.cell(column)
            for cells in block.rows:
                row = table.row()
                for cell in order(list(cells)):
                    row.cell(cell)
        self.pdf.ln(4)


def _bold() -> Any:
    from fpdf.fonts import FontFace  # with FPDF, only when a letter is printed

    return FontFace(emphasis="BOLD")


def _with_leaflet(letter: bytes, leaflet_id: int | None) -> bytes:
    """The letter's pages followed by the leaflet's; the letter alone when the leaflet can't be read."""
    leaflet = StageLeaflet.get_or_none(StageLeaflet.id == leaflet_id) if leaflet_id is not None else None
    enclosed = leaflet_bytes(leaflet) if leaflet is not None else None
    if not enclosed:
        return letter
    from pypdf import PdfReader, PdfWriter  # half a second to import: only a letter with a leaflet needs it

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(letter)))
    writer.append(PdfReader(io.BytesIO(enclosed)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
