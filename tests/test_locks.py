"""The lock files pin, with hashes, everything pyproject.toml asks for, and the two agree with each other."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", re.MULTILINE)


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """Each pinned package's canonical name, with its version and how many hashes it has."""
    text = (REQUIREMENTS / lock).read_text()
    found = {canonicalize_name(name): (version, hashes.count("--hash=")) for name, version, hashes in PIN.findall(text)}
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(found) == len(requirement_lines), f"{lock} has a line that is not a pin with hashes"
    return found


def wanted(*groups: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for group in groups for line in group}


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
BUILD = [line for line in (REQUIREMENTS / "build.in").read_text().splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize(
    ("lock", "needed"),
    [
        ("runtime.lock", wanted(PROJECT["dependencies"], BUILD)),
        ("test.lock", wanted(PROJECT["dependencies"], PROJECT["optional-dependencies"]["test"], BUILD)),
    ],
)
def test_lock_pins_every_dependency_with_hashes(lock: str, needed: set[str]) -> None:
    locked = pins(lock)
    assert sorted(needed - set(locked)) == [], f"run `make lock`: {lock} misses what pyproject.toml asks for"
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []


def test_test_lock_keeps_the_runtime_versions() -> None:
    runtime, test = pins("runtime.lock"), pins("test.lock")
    differ = {name: (version, test.get(name, (None,))[0]) for name, (version, _) in runtime.items()}
    assert {name: both for name, both in differ.items() if both[0] != both[1]} == {}
