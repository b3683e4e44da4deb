"""Who may see and do what: the role sets and the access rules every domain's declarations share.

The roles are backend.context's. Row filters are in the engine's ``where`` language, where
``"$viewer.id"`` stands for the person asking.
"""

from __future__ import annotations

from collections.abc import Collection

from backend.complaints.restricted import (
    hidden_complaint_keys,
    hidden_complaints,
    hidden_contact_keys,
    hidden_contacts,
)
from backend.context import ROLES, STAFF_ROLES
from schema.engine.access import ANONYMOUS_ROLE, DERIVED_VARIABLES
from schema.engine.declare import RESIDENTS, Access

SIGNED_IN = frozenset(ROLES)
EVERYONE = SIGNED_IN | {ANONYMOUS_ROLE}
ADMIN_ROLES = frozenset({"admin"})
#: Managers, and admins, who may do whatever managers may.
MANAGER_ROLES = frozenset({"manager", "admin"})
#: Who works in the scrutiny panel's workspace.
PANEL_ROLES = frozenset({"panel_member", "manager", "admin"})

#: The viewer's own row, in a filter on people.
SELF = {"id": {"eq": "$viewer.id"}}
#: A resident who consented to the viewer acting for them, in a filter on people.
CONSENTED = {"representatives": {"some": {"advocate": SELF, "revokedAt": {"isNull": True}}}}


def each(roles: Collection[str], access: Access | None = None) -> dict[str, Access]:
    """The same access for each of ``roles`` (everything, when no access is given)."""
    return {role: access or Access() for role in (*ROLES, ANONYMOUS_ROLE) if role in roles}


def staff(access: Access | None = None) -> dict[str, Access]:
    """The same access for each staff role (everything, when no access is given)."""
    return each(STAFF_ROLES, access)


#: Staff see every row and field, and may count and sum them.
STAFF_ACCESS = staff(Access(aggregate=True))


def reach(via: str, condition: dict) -> dict:
    """``condition`` on the row at the end of ``via``, a path of relations such as ``"complaint.resident"``."""
    for name in reversed([part for part in via.split(".") if part]):
        condition = {name: condition}
    return condition


def own(via: str = "resident", fields: tuple[str, ...] | str = RESIDENTS) -> dict[str, Access]:
    """Residents see their own rows, advocates those of residents who consented.

    ``via`` is the path of relations from the row to its resident, e.g. ``"complaint.resident"``; both
    see ``fields``, by default the members declared with ``residents=True``.
    """
    return {"resident": Access(fields, where=reach(via, SELF)), "advocate": Access(fields, where=reach(via, CONSENTED))}


#: The contacts whose cases are hidden from the viewer (backend.complaints.restricted.hidden_contacts): their
#: complaint names them, or the case is need-to-know and they are not on its list, and contacts merged into such a
#: complaint. One subquery, so the filter stays a flat ``id IN (SELECT ...)`` however deep a query reaches.
DERIVED_VARIABLES["hiddenContactIds"] = hidden_contacts
DERIVED_VARIABLES["hiddenComplaintIds"] = hidden_complaints
DERIVED_VARIABLES["hiddenComplaintKeys"] = hidden_complaint_keys
DERIVED_VARIABLES["hiddenContactKeys"] = hidden_contact_keys
#: A case (a filter on contacts) hidden from the viewer. backend.complaints.restricted.may_see_contact says the same.
HIDDEN_CASE = {"id": {"in": "$viewer.hiddenContactIds"}}


#: Rows that say which complaint they are about by its id alone (a delivery, a notice): kept unless that complaint's
#: case is hidden from the viewer.
NOT_OF_HIDDEN_COMPLAINT = {
    "or": [{"complaintId": {"isNull": True}}, {"not": {"complaintId": {"in": "$viewer.hiddenComplaintIds"}}}]
}
#: Rows that say which case they are about by the ids of its complaint and its contact (a delivery: a hazard notice
#: has a contact and no complaint): kept unless that case is hidden from the viewer.
NOT_OF_HIDDEN_CASE = {
    "and": [
        NOT_OF_HIDDEN_COMPLAINT,
        {"or": [{"contactId": {"isNull": True}}, {"not": {"contactId": {"in": "$viewer.hiddenContactIds"}}}]},
    ]
}
#: Audit trail entries about a hidden case's contact or complaint are left out for the viewer.
NOT_ABOUT_HIDDEN_CASE = {
    "not": {
        "or": [
            {"and": [{"entityType": {"eq": "complaint"}}, {"entityId": {"in": "$viewer.hiddenComplaintKeys"}}]},
            {"and": [{"entityType": {"eq": "contact"}}, {"entityId": {"in": "$viewer.hiddenContactKeys"}}]},
        ]
    }
}


def staff_case(via: str = "", aggregate: bool = True, optional: bool = False) -> dict[str, Access]:
    """Staff see every row of a case except those of a case hidden from them (see HIDDEN_CASE).

    ``via`` is the path of relations from the row to its contact, e.g. ``"complaint.contact"``; every resource
    that belongs to a case uses this, so that a case hidden from someone is hidden whole: in lists, counts,
    aggregates, nested connections and by id. ``optional``: the row's key to its contact may be empty (``via``
    is then one step, ``"contact"``).
    """
    where: dict = {"not": reach(via, HIDDEN_CASE)}
    if optional:  # a row that belongs to no case (its key to the contact is empty) is kept, not lost to NULL
        where = {"or": [reach(via, {"id": {"isNull": True}}), where]}
    return staff(Access(where=where, aggregate=aggregate))
