"""Keep attachment content in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage and the like), through boto3.

Content is streamed to the bucket as it is read: one request for content that fits in one part, a multipart upload
for anything longer. The size limit is enforced while reading, and the SHA-256 digest is computed on the way, so
nothing is read twice. Content that turns out too long, or a store that fails part way, leaves nothing behind: the
multipart upload is aborted. Keys are random, of the same shape as a local store's, under the URL's prefix.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import secrets
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from backend.attachments.storage import CHUNK_SIZE, LOCAL_KEY, NotStored, S3Options, Stored, TooLarge

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

logger = logging.getLogger(__name__)

#: Each part of a multipart upload but the last must be at least 5 MiB; content shorter than one part is sent whole.
PART_SIZE = 8 * 1024 * 1024
SERVER_SIDE_ENCRYPTIONS = ("AES256", "aws:kms")
# The bucket naming rules of S3 (3 to 63 lower-case letters, digits, dots and hyphens).
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
PREFIX = re.compile(r"[A-Za-z0-9._/-]{0,200}")
# Error codes with which S3-compatible services say they have no room (MinIO's, Ceph's and a quota's).
FULL_CODES = frozenset({"XMinioStorageFull", "QuotaExceeded", "InsufficientStorage"})


def parse_s3_url(url: str) -> tuple[str, str]:
    """The bucket and key prefix (without slashes at either end) of ``s3://bucket/prefix``.

    Raises ValueError when the bucket name breaks S3's rules, or the URL carries a user, port, query or fragment.
    """
    parts = urlsplit(url)
    bucket = parts.netloc
    if not BUCKET_NAME.fullmatch(bucket) or ".." in bucket:
        raise ValueError("an S3 storage URL names a bucket (3 to 63 lower-case letters, digits, dots or hyphens)")
    if parts.query or parts.fragment:
        raise ValueError("an S3 storage URL has nothing after the prefix: s3://bucket/prefix")
    prefix = parts.path.strip("/")
    if not PREFIX.fullmatch(prefix) or ".." in prefix.split("/"):
        raise ValueError("an S3 storage URL's prefix uses letters, digits, '.', '_', '-' and '/' only")
    return bucket, prefix


def make_client(options: S3Options) -> S3Client:
    """A client for the service ``options`` names; credentials left empty come from boto3's usual sources."""
    config = Config(
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        # Services other than AWS are mostly reached by path (https://host/bucket/key), not by a bucket's host name.
        s3={"addressing_style": "path" if options.endpoint_url else "auto"},
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=options.endpoint_url or None,
        region_name=options.region or None,
        aws_access_key_id=options.access_key_id or None,
        aws_secret_access_key=options.secret_access_key or None,
        config=config,
    )


