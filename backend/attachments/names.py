"""File names that are safe to show and to save: no invisible characters, and the extension of the real type.

A client's file name is shown to staff and used when they save the file, so it must not mislead: a
right-to-left override turns ``\u202egnp.exe`` into what looks like ``exe.png``, and ``evidence.bat`` keeps
the extension Windows runs even when the content was accepted as plain text. :func:`file_name` keeps the
sender's words for the stem and always ends with the extension of the type worked out from the content.
"""

from __future__ import annotations

import os
import re
import unicodedata

from backend.attachments.filetypes import KINDS, FileKind

MAX_LENGTH = 200
FALLBACK_STEM = "file"
UNKNOWN_EXTENSION = "bin"
# Format (bidi controls and isolates, zero-width characters, the byte-order mark), controls, line and
# paragraph separators, surrogates, private use and unassigned code points: none of them shows as itself.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Letters that draw nothing (Hangul fillers, the braille blank) and variation selectors.
INVISIBLE_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800") | frozenset(map(chr, range(0xFE00, 0xFE10)))
# Characters Windows does not allow in names, and path separators.
RESERVED = re.compile(r'[<>:"/\\|?*]')
SPACES = re.compile(r"\s+")


def clean_name(name: str | None) -> str:
    """The last part of ``name`` without invisible or reserved characters, spaces collapsed, or "file".

    This is the name as the sender gave it, made safe to show, e.g. in an error message.
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(_visible(character) for character in unicodedata.normalize("NFC", base))
    shown = SPACES.sub(" ", RESERVED.sub("_", shown)).strip(" .")
    # The end, where the extension is, says more about a long name than its start.
    return shown[-MAX_LENGTH:].strip(" .") or FALLBACK_STEM


def file_name(name: str | None, kind: FileKind | None) -> str:
    """The name to keep and serve a file under: the cleaned stem of ``name`` and the extension of ``kind``.

    ``kind`` None (a media type this version no longer knows) gives ``.bin``, which nothing opens by itself.
    """
    extension = kind.extension if kind is not None else UNKNOWN_EXTENSION
    stem = os.path.splitext(clean_name(name))[0].strip(" .") or FALLBACK_STEM
    return f"{stem[: MAX_LENGTH - len(extension) - 1].rstrip(' .') or FALLBACK_STEM}.{extension}"


def kind_for_media_type(media_type: str) -> FileKind | None:
    """The first kind with this media type (a stored row keeps only that), or None for an unknown one."""
    return next((kind for kind in KINDS if kind.media_type == media_type), None)


def _visible(character: str) -> str:
    category = unicodedata.category(character)
    if category == "Zs" or character in "\t\n\r\v\f":
        return " "  # every kind of space and break between words becomes a plain space
    if category in INVISIBLE_CATEGORIES or character in INVISIBLE_CHARACTERS:
        return ""
    return character
