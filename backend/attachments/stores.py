"""Pick the store a URL names: ``s3://bucket/prefix`` is an S3 bucket, anything else a folder."""

from __future__ import annotations

from urllib.parse import urlsplit

from backend.attachments.storage import S3Options, Storage, storage_from_url


def store_from_url(url: str, s3: S3Options | None = None) -> Storage:
    """Return the store ``url`` names: ``s3://bucket/prefix`` reached with ``s3``, or a local folder.

    Raises ValueError for an S3 URL without a valid bucket name or prefix, and as
    :func:`~backend.attachments.storage.storage_from_url` does for anything else.
    """
    if urlsplit(url).scheme == "s3":
        # boto3 takes most of a second to import: only an S3 store needs it.
        from backend.attachments.s3 import S3Storage, parse_s3_url

        bucket, prefix = parse_s3_url(url)
        return S3Storage(bucket, prefix, s3 or S3Options())
    return storage_from_url(url)
