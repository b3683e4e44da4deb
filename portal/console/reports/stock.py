"""The relevant homes at each year's end in the console: staff read the list; managers enter or correct a year's
homes for a nation and tenure, import a CSV of them, and remove an entry made in error."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from backend.reports.stock import MAX_HOMES, MAX_IMPORT_CHARS, MAX_SOURCE
from backend.timeutil import local_date
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.forms import show_problem
from portal.operations import MutationResult

MANAGERS = ("manager", "admin")
NATION_CHOICES = (
    SelectChoice("england", _l("England")),
    SelectChoice("wales", _l("Wales")),
    SelectChoice("scotland", _l("Scotland")),
    SelectChoice("northern_ireland", _l("Northern Ireland")),
)
TENURE_CHOICES = (
    SelectChoice("rented", _l("Low-cost rental")),
    SelectChoice("shared_ownership", _l("Low-cost home ownership")),
)


class StockForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        description=_l("The regulator's year by its first calendar year: 2025 for 2025/26, ending 31 March 2026."),
        validators=[
            InputRequired(_l("Give the year, by its first calendar year: 2025 for 2025/26.")),
            NumberRange(2000, 2100, _l("Give a year from %(min)s to %(max)s.")),
        ],
    )
    nation = SelectField(_l("Nation"), choices=NATION_CHOICES)
    tenure = SelectField(_l("Tenure"), choices=TENURE_CHOICES)
    homes = IntegerField(
        _l("Relevant homes owned on 31 March"),
        validators=[
            InputRequired(_l("Give the number of homes.")),
            NumberRange(0, MAX_HOMES, _l("Give a number of homes from %(min)s to %(max)s.")),
        ],
    )
    source = StringField(
        _l("Source"),
        description=_l("Where the number comes from, for example the statistical data return for the year."),
        validators=[InputRequired(_l("Say where the number comes from.")), limit(MAX_SOURCE)],
    )


class StockImportForm(FlaskForm):
    file = FileField(
        _l("A CSV file"),
        description=_l(
            "The first row names the columns year, nation, tenure, homes and source; then one row for each year, "
            "nation and tenure. Nothing is entered unless every row is right."
        ),
    )
    text = TextAreaField(
        _l("Or paste the rows"), validators=[Optional(), limit(MAX_IMPORT_CHARS)], render_kw={"spellcheck": "false"}
    )


def _entries() -> list[dict[str, Any]]:
    return list(exports.pages("ConsoleStockCounts", {"first": 100}, "stockCounts"))


def _page(form: StockForm, import_form: StockImportForm, status: int = 200) -> Any:
    return render_template(
        "console/reports/stock.html",
        entries=_entries(),
        form=form,
        import_form=import_form,
        nations={choice.value: choice.label for choice in NATION_CHOICES},
        tenures={choice.value: choice.label for choice in TENURE_CHOICES},
    ), status


@bp.route("/reports/stock")
@roles_required(*STAFF)
def report_stock() -> Any:
    """Every year's homes by nation and tenure, newest first, with the forms to enter and import them."""
    form = StockForm(data={"year": local_date().year - 1 if local_date().month < 4 else local_date().year})
    return _page(form, StockImportForm())


@bp.route("/reports/stock", methods=["POST"])
@roles_required(*MANAGERS)
def report_stock_record() -> Any:
    form = StockForm()
    if form.validate_on_submit():
        entry = {name: getattr(form, name).data for name in ("year", "nation", "tenure", "homes", "source")}
        result = operations.run_mutation("ConsoleStockCountRecord", {"input": entry})
        if result.problem is None:
            flash(_("The homes are entered."), "success")
            return redirect(url_for("console.report_stock"))
        show_problem(form, result.problem)
    return _page(form, StockImportForm(formdata=None), 400)


@bp.route("/reports/stock/import", methods=["POST"])
@roles_required(*MANAGERS)
def report_stock_import() -> Any:
    import_form = StockImportForm()
    if import_form.validate_on_submit():
        text = import_form.text.data or ""
        upload = request.files.get("file")
        if upload and upload.filename:
            raw = upload.read(MAX_IMPORT_CHARS * 4 + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                import_form.file.errors = [_("Save the file as CSV in UTF-8 and try again.")]
                return _page(StockForm(formdata=None), import_form, 400)
            import_form.text.data = text[:MAX_IMPORT_CHARS]
        result: MutationResult = operations.run_mutation("ConsoleStockCountsImport", {"input": {"csv": text}})
        if result.problem is None:
            count = len(result.data["stockCounts"])
            flash(ngettext("%(num)s row of homes is entered.", "%(num)s rows of homes are entered.", count), "success")
            return redirect(url_for("console.report_stock"))
        _show_import_problem(import_form, result.problem)
    return _page(StockForm(formdata=None), import_form, 400)


def _show_import_problem(form: StockImportForm, problem: dict[str, Any]) -> None:
    """Each problem of an import, with the row of the file it is on."""
    messages = []
    for each in problem.get("problems") or [problem]:
        field = each.get("field") or ""
        message = each.get("message") or _("Check this value and try again.")
        if field.startswith("row["):
            row = field[4:].split("]", 1)[0]
            messages.append(_("Row %(row)s: %(message)s", row=row, message=message))
        else:
            messages.append(message)
    form.text.errors = messages


@bp.route("/reports/stock/<int:stock_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def report_stock_delete(stock_id: int) -> Any:
    result = operations.run_mutation("ConsoleStockCountDelete", {"input": {"id": str(stock_id)}})
    if result.problem is None:
        flash(_("The entry is removed."), "success")
    else:
        flash(result.problem.get("message") or _("The entry could not be removed."), "error")
    return redirect(url_for("console.report_stock"))
