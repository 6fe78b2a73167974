"""Text files people hand us (needs to import): read them the way Excel and editors write
them, or say in one line why not. A byte-order mark decides first (UTF-8, UTF-16 and
UTF-32, as Excel's "CSV UTF-8" and "Unicode Text" write), then UTF-8, then Windows-1252
(Excel's plain "CSV" on a UK Windows machine: "£" is the single byte 0xA3)."""

from __future__ import annotations

import codecs
from pathlib import Path

# UTF-32 LE's mark begins with UTF-16 LE's, so it is tried first
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
FALLBACKS = ("utf-8", "cp1252")
BINARY = "is a binary file, not text"


class TextFileError(ValueError):
    """Why the file cannot be read as text (the caller adds the file name)."""


def read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise TextFileError("is a folder, not a file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TextFileError("file not found") from None
    except OSError as exc:
        raise TextFileError(f"cannot be read: {exc.strerror or exc}") from None


def decode(data: bytes) -> str:
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise TextFileError(f"starts with a {codec.upper()} byte-order mark but is not {codec.upper()} "
                                    f"text (byte {exc.start})") from None
            break
    else:
        if data.startswith(b"PK\x03\x04"):
            raise TextFileError("is a zip file (an Excel workbook?), not text: save it as CSV")
        if b"\x00" in data:  # no 8-bit text has NUL bytes; images, programs and workbooks do
            raise TextFileError(BINARY)
        text = _decode_without_bom(data)
    if "\x00" in text:
        raise TextFileError(BINARY)
    return text


def _decode_without_bom(data: bytes) -> str:
    for codec in FALLBACKS:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            error = exc
    raise TextFileError(f"is not text in UTF-8 or Windows-1252: byte 0x{data[error.start]:02x} at offset "
                        f"{error.start}")


def read_text(path: Path) -> str:
    """The file's text, newlines as written."""
    return decode(read_bytes(path))
