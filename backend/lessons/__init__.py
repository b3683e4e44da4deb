"""The lessons collector: one log that every source feeds, from root cause to verified change.

Use cases by module:

- ``models``: lessons, sources, causes, themes, SMART actions, champions, meetings, briefings, bulletins,
  training, success stories, the monthly QA and the quality checks.
- ``lessons``: capture a lesson, classify it, move it through its life, cancel, merge, archive or delete it.
- ``sources``: the sources a lesson came from; an anonymous speak-up note records nobody.
- ``causes``: a lesson's root causes and contributing factors, and the taxonomy admins edit.
- ``completeness``: upheld complaints with neither a lesson nor a recorded "no wider lesson" decision.
- ``history``: a lesson's own history, from the audit trail of it and its actions.
- ``lesson_guards``: the checks every lessons service shares.
- ``themes``: create, edit, archive and merge themes; link lessons and contacts to them; the priority weights.
- ``theme_suggestions``: themes suggested for a lesson by full-text ranking, for staff to confirm.
- ``theme_figures``: a theme's monthly trend and its priority score, counted in SQL, stored, and counted again
  when out of date.
- ``figure_triggers``: the database triggers that mark a theme's stored figures out of date.
- ``actions``: SMART improvement actions from proposed to verified, their evidence and due-date changes, and the
  lesson's status following them.
- ``escalation``: the sweep that tells owners, their line managers and senior managers of overdue actions, once each.
- ``notices``: who hears when an action is done (the senior managers) and signed off (the complainants).
- ``action_messages``: the messages about improvement actions, all to staff.
- ``champions``: each team's lessons-learnt champions, appointed and ended by managers.
- ``meetings``: meetings where lessons and actions were discussed: attendees, agenda items and minutes.
- ``briefings``: the staff involved in a complaint told its outcome and lessons, and their acknowledgement.
- ``bulletins``: the internal lessons bulletin, assembled from closed lessons and sent to every member of staff.
- ``training``: the training log, linked to training actions, and its counts for a period.
- ``stories``: success stories with their media, drafted by staff and approved by a manager.
- ``sharing``: the checks the staff-sharing services share.
- ``sharing_messages``: the messages of briefings and bulletins, to staff.
- ``qa``: the monthly QA's five figures, counted in SQL over a UK month, with the failing items.
- ``quality``: quality checks by people: a random sample of closed complaints, scored against the checklist.
- ``qa_messages``: the QA report to managers and the quality scores back to the team.
- ``demo``: demo lessons at every point of their life, with their themes, actions and what they were shared in.
"""
