"""The lessons collector: one log that every source feeds, from root cause to verified change.

Use cases by module:

- ``models``: lessons, sources, causes, themes, SMART actions, champions, meetings, briefings, bulletins,
  training, success stories, the monthly QA and the quality checks.
- ``actions``: SMART improvement actions from proposed to verified, their evidence and due-date changes, and the
  lesson's status following them.
- ``escalation``: the sweep that tells owners, their line managers and senior managers of overdue actions, once each.
- ``action_messages``: the messages about improvement actions, all to staff.
"""
