"""How a resident consented to a representative is one of the consent methods a representation records.

Until now the API took any text here, and a contact an advocate logged said "recorded". Existing values are
brought into the list: the same code in other letter case or with spaces is that code; "recorded" becomes the
consent method of the advocate's representation of that resident; anything else is emptied, since no code says
what it meant. The consent itself (representative_consent) is kept in every case.

Going down changes nothing: every value left is one the old column held.
"""

METHODS = ("written", "verbal", "portal", "email")


def up(migrator, db):
    listed = ", ".join(f"'{method}'" for method in METHODS)
    db.execute_sql(
        "UPDATE contact SET representative_consent_method = LOWER(TRIM(representative_consent_method)) "
        f"WHERE LOWER(TRIM(representative_consent_method)) IN ({listed})"
    )
    db.execute_sql(
        "UPDATE contact SET representative_consent_method = ("
        "SELECT representation.consent_method FROM representation "
        "WHERE representation.advocate_id = contact.representative_user_id "
        "AND representation.resident_id = contact.resident_id "
        "ORDER BY representation.revoked_at IS NULL DESC, representation.id DESC LIMIT 1) "
        "WHERE representative_consent_method = 'recorded'"
    )
    db.execute_sql(
        f"UPDATE contact SET representative_consent_method = NULL WHERE representative_consent_method NOT IN ({listed})"
    )


def down(migrator, db):
    pass
