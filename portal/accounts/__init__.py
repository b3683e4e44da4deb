"""Sign-in, registration, email verification, password reset, profile, API tokens and language.

Sign-in and sign-out set cookies, so these views call the account services directly; the
profile page goes through the GraphQL API like every other page.

The blueprint lives in ``blueprint``, which every page module here imports; ``email_sign_in``,
``equality`` (the resident's equality monitoring answers), ``phone`` and ``second_factor`` add their pages to it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from backend import config
from backend.accounts import auth, services, users
from backend.accounts.models import User
from backend.config import LANGUAGE_NAMES
from backend.errors import DomainError, Invalid, Throttled
from portal import operations
from portal.accounts import email_sign_in, equality, phone, second_factor  # noqa: F401 - they add their pages to bp
from portal.accounts.blueprint import after_first_factor, bp, home_for_roles
from portal.accounts.forms import (
    ChangePasswordForm,
    EmptyForm,
    ProfileForm,
    RegisterForm,
    ResetConfirmForm,
    ResetRequestForm,
    SignInForm,
    VerifyEmailForm,
)
from portal.forms import add_error, show_problem
from portal.graphql_view import client_network
from portal.security import choose_pending_locale, current_actor, safe_next, sign_in, sign_out, speak_as
from schema.error_texts import BAD_CREDENTIALS, message_for, wait_minutes


def _language_choices() -> list[SelectChoice]:
    # Each language is named in itself, and marked so screen readers pronounce it right.
    return [
        SelectChoice(code, LANGUAGE_NAMES.get(code, code), render_kw={"lang": code})
        for code in config.current().enabled_locales
    ]


def sign_in_view() -> Any:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), home_for_roles()))
    form = SignInForm()
    status = 200
    throttled = False
    if form.validate_on_submit():
        network = client_network(request.remote_addr)
        try:
            user = auth.authenticate(form.email.data or "", form.password.data or "", network)
        except Throttled as error:
            form.form_errors.append(message_for(error, _, ngettext))
            status, throttled = 429, True
        except auth.InvalidCredentials:
            form.form_errors.append(_(BAD_CREDENTIALS))
            status = 401
        else:
            if not users.email_confirmed(user):
                return _confirm_email_first(user)
            return after_first_factor(user, request.args.get("next"))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/sign_in.html", form=form, throttled=throttled), status


bp.add_url_rule("/sign-in", "sign_in", sign_in_view, methods=["GET", "POST"])


def _client() -> str:
    """The client's address as the account-mail limits count it."""
    return client_network(request.remote_addr)


def _confirm_email_first(user: User) -> Any:
    """Answer a right password for an unconfirmed address: no session, and a way to get a new link.

    Only someone who knows the password sees this page, so it reveals nothing about the address.
    """
    token = services.verification_resend_token(user)
    return render_template("accounts/confirm_email.html", token=token), 403


