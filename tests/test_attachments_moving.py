"""Checking every stored file against its checksum, and moving every stored file between a folder and an S3 bucket:
each copy checked, a stopped move finished by running it again, and the originals deleted only once all is moved."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest

from backend.attachments.moving import STORED_TABLES, move_all, verify_all
from backend.attachments.s3 import S3Storage
from backend.attachments.storage import LocalStorage, Stored
from backend.complaints.models import Attachment
from backend.models import ALL_MODELS
from tests import factories
from tests.test_cli import run


def keep(store: Any, contact: Any, content: bytes) -> Attachment:
    """Save ``content`` in ``store`` and record it as an attachment of ``contact``, as an upload would be."""
    stored = store.save(io.BytesIO(content), len(content))
    return Attachment.create(
        contact=contact.id,
        file_name="photo.png",
        media_type="image/png",
        family="image",
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
    )


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "attachments")


@pytest.fixture
def bucket(s3_bucket: Any) -> S3Storage:
    name, options, client = s3_bucket
    return S3Storage(name, "moved", options, client)


@pytest.fixture
def contact() -> Any:
    return factories.make_contact()


def test_stored_tables_lists_every_model_that_keeps_a_storage_key() -> None:
    # A key to stored content is ``storage_key``, or any ``<name>_key`` kept with a ``<name>_sha256``.
    keeping = {
        model
        for model in ALL_MODELS
        if "storage_key" in model._meta.fields
        or any(f"{name[:-4]}_sha256" in model._meta.fields for name in model._meta.fields if name.endswith("_key"))
    }
    assert keeping == set(STORED_TABLES)
    assert len(keeping) >= 6  # the scan sees the models


@pytest.mark.parametrize("direction", ["file_to_s3", "s3_to_file"])
def test_move_all_copies_every_file_and_checks_it(local, bucket, contact, direction) -> None:
    source, target = (local, bucket) if direction == "file_to_s3" else (bucket, local)
    rows = [keep(source, contact, os.urandom(size)) for size in (0, 10, 70_000)]
    tally = move_all(source, target)
    assert (tally.copied, tally.good, tally.problems) == (3, 0, 0)
    for row in rows:
        with target.open(row.storage_key) as stream:
            assert hashlib.sha256(stream.read()).hexdigest() == row.sha256
        with source.open(row.storage_key):
            pass  # the originals stay until --delete-source
    assert [row.storage_key for row in Attachment.select().order_by(Attachment.id)] == [r.storage_key for r in rows]
    assert verify_all(target).good == 3


def test_move_all_run_again_after_a_stop_copies_only_what_is_left(local, bucket, contact) -> None:
    rows = [keep(local, contact, os.urandom(100)) for _ in range(3)]
    with local.open(rows[0].storage_key) as stream:
        bucket.put(rows[0].storage_key, stream, 100)  # the first run stopped after one file
    reported: list[tuple[str, int]] = []
    tally = move_all(local, bucket, report=lambda outcome, stored: reported.append((outcome, stored.row_id)))
    assert (tally.copied, tally.good) == (2, 1)
    assert reported == [("copied", rows[1].id), ("copied", rows[2].id)]
    again = move_all(local, bucket)
    assert (again.copied, again.good) == (0, 3)


def test_move_all_recopies_a_copy_that_does_not_match(local, bucket, contact) -> None:
    row = keep(local, contact, b"the real content")
    bucket.put(row.storage_key, io.BytesIO(b"half a cop"), 100)
    tally = move_all(local, bucket)
    assert tally.copied == 1
    assert verify_all(bucket).good == 1


def test_move_all_delete_source_removes_the_originals_once_all_are_moved(local, bucket, contact) -> None:
    rows = [keep(local, contact, os.urandom(50)) for _ in range(2)]
    tally = move_all(local, bucket, delete_source=True)
    assert (tally.copied, tally.deleted) == (2, 2)
    for row in rows:
        with pytest.raises(FileNotFoundError):
            local.open(row.storage_key)
    assert verify_all(bucket).good == 2


def test_move_all_with_a_damaged_original_copies_the_rest_and_deletes_nothing(local, bucket, contact) -> None:
    good = keep(local, contact, b"good content")
    bad = keep(local, contact, b"original")
    local.root.joinpath(*bad.storage_key.split("/")).write_bytes(b"tampered")
    tally = move_all(local, bucket, delete_source=True)
    assert tally.copied == 1 and [f.row_id for f in tally.damaged] == [bad.id] and tally.deleted == 0
    with local.open(good.storage_key):
        pass
    with pytest.raises(FileNotFoundError):
        bucket.open(bad.storage_key)


def test_move_all_with_an_original_missing_reports_it(local, bucket, contact) -> None:
    row = keep(local, contact, b"soon gone")
    local.delete(row.storage_key)
    tally = move_all(local, bucket, delete_source=True)
    assert [f.row_id for f in tally.missing] == [row.id] and tally.deleted == 0


def test_verify_all_reports_missing_and_damaged_files_by_table_and_id(local, contact) -> None:
    fine = keep(local, contact, b"fine")
    gone = keep(local, contact, b"gone")
    changed = keep(local, contact, b"changed")
    local.delete(gone.storage_key)
    local.root.joinpath(*changed.storage_key.split("/")).write_bytes(b"CHANGED")
    reported: list[tuple[str, str, int]] = []
    tally = verify_all(local, lambda outcome, stored: reported.append((outcome, stored.table, stored.row_id)))
    assert tally.good == 1 and fine.id not in [row_id for _, _, row_id in reported]
    assert reported == [("missing", "attachment", gone.id), ("damaged", "attachment", changed.id)]


def test_local_storage_put_writes_under_the_key_it_is_given(local: LocalStorage) -> None:
    key = "ab/cd/" + "1" * 64 + "-" + "2" * 32
    assert local.put(key, io.BytesIO(b"moved here"), 100) == Stored(
        key=key, size=10, sha256=hashlib.sha256(b"moved here").hexdigest()
    )
    with local.open(key) as stream:
        assert stream.read() == b"moved here"


# --- The commands ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("attachments-cli")
    assert run(folder, "migrate").returncode == 0
    return folder


def test_attachments_verify_command_counts_the_files(instance: Path) -> None:
    result = run(instance, "attachments", "verify")
    assert result.returncode == 0, result.stderr
    assert "0 good, 0 missing, 0 damaged" in result.stdout


def test_attachments_migrate_command_to_a_bucket_reports_counts(instance: Path, s3_bucket: Any) -> None:
    name, options, _client = s3_bucket
    result = run(
        instance,
        "attachments",
        "migrate",
        "--to",
        f"s3://{name}/learnloop",
        LEARNLOOP_S3_ENDPOINT_URL=options.endpoint_url,
        LEARNLOOP_S3_REGION=options.region,
        LEARNLOOP_S3_ACCESS_KEY_ID=options.access_key_id,
        LEARNLOOP_S3_SECRET_ACCESS_KEY=options.secret_access_key,
    )
    assert result.returncode == 0, result.stderr
    assert "0 copied, 0 already there, 0 missing, 0 damaged, 0 failed" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--to", "file:instance/attachments"), "the same store"),
        (("--to", "s3://Bad_Bucket/x"), "bucket"),
        ((), "--to"),
    ],
)
def test_attachments_migrate_command_bad_target_gets_a_clear_error(instance: Path, args: Any, words: str) -> None:
    result = run(instance, "attachments", "migrate", *args)
    assert result.returncode != 0 and words in result.stderr
