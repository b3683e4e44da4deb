"""Console pages for subject access requests (administrators and the data protection officer only).

- ``requests``: the list with each deadline, logging a request, a request's page, and its steps.
"""

from portal.console.privacy import requests  # noqa: F401
