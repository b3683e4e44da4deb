"""The README's configuration table names every setting the configuration module reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_lists_every_setting() -> None:
    source = (ROOT / "backend" / "config.py").read_text()
    read = set(re.findall(r'get\("([A-Z_]+)"\)', source)) | set(re.findall(r'\(\s*"([A-Z_]+)",\s*"[a-z_]+"\)', source))
    assert len(read) > 30, "the scan of backend/config.py found too few settings"
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`LEARNLOOP_([A-Z_]+)`", readme))
    # The GraphQL limits share a row: `LEARNLOOP_GRAPHQL_MAX_DEPTH`, `_MAX_TOKENS`, `_MAX_ALIASES`.
    documented |= {f"GRAPHQL{suffix}" for suffix in re.findall(r"`(_MAX_[A-Z]+)`", readme)}
    assert sorted(read - documented) == []
