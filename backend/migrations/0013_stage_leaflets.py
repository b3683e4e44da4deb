"""A PDF leaflet per regime stage, enclosed with the letters of that stage. The bytes live in attachment storage."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class RegimeStage(Model):
        class Meta:
            database = db
            table_name = 'regime_stage'

    class StageLeaflet(Model):
        stage = ForeignKeyField(RegimeStage, unique=True, on_delete='CASCADE')
        title = CharField(max_length=200)
        file_name = CharField(max_length=200)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        storage_key = CharField(unique=True, max_length=200)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        uploaded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'stage_leaflet'
    db.create_tables([StageLeaflet])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('stage_leaflet'))
