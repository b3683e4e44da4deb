"""Attachment files: content sniffing refuses what is not on the list, and local storage keeps files safely.

Every sample is built here, byte by byte or with the standard library, so each test shows what it feeds in.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import wave
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from backend.attachments import filetypes
from backend.attachments.filetypes import FileKind, sniff_file
from backend.attachments.storage import CHUNK_SIZE, LocalStorage, Stored, TooLarge, storage_from_url

# --- sample builders ---------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    """Build a real 1x1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def ftyp_bytes(brand: bytes, compatible: bytes = b"isom") -> bytes:
    box = b"ftyp" + brand + b"\x00\x00\x02\x00" + compatible
    return struct.pack(">I", 4 + len(box)) + box + struct.pack(">I", 8) + b"mdat"


def riff_bytes(form: bytes) -> bytes:
    body = form + b"LIST" + struct.pack("<I", 4) + b"hdrl"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_bytes() -> bytes:
    """Build a real WAV with the standard library's writer: a tenth of a second of silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


def ogg_bytes(first_packet: bytes) -> bytes:
    """Build one Ogg page that carries ``first_packet`` (the CRC is not checked by the sniffer)."""
    header = b"OggS\x00\x02" + b"\x00" * 8 + struct.pack("<II", 1, 0) + b"\x00\x00\x00\x00"
    return header + bytes([1, len(first_packet)]) + first_packet


def ebml_bytes(doctype: bytes) -> bytes:
    """Build an EBML header (as WebM and Matroska start) with the given DocType."""
    children = b"\x42\x86\x81\x01" + b"\x42\xf7\x81\x01" + b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(children)]) + children + b"\x18\x53\x80\x67\x01" + b"\x00" * 7


def zip_bytes(members: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            compression = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


def content_types(main_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/main.xml" ContentType="{main_type}"/></Types>'
    ).encode()


OOXML_MAIN = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OOXML_PART = {"word/": "word/document.xml", "xl/": "xl/workbook.xml", "ppt/": "ppt/presentation.xml"}


def ooxml_bytes(folder: str) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", content_types(OOXML_MAIN[folder])),
            ("_rels/.rels", b"<Relationships/>"),
            (OOXML_PART[folder], b"<document/>"),
        ]
    )


def odf_bytes(media_type: str, *extra: tuple[str, bytes]) -> bytes:
    return zip_bytes(
        [("mimetype", media_type.encode()), ("content.xml", b"<office:document-content/>"), *extra],
        stored_first=True,
    )


NO_STREAM = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE


def compound_entry(
    name: str, kind: int, left: int = NO_STREAM, right: int = NO_STREAM, child: int = NO_STREAM
) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
        + b"\x00" * 36
        + struct.pack("<IQ", END_OF_CHAIN, 0)
    )


def compound_bytes(entries: list[bytes]) -> bytes:
    """Build an OLE2 compound file (512-byte sectors): sector 0 is the FAT, the directory follows in a chain."""
    entries = entries + [compound_entry("", 0)] * (-len(entries) % 4)
    directory_sectors = len(entries) // 4
    fat = [0xFFFFFFFD] + list(range(2, directory_sectors + 1)) + [END_OF_CHAIN]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<I", 0)
        + b"\xff" * (108 * 4)
    )
    assert len(header) == 512
    return header + fat_sector + b"".join(entries)


def compound_with_root_streams(*names: str, kind: int = 2) -> bytes:
    """Build a compound file whose root holds ``names``, linked as a chain of right siblings."""
    root = compound_entry("Root Entry", 5, child=1 if names else NO_STREAM)
    children = [
        compound_entry(name, kind, right=index + 2 if index + 1 < len(names) else NO_STREAM)
        for index, name in enumerate(names)
    ]
    return compound_bytes([root, *children])


# --- sniffing: allowed kinds -------------------------------------------------------------------------------

ALLOWED_SAMPLES: list[tuple[str, Callable[[], bytes], FileKind]] = [
    ("png", png_bytes, filetypes.PNG),
    ("jpeg", jpeg_bytes, filetypes.JPEG),
    ("gif", lambda: b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 20 + b";", filetypes.GIF),
    ("webp", lambda: riff_bytes(b"WEBPVP8 "), filetypes.WEBP),
    ("tiff little-endian", lambda: b"II*\x00\x08\x00\x00\x00" + b"\x00" * 16, filetypes.TIFF),
    ("tiff big-endian", lambda: b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 16, filetypes.TIFF),
    ("heic", lambda: ftyp_bytes(b"heic", b"mif1heic"), filetypes.HEIC),
    ("heix", lambda: ftyp_bytes(b"heix"), filetypes.HEIC),
    ("heif", lambda: ftyp_bytes(b"mif1", b"heic"), filetypes.HEIF),
    ("heif sequence", lambda: ftyp_bytes(b"msf1"), filetypes.HEIF_SEQUENCE),
    ("hevc sequence", lambda: ftyp_bytes(b"hevc"), filetypes.HEIC_SEQUENCE),
    ("mp3 with id3", lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400, filetypes.MP3),
    ("mp3 frame", lambda: b"\xff\xfb\x90\x64" + b"\x00" * 413, filetypes.MP3),
    ("mpeg-2 mp3 frame", lambda: b"\xff\xf3\x48\xc4" + b"\x00" * 200, filetypes.MP3),
    ("aac adts", lambda: b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 64, filetypes.AAC),
    ("m4a", lambda: ftyp_bytes(b"M4A ", b"M4A mp42isom"), filetypes.M4A),
    ("wav", wav_bytes, filetypes.WAV),
    ("ogg vorbis", lambda: ogg_bytes(b"\x01vorbis" + b"\x00" * 22), filetypes.OGG),
    ("ogg opus", lambda: ogg_bytes(b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"), filetypes.OPUS),
    ("ogg theora", lambda: ogg_bytes(b"\x80theora" + b"\x00" * 34), filetypes.OGG_VIDEO),
    ("amr", lambda: b"#!AMR\n" + b"\x3c" + b"\x00" * 31, filetypes.AMR),
    ("amr-wb", lambda: b"#!AMR-WB\n" + b"\x04" + b"\x00" * 17, filetypes.AMR_WB),
    ("mp4 isom", lambda: ftyp_bytes(b"isom", b"isomiso2avc1mp41"), filetypes.MP4),
    ("mp4 mp42", lambda: ftyp_bytes(b"mp42"), filetypes.MP4),
    ("mp4 dash", lambda: ftyp_bytes(b"dash"), filetypes.MP4),
    ("m4v", lambda: ftyp_bytes(b"M4V "), filetypes.MP4),
    ("quicktime", lambda: ftyp_bytes(b"qt  ", b"qt  "), filetypes.MOV),
    ("3gp", lambda: ftyp_bytes(b"3gp4", b"3gp4isom"), filetypes.THREE_GP),
    ("webm", lambda: ebml_bytes(b"webm"), filetypes.WEBM),
    ("avi", lambda: riff_bytes(b"AVI "), filetypes.AVI),
    ("pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", filetypes.PDF),
    ("docx", lambda: ooxml_bytes("word/"), filetypes.DOCX),
    ("xlsx", lambda: ooxml_bytes("xl/"), filetypes.XLSX),
    ("pptx", lambda: ooxml_bytes("ppt/"), filetypes.PPTX),
    ("odt", lambda: odf_bytes("application/vnd.oasis.opendocument.text"), filetypes.ODT),
    ("ods", lambda: odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), filetypes.ODS),
    ("odp", lambda: odf_bytes("application/vnd.oasis.opendocument.presentation"), filetypes.ODP),
    ("doc", lambda: compound_with_root_streams("\x01CompObj", "WordDocument", "1Table"), filetypes.DOC),
    ("xls", lambda: compound_with_root_streams("Workbook", "\x05SummaryInformation"), filetypes.XLS),
    ("xls excel 5", lambda: compound_with_root_streams("Book"), filetypes.XLS),
    ("ppt", lambda: compound_with_root_streams("Current User", "PowerPoint Document", "Pictures"), filetypes.PPT),
    ("rtf", lambda: b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}} The boiler is broken.\\par }", filetypes.RTF),
    ("text", lambda: "Dear officer,\r\nthe damp in flat 4 costs me £30 a week.\n\tJosé\n".encode(), filetypes.TEXT),
    ("text with bom", lambda: "\ufeffRepair request: window".encode(), filetypes.TEXT),
    ("text mentioning a tag name", lambda: b"I was told to see the script of the call.", filetypes.TEXT),
]


@pytest.mark.parametrize(
    ("sample", "expected"), [pytest.param(build, kind, id=name) for name, build, kind in ALLOWED_SAMPLES]
)
def test_sniff_file_allowed_content_returns_its_kind(sample: Callable[[], bytes], expected: FileKind) -> None:
    assert sniff_file(io.BytesIO(sample())) == expected


def test_sniff_file_compound_file_with_many_entries_follows_the_directory_chain() -> None:
    # Fifteen streams before it put WordDocument in the fourth directory sector.
    names = [f"Stream{index}" for index in range(15)] + ["WordDocument"]
    assert sniff_file(io.BytesIO(compound_with_root_streams(*names))) == filetypes.DOC


def test_sniff_file_compound_file_reads_left_siblings_too() -> None:
    root = compound_entry("Root Entry", 5, child=1)
    data = compound_bytes([root, compound_entry("\x01CompObj", 2, left=2), compound_entry("Workbook", 2)])
    assert sniff_file(io.BytesIO(data)) == filetypes.XLS


def test_sniff_file_text_longer_than_the_head_cut_inside_a_character_is_text() -> None:
    # "€" is three bytes; placed across the 8 KiB boundary, the head ends mid-character.
    data = b"a" * (filetypes.HEAD_SIZE - 1) + "€ more text".encode()
    assert sniff_file(io.BytesIO(data)) == filetypes.TEXT


def test_sniff_file_large_video_reads_only_the_head() -> None:
    class CountingStream(io.BytesIO):
        read_total = 0

        def read(self, size: int | None = -1, /) -> bytes:
            data = super().read(size)
            self.read_total += len(data)
            return data

    stream = CountingStream(ftyp_bytes(b"isom") + b"\x00" * 5_000_000)
    assert sniff_file(stream) == filetypes.MP4
    assert stream.read_total <= filetypes.HEAD_SIZE


def test_sniff_file_file_object_keeps_its_position() -> None:
    stream = io.BytesIO(png_bytes())
    stream.seek(5)
    assert sniff_file(stream) == filetypes.PNG
    assert stream.tell() == 5


def test_sniff_file_path_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "upload"
    path.write_bytes(ooxml_bytes("word/"))
    assert sniff_file(path) == filetypes.DOCX
    assert sniff_file(str(path)) == filetypes.DOCX


def test_kinds_lists_every_kind_in_a_known_family() -> None:
    assert filetypes.PNG in filetypes.KINDS and filetypes.TEXT in filetypes.KINDS
    assert {kind.family for kind in filetypes.KINDS} == {"image", "audio", "video", "document"}
    assert all(kind.extension.isalnum() and kind.extension.islower() for kind in filetypes.KINDS)


# --- sniffing: refused content -----------------------------------------------------------------------------

REFUSED_SAMPLES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "windows exe": lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00",
    "exe header without nul bytes": lambda: b"MZ This program cannot be run in DOS mode.",
    "elf": lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 57,
    "mach-o": lambda: b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24,
    "mach-o universal": lambda: b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 24,
    "shell script": lambda: b"#!/bin/sh\nrm -rf ~\n",
    "python script": lambda: b"#!/usr/bin/env python3\nprint('hi')\n",
    "html": lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "html after whitespace": lambda: b"\n\n  <html><body>hi</body></html>",
    "html fragment": lambda: b"<iframe src=//evil.example></iframe>",
    "rtf with an embedded object": lambda: b"{\\rtf1 {\\object\\objautlink {\\*\\objdata 0102}}}",
    "rtf with a remote template": lambda: b"{\\rtf1{\\*\\template http://evil.example/t.dot} Hello}",
    "rtf object past the first block": lambda: b"{\\rtf1 " + b"The damp. " * 20000 + b"{\\objemb x}}",
    "svg": lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>',
    "svg with prolog": lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    "script later in text": lambda: b"Please see below\n<script>document.location='//x'</script>",
    "svg later in text": lambda: b"hello <svg onload=alert(1)>",
    "latin-1 text": lambda: "caf\xe9 cr\xe8me".encode("latin-1"),
    "utf-16 text": lambda: "Damp in the kitchen".encode("utf-16"),
    "text with nul": lambda: b"hello\x00world",
    "text with control bytes": lambda: b"hello\x01\x02\x03world",
    "plain zip": lambda: zip_bytes([("notes.txt", b"hello"), ("photo.jpg", jpeg_bytes())]),
    "java archive": lambda: zip_bytes([("META-INF/MANIFEST.MF", b"Main-Class: x\n"), ("x.class", b"\xca\xfe")]),
    "zip with content types but no office folder": lambda: zip_bytes([("[Content_Types].xml", content_types("x"))]),
    "visio": lambda: zip_bytes([("[Content_Types].xml", content_types("x")), ("visio/document.xml", b"<x/>")]),
    "docm": lambda: zip_bytes(
        [
            ("[Content_Types].xml", content_types("application/vnd.ms-word.document.macroEnabled.main+xml")),
            ("word/document.xml", b"<document/>"),
        ]
    ),
    "docx with vba project": lambda: zip_bytes(
        [
            ("[Content_Types].xml", content_types(OOXML_MAIN["word/"])),
            ("word/document.xml", b"<document/>"),
            ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
        ]
    ),
    "odt with basic macros": lambda: odf_bytes(
        "application/vnd.oasis.opendocument.text", ("Basic/Standard/Module1.xml", b"<script/>")
    ),
    "odf drawing": lambda: odf_bytes("application/vnd.oasis.opendocument.graphics"),
    "epub": lambda: zip_bytes([("mimetype", b"application/epub+zip"), ("OEBPS/a.xhtml", b"<html/>")], True),
    "truncated zip": lambda: ooxml_bytes("word/")[:200],
    "empty zip": lambda: zip_bytes([]),
    "msi installer": lambda: compound_with_root_streams("\x05SummaryInformation", "\u4840\u3b3f\u4577"),
    "doc with macros": lambda: compound_with_root_streams("WordDocument", "Macros"),
    "word stream only inside a sub-storage": lambda: compound_bytes(
        [
            compound_entry("Root Entry", 5, child=1),
            compound_entry("ObjectPool", 1, child=2),
            compound_entry("WordDocument", 2),
        ]
    ),
    "compound file with a directory loop": lambda: compound_bytes(
        [compound_entry("Root Entry", 5, child=1), compound_entry("Data", 2, right=1)]
    ),
    "truncated compound file": lambda: compound_with_root_streams("WordDocument")[:600],
    "matroska": lambda: ebml_bytes(b"matroska"),
    "avif": lambda: ftyp_bytes(b"avif", b"mif1avif"),
    "ftyp box too short": lambda: b"\x00\x00\x00\x08ftypisom",
    "flac": lambda: b"fLaC\x00\x00\x00\x22" + b"\x00" * 34,
    "riff of another form": lambda: riff_bytes(b"CDXA"),
    "7z": lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 24,
    "gzip": lambda: b"\x1f\x8b\x08\x00" + b"\x00" * 16,
    "mpeg layer i frame": lambda: b"\xff\xfe\x48\x00\x65\x00",
    "random bytes": lambda: bytes(range(256)) * 4,
}


@pytest.mark.parametrize("sample", REFUSED_SAMPLES.values(), ids=REFUSED_SAMPLES.keys())
def test_sniff_file_refused_content_returns_none(sample: Callable[[], bytes]) -> None:
    assert sniff_file(io.BytesIO(sample())) is None


@pytest.mark.parametrize("name", ["photo.jpg", "letter.pdf", "notes.txt", "report.docx"])
def test_sniff_file_executable_with_a_harmless_name_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(REFUSED_SAMPLES["windows exe"]())
    assert sniff_file(path) is None


# --- storage -----------------------------------------------------------------------------------------------


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "attachments")


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 3 * CHUNK_SIZE + 17])
def test_local_storage_save_then_open_returns_the_same_content(storage: LocalStorage, size: int) -> None:
    content = os.urandom(size)
    stored = storage.save(io.BytesIO(content), max_bytes=size)
    with storage.open(stored.key) as stream:
        assert stream.read() == content
    assert stored == Stored(key=stored.key, size=size, sha256=hashlib.sha256(content).hexdigest())


def test_local_storage_save_same_content_twice_makes_two_keys(storage: LocalStorage) -> None:
    first = storage.save(io.BytesIO(b"same"), max_bytes=10)
    second = storage.save(io.BytesIO(b"same"), max_bytes=10)
    assert first.key != second.key and first.sha256 == second.sha256
    storage.delete(first.key)
    with storage.open(second.key) as stream:
        assert stream.read() == b"same"


def test_local_storage_save_makes_owner_only_files_and_folders(storage: LocalStorage) -> None:
    stored = storage.save(io.BytesIO(b"private"), max_bytes=100)
    path = storage.root.joinpath(*stored.key.split("/"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, storage.root):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_local_storage_save_key_ignores_the_client_file_name(storage: LocalStorage) -> None:
    upload = io.BytesIO(b"content")
    upload.name = "../../etc/passwd"
    stored = storage.save(upload, max_bytes=100)
    assert "passwd" not in stored.key and ".." not in stored.key
    assert stored_files(storage.root) == [storage.root.joinpath(*stored.key.split("/"))]


@pytest.mark.parametrize(("size", "max_bytes"), [(1, 0), (11, 10), (CHUNK_SIZE + 1, CHUNK_SIZE), (5 * CHUNK_SIZE, 100)])
def test_local_storage_save_too_large_leaves_nothing_behind(storage: LocalStorage, size: int, max_bytes: int) -> None:
    with pytest.raises(TooLarge) as raised:
        storage.save(io.BytesIO(b"x" * size), max_bytes=max_bytes)
    assert raised.value.max_bytes == max_bytes
    assert list(storage.root.iterdir()) == []


def test_local_storage_save_too_large_stops_reading_past_the_limit(storage: LocalStorage) -> None:
    stream = io.BytesIO(b"x" * (10 * CHUNK_SIZE))
    with pytest.raises(TooLarge):
        storage.save(stream, max_bytes=100)
    assert stream.tell() == 101


def test_local_storage_save_failing_stream_leaves_nothing_behind(storage: LocalStorage) -> None:
    class BrokenUpload(io.BytesIO):
        def read(self, size: int | None = -1, /) -> bytes:
            if self.tell() >= CHUNK_SIZE:
                raise OSError("client went away")
            return super().read(size)

    with pytest.raises(OSError, match="client went away"):
        storage.save(BrokenUpload(b"x" * (3 * CHUNK_SIZE)), max_bytes=10 * CHUNK_SIZE)
    assert list(storage.root.iterdir()) == []


def test_local_storage_save_negative_limit_is_refused(storage: LocalStorage) -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        storage.save(io.BytesIO(b""), max_bytes=-1)


def test_local_storage_open_unknown_key_raises_file_not_found(storage: LocalStorage) -> None:
    with pytest.raises(FileNotFoundError):
        storage.open(f"ab/cd/{'a' * 64}-{'b' * 32}")


def test_local_storage_delete_twice_is_not_an_error(storage: LocalStorage) -> None:
    stored = storage.save(io.BytesIO(b"gone soon"), max_bytes=100)
    storage.delete(stored.key)
    storage.delete(stored.key)
    with pytest.raises(FileNotFoundError):
        storage.open(stored.key)
    assert stored_files(storage.root) == []


VALID_NAME = f"{'a' * 64}-{'b' * 32}"
BAD_KEYS = [
    "",
    "..",
    "../../etc/passwd",
    "../victim",
    "/etc/passwd",
    f"/aa/aa/{VALID_NAME}",
    f"aa/../../{VALID_NAME}",
    f"aa/aa/../{VALID_NAME}",
    f"aa\\aa\\{VALID_NAME}",
    f"aa/aa/{VALID_NAME}/..",
    f"aa/aa/{VALID_NAME}\x00",
    f"aa/aa/{VALID_NAME.upper()}",
    f"aa/aa/aa/{VALID_NAME}",
    ".upload-abc.part",
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_local_storage_open_key_outside_the_format_is_refused(storage: LocalStorage, key: str) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        storage.open(key)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_local_storage_delete_key_outside_the_format_is_refused(tmp_path: Path, key: str) -> None:
    # "../victim" joined naively onto the root would name this file; it must survive.
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    storage = LocalStorage(tmp_path / "root")
    with pytest.raises(ValueError, match="not a storage key"):
        storage.delete(key)
    assert victim.read_bytes() == b"keep me"


def test_local_storage_new_instance_creates_nothing(tmp_path: Path) -> None:
    LocalStorage(tmp_path / "later")
    assert not (tmp_path / "later").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file:///srv/learnloop/attachments", "/srv/learnloop/attachments"),
        ("file://localhost/srv/attachments", "/srv/attachments"),
        ("file:///srv/with%20space", "/srv/with space"),
        ("/srv/plain/path", "/srv/plain/path"),
    ],
)
def test_storage_from_url_file_url_or_path_gives_local_storage(url: str, expected: str) -> None:
    storage = storage_from_url(url)
    assert isinstance(storage, LocalStorage)
    assert storage.root == Path(expected)


def test_storage_from_url_relative_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    storage = storage_from_url("instance/attachments")
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "instance" / "attachments"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://bucket/attachments", "'s3'"),
        ("https://files.example.org/", "'https'"),
        ("gs://bucket", "'gs'"),
        ("file://fileserver/share", "fileserver"),
        ("file:relative/path", "absolute path"),
        ("file:///srv/attachments?mode=x", "absolute path"),
        ("", "empty"),
    ],
)
def test_storage_from_url_unsupported_url_raises_value_error(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        storage_from_url(url)
