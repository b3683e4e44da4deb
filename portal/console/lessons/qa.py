"""The monthly lessons QA in the console: the months with their five figures and trend, each month's failing items
and quality-check sample, and the scoring pages (the checklist admins edit is in ``qa_checklist``).

Staff read; managers compute a month, draw its sample, score and send the scores back to the team. Every list is
also a CSV download.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from backend.lessons.qa import previous_month
from backend.lessons.quality import MAX_NOTE, whole_percent
from backend.timeutil import local_date
from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.lessons.sections import section
from portal.forms import show_problem
from portal.security import current_actor

MANAGERS = ("manager", "admin")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIGURES = ("transfer", "smart", "on_time", "overdue", "effective")
#: Each figure's name and what its failing items are (a link to each).
FIGURE_NAMES = {
    "transfer": _l("Transfer rate: sources turned into lessons"),
    "smart": _l("SMART rate: lessons with a SMART action"),
    "on_time": _l("On-time rate: actions completed by their due date"),
    "overdue": _l("Overdue actions at the month's end"),
    "effective": _l("Effectiveness rate: actions that addressed the problem"),
    "told": _l("Complainants told their complaint led to an improvement (self-assessment item 12)"),
}
FAILING_LISTS = (
    ("transferComplaints", "transfer", "complaint", _l("Upheld complaints with no lesson and no recorded decision")),
    ("transferOmbudsman", "transfer", "complaint", _l("Adverse Ombudsman findings with no lesson from them")),
    ("smart", "smart", "lesson", _l("Lessons needing action without a SMART, authorised action")),
    ("onTime", "on_time", "action", _l("Actions completed after their first due date")),
    ("overdue", "overdue", "action", _l("Actions open and past due at the month's end")),
    ("effective", "effective", "action", _l("Actions verified as not, or only partly, addressing the problem")),
)
RESULT_CHOICES = (
    SelectChoice("met", _l("Met")),
    SelectChoice("partly", _l("Partly met")),
    SelectChoice("not_met", _l("Not met")),
    SelectChoice("not_applicable", _l("Does not apply")),
)

section(60, "console.lessons_qa", _l("Monthly QA"))


def item_path(kind: str, item_id: str) -> str:
    """The console page of a failing item: a complaint, a lesson or an action."""
    if kind == "complaint":
        return url_for("console.complaint", complaint_id=int(item_id))
    if kind == "lesson":
        return f"{request.script_root}/console/lessons/{item_id}"
    return f"{request.script_root}/console/lessons/actions/{item_id}"


def month_label(month: str | dt.date) -> str:
    day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
    return format_date(day, "MMMM y")


def share(met: int, due: int) -> str:
    """A rate as the page says it: "3 of 4 (75%)", or "no items" when nothing was due."""
    if not due:
        return _("no items")
    return _("%(met)s of %(due)s (%(rate)s%%)", met=met, due=due, rate=whole_percent(100 * met / due))


def figure_texts(report: dict[str, Any]) -> dict[str, str]:
    texts = {
        figure: share(report[f"{camel}Met"], report[f"{camel}Due"])
        for figure, camel in (("transfer", "transfer"), ("smart", "smart"), ("on_time", "onTime"))
    }
    texts["effective"] = share(report["effectiveMet"], report["effectiveDue"])
    texts["overdue"] = str(report["overdueCount"])
    texts["told"] = str(report.get("complainantsTold", ""))
    return texts


def _month_or_404(month: str) -> dt.date:
    if not MONTH.match(month):
        abort(404)
    first = dt.date.fromisoformat(month + "-01")
    if first > local_date().replace(day=1):
        abort(404)
    return first


# --- The months --------------------------------------------------------------------------------------------------


class MonthForm(FlaskForm):
    month = StringField(
        _l("Month"),
        description=_l("As year and month, for example 2026-07. Counting it again replaces its figures."),
        validators=[DataRequired(_l("Enter the month to count.")), limit(7)],
    )


def _reports() -> list[dict[str, Any]]:
    return list(exports.pages("ConsoleQaReports", {"first": 100}, "qaReports"))


def _chart(reports: list[dict[str, Any]], key: str, percent: bool) -> list[dict[str, Any]]:
    bars = []
    for report in reversed(reports[:12]):
        value = report[key]
        if not percent:
            text = str(value)
        else:
            text = _("no items") if value is None else _("%(rate)s%%", rate=whole_percent(value))
        bars.append({"label": month_label(report["month"]), "value": value, "text": text})
    return bars


@bp.route("/lessons/qa")
@roles_required(*STAFF)
def lessons_qa() -> Any:
    """Every month computed, newest first, with its five figures; the trend of each as a chart with its table."""
    reports = _reports()
    rows = [{"report": r, "label": month_label(r["month"]), "texts": figure_texts(r)} for r in reports]
    charts = {
        "transfer": _chart(reports, "transferRate", True),
        "smart": _chart(reports, "smartRate", True),
        "on_time": _chart(reports, "onTimeRate", True),
        "overdue": _chart(reports, "overdueCount", False),
        "effective": _chart(reports, "effectiveRate", True),
    }
    return render_template("console/lessons/qa.html", rows=rows, charts=charts, names=FIGURE_NAMES)


@bp.route("/lessons/qa.csv")
@roles_required(*STAFF)
def lessons_qa_csv() -> Any:
    header = [_("Month"), *[str(FIGURE_NAMES[f]) for f in FIGURES], _("Computed at"), _("Sent to managers at")]

    def rows() -> Any:
        for report in _reports():
            texts = figure_texts(report)
            yield [report["month"][:7], *[texts[f] for f in FIGURES], report["computedAt"], report["sentAt"] or ""]

    return exports.csv_download("lessons-qa", header, rows)


@bp.route("/lessons/qa/compute", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lessons_qa_compute() -> Any:
    """Count a month's figures now (the monthly task does last month's on the first working day)."""
    form = MonthForm(data=None if request.method == "POST" else {"month": previous_month(local_date()).isoformat()[:7]})
    if form.validate_on_submit():
        month = form.month.data.strip()
        result = operations.run_mutation("ConsoleQaReportCompute", {"input": {"month": month}})
        if result.problem is None:
            flash(_("The figures for %(month)s are counted.", month=month_label(month + "-01")), "success")
            return redirect(url_for("console.lessons_qa_month", month=month))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/lessons/qa_compute.html", form=form), status


# --- One month ---------------------------------------------------------------------------------------------------


def _month_data(first: dt.date) -> dict[str, Any]:
    data = operations.run("ConsoleQaMonth", {"month": first.isoformat()})
    nodes = data["qaReports"]["nodes"]
    return {"report": nodes[0] if nodes else None, "reviews": data["qualityReviews"]["nodes"]}


def _failing(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    if report is None:
        return []
    failing = report["failing"] or {}
    named = {(item["list"], item["id"]): item for item in failing.get("items") or []}
    lists = []
    for key, figure, kind, title in FAILING_LISTS:
        ids = failing.get(key) or []
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()
        items = []
        for item_id in ids:
            found = named.get((snake, item_id)) or {"reference": "", "title": "", "dueOn": None}
            items.append({**found, "id": item_id, "href": item_path(kind, item_id), "name": item_name(kind, found)})
        lists.append({"key": key, "figure": figure, "kind": kind, "title": title, "items": items})
    return lists


def item_name(kind: str, item: dict[str, Any]) -> str:
    """A failing item as staff know it: a complaint's or lesson's reference, an action's title and its lesson."""
    reference, title = item.get("reference") or "", item.get("title") or ""
    if kind == "complaint":
        return reference or _("A complaint no longer there")
    if kind == "lesson":
        return f"{reference}: {title}" if reference else _("A lesson no longer there")
    if not title:
        return _("An action no longer there")
    return _("%(title)s (lesson %(reference)s)", title=title, reference=reference)


