"""The scheduler's lease: which worker enqueues the periodic tasks, until when, and the last minute it enqueued.

Used when the queue is not Redis (Redis keeps its own lease); one row per site.
"""
from peewee import *


def up(migrator, db):
    class SchedulerLease(Model):
        name = CharField(max_length=100, primary_key=True)
        holder = CharField(max_length=100)
        expires_at = DateTimeField()
        last_minute = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'scheduler_lease'
    db.create_tables([SchedulerLease])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('scheduler_lease'))
