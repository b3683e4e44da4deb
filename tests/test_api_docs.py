"""Run every curl and Python example in docs/api.md against a live server."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import demo_server, run_cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BLOCK = re.compile(r"```(sh|python)\n(.*?)```", re.DOTALL)
EXAMPLES = [(language, code) for language, code in BLOCK.findall(DOC.read_text())]


@pytest.fixture(autouse=True)
def transaction() -> None:
    """These tests talk to a separate server, not the suite's database."""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with demo_server(tmp_path_factory.mktemp("api-docs")) as (url, environ):
        output = run_cli(
            environ, "tokens", "create", "--email", "manager@example.org", "--scope", "write", "--name", "docs"
        )
        environ = dict(environ, LEARNLOOP_URL=url, LEARNLOOP_TOKEN=output.strip().splitlines()[-1])
        yield environ


def test_the_page_has_examples_of_both_kinds() -> None:
    assert {language for language, _code in EXAMPLES} == {"sh", "python"}
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize(("language", "code"), EXAMPLES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(EXAMPLES)])
def test_example_runs(live: dict[str, str], language: str, code: str) -> None:
    if language == "sh":
        if shutil.which("curl") is None:
            pytest.skip("curl is not installed; the shell examples need it")
        command = ["bash", "-euo", "pipefail", "-c", code]
    else:
        command = [sys.executable, "-c", code]
    result = subprocess.run(command, env=live, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"{code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert '"errors"' not in result.stdout or "PAGE_SIZE" in code
