"""Attachments in an S3-compatible bucket, against a real S3 server (moto's) on this machine: saving, reading,
deleting, the size limit, a full or failing store, and content checked against its checksum before anyone gets it."""

from __future__ import annotations

import hashlib
import io
import os
from typing import Any

import pytest

from backend.attachments import s3
from backend.attachments.checksums import Damaged, open_verified, verify
from backend.attachments.s3 import S3Storage, parse_s3_url
from backend.attachments.storage import LOCAL_KEY, LocalStorage, NotStored, S3Options, TooLarge
from backend.attachments.stores import store_from_url


def objects(client: Any, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def unfinished_uploads(client: Any, bucket: str) -> list[Any]:
    return client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])


@pytest.fixture
def store(s3_bucket: Any) -> S3Storage:
    bucket, options, client = s3_bucket
    return S3Storage(bucket, "attachments", options, client)


@pytest.mark.parametrize("size", [0, 1, 65 * 1024, s3.PART_SIZE, s3.PART_SIZE + 1])
def test_s3_storage_save_then_open_returns_the_same_content(store: S3Storage, size: int) -> None:
    content = os.urandom(size)
    stored = store.save(io.BytesIO(content), max_bytes=s3.PART_SIZE + 1)
    assert (stored.size, stored.sha256) == (size, hashlib.sha256(content).hexdigest())
    with store.open(stored.key) as stream:
        assert stream.read() == content


def test_s3_storage_save_keys_are_random_under_the_prefix(store: S3Storage, s3_bucket: Any) -> None:
    first = store.save(io.BytesIO(b"same"), 100)
    second = store.save(io.BytesIO(b"same"), 100)
    assert first.key != second.key
    assert LOCAL_KEY.fullmatch(first.key)
    assert hashlib.sha256(b"same").hexdigest() not in first.key
    assert sorted(objects(s3_bucket[2], s3_bucket[0])) == sorted(f"attachments/{k}" for k in (first.key, second.key))


def test_s3_storage_save_multipart_content_is_one_object(store: S3Storage, s3_bucket: Any) -> None:
    content = os.urandom(2 * s3.PART_SIZE + 10)
    stored = store.save(io.BytesIO(content), max_bytes=len(content))
    assert objects(s3_bucket[2], s3_bucket[0]) == [f"attachments/{stored.key}"]
    assert unfinished_uploads(s3_bucket[2], s3_bucket[0]) == []
    assert verify(store, stored.key, len(content), hashlib.sha256(content).hexdigest()) is None


@pytest.mark.parametrize(("size", "max_bytes"), [(11, 10), (s3.PART_SIZE + 1, s3.PART_SIZE), (2 * s3.PART_SIZE, 10**7)])
def test_s3_storage_save_too_large_leaves_nothing_behind(
    store: S3Storage, s3_bucket: Any, size: int, max_bytes: int
) -> None:
    with pytest.raises(TooLarge):
        store.save(io.BytesIO(b"x" * size), max_bytes)
    assert objects(s3_bucket[2], s3_bucket[0]) == []
    assert unfinished_uploads(s3_bucket[2], s3_bucket[0]) == []


def test_s3_storage_save_too_large_stops_reading_past_the_limit(store: S3Storage) -> None:
    stream = io.BytesIO(b"x" * 1000)
    with pytest.raises(TooLarge):
        store.save(stream, 100)
    assert stream.tell() == 101


def test_s3_storage_save_server_side_encryption_is_asked_for(s3_bucket: Any) -> None:
    bucket, options, client = s3_bucket
    sealed = S3Storage(bucket, "", S3Options(**{**vars(options), "server_side_encryption": "AES256"}), client)
    stored = sealed.save(io.BytesIO(b"sealed"), 100)
    assert client.head_object(Bucket=bucket, Key=stored.key)["ServerSideEncryption"] == "AES256"


def test_s3_storage_save_to_a_missing_bucket_raises_not_stored(s3_bucket: Any) -> None:
    _bucket, options, client = s3_bucket
    gone = S3Storage("no-such-bucket-here", "", options, client)
    with pytest.raises(NotStored) as raised:
        gone.save(io.BytesIO(b"words"), 100)
    assert raised.value.reason == "unavailable"


