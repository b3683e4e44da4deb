"""Tell programs and web pages written as text apart from letters and notes.

A ``.bat``, ``.js``, ``.vbs``, ``.hta``, ``.ps1`` or ``.html`` file is plain text, so it passes a check for
"valid text without control bytes". Opened on Windows it runs (or renders, and runs its script), whatever
name it is saved under later. :func:`looks_like_script` reads the whole text and looks for what only programs
and pages contain: an interpreter line, batch commands in the place a command goes, PowerShell cmdlets,
VBScript and JScript objects, and the HTML tags that make a page or run code, anywhere.

The patterns are chosen so that residents' letters pass: words such as "start", "set" or "call" count only
with the syntax a command needs (``start calc.exe``, ``set x=1``, ``call :label``), never as prose, even at
the start of a line. The text is read in any of the encodings Windows runs scripts in (UTF-8 with or without
a byte-order mark, UTF-16 and UTF-32 in either byte order), with any line endings and any letter case.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024
# Text kept from one chunk to the next, so that a pattern split across the cut is still seen whole.
CONTEXT = 1024
# Not a line break: put before kept text that starts mid-line, so "^" cannot match there.
MID_LINE = "\x00"

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Where cmd.exe reads a command: at the start of a line or after &, |, ( (and "@", which hides the echo).
COMMAND = r"(?:^|[&|(])[ \t]*@?[ \t]*"
PROGRAM_FILE = r"[^\s\"]*\.(?:exe|bat|cmd|com|scr|pif|vbs|vbe|js|jse|wsf|wsh|hta|ps1|msi|lnk|cpl|jar|reg|url|dll)\b"
BATCH = (
    r"@[ \t]*echo\b",
    r"echo[ \t]+(?:off|on)[ \t]*$",
    r"start\b[ \t]*(?:\"|/[a-z]|%|[a-z]:\\|\\\\|https?:|shell:|ms-[a-z-]+:|" + PROGRAM_FILE + ")",
    r"set[ \t]+(?:/[ap][ \t]+)?\"?[a-z_][\w.]*=",
    r"call[ \t]+(?::[a-z_]|%|\"?" + PROGRAM_FILE + ")",
    r"goto[ \t]+:?[a-z_][\w.]*[ \t]*$",
    r"(?:setlocal|endlocal)\b",
    r"(?:powershell|pwsh)(?:\.exe)?\b",
    r"reg(?:\.exe)?[ \t]+(?:add|delete|import)\b",
    r"(?:mshta|rundll32|regsvr32|certutil|bitsadmin|wscript|cscript|schtasks|msiexec|wmic)(?:\.exe)?\b",
    r"del[ \t]+/[fqs]\b",
    r"if[ \t]+(?:not[ \t]+)?(?:exist|errorlevel)\b",
)
# Anywhere in a line: things no letter contains.
ANYWHERE = (
    r"\bcmd(?:\.exe)?[ \t]+/[ck]\b",
    r"%(?:~[a-z]*\d|comspec%|temp%|tmp%|appdata%|localappdata%|userprofile%|systemroot%|windir%)",
    # PowerShell
    r"\b(?:invoke-(?:expression|webrequest|restmethod|command|item)|start-process|new-object|add-type)\b",
    r"\b(?:set-executionpolicy|start-bitstransfer|downloadstring|downloadfile|frombase64string)\b",
    r"\biex[ \t]*[($]",
    r"\$env:",
    r"\[system\.[a-z]",
    # VBScript and JScript on Windows Script Host, and script in pages
    r"\b(?:createobject|getobject)[ \t]*\(",
    r"\bactivexobject\b",
    r"\bwscript\b",
    r"\bshell\.application\b",
    r"\bexecuteglobal\b",
    r"\bon[ \t]+error[ \t]+resume[ \t]+next\b",
    r"\.(?:run|exec|shellexecute|regwrite)[ \t]*\(",
    r"\beval[ \t]*\(",
    r"\bdocument\.(?:write|cookie|location|domain)\b",
    r"\bwindow\.(?:location|open)\b",
    r"\b(?:javascript|vbscript|livescript):",
    # Python without an interpreter line (Windows runs .py files by association)
    r"\bimport[ \t]+(?:os|subprocess|socket|ctypes)\b",
    r"\bos\.system[ \t]*\(",
    # Shortcut, folder-settings, setup and registry files
    r"^\[(?:internetshortcut|\.shellclassinfo|shell)\]",
    r"\bsignature[ \t]*=[ \t]*\"?\$(?:windows nt|chicago)\$",
    r"^[ \t]*(?:windows registry editor version|regedit4)\b",
)
# Elements that make a page, run code, load something or submit somewhere: in text, they mean a web page or an
# HTA, not a letter. Formatting tags (<b>, <p>, <br>, <a>) are left alone: text pasted from an email has them, and
# a text file is always served as .txt, so its tags are never run.
ELEMENTS = (
    "applet audio base basefont bgsound body button embed form frame frameset head html iframe input isindex "
    "job keygen link math meta noembed noframes noscript object package param plaintext portal script select "
    "style svg template textarea video xml xmp"
).split()
MARKUP = (
    # A tag: "<" then one of those elements (possibly with a namespace, as <hta:application>), then a space, / or >.
    r"</?(?:[a-z][\w.-]*:)?(?:" + "|".join(ELEMENTS) + r")(?=[\s/>])",
    # Any namespaced tag (<hta:application>, <v:shape>, <o:p> aside, these belong to HTA and script files).
    r"</?[a-z][\w.-]*:[a-z][\w.-]*(?=[\s/>])",
    # The tags browsers treat as markup even with spaces after "<".
    r"<[ \t]*/?[ \t]*(?:script|html|body|head|svg|iframe|object|embed|style)\b",
    # Any tag with an event handler or a script address, whatever its name.
    r"<[a-z][^<>]*[\s/\"']on[a-z]+[ \t]*=",
    r"<!doctype\b|<!\[cdata\[|<\?|<%",
)
PATTERN = re.compile(
    "|".join([COMMAND + "(?:" + "|".join(BATCH) + ")", *ANYWHERE, *MARKUP]),
    re.IGNORECASE | re.MULTILINE,
)
# JScript's constructor for code from text; lower case "new function" is ordinary English.
CASE_SENSITIVE = re.compile(r"\bnew[ \t]+Function[ \t]*\(")


# Text that opens with an interpreter line. (Markup is found wherever it is, by the patterns above.)
OPENING = re.compile(r"\A\s*#!")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def is_script_text(stream: BinaryIO) -> bool:
    """Whether ``stream`` holds text (in any encoding :func:`text_encoding` knows) that is a program or page.

    Leaves the stream at the position it had.
    """
    position = stream.tell()
    try:
        stream.seek(0)
        head = stream.read(CHUNK_SIZE)
    finally:
        stream.seek(position)
    return is_text(head) and looks_like_script(stream)


def is_text(head: bytes) -> bool:
    """Whether ``head`` (the start of a file) decodes as text without control characters."""
    encoding, skip = text_encoding(head)
    try:
        # Not final: the cut may split a character.
        text = codecs.getincrementaldecoder(encoding)().decode(head[skip:], final=False)
    except UnicodeDecodeError:
        return False
    return bool(text) and not CONTROL.search(text)


def looks_like_script(stream: BinaryIO) -> bool:
    """Whether the text in ``stream`` is a program or a web page rather than a letter or notes.

    Reads the whole stream from its start in chunks and leaves it at the position it had. Bytes that
    are not text in the detected encoding are read as replacement characters.
    """
    position = stream.tell()
    try:
        pieces = _pieces(stream)
        first = next(pieces, "")
        if OPENING.match(first):
            return True
        return _matches(first) or any(_matches(piece) for piece in pieces)
    finally:
        stream.seek(position)


def _matches(text: str) -> bool:
    # cmd.exe drops "^" before any character, so "s^tart calc.exe" is "start calc.exe".
    return bool(PATTERN.search(text) or PATTERN.search(text.replace("^", "")) or CASE_SENSITIVE.search(text))


def _pieces(stream: BinaryIO) -> Iterator[str]:
    """The text in overlapping pieces of whole lines, each starting with a line break or :data:`MID_LINE`.

    A piece ends at a line break, or with :data:`MID_LINE` inside a very long line, so "$" never matches at
    a cut. The lines before the cut are given again with the next piece, so a tag split across it is seen.
    """
    carry = "\n"
    for chunk in _decoded(stream):
        text = carry + chunk.replace("\r\n", "\n").replace("\r", "\n")
        cut = text.rfind("\n")
        if cut > 0:
            yield text[: cut + 1]
            keep = text.rfind("\n", 0, max(1, cut - CONTEXT))
            carry = text[keep if keep >= 0 else cut :]
        elif len(text) > CONTEXT:
            yield text + MID_LINE
            carry = MID_LINE + text[-CONTEXT:]
        else:
            carry = text
    yield carry


def _decoded(stream: BinaryIO) -> Iterator[str]:
    stream.seek(0)
    head = stream.read(CHUNK_SIZE)
    encoding, skip = text_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    data = head[skip:]
    while data:
        yield decoder.decode(data)
        data = stream.read(CHUNK_SIZE)
    yield decoder.decode(b"", final=True)


def text_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of text that starts with ``head``, and the length of its byte-order mark.

    Without a mark, text with NUL bytes in every other place is taken as UTF-16 (as Notepad saves it);
    anything else is read as UTF-8.
    """
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    sample = head[:1024]
    pairs = len(sample) // 2
    if pairs:
        odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
        if odd_nuls > pairs * 0.4 and even_nuls < pairs * 0.1:
            return "utf-16-le", 0
        if even_nuls > pairs * 0.4 and odd_nuls < pairs * 0.1:
            return "utf-16-be", 0
    return "utf-8", 0
