"""Import of an office's existing follow-up spreadsheet (.xlsx or .csv)."""

from app.importing.importer import import_tasks, preview_import
from app.importing.reader import ImportFailed, Problem
from app.importing.results import ImportResult

__all__ = ["ImportFailed", "ImportResult", "Problem", "import_tasks", "preview_import"]
