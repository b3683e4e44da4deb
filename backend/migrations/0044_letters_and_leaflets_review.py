"""The letters-and-leaflets review: the message wordings and stage leaflets under a review of kind "documents", and
the wording members propose for each, which the panel approves and the landlord adopts."""
from peewee import *
from backend.updated_at import install_triggers


def up(migrator, db):
    class RegimeStage(Model):
        class Meta:
            database = db
            table_name = 'regime_stage'

    class ScrutinyReview(Model):
        class Meta:
            database = db
            table_name = 'scrutiny_review'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ReviewDocument(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        kind = CharField(max_length=20)
        event = CharField(max_length=80, default='')
        channel = CharField(max_length=20, default='')
        stage = ForeignKeyField(RegimeStage, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        note = TextField(default='')
        added_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        added_at = DateTimeField()
        reviewed_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'review_document'
    db.create_tables([ReviewDocument])

    class DocumentProposal(Model):
        document = ForeignKeyField(ReviewDocument, on_delete='CASCADE')
        locale = CharField(max_length=10)
        subject = TextField(default='')
        text = TextField()
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        status = CharField(index=True, max_length=20, default='proposed')
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True)
        adopted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        adopted_at = DateTimeField(null=True)
        adopted_ref = CharField(max_length=64, default='')
        decision_note = TextField(default='')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'document_proposal'
    db.create_tables([DocumentProposal])
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('document_proposal'))
    migrator.migrate(migrator.drop_table('review_document'))
    install_triggers(db)
