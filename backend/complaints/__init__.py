"""Contacts from every channel and the statutory complaint journey.

Use cases by module:

- ``intake``: log a contact, classify it, offer the choice to complain, merge, close.
- ``journey``: open, acknowledge, assign, mediate, extend, escalate, refuse, withdraw, close, refer.
- ``responses``: answer a stage: decisions, reasons, remedies, outstanding actions.
- ``scope``: which points are the landlord's to put right, and where the resident was signposted (Code 5.7).
- ``steps``: which journey step can happen now, and who may take it.
- ``clocks``: working-day clocks: start, meet, extend, stop, sweep for risk and breach.
- ``updates``: update intervals agreed when an answer will be late (Code 5.9), and the sweep for missed updates.
- ``regimes``: what each complaints procedure allows: maxima and grounds of exclusion; what the public page says.
- ``progress``: where a complaint is and what happens next, in words for the resident.
- ``safeguards``: reasonable adjustments and unacceptable-behaviour restrictions: record, decide, review, sweep.
- ``notes``: staff notes and correspondence on a complaint.
- ``files``: attach checked files to contacts and case messages.
- ``leaflets``: the leaflet enclosed with letters for each regime stage.
- ``previews``: show staff what a step will send before they take it.
- ``messages``: the messages about contacts and complaints, their placeholder values and links.
- ``answers``: what each complaint message carries after its summary.
- ``redaction``: copies of case narratives with personal data replaced by role words.
- ``case_parties``: everyone a case names (every account, home and contractor linked to it), for redaction.
- ``case_view``: a closed case as a scrutiny panel may see it: its facts, and every narrative redacted.
- ``escalation``: close answered stage-1 complaints nobody escalates; refuse an escalation on a valid ground.
- ``promises``: the hourly sweep that tells owners before and after remedies, actions and orders fall due.
- ``order_items``: check and write one Ombudsman order (for the determination and ``orders``).
- ``orders``: the Ombudsman's orders, one item each: record them and their compliance.
- ``restricted``: staff named in a complaint (hidden from them) and their support; need-to-know cases, read logs.
- ``policies``: who may do what with contacts and complaints (each check returns a bool).
- ``inbound``: emails to the complaints mailbox: kept, then logged as contacts or replies on their case.
- ``handover``: hand a leaver's complaints, actions and reports to a successor, and close their account.
- ``demo``: demo contacts and complaints at every point of the journey, and a history of them for the reports.
- ``investigation``: move a frontline complaint to stage 2 (the SPSO's direct route), recording the entry route.
- ``signoff``: when a final response waits for a manager's sign-off; the overall outcome of a response.
- ``approval``: a manager signs off, or returns, a final response waiting for sign-off.
- ``contractors``: name the contractor a complaint, and each of its points, is about.
- ``reviews``: service requests' target dates and reviews; managers' checks of the offer to complain.
- ``models``: contacts, complaints, regimes, stages, clocks, responses, remedies.
- ``hazards``: hazards in residents' homes: suggest from keywords, flag, escalate, record, close, sweep their clocks.
- ``hazard_messages``: the messages about hazards, to the resident and to staff.
- ``roles``: the named complaints roles: who holds each today.
"""
