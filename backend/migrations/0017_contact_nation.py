"""A contact records the nation of the home it is about, which decides the complaints procedure and ombudsman.

Until now a complaint with no home on record was opened under England's Code. From here the nation comes
from the home, or staff choose it; a complaint is never opened under another country's rules.

Existing contacts take their home's nation. A contact without a home that is already a complaint takes the
nation its complaint was opened under, so the two agree; any other contact without a home stays empty until
staff choose its nation.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('contact', 'nation', CharField(max_length=20, null=True)),
        migrator.add_index('contact', ('nation',), False),
    )
    db.execute_sql(
        'UPDATE contact SET nation = (SELECT home.nation FROM home WHERE home.id = contact.home_id) '
        'WHERE home_id IS NOT NULL'
    )
    db.execute_sql(
        'UPDATE contact SET nation = (SELECT complaint.nation FROM complaint WHERE complaint.contact_id = contact.id) '
        'WHERE nation IS NULL'
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('contact', 'contact_nation'),
        migrator.drop_column('contact', 'nation'),
    )
