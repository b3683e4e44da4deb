"""Print the benchmark's results as a plain-text table."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from bench.cocreation_pages import print_cocreation
from bench.operations import PORTAL_LESSON_PAGES

COLUMNS = (
    ("operation", 50, "<"),
    ("stmts", 5, ">"),
    ("engine p50", 10, ">"),
    ("p95", 8, ">"),
    ("floor p50", 10, ">"),
    ("p95", 8, ">"),
    ("floor stmts", 11, ">"),
    ("p50 ratio", 9, ">"),
    ("same JSON", 9, ">"),
)


def row(values: list[str]) -> str:
    return "  ".join(f"{value:{align}{width}}" for value, (_name, width, align) in zip(values, COLUMNS, strict=True))


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 100 else f"{value:.0f} ms"


def print_report(report: dict[str, Any], out: TextIO | None = None) -> None:
    out = out if out is not None else sys.stdout

    def say(line: str = "") -> None:
        out.write(line + "\n")

    dataset, command, machine = report["dataset"], report["command"], report["machine"]
    sizes = dataset["sizes"]
    say(
        f"Dataset (scale {command['scale']}, seed {command['seed']}): "
        + ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in sizes.items())
    )
    when = "generated now" if dataset["generated_now"] else f"reused, generated {dataset['generated_at']}"
    say(f"  {when} in {dataset['generation_seconds']:.1f} s ({command['url']}; --regenerate to rebuild)")
    say(
        f"Machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}, {machine['database']}, "
        f"{machine['date']}"
    )
    if report["operations"]:
        print_pages(report, say)
    print_reports(report.get("reports") or [], command["scale"], say)
    print_cocreation(report.get("cocreation"), command["scale"], say)


def print_pages(report: dict[str, Any], say: Callable[[str], None]) -> None:
    """The pages against their floors, the statement counts, the QA, the handlers' queues and the fan-out."""
    command = report["command"]
    say(f"Timing: {command['iterations']} iterations after {command['warmup']} warm-up, engine and floor in turns")
    say("")
    say(row([name for name, _w, _a in COLUMNS]))
    say(row(["-" * width for _n, width, _a in COLUMNS]))
    for result in report["operations"]:
        engine, floor = result["engine_ms"], result["floor_ms"]
        ratio = f"{result['ratio_p50']:.1f}x" if result["ratio_p50"] is not None else "-"
        matches = {True: "yes", False: "NO", None: "-"}[result["floor_matches"]]
        say(
            row(
                [
                    result["title"],
                    str(result["statements"]),
                    ms(engine["p50"]),
                    ms(engine["p95"]),
                    ms(floor["p50"]) if floor else "-",
                    ms(floor["p95"]) if floor else "-",
                    str(result["floor_statements"]) if floor else "-",
                    ratio,
                    matches,
                ]
            )
        )
    say("")
    sizes_checked = report["page_size_statements"]
    counts = ", ".join(f"first: {first} -> {value['statements']}" for first, value in sizes_checked.items())
    verdict = "the same" if report["statements_independent_of_page_size"] else "DIFFERENT"
    say(f"Statements for the lessons page by page size: {counts} ({verdict})")
    if report["floor_matches"]:
        say(
            "Floor check: the hand-written SQL's JSON equals the engine's data for every operation with a floor "
            "and every page size."
        )
    else:
        say("Floor check FAILED: the hand-written SQL's JSON differs from the engine's for at least one operation.")
    scope = "" if command["scale"] == 1 else " (the targets are for scale 1)"
    by_key = {result["key"]: result for result in report["operations"]}
    for key, target in report["targets_ms"].items():
        result = by_key[key]
        p50 = result["engine_ms"]["p50"]
        met = "met" if p50 <= target else "NOT met"
        say(f"{result['title']}: p50 {ms(p50)} against a target of {target:.0f} ms: {met}{scope}.")
    figures = report.get("theme_figures")
    if figures:
        say(
            f"Theme figures worked out afresh for all {figures['themes']} themes in {ms(figures['every_ms'])} "
            f"({figures['statements']} statements), for one theme in {ms(figures['one_ms'] or 0)} (median of 3): "
            "the cost a change to a theme's links puts on its next reader."
        )
    qa = report.get("qa")
    if qa:
        met = "met" if qa["ms"]["p50"] <= qa["target_ms"] and qa["max_ms"] <= qa["target_ms"] else "NOT met"
        say(
            f"Monthly QA for {qa['month']} in SQL aggregates ({qa['statements']} statements): "
            f"p50 {ms(qa['ms']['p50'])}, "
            f"slowest {ms(qa['max_ms'])} of {qa['runs']} runs, against a target of {qa['target_ms'] / 1000:.0f} s: "
            f"{met}{scope}."
        )
    else:
        say("Monthly QA: not measured, the application has no backend.lessons.qa yet.")
    missing = {key for key, _t, _n, _v in PORTAL_LESSON_PAGES} - set(by_key)
    if missing:
        say(f"Not measured, the console has no operation for them yet: {', '.join(sorted(missing))}.")
    spread = report.get("handler_spread")
    if spread:
        say(
            f"My complaints by due date as each of the {spread['handlers']} handlers: p50 from "
            f"{ms(spread['fastest_p50'])} to {ms(spread['slowest_p50'])} (median {ms(spread['median_p50'])}; "
            f"slowest for handler {spread['slowest_handler']}, who has {spread['slowest_handler_active_complaints']} "
            "active)."
        )
    fanout = report.get("fanout")
    if fanout:
        met = "met" if fanout["per_second"] >= fanout["target_per_second"] else "NOT met"
        say(
            f"Fan-out: one event to {fanout['recipients']:,} residents, rendered and queued in {fanout['seconds']} s "
            f"({fanout['per_second']:,} a second against a target of {fanout['target_per_second']:,}: {met}); "
            f"peak memory {fanout['peak_memory_mib']} MiB."
        )


REPORT_COLUMNS = (
    ("report", 58, "<"),
    ("stmts", 5, ">"),
    ("runs", 4, ">"),
    ("p50", 9, ">"),
    ("p95", 9, ">"),
    ("CPU p50", 9, ">"),
)


def report_row(values: list[str]) -> str:
    return "  ".join(
        f"{value:{align}{width}}" for value, (_name, width, align) in zip(values, REPORT_COLUMNS, strict=True)
    )


def print_reports(reports: list[dict[str, Any]], scale: float, say: Callable[[str], None]) -> None:
    """The reports' timings, each against its target where it has one."""
    if not reports:
        return
    say("")
    say(report_row([name for name, _w, _a in REPORT_COLUMNS]))
    say(report_row(["-" * width for _n, width, _a in REPORT_COLUMNS]))
    for result in reports:
        timing = result["ms"]
        say(
            report_row(
                [
                    result["title"],
                    str(timing["statements"]),
                    str(timing["runs"]),
                    ms(timing["p50"]),
                    ms(timing["p95"]),
                    ms(timing["cpu_p50"]),
                ]
            )
        )
    scope = "" if scale == 1 else " (the targets are for scale 1)"
    for result in reports:
        target = result.get("target_ms")
        if target is None:
            continue
        timing = result["ms"]
        met = "met" if timing["p50"] <= target and timing["p95"] <= target else "NOT met"
        say(
            f"{result['title']}: p50 {ms(timing['p50'])}, p95 {ms(timing['p95'])} against a target of "
            f"{ms(target)}: {met}{scope}."
        )
