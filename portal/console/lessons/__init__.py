"""The learning area of the console: the lessons log, actions, themes, sharing and the monthly QA.

Each module adds its pages to the console's blueprint and its sections to ``sections``.

- ``sections``: the learning area's own navigation, which each page module adds its sections to.
- ``actions``: the actions board, my actions, the managers' queues, one action, and proposing or changing one.
- ``action_steps``: each step of an action's path on its own page.
"""

from portal.console.lessons import action_steps, actions  # noqa: F401
