"""The quality checklist gains the check that the resident was told of an improvement made because of their
complaint (the Ombudsman's self-assessment item 12 asks internal quality checks to show it). Admins edit the list;
this adds the item once, after the others."""
from peewee import *


TEXT = "The resident was told of any improvement made because of their complaint."


def up(migrator, db):
    param = db.param
    found = db.execute_sql(f"SELECT COUNT(*) FROM quality_check_item WHERE text = {param}", (TEXT,)).fetchone()[0]
    if not found:
        position = db.execute_sql("SELECT COALESCE(MAX(position), 0) + 1 FROM quality_check_item").fetchone()[0]
        db.execute_sql(
            f"INSERT INTO quality_check_item (text, position, updated_at) VALUES ({param}, {param}, CURRENT_TIMESTAMP)",
            (TEXT, position),
        )


def down(migrator, db):
    db.execute_sql(f"DELETE FROM quality_check_item WHERE text = {db.param}", (TEXT,))
