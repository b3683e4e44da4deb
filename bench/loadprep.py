"""The load test's own accounts, made in the target site's database through the services.

Residents (each with a home and a few cases already), staff and a third-party tool's staff account with one read
token per simulated tool. All are named ``loadtest.*@example.org``, so they never collide with real or demo
accounts. Running it again reuses them: every account gets this run's password and the tool's earlier tokens are
revoked before new ones are made, so nothing usable outlives the run for longer than its tokens (revoke them with
``learnloop tokens revoke`` or run the load test again).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from backend.accounts.models import ApiToken, Home, Landlord, User
from backend.accounts.passwords import hash_password
from backend.accounts.services import create_home, create_landlord, create_user
from backend.accounts.tokens import actor_for_user, create_token, revoke_all_tokens
from backend.complaints.intake import NewContact, submit_contact
from backend.complaints.models import Contact
from backend.context import SYSTEM
from backend.db import transaction

LANDLORD = "Load test homes"
CASES_EACH = 3
TOOL_EMAIL = "loadtest.tool@example.org"


@dataclass(frozen=True)
class LoadAccounts:
    """Who the simulated people sign in as; the password and tokens are only ever held in memory."""

    residents: tuple[str, ...]
    staff: tuple[str, ...]
    tokens: tuple[str, ...]
    password: str


def _account(email: str, name: str, role: str, password_hash: str, password: str, home_id: int | None) -> User:
    user = User.get_or_none(User.email == email)
    if user is None:
        return create_user(SYSTEM, email, name, [role], password=password, home_id=home_id, locale="en")
    # A bench account from an earlier run: this run's password (its hash, made once for all of them).
    User.update(password_hash=password_hash, is_active=True).where(User.id == user.id).execute()
    return user


def _home(landlord: Landlord, number: int) -> Home:
    reference = f"LT-{number:04d}"
    found = Home.get_or_none(Home.reference == reference)
    return found or create_home(
        SYSTEM, landlord.id, reference, f"{number} Load Street, Leeds", "LS1 1AA", "england", "rented"
    )


def _cases(resident: User) -> None:
    """Give the resident a few cases (half of them complaints) to read, if they have fewer."""
    have = Contact.select().where(Contact.resident == resident.id).count()
    actor = actor_for_user(resident)
    for n in range(have, CASES_EACH):
        data = NewContact(
            channel="portal",
            description=f"Load test case {n + 1}: the communal door does not lock.",
            resident_id=resident.id,
            wants_to_complain=n % 2 == 0,
        )
        submit_contact(actor, data)


def prepare_accounts(residents: int, staff: int, tools: int) -> LoadAccounts:
    """Make (or refresh) the accounts for this many simulated residents, staff and tools; return how to use them."""
    password = secrets.token_urlsafe(18)
    password_hash = hash_password(password)  # slow: once, for every account
    with transaction():
        landlord = Landlord.get_or_none(Landlord.name == LANDLORD) or create_landlord(SYSTEM, LANDLORD)
    resident_emails, staff_emails = [], []
    for n in range(1, max(residents, 1) + 1):
        email = f"loadtest.resident{n}@example.org"
        home = _home(landlord, n)
        user = _account(email, f"Load Resident {n}", "resident", password_hash, password, home.id)
        _cases(user)
        resident_emails.append(email)
    for n in range(1, max(staff, 1) + 1):
        email = f"loadtest.staff{n}@example.org"
        _account(email, f"Load Staff {n}", "staff", password_hash, password, None)
        staff_emails.append(email)
    tool = _account(TOOL_EMAIL, "Load Test Tool", "staff", password_hash, password, None)
    if ApiToken.select().where(ApiToken.user == tool.id, ApiToken.revoked_at.is_null()).exists():
        revoke_all_tokens(SYSTEM, tool.id)
    plain = [create_token(SYSTEM, TOOL_EMAIL, "read", f"load test {n + 1}")[1] for n in range(max(tools, 1))]
    return LoadAccounts(tuple(resident_emails), tuple(staff_emails), tuple(plain), password)


def demo_accounts(tokens: tuple[str, ...]) -> LoadAccounts:
    """Sign in as the demo data's residents and staff (``learnloop demo``); tools only with the tokens given."""
    from backend.demo import DEMO_PASSWORD

    residents = ("resident@example.org", "preswylydd@example.org", "resident.scotland@example.org")
    return LoadAccounts(residents, ("staff@example.org", "manager@example.org"), tuple(tokens), DEMO_PASSWORD)
