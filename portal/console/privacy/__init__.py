"""Console pages for personal data.

- ``holds``: legal holds (admins): place one on a person or a case, see those in force, lift one.
"""

from portal.console.privacy import holds  # noqa: F401
