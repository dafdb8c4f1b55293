"""An office's records in one portable archive, and loading it into another instance.

``flask archive export FILE`` writes everything the follow-up is made of (issuers, units with
their names over time and their organisation changes, documents, tasks, their transfers and
events, progress reports, extensions and attachments) as JSON lines in a zip, with a format
version. Rows refer to each other by the ids they had here; people by username. Unlike
``flask backup`` (a copy of this database for this version), the archive does not depend on
the schema: it survives upgrades and can be loaded beside other data.

``flask archive import FILE`` loads an archive into this instance: units and issuers are
matched by name (created when missing), people by username (an action by someone with no
account here is kept without a name), documents and tasks are new rows (new ids, so new task
codes). Everything is checked first; any conflict (a document already here, a unit whose life
differs here) refuses the whole import with the list, and a failure part way through leaves
nothing behind: no row, no file.

Recurring duties (their schedules) are not carried: their periods already created are, as tasks.
"""

from app.archive.export import export_archive
from app.archive.format import ArchiveError
from app.archive.load import ImportReport, discard, import_archive

__all__ = ["ArchiveError", "ImportReport", "discard", "export_archive", "import_archive"]
