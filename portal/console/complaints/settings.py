"""Complaint settings: each regime's stages and limits, closure days, service areas and categories.

Staff may read them. Admins change regimes and closure days; managers and admins keep the service areas
and categories that contacts are filed under. The API enforces the same split.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import ClosureDayForm, NameForm, StageForm
from portal.forms import show_problem
from portal.security import current_actor

TAXONOMY_EDITORS = ("manager", "admin")
# URL part → (form prefix, create operation, archive operation, success messages).
TAXONOMIES = {
    "service-areas": (
        "area",
        "ConsoleServiceAreaCreate",
        "ConsoleServiceAreaArchive",
        _l("The service area has been added."),
        _l("The service area has been archived. Contacts filed under it keep it."),
    ),
    "categories": (
        "category",
        "ConsoleCategoryCreate",
        "ConsoleCategoryArchive",
        _l("The category has been added."),
        _l("The category has been archived. Contacts filed under it keep it."),
    ),
    "contractors": (
        "contractor",
        "ConsoleContractorCreate",
        "ConsoleContractorArchive",
        _l("The contractor has been added."),
        _l("The contractor has been archived. Complaints that name it keep it."),
    ),
}


def _forms(submitted: str | None = None) -> dict[str, Any]:
    """The page's add forms; only the one named ``submitted`` reads the request."""
    made = {}
    taxonomies = (("area", NameForm), ("category", NameForm), ("contractor", NameForm))
    for prefix, cls in (("closure", ClosureDayForm), *taxonomies):
        kwargs: dict[str, Any] = {"prefix": prefix, "meta": {"csrf": False}}
        if prefix != submitted:
            kwargs["formdata"] = None
        made[prefix] = cls(**kwargs)
    return made


def render_settings(forms: dict[str, Any] | None = None, status: int = 200) -> Any:
    data = operations.run("ConsoleComplaintSettings")
    actor = current_actor()
    return render_template(
        "console/complaints/settings.html",
        regimes=data["regimes"]["nodes"],
        closure_days=data["closureDays"]["nodes"],
        areas=data["serviceAreas"]["nodes"],
        categories=data["categories"]["nodes"],
        contractors=data["contractors"]["nodes"],
        forms=forms or _forms(),
        is_admin=actor.has_role("admin"),
        can_edit_taxonomy=actor.has_role(*TAXONOMY_EDITORS),
    ), status


@bp.route("/complaint-settings")
@roles_required(*STAFF)
def complaint_settings() -> Any:
    return render_settings()


