"""Console page for API tokens (admins): create one for an account, see and revoke current ones."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal import operations
from portal.access import roles_required
from portal.accounts import revoke_token_from_form
from portal.accounts.forms import EmptyForm
from portal.console.blueprint import bp
from portal.forms import show_problem


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


def _show_token_problem(form: TokenCreateForm, problem: dict[str, Any]) -> None:
    """Put the API's problem on the form; an owner it cannot find is a mistake in the email address."""
    if problem.get("code") == "not_found":
        form.owner_email.errors.append(_("There is no account with this email address."))
        return
    show_problem(form, problem, {"owner": "owner_email"})


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required("admin")
def tokens() -> Any:
    form = TokenCreateForm()
    secret = None
    status = 200
    if form.validate_on_submit():
        result = operations.run_mutation(
            "ConsoleApiTokenCreate",
            {"input": {"ownerEmail": form.owner_email.data, "scope": form.scope.data, "name": form.name.data or ""}},
        )
        if result.problem is None:
            secret = result.data["secret"]
            form = TokenCreateForm(formdata=None)
        else:
            _show_token_problem(form, result.problem)
            status = 400
    elif form.is_submitted():
        status = 400
    listing = operations.run("ConsoleApiTokens")["apiTokens"]["nodes"]
    return render_template(
        "console/tokens.html", form=form, tokens=listing, secret=secret, revoke_form=EmptyForm()
    ), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke_token(token_id: int) -> Any:
    revoke_token_from_form(token_id)
    return redirect(url_for("console.tokens"))
