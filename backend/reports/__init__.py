"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``models``: the Code's provisions as data, self-assessments with their rows, and the sector events of learning
  item 8.
- ``provisions``: admins change, add and retire the Code's provisions when the Code changes.
- ``self_assessment``: start a self-assessment, fill in its rows, approve, reopen and publish it.
- ``evidence``: the registry of figures the system's data gives for a row, each counted over a period.
- ``sector``: record benchmarking exercises and network meetings, and who attended them.
"""
