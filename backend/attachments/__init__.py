"""Files people send with contacts and messages: checked, named and stored.

Use cases by module:

- ``filetypes``: tell what an upload is from its content; refuse what is not allowed.
- ``scripts``: tell programs and web pages written as text apart from letters and notes.
- ``names``: file names that are safe to show and to save.
- ``storage``: keep and read attachment content under generated keys; a folder on this machine.
- ``s3``: the same in an S3-compatible bucket.
- ``stores``: the store a URL names.
- ``checksums``: give out stored content only when it matches the size and checksum recorded.
- ``moving``: check every stored file, or move them all to another store.
"""
