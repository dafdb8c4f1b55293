"""Archives written record by record for the tests, as an attacker would write them: a small
honest one (``honest_parts``) and whatever is changed in it."""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from pathlib import Path

PDF = b"%PDF-1.4 thong bao ket luan\n"


def after(state: str = "open") -> dict:
    return {
        "content": "Rà soát hồ sơ cấp giấy chứng nhận",
        "lead_department_id": 1,
        "cooperating_department_ids": [2],
        "deadline_kind": "date",
        "deadline_working_days": None,
        "deadline": "2024-12-31",
        "state": state,
        "done_on": None,
        "note": "",
    }


def honest_parts(data: bytes = PDF) -> dict[str, list[dict]]:
    return copy.deepcopy(
        {
            "issuers": [{"ref": 1, "name": "UBND tỉnh Lạng Sơn", "short_name": "", "order": 0}],
            "units": [
                {"ref": 1, "name": "Phòng Tài nguyên và Môi trường"},
                {"ref": 2, "name": "Phòng Quản lý đô thị thành phố", "names": []},
            ],
            "changes": [],
            "documents": [
                {
                    "ref": 1,
                    "number": "45/TB-UBND",
                    "kind": "Thông báo",
                    "issuer": 1,
                    "issued_on": "2024-11-05",
                    "summary": "Kết luận",
                    "signer": "",
                    "created_at": "2024-11-05T08:00:00",
                },
            ],  # fmt: skip
            "tasks": [
                {
                    "ref": 1,
                    "document": 1,
                    "content": "Rà soát hồ sơ cấp giấy chứng nhận",
                    "lead": 1,
                    "cooperators": [2],
                    "deadline_kind": "date",
                    "working_days": None,
                    "deadline": "2024-12-31",
                    "original_deadline": "2024-12-31",
                    "state": "open",
                    "done_on": None,
                    "closed_on": None,
                    "cancel_reason": "",
                    "note": "",
                    "period": None,
                    "created_at": "2024-11-05T08:00:00",
                    "updated_at": "2024-11-05T08:00:00",
                },
            ],  # fmt: skip
            "transfers": [],
            "progress_reports": [
                {
                    "ref": 1,
                    "task": 1,
                    "unit": 1,
                    "by": "tnmt.cv",
                    "reported_on": "2024-11-20",
                    "content": "Đã kiểm tra hiện trường",
                    "created_at": "2024-11-20T09:00:00",
                },
            ],  # fmt: skip
            "events": [
                {
                    "task": 1,
                    "by": None,
                    "kind": "created",
                    "effective_on": "2024-11-05",
                    "created_at": "2024-11-05T08:00:00",
                    "state": "open",
                    "sets_deadline": True,
                    "deadline": "2024-12-31",
                    "before": None,
                    "after": after(),
                    "comment": "",
                },
                {
                    "task": 1,
                    "by": "tnmt.cv",
                    "kind": "progress",
                    "effective_on": "2024-11-20",
                    "created_at": "2024-11-20T09:00:00",
                    "state": None,
                    "sets_deadline": False,
                    "deadline": None,
                    "before": None,
                    "after": {"progress_report_id": 1},
                    "comment": "Báo cáo tiến độ",
                },
            ],  # fmt: skip
            "extensions": [],
            "attachments": [attachment_record(1, data, document=1)],
        }
    )


def attachment_record(ref: int, data: bytes, **owner) -> dict:
    return {
        "ref": ref, "document": None, "task": None, "progress_report": None,
        "filename": "Thông báo 45.pdf", "content_type": "application/pdf", "size": len(data),
        "by": None, "created_at": "2024-11-05T08:00:00",
        "sha256": hashlib.sha256(data).hexdigest(), "member": f"files/{ref}", **owner,
    }  # fmt: skip


def manifest(version=1) -> bytes:
    return json.dumps({"format": "theo-doi-van-ban-chi-dao", "version": version}).encode()


def line(record) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


def write_archive(
    path: Path,
    parts: dict[str, list] | None = None,
    files: dict[str, bytes] | None = None,
    raw: dict[str, bytes] | None = None,
    version=1,
) -> Path:
    """An archive of ``parts`` (the honest ones by default), the attachments' bytes by member
    name (``files/1`` holds PDF by default) and ``raw`` members written as they are (a part's
    whole text, a manifest …)."""
    parts = honest_parts() if parts is None else parts
    files = {"files/1": PDF} if files is None else files
    raw = raw or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, records in parts.items():
            if f"{part}.jsonl" not in raw:
                archive.writestr(f"{part}.jsonl", b"".join(line(r) for r in records))
        for member, data in files.items():
            archive.writestr(member, data)
        for member, data in raw.items():
            archive.writestr(member, data)
        if "manifest.json" not in raw:
            archive.writestr("manifest.json", manifest(version))
    return path
