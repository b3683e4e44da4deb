"""The resident's side of contacts and complaints.

- ``cases``: tell us something, the resident's cases and one case's page (escalate, add information, withdraw).
- ``howto``: the public "how to complain" page for each nation, generated from its procedure.
- ``labels``: words for the codes of contacts and complaints, shared by these pages and the console.
"""
