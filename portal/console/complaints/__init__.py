"""Console pages for contacts and complaints.

- ``cases``: the work queues and the case page, with a form for each step of the journey.
- ``contacts``: log a contact for a resident, read it, classify, offer the choice, merge, close.
- ``steps``: the journey's steps as the case page offers them (form and input per step).
- ``notes``: the resident's own words and internal notes added to a case, and their files.
- ``forms``: the forms for contacts and each step, with their date and size checks.
- ``scope``: say which points are not the landlord's to put right, and where the resident was sent (5.7).
- ``updates``: agree how often a resident whose answer is late is updated (Code 5.9).
- ``settings``: regimes, stages, closure days, service areas and categories.
"""

from portal.console.complaints import cases, contacts, notes, scope, settings, steps, updates  # noqa: F401
