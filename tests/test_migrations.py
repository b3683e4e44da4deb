"""Every migration applied to an empty database gives exactly the schema the models describe."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from playhouse.schema_diff import diff_models

from backend.migrate import MIGRATIONS_DIR, migrate_down, migrate_up, new_migration, runner
from backend.models import ALL_MODELS

PG_SCHEMA = "learnloop_migration_check"


def sqlite_database(tmp_path: Path) -> Iterator[Any]:
    database = SqliteDatabase(str(tmp_path / "empty.sqlite3"), pragmas={"foreign_keys": 1})
    database.connect()
    yield database
    database.close()


def postgres_database() -> Iterator[Any]:
    import psycopg
    from playhouse.postgres_ext import Psycopg3Database

    url = os.environ["LEARNLOOP_TEST_DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")
    from urllib.parse import urlparse

    parsed = urlparse(url)
    database = Psycopg3Database(
        parsed.path.lstrip("/"),
        user=parsed.username,
        password=parsed.password,
        host=parsed.hostname,
        port=parsed.port,
        options=f"-c search_path={PG_SCHEMA}",
    )
    database.connect()
    yield database
    database.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("LEARNLOOP_TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    factory = sqlite_database(tmp_path) if request.param == "sqlite" else postgres_database()
    yield from factory


def bound(database: Any) -> Any:
    """Bind the models to ``database`` for the diff without touching the app's proxy."""
    return database.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False)


def column_signature(database: Any) -> dict[str, dict[str, tuple[bool, bool]]]:
    """For each table: column name -> (nullable, primary key)."""
    return {
        model._meta.table_name: {c.name: (c.null, c.primary_key) for c in database.get_columns(model._meta.table_name)}
        for model in ALL_MODELS
    }


def model_signature() -> dict[str, dict[str, tuple[bool, bool]]]:
    return {
        model._meta.table_name: {f.column_name: (bool(f.null), bool(f.primary_key)) for f in model._meta.sorted_fields}
        for model in ALL_MODELS
    }


def test_migrations_on_empty_database_match_the_models(empty_database: Any) -> None:
    applied = migrate_up(empty_database)
    assert applied == sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
    with bound(empty_database):
        diff = diff_models(empty_database, ALL_MODELS)
    assert not diff, f"schema differs from models:\n{diff}"
    assert column_signature(empty_database) == model_signature()


def test_migrations_revert_and_reapply_cleanly(empty_database: Any) -> None:
    migrate_up(empty_database)
    first = runner(empty_database).status()[0].name
    reverted = migrate_down(empty_database, first)
    assert first in reverted
    # SQLite keeps AUTOINCREMENT's sequences in its own table, which can't be dropped.
    tables = set(empty_database.get_tables()) - {"schema_migration", "sqlite_sequence"}
    assert tables == set()
    migrate_up(empty_database)
    with bound(empty_database):
        assert not diff_models(empty_database, ALL_MODELS)


