"""Create the rate-limit counters shared by every web process."""
from peewee import *

def up(migrator, db):
    class RateLimitWindow(Model):
        key_hash = CharField(max_length=64)
        window_start = DateTimeField()
        expires_at = DateTimeField(index=True)
        hits = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'rate_limit_window'
            indexes = ((('key_hash', 'window_start'), True),)
    db.create_tables([RateLimitWindow])

def down(migrator, db):
    migrator.migrate(migrator.drop_table('rate_limit_window'))
