"""How a model's rows change, said by the model itself: ``changes = Changing(...)`` or ``WrittenOnce(...)`` in Meta.

Every table the API serves says one or the other. :mod:`backend.updated_at` reads these declarations from the
models and keeps ``updated_at`` with triggers generated from them::

    class CaseMessage(BaseModel):
        ...

        class Meta:
            # A new message moves its contact and its complaint.
            changes = WrittenOnce(parents=("contact", "complaint"), written_at="created_at")

Parents are foreign keys, or paths of them (``"response.complaint"``), to the rows whose ``updated_at`` moves
whenever one of the model's rows is written, changed or deleted. Each parent's model is itself ``Changing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Changing:
    """Rows that change after they are written: they carry ``updated_at``, which moves with every change."""

    parents: tuple[str, ...] = ()
    # Columns whose change alone moves nothing: secrets and bookkeeping the API never shows.
    quiet: tuple[str, ...] = ()
    # (path, flag): every stamp is a day when the row at the end of the path has the flag set.
    days_when: tuple[str, str] | None = None
    # The model whose Meta says this, filled in by backend.updated_at (a Meta cannot name its own class).
    model: Any = None


@dataclass(frozen=True, kw_only=True)
class WrittenOnce:
    """Rows never changed once written (they may be deleted): no ``updated_at``; their parents move instead."""

    parents: tuple[str, ...] = ()
    # The column dating the row, or None: the database clock dates the move.
    written_at: str | None = None
    # The model whose Meta says this, filled in by backend.updated_at.
    model: Any = None
