"""Each theme's figures are stored and worked out again only when they are out of date (docs/performance.md: the
themes dashboard counted every linked contact on each request, 26 s at the bench's scale).

``theme_figures`` holds a theme's totals and version, ``theme_month_figures`` its trend's months; the triggers of
``backend.lessons.figure_triggers`` add a theme's row when it is made and move its version when anything the figures
count changes. Every theme starts out of date, so the first reader (or the periodic task) works them out.
"""
from peewee import *

from backend.lessons import figure_triggers


def up(migrator, db):
    class Theme(Model):
        class Meta:
            database = db
            table_name = 'theme'

    class ThemeFigures(Model):
        theme = ForeignKeyField(Theme, primary_key=True, on_delete='CASCADE')
        residents_affected = IntegerField(default=0)
        contacts = IntegerField(default=0)
        complaints = IntegerField(default=0)
        upheld_complaints = IntegerField(default=0)
        impact = IntegerField(default=0)
        month = DateField(null=True)
        version = IntegerField(default=1)
        refreshed_version = IntegerField(default=0)
        refreshed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'theme_figures'

    class ThemeMonthFigures(Model):
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        month = DateField()
        contacts = IntegerField(default=0)
        complaints = IntegerField(default=0)
        upheld_complaints = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'theme_month_figures'
            indexes = ((('theme', 'month'), True),)

    db.create_tables([ThemeFigures, ThemeMonthFigures])
    db.execute_sql(
        'INSERT INTO "theme_figures" ("theme_id", "residents_affected", "contacts", "complaints", '
        '"upheld_complaints", "impact", "version", "refreshed_version") '
        'SELECT "id", 0, 0, 0, 0, 0, 1, 0 FROM "theme"'
    )
    figure_triggers.install(db)


def down(migrator, db):
    figure_triggers.remove(db)
    db.execute_sql('DROP TABLE "theme_month_figures"')
    db.execute_sql('DROP TABLE "theme_figures"')
