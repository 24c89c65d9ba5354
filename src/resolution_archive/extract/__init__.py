"""Source file bytes → the text the parser reads, whatever the file is: PDF, Word, web page, text.

Pure functions over bytes (no database, no click). The format is decided from the content —
magic bytes and HTML sniffing — so a handout saved as `kessgi.txt` that is really a PDF, or a
web page saved without an extension, is still read correctly; the file name only words the
errors. Every failure is an `InputError` with one line saying what is wrong and what to do.
"""

from resolution_archive.extract.detect import FORMATS, detect_format, extract
from resolution_archive.extract.model import Extracted

__all__ = ["FORMATS", "Extracted", "detect_format", "extract"]
