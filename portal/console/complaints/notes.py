"""The two ways staff add to a case, kept clearly apart: the resident's own words (the resident sees them, as
words staff wrote down for them) and an internal note (staff only: never on any page the resident, their
advocate or a panel sees).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from flask import Response, abort, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, TextAreaField
from wtforms.validators import DataRequired

from backend.attachments import names
from backend.complaints import notes
from backend.errors import NotFound
from portal.complaints import labels as case_labels
from portal.console.blueprint import bp
from portal.console.complaints.forms import ACCEPT, choices, limit
from portal.security import current_actor

MAX_BODY = 20_000


class ResidentWordsForm(FlaskForm):
    body = TextAreaField(
        _l("What the resident told us, in their words"),
        description=_l(
            "For example on the phone or in person. The resident will see this on their case, "
            "as their words written down by our staff."
        ),
        validators=[DataRequired(_l("Write down what the resident told us.")), limit(MAX_BODY)],
    )
    attachments = MultipleFileField(
        _l("Files the resident gave us (optional)"),
        description=_l("The resident will see these too."),
        render_kw={"accept": ACCEPT},
    )


class NoteForm(FlaskForm):
    kind = RadioField(
        _l("Kind of note"),
        choices=choices(case_labels.NOTE_KINDS),
        validators=[DataRequired(_l("Choose what kind of note this is."))],
    )
    body = TextAreaField(
        _l("Note"),
        description=_l("Only staff can see this. A note cannot be changed later: add another note to correct it."),
        validators=[DataRequired(_l("Write the note.")), limit(MAX_BODY)],
    )
    attachments = MultipleFileField(
        _l("Files (optional)"),
        description=_l("For example letters from other parties or investigation documents. Only staff can open them."),
        render_kw={"accept": ACCEPT},
    )


def uploaded(form: Any) -> list[Any]:
    """The files chosen in the form's file field (none when nothing was chosen)."""
    return [f for f in request.files.getlist(form.attachments.name) if f.filename]


def words_variables(form: Any, case: dict[str, Any], facts: Any) -> dict[str, Any]:
    return {"body": form.body.data, "attachments": uploaded(form)}


def note_variables(form: Any, case: dict[str, Any], facts: Any) -> dict[str, Any]:
    return {"kind": form.kind.data, "body": form.body.data, "attachments": uploaded(form)}


@bp.route("/notes/files/<int:file_id>")
@login_required
def note_file(file_id: int) -> Any:
    """Send a note's file to staff. Anyone else gets the same 404 as for a file that does not exist."""
    try:
        row, stream = notes.open_note_file(current_actor(), file_id)
    except NotFound:
        abort(404)
    kind = names.kind_for_media_type(row.media_type)
    name = names.file_name(row.file_name, kind)
    response = Response(_chunks(stream), mimetype=kind.media_type if kind else "application/octet-stream")
    response.direct_passthrough = True
    response.headers["Content-Length"] = str(row.size)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _chunks(stream: Any) -> Iterator[bytes]:
    try:
        while chunk := stream.read(64 * 1024):
            yield chunk
    finally:
        stream.close()
