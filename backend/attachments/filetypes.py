"""Tell what an uploaded file is from its content, and refuse everything that is not on the allowed list.

A client's file name and declared media type are never consulted: a ``photo.jpg`` that starts with ``MZ``
is a Windows program. :func:`sniff_file` reads the first 8 KiB, and for archives seeks to the few
structures it needs (a zip's central directory, an OLE2 compound file's directory), so a large video is
never read whole; plain text alone is read to its end, because script can hide anywhere in it. Anything
unknown is refused, and so are executables, scripts (see :mod:`backend.attachments.scripts`), markup that a
browser would render (HTML, SVG, XML), zips that are not office documents and office documents with macros.
"""

from __future__ import annotations

import codecs
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from backend.attachments.scripts import looks_like_script
from backend.vocabulary import Vocabulary

HEAD_SIZE = 8192


class FileFamily(Vocabulary):
    """The broad family of a file, worked out from its content."""

    IMAGE = "image", "A picture."
    AUDIO = "audio", "A sound recording."
    VIDEO = "video", "A video."
    DOCUMENT = "document", "A document (PDF or office document)."


@dataclass(frozen=True)
class FileKind:
    """What a file is: its media type, a broad family for display, and the extension to save or serve it with."""

    media_type: str
    family: str  # a FileFamily code
    extension: str


JPEG = FileKind("image/jpeg", "image", "jpg")
PNG = FileKind("image/png", "image", "png")
GIF = FileKind("image/gif", "image", "gif")
WEBP = FileKind("image/webp", "image", "webp")
TIFF = FileKind("image/tiff", "image", "tiff")
HEIC = FileKind("image/heic", "image", "heic")
HEIC_SEQUENCE = FileKind("image/heic-sequence", "image", "heic")
HEIF = FileKind("image/heif", "image", "heif")
HEIF_SEQUENCE = FileKind("image/heif-sequence", "image", "heif")
MP3 = FileKind("audio/mpeg", "audio", "mp3")
M4A = FileKind("audio/mp4", "audio", "m4a")
AAC = FileKind("audio/aac", "audio", "aac")
WAV = FileKind("audio/wav", "audio", "wav")
OGG = FileKind("audio/ogg", "audio", "ogg")
OPUS = FileKind("audio/ogg", "audio", "opus")
AMR = FileKind("audio/amr", "audio", "amr")
AMR_WB = FileKind("audio/amr-wb", "audio", "awb")
MP4 = FileKind("video/mp4", "video", "mp4")
MOV = FileKind("video/quicktime", "video", "mov")
THREE_GP = FileKind("video/3gpp", "video", "3gp")
WEBM = FileKind("video/webm", "video", "webm")
AVI = FileKind("video/x-msvideo", "video", "avi")
OGG_VIDEO = FileKind("video/ogg", "video", "ogv")
PDF = FileKind("application/pdf", "document", "pdf")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document", "docx")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document", "xlsx")
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "document", "pptx")
ODT = FileKind("application/vnd.oasis.opendocument.text", "document", "odt")
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "document", "ods")
ODP = FileKind("application/vnd.oasis.opendocument.presentation", "document", "odp")
DOC = FileKind("application/msword", "document", "doc")
XLS = FileKind("application/vnd.ms-excel", "document", "xls")
PPT = FileKind("application/vnd.ms-powerpoint", "document", "ppt")
RTF = FileKind("application/rtf", "document", "rtf")
TEXT = FileKind("text/plain", "document", "txt")

# Gathered from the constants above, so that a kind added there cannot be forgotten here.
KINDS: tuple[FileKind, ...] = tuple(value for value in tuple(globals().values()) if isinstance(value, FileKind))
"""Every kind :func:`sniff_file` can return, e.g. to build an ``accept`` attribute or check a stored row."""

