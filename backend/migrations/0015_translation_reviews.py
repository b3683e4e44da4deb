"""Translation reviews: after staff change a message's English wording, each other language is reviewed
(or re-edited) rather than silently falling back to English. Who reviewed it, when, and against which
English wording."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class TranslationReview(Model):
        event = CharField(max_length=80)
        channel = CharField(max_length=20)
        locale = CharField(max_length=10)
        english_changed_at = DateTimeField()
        reviewed_at = DateTimeField()
        reviewed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'translation_review'
            indexes = ((('event', 'channel', 'locale'), True),)
    db.create_tables([TranslationReview])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('translation_review'))
