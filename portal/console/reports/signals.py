"""The board report's signals in the console: /console/reports/signals?period=… lists the monthly counts by service
area, and managers import them from a CSV file at /console/reports/signals/import.

An import is all the rows or none of them: a file with problems lists each one with its row, and saves nothing.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired

from backend.errors import Invalid
from backend.reports.periods import parse_period, year_of
from backend.reports.signals import MAX_CHARACTERS, MAX_SOURCE, can_import_signals
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from portal.security import current_actor
from schema.error_texts import message_for

KIND_NAMES = {
    "disrepair": _l("Disrepair claims"),
    "damp_mould": _l("Damp and mould cases"),
    "insurance": _l("Insurance claims"),
}


class SignalsImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "UTF-8 CSV. The first row names the columns month, service_area, kind and count; each row after it is "
            "one month's count, for example 2026-04,Repairs,damp_mould,12. The kind is disrepair, damp_mould or "
            "insurance."
        ),
        validators=[FileRequired(_l("Choose the CSV file to import."))],
    )
    source = StringField(
        _l("Where the figures came from"),
        description=_l("For example: Legal team disrepair log, exported 3 May 2026."),
        validators=[DataRequired(_l("Say where the figures came from.")), limit(MAX_SOURCE)],
    )


@bp.route("/reports/signals")
@roles_required(*STAFF)
def signals() -> Any:
    code = (request.args.get("period") or "").strip()[:40] or year_of(local_date()).code
    problem = None
    try:
        parse_period(code)
    except Invalid as error:
        problem = message_for(error, _)
    found = None if problem else operations.run("ConsoleSignals", {"period": code})["signals"]
    return render_template(
        "console/reports/signals.html",
        code=code,
        problem=problem,
        found=found,
        kind_names=KIND_NAMES,
        may_import=can_import_signals(current_actor()),
    ), 400 if problem else 200


def _read(form: SignalsImportForm) -> str | None:
    """The file's text, or None (with an error on the form) when it is too large or not UTF-8 text."""
    raw = form.file.data.read(MAX_CHARACTERS * 4 + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors = [_("The file must be CSV text saved as UTF-8.")]
        return None
    if len(text) > MAX_CHARACTERS:
        form.file.errors = [
            _(
                "The file is too large: at most %(maximum)s characters. Import fewer months at a time.",
                maximum=MAX_CHARACTERS,
            )
        ]
        return None
    return text


@bp.route("/reports/signals/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def signals_import() -> Any:
    """Import signal counts from a CSV file: all the rows, or none of them."""
    if not can_import_signals(current_actor()):
        abort(403)
    form = SignalsImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        text = _read(form)
        if text is not None:
            variables = {"input": {"csv": text, "source": form.source.data}}
            result = operations.run_mutation("ConsoleSignalsImport", variables)
            if result.problem is None:
                imported = result.data
                flash(
                    _(
                        "Imported: %(created)s new figures, %(replaced)s replaced and %(unchanged)s unchanged.",
                        created=imported["created"],
                        replaced=imported["replaced"],
                        unchanged=imported["unchanged"],
                    ),
                    "success",
                )
                return redirect(url_for("console.signals"))
            rows = [each for each in result.problem.get("problems") or [] if each["field"].startswith("csv[")]
            problems = [each["message"] for each in rows]
            others = [each for each in result.problem.get("problems") or [result.problem] if each not in rows]
            if others:
                show_problem(form, {**result.problem, "problems": others}, {"csv": "file"})
    return render_template(
        "console/reports/signals_import.html", form=form, problems=problems
    ), 400 if form.is_submitted() else 200
