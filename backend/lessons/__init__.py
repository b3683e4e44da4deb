"""The lessons collector: one log that every source feeds, from root cause to verified change.

Use cases by module:

- ``models``: lessons, sources, causes, themes, SMART actions, champions, meetings, briefings, bulletins,
  training, success stories, the monthly QA and the quality checks.
- ``themes``: create, edit, archive and merge themes; link lessons and contacts to them; the priority weights.
- ``theme_suggestions``: themes suggested for a lesson by full-text ranking, for staff to confirm.
- ``theme_figures``: a theme's monthly trend and its priority score, in SQL.
"""
