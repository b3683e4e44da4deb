"""People, their homes, roles and ways to sign in.

Use cases by module:

- ``services``: register, verify an email, change a profile, grant roles, record and revoke representation.
- ``staff``: staff accounts (admins): invite, team and line manager, close a leaver's account.
- ``users``: find people by id or email; whether an account's address is confirmed.
- ``auth``: sign in with a password (throttled), sessions, password reset.
- ``email_sign_in``: sign in by a one-time emailed link.
- ``second_factor``: set up and check an authenticator app and recovery codes.
- ``recovery_codes``: hold new recovery codes until the person has saved them.
- ``phone``: verify a phone number by a texted code.
- ``tokens``: create, list and revoke API tokens for tools.
- ``messages``: the messages about accounts and consent, and the links they carry.
- ``links``: make and read signed, expiring links (email verification, password reset).
- ``passwords``: hash passwords and check the password rules.
- ``sealing``: seal secrets the server must read back, such as authenticator keys.
- ``throttle``: limit account email against mail bombing.
- ``policies``: who may do what with accounts (each check returns a bool).
- ``models``: people, homes, roles, sessions, second factors and API tokens.
"""
