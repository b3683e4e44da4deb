"""Console pages for contacts and complaints.

- ``cases``: the work queues and the case page, with a form for each step of the journey.
- ``contacts``: log a contact for a resident, read it, classify, offer the choice, merge, close.
- ``steps``: the journey's steps as the case page offers them (form and input per step).
- ``notes``: the resident's own words and internal notes added to a case, and their files.
- ``safeguards``: a resident's reasonable adjustments and restrictions on contact, and a page for each action.
- ``forms``: the forms for contacts and each step, with their date and size checks.
- ``escalation``: refuse a request to escalate, on a ground the procedure allows, after a confirmation.
- ``orders``: the Ombudsman's orders: the list, recording one, and recording that it was complied with.
- ``scope``: say which points are not the landlord's to put right, and where the resident was sent (5.7).
- ``updates``: agree how often a resident whose answer is late is updated (Code 5.9).
- ``restricted``: the staff a complaint names and their support; need-to-know cases, their lists and read logs.
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
    escalation,
    hazards,
    notes,
    orders,
    restricted,
    reviews,
    roles,
    safeguards,
    scope,
    search,
    settings,
    spso,
    steps,
    updates,
)