# ISO base media files (MP4, QuickTime, 3GP, HEIF) name their flavour in the major brand of the "ftyp" box.
FTYP_BRANDS: dict[bytes, FileKind] = {
    b"heic": HEIC,
    b"heix": HEIC,
    b"hevc": HEIC_SEQUENCE,
    b"mif1": HEIF,
    b"msf1": HEIF_SEQUENCE,
    b"M4A ": M4A,
    b"isom": MP4,
    b"mp41": MP4,
    b"mp42": MP4,
    b"avc1": MP4,
    b"iso2": MP4,
    b"iso5": MP4,
    b"dash": MP4,
    b"M4V ": MP4,
    b"qt  ": MOV,
}

SIGNATURES: tuple[tuple[bytes, FileKind], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"ID3", MP3),
    (b"#!AMR-WB\n", AMR_WB),
    (b"#!AMR\n", AMR),
    (b"%PDF-", PDF),
)

# Checked before the text test, because a crafted program header can be valid UTF-8 without a NUL byte.
EXECUTABLE_PREFIXES = (
    b"MZ",  # Windows and DOS programs
    b"\x7fELF",  # Linux and most Unix programs
    b"\xfe\xed\xfa\xce",  # Mach-O, 32- and 64-bit, both byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary and Java class file
    b"#!",  # any script with an interpreter line
)

CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_file(source: BinaryIO | str | os.PathLike[str]) -> FileKind | None:
    """Return the kind of the file at ``source``, judged by content alone, or ``None`` when it is refused.

    ``source`` is a path or a seekable binary file object. A file object is read from its start and
    left at the position it had; nothing is read beyond what the format needs.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            return _sniff_stream(stream)
    position = source.tell()
    try:
        return _sniff_stream(source)
    finally:
        source.seek(position)


def _sniff_stream(stream: BinaryIO) -> FileKind | None:
    stream.seek(0)
    head = stream.read(HEAD_SIZE)
    for check in HEAD_CHECKS:
        kind = check(head)
        if kind is not None:
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(stream)
    if head.startswith(b"{\\rtf"):
        return _sniff_rtf(stream)
    if head.startswith(EXECUTABLE_PREFIXES):
        return None
    return _sniff_text(stream, head, at_end=len(head) < HEAD_SIZE)


# RTF control words that embed or link another file (an OLE object, a remote template): the way RTF
# documents carry exploits for word processors. A letter written in RTF has none of them.
RTF_ACTIVE = re.compile(
    rb"\\(?:obj(?:data|emb|link|autlink|ocx|update|html|pub|sub|icemb|class|name)|template|datastore)(?![a-z])",
    re.IGNORECASE,
)
RTF_CHUNK = 64 * 1024


def _sniff_rtf(stream: BinaryIO) -> FileKind | None:
    """RTF, unless anywhere in it an object is embedded or linked, or a template is fetched."""
    stream.seek(0)
    tail = b""
    while chunk := stream.read(RTF_CHUNK):
        if RTF_ACTIVE.search(tail + chunk):
            return None
        tail = chunk[-32:]  # a control word cut in two by the chunk boundary
    return RTF


def _sniff_signature(head: bytes) -> FileKind | None:
    return next((kind for prefix, kind in SIGNATURES if head.startswith(prefix)), None)


def _sniff_riff(head: bytes) -> FileKind | None:
    if head[:4] != b"RIFF":
        return None
    return {b"WEBP": WEBP, b"WAVE": WAV, b"AVI ": AVI}.get(head[8:12])


def _sniff_ftyp(head: bytes) -> FileKind | None:
    if head[4:8] != b"ftyp" or len(head) < 16 or int.from_bytes(head[:4], "big") < 16:
        return None
    brand = head[8:12]
    if brand.startswith(b"3gp"):
        return THREE_GP
    return FTYP_BRANDS.get(brand)


def _sniff_mpeg_audio(head: bytes) -> FileKind | None:
    """Recognise a bare MP3 (MPEG layer III) or ADTS AAC stream by its first frame header."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    if layer == 0b00:
        # ADTS uses the same sync word with the layer bits zero; its sample-rate index runs 0..12.
        return AAC if head[1] & 0xF0 == 0xF0 and (head[2] >> 2) & 0xF < 13 else None
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0b11
    # Only layer III is MP3; a reserved version, bitrate or sample rate means this is not a frame header.
    if layer == 0b01 and version != 0b01 and 0 < bitrate < 0xF and sample_rate != 0b11:
        return MP3
    return None


