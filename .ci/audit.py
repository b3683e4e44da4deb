"""Check every locked package for known vulnerabilities with pip-audit, and say plainly what was and was not checked.

Exit 1 when a locked package has a known vulnerability. When the vulnerability service cannot be asked (offline, or
a mirror that does not serve it), print how many packages went unchecked and exit 0, unless LEARNLOOP_AUDIT_STRICT=1,
which makes that a failure too. docs/dependencies.md says why.

Run with the virtualenv's Python: `.venv/bin/python .ci/audit.py [requirements/test.lock]`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCK = ROOT / "requirements" / "test.lock"


def main() -> int:
    lock = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LOCK
    strict = os.environ.get("LEARNLOOP_AUDIT_STRICT", "") in ("1", "true", "yes", "on")
    pip_audit = Path(sys.executable).parent / "pip-audit"
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "audit.json"
        # The lock pins and hashes everything, so pip-audit reads it as it is, without installing or resolving.
        command = [str(pip_audit), "--progress-spinner", "off", "--disable-pip", "--require-hashes", "-r", str(lock)]
        finished = subprocess.run(  # noqa: S603 - our own virtualenv's pip-audit, on our own lock
            [*command, "--format", "json", "--output", str(report)], capture_output=True, text=True, check=False
        )
        if not report.exists():
            last = (finished.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"ci: the vulnerability service could not be reached, so no package was checked ({last[:300]})")
            return 1 if strict else 0
        dependencies = json.loads(report.read_text())["dependencies"]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"ci: {dep['name']} {dep['version']} has {vuln['id']} (fixed in: {fixed})")
    checked = len(dependencies) - len(skipped)
    print(f"ci: {checked} of {len(dependencies)} locked packages checked, {len(vulnerable)} with known vulnerabilities")
    if skipped:
        print(
            f"ci: {len(skipped)} could not be checked: the vulnerability service did not answer for them "
            f"(first: {skipped[0]['name']})"
        )
    if vulnerable:
        print("ci: upgrade them in the locks (make lock UPGRADE_PACKAGE=name) and run the tests")
        return 1
    return 1 if strict and skipped else 0


if __name__ == "__main__":
    sys.exit(main())