@bp.route("/lessons/qa/<month>")
@roles_required(*STAFF)
def lessons_qa_month(month: str) -> Any:
    """One month: its figures, each figure's failing items with links, the team scores and the sample."""
    first = _month_or_404(month)
    data = _month_data(first)
    report = data["report"]
    return render_template(
        "console/lessons/qa_month.html",
        month=month,
        label=month_label(first),
        report=report,
        texts=figure_texts(report) if report else {},
        names=FIGURE_NAMES,
        failing=_failing(report),
        reviews=data["reviews"],
        form=MonthForm(data={"month": month}),
    )


@bp.route("/lessons/qa/<month>/failing.csv")
@roles_required(*STAFF)
def lessons_qa_failing_csv(month: str) -> Any:
    first = _month_or_404(month)
    report = _month_data(first)["report"]
    header = [_("Figure"), _("List"), _("Kind"), _("Reference"), _("Title"), _("Due"), _("Address")]
    kinds = {"complaint": _("complaint"), "lesson": _("lesson"), "action": _("action")}

    def rows() -> Any:
        for found in _failing(report):
            for item in found["items"]:
                yield [
                    str(FIGURE_NAMES[found["figure"]]),
                    str(found["title"]),
                    kinds[found["kind"]],
                    item["reference"],
                    item["title"],
                    item["dueOn"] or "",
                    request.host_url.rstrip("/") + item["href"],
                ]

    return exports.csv_download(f"lessons-qa-{month}-failing", header, rows)