def _sniff_ogg(head: bytes) -> FileKind | None:
    if not head.startswith(b"OggS") or len(head) < 27:
        return None
    # The first page holds one packet that names the codec, right after the segment table.
    first_packet = head[27 + head[26] :]
    if first_packet.startswith(b"OpusHead"):
        return OPUS
    if first_packet.startswith(b"\x80theora"):
        return OGG_VIDEO
    return OGG


def _read_vint(data: bytes, offset: int, keep_marker: bool) -> tuple[int, int]:
    """Decode one EBML variable-length integer at ``offset``; return its value and the offset after it."""
    first = data[offset]
    length = 9 - first.bit_length() if first else 9
    if length > 8 or offset + length > len(data):
        raise ValueError("bad EBML integer")
    value = int.from_bytes(data[offset : offset + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, offset + length


def _sniff_webm(head: bytes) -> FileKind | None:
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    try:
        size, offset = _read_vint(head, 4, keep_marker=False)
        end = min(len(head), offset + size)
        while offset < end:
            element, offset = _read_vint(head, offset, keep_marker=True)
            size, offset = _read_vint(head, offset, keep_marker=False)
            if element == 0x4282:  # DocType; "matroska" is a different, unlisted format
                return WEBM if head[offset : offset + size].rstrip(b"\x00") == b"webm" else None
            offset += size
    except (ValueError, IndexError):
        return None
    return None


HEAD_CHECKS: tuple[Callable[[bytes], FileKind | None], ...] = (
    _sniff_signature,
    _sniff_riff,
    _sniff_ftyp,
    _sniff_mpeg_audio,
    _sniff_ogg,
    _sniff_webm,
)


def _sniff_text(stream: BinaryIO, head: bytes, at_end: bool) -> FileKind | None:
    """Accept UTF-8 text without NUL or stray control bytes, unless it is a program or a page anywhere in it."""
    if not head or CONTROL_BYTES.search(head):
        return None
    try:
        # Not final unless the file ended: the 8 KiB cut may split a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_end)
    except UnicodeDecodeError:
        return None
    if looks_like_script(stream):
        return None
    return TEXT


# What the zip module raises on a damaged archive, plus NotImplementedError (an unsupported compression method)
# and RuntimeError (an encrypted member).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    KeyError,
    struct.error,
    zlib.error,
    NotImplementedError,
    RuntimeError,
)
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
CONTENT_TYPES_LIMIT = 1 << 20


def _sniff_zip(stream: BinaryIO) -> FileKind | None:
    """Recognise an OpenDocument or Office Open XML file from the zip's directory; refuse any other zip."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            if members and members[0].filename == "mimetype" and members[0].file_size <= 100:
                if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                    return None  # StarBasic or script macros
                return ODF_TYPES.get(archive.read(members[0]).strip())
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as content_types:
                declared = content_types.read(CONTENT_TYPES_LIMIT)
            if b"macroEnabled" in declared or any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # a .docm, .xlsm or .pptm in disguise
            for folder, kind in OOXML_FOLDERS:
                if any(name.startswith(folder) for name in names):
                    return kind
    except ZIP_ERRORS:
        return None
    return None


OLE2_MAIN_STREAMS = {"WordDocument": DOC, "Workbook": XLS, "Book": XLS, "PowerPoint Document": PPT}
OLE2_MACRO_STORAGES = {"Macros", "_VBA_PROJECT_CUR", "_VBA_PROJECT"}
MAX_REGULAR_SECTOR = 0xFFFFFFFA  # higher sector numbers are markers: end of chain, free, FAT or DIFAT sector
NO_STREAM = 0xFFFFFFFF
MAX_DIRECTORY_ENTRIES = 4096  # real documents have dozens; the cap bounds the work a crafted file can cause


class _Malformed(Exception):
    """The compound file's structures point outside the file or loop."""


class _CompoundFile:
    """Read just enough of an OLE2 compound file (MS-CFB) to list the root storage's children."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.size = stream.seek(0, os.SEEK_END)
        header = self._read(0, 512)
        sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
        if sector_shift not in (9, 12):
            raise _Malformed("sector size")
        self.sector_size = 1 << sector_shift
        self.first_directory_sector = struct.unpack_from("<I", header, 0x30)[0]
        self.next_difat_sector = struct.unpack_from("<I", header, 0x44)[0]
        self.fat_sectors = [
            sector for sector in struct.unpack_from("<109I", header, 0x4C) if sector <= MAX_REGULAR_SECTOR
        ]
        self.directory_sectors: list[int] = []

    def _read(self, offset: int, length: int) -> bytes:
        if offset + length > self.size:
            raise _Malformed("beyond the end")
        self.stream.seek(offset)
        data = self.stream.read(length)
        if len(data) != length:
            raise _Malformed("short read")
        return data

    def _sector(self, sector: int) -> bytes:
        return self._read((sector + 1) * self.sector_size, self.sector_size)

    def _fat_sector(self, index: int) -> int:
        # Files past about 7 MB list their further FAT sectors in a chain of DIFAT sectors.
        per_difat = self.sector_size // 4 - 1
        while index >= len(self.fat_sectors) and self.next_difat_sector <= MAX_REGULAR_SECTOR:
            entries = struct.unpack(f"<{per_difat + 1}I", self._sector(self.next_difat_sector))
            self.fat_sectors += [sector for sector in entries[:per_difat] if sector <= MAX_REGULAR_SECTOR]
            self.next_difat_sector = entries[per_difat]
            if len(self.fat_sectors) * self.sector_size > self.size:
                raise _Malformed("DIFAT loop")
        if index >= len(self.fat_sectors):
            raise _Malformed("FAT entry missing")
        return self.fat_sectors[index]

    def _next_sector(self, sector: int) -> int:
        per_fat = self.sector_size // 4
        offset = (self._fat_sector(sector // per_fat) + 1) * self.sector_size + (sector % per_fat) * 4
        return int.from_bytes(self._read(offset, 4), "little")

    def _entry(self, entry_id: int) -> bytes:
        if entry_id >= MAX_DIRECTORY_ENTRIES:
            raise _Malformed("too many directory entries")
        per_sector = self.sector_size // 128
        index = entry_id // per_sector
        while len(self.directory_sectors) <= index:
            if self.directory_sectors:
                sector = self._next_sector(self.directory_sectors[-1])
            else:
                sector = self.first_directory_sector
            if sector > MAX_REGULAR_SECTOR or sector in self.directory_sectors:
                raise _Malformed("directory chain")
            self.directory_sectors.append(sector)
        start = (self.directory_sectors[index] + 1) * self.sector_size + (entry_id % per_sector) * 128
        return self._read(start, 128)

    def root_children(self) -> set[str]:
        """Return the names of the streams and storages directly inside the root storage."""
        names: set[str] = set()
        pending = [struct.unpack_from("<I", self._entry(0), 0x4C)[0]]
        seen: set[int] = set()
        while pending:
            entry_id = pending.pop()
            if entry_id == NO_STREAM:
                continue
            if entry_id in seen or len(seen) >= MAX_DIRECTORY_ENTRIES:
                raise _Malformed("directory tree")
            seen.add(entry_id)
            entry = self._entry(entry_id)
            name_length = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
            names.add(entry[: max(name_length - 2, 0)].decode("utf-16-le", errors="replace"))
            # Siblings form a red-black tree; children of a child storage are not the root's children.
            pending += struct.unpack_from("<2I", entry, 0x44)
        return names


def _sniff_ole2(stream: BinaryIO) -> FileKind | None:
    """Recognise legacy Word, Excel and PowerPoint files; refuse other compound files such as MSI installers."""
    try:
        names = _CompoundFile(stream).root_children()
    except (_Malformed, struct.error):
        return None
    if names & OLE2_MACRO_STORAGES:
        return None
    return next((kind for stream_name, kind in OLE2_MAIN_STREAMS.items() if stream_name in names), None)
