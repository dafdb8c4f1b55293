"""Import of an office's existing follow-up spreadsheet (.xlsx or .csv)."""

from app.importing.importer import ImportResult, import_tasks, preview_import
from app.importing.reader import ImportFailed, Problem

__all__ = ["ImportFailed", "ImportResult", "Problem", "import_tasks", "preview_import"]
