"""Sign in by email: ask for a link, then use it (by pressing a button, so mail scanners that open
links cannot spend it). The second factor is still asked for afterwards."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from backend.accounts import email_sign_in
from backend.errors import Invalid, Throttled
from portal.accounts.blueprint import after_first_factor, bp
from portal.accounts.forms import checked_email_field
from portal.graphql_view import client_network
from portal.security import speak_as
from schema.error_texts import message_for


class SignInLinkForm(FlaskForm):
    email = checked_email_field()


class UseLinkForm(FlaskForm):
    """Only the CSRF token: the link's token travels in the address."""


@bp.route("/sign-in/email", methods=["GET", "POST"])
def sign_in_by_email() -> Any:
    """Send a sign-in link. The page reads the same whether or not the address has an account."""
    form = SignInLinkForm()
    status = 200
    if form.validate_on_submit():
        try:
            email_sign_in.request_sign_in_link(form.email.data or "", client_network(request.remote_addr))
        except Throttled as error:
            form.form_errors.append(message_for(error, _, ngettext))
            status = 429
        else:
            return render_template("accounts/sign_in_link_sent.html")
    elif form.is_submitted():
        status = 400
    return render_template("accounts/sign_in_by_email.html", form=form), status


@bp.route("/sign-in/email/confirm", methods=["GET", "POST"])
def sign_in_link() -> Any:
    """Show the button that uses a sign-in link, and use it when pressed.

    The page names the account the link signs into, and someone already signed in as another person
    is not switched to it: otherwise a link an attacker requested for their own account, sent to a
    victim, would sign the victim in as the attacker, and what the victim then wrote would be theirs.
    """
    token = request.values.get("token", "")
    try:
        owner = email_sign_in.user_for_sign_in_link(token)
    except Invalid as error:
        return _problem_page(error)
    speak_as(owner)
    if current_user.is_authenticated:
        if current_user.user.id == owner.id:
            return redirect(url_for("resident.index"))
        return render_template("accounts/sign_in_link_other.html", address=masked_address(owner.email)), 409
    form = UseLinkForm()
    if form.validate_on_submit():
        try:
            user = email_sign_in.use_sign_in_link(token)
        except Invalid as error:
            return _problem_page(error)
        return after_first_factor(user, request.args.get("next"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/sign_in_link.html", form=form, token=token, address=masked_address(owner.email)
    ), status


def masked_address(email: str) -> str:
    """Enough of an address for its owner to recognise it, and little for anyone else: s•••@example.org."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _problem_page(error: Invalid) -> tuple[str, int]:
    page = render_template(
        "accounts/link_problem.html",
        message=message_for(error, _),
        retry_url=url_for("accounts.sign_in_by_email"),
    )
    return page, 400
