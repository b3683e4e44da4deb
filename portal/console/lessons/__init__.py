"""The learning area of the console: the lessons log, actions, themes, sharing and the monthly QA.

Each module adds its pages to the console's blueprint and its sections to ``sections``.

- ``log``: the lessons log with its filters and CSV, capturing a lesson, and upheld complaints without a lesson.
- ``lesson``: one lesson's page, its history, and each action on its own page.
- ``root_causes``: the root-cause taxonomy, for admins.
- ``labels``: the words for the lessons' codes, in the reader's language.
- ``sections``: the learning area's own navigation, which each page module adds its sections to.
- ``themes``: the themes dashboard and CSV, a theme's page and forms, the weights, and a lesson's suggested themes.
- ``actions``: the actions board, my actions, the managers' queues, one action, and proposing or changing one.
- ``action_steps``: each step of an action's path on its own page.
"""

from portal.console.lessons import (  # noqa: F401 - each adds its pages to the console
    action_steps,
    actions,
    lesson,
    log,
    root_causes,
    themes,
)
