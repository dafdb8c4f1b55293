"""How well the document reader drafts tasks: python bench/drafting_accuracy.py.

Reads the test documents as text, as Word files, as PDFs printed by LibreOffice (when
installed) and as scans of those PDFs read by OCR (when Tesseract is installed), in a fresh
database with the demo's units and issuers, and prints, per group and format, the share of
expected tasks found, with the right lead unit, cooperating units and deadline, the tasks
proposed that are not there ("extra"), and of the tasks not found how many are listed among the
sentences left ("listed") and how many are dropped silently ("silent").

The groups: tests/drafting_cases.py (ten written with the reader, three written after it and
never used to tune it: the documents that existed before issue 30) and tests/drafting_corpus.py
(written for issue 30 from the kinds of misses it lists, in the real Word layout; and four
written after its rules were settled, read once and never used to tune them) and
tests/drafting_corpus_more.py (fourteen more written from the same kinds, first read before the
reader was changed for them: the "before" figures are in the closing note of issue 30).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import drafting_corpus  # noqa: E402
import drafting_corpus_more  # noqa: E402
from drafting_cases import CASES, HELD_OUT, score  # noqa: E402
from test_drafting import word_file  # noqa: E402

GROUPS = (
    ("10 written with the reader", CASES, lambda c: c["text"], word_file),
    ("3 held out", HELD_OUT, lambda c: c["text"], word_file),
    (
        f"{len(drafting_corpus.NEW)} written for issue 30",
        drafting_corpus.NEW,
        drafting_corpus.text_of,
        drafting_corpus.word_file,
    ),
    (
        f"{len(drafting_corpus_more.MORE)} more written for issue 30 (kinds, second round)",
        drafting_corpus_more.MORE,
        drafting_corpus.text_of,
        drafting_corpus.word_file,
    ),
    (
        f"{len(drafting_corpus.HELD_OUT_30)} held out after issue 30",
        drafting_corpus.HELD_OUT_30,
        drafting_corpus.text_of,
        drafting_corpus.word_file,
    ),
)


def _pdfs(work: Path) -> dict[str, bytes]:
    if not shutil.which("soffice"):
        return {}
    paths = []
    for _label, cases, _text, word in GROUPS:
        for case in cases:
            paths.append(work / f"{case['name']}.docx")
            paths[-1].write_bytes(word(case))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(work), *map(str, paths)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return {p.stem: (work / f"{p.stem}.pdf").read_bytes() for p in paths}


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.dev.demo import seed_demo
    from app.documents.drafting import draft_from_text, text_from_file
    from app.extensions import db

    logging.disable(logging.WARNING)
    work = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'd.db'}", "SECRET_KEY": "x"})
    pdfs = _pdfs(work)
    # scans: each PDF's pages as images, read by OCR (Tesseract) when installed
    scans = (
        drafting_corpus.scan_of if shutil.which("tesseract") and shutil.which("pdftoppm") else None
    )
    os.environ.setdefault("DRAFT_SECONDS", "60")  # no child process here: no time bound
    with app.app_context():
        upgrade()
        seed_demo(db.session, dt.date(2026, 11, 27), "pbkdf2:sha256:1000")
        db.session.commit()
        print("| documents | as | tasks | found | lead right | cooperators right | deadline right "
              "| extra tasks | not found, listed | not found, silent |")  # fmt: skip
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for label, cases, text_of, word in GROUPS:
            for form in ("text", "docx", "pdf", "scan"):
                if form in ("pdf", "scan") and not pdfs or form == "scan" and not scans:
                    continue
                results = []
                for case in cases:
                    if form == "text":
                        text = text_of(case)
                    elif form == "docx":
                        text = text_from_file(word(case), "vb.docx")
                    elif form == "pdf":
                        text = text_from_file(pdfs[case["name"]], "vb.pdf")
                    else:
                        text = text_from_file(scans(pdfs[case["name"]]), "vb.pdf")
                    results.append((case, draft_from_text(db.session, text).as_json()))
                s = score(results)
                keys = ("found", "lead", "cooperators", "deadline")
                shares = " | ".join(f"{s[k]} %" for k in keys)
                print(f"| {label} | {form} | {s['expected']} | {shares} | {s['extra_tasks']} "
                      f"| {s['listed']} | {s['silent']} |")  # fmt: skip


if __name__ == "__main__":
    main()
