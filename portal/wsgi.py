"""The WSGI entry point for a WSGI server of your choosing (``learnloop serve --production`` needs none).

docs/server.md says what such a server must then arrange itself: refusing development settings, and building the
app in each worker process after the fork.
"""

from portal.app import create_app

app = create_app()