@bp.route("/lessons/qa/<month>/sample", methods=["POST"])
@roles_required(*MANAGERS)
def lessons_qa_draw(month: str) -> Any:
    """Draw (or top up) the month's random sample of closed complaints for quality checks."""
    _month_or_404(month)
    form = MonthForm(data={"month": month})
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleQualitySampleDraw", {"input": {"month": month}})
        if result.problem is not None:
            flash(result.problem.get("message") or _("Check this value and try again."), "error")
        elif result.data.get("reviews"):
            flash(_("The sample is drawn. Score each complaint in it."), "success")
        else:
            flash(_("No complaints closed in that month, so there was nothing to sample."), "info")
    return redirect(url_for("console.lessons_qa_month", month=month) + "#sample")


def review_score(review: dict[str, Any]) -> str:
    points = {"met": 1.0, "partly": 0.5, "not_met": 0.0}
    counted = [points[s["result"].lower()] for s in review["scores"] if s["result"].lower() in points]
    if not review["reviewedAt"]:
        return _("Not scored yet")
    if not counted:
        return _("does not apply")
    return _("%(rate)s%%", rate=whole_percent(100 * sum(counted) / len(counted)))


@bp.app_template_filter("whole_percent")
def _whole_percent_filter(value: float) -> int:
    return whole_percent(value)


@bp.app_template_filter("qa_review_score")
def _review_score_filter(review: dict[str, Any]) -> str:
    return review_score(review)


@bp.route("/lessons/qa/<month>/sample.csv")
@roles_required(*STAFF)
def lessons_qa_sample_csv(month: str) -> Any:
    first = _month_or_404(month)
    header = [_("Complaint"), _("Team"), _("Score"), _("Scored at"), _("Sent to the team at")]

    def rows() -> Any:
        for review in exports.pages(
            "ConsoleQualityReviews", {"month": first.isoformat(), "first": 100}, "qualityReviews"
        ):
            yield [
                review["complaint"]["reference"],
                review["team"] or "",
                review_score(review),
                review["reviewedAt"] or "",
                review["teamToldAt"] or "",
            ]

    return exports.csv_download(f"lessons-qa-{month}-sample", header, rows)


# --- Scoring a sampled complaint -----------------------------------------------------------------------------------


def _review(review_id: int) -> dict[str, Any]:
    data = operations.run("ConsoleQualityReview", {"id": str(review_id)})
    if data["qualityReview"] is None:
        abort(404)
    return data


