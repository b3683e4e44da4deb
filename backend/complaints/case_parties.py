"""Everyone a case names, for redacting its words before readers outside the case see them (a scrutiny panel).

Every row that belongs to the case is found by walking the foreign keys down from the complaint and its
contacts (its own, those merged into it, and the service request it is about), through every domain's models,
so that a table added later is walked without anyone remembering to list it. Each column on those rows that
points at an account, a home or a contractor makes a party: the resident and their representatives by their own
role words, everyone else as ``[staff member]``, and every contractor as ``[contractor]``.
"""

from __future__ import annotations

import operator
from functools import reduce

from peewee import ForeignKeyField, Model

from backend.accounts.models import Home, Representation, User
from backend.complaints.models import Complaint, Contact, ContactMerge, ContactPerson, Contractor, RoleDesignation
from backend.complaints.redaction import (
    CONTRACTOR,
    REPRESENTATIVE,
    RESIDENT,
    STAFF_MEMBER,
    person_parties,
    user_party,
)
from backend.models import ALL_MODELS
from backend.redaction import Party

__all__ = ["case_contacts", "case_parties", "case_references", "case_rows"]

# Columns that point at the resident's side of the case; any other column that points at an account names staff.
# (An account the case also names as its resident keeps the resident's role word, whatever column names it.)
RESIDENT_SIDE_COLUMNS = {"resident": RESIDENT, "user": RESIDENT, "representative_user": REPRESENTATIVE}
# The order a role word wins in when one account is named in several columns.
_ROLE_ORDER = (RESIDENT, REPRESENTATIVE, STAFF_MEMBER)

CaseRows = dict[type[Model], list[Model]]


def case_contacts(complaint: Complaint) -> list[Contact]:
    """Return the complaint's contacts: its own first, then those merged into it, then the request it is about."""
    own = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    merged = list(
        Contact.select()
        .join(ContactMerge, on=ContactMerge.contact == Contact.id)
        .where(ContactMerge.complaint == complaint.id)
        .order_by(Contact.id)
    )
    related = Contact.get_or_none(Contact.id == own.related_request_id) if own.related_request_id else None  # type: ignore[attr-defined]
    return [own, *merged, *([related] if related is not None else [])]


#: Domains whose rows point at a case without being part of it: a scrutiny pack keeps only its own redacted copy,
#: and co-creation's rows (a change the contact is behind, a quote from it, a comment made into it, the notice that
#: its complainant was told) are the landlord's publishing about cases, never the case's own record.
NOT_OF_THE_CASE = frozenset(
    {"backend.panels.models", "backend.cocreation.models", "backend.privacy.models", "backend.privacy.holds"}
)


def case_rows(complaint: Complaint) -> CaseRows:
    """Return every row of the case, by model: the complaint, its contacts, and each row hanging from them.

    Models come in the order their foreign keys need, so a row's parents are found before it is (a decision
    after its response, a note's file after the note). A model's reference to itself is not followed: another
    contact about the same request is another case.
    """
    rows: CaseRows = {Complaint: [complaint], Contact: list[Model](case_contacts(complaint))}
    for model in ALL_MODELS:
        if model in rows or model.__module__ in NOT_OF_THE_CASE:
            continue
        links = [
            field.in_([row.id for row in rows[field.rel_model]])  # type: ignore[attr-defined]
            for field in model._meta.sorted_fields  # type: ignore[attr-defined]
            if isinstance(field, ForeignKeyField) and field.rel_model in rows and field.rel_model is not model
        ]
        if links:
            found = list(model.select().where(reduce(operator.or_, links)).order_by(model._meta.primary_key))  # type: ignore[attr-defined]
            if found:
                rows[model] = found
    return rows


def _linked_ids(rows: CaseRows, target: type[Model]) -> list[tuple[str, int]]:
    """Every (column, id) on the case's rows that points at a row of ``target``."""
    found: list[tuple[str, int]] = []
    for model, model_rows in rows.items():
        for field in model._meta.sorted_fields:  # type: ignore[attr-defined]
            if isinstance(field, ForeignKeyField) and field.rel_model is target:
                found += [(field.name, row.__data__[field.name]) for row in model_rows if row.__data__.get(field.name)]
    return found


def _account_roles(rows: CaseRows) -> dict[int, str]:
    """Each account the case names, with its role word: the resident's side by column, everyone else as staff."""
    named: dict[int, set[str]] = {}
    for column, user_id in _linked_ids(rows, User):
        named.setdefault(user_id, set()).add(RESIDENT_SIDE_COLUMNS.get(column, STAFF_MEMBER))
    residents = [user_id for user_id, roles in named.items() if RESIDENT in roles]
    for representation in Representation.select(Representation.advocate).where(Representation.resident.in_(residents)):
        named.setdefault(representation.advocate_id, set()).add(REPRESENTATIVE)  # type: ignore[attr-defined]
    staff = [user_id for user_id, roles in named.items() if roles == {STAFF_MEMBER}]
    # Staff write "I passed it to my manager" and sign for the named complaints roles: name those people too.
    managers = User.select(User.manager).where(User.id.in_(staff), User.manager.is_null(False))
    holders = RoleDesignation.select(RoleDesignation.person)
    for user_id in [row.manager_id for row in managers] + [row.person_id for row in holders]:  # type: ignore[attr-defined]
        named.setdefault(user_id, set()).add(STAFF_MEMBER)
    return {user_id: next(role for role in _ROLE_ORDER if role in roles) for user_id, roles in named.items()}


def case_parties(complaint: Complaint) -> list[Party]:
    """Return every party the case names, resident first: the people, the homes and every contractor on record.

    Contractors on record are all parties, not only those linked to the case: a handler names the firm that
    came without always recording it against the complaint or a point.
    """
    rows = case_rows(complaint)
    roles = _account_roles(rows)
    users = {user.id: user for user in User.select().where(User.id.in_(list(roles)))}
    parties: list[Party] = []
    for role in _ROLE_ORDER:
        for user_id, user_role in roles.items():
            party = user_party(role, users.get(user_id)) if user_role == role else None
            if party is not None:
                parties.append(party)
    for person in rows.get(ContactPerson, []):
        parties += person_parties(person)  # type: ignore[arg-type]
    home_ids = {home_id for _, home_id in _linked_ids(rows, Home)}
    for home in Home.select().where(Home.id.in_(list(home_ids))).order_by(Home.id):
        parties.append(Party(role=RESIDENT, addresses=(home.address,), postcodes=(home.postcode,)))
    contractors = Contractor.select(Contractor.name).order_by(Contractor.id)
    parties += [Party(role=CONTRACTOR, organisations=(contractor.name,)) for contractor in contractors]
    return parties


def case_references(complaint: Complaint) -> list[str]:
    """Return the references that lead back to the case: its own, its contacts', the Ombudsman's and the homes'."""
    contacts = case_contacts(complaint)
    resident_ids = {complaint.resident_id, *(contact.resident_id for contact in contacts)} - {None}  # type: ignore[attr-defined]
    home_ids = {complaint.home_id, *(contact.home_id for contact in contacts)}  # type: ignore[attr-defined]
    home_ids |= {user.home_id for user in User.select(User.home).where(User.id.in_(list(resident_ids)))}  # type: ignore[attr-defined]
    homes = Home.select(Home.reference).where(Home.id.in_(list(home_ids - {None})))
    references = [complaint.reference, *(contact.reference for contact in contacts), complaint.ombudsman_reference]
    return [reference for reference in [*references, *(home.reference for home in homes)] if reference]
