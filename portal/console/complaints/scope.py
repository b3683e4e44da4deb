"""The scope page (Code 5.7): before the stage's answer, staff say which points are not the landlord's to put right
and where the resident was signposted. GET shows the points, POST records them and goes back to the case."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from backend.complaints.scope import MAX_SIGNPOSTED_TO
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp

NOT_OURS = "not_ours"


def _load(complaint_id: int) -> dict[str, Any]:
    data = operations.run("ConsoleComplaintScope", {"id": str(complaint_id)})
    if data["complaint"] is None:
        abort(404)
    return data


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The current stage's points, each with what was recorded (the landlord's, when nothing was)."""
    complaint = data["complaint"]
    recorded = {s["point"]["id"]: s for s in data["pointScopes"]["nodes"] if s.get("point")}
    rows = []
    for point in complaint["points"]:
        if point["stage"] != complaint["stage"]:
            continue
        scope = recorded.get(point["id"]) or {"landlordResponsible": True, "signpostedTo": ""}
        rows.append({**point, "ours": scope["landlordResponsible"], "signposted_to": scope["signpostedTo"]})
    return rows


@bp.route("/complaints/<int:complaint_id>/scope", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_scope(complaint_id: int) -> Any:
    """Say which points are not ours to put right, and where the resident was signposted for each."""
    data = _load(complaint_id)
    rows = _rows(data)
    allowed = any(item["step"].lower() == "record_scope" for item in data["complaint"]["availableSteps"])
    errors: dict[str, list[str]] = {}
    form_errors: list[str] = []
    status = 200
    if request.method == "POST":
        points = []
        for index, row in enumerate(rows):
            ours = request.form.get(f"scope-{row['id']}") != NOT_OURS
            where = (request.form.get(f"signposted-{row['id']}") or "")[: MAX_SIGNPOSTED_TO + 1]
            row["ours"], row["signposted_to"] = ours, where
            points.append({"pointId": row["id"], "landlordResponsible": ours, "signpostedTo": where})
            row["index"] = index
        result = operations.run_mutation(
            "ConsoleComplaintScopeRecord", {"input": {"id": str(complaint_id), "points": points}}
        )
        if result.problem is None:
            flash(
                _("What is not ours to put right is recorded. The answer will say where the resident was sent."),
                "success",
            )
            return redirect(url_for("console.complaint", complaint_id=complaint_id))
        status = result.status
        for problem in result.problem.get("problems") or [result.problem]:
            field = problem.get("field") or ""
            message = problem.get("message") or _("Check this value and try again.")
            if field.startswith("points[") and field.endswith("].signpostedTo"):
                index = int(field[len("points[") : field.index("]")])
                errors.setdefault(str(rows[index]["id"]), []).append(message)
            else:
                form_errors.append(message)
    return render_template(
        "console/complaints/scope.html",
        complaint=data["complaint"],
        rows=rows,
        allowed=allowed,
        errors=errors,
        form_errors=form_errors,
        not_ours=NOT_OURS,
        max_length=MAX_SIGNPOSTED_TO,
    ), status