def short_item(text: str, most: int = 90) -> str:
    """A checklist item's text to name it by in a label or an error: cut at a word, with "…", when long."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    cut = text[:most].rsplit(" ", 1)[0] or text[:most]
    return cut.rstrip(" ,.;:") + "…"


def score_form(items: list[dict[str, Any]], review: dict[str, Any]) -> FlaskForm:
    """A form with a result and a note for each checklist item in use, then the reviewer's comments."""

    class ScoreForm(FlaskForm):
        comments = TextAreaField(
            _l("Comments for the team"),
            description=_l("About the handling of the complaint, for the team to learn from: not about one person."),
            validators=[Optional(), limit(MAX_NOTE)],
        )

    for item in items:
        named = short_item(item["text"])
        setattr(
            ScoreForm,
            f"result_{item['id']}",
            RadioField(
                item["text"],
                choices=list(RESULT_CHOICES),
                validators=[InputRequired(_("Choose how the complaint met “%(item)s”.", item=named))],
            ),
        )
        # The note's label names its item (for those who hear it or move from box to box), seen only as "Note".
        note_label = Markup('{}<span class="visually-hidden"> – {}</span>').format(
            _("Note on this item (optional)"), named
        )
        setattr(
            ScoreForm,
            f"note_{item['id']}",
            TextAreaField(note_label, validators=[Optional(), limit(MAX_NOTE)]),
        )
    given = {f"result_{s['item']['id']}": s["result"].lower() for s in review["scores"]}
    given.update({f"note_{s['item']['id']}": s["note"] for s in review["scores"]})
    given["comments"] = review.get("comments") or ""
    return ScoreForm(data=None if request.method == "POST" else given)


@bp.route("/lessons/qa/reviews/<int:review_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_qa_review(review_id: int) -> Any:
    """A sampled complaint's quality check: managers score it against each checklist item."""
    data = _review(review_id)
    review, items = data["qualityReview"], data["qualityCheckItems"]["nodes"]
    form = score_form(items, review)
    may_score = current_actor().has_role(*MANAGERS) and not review["teamToldAt"]
    if request.method == "POST":
        if not may_score:
            abort(403)
        if form.validate_on_submit():
            scores = [
                {
                    "itemId": item["id"],
                    "result": getattr(form, f"result_{item['id']}").data,
                    "note": getattr(form, f"note_{item['id']}").data or "",
                }
                for item in items
            ]
            variables = {"id": str(review_id), "scores": scores, "comments": form.comments.data or ""}
            result = operations.run_mutation("ConsoleQualityReviewScore", {"input": variables})
            if result.problem is None:
                flash(_("The scores are saved."), "success")
                return redirect(url_for("console.lessons_qa_review", review_id=review_id))
            paths = {f"scores[{n}].result": f"result_{item['id']}" for n, item in enumerate(items)}
            paths.update({f"scores[{n}].note": f"note_{item['id']}" for n, item in enumerate(items)})
            show_problem(form, result.problem, paths)
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "console/lessons/qa_review.html",
            review=review,
            items=items,
            form=form,
            score=review_score(review),
            month=review["month"][:7],
            may_score=may_score,
            results={choice.value: choice.label for choice in RESULT_CHOICES},
        ),
        status,
    )


class ReturnForm(FlaskForm):
    pass


@bp.route("/lessons/qa/reviews/<int:review_id>/return", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lessons_qa_review_return(review_id: int) -> Any:
    """Send a scored review back to the complaint's handler and the team's managers, once."""
    review = _review(review_id)["qualityReview"]
    form = ReturnForm()
    if form.validate_on_submit():
        result = operations.run_mutation("ConsoleQualityReviewReturnToTeam", {"input": {"id": str(review_id)}})
        if result.problem is None:
            flash(_("The scores were sent to the team."), "success")
            return redirect(url_for("console.lessons_qa_review", review_id=review_id))
        show_problem(form, result.problem)
    status = 400 if request.method == "POST" else 200
    return render_template("console/lessons/qa_review_return.html", review=review, form=form), status
