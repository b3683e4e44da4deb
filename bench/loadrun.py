"""Run a load test and sum it up: throughput, p50, p95, p99 and errors per kind of request and overall."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from pathlib import Path
from typing import Any, TextIO

from bench.loadprep import LoadAccounts
from bench.loadtest import Budget, Samples, check_loopback, drive, people, roles_for

P95_GOAL_MS = 200


def percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an ordered list (0 for an empty one)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _line(times: list[float], errors: dict[str, int], seconds: float) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "requests": len(ordered),
        "per_second": round(len(ordered) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 1),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
        "errors": sum(errors.values()),
        "error_kinds": dict(sorted(errors.items())),
    }


def summarise(samples: Samples, seconds: float, command: dict[str, Any]) -> dict[str, Any]:
    """The results as one dictionary (what ``--json`` writes)."""
    kinds = {kind: _line(times, samples.errors.get(kind, {}), seconds) for kind, times in sorted(samples.times.items())}
    every: list[float] = [value for times in samples.times.values() for value in times]
    all_errors: dict[str, int] = {}
    for found in samples.errors.values():
        for reason, count in found.items():
            all_errors[reason] = all_errors.get(reason, 0) + count
    return {
        "command": command,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0]},
        "seconds": round(seconds, 1),
        "kinds": kinds,
        "overall": _line(every, all_errors, seconds),
        "p95_goal_ms": P95_GOAL_MS,
    }


COLUMNS = (("request", 22, "<"), ("count", 7, ">"), ("per s", 7, ">"), ("p50 ms", 8, ">"), ("p95 ms", 8, ">"),
           ("p99 ms", 8, ">"), ("errors", 6, ">"))  # fmt: skip


def _row(values: list[str]) -> str:
    return "  ".join(f"{value:{align}{width}}" for value, (_name, width, align) in zip(values, COLUMNS, strict=True))


def _values(name: str, line: dict[str, Any]) -> list[str]:
    return [name, str(line["requests"]), f"{line['per_second']:.1f}", f"{line['p50_ms']:.1f}",
            f"{line['p95_ms']:.1f}", f"{line['p99_ms']:.1f}", str(line["errors"])]  # fmt: skip


def print_summary(report: dict[str, Any], out: TextIO | None = None) -> None:
    """Print the table, and what went wrong when anything did."""
    out = out if out is not None else sys.stdout
    command = report["command"]
    out.write(
        f"{command['clients']} clients on {', '.join(command['urls'])} for {report['seconds']:.1f} s "
        f"({report['machine']['cpus']} CPUs, Python {report['machine']['python']})\n"
    )
    out.write(_row([name for name, _width, _align in COLUMNS]) + "\n")
    for kind, line in report["kinds"].items():
        out.write(_row(_values(kind, line)) + "\n")
    out.write(_row(_values("overall", report["overall"])) + "\n")
    for reason, count in report["overall"]["error_kinds"].items():
        out.write(f"  {count} x {reason}\n")
    met = report["overall"]["p95_ms"] <= report["p95_goal_ms"] and not report["overall"]["errors"]
    out.write(f"goal (no errors, p95 <= {report['p95_goal_ms']} ms): {'met' if met else 'not met'}\n")


def write_json(report: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(report, indent=2) + "\n")


def run_loadtest(
    urls: list[str],
    accounts: LoadAccounts,
    clients: int,
    seconds: float,
    max_requests: int | None,
    seed: int = 1,
    json_path: Path | None = None,
    out: TextIO | None = None,
    think: float = 0.0,
) -> dict[str, Any]:
    """Drive the sites at ``urls`` with ``clients`` people until time or budget ends; print and return the report.

    Raises ``BenchError`` for an address that is not on this machine, or when someone cannot sign in.
    """
    checked = [check_loopback(url) for url in urls]
    roles = roles_for(clients, tools=bool(accounts.tokens))
    samples, budget = Samples(), Budget(max_requests, seconds)
    elapsed = drive(people(checked, roles, accounts, samples, budget, seed, think), budget)
    command = {
        "urls": checked,
        "clients": clients,
        "roles": {role: roles.count(role) for role in sorted(set(roles))},
        "duration": seconds,
        "max_requests": max_requests,
        "seed": seed,
        "think": think,
    }
    report = summarise(samples, elapsed, command)
    print_summary(report, out)
    if json_path is not None:
        write_json(report, json_path)
    return report