@bp.route("/sign-out", methods=["POST"])
def sign_out_view() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        sign_out()
        flash(_("You have signed out."), "success")
    return redirect(url_for("resident.index"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("resident.index"))
    form = RegisterForm()
    form.locale.choices = _language_choices()
    if request.method == "GET":
        form.locale.data = (
            session.get("locale")
            or request.accept_languages.best_match(config.current().enabled_locales)
            or config.current().default_locale
        )
    if form.validate_on_submit():
        try:
            services.register_resident(
                form.email.data or "",
                form.password.data or "",
                form.display_name.data or "",
                form.locale.data,
                client_address=_client(),
            )
        except Invalid as error:
            add_error(form, error)
        else:
            # The same page whether or not the address was already registered.
            return render_template("accounts/check_email.html", email=form.email.data)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/verify-email", methods=["GET", "POST"])
def verify_email() -> Any:
    """Confirm an address: the link proves the reader has the email, the password that they registered."""
    token = request.values.get("token", "")
    try:
        user = services.user_for_verification_token(token)
    except Invalid as error:
        # Signing in with the password leads someone unconfirmed to the button that sends a new link.
        page = render_template(
            "accounts/link_problem.html",
            message=message_for(error, _),
            retry_url=url_for("accounts.sign_in"),
            retry_text=_("Sign in to get a new link"),
        )
        return page, 400
    speak_as(user)
    if users.email_confirmed(user):
        flash(_("Your email address is already confirmed. You can sign in."), "success")
        return redirect(url_for("accounts.sign_in"))
    form = VerifyEmailForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            services.verify_email(token, form.password.data or "", _client())
        except Throttled as error:
            form.form_errors.append(message_for(error, _, ngettext))
            status = 429
        except Invalid as error:
            add_error(form, error)
        else:
            flash(_("Thank you. Your email address is confirmed."), "success")
            return after_first_factor(user, None)
    return render_template("accounts/verify_email.html", form=form, token=token), status


@bp.route("/verify-email/resend", methods=["POST"])
def resend_verification() -> Any:
    """Send a new confirmation link: to the signed-in person, or to whoever holds a resend token.

    The answer is the same whether or not a link was sent (a limit may have been reached).
    """
    if not EmptyForm().validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        try:
            services.request_verification_email(current_actor(), _client())
        except Throttled as error:
            flash(_too_many_links(error), "error")
        else:
            flash(_("We have sent you a new link. Please check your email."), "success")
        return redirect(url_for("resident.index"))
    try:
        user = services.user_for_resend_token(request.form.get("token", ""))
    except Invalid as error:
        return render_template(
            "accounts/link_problem.html", message=message_for(error, _), retry_url=url_for("accounts.sign_in")
        ), 400
    try:
        services.resend_verification_email(user, _client())
    except Throttled as error:
        # Only the owner holds the token, so they may be told the truth, and when to try again.
        token = services.verification_resend_token(user)
        return render_template("accounts/confirm_email.html", token=token, problem=_too_many_links(error)), 429
    return render_template("accounts/check_email.html")


def _too_many_links(error: Throttled) -> str:
    return ngettext(
        "You have asked for a new link too many times. Wait %(num)s minute, then ask again.",
        "You have asked for a new link too many times. Wait %(num)s minutes, then ask again.",
        wait_minutes(error.retry_after),
    )


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_request() -> Any:
    form = ResetRequestForm()
    if form.validate_on_submit():
        auth.request_password_reset(form.email.data or "", _client())
        return render_template("accounts/check_email.html", email=form.email.data, reset=True)
    return render_template("accounts/reset_request.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/reset-password/confirm", methods=["GET", "POST"])
def reset_confirm() -> Any:
    token = request.values.get("token", "")
    try:
        speak_as(auth.user_for_reset_token(token))
    except Invalid as error:
        return render_template(
            "accounts/link_problem.html", message=message_for(error, _), retry_url=url_for("accounts.reset_request")
        ), 400
    form = ResetConfirmForm()
    if form.validate_on_submit():
        try:
            user = auth.reset_password(token, form.password.data or "")
        except Invalid as error:
            add_error(form, error)
        else:
            sign_in(user)
            flash(_("Your password has been changed."), "success")
            return redirect(home_for_roles())
    return render_template("accounts/reset_confirm.html", form=form, token=token), (400 if form.is_submitted() else 200)


def _own_tokens() -> list[dict[str, Any]]:
    """The signed-in person's live API tokens (an admin's own too, not everyone's)."""
    variables = {"owner": str(current_user.user.id)}
    return operations.run("ViewerApiTokens", variables)["apiTokens"]["nodes"]


def _profile_page(form: ProfileForm, password_form: ChangePasswordForm, status: int) -> Any:
    return render_template(
        "accounts/profile.html",
        form=form,
        password_form=password_form,
        tokens=_own_tokens(),
        # After a password change that failed, this page's address takes only forms.
        language_return=url_for("accounts.profile"),
    ), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> Any:
    form = ProfileForm()
    form.locale.choices = _language_choices()
    if request.method == "GET":
        viewer = operations.run("Viewer")["viewer"]
        form.display_name.data = viewer["displayName"]
        form.locale.data = current_user.user.locale or viewer["locale"]
        form.contact_channel.data = viewer["contactChannel"]
        form.phone.data = viewer["phone"]
        form.accessibility_needs.data = viewer["accessibilityNeeds"]
        form.reasonable_adjustments.data = viewer["reasonableAdjustments"]
    elif form.validate_on_submit():
        values = {
            "displayName": form.display_name.data,
            "locale": form.locale.data,
            "contactChannel": form.contact_channel.data,
            "phone": form.phone.data or None,
            "accessibilityNeeds": form.accessibility_needs.data or "",
            "reasonableAdjustments": form.reasonable_adjustments.data or "",
        }
        result = operations.run_mutation("ViewerProfileUpdate", {"input": values})
        if result.problem is None:
            flash(_("Your details have been saved."), "success")
            return redirect(url_for("accounts.profile"))
        show_problem(form, result.problem)
    status = 400 if form.is_submitted() else 200
    return _profile_page(form, ChangePasswordForm(formdata=None), status)


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(
                current_actor(),
                form.current_password.data or "",
                form.password.data or "",
                keep_session=current_user.session_key,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            flash(
                _("Your password has been changed. We signed you out everywhere else and revoked your API tokens."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileForm(formdata=None, obj=None)
    profile_form.locale.choices = _language_choices()
    user = current_user.user
    profile_form.display_name.data = user.display_name
    profile_form.locale.data = user.locale
    profile_form.contact_channel.data = user.contact_channel
    profile_form.phone.data = user.phone
    profile_form.accessibility_needs.data = user.accessibility_needs
    profile_form.reasonable_adjustments.data = user.reasonable_adjustments
    return _profile_page(profile_form, form, 400)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Response:
    revoke_token_from_form(token_id)
    return redirect(url_for("accounts.profile", _anchor="tokens-heading"))


def revoke_token_from_form(token_id: int) -> None:
    """Revoke a token from a page's Revoke button, and say how it went (the account page and the console)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = operations.run_mutation("ViewerApiTokenRevoke", {"input": {"id": str(token_id)}})
    if result.problem is None:
        flash(_("The token has been revoked. Tools using it can no longer connect."), "success")
    else:
        flash(result.problem["message"], "error")


def _page_to_return_to(target: str | None) -> str:
    """The page the language switch goes back to: the one it was on, if that address answers a GET.

    A page shown in answer to a form has the address the form was sent to, which may take only
    forms: going back there would fail (405) and lose what the page showed. Such pages can name
    a better one (``language_return`` in their template); anything else goes to the home page.
    """
    path = safe_next(target, "")
    if not path:
        return home_for_roles()
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except RequestRedirect:
        return path  # the same page with or without its trailing slash
    except HTTPException:
        return home_for_roles()
    return path


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Switch language: remembered in the session, and saved to the account when signed in."""
    form = EmptyForm()
    locale = request.form.get("locale", "")
    if form.validate_on_submit() and locale in config.current().enabled_locales:
        session["locale"] = locale
        if current_user.is_authenticated:
            try:
                services.set_locale(current_actor(), locale)
            except DomainError:
                pass
        else:
            choose_pending_locale(locale)
    return redirect(_page_to_return_to(request.form.get("next")))
