"""New recovery codes are held, sealed, with the session that made them until the person has saved them, so
that the page showing them can be reloaded (or shown in another language) without losing them."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('user_session', 'held_recovery_codes', TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user_session', 'held_recovery_codes'))
