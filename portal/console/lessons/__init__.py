"""The learning area of the console: the lessons log, actions, themes, sharing and the monthly QA.

Each module adds its pages to the console's blueprint and its sections to ``sections``.

- ``sections``: the learning area's own navigation, which each page module adds its sections to.
- ``themes``: the themes dashboard and CSV, a theme's page and forms, the weights, and a lesson's suggested themes.
"""

from portal.console.lessons import themes  # noqa: F401
