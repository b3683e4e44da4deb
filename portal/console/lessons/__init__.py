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
- ``sharing``: what the staff-sharing pages share: champions and "My team".
- ``meetings``: meetings where lessons and actions were discussed, with attendees, agenda and minutes.
- ``briefings``: telling the staff involved in a complaint its outcome and lessons, and their acknowledgement.
- ``bulletins``: the internal lessons bulletin, assembled from closed lessons and sent to staff.
- ``training``: the training log, linked to training actions.
- ``stories``: success stories, drafted by staff and approved by a manager.
- ``qa``: the monthly QA: its figures, trend charts and failing items, and the quality-check sample and scoring.
- ``qa_checklist``: the quality checklist, for admins.
"""

from portal.console.lessons import (  # noqa: F401 - each adds its pages to the console
    action_steps,
    actions,
    briefings,
    bulletins,
    lesson,
    log,
    meetings,
    qa,
    qa_checklist,
    root_causes,
    sharing,
    stories,
    themes,
    training,
)