def _outcome(result: operations.MutationResult, message: Any) -> Any:
    """Flash the success message, or the API's reason for refusing; then back to the settings."""
    if result.problem is None:
        flash(str(message), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.complaint_settings"))


STAGE_FIELDS = {
    "acknowledge_days": "acknowledgeDays",
    "respond_days": "respondDays",
    "max_extension_days": "maxExtensionDays",
}


@bp.route("/complaint-settings/stages/<int:stage_id>", methods=["GET", "POST"])
@roles_required("admin")
def regime_stage(stage_id: int) -> Any:
    """Change a stage's working days and extension limit. New clocks use them; running clocks keep theirs."""
    stage = operations.run("ConsoleRegimeStage", {"id": str(stage_id)})["regimeStage"]
    if stage is None:
        abort(404)
    if request.method == "GET":
        form = StageForm(data=_stage_values(stage))
    else:
        form = StageForm()
    status = 200
    if form.validate_on_submit():
        variables: dict[str, Any] = {"id": str(stage_id)}
        for key, camel in STAGE_FIELDS.items():
            raw = (form[key].data or "").strip()
            variables[camel] = int(raw) if raw else None
        result = operations.run_mutation("ConsoleRegimeStageUpdate", {"input": variables})
        if result.problem is None:
            flash(_("The stage has been changed. New deadlines will use it."), "success")
            return redirect(url_for("console.complaint_settings"))
        show_problem(form, result.problem)
        status = 400
    elif form.is_submitted():
        status = 400
    return _stage_page(stage, form, LeafletForm(formdata=None), status)


class LeafletForm(FlaskForm):
    title = StringField(
        _l("Title of the leaflet"),
        description=_l("Letters say “Enclosed:” and this title."),
        validators=[DataRequired(_l("Give the leaflet a title.")), Length(max=200)],
    )
    file = FileField(_l("PDF file"), validators=[FileRequired(_l("Choose a PDF file."))])


def _stage_page(stage: dict[str, Any], form: Any, leaflet_form: Any, status: int = 200) -> Any:
    found = operations.run("ConsoleStageLeaflet", {"stage": stage["id"]})["stageLeaflets"]["nodes"]
    return render_template(
        "console/complaints/stage.html",
        stage=stage,
        form=form,
        leaflet=found[0] if found else None,
        panel_approved=operations.run("ConsoleLeafletPanelApproval", {"stage": stage["id"]})["panelApprovalOfLeaflet"]
        if found
        else None,
        leaflet_form=leaflet_form,
        remove_form=EmptyForm(),
    ), status


@bp.route("/complaint-settings/stages/<int:stage_id>/leaflet", methods=["POST"])
@roles_required("admin")
def stage_leaflet(stage_id: int) -> Any:
    """Enclose a PDF leaflet with every letter about this stage (it replaces any earlier one)."""
    stage = operations.run("ConsoleRegimeStage", {"id": str(stage_id)})["regimeStage"]
    if stage is None:
        abort(404)
    leaflet_form = LeafletForm()
    if leaflet_form.validate_on_submit():
        variables = {"id": str(stage_id), "title": leaflet_form.title.data, "file": leaflet_form.file.data}
        result = operations.run_mutation("ConsoleStageLeafletSet", {"input": variables})
        if result.problem is None:
            flash(_("The leaflet will be enclosed with every letter about this stage."), "success")
            return redirect(url_for("console.regime_stage", stage_id=stage_id))
        show_problem(leaflet_form, result.problem)
    return _stage_page(stage, StageForm(formdata=None, data=_stage_values(stage)), leaflet_form, 400)


@bp.route("/complaint-settings/stages/<int:stage_id>/leaflet/remove", methods=["POST"])
@roles_required("admin")
def stage_leaflet_remove(stage_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ConsoleStageLeafletRemove", {"input": {"id": str(stage_id)}})
    if result.problem is None:
        flash(_("Letters about this stage no longer enclose a leaflet."), "success")
    else:
        flash(result.problem["message"], "error")
    return redirect(url_for("console.regime_stage", stage_id=stage_id))


def _stage_values(stage: dict[str, Any]) -> dict[str, str]:
    return {key: "" if stage[camel] is None else str(stage[camel]) for key, camel in STAGE_FIELDS.items()}


def _show_add_problem(form: Any, problem: dict[str, Any], unique: Any) -> None:
    """Put the API's problem on the add form; one like it already there is a problem with the ``unique`` field."""
    if problem.get("code") == "duplicate":
        unique.errors.append(problem["message"])
    else:
        show_problem(form, problem)


@bp.route("/complaint-settings/closure-days", methods=["POST"])
@roles_required("admin")
def closure_day_add() -> Any:
    forms = _forms("closure")
    form = forms["closure"]
    if form.validate():
        variables = {"day": form.day.data.strip(), "name": form.name.data}
        result = operations.run_mutation("ConsoleClosureDayCreate", {"input": variables})
        if result.problem is None:
            flash(_("The closure day has been added. Deadlines worked out from now on skip it."), "success")
            return redirect(url_for("console.complaint_settings"))
        _show_add_problem(form, result.problem, form.day)
    return render_settings(forms, 400)


@bp.route("/complaint-settings/closure-days/<int:day_id>/archive", methods=["POST"])
@roles_required("admin")
def closure_day_archive(day_id: int) -> Any:
    result = operations.run_mutation("ConsoleClosureDayArchive", {"input": {"id": str(day_id)}})
    return _outcome(result, _l("The closure day has been removed. It is a working day again."))


@bp.route("/complaint-settings/<any('service-areas', categories, contractors):kind>", methods=["POST"])
@roles_required(*TAXONOMY_EDITORS)
def taxonomy_add(kind: str) -> Any:
    prefix, create, _archive, added, _archived = TAXONOMIES[kind]
    forms = _forms(prefix)
    form = forms[prefix]
    if form.validate():
        result = operations.run_mutation(create, {"input": {"name": form.name.data}})
        if result.problem is None:
            flash(str(added), "success")
            return redirect(url_for("console.complaint_settings"))
        _show_add_problem(form, result.problem, form.name)
    return render_settings(forms, 400)


@bp.route(
    "/complaint-settings/<any('service-areas', categories, contractors):kind>/<int:item_id>/archive", methods=["POST"]
)
@roles_required(*TAXONOMY_EDITORS)
def taxonomy_archive(kind: str, item_id: int) -> Any:
    _prefix, _create, archive, _added, archived = TAXONOMIES[kind]
    return _outcome(operations.run_mutation(archive, {"input": {"id": str(item_id)}}), archived)