def test_migration_files_are_numbered_without_gaps() -> None:
    numbers = sorted(int(p.stem.split("_", 1)[0]) for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
    assert numbers == list(range(1, len(numbers) + 1))


def copied_migrations(tmp_path: Path) -> tuple[Path, int]:
    """A copy of the migrations folder, and the number its next migration takes."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    numbered = sorted(MIGRATIONS_DIR.glob("[0-9]*.py"))
    for path in numbered:
        (folder / path.name).write_text(path.read_text())
    return folder, int(numbered[-1].stem.split("_", 1)[0]) + 1


def test_new_migration_is_generated_from_what_the_models_changed(tmp_path: Path) -> None:
    folder, number = copied_migrations(tmp_path)
    # A column the models do not have: the next migration must take it away.
    (folder / f"{number:04d}_leftover.py").write_text(
        "from peewee import TextField\n\n\n"
        "def up(migrator, db):\n    migrator.migrate(migrator.add_column('account', 'leftover', TextField(null=True)))\n"
    )
    path, changed = new_migration("drop the leftover", folder)
    assert changed and path.name == f"{number + 1:04d}_drop_the_leftover.py"
    assert "drop_column('account', 'leftover')" in path.read_text()
    database = SqliteDatabase(str(tmp_path / "check.sqlite3"), pragmas={"foreign_keys": 1})
    with database.connection_context():
        runner(database, folder).up()
        with bound(database):
            assert not diff_models(database, ALL_MODELS)


def test_new_migration_without_model_changes_is_an_empty_one_that_reverts(tmp_path: Path) -> None:
    folder, number = copied_migrations(tmp_path)
    path, changed = new_migration("Fill the new column", folder)
    assert not changed and path.name == f"{number:04d}_fill_the_new_column.py"
    assert path.read_text().startswith('"""Fill the new column."""')
    database = SqliteDatabase(str(tmp_path / "check.sqlite3"), pragmas={"foreign_keys": 1})
    with database.connection_context():
        assert runner(database, folder).up()[-1] == path.stem
        assert runner(database, folder).down() == [path.stem]
    assert sorted(MIGRATIONS_DIR.glob(f"{number:04d}_*.py")) == []  # the real folder is untouched


def test_message_secrets_migration_removes_links_from_wording_and_stored_copies(empty_database: Any) -> None:
    runner(empty_database).up("0007_complaints")
    token_line = "Choose a new password: http://x.test/reset-password/confirm?token=abc.def"
    empty_database.execute_sql(
        "INSERT INTO account (email, display_name, contact_channel, accessibility_needs, reasonable_adjustments, "
        "is_active, is_demo, created_at, updated_at) "
        "VALUES ('a@example.org', 'A', 'email', '', '', true, false, '2026-01-01', '2026-01-01')"
    )
    empty_database.execute_sql(
        "INSERT INTO message_template (event, channel, locale, subject, body, updated_at) VALUES "
        "('account.password_reset_requested', 'email', 'en', 'Reset {{ link }}', "
        "'Hello {{ name }}\n\nChoose: {{ link }}\n\nBye', '2026-01-01')"
    )
    empty_database.execute_sql(
        "INSERT INTO outbox_event (name, payload, created_at, attempts) VALUES ('x', '{}', '2026-01-01', 0)"
    )
    empty_database.execute_sql(
        "INSERT INTO delivery (event_id, idempotency_key, channel, status, attempts, created_at, topic, locale, "
        f"subject, body) VALUES (1, 'k', 'email', 'sent', 1, '2026-01-01', 'account', 'en', 'Reset', 'Hi\n\n{token_line}\n\nBye')"
    )
    empty_database.execute_sql(
        "INSERT INTO letter (user_id, locale, address, subject, body, status, created_at) VALUES "
        "(1, 'en', 'A', 'Survey', 'Answer: http://x.test/s/eyJpbnYiOjR9.abc', 'queued', '2026-01-01')"
    )
    runner(empty_database).up()
    ((subject, body),) = empty_database.execute_sql("SELECT subject, body FROM message_template").fetchall()
    assert (subject, body) == ("Reset", "Hello {{ name }}\n\nBye")
    ((delivery,),) = empty_database.execute_sql("SELECT body FROM delivery").fetchall()
    assert delivery == "Hi\n\nBye"
    ((letter,),) = empty_database.execute_sql("SELECT body FROM letter").fetchall()
    assert letter == "Answer: [link]"


def test_anonymous_survey_migration_clears_answer_times_and_keeps_linked_ones(empty_database: Any) -> None:
    import datetime as dt

    from peewee import Table

    runner(empty_database).up("0007_complaints")
    moment = dt.datetime(2026, 12, 6, 5, 41, 23, 715667)

    ids = iter(range(1, 100))

    def insert(table: str, **values: Any) -> int:
        # Ids given, as PostgreSQL tells the new id only to a RETURNING clause.
        row = next(ids)
        Table(table).bind(empty_database).insert(id=row, **values).execute()
        return row

    person = insert(
        "account",
        email="gwen@example.org",
        display_name="Gwen",
        contact_channel="email",
        accessibility_needs="",
        reasonable_adjustments="",
        is_active=True,
        is_demo=False,
        created_at=moment,
        updated_at=moment,
    )
    made = {}
    for kind, anonymous in (("anonymous", True), ("linked", False)):
        survey = insert(
            "survey",
            title="{}",
            description="{}",
            anonymous=anonymous,
            status="live",
            expiry_days=28,
            reminder_days=7,
            created_at=moment,
            updated_at=moment,
        )
        question = insert(
            "survey_question", survey_id=survey, position=1, kind="rating", text="{}", options="[]",
            required=False, created_at=moment,
        )  # fmt: skip
        invitation = insert(
            "survey_invitation", survey_id=survey, user_id=person, key=kind, status="answered", due_at=moment,
            answered_at=moment, created_at=moment,
        )  # fmt: skip
        response = insert(
            "survey_response", survey_id=survey, invitation_key=kind, locale="en", channel="email",
            created_at=moment, updated_at=moment, submitted_at=moment,
        )  # fmt: skip
        answer = insert(
            "survey_answer", response_id=response, question_id=question, value="4", number=4,
            created_at=moment, updated_at=moment,
        )  # fmt: skip
        made[kind] = (invitation, response, answer)
    migrate_up(empty_database)

    def times(table: str, row: int, *columns: str) -> list[Any]:
        found = Table(table).bind(empty_database).select(*[Table(table).c[c] for c in columns])
        values = list(found.where(Table(table).c.id == row).tuples())[0]
        return [
            value if isinstance(value, dt.datetime) or value is None else dt.datetime.fromisoformat(value)
            for value in values
        ]

    day = dt.datetime(2026, 12, 6)
    invitation, response, answer = made["anonymous"]
    assert times("survey_invitation", invitation, "answered_at") == [None]
    assert times("survey_response", response, "created_at", "updated_at", "submitted_at") == [day, day, day]
    assert times("survey_answer", answer, "created_at", "updated_at") == [day, day]
    invitation, response, answer = made["linked"]
    assert times("survey_invitation", invitation, "answered_at") == [moment]
    assert times("survey_response", response, "created_at", "updated_at", "submitted_at") == [moment] * 3
    assert times("survey_answer", answer, "created_at", "updated_at") == [moment] * 2


def test_updated_at_migration_fills_from_when_each_row_was_made(empty_database: Any) -> None:
    import datetime as dt

    from peewee import Table

    from backend.updated_at import installed_triggers, trigger_statements

    runner(empty_database).up("0017_contact_nation")
    moment = dt.datetime(2025, 3, 4, 5, 6, 7, 890123)
    Table("landlord").bind(empty_database).insert(id=1, name="L", created_at=moment).execute()
    home = Table("home").bind(empty_database)
    home.insert(
        id=1, landlord_id=1, reference="H1", address="1 Road", postcode="AB1 2CD", nation="england", tenure="rented",
        created_at=moment,
    ).execute()  # fmt: skip
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    migrate_up(empty_database)

    def read(value: Any) -> dt.datetime:
        return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)

    assert [read(v) for (v,) in home.select(home.c.updated_at).tuples()] == [moment]
    regimes = Table("regime").bind(empty_database)
    assert all(read(v) >= before for (v,) in regimes.select(regimes.c.updated_at).tuples())  # seeded: none kept
    assert installed_triggers(empty_database) == sorted(trigger_statements(empty_database))


def test_consent_method_migration_keeps_only_listed_methods(empty_database: Any) -> None:
    import datetime as dt

    from peewee import Table

    runner(empty_database).up("0018_updated_at")
    moment = dt.datetime(2025, 3, 4, 5, 6, 7)
    account = Table("account").bind(empty_database)
    for user_id in (1, 2):
        account.insert(
            id=user_id, email=f"{user_id}@example.org", display_name="A", contact_channel="email",
            accessibility_needs="", reasonable_adjustments="", is_active=True, is_demo=False,
            created_at=moment, updated_at=moment,
        ).execute()  # fmt: skip
    Table("representation").bind(empty_database).insert(
        advocate_id=2, resident_id=1, relationship="advocate", consent_method="verbal", consent_recorded_at=moment,
        updated_at=moment,
    ).execute()  # fmt: skip
    contact = Table("contact").bind(empty_database)
    sent = [" Written", "recorded", "by carrier pigeon", None]
    for number, method in enumerate(sent, start=1):
        contact.insert(
            id=number, reference=f"LL-{number}", channel="portal", received_at=moment, logged_via="portal",
            resident_id=1, representative_user_id=2, anonymous=False, locale="en", description="Hi",
            description_redacted="Hi", wants_to_complain=False, interpreter_used=False, representative_consent=True,
            representative_consent_method=method, adjustments="", vulnerabilities="[]", status="new",
            created_at=moment, updated_at=moment,
        ).execute()  # fmt: skip
    migrate_up(empty_database)
    stored = contact.select(contact.c.representative_consent_method).order_by(contact.c.id).tuples()
    assert [method for (method,) in stored] == ["written", "verbal", None, None]


def test_promises_migration_carries_free_text_orders_into_one_item_each(empty_database: Any) -> None:
    import datetime as dt

    from peewee import Table

    runner(empty_database).up("0019_contact_consent_method")
    moment = dt.datetime(2025, 3, 4, 5, 6, 7)
    regime_id = Table("regime").bind(empty_database).select(Table("regime").c.id).limit(1).scalar()
    contact = Table("contact").bind(empty_database)
    complaint = Table("complaint").bind(empty_database)
    for number, orders in enumerate(["Pay £250 within 4 weeks.", None, "  "], start=1):
        contact.insert(
            id=number, reference=f"LL-{number}", channel="portal", received_at=moment, logged_via="portal",
            anonymous=False, locale="en", description="Hi", description_redacted="Hi", wants_to_complain=True,
            interpreter_used=False, representative_consent=False, adjustments="", vulnerabilities="[]",
            status="complaint", nation="england", created_at=moment, updated_at=moment,
        ).execute()  # fmt: skip
        complaint.insert(
            id=number, reference=f"LL-{number}", contact_id=number, nation="england", regime_id=regime_id, stage=2,
            status="closed", ombudsman_orders=orders, ombudsman_determined_at=moment, created_at=moment,
            updated_at=moment,
        ).execute()  # fmt: skip
    migrate_up(empty_database)
    order = Table("ombudsman_order").bind(empty_database)
    rows = list(order.select(order.c.complaint_id, order.c.text, order.c.due_on, order.c.evidence).tuples())
    assert rows == [(1, "Pay £250 within 4 weeks.", None, "")]
