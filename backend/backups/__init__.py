"""Backups of a whole site that restore: the database, the attachments' manifest and their files.

Use cases by module:

- ``services``: make a backup, check one, restore one into an empty database (what ``learnloop backup`` and
  ``learnloop restore`` call).
- ``snapshot``: read a database's tables, row counts, applied migrations and attachments' manifest, all in one
  snapshot, on SQLite or PostgreSQL.
- ``sqlite``: copy a SQLite database with its online backup API, and back into an empty one.
- ``postgres``: find ``pg_dump`` and ``pg_restore``, check their versions, dump in an exported snapshot, restore.
- ``files``: copy the attachments a manifest lists out of the store and back in, checking every checksum.
- ``description``: ``backup.json``, what a backup holds and the checksums of its files, written and checked.
"""
