"""Import recordings from CSV, Edge Impulse JSON/CBOR and WAV files; export CSV and Edge Impulse JSON."""

from tinystudio.core.formats.exporter import export_samples
from tinystudio.core.formats.importer import FORMATS, ImportReport, import_files, read_file

__all__ = ["FORMATS", "ImportReport", "export_samples", "import_files", "read_file"]
