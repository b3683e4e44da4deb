"""Account use cases: registration, verification, profile, roles, representation.

Every change runs in one transaction with its audit event and, where someone must be told,
an outbox event.
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from backend import config
from backend.accounts import links, policies, throttle
from backend.accounts.auth import account_key, claim_attempt, forgive_attempt, throttle_limits
from backend.accounts.models import (
    CONSENT_METHODS,
    CONTACT_CHANNELS,
    NATIONS,
    RELATIONSHIPS,
    TENURES,
    Home,
    Landlord,
    Representation,
    User,
    UserRole,
)
from backend.accounts.passwords import check_password_rules, hash_password, verify_password
from backend.accounts.users import get_user, normalise_email, snapshot
from backend.audit.services import field_changes, record_audit
from backend.context import ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, Problems, Throttled, gather
from backend.events.services import record_event
from backend.names import check_name
from backend.timeutil import utcnow

PROFILE_FIELDS = ("display_name", "locale", "contact_channel", "phone", "accessibility_needs", "reasonable_adjustments")
MAX_NAME = 120
MAX_NEEDS = 2000
RESEND_MAX_AGE = 3600


def _check_display_name(name: str) -> str:
    return check_name("display_name", name, MAX_NAME)


def _clean_profile(problems: Problems, values: dict[str, Any]) -> dict[str, Any]:
    """The profile values as stored; record each problem with them."""
    cleaned = dict(values)
    with problems.check():
        if "display_name" in values:
            cleaned["display_name"] = _check_display_name(values["display_name"] or "")
    with problems.check():
        if "locale" in values:
            cleaned["locale"] = _check_locale(values["locale"])
    if "contact_channel" in values and values["contact_channel"] not in CONTACT_CHANNELS:
        problems.add("contact_channel", "unsupported")
    if "phone" in values:
        phone = (values["phone"] or "").strip()
        if phone and not all(c.isdigit() or c in " +()-" for c in phone) or len(phone) > 30:
            problems.add("phone", "invalid")
        cleaned["phone"] = phone or None
    for key in ("accessibility_needs", "reasonable_adjustments"):
        if key in values:
            cleaned[key] = (values[key] or "").strip()
            if len(cleaned[key]) > MAX_NEEDS:
                problems.add(key, "too_long", maximum=MAX_NEEDS)
    return cleaned


def _check_locale(locale: str | None) -> str | None:
    if locale in (None, ""):
        return None
    if locale not in config.current().enabled_locales:
        raise Invalid("locale", "unsupported")
    return locale


def register_resident(
    email: str, password: str, display_name: str, locale: str | None = None, client_address: str | None = None
) -> User | None:
    """Register a resident account awaiting email verification.

    Returns the new user, or None when the email is already registered; in that case the owner
    of the address is told by email instead, so the response never reveals whether it exists.
    Also returns None, doing nothing, when the address or ``client_address`` has asked too often
    this hour (see :mod:`backend.accounts.throttle`). Raises ``Invalid`` for a malformed email,
    name or password.
    """
    email = normalise_email(email)
    display_name = _check_display_name(display_name)
    check_password_rules(password, email)
    locale = _check_locale(locale)
    if not throttle.account_mail_allowed(email, client_address):
        return None
    # Hash whether or not the address is taken, so that both answers take as long; and before the
    # transaction, which holds SQLite's write lock while it runs.
    password_hash = hash_password(password)
    with transaction():
        existing = User.get_or_none(User.email == email)
        if existing is not None:
            record_event("account.registration_repeated", {"user_id": existing.id})
            return None
        try:
            with transaction():
                user = User.create(email=email, display_name=display_name, password_hash=password_hash, locale=locale)
        except IntegrityError:
            # Lost a race with a simultaneous registration of the same address.
            return None
        UserRole.create(user=user, role="resident")
        actor = Actor(user_id=user.id, roles=frozenset({"resident"}), label=f"user:{user.id}")
        changes = field_changes(None, snapshot(user))
        changes["roles"] = {"before": [], "after": ["resident"]}
        record_audit(actor, "account.registered", "user", user.id, changes)
        record_event("account.registered", {"user_id": user.id})
    return user


def email_verification_token(user: User) -> str:
    return links.make_link_token(links.VERIFY_SALT, {"uid": user.id, "em": links.fingerprint(user.email)})


def user_for_verification_token(token: str) -> User:
    """Return the account a confirmation link is for; raise ``Invalid("token", "expired" | "invalid")``."""
    payload = links.read_link_token(links.VERIFY_SALT, token, config.current().email_verify_max_age)
    user = User.get_or_none(User.id == payload.get("uid"))
    if user is None or links.fingerprint(user.email) != payload.get("em"):
        raise Invalid("token", "invalid")
    return user


def verify_email(token: str, password: str, client_network: str | None = None) -> User:
    """Confirm the address in ``token`` for the person who knows the account's password; return the user.

    The link proves the reader controls the address, but someone else may have registered it with a
    password of their own. Asking for that password means only the person who registered can
    confirm: the owner of the address, who did not register, cannot make a stranger's password
    work by following the link. (They reset the password instead, which confirms the address and
    replaces the stranger's password.)

    Raises ``Invalid("token", "expired" | "invalid")``, ``Invalid("password", "incorrect")`` and
    ``Throttled`` after too many wrong passwords. Confirming twice is harmless.
    """
    user = user_for_verification_token(token)
    if user.email_verified_at is not None:
        return user
    attempt = claim_attempt(throttle_limits(account_key(user.email, user), client_network))
    if not verify_password(user.password_hash, password):
        raise Invalid("password", "incorrect")
    with transaction():
        forgive_attempt(attempt)
        before = snapshot(user)
        user.email_verified_at = utcnow()
        user.updated_at = utcnow()
        user.save()
        actor = Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
        record_audit(actor, "account.email_verified", "user", user.id, field_changes(before, snapshot(user)))
    return user


def verification_resend_token(user: User) -> str:
    """Return a signed token that lets someone who signed in with the right password ask for a new link."""
    return links.make_link_token(links.RESEND_SALT, {"uid": user.id, "em": links.fingerprint(user.email)})


def user_for_resend_token(token: str) -> User:
    """Return the user a resend token is for; raise ``Invalid("token", "expired" | "invalid")``."""
    payload = links.read_link_token(links.RESEND_SALT, token, RESEND_MAX_AGE)
    user = User.get_or_none(User.id == payload.get("uid"))
    if user is None or links.fingerprint(user.email) != payload.get("em"):
        raise Invalid("token", "invalid")
    return user


def resend_verification_email(user: User, client_address: str | None = None) -> None:
    """Send a fresh confirmation link, unless the address is already confirmed.

    Raises ``Throttled`` when the address or the client has asked too often this hour. Only the
    owner can ask (signed in, or with the token a right password gives), so saying so reveals nothing.
    """
    wait = throttle.account_mail_wait(user.email, client_address)
    if wait is not None:
        raise Throttled(wait)
    if user.email_verified_at is None and user.is_active:
        with transaction():
            record_event("account.registered", {"user_id": user.id, "resend": True})


def request_verification_email(actor: Actor, client_address: str | None = None) -> None:
    """Send the signed-in user a fresh verification link (nothing happens once verified).

    Raises ``Throttled`` as :func:`resend_verification_email` does.
    """
    resend_verification_email(get_user(actor.user_id or 0), client_address)


def update_profile(actor: Actor, user_id: int, **values: Any) -> User:
    """Change a user's name, language, contact channel, phone and accessibility needs.

    Only the keys given are changed. Raises ``NotAllowed``, ``NotFound`` or ``Invalid`` (every problem at once).
    """
    if not policies.can_edit_profile(actor, user_id):
        raise NotAllowed("user.update_profile")
    user = get_user(user_id)
    with gather() as problems:
        for name in sorted(set(values) - set(PROFILE_FIELDS)):
            problems.add(name, "unknown_field")
        values = _clean_profile(problems, {name: values[name] for name in PROFILE_FIELDS if name in values})
        if values.get("contact_channel") == "sms" and not values.get("phone", user.phone):
            problems.add("phone", "required_for_sms")
    with transaction():
        before = snapshot(user)
        if "phone" in values and values["phone"] != user.phone:
            # A number staff record counts as verified; one a person types in must be proved first.
            by_staff = actor.user_id != user.id and actor.is_staff
            user.phone_verified_at = utcnow() if by_staff and values["phone"] else None
        for key, value in values.items():
            setattr(user, key, value)
        changes = field_changes(before, snapshot(user))
        if changes:
            user.updated_at = utcnow()
            user.save()
            record_audit(actor, "account.profile_updated", "user", user.id, changes)
        if "reasonable_adjustments" in changes and user.reasonable_adjustments:
            # Imported here: the complaints domain builds on accounts, not the other way round.
            from backend.complaints.safeguards import request_from_profile

            request_from_profile(actor, user)
    return user


def set_locale(actor: Actor, locale: str) -> None:
    """Store the signed-in user's preferred language."""
    if actor.user_id is not None:
        update_profile(actor, actor.user_id, locale=locale)


def create_user(
    actor: Actor,
    email: str,
    display_name: str,
    roles: list[str],
    password: str | None = None,
    home_id: int | None = None,
    locale: str | None = None,
    is_demo: bool = False,
) -> User:
    """Create an account with ``roles`` (admins, the CLI and demo data use this).

    Raises ``NotAllowed``, ``Invalid`` or ``Conflict("email_taken")``.
    """
    if not policies.can_manage_users(actor):
        raise NotAllowed("user.create")
    email = normalise_email(email)
    display_name = _check_display_name(display_name)
    if not roles or any(role not in ROLES for role in roles):
        raise Invalid("roles", "unknown_role")
    if password is not None:
        check_password_rules(password, email)
    locale = _check_locale(locale)
    if home_id is not None and Home.get_or_none(Home.id == home_id) is None:
        raise Invalid("home", "not_found")
    password_hash = hash_password(password) if password else None  # slow: before the write lock
    with transaction():
        if User.select().where(User.email == email).exists():
            raise Conflict("email_taken")
        user = User.create(
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            home=home_id,
            locale=locale,
            is_demo=is_demo,
            email_verified_at=utcnow() if password else None,
        )
        for role in sorted(set(roles)):
            UserRole.create(user=user, role=role)
        changes = field_changes(None, snapshot(user))
        changes["roles"] = {"before": [], "after": sorted(set(roles))}
        record_audit(actor, "account.created", "user", user.id, changes)
        if password is None:
            # No password yet: the person sets one from an emailed link.
            record_event("account.invited", {"user_id": user.id})
    return user


def set_roles(actor: Actor, user_id: int, roles: list[str]) -> User:
    """Replace a user's roles. An admin cannot remove their own admin role."""
    if not policies.can_manage_users(actor):
        raise NotAllowed("user.set_roles")
    if not roles or any(role not in ROLES for role in roles):
        raise Invalid("roles", "unknown_role")
    user = get_user(user_id)
    if user_id == actor.user_id and "admin" not in roles:
        raise Conflict("cannot_remove_own_admin")
    with transaction():
        before = sorted(user.role_names())
        UserRole.delete().where(UserRole.user == user).execute()
        for role in sorted(set(roles)):
            UserRole.create(user=user, role=role)
        after = sorted(set(roles))
        if before != after:
            record_audit(actor, "account.roles_changed", "user", user.id, {"roles": {"before": before, "after": after}})
    return user


def create_landlord(actor: Actor, name: str) -> Landlord:
    with transaction():
        landlord = Landlord.create(name=name)
        record_audit(actor, "landlord.created", "landlord", landlord.id, {"name": {"before": None, "after": name}})
    return landlord


def create_home(
    actor: Actor, landlord_id: int, reference: str, address: str, postcode: str, nation: str, tenure: str
) -> Home:
    """Add a home. Raises ``Invalid`` for an unknown nation or tenure, ``Conflict`` for a reused reference."""
    if not policies.can_manage_users(actor):
        raise NotAllowed("home.create")
    if nation not in NATIONS:
        raise Invalid("nation", "unsupported")
    if tenure not in TENURES:
        raise Invalid("tenure", "unsupported")
    with transaction():
        if Home.select().where(Home.reference == reference).exists():
            raise Conflict("home_reference_taken")
        home = Home.create(
            landlord=landlord_id, reference=reference, address=address, postcode=postcode, nation=nation, tenure=tenure
        )
        record_audit(
            actor,
            "home.created",
            "home",
            home.id,
            field_changes(
                None,
                {
                    "reference": reference,
                    "address": address,
                    "postcode": postcode,
                    "nation": nation,
                    "tenure": tenure,
                    "landlord_id": landlord_id,
                },
            ),
        )
    return home


def record_representation(
    actor: Actor, advocate_id: int, resident_id: int, consent_method: str, relationship: str = "advocate"
) -> Representation:
    """Record a resident's consent for an advocate to act for them, and tell them both.

    Raises ``NotAllowed`` unless staff, ``NotFound("user")``, ``Invalid`` when the people have the
    wrong roles or the method or relationship is unknown, and ``Conflict("already_represented")``
    when the advocate already acts for the resident.
    """
    if not policies.can_record_representation(actor):
        raise NotAllowed("representation.record")
    advocate, resident = get_user(advocate_id), get_user(resident_id)
    if "advocate" not in advocate.role_names():
        raise Invalid("advocate", "not_an_advocate")
    if "resident" not in resident.role_names():
        raise Invalid("resident", "not_a_resident")
    if consent_method not in CONSENT_METHODS:
        raise Invalid("consent_method", "unsupported")
    if relationship not in RELATIONSHIPS:
        raise Invalid("relationship", "unsupported")
    with transaction():
        current = Representation.select().where(
            Representation.advocate == advocate.id,
            Representation.resident == resident.id,
            Representation.revoked_at.is_null(),
        )
        if current.exists():
            raise Conflict("already_represented")
        rep = Representation.create(
            advocate=advocate,
            resident=resident,
            relationship=relationship,
            consent_method=consent_method,
            consent_recorded_by=actor.user_id,
        )
        record_audit(
            actor,
            "representation.recorded",
            "representation",
            rep.id,
            field_changes(
                None,
                {
                    "advocate_id": advocate.id,
                    "resident_id": resident.id,
                    "consent_method": consent_method,
                    "relationship": relationship,
                },
            ),
        )
        _tell_both(rep, "account.representation_recorded")
    return rep


def revoke_representation(actor: Actor, representation_id: int) -> Representation:
    """End an advocate's authority to act for a resident, and tell them both.

    Revoking twice is harmless (nobody is told again). Raises ``NotAllowed`` unless staff, and
    ``NotFound("representation")``.
    """
    if not policies.can_record_representation(actor):
        raise NotAllowed("representation.revoke")
    rep = Representation.get_or_none(Representation.id == representation_id)
    if rep is None:
        raise NotFound("representation", representation_id)
    with transaction():
        now = utcnow()
        # Conditional, so two people revoking at once record it (and tell people) once.
        revoked = (
            Representation.update(revoked_at=now)
            .where(Representation.id == rep.id, Representation.revoked_at.is_null())
            .execute()
        )
        if revoked:
            record_audit(
                actor,
                "representation.revoked",
                "representation",
                rep.id,
                {"revoked_at": {"before": None, "after": str(now)}},
            )
            _tell_both(rep, "account.representation_revoked")
    return Representation.get_by_id(rep.id)


def _tell_both(rep: Representation, event: str) -> None:
    """One message to the resident and one to the advocate."""
    record_event(event, {"user_id": rep.resident_id, "representation_id": rep.id})  # type: ignore[attr-defined]
    record_event(f"{event}_advocate", {"user_id": rep.advocate_id, "representation_id": rep.id})  # type: ignore[attr-defined]
