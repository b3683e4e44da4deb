"""The lessons log lists lessons newest first: an index on the day each was identified lets the database read the
page's rows in order and stop, rather than sort every lesson and count each one's open actions and complaints
(docs/performance.md: 180 ms to under 1 ms for 50 rows of 5,000 lessons on SQLite).
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('lesson', ('identified_on',), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('lesson', 'lesson_identified_on'))
