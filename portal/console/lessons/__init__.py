"""The learning area of the console: the lessons log, actions, themes, sharing and the monthly QA.

Each module adds its pages to the console's blueprint and its sections to ``sections``.
"""

from portal.console.lessons import qa, qa_checklist  # noqa: F401
