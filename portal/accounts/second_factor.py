"""Two-step sign-in pages: the code after the password, setting up an authenticator, recovery codes, turning it off.

These call the account services directly, like sign-in: a second factor is a credential, so it
is managed in a signed-in browser and never through the API.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, refresh
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from backend import config
from backend.accounts import recovery_codes, second_factor
from backend.context import STAFF_ROLES
from backend.errors import DomainError, Throttled
from portal.accounts.blueprint import bp, home_for_roles
from portal.accounts.forms import EmptyForm
from portal.forms import add_error
from portal.security import (
    authenticate_bearer,
    bearer_value,
    complete_sign_in,
    current_actor,
    hold_pending_sign_in,
    note_locale,
    pending_sign_in,
    safe_next,
    timed_out_sign_in,
)
from schema.error_texts import message_for

CODE_HINT = _l("The 6-digit code from your authenticator app, or one of your recovery codes.")
# Pages open to someone between their password and their code (to whom the API answers as to any
# visitor), or who must set a second factor up first.
WHILE_PENDING = frozenset(
    {"accounts.second_factor_code", "accounts.sign_out_view", "accounts.set_language", "static", "graphql"}
)
WHILE_ENROLLING = frozenset(
    {
        "accounts.second_factor_setup",
        "accounts.second_factor_confirm",
        "accounts.sign_out_view",
        "accounts.set_language",
        "static",
    }
)
# The recovery-codes page may be reloaded or switched to another language; going anywhere else
# drops the codes it shows.
WHILE_SHOWING_CODES = frozenset({"accounts.second_factor_codes", "accounts.set_language", "static"})
# In the cookie session: that this browser's server-side session holds new codes, and why they were made.
CODES_SHOWN = "recovery_codes_shown"


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=CODE_HINT,
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
    )


class ConfirmForm(FlaskForm):
    current_password = PasswordField(
        _l("Your password"),
        description=_l("We ask for it again, because two-step sign-in changes how you sign in."),
        validators=[Length(max=200)],
    )
    code = StringField(
        _l("Code from the app"),
        description=_l("Enter the 6-digit code the app shows now, to check it is set up."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
    )


class PasswordAndCodeForm(FlaskForm):
    current_password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your current password.")), Length(max=200)]
    )
    code = StringField(
        _l("Code"), description=CODE_HINT, validators=[DataRequired(_l("Enter the code.")), Length(max=40)]
    )


@bp.before_app_request
def guard_second_factor() -> Response | None:
    """Hold back anyone who has not finished signing in, or who must set up a second factor first."""
    endpoint = request.endpoint or ""
    bearer = bearer_value()
    if bearer and endpoint == "graphql" and authenticate_bearer(bearer) is not None:
        return None  # a valid API token is its own credential; a browser session never is
    if not current_user.is_authenticated:
        if endpoint not in WHILE_PENDING and pending_sign_in() is not None:
            return redirect(url_for("accounts.second_factor_code"))
        return None
    if endpoint not in WHILE_ENROLLING and current_actor().is_staff and second_factor.must_enrol(current_user.user):
        message = _("Set up two-step sign-in to go on. It is required for staff.")
        if endpoint == "graphql":
            # A script or GraphiQL gets an answer it can read, not a page to follow.
            response = jsonify({"errors": [{"message": message, "extensions": {"code": "SECOND_FACTOR_REQUIRED"}}]})
            response.status_code = 403
            return response
        flash(message, "info")
        return redirect(url_for("accounts.second_factor_setup"))
    return None


@bp.before_app_request
def forget_codes_on_leaving() -> None:
    """Drop new recovery codes held for this browser once it goes to any other page."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in WHILE_SHOWING_CODES or not session.get(CODES_SHOWN):
        return  # an address with no page (a browser asking for /favicon.ico) is not leaving
    session.pop(CODES_SHOWN, None)
    if current_user.is_authenticated:
        recovery_codes.release(current_user.session_key)


