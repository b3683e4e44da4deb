"""The Flask application: composition root, resident portal, panel workspace, staff console and CLI."""
