"""Import: recordings from CSV, Edge Impulse JSON/CBOR or WAV files (or folders of them) into a project,
all or nothing (an error leaves the project unchanged); labels from an option, a label column or the name."""

from __future__ import annotations

from tinystudio.core.formats.importer import FORMATS, LABEL_SOURCES, ImportReport, import_files, parse_axes
from tinystudio.core.formats.nonfinite import HINT as NONFINITE_HINT

__all__ = ["FILE_FILTER", "FORMATS", "LABEL_SOURCES", "NONFINITE_HINT", "ImportReport", "import_files", "parse_axes"]

FILE_FILTER = "Recordings (*.csv *.txt *.json *.cbor *.wav);;All files (*)"
"""The file kinds an import accepts, as a file dialog's filter."""