def _throttled_message(error: Throttled) -> str:
    """Tell a throttled person when to try again, and whether their sign-in will still be waiting then."""
    if hold_pending_sign_in(error.retry_after):
        return message_for(error, _, ngettext)
    minutes = max(1, (error.retry_after + 59) // 60)
    return ngettext(
        "Too many wrong codes. Wait %(num)s minute, then sign in again.",
        "Too many wrong codes. Wait %(num)s minutes, then sign in again.",
        minutes,
    )


def _back_to_sign_in(timed_out: dict[str, Any] | None) -> Response:
    """Send someone with no sign-in waiting to the sign-in page, saying so when theirs ran out of time."""
    if timed_out is None:
        return redirect(url_for("accounts.sign_in"))
    locale = note_locale(timed_out)
    if locale in config.current().enabled_locales:
        # Go on in the language the code page was in, which was theirs.
        session["locale"] = locale
        refresh()
    flash(_("Your sign-in timed out. Enter your password again."), "info")
    next_url = safe_next(timed_out.get("next"), "")
    return redirect(url_for("accounts.sign_in", next=next_url) if next_url else url_for("accounts.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_factor_code() -> Any:
    """Ask for the second-factor code that finishes signing in."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    timed_out = timed_out_sign_in()  # read before pending_sign_in() drops the note
    pending = pending_sign_in()
    if pending is None:
        return _back_to_sign_in(timed_out)
    user, next_url = pending
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            used = second_factor.check_code(user, form.code.data or "")
        except Throttled as error:
            form.form_errors.append(_throttled_message(error))
            status = 429
        except DomainError as error:
            add_error(form, error)
            status = 400
        else:
            complete_sign_in(user)
            if used == "recovery":
                left = second_factor.remaining_recovery_codes(user.id)
                flash(_("You used a recovery code. You have %(count)s left.", count=left), "info")
            return redirect(safe_next(next_url, home_for_roles()))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/second_factor_code.html", form=form), status


def _setup_page(form: ConfirmForm, status: int = 200) -> Any:
    factor = second_factor.start_enrolment(current_actor())
    uri = second_factor.provisioning_uri(factor, current_user.user)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=4)
    secret = second_factor.authenticator_key(factor)
    # Groups of four, each kept on one line, so the key never breaks inside a group.
    key_groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    return render_template(
        "accounts/second_factor_setup.html",
        form=form,
        has_password=current_user.user.password_hash is not None,
        qr=qr,
        key_groups=key_groups,
        uri=uri,
        language_return=url_for("accounts.second_factor_setup"),
    ), status


@bp.route("/account/second-factor", methods=["GET"])
@login_required
def second_factor_setup() -> Any:
    """Show the second factor's state: set one up, or manage it."""
    if second_factor.is_enabled(current_user.user.id):
        return _manage_page(PasswordAndCodeForm(formdata=None))
    return _setup_page(ConfirmForm(formdata=None))


def _manage_page(form: PasswordAndCodeForm, status: int = 200) -> Any:
    user = current_user.user
    return render_template(
        "accounts/second_factor_manage.html",
        form=form,
        remaining=second_factor.remaining_recovery_codes(user.id),
        required=bool(user.role_names() & STAFF_ROLES) and second_factor.required_for_staff(),
        language_return=url_for("accounts.second_factor_setup"),
    ), status


def _show_codes(codes: list[str], reason: str) -> Response:
    """Hold new codes for this browser and send it to the page that shows them (so reloading is safe)."""
    recovery_codes.hold(current_user.session_key, codes)
    session[CODES_SHOWN] = reason
    return redirect(url_for("accounts.second_factor_codes"))


@bp.route("/account/second-factor/confirm", methods=["POST"])
@login_required
def second_factor_confirm() -> Any:
    """Check the first code, turn the second factor on, and go on to the recovery codes."""
    if second_factor.is_enabled(current_user.user.id):
        return redirect(url_for("accounts.second_factor_setup"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _setup_page(form, 400)
    try:
        codes = second_factor.confirm_enrolment(
            current_actor(), form.code.data or "", current_user.session_key, password=form.current_password.data or ""
        )
    except DomainError as error:
        add_error(form, error)
        return _setup_page(form, 400)
    return _show_codes(codes, "enrolled")


@bp.route("/account/second-factor/codes", methods=["GET", "POST"])
@login_required
def second_factor_codes() -> Any:
    """Show new recovery codes until the person says they have saved them (POST), or goes elsewhere."""
    reason = session.get(CODES_SHOWN)
    if request.method == "POST":
        if EmptyForm().validate_on_submit():
            recovery_codes.release(current_user.session_key)
            session.pop(CODES_SHOWN, None)
            return redirect(home_for_roles() if reason == "enrolled" else url_for("accounts.second_factor_setup"))
        return redirect(url_for("accounts.second_factor_codes"))
    codes = recovery_codes.held(current_user.session_key) if reason else []
    if not codes:
        session.pop(CODES_SHOWN, None)
        flash(_("Your new recovery codes are no longer shown. If you did not save them, make new ones."), "info")
        return redirect(url_for("accounts.second_factor_setup"))
    return render_template("accounts/second_factor_codes.html", codes=codes, reason=reason, form=EmptyForm())


@bp.route("/account/second-factor/recovery-codes", methods=["GET", "POST"])
@login_required
def second_factor_new_codes() -> Any:
    """Make new recovery codes in place of the old ones, with the password and a code."""
    if not second_factor.is_enabled(current_user.user.id):
        return redirect(url_for("accounts.second_factor_setup"))
    form = PasswordAndCodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = second_factor.replace_recovery_codes(
                current_actor(), form.current_password.data or "", form.code.data or ""
            )
        except Throttled as error:
            form.form_errors.append(message_for(error, _, ngettext))
            status = 429
        except DomainError as error:
            add_error(form, error)
            status = 400
        else:
            return _show_codes(codes, "replaced")
    elif form.is_submitted():
        status = 400
    return render_template("accounts/second_factor_new_codes.html", form=form), status


@bp.route("/account/second-factor/disable", methods=["POST"])
@login_required
def second_factor_disable() -> Any:
    """Turn the second factor off, with the password and a code."""
    form = PasswordAndCodeForm()
    if not form.validate_on_submit():
        return _manage_page(form, 400)
    try:
        second_factor.disable(current_actor(), form.current_password.data or "", form.code.data or "")
    except Throttled as error:
        form.form_errors.append(message_for(error, _, ngettext))
        return _manage_page(form, 429)
    except DomainError as error:
        add_error(form, error)
        return _manage_page(form, 400)
    flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for("accounts.profile"))
