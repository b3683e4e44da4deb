"""The substance the system writes into a message after staff's summary: sections and tables.

Staff edit a message's summary. What the Code requires a message to carry (the points of a
complaint, the decision on each, remedies and dates, the Ombudsman's details) is written by the
system as blocks, so no wording can leave it out. Plain-text channels show a table as a numbered
list; HTML shows a real table with its caption and column headers.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A heading (may be empty) and its paragraphs. ``own_words`` marks text staff wrote themselves,
    sent as written and shown in its own direction."""

    heading: str
    paragraphs: tuple[str, ...]
    own_words: bool = False


@dataclass(frozen=True)
class Table:
    """A caption, the column headings and the rows. The first column names each row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Section | Table
# Email clients ignore style sheets, so a table's few rules go on its cells.
CELL = ' style="border:1px solid #767676;padding:4px 8px;text-align:start;vertical-align:top"'


def blocks_text(blocks: Sequence[Block], channel: str) -> str:
    """The blocks as plain text: paragraphs for email, letters and the portal; one line for a text message."""
    if channel == "sms":
        return " ".join(" ".join(p for p in block.paragraphs if p) for block in blocks if isinstance(block, Section))
    return "\n\n".join(_text(block) for block in blocks if _text(block))


def _text(block: Block) -> str:
    if isinstance(block, Section):
        return "\n\n".join(part for part in (block.heading, *block.paragraphs) if part)
    if not block.rows:
        return ""
    lines = [block.caption]
    for number, row in enumerate(block.rows, start=1):
        lines.append(f"{number}. {row[0]}")
        lines += [f"   {label}: {value}" for label, value in zip(block.columns[1:], row[1:], strict=False) if value]
    return "\n".join(lines)


def blocks_html(blocks: Sequence[Block]) -> list[str]:
    """The blocks as accessible HTML: a heading per section, and tables with a caption and column headers."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Section):
            if block.heading:
                out.append(f"<h2>{html.escape(block.heading)}</h2>")
            attributes = ' dir="auto"' if block.own_words else ""
            out += [
                f"<p{attributes}>" + "<br>".join(html.escape(line) for line in paragraph.splitlines()) + "</p>"
                for paragraph in block.paragraphs
                if paragraph
            ]
        elif block.rows:
            head = "".join(f'<th scope="col"{CELL}>{html.escape(column)}</th>' for column in block.columns)
            body = "".join(
                "<tr>"
                + f'<th scope="row" dir="auto"{CELL}>{html.escape(row[0])}</th>'
                + "".join(f'<td dir="auto"{CELL}>{html.escape(cell)}</td>' for cell in row[1:])
                + "</tr>"
                for row in block.rows
            )
            out.append(
                f'<table style="border-collapse:collapse;margin:0 0 1em">'
                f'<caption style="text-align:start;font-weight:bold">{html.escape(block.caption)}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
    return out
