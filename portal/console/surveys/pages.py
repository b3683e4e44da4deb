"""Console pages for surveys: the list, the builder, a preview in any language, results, and CSV import."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from markupsafe import Markup
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from backend import config
from backend.config import LANGUAGE_NAMES
from backend.errors import DomainError
from backend.surveys import imports
from backend.surveys.models import RATINGS, TSM_FILTER, YES_PARTLY_NO
from backend.surveys.policies import can_manage_surveys
from backend.surveys.services import localised
from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.forms import add_error, show_problem
from portal.security import current_actor
from portal.surveys import YES_PARTLY_NO_LABELS, question_field
from schema.error_texts import message_for
from schema.surveys.tsm import LABELS as TSM_LABELS

KIND_NAMES = {
    "rating": _l("Rating from 1 to 5"),
    "yes_partly_no": _l("Yes, partly, no or don't know"),
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "text": _l("Free text"),
}
STATUS_NAMES = {"draft": _l("Draft"), "live": _l("Live"), "closed": _l("Closed")}
CHANNEL_NAMES = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "portal": _l("Portal"),
    "phone": _l("Phone"),
    "post": _l("Post"),
    "import": _l("Imported"),
}
RULE_EVENTS = {
    "complaint.closed": _l("A complaint was closed"),
    "change.implemented": _l("A change was made"),
    "feedback.received": _l("Feedback was received"),
}
MAX_IMPORT_BYTES = 1024 * 1024
DAYS = Regexp(r"^\s*\d{1,3}\s*$", message=_l("Enter a whole number from 0 to 365."))
# The input paths that the survey forms show under another name.
SURVEY_FIELDS = {"text": "text_en", "condition": "condition_question"}


class SurveyCreateForm(FlaskForm):
    title = StringField(
        _l("Title in English"),
        description=_l("Residents see this at the top of the survey."),
        validators=[DataRequired(_l("Enter the survey's title in English.")), Length(max=200)],
    )
    anonymous = RadioField(
        _l("Who answered"),
        choices=[
            SelectChoice("anonymous", _l("Anonymous: answers are not kept with the person's name")),
            SelectChoice("linked", _l("Linked: answers are kept with the person's account, to follow up")),
        ],
        default="anonymous",
        validators=[DataRequired(_l("Choose anonymous or linked."))],
    )
    expiry_days = StringField(
        _l("Days the link works"), description=_l("After the invitation is sent."), default="28", validators=[DAYS]
    )
    reminder_days = StringField(
        _l("Days before one reminder"), description=_l("0 means no reminder."), default="7", validators=[DAYS]
    )


class RuleForm(FlaskForm):
    event_name = SelectField(
        _l("Send the survey when"),
        choices=[SelectChoice(name, label) for name, label in RULE_EVENTS.items()],
        validators=[DataRequired(_l("Choose what should send the survey."))],
    )
    delay_amount = StringField(_l("How long after"), default="0", validators=[DAYS])
    delay_unit = RadioField(
        _l("Counted in"),
        choices=[
            SelectChoice("days", _l("Days")),
            SelectChoice("work_days", _l("Working days")),
            SelectChoice("weeks", _l("Weeks")),
        ],
        default="days",
        validators=[DataRequired(_l("Choose days or weeks."))],
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file to import.")),
            FileSize(MAX_IMPORT_BYTES, message=_l("The file must be smaller than 1 MB.")),
        ],
    )
    skip_bad_rows = BooleanField(
        _l("Import the rows without problems and skip the others"),
        description=_l(
            "Each skipped row is listed. Import only the corrected rows afterwards, or their good neighbours are "
            "counted twice."
        ),
    )


def tsm_code_choices() -> list[SelectChoice]:
    """No code, then each measure by its code and name, then the TP09 filter, in the viewer's language."""
    measures = [SelectChoice(code, f"{code.upper()}: {_(label)}") for code, label in TSM_LABELS.items()]
    return [
        SelectChoice("", _("None")),
        *measures,
        SelectChoice(TSM_FILTER, _("TP09_FILTER: made a complaint in the last 12 months (the filter for TP09)")),
    ]


