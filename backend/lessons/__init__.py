"""The lessons collector: one log that every source feeds, from root cause to verified change.

Use cases by module:

- ``models``: lessons, sources, causes, themes, SMART actions, champions, meetings, briefings, bulletins,
  training, success stories, the monthly QA and the quality checks.
- ``demo``: demo lessons at every point of their life, with their themes, actions and what they were shared in.
"""
