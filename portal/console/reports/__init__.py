"""The reports area of the console.

- ``self_assessment``: the self-assessments against the Complaint Handling Code: the list, one assessment with every
  provision by section, filling in a row, approving, sending back to draft and publishing.
- ``sector``: benchmarking and network meetings for learning item 8, with who attended and the attendance rate.
- ``labels``: the words for the self-assessment's codes and figures, in the reader's language.
"""

from portal.console.reports import (  # noqa: F401 - each adds its pages to the console
    labels,
    sector,
    self_assessment,
)