def question_form_class(earlier: list[dict[str, Any]], with_kind: bool) -> type[FlaskForm]:
    """The add or edit question form: one text per enabled language, and a condition on an earlier question."""
    fields: dict[str, Any] = {}
    if with_kind:
        fields["kind"] = RadioField(
            _l("Kind of question"),
            choices=[SelectChoice(kind, label) for kind, label in KIND_NAMES.items()],
            default="rating",
            validators=[DataRequired(_l("Choose the kind of question."))],
        )
    fields["text_en"] = TextAreaField(
        _l("Question in English"), validators=[DataRequired(_l("Enter the question in English.")), Length(max=1000)]
    )
    for locale in config.current().enabled_locales:
        if locale != "en":
            label = _l("Question in %(language)s (optional)", language=LANGUAGE_NAMES.get(locale, locale))
            fields[f"text_{locale}"] = TextAreaField(label, validators=[Optional(), Length(max=1000)])
    fields["required"] = BooleanField(_l("An answer is required"))
    fields["tsm_code"] = SelectField(
        _l("Tenant satisfaction measure (optional)"),
        description=_l(
            "The regulator's measure this question asks, so that imports and the TP01 to TP12 report find it: "
            "TP01 to TP12 on a rating question, TP09_FILTER on the yes or no question “made a complaint in the last "
            "12 months”."
        ),
        choices=tsm_code_choices(),
        default="",
    )
    fields["options"] = TextAreaField(
        _l("Options (choice questions only)"), description=_l("One option per line, in English. Give 2 to 20.")
    )
    fields["condition_question"] = SelectField(
        _l("Only ask this when an earlier question…"),
        choices=[SelectChoice("", _l("Always ask this question"))]
        + [SelectChoice(str(q["id"]), f"{q['position']}. {localised(q['text'], 'en')}") for q in earlier],
        default="",
    )
    fields["condition_values"] = StringField(
        _l("…has one of these answers"),
        description=_l(
            "Separate answers with commas. A rating: numbers from 1 to 5. Yes or no: yes, partly, no or "
            "don't know. A choice question: the options as written."
        ),
        validators=[Length(max=500)],
    )
    return type("SurveyQuestionForm", (FlaskForm,), fields)


def _load(survey_id: int) -> dict[str, Any]:
    survey = operations.run("ConsoleSurvey", {"id": str(survey_id)})["survey"]
    if survey is None:
        abort(404)
    survey["questions"].sort(key=lambda q: (q["position"], int(q["id"])))
    return survey


def _locale() -> str:
    return str(get_locale() or "en")


@bp.route("/surveys", methods=["GET", "POST"])
@roles_required(*STAFF)
def surveys() -> Any:
    form = SurveyCreateForm()
    status = 200
    if request.method == "POST":
        if not can_manage_surveys(current_actor()):
            abort(403)
        if form.validate_on_submit():
            variables = {
                "title": [{"locale": "en", "text": form.title.data}],
                "anonymous": form.anonymous.data == "anonymous",
                "expiryDays": int(form.expiry_days.data),
                "reminderDays": int(form.reminder_days.data),
            }
            result = operations.run_mutation("ConsoleSurveyCreate", {"input": variables})
            if result.problem is None:
                flash(_("The survey has been created. Add its questions."), "success")
                return redirect(url_for("console.survey", survey_id=result.data["survey"]["id"]))
            show_problem(form, result.problem, SURVEY_FIELDS)
        status = 400
    listing = operations.run("ConsoleSurveys")["surveys"]["nodes"]
    return render_template(
        "console/surveys/index.html",
        form=form,
        surveys=listing,
        locale=_locale(),
        can_manage=can_manage_surveys(current_actor()),
        **_names(),
    ), status


def _texts(form: FlaskForm) -> list[dict[str, str]]:
    texts = [{"locale": "en", "text": form.text_en.data or ""}]
    for locale in config.current().enabled_locales:
        field = getattr(form, f"text_{locale}", None)
        if locale != "en" and field is not None:
            texts.append({"locale": locale, "text": field.data or ""})
    return texts


