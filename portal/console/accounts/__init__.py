"""Console pages for people and access.

- ``people``: find a person by name or email, by role and nation.
- ``representations``: record, see and revoke an advocate's consent to act for a resident.
- ``security``: sign-in security (admins): require a second factor for staff, reset someone's.
- ``tokens``: API tokens (admins): create, see and revoke.
- ``staff``: staff accounts (admins): invite, roles, team and line manager, and a leaver's handover.
"""

from portal.console.accounts import people, representations, security, staff, tokens  # noqa: F401
