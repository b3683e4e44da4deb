"""Console pages for contacts and complaints.

- ``cases``: the work queues and the case page, with a form for each step of the journey.
- ``contacts``: log a contact for a resident, read it, classify, offer the choice, merge, close.
- ``steps``: the journey's steps as the case page offers them (form and input per step).
- ``notes``: the resident's own words and internal notes added to a case, and their files.
- ``safeguards``: a resident's reasonable adjustments and restrictions on contact, and a page for each action.
- ``forms``: the forms for contacts and each step, with their date and size checks.
- ``settings``: regimes, stages, closure days, service areas and categories.
- ``hazards``: the hazards queue, one hazard, and flag, dismiss, record and close, each on its own page.
- ``roles``: the named complaints roles: who holds each, and naming someone (admins).
- ``search``: search contacts and complaints by reference, name, postcode or words, and its CSV download.
- ``spso``: the SPSO's own steps (move to investigation; sign off a final response); name the contractors.
- ``reviews``: the service-request queue and reviews; managers' checks of the offer to complain.
"""

from portal.console.complaints import (  # noqa: F401
    cases,
    contacts,
    hazards,
    notes,
    reviews,
    roles,
    safeguards,
    search,
    settings,
    spso,
    steps,
)