def _options(form: FlaskForm, kind: str, existing: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    lines = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
    if kind not in ("single", "multiple"):
        return None  # Only choice questions have options; anything typed here is ignored.
    # Keep an option's value and translations when its English wording is unchanged.
    known = {localised(o["label"], "en").lower(): o for o in existing}
    made = []
    for line in lines:
        old = known.get(line.lower())
        labels = {**(old["label"] if old else {}), "en": line}
        texts = [{"locale": locale, "text": text} for locale, text in labels.items()]
        made.append({"value": old["value"] if old else None, "label": texts})
    return made


def _condition(form: FlaskForm, earlier: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Turn the two condition fields into a condition, reading option labels as their values."""
    chosen = next((q for q in earlier if str(q["id"]) == form.condition_question.data), None)
    if chosen is None:
        return None
    words = [word.strip() for word in (form.condition_values.data or "").split(",") if word.strip()]
    labels = {localised(o["label"], "en").lower(): o["value"] for o in chosen["options"] or []}
    labels.update({"don't know": "dont_know", "dont know": "dont_know"})
    values = [labels.get(word.lower(), word.lower()) for word in words]
    return {"questionId": str(chosen["id"]), "values": values}


def _fill(form: FlaskForm, question: dict[str, Any], earlier: list[dict[str, Any]]) -> None:
    for locale, text in question["text"].items():
        field = getattr(form, f"text_{locale}", None)
        if field is not None:
            field.data = text
    form.required.data = question["required"]
    form.tsm_code.data = question.get("tsmCode") or ""
    form.options.data = "\n".join(localised(o["label"], "en") for o in question["options"] or [])
    condition = question["condition"] or {}
    form.condition_question.data = str(condition.get("question", ""))
    if "in" in condition:
        target = next((q for q in earlier if q["id"] == str(condition["question"])), None)
        names = {o["value"]: localised(o["label"], "en") for o in (target or {}).get("options") or []}
        form.condition_values.data = ", ".join(names.get(v, v) for v in condition["in"])
    elif condition:
        bound = condition.get("lte") or condition.get("gte")
        span = range(1, bound + 1) if "lte" in condition else range(bound, 6)
        form.condition_values.data = ", ".join(str(n) for n in span)


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def survey(survey_id: int) -> Any:
    """The builder: questions in order, the rules that send the survey, publish and close."""
    found = _load(survey_id)
    questions = found["questions"]
    form = question_form_class(questions, with_kind=True)(prefix="question")
    rule_form = RuleForm(prefix="rule")
    status = 200
    if request.method == "POST":
        if not can_manage_surveys(current_actor()):
            abort(403)
        if request.form.get("action") == "rule":
            form = question_form_class(questions, with_kind=True)(prefix="question", formdata=None)
            if _add_rule(survey_id, rule_form):
                return redirect(url_for("console.survey", survey_id=survey_id, _anchor="rules-heading"))
        else:
            rule_form = RuleForm(prefix="rule", formdata=None)
            if _add_question(survey_id, form, questions):
                return redirect(url_for("console.survey", survey_id=survey_id, _anchor="add-heading"))
        status = 400
    return render_template(
        "console/surveys/survey.html",
        survey=found,
        title=localised(found["title"], _locale()),
        form=form,
        rule_form=rule_form,
        action_form=EmptyForm(),
        can_manage=can_manage_surveys(current_actor()),
        **_names(),
    ), status


def _names() -> dict[str, Any]:
    return {
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
        "rule_events": RULE_EVENTS,
        "language_names": LANGUAGE_NAMES,
        "locales": config.current().enabled_locales,
        "localised": localised,
        "batch_minimum": config.current().survey_anonymous_batch_min,
    }


def _add_question(survey_id: int, form: FlaskForm, questions: list[dict[str, Any]]) -> bool:
    if not form.validate_on_submit():
        return False
    variables = {
        "surveyId": str(survey_id),
        "kind": form.kind.data,
        "text": _texts(form),
        "options": _options(form, form.kind.data, []),
        "required": bool(form.required.data),
        "condition": _condition(form, questions),
        "tsmCode": form.tsm_code.data or None,
    }
    result = operations.run_mutation("ConsoleSurveyQuestionAdd", {"input": variables})
    if result.problem is not None:
        show_problem(form, result.problem, SURVEY_FIELDS)
        return False
    flash(_("The question has been added."), "success")
    return True


def _add_rule(survey_id: int, form: RuleForm) -> bool:
    if not form.validate_on_submit():
        return False
    variables = {
        "surveyId": str(survey_id),
        "eventName": form.event_name.data,
        "delayAmount": int(form.delay_amount.data),
        "delayUnit": form.delay_unit.data,
    }
    result = operations.run_mutation("ConsoleSurveyRuleAdd", {"input": variables})
    if result.problem is not None:
        show_problem(form, result.problem, SURVEY_FIELDS)
        return False
    flash(_("The survey will be sent after each of these events."), "success")
    return True


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def survey_question(survey_id: int, question_id: int) -> Any:
    """Change a question's wording, translations, options or condition."""
    if not can_manage_surveys(current_actor()):
        abort(403)
    found = _load(survey_id)
    questions = found["questions"]
    question = next((q for q in questions if q["id"] == str(question_id)), None)
    if question is None:
        abort(404)
    earlier = [q for q in questions if q["position"] < question["position"]]
    form = question_form_class(earlier, with_kind=False)()
    status = 200
    if request.method == "GET":
        _fill(form, question, earlier)
    elif form.validate_on_submit():
        variables = {
            "id": str(question_id),
            "text": _texts(form),
            "options": _options(form, question["kind"], question["options"] or []),
            "required": bool(form.required.data),
            "condition": _condition(form, earlier),
            "tsmCode": form.tsm_code.data or None,
        }
        if variables["options"] is None:
            del variables["options"]
        result = operations.run_mutation("ConsoleSurveyQuestionUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The question has been changed."), "success")
            return redirect(url_for("console.survey", survey_id=survey_id))
        show_problem(form, result.problem, SURVEY_FIELDS)
        status = 400
    else:
        status = 400
    return render_template(
        "console/surveys/question.html", survey=found, question=question, form=form, **_names()
    ), status


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/<action>", methods=["POST"])
@roles_required(*STAFF)
def survey_question_action(survey_id: int, question_id: int, action: str) -> Any:
    """Move a question up or down, or remove it."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if action in ("up", "down"):
        variables = {"id": str(question_id), "offset": -1 if action == "up" else 1}
        result = operations.run_mutation("ConsoleSurveyQuestionMove", {"input": variables})
    elif action == "remove":
        result = operations.run_mutation("ConsoleSurveyQuestionRemove", {"input": {"id": str(question_id)}})
        if result.problem is None:
            flash(_("The question has been removed."), "success")
    else:
        abort(404)
    if result.problem is not None:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.survey", survey_id=survey_id, _anchor="questions-heading"))


@bp.route("/surveys/<int:survey_id>/<any(publish, close):action>", methods=["POST"])
@roles_required(*STAFF)
def survey_status(survey_id: int, action: str) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = "ConsoleSurveyPublish" if action == "publish" else "ConsoleSurveyClose"
    result = operations.run_mutation(name, {"input": {"id": str(survey_id)}})
    if result.problem is not None:
        flash(result.problem["message"], "error")
    elif action == "publish":
        flash(_("The survey is live. Its rules now send it to residents."), "success")
    else:
        flash(_("The survey is closed. Its links no longer work."), "success")
    return redirect(url_for("console.survey", survey_id=survey_id))


@bp.route("/surveys/<int:survey_id>/preview")
@roles_required(*STAFF)
def survey_preview(survey_id: int) -> Any:
    """The survey as a resident sees it, in any enabled language; every question is shown."""
    found = _load(survey_id)
    locales = config.current().enabled_locales
    lang = request.args.get("lang") if request.args.get("lang") in locales else "en"
    with force_locale(lang):
        questions = [SimpleNamespace(**q) for q in found["questions"]]
        fields = {f"q_{q.id}": question_field(q, lang) for q in questions}
        form = type("SurveyPreviewForm", (FlaskForm,), fields)(formdata=None, meta={"csrf": False})
        body = render_template(
            "console/surveys/_preview_body.html",
            survey=found,
            title=localised(found["title"], lang),
            description=localised(found["description"], lang),
            form=form,
            field_names=list(fields),
        )
    return render_template(
        "console/surveys/preview.html",
        survey=found,
        title=localised(found["title"], _locale()),
        body=Markup(body),  # noqa: S704 - rendered from our own template, escaped there
        lang=lang,
        **_names(),
    )


def _value_names(question: dict[str, Any] | None) -> dict[str, str]:
    if question is None:
        return {}
    if question["kind"] == "yes_partly_no":
        return {value: str(YES_PARTLY_NO_LABELS[value]) for value in YES_PARTLY_NO}
    if question["kind"] == "rating":
        return {value: value for value in RATINGS}
    return {o["value"]: localised(o["label"], _locale()) for o in question["options"] or []}


@bp.route("/surveys/<int:survey_id>/results")
@roles_required(*STAFF)
def survey_results(survey_id: int) -> Any:
    found = _load(survey_id)
    by_id = {q["id"]: q for q in found["questions"]}
    results = operations.run("ConsoleSurveyResults", {"id": str(survey_id)})["surveyResults"]
    for result in results:
        result["names"] = _value_names(by_id.get(result["questionId"]))
        result["columns"] = [
            *[(LANGUAGE_NAMES.get(b["key"], b["key"]), b) for b in result["byLocale"]],
            *[(CHANNEL_NAMES.get(b["key"], b["key"]), b) for b in result["byChannel"]],
        ]
    return render_template(
        "console/surveys/results.html",
        survey=found,
        title=localised(found["title"], _locale()),
        results=results,
        channel_names=CHANNEL_NAMES,
        **_names(),
    )


def _read_csv(form: ImportForm) -> tuple[list[str], list[dict[str, str]]] | None:
    """The header and rows of the uploaded file, or None (with an error on the form) when it is not CSV text."""
    try:
        text = form.file.data.read(MAX_IMPORT_BYTES + 1).decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip() for name in reader.fieldnames or []]
        rows = [{(k or "").strip(): (v if isinstance(v, str) else "") for k, v in row.items()} for row in reader]
    except (UnicodeDecodeError, csv.Error):
        form.file.errors = [_("The file must be CSV text saved as UTF-8.")]
        return None
    return header, rows


IMPORT_MESSAGES = {
    "unknown_column": _l(
        "“%(name)s” is not a question column. Use Q1, Q2, … or TP01 to TP12 and TP09_FILTER, or language, tenure, "
        "weight or date."
    ),
    "no_tsm_question": _l("No question of this survey has the TSM code %(name)s. Give a question that code first."),
    "too_many_columns": _l("The file has too many columns. Give at most %(maximum)s."),
    "duplicate_column": _l("“%(name)s” names a question that another column already answers."),
    "no_question_columns": _l("The first row must name the question columns, such as Q1 or TP01."),
    "no_rows": _l("The file has no rows of answers."),
    "too_many_rows": _l("The file has too many rows. Import at most %(maximum)s at a time."),
    "unsupported_language": _l("Use a language code such as en, cy or pl, or leave it blank for English."),
    "no_answers": _l("This row has no answers."),
}
# Problems with the columns that describe the respondent rather than answer a question.
ROW_MESSAGES = {
    ("weight", "out_of_range"): _l("Give a weight above 0 and at most %(maximum)s, or leave it blank for 1."),
    ("date", "invalid"): _l("Give the day the answers were collected as 2025-06-30 or 30/06/2025, or leave it blank."),
    ("date", "in_future"): _l("The day the answers were collected cannot be in the future."),
    ("date", "too_early"): _l("The day the answers were collected must be in 2000 or later."),
    ("tenure", "unsupported"): _l("Give rented (LCRA) or shared_ownership (LCHO), or leave it blank."),
}


def _problem_text(problem: imports.RowProblem) -> str:
    template = ROW_MESSAGES.get((problem.error.field, problem.error.code)) or IMPORT_MESSAGES.get(problem.error.code)
    if template is None:
        return message_for(problem.error, _)
    return str(template) % problem.error.params if problem.error.params else str(template)


@bp.route("/surveys/<int:survey_id>/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def survey_import(survey_id: int) -> Any:
    """Import results gathered elsewhere from a CSV file: all the rows, or none of them, unless the rows with
    problems are to be skipped (each is listed)."""
    if not can_manage_surveys(current_actor()):
        abort(403)
    found = _load(survey_id)
    form = ImportForm()
    problems: list[tuple[int, str, str]] = []
    status = 200
    if form.validate_on_submit():
        read = _read_csv(form)
        if read is not None:
            try:
                result = imports.import_responses(
                    current_actor(), survey_id, *read, skip_bad_rows=bool(form.skip_bad_rows.data)
                )
            except imports.ImportRejected as rejected:
                problems = [(p.row, p.column, _problem_text(p)) for p in rejected.problems]
            except DomainError as error:
                add_error(form, error)
            else:
                flash(_("%(count)s responses have been imported.", count=result.saved), "success")
                if not result.skipped_rows:
                    return redirect(url_for("console.survey_results", survey_id=survey_id))
                skipped = [(p.row, p.column, _problem_text(p)) for p in result.problems]
                return render_template(
                    "console/surveys/import.html",
                    survey=found,
                    title=localised(found["title"], _locale()),
                    form=ImportForm(formdata=None),
                    problems=[],
                    skipped=skipped,
                    skipped_rows=result.skipped_rows,
                    **_names(),
                )
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "console/surveys/import.html",
        survey=found,
        title=localised(found["title"], _locale()),
        form=form,
        problems=problems,
        skipped=[],
        skipped_rows=0,
        **_names(),
    ), status
