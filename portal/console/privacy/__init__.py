"""Console pages for personal data (administrators; subject access also the data protection officer).

- ``requests``: subject access requests: the list with each deadline, logging a request, a request's page, its steps.
- ``holds``: legal holds (admins): place one on a person or a case, see those in force, lift one.
"""

from portal.console.privacy import holds, requests  # noqa: F401
