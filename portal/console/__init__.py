"""The staff console: its shell and navigation, API tokens and the audit trail."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from backend.accounts.policies import can_view_audit
from portal import operations
from portal.access import roles_required
from portal.accounts import revoke_token_from_form
from portal.accounts.forms import EmptyForm
from portal.forms import add_graphql_error
from portal.security import current_actor

bp = Blueprint("console", __name__, template_folder="../templates")
STAFF = ("staff", "manager", "admin")
AUDIT_PAGE_SIZE = 50


class TokenCreateForm(FlaskForm):
    owner_email = EmailField(
        _l("Account the token acts for"),
        description=_l("The token has this person's role and can see what they can see."),
        validators=[DataRequired(_l("Enter the email address of an account."))],
    )
    name = StringField(
        _l("Name"), description=_l("So you can recognise it later, e.g. the tool's name."), validators=[Length(max=100)]
    )
    scope = RadioField(
        _l("Access"),
        choices=[SelectChoice("read", _l("Read only")), SelectChoice("write", _l("Read and write"))],
        default="read",
        validators=[DataRequired(_l("Choose read or write access."))],
    )


def nav_items() -> list[tuple[str, str, Any]]:
    actor = current_actor()
    items = [("console.index", url_for("console.index"), _l("Overview"))]
    items.append(("console.complaints", url_for("console.complaints"), _l("Complaints")))
    items.append(("console.people", url_for("console.people"), _l("People")))
    items.append(("console.templates", url_for("console.templates"), _l("Message wording")))
    items.append(("console.deliveries", url_for("console.deliveries"), _l("Delivery log")))
    items.append(("console.letters", url_for("console.letters"), _l("Letters to post")))
    items.append(("console.calls", url_for("console.calls"), _l("Calls to make")))
    items.append(("console.surveys", url_for("console.surveys"), _l("Surveys")))
    items.append(("console.representations", url_for("console.representations"), _l("Advocates")))
    if actor.has_role("admin"):
        items.append(("console.complaint_settings", url_for("console.complaint_settings"), _l("Complaint settings")))
        items.append(("console.tokens", url_for("console.tokens"), _l("API tokens")))
        items.append(("console.security", url_for("console.security"), _l("Sign-in security")))
    if can_view_audit(actor):
        items.append(("console.audit", url_for("console.audit"), _l("Audit trail")))
    return items


@bp.context_processor
def inject_nav() -> dict[str, Any]:
    return {"console_nav": nav_items()}


@bp.route("/")
@roles_required(*STAFF)
def index() -> Any:
    viewer = operations.run("Viewer")["viewer"]
    return render_template("console/index.html", viewer=viewer)


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required("admin")
def tokens() -> Any:
    form = TokenCreateForm()
    secret = None
    status = 200
    if form.validate_on_submit():
        result = operations.run(
            "ApiTokenCreate",
            {"input": {"ownerEmail": form.owner_email.data, "scope": form.scope.data, "name": form.name.data or ""}},
        )
        result = result["apiTokenCreate"]
        if result["__typename"] == "ApiTokenCreated":
            secret = result["secret"]
            form = TokenCreateForm(formdata=None)
        else:
            add_graphql_error(form, result)
            status = 400
    elif form.is_submitted():
        status = 400
    listing = operations.run("ApiTokens")["apiTokens"]["nodes"]
    return render_template(
        "console/tokens.html", form=form, tokens=listing, secret=secret, revoke_form=EmptyForm()
    ), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke_token(token_id: int) -> Any:
    revoke_token_from_form(token_id)
    return redirect(url_for("console.tokens"))


@bp.route("/audit")
@roles_required("manager", "admin")
def audit() -> Any:
    after = request.args.get("after") or None
    page = operations.run_page("AuditEvents", {"after": after, "first": AUDIT_PAGE_SIZE})["auditEvents"]
    info = page["pageInfo"]
    return render_template(
        "console/audit.html", events=page["nodes"], next_after=info["endCursor"] if info["hasNextPage"] else None
    )


ROLE_FILTERS = ("resident", "advocate", "panel_member", "staff", "manager", "admin")
NATION_FILTERS = ("england", "wales", "scotland", "northern_ireland")


@bp.route("/people")
@roles_required(*STAFF)
def people() -> Any:
    """Find a person by name or email, narrowed by role and nation; 25 at a time."""
    search = (request.args.get("q") or "").strip()[:200]
    role = request.args.get("role") if request.args.get("role") in ROLE_FILTERS else ""
    nation = request.args.get("nation") if request.args.get("nation") in NATION_FILTERS else ""
    where: dict[str, Any] = {}
    if role:
        where["roles"] = {"some": {"role": {"eq": role}}}
    if nation:
        where["home"] = {"nation": {"eq": nation}}
    variables = {"search": search or None, "where": where or None, "after": request.args.get("after") or None}
    page = operations.run_page("ConsolePeople", variables)["people"]
    info = page["pageInfo"]
    return render_template(
        "console/people.html",
        people=page["nodes"],
        total=page["totalCount"],
        search=search,
        role=role,
        nation=nation,
        roles=ROLE_FILTERS,
        nations=NATION_FILTERS,
        next_after=info["endCursor"] if info["hasNextPage"] else None,
    )


# Each console area registers its routes on this blueprint.
from portal.console import (  # noqa: E402, F401
    calls,
    complaint_settings,
    complaints,
    contacts,
    notifications,
    representations,
    security,
    surveys,
)
