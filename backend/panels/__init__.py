"""Scrutiny panels: residents who review how the landlord works and make recommendations it must answer.

Use cases by module:

- ``models``: panels, memberships, reviews, meetings, interviews, evidence requests, case samples, pack items and
  their views, annotations, questions, report versions, accuracy comments, recommendations and the ledger.
- ``access``: who sees which panel records: staff all, a member only their own panels' reviews and packs; the
  staff and manager checks every service shares.
- ``panels``: create and edit panels; the staff who support them; residents' memberships (one chair at a time).
- ``reviews``: reviews with SR-YYYY-NN references, their status and conclusion, the work programme, follow-ups.
- ``meetings``: a review's meetings, attendance, papers to post, staff interviews, invitations and reminders.
- ``messages``: the meeting invitation and reminder, with the meeting's calendar file.
- ``makeup``: the panel's make-up beside all residents, small numbers hidden.
- ``demo``: the demo Residents' Scrutiny Panel reviewing the complaints journey.
- ``packs``: evidence pack items of each kind, added as drafts, confirmed by staff, withdrawn, ordered; members'
  views logged.
- ``samples``: random or stratified samples of closed complaints, seeded, never a member's own or household's case.
- ``requests``: the panel's evidence requests, supplied or declined; late ones escalated to the senior lead once.
- ``request_messages``: the message telling the senior lead that evidence the panel asked for is late.
- ``standing``: the complaint and perception measures and theme trends the workspace shows, small numbers hidden.
- ``annotations``: members annotate the lessons in their pack and ask staff questions; staff answer, and enter
  what members gave on paper or by phone.
- ``findings``: the panel's versioned drafts, staff's accuracy comments, sign-off and the response clock.
- ``findings_messages``: the messages of questions, sign-off and overdue responses.
- ``responses``: the landlord's responses, their approval, the actions' progress, the panel's satisfaction, and
  the sweep that escalates overdue responses.
- ``publication``: the public summary, drafted by staff and published by another manager; the public report.
- ``redaction``: staff-written text members or the public read, redacted as it is saved (staff, panel members,
  case references).
- ``ledger``: each member's involvement ledger: meetings attended, reviews completed, time, documents, expenses,
  rewards by the panel's rule approved by a second manager, opting out, and the totals of the involvement report.
- ``ledger_messages``: the thank-you messages for a completed review and an approved reward.
- ``documents``: the letters-and-leaflets review: documents under review, members' proposed wording, the panel's
  approval, and adopting it as the message wording or the enclosed leaflet.
"""
