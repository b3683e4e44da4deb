"""Console pages for what we send people.

- ``outgoing``: message wording in every language (edit, preview, review), the delivery log, letters to post.
- ``calls``: calls to make, for people who asked to hear from us by phone.
"""

from portal.console.notifications import calls, outgoing  # noqa: F401
