"""An office's records in one portable archive, and loading it into another instance.

``flask archive export FILE`` writes everything the follow-up is made of (issuers, units with
their names over time and their organisation changes, documents, tasks, their transfers and
events, progress reports, extensions and attachments, key task groups and the evaluations of
groups and units) as JSON lines in a zip, with a format
version. Rows refer to each other by the ids they had here; people by username. Unlike
``flask backup`` (a copy of this database for this version), the archive does not depend on
the schema: it survives upgrades and can be loaded beside other data.

``flask archive import FILE`` loads an archive into this instance: units and issuers are
matched by name (created when missing), people by username (an action by someone with no
account here is kept without a name), documents and tasks are new rows (new ids, so new task
codes). Everything is checked first; any conflict (a document already here, a unit whose life
differs here) refuses the whole import with the list, and a failure part way through leaves
nothing behind: no row, no file.

An archive is not trusted: its size is bounded from the zip's directory before anything is
unpacked (``opening``), each line before it is parsed, each record validated as strictly as the
API's bodies (``records``), each refusal named by its part and line; attachments are taken as
uploads are (``files``): the upload limit, the accepted kinds, a name without a path, the type
derived from the name, and each one belongs to a document, task or progress report loaded.

Recurring duties (their schedules) are not carried: their periods already created are, as tasks.
"""

from app.archive.export import export_archive
from app.archive.format import ArchiveError
from app.archive.load import ImportReport, discard, import_archive

__all__ = ["ArchiveError", "ImportReport", "discard", "export_archive", "import_archive"]
