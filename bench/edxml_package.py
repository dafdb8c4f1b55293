"""What reading a 50 MB edXML package costs: python bench/edxml_package.py [MB].

Writes a package of about 50 MB (five attachments of a PDF header and random bytes, base64
in the XML, the way the e-office sends them) and reads it in a fresh process, twice: the reader
alone (``read_package``: parse, decode, hash, sniff) and the whole intake (``receive`` into a
fresh SQLite database, the files stored). Prints the wall time and the process's peak resident
memory for each, beside the bounds of the other file readers (the document reader's child
process: 512 MB and 15 s; the workbook import: 50 MB unpacked)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

CHILD = r"""
import io, json, re, sys, time
sys.path.insert(0, {repo!r})
mode, path, folder = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
if mode == "reader":
    from app.edxml.package import read_package
    with open(path, "rb") as source:
        package, parsed = read_package(source)
    sizes = [a.size for a in package.attachments]
    parsed.close()
else:
    from pathlib import Path
    from app import create_app
    from app.extensions import db
    from app.edxml.intake import receive
    app = create_app({{"SQLALCHEMY_DATABASE_URI": f"sqlite:///{{folder}}/b.db",
                      "ATTACHMENT_DIR": folder + "/files", "SECRET_KEY": "bench"}})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        start = time.perf_counter()
        entry = receive(db.session, Path(path), "cli").entry
        db.session.commit()
        sizes = [f.size for f in entry.files]
seconds = time.perf_counter() - start
# the process's own high-water mark (ru_maxrss would carry the bench's over the exec)
peak = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
print(json.dumps({{"seconds": round(seconds, 2), "peak_mb": round(peak), "files": sizes}}))
"""


def write_package(path: Path, megabytes: int) -> None:
    from edxml_builder import Attached, Spec, build

    count = 5
    each = int(megabytes * 1024 * 1024 * 3 / 4 / count) - 2048
    spec = Spec(attachments=[Attached(f"tep-{i}.pdf", b"%PDF-1.7\n") for i in range(count)])
    text = build(spec)
    small = base64.encodebytes(b"%PDF-1.7\n")
    head, *parts = text.split(small)
    with path.open("wb") as out:
        out.write(head)
        for part in parts:
            remaining = each
            out.write(base64.encodebytes(b"%PDF-1.7\n" + os.urandom(3 * 1024 - 9)))
            remaining -= 3 * 1024
            while remaining > 0:
                block = os.urandom(min(remaining, 3 * 1024 * 1024))
                out.write(base64.encodebytes(block))
                remaining -= len(block)
            out.write(part)


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "goi-tin.xml"
        write_package(path, megabytes)
        print(f"package: {path.stat().st_size / 1024 / 1024:.1f} MB")
        env = {**os.environ, "EDXML_MAX_BYTES": ""}
        for mode in ("reader", "receive"):
            done = subprocess.run(
                [sys.executable, "-c", CHILD.format(repo=str(REPO)), mode, str(path), folder],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if done.returncode != 0:
                print(mode, "failed:", done.stderr[-2000:])
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            total = sum(result["files"]) / 1024 / 1024
            print(
                f"{mode:8s} {result['seconds']:6.2f} s  peak {result['peak_mb']:4d} MB  "
                f"({len(result['files'])} files, {total:.1f} MB decoded)"
            )


if __name__ == "__main__":
    main()
