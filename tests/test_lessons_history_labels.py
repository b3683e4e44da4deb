"""Every change a lesson's history can show has words: each audit action the lessons services record on a lesson or
on one of its actions (found by reading their source) has a label on the lesson page."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from backend.lessons import history
from portal.console.lessons.labels import HISTORY_ACTIONS, history_action

LESSONS = Path(history.__file__).parent
# The entities a lesson's history reads (backend.lessons.history.lesson_history).
HISTORY_ENTITIES = ("lesson", "improvement_action")
# The helpers that record an action their callers name: (module, function) -> (the modules calling it, where
# their calls put the action among the arguments, and what the helper puts before it).
HELPERS = {
    ("actions.py", "_audit"): (("actions.py",), 1, "improvement_action."),
    ("actions.py", "_move"): (("actions.py",), 2, "improvement_action."),
    ("sources.py", "audit"): (("sources.py", "lessons.py"), 2, ""),
}


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _calls(path: Path) -> list[tuple[str, ast.Call]]:
    """Each call in the module, with the name of the top-level function it is in ("" outside any)."""
    found: list[tuple[str, ast.Call]] = []
    for top in ast.parse(path.read_text(), str(path)).body:
        name = top.name if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)) else ""
        found.extend((name, node) for node in ast.walk(top) if isinstance(node, ast.Call))
    return found


def recorded_actions() -> tuple[set[str], list[str]]:
    """The audit actions recorded on a lesson or one of its actions, and the calls this reading could not follow."""
    found: set[str] = set()
    unread: list[str] = []
    helper_calls = {
        (module, name): (index, prefix)
        for (_home, name), (modules, index, prefix) in HELPERS.items()
        for module in modules
    }
    for path in sorted(LESSONS.glob("*.py")):
        for function, call in _calls(path):
            name, args, where = _called(call), call.args, f"{path.name}:{call.lineno}"
            if name == "record_audit":
                entity = _text(args[2]) if len(args) > 2 else None
                if entity is None:
                    unread.append(where)
                elif entity in HISTORY_ENTITIES and (path.name, function) not in HELPERS:
                    action = _text(args[1])
                    found.add(action) if action else unread.append(where)
            elif (path.name, name) in helper_calls and (path.name, function) not in HELPERS:
                # (a helper passing its action on to another is read at its callers)
                index, prefix = helper_calls[(path.name, name)]
                named: Any = _text(args[index]) if len(args) > index else None
                found.add(prefix + named) if named else unread.append(where)
    return found, unread


def test_every_action_a_lesson_history_can_hold_has_a_label() -> None:
    found, unread = recorded_actions()
    assert not unread, f"audit calls whose action this test cannot read: {unread}"
    assert {"lesson.created", "lesson.source_added", "improvement_action.proposed"} <= found
    assert {"improvement_action.authorised", "lesson.status_followed_actions"} <= found
    assert sorted(found - set(HISTORY_ACTIONS)) == []


def test_an_action_with_no_label_yet_is_still_told_in_words(app: Any) -> None:
    with app.test_request_context("/"):
        assert history_action("improvement_action.paused") == "Changed an action (paused)"
        assert history_action("lesson.moved_house") == "Changed the lesson (moved house)"
        assert history_action("lesson.created") == "Captured the lesson"
