"""Subject access requests (UK GDPR article 15): who asked, the one-month clock, each step from logging to release
by the data protection officer, and where the export's zip is kept (its storage key, size and checksum only)."""

# Generated from a schema diff on 2026-12-07 15:03.
from peewee import *

from backend.updated_at import install_triggers


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "account"

    class SubjectAccessRequest(Model):
        person = ForeignKeyField(User, on_delete="CASCADE")
        received_at = DateTimeField(index=True)
        received_on = DateField()
        due_on = DateField(index=True)
        extended_to = DateField(null=True)
        extension_reason = TextField(default="")
        extended_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        extended_at = DateTimeField(null=True)
        channel = CharField(max_length=40, default="")
        note = TextField(default="")
        third_parties = TextField(default="")
        status = CharField(index=True, max_length=12, default="received")
        logged_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        compiled_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        compiled_at = DateTimeField(null=True)
        export_key = CharField(null=True, max_length=200)
        export_size = IntegerField(null=True)
        export_sha256 = CharField(null=True, max_length=64)
        summary = TextField(default="")
        reviewed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        reviewed_at = DateTimeField(null=True)
        review_note = TextField(default="")
        released_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        released_at = DateTimeField(null=True)
        release_method = CharField(null=True, max_length=12)
        closed_reason = TextField(default="")
        closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        closed_at = DateTimeField(null=True)
        reminded_on = DateField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "subject_access_request"

    db.create_tables([SubjectAccessRequest])
    install_triggers(db)  # the new table's updated_at trigger, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table("subject_access_request"))
    install_triggers(db)  # on PostgreSQL, drops the trigger function the table leaves behind
