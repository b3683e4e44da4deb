"""Forms for signing in, registering, resetting a password and editing a profile."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, StopValidation, ValidationError

from backend.accounts.passwords import MAX_LENGTH, MIN_LENGTH

CHANNEL_CHOICES = [
    SelectChoice("email", _l("Email")),
    SelectChoice("sms", _l("Text message")),
    SelectChoice("post", _l("Letter by post")),
    SelectChoice("phone", _l("Phone call")),
    SelectChoice("portal", _l("Messages on this website only")),
]

# WTForms' own message is not in our catalogues: this one is, in every language.
TOO_LONG = _l("Keep this to %(max)d characters or fewer.")


# The longest address the standards allow, and the size of the column that stores it.
MAX_EMAIL_LENGTH = 254


class LengthFirst(Length):
    """``Length`` that ends the field's checks, so that an overlong value gets one message, not two."""

    def __call__(self, form: Any, field: Field) -> None:
        try:
            super().__call__(form, field)
        except ValidationError as error:
            raise StopValidation(str(error)) from error


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def checked_email_field() -> EmailField:
    """An email address field that explains a malformed or overlong address.

    For forms whose answer is the same whether or not the address has an account: the check says
    nothing about who is registered, and without it a mistyped address would be told "sent".
    """
    return EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            LengthFirst(
                max=MAX_EMAIL_LENGTH, message=_l("Your email address must be at most %(max)s characters long.")
            ),
            Email(message=_l("Enter an email address in the right format, like name@example.org.")),
        ],
    )


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254, message=TOO_LONG)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_LENGTH, message=TOO_LONG)]
    )


class VerifyEmailForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        description=_l("The password you chose when you registered."),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_LENGTH, message=TOO_LONG)],
    )


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        description=_l("The name we should use when we write to you."),
        validators=[DataRequired(_l("Enter your name.")), Length(max=120, message=TOO_LONG)],
    )
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254, message=TOO_LONG)],
    )
    password = PasswordField(
        _l("Create a password"),
        description=_l(
            "At least %(minimum)s characters. A few unrelated words are easy to remember.", minimum=MIN_LENGTH
        ),
        validators=[DataRequired(_l("Create a password.")), Length(max=MAX_LENGTH, message=TOO_LONG)],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )
    locale = SelectField(_l("Preferred language"), validators=[Optional()])


class ResetRequestForm(FlaskForm):
    email = checked_email_field()


class ResetConfirmForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(minimum)s characters.", minimum=MIN_LENGTH),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=MAX_LENGTH, message=TOO_LONG)],
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120, message=TOO_LONG)]
    )
    locale = SelectField(_l("Preferred language"))
    contact_channel = RadioField(
        _l("How should we contact you?"),
        choices=CHANNEL_CHOICES,
        validators=[DataRequired(_l("Choose how we should contact you."))],
    )
    phone = StringField(
        _l("Phone number"),
        description=_l("Needed for text messages and phone calls."),
        validators=[Optional(), Length(max=30, message=TOO_LONG)],
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs"),
        description=_l("For example: large print, British Sign Language, an interpreter, or easy read."),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    reasonable_adjustments = TextAreaField(
        _l("Adjustments you would like us to make"),
        description=_l(
            "For example: call before visiting, or allow more time to reply. We keep these under review with you."
        ),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=MAX_LENGTH, message=TOO_LONG)],
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""