def test_s3_storage_save_failing_part_way_aborts_the_upload(
    store: S3Storage, s3_bucket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    def full(**_kwargs: Any) -> Any:
        raise ClientError({"Error": {"Code": "XMinioStorageFull", "Message": "full"}}, "UploadPart")

    monkeypatch.setattr(store.client, "upload_part", full)
    with pytest.raises(NotStored) as raised:
        store.save(io.BytesIO(b"x" * (s3.PART_SIZE + 1)), 10**8)
    assert raised.value.reason == "full"
    assert objects(s3_bucket[2], s3_bucket[0]) == []
    assert unfinished_uploads(s3_bucket[2], s3_bucket[0]) == []


def test_s3_storage_open_unknown_key_raises_file_not_found(store: S3Storage) -> None:
    with pytest.raises(FileNotFoundError):
        store.open("ab/cd/" + "0" * 64 + "-" + "0" * 32)


@pytest.mark.parametrize("key", ["../x", "ab/cd/../../etc", "", "ab/cd/" + "0" * 64])
def test_s3_storage_key_outside_the_format_is_refused(store: S3Storage, key: str) -> None:
    with pytest.raises(ValueError):
        store.open(key)
    with pytest.raises(ValueError):
        store.put(key, io.BytesIO(b"x"), 10)


def test_s3_storage_delete_twice_is_not_an_error(store: S3Storage, s3_bucket: Any) -> None:
    stored = store.save(io.BytesIO(b"bye"), 10)
    store.delete(stored.key)
    store.delete(stored.key)
    assert objects(s3_bucket[2], s3_bucket[0]) == []


def test_s3_storage_check_passes_for_the_bucket_and_fails_without_it(store: S3Storage, s3_bucket: Any) -> None:
    assert store.check() is None
    with pytest.raises(OSError, match="not usable"):
        S3Storage("no-such-bucket-here", "", s3_bucket[1], s3_bucket[2]).check()


def test_s3_storage_put_keeps_the_key_a_local_store_made(store: S3Storage, tmp_path: Any) -> None:
    local = LocalStorage(tmp_path)
    stored = local.save(io.BytesIO(b"moved"), 10)
    with local.open(stored.key) as stream:
        assert store.put(stored.key, stream, 10) == stored
    assert verify(store, stored.key, stored.size, stored.sha256) is None


def test_store_from_url_file_url_gives_a_local_store(tmp_path: Any) -> None:
    store = store_from_url(f"file://{tmp_path}")
    assert isinstance(store, LocalStorage) and store.root == tmp_path


@pytest.mark.parametrize(
    ("url", "words"), [("s3://B/x", "bucket"), ("s3://bucket/../up", "prefix"), ("s3://ab", "bucket")]
)
def test_store_from_url_bad_s3_url_raises_value_error(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        store_from_url(url)


@pytest.mark.parametrize(
    ("url", "bucket", "prefix"),
    [("s3://files/", "files", ""), ("s3://my.files-1/a/b/", "my.files-1", "a/b"), ("s3://abc", "abc", "")],
)
def test_parse_s3_url_gives_bucket_and_prefix(url: str, bucket: str, prefix: str) -> None:
    assert parse_s3_url(url) == (bucket, prefix)


def test_store_from_url_s3_url_gives_an_s3_store(s3_endpoint: str) -> None:
    store = store_from_url("s3://files/learnloop", S3Options(endpoint_url=s3_endpoint, region="eu-west-2"))
    assert isinstance(store, S3Storage)
    assert (store.bucket, store.prefix) == ("files", "learnloop")


# --- Checksums ------------------------------------------------------------------------------------------------------


@pytest.fixture(params=["local", "s3"])
def any_store(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    if request.param == "local":
        return LocalStorage(tmp_path)
    return request.getfixturevalue("store")


def tamper(store: Any, key: str, content: bytes) -> None:
    """Change what is kept under ``key`` behind the store's back, as damage or an intruder would."""
    if isinstance(store, LocalStorage):
        store.root.joinpath(*key.split("/")).write_bytes(content)
    else:
        store.client.put_object(Bucket=store.bucket, Key=f"{store.prefix}/{key}", Body=content)


def test_open_verified_matching_content_is_given_from_its_start(any_store: Any) -> None:
    content = os.urandom(3 * 65536 + 7)
    stored = any_store.save(io.BytesIO(content), len(content))
    with open_verified(any_store, stored.key, stored.size, stored.sha256) as stream:
        assert stream.read() == content


@pytest.mark.parametrize(
    ("changed", "reason"), [(b"Hello, worle", "checksum"), (b"Hello", "size"), (b"Hello, world!!", "size")]
)
def test_open_verified_changed_content_is_refused(
    any_store: Any, changed: bytes, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    stored = any_store.save(io.BytesIO(b"Hello, world"), 100)
    tamper(any_store, stored.key, changed)
    with pytest.raises(Damaged) as raised:
        open_verified(any_store, stored.key, stored.size, stored.sha256)
    assert raised.value.reason == reason
    assert stored.key in caplog.text and "Hello" not in caplog.text


def test_open_verified_a_swollen_object_is_not_read_to_its_end(store: S3Storage) -> None:
    stored = store.save(io.BytesIO(b"small"), 100)
    tamper(store, stored.key, b"x" * (4 * 1024 * 1024))
    reads: list[int] = []
    opened = store.open

    def counting_open(key: str) -> Any:
        stream = opened(key)
        real = stream.read
        stream.read = lambda size=-1: reads.append(size) or real(size)  # type: ignore[method-assign]
        return stream

    store.open = counting_open  # type: ignore[method-assign]
    with pytest.raises(Damaged):
        open_verified(store, stored.key, stored.size, stored.sha256)
    assert sum(reads) <= stored.size + 1


# --- Settings -------------------------------------------------------------------------------------------------------


def test_load_settings_s3_store_reads_every_s3_setting(tmp_path: Any) -> None:
    from backend.config import load_settings

    settings = load_settings(
        environ={
            "LEARNLOOP_INSTANCE_PATH": str(tmp_path),
            "LEARNLOOP_ATTACHMENTS_URL": "s3://learnloop-files/attachments",
            "LEARNLOOP_S3_ENDPOINT_URL": "https://minio.example.org:9000/",
            "LEARNLOOP_S3_REGION": "eu-west-2",
            "LEARNLOOP_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "LEARNLOOP_S3_SECRET_ACCESS_KEY": "secret-example",
            "LEARNLOOP_S3_SERVER_SIDE_ENCRYPTION": "AES256",
        }
    )
    assert settings.attachments_url == "s3://learnloop-files/attachments"
    assert settings.s3_endpoint_url == "https://minio.example.org:9000"
    assert (settings.s3_region, settings.s3_server_side_encryption) == ("eu-west-2", "AES256")
    assert "secret-example" not in repr(settings)


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"LEARNLOOP_ATTACHMENTS_URL": "gs://bucket/x"}, "LEARNLOOP_ATTACHMENTS_URL"),
        ({"LEARNLOOP_ATTACHMENTS_URL": "s3://Bad_Bucket/x"}, "LEARNLOOP_ATTACHMENTS_URL"),
        ({"LEARNLOOP_S3_ENDPOINT_URL": "minio:9000"}, "LEARNLOOP_S3_ENDPOINT_URL"),
        ({"LEARNLOOP_S3_REGION": "EU West 2"}, "LEARNLOOP_S3_REGION"),
        ({"LEARNLOOP_S3_ACCESS_KEY_ID": "AKIAEXAMPLE"}, "LEARNLOOP_S3_SECRET_ACCESS_KEY"),
        ({"LEARNLOOP_S3_SECRET_ACCESS_KEY": "secret"}, "LEARNLOOP_S3_ACCESS_KEY_ID"),
        ({"LEARNLOOP_S3_SERVER_SIDE_ENCRYPTION": "rot13"}, "LEARNLOOP_S3_SERVER_SIDE_ENCRYPTION"),
    ],
)
def test_load_settings_bad_s3_setting_names_the_variable(tmp_path: Any, values: dict[str, str], variable: str) -> None:
    from backend.config import ConfigError, load_settings

    with pytest.raises(ConfigError) as error:
        load_settings(environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path), **values})
    assert error.value.variable == variable