class S3Storage:
    """Keep content as objects in one bucket, under a key prefix."""

    def __init__(self, bucket: str, prefix: str, options: S3Options, client: S3Client | None = None):
        if options.server_side_encryption not in ("", *SERVER_SIDE_ENCRYPTIONS):
            raise ValueError(f"server-side encryption is one of {', '.join(SERVER_SIDE_ENCRYPTIONS)}, or empty")
        self.bucket = bucket
        self.prefix = prefix
        self.options = options
        # boto3's clients are safe to share between threads; its sessions are not, so each store makes its own.
        self.client = client or make_client(options)

    def save(self, stream: BinaryIO, max_bytes: int) -> Stored:
        """Stream ``stream`` into a new object and return its key, size and digest.

        Raises :class:`TooLarge` past ``max_bytes`` (no more than ``max_bytes + 1`` bytes are read), and
        :class:`NotStored` when the service refuses or fails; either way no object is left behind.
        """
        random = secrets.token_hex(32)
        return self._upload(f"{random[:2]}/{random[2:4]}/{random}-{secrets.token_hex(16)}", stream, max_bytes)

    def put(self, key: str, stream: BinaryIO, max_bytes: int) -> Stored:
        """Stream ``stream`` into the object for ``key`` (a key some store made), as :meth:`save` does."""
        self._name(key)
        return self._upload(key, stream, max_bytes)

    def open(self, key: str) -> BinaryIO:
        """Stream the object saved under ``key``.

        Raises ValueError for a key no store could have made, FileNotFoundError for one that is not there, and
        OSError when the service fails.
        """
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(key) from None
            raise OSError(f"the bucket did not give the object: {_code(error)}") from error
        except BotoCoreError as error:
            raise OSError(f"the bucket did not answer: {type(error).__name__}") from error
        return io.BufferedReader(_Body(body), CHUNK_SIZE)

    def delete(self, key: str) -> None:
        """Delete the object saved under ``key``; one already gone is not an error (S3 says so itself)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def check(self) -> None:
        """Ask the bucket whether it is there and ours to use (a HeadBucket); raise OSError when not."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            raise OSError(f"the attachments bucket is not usable: {_code(error)}") from error
        except BotoCoreError as error:
            raise OSError(f"the attachments bucket did not answer: {type(error).__name__}") from error

    def _name(self, key: str) -> str:
        if not LOCAL_KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def _extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"ContentType": "application/octet-stream"}
        if self.options.server_side_encryption:
            extra["ServerSideEncryption"] = self.options.server_side_encryption
        return extra

    def _upload(self, key: str, stream: BinaryIO, max_bytes: int) -> Stored:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        name = self._name(key)
        reader = _LimitedReader(stream, max_bytes)
        first = reader.read(PART_SIZE)
        if len(first) < PART_SIZE or reader.at_end():
            # Nothing has been sent yet, so content that is too long (TooLarge, raised above) leaves nothing behind.
            try:
                self.client.put_object(Bucket=self.bucket, Key=name, Body=first, **self._extra())
            except (ClientError, BotoCoreError) as error:
                raise _not_stored(error) from error
            return Stored(key=key, size=reader.size, sha256=reader.digest.hexdigest())
        return self._upload_parts(key, name, reader, first)

    def _upload_parts(self, key: str, name: str, reader: _LimitedReader, first: bytes) -> Stored:
        try:
            upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=name, **self._extra())["UploadId"]
        except (ClientError, BotoCoreError) as error:
            raise _not_stored(error) from error
        parts: list[CompletedPartTypeDef] = []
        try:
            chunk, number = first, 1
            while chunk:
                sent = self.client.upload_part(
                    Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=chunk
                )
                parts.append({"ETag": sent["ETag"], "PartNumber": number})
                chunk, number = reader.read(PART_SIZE), number + 1
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=name, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException as error:
            self._abort(name, upload_id)
            if isinstance(error, ClientError | BotoCoreError):
                raise _not_stored(error) from error
            raise
        return Stored(key=key, size=reader.size, sha256=reader.digest.hexdigest())

    def _abort(self, name: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
        except (ClientError, BotoCoreError):
            # The bucket's lifecycle rule for incomplete uploads (see docs/storage.md) removes what is left.
            logger.warning("could not abort an unfinished upload to the attachments bucket")


class _LimitedReader:
    """Read a stream in pieces, counting and hashing, and raise TooLarge once it passes the limit."""

    def __init__(self, stream: BinaryIO, max_bytes: int):
        self.stream = stream
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()
        self._ahead = b""

    def read(self, wanted: int) -> bytes:
        """Up to ``wanted`` bytes; fewer only at the end of the stream."""
        pieces, got = [self._ahead], len(self._ahead)
        self._ahead = b""
        while got < wanted:
            # Ask for at most one byte past the limit, so an oversized upload is never read further than that.
            piece = self.stream.read(min(CHUNK_SIZE, wanted - got, self.max_bytes + 1 - self.size))
            if not piece:
                break
            self.size += len(piece)
            if self.size > self.max_bytes:
                raise TooLarge(self.max_bytes)
            self.digest.update(piece)
            pieces.append(piece)
            got += len(piece)
        return b"".join(pieces)

    def at_end(self) -> bool:
        """Whether the stream has no more content (a byte read to find out is kept for the next read)."""
        if self._ahead:
            return False
        self._ahead = self.read(1)
        return not self._ahead


class _Body(io.RawIOBase):
    """A botocore streaming body as a raw binary stream, so that it can be buffered and closed like a file."""

    def __init__(self, body: Any):
        self.body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.body.read(len(buffer))
        except BotoCoreError as error:
            raise OSError(f"the bucket stopped sending: {type(error).__name__}") from error
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.body.close()
        super().close()


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "unknown"))


def _not_stored(error: ClientError | BotoCoreError) -> NotStored:
    code = _code(error) if isinstance(error, ClientError) else type(error).__name__
    logger.error("the attachments bucket did not keep an upload: %s", code)
    return NotStored("full" if code in FULL_CODES else "unavailable")
