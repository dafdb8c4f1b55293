"""Import of an office's spreadsheet: right history, all-or-nothing, idempotent."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.importing import ImportFailed, import_tasks
from app.importing.template import write_template
from app.models import Department, Document, Event, Issuer, Task
from app.models.documents import DeadlineKind, TaskState
from app.reports.summary import build_summary

D = dt.date
HEADERS = [
    "Số ký hiệu",
    "Ngày ban hành",
    "Cơ quan ban hành",
    "Loại văn bản",
    "Trích yếu",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn",
    "Tình trạng",
    "Ngày hoàn thành",
    "Ghi chú",
]
UNITS = [
    ["Phòng Tài nguyên và Môi trường", "TNMT", 1, "tnmt@example.vn"],
    ["Phòng Văn hóa – Thông tin thành phố", "VHTT", 2, ""],
    ["Phòng Quản lý đô thị thành phố", "QLĐT", 3, ""],
]
ROWS = [
    # Written the way a clerk would: other dashes, no diacritics, short names, real dates.
    [
        "1044/TB-UBND",
        "05/11/2024",
        "UBND thành phố",
        "",
        "Kết luận về đất đai",
        "Rà soát hồ sơ cấp GCN tại phường Vĩnh Trại",
        "phong tai nguyen va moi truong",
        "QLĐT",
        "30/11/2024",
        "Đang thực hiện",
        None,
        "",
    ],
    [
        "1044/TB-UBND",
        "05/11/2024",
        "UBND thành phố",
        "",
        "Kết luận về đất đai",
        '=HYPERLINK("http://x";"Xử lý lấn chiếm đất công")',
        "TNMT",
        "",
        "",
        "Chưa thực hiện",
        None,
        "+ghi chú",
    ],
    [
        "22-CT/TU",
        D(2024, 10, 1),
        "Thành ủy",
        "Chỉ thị",
        "Về trật tự đô thị",
        "Chỉnh trang vỉa hè",
        "Phòng Quản lý đô thị thành phố",
        "Phòng Văn hóa - Thông tin thành phố",
        D(2024, 10, 31),
        "Đã hoàn thành",
        D(2024, 12, 20),
        "",
    ],
    [
        "22-CT/TU",
        D(2024, 10, 1),
        "Thành ủy",
        "Chỉ thị",
        "Về trật tự đô thị",
        "Tuyên truyền nếp sống văn minh",
        "VHTT",
        "",
        "10 ngày làm việc",
        "Hủy",
        None,
        "",
    ],
    [
        "305/UBND-KT",
        "24/01/2025",
        "UBND tỉnh",
        "",
        "Trước Tết",
        "Báo cáo trước Tết",
        "TNMT",
        "",
        "1 ngày làm việc",
        "Chờ xác nhận",
        None,
        "",
    ],
]


def workbook_bytes(rows=ROWS, units=UNITS, headers=HEADERS, title_rows=0) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    for _ in range(title_rows):
        ws.append(["BẢNG THEO DÕI NHIỆM VỤ"])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if units is not None:
        unit_sheet = wb.create_sheet("Đơn vị")
        unit_sheet.append(["Tên đơn vị", "Tên viết tắt", "Thứ tự", "Email"])
        for unit in units:
            unit_sheet.append(unit)
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    return data


def counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Department, Issuer, Document, Task, Event)
    )


def run_import(session, data, filename="theo-doi.xlsx"):
    return import_tasks(session, data, filename, today=D(2025, 3, 1))


def test_import_builds_documents_tasks_and_history(session):
    result = run_import(session, workbook_bytes())
    session.commit()
    assert result.created_departments == [u[0] for u in UNITS]
    assert result.created_documents == 3 and result.created_tasks == 5
    tnmt, vhtt, qldt = (
        session.scalar(select(Department).where(Department.short_name == s))
        for s in ("TNMT", "VHTT", "QLĐT")
    )
    assert [tnmt.display_order, vhtt.display_order, qldt.display_order] == [1, 2, 3]
    first = session.scalar(select(Task).where(Task.content.like("Rà soát%")))
    assert first.lead_department == tnmt and first.cooperating_departments == [qldt]
    # 30/11/2024 is a Saturday: the deadline falls due on Monday 2/12 (Art. 148).
    assert first.state == TaskState.IN_PROGRESS and first.deadline == D(2024, 12, 2)
    formula = session.scalar(select(Task).where(Task.content.like("=HYPERLINK%")))
    assert formula.content.startswith("=HYPERLINK(") and formula.note == "+ghi chú"
    assert formula.deadline_kind == DeadlineKind.NONE and formula.deadline is None
    tet = session.scalar(select(Task).where(Task.content == "Báo cáo trước Tết"))
    assert tet.deadline == D(2025, 2, 3) and tet.deadline_working_days == 1
    assert session.scalar(select(Issuer).where(Issuer.name == "Thành ủy")) is not None
    kinds = {d.number: d.kind for d in session.scalars(select(Document))}
    assert kinds["1044/TB-UBND"] == "Thông báo kết luận" and kinds["22-CT/TU"] == "Chỉ thị"


def test_imported_history_gives_the_right_summary_on_any_date(session):
    run_import(session, workbook_bytes())
    session.commit()
    # 20/11/2024: the two TNMT tasks are chưa; the QLĐT task (deadline 31/10) is chậm.
    nov = build_summary(session, D(2024, 11, 20))
    assert [(r.department.short_name, r.count) for r in nov.pending] == [("TNMT", 2)]
    assert [(r.department.short_name, r.count) for r in nov.late] == [("QLĐT", 1)]
    # 16/12/2024: the QLĐT task is still chậm (done only on 20/12), TNMT's dated one is late.
    dec = build_summary(session, D(2024, 12, 16))
    assert {(r.department.short_name, r.count) for r in dec.late} == {("TNMT", 1), ("QLĐT", 1)}
    # 1/1/2025: the QLĐT task is done; the cancelled VHTT one never counted.
    jan = build_summary(session, D(2025, 1, 1))
    assert [(r.department.short_name, r.count) for r in jan.late] == [("TNMT", 1)]
    assert all(r.department.short_name != "VHTT" for r in jan.late + jan.pending)
    # Before the 1044 document was issued, nothing of it counts.
    assert build_summary(session, D(2024, 11, 4)).pending == []


def test_importing_the_same_file_twice_duplicates_nothing(session):
    run_import(session, workbook_bytes())
    session.commit()
    before = counts(session)
    again = run_import(session, workbook_bytes())
    session.commit()
    assert counts(session) == before
    assert again.created_tasks == 0 and again.unchanged_tasks == 5
    assert again.created_documents == 0 and again.created_departments == []


def test_reimport_records_a_changed_state(session):
    run_import(session, workbook_bytes())
    session.commit()
    rows = [list(r) for r in ROWS]
    rows[0][9], rows[0][10] = "Đã hoàn thành", "10/12/2024"
    result = run_import(session, workbook_bytes(rows))
    session.commit()
    assert result.updated_tasks == 1 and result.unchanged_tasks == 4
    task = session.scalar(select(Task).where(Task.content.like("Rà soát%")))
    assert task.state == TaskState.DONE and task.done_on == D(2024, 12, 10)
    dec = build_summary(session, D(2024, 12, 16))
    assert all(r.department.short_name != "TNMT" for r in dec.late)


def test_csv_with_title_rows_and_semicolons(session, factory):
    factory.department("Phòng Tài nguyên và Môi trường", 1, "TNMT")
    factory.department("Phòng Quản lý đô thị thành phố", 2, "QLĐT")
    text = (
        "BẢNG THEO DÕI;;;;\n"
        + ";".join(HEADERS)
        + "\n"
        + '12/TB-UBND;03/12/2024;UBND thành phố;;;Kiểm tra đổ thải;TNMT;"qldt; phòng tài nguyên '
        'và môi trường";02/12/2025;;;\n'
    )
    result = run_import(session, io.BytesIO(text.encode("utf-8-sig")), "bang.csv")
    session.commit()
    assert result.created_tasks == 1
    task = session.scalar(select(Task))
    assert task.state == TaskState.OPEN
    assert [d.short_name for d in task.cooperating_departments] == ["QLĐT"]


def test_template_round_trip(session, factory, tmp_path):
    factory.department("Phòng Tài nguyên và Môi trường", 1, "TNMT")
    path = tmp_path / "mau.xlsx"
    write_template(path, session.scalars(select(Department)))
    wb = load_workbook(path)
    assert [c.value for c in wb["Nhiệm vụ"][1]] == [
        "Mã nhiệm vụ",
        *HEADERS,
        "Định kỳ",
        "Nhóm nhiệm vụ trọng tâm",
    ]
    assert wb["Đơn vị"]["A2"].value == "Phòng Tài nguyên và Môi trường"
    wb["Nhiệm vụ"].append(
        [
            None,  # Mã nhiệm vụ: empty for a new task
            "5/KH-UBND",
            D(2024, 12, 2),
            "UBND thành phố",
            "",
            "",
            "Lập kế hoạch",
            "TNMT",
            "",
            D(2024, 12, 10),
            "Chưa thực hiện",
            None,
            "",
        ]
    )
    wb.save(path)
    result = import_tasks(session, path, today=D(2025, 1, 1))
    session.commit()
    assert result.created_tasks == 1 and result.updated_departments == []
    assert build_summary(session, D(2024, 12, 16)).late_total == 1


@pytest.mark.parametrize(
    ("row_index", "column", "value", "expected"),
    [
        (0, 1, "31/02/2024", "Dòng 3, cột “Ngày ban hành”: “31/02/2024” không phải là ngày"),
        (0, 6, "Phòng Không Tồn Tại", "Dòng 3, cột “Đơn vị chủ trì”: không có đơn vị"),
        (1, 7, "TNMT; Ban Ma", "Dòng 4, cột “Đơn vị phối hợp”: không có đơn vị “Ban Ma”"),
        (2, 10, None, "Dòng 5, cột “Ngày hoàn thành”: nhiệm vụ đã hoàn thành phải có"),
        (3, 8, "sớm nhất có thể", "Dòng 6, cột “Thời hạn”: “sớm nhất có thể” không đọc được"),
        (4, 9, "Xong rồi", "Dòng 7, cột “Tình trạng”: “Xong rồi” không phải là tình trạng"),
    ],
)
def test_a_bad_row_is_located_and_nothing_is_imported(session, row_index, column, value, expected):
    before = counts(session)
    rows = [list(r) for r in ROWS]
    rows[row_index][column] = value
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows, title_rows=1))
    session.rollback()
    messages = [str(p) for p in failure.value.problems]
    assert any(
        m.startswith(f"Trang “Nhiệm vụ”, {expected[0].lower()}{expected[1:]}") for m in messages
    ), messages
    assert counts(session) == before  # the departments sheet was not kept either


def test_every_problem_is_reported_at_once(session):
    rows = [list(r) for r in ROWS]
    rows[0][1] = "hôm qua"
    rows[4][6] = "Phòng Ma"
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows))
    rows_reported = sorted(p.row for p in failure.value.problems)
    assert rows_reported == [2, 6]


def test_missing_column(session):
    headers = [h for h in HEADERS if h != "Đơn vị chủ trì"]
    rows = [r[:6] + r[7:] for r in ROWS]
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows, headers=headers))
    assert [str(p) for p in failure.value.problems] == [
        "Trang “Nhiệm vụ”, dòng 1, cột “Đơn vị chủ trì”: thiếu cột bắt buộc “Đơn vị chủ trì”."
    ]


def test_a_file_that_is_not_a_spreadsheet(session):
    with pytest.raises(ImportFailed) as failure:
        run_import(session, io.BytesIO(b"%PDF-1.4 not a workbook"), "bao-cao.xlsx")
    assert "không phải là bảng tính" in str(failure.value)
    with pytest.raises(ImportFailed) as failure:
        run_import(session, io.BytesIO("Số ký hiệu".encode("utf-16")), "bang.csv")
    assert "UTF-8" in str(failure.value)


def test_duplicate_task_rows_and_conflicting_issuer(session):
    rows = [list(r) for r in ROWS] + [list(ROWS[0])]
    rows[1][2] = "UBND tỉnh"
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows))
    messages = [str(p) for p in failure.value.problems]
    assert any("dòng 7" in m and "trùng với dòng 2" in m for m in messages), messages
    assert any("dòng 3" in m and "Cơ quan ban hành" in m for m in messages), messages


@pytest.mark.parametrize(
    "number, content",
    [
        ("1044/tb-ubnd", "RÀ SOÁT  HỒ SƠ cấp GCN tại phường Vĩnh Trại"),
        ("1044/TB-UBND", "Ra soat ho so cap GCN tai phuong Vinh Trai"),
    ],
    ids=["case and spacing", "without diacritics"],
)
def test_a_duplicate_row_is_found_whatever_its_case_accents_or_spacing(session, number, content):
    """The same task typed again by another hand is the same task: the check folds case,
    diacritics and spacing, as every other match of the import does."""
    again = list(ROWS[0])
    again[0], again[5] = number, content
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes([list(r) for r in ROWS] + [again]))
    messages = [str(p) for p in failure.value.problems]
    assert any("dòng 7" in m and "trùng với dòng 2" in m for m in messages), messages


def test_cli_import_reports_errors_and_exits_non_zero(app, session, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][6] = "Phòng Không Có"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes(rows).getvalue())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-tasks", str(bad)])
    assert result.exit_code == 1
    assert "Đơn vị chủ trì" in result.output and "chưa có dữ liệu nào được ghi" in result.output
    assert session.scalar(select(func.count(Task.id))) == 0

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes().getvalue())
    result = runner.invoke(args=["import-tasks", str(good)])
    assert result.exit_code == 0, result.output
    assert "Nhiệm vụ mới: 5" in result.output
    template = tmp_path / "mau.xlsx"
    result = runner.invoke(args=["import-template", str(template)])
    assert result.exit_code == 0 and load_workbook(template)["Đơn vị"].max_row == 4


def issuer_row(number: str, issuer: str, content: str = "Kiểm tra") -> list:
    return [number, "05/11/2024", issuer, "", "", content, "TNMT", "", "", "", None, ""]


def test_issuers_are_matched_as_people_write_them(session, factory):
    from app.importing.issuers import issuer_key

    assert issuer_key("UBND TP. Lạng Sơn") == issuer_key("Ủy ban nhân dân thành phố Lạng Sơn")
    city = factory.issuer("UBND thành phố Lạng Sơn", "UBND thành phố")
    party = factory.issuer("Thành ủy Lạng Sơn", "Thành ủy")
    session.commit()
    rows = [
        issuer_row("1/TB-UBND", "UBND TP Lạng Sơn"),
        issuer_row("2/TB-UBND", "Ủy ban nhân dân thành phố Lạng Sơn"),
        issuer_row("3/TB-UBND", "ubnd tp. lang son"),
        issuer_row("4-TB/TU", "TU"),
        issuer_row("5/TB-UBND", "UBND thành phố"),
        issuer_row("6/KH-SXD", "Sở Xây dựng"),
        issuer_row("7/KH-SXD", "SỞ XÂY DỰNG", "Lập kế hoạch"),
    ]
    result = run_import(session, workbook_bytes(rows=rows))
    session.commit()
    assert result.created_issuers == ["Sở Xây dựng"]  # created once, and listed
    assert "Cơ quan ban hành mới: Sở Xây dựng" in result.lines()
    by_number = {d.number: d.issuer_id for d in session.scalars(select(Document))}
    assert {by_number[n] for n in ("1/TB-UBND", "2/TB-UBND", "3/TB-UBND", "5/TB-UBND")} == {city.id}
    assert by_number["4-TB/TU"] == party.id  # the only Party committee in the list
    assert by_number["6/KH-SXD"] == by_number["7/KH-SXD"]
    assert session.scalar(select(func.count(Issuer.id))) == 3


def test_an_ambiguous_issuer_is_an_error_not_a_guess(session, factory):
    factory.issuer("Thành ủy Lạng Sơn", "Thành ủy")
    factory.issuer("Tỉnh ủy Lạng Sơn", "Tỉnh ủy")
    session.commit()
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows=[issuer_row("4-TB/TU", "TU")]))
    assert "có thể là “Thành ủy Lạng Sơn”, “Tỉnh ủy Lạng Sơn”" in str(failure.value.problems[0])


def test_the_issuer_sheet_adds_issuers_and_short_names_first(session, factory):
    factory.issuer("UBND tỉnh Lạng Sơn")
    session.commit()
    data = workbook_bytes(rows=[issuer_row("9/TB-VP", "VP UBND tỉnh")])
    wb = load_workbook(data)
    sheet = wb.create_sheet("Cơ quan ban hành")
    sheet.append(["Tên cơ quan", "Tên viết tắt"])
    sheet.append(["Văn phòng UBND tỉnh Lạng Sơn", "VP UBND tỉnh"])
    sheet.append(["UBND tỉnh Lạng Sơn", "UBND tỉnh"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = run_import(session, out)
    session.commit()
    assert result.created_issuers == ["Văn phòng UBND tỉnh Lạng Sơn"]
    province = session.scalar(select(Issuer).where(Issuer.name == "UBND tỉnh Lạng Sơn"))
    assert province.short_name == "UBND tỉnh"
    document = session.scalar(select(Document).where(Document.number == "9/TB-VP"))
    assert document.issuer.name == "Văn phòng UBND tỉnh Lạng Sơn"


def test_template_lists_are_drop_downs_from_current_data(session, factory, tmp_path):
    from app.importing.template import write_current_template

    factory.department("=2+3 Phòng thử", 1, "TH")
    factory.issuer("UBND thành phố Lạng Sơn", "UBND thành phố")
    session.commit()
    path = tmp_path / "mau.xlsx"
    write_current_template(session, path)
    wb = load_workbook(path)
    tasks = wb["Nhiệm vụ"]
    sources = {}
    for validation in tasks.data_validations.dataValidation:
        first = str(validation.sqref).split(":")[0]
        sources[first.rstrip("0123456789")] = validation.formula1
    columns = {c.value: c.column_letter for c in tasks[1]}
    assert sources[columns["Đơn vị chủ trì"]].startswith("'Đơn vị'!$A$2")
    assert sources[columns["Cơ quan ban hành"]].startswith("'Cơ quan ban hành'!$A$2")
    assert sources[columns["Loại văn bản"]].startswith("'Danh mục'!$A$1")
    assert sources[columns["Tình trạng"]].startswith("'Danh mục'!$B$1")
    assert wb["Cơ quan ban hành"]["A2"].value == "UBND thành phố Lạng Sơn"
    unit = wb["Đơn vị"]["A2"]
    assert unit.value == "=2+3 Phòng thử" and unit.data_type == "s"  # never a formula
    assert wb["Danh mục"].sheet_state == "hidden"
    assert "Thông báo kết luận" in [c.value for c in wb["Danh mục"]["A"]]


def test_a_corrected_spreadsheet_imported_again_updates_its_tasks(app, session, tmp_path):
    """The office keeps one master sheet: export (with codes), fix a typo, import again."""
    run_import(session, workbook_bytes())
    session.commit()
    before = build_summary(session, D(2024, 12, 16))
    task = session.scalar(select(Task).where(Task.content.like("Rà soát hồ sơ cấp GCN%")))
    corrected = [
        [
            task.code,
            *ROWS[0][:5],
            "Rà soát hồ sơ cấp Giấy chứng nhận tại phường Vĩnh Trại",
            *ROWS[0][6:],
        ]
    ]
    result = run_import(session, workbook_bytes(rows=corrected, headers=["Mã nhiệm vụ", *HEADERS]))
    session.commit()
    assert (result.created_tasks, result.updated_tasks) == (0, 1)
    session.refresh(task)
    assert task.content == "Rà soát hồ sơ cấp Giấy chứng nhận tại phường Vĩnh Trại"
    assert session.scalar(select(func.count(Task.id))) == 5
    assert build_summary(session, D(2024, 12, 16)) == before  # 13 late stays 13, not 14

    # Without the code, a text a few words apart is never created silently.
    near = [[*ROWS[0][:5], "Rà soát các hồ sơ cấp GCN tại phường Vĩnh Trại", *ROWS[0][6:]]]
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows=near))
    session.rollback()
    assert f"gần giống nhiệm vụ {task.code}" in str(failure.value.problems[0])
    from app.importing import preview_import

    preview = preview_import(session, workbook_bytes(rows=near), "x.xlsx", D(2025, 3, 1))
    [suspect] = preview.of("suspect")
    assert suspect.similar_code == task.code and suspect.row == 2
    assert session.scalar(select(func.count(Task.id))) == 5  # the preview wrote nothing
    result = import_tasks(session, workbook_bytes(rows=near), "x.xlsx", D(2025, 3, 1), {2: "new"})
    session.commit()
    assert result.created_tasks == 1 and session.scalar(select(func.count(Task.id))) == 6

    # A code that names nothing, or another document's task, is a located error.
    wrong = [["NV-99999", *ROWS[0]], [task.code, *ROWS[2]]]
    with pytest.raises(ImportFailed) as failure:
        run_import(session, workbook_bytes(rows=wrong, headers=["Mã nhiệm vụ", *HEADERS]))
    text = "\n".join(str(p) for p in failure.value.problems)
    assert (
        "không có nhiệm vụ mã NV-99999" in text
        and f"mã {task.code} là nhiệm vụ của văn bản" in text
    )


def test_cli_dry_run_and_the_choice_for_similar_rows(app, session, tmp_path):
    run_import(session, workbook_bytes())
    session.commit()
    near = [[*ROWS[0][:5], "Rà soát các hồ sơ cấp GCN tại phường Vĩnh Trại", *ROWS[0][6:]]]
    path = tmp_path / "near.xlsx"
    path.write_bytes(workbook_bytes(rows=near).getvalue())
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import-tasks", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Xem trước (chưa ghi gì)" in dry.output and "gần giống NV-" in dry.output
    assert session.scalar(select(func.count(Task.id))) == 5
    refused = runner.invoke(args=["import-tasks", str(path)])
    assert refused.exit_code == 1 and "gần giống nhiệm vụ NV-" in refused.output
    done = runner.invoke(args=["import-tasks", str(path), "--similar", "update"])
    assert done.exit_code == 0 and "Nhiệm vụ cập nhật: 1" in done.output
    assert session.scalar(select(func.count(Task.id))) == 5


def test_tasks_written_in_bulk_are_those_add_task_and_change_state_write(session):
    """The import inserts new tasks and their events a batch at a time, without the functions
    every other change goes through: each task and its history must be what they write."""
    from app.models.history import EventKind
    from app.tasks.changes import add_task, change_state

    rows = [list(r) for r in ROWS]
    rows[1][9], rows[1][10] = "Hủy", "20/11/2024"  # a dated cancellation
    run_import(session, workbook_bytes(rows))
    session.commit()
    imported = session.scalars(select(Task).order_by(Task.id)).all()
    assert len(imported) == 5

    def history(task):
        events = session.scalars(select(Event).where(Event.task_id == task.id).order_by(Event.id))
        return [
            (e.kind, e.effective_on, e.state, e.sets_deadline, e.deadline, e.before, e.after,
             e.comment, e.user_id)
            for e in events
        ]  # fmt: skip

    def columns(task):
        return (task.content, task.lead_department_id, task.deadline_kind,
                task.deadline_working_days, task.deadline, task.original_deadline, task.state,
                task.done_on, task.closed_on, task.note, task.search_text,
                sorted(d.id for d in task.cooperating_departments))  # fmt: skip

    kinds = set()
    for task in imported:
        events = history(task)
        closes_later = len(events) == 2
        twin = add_task(
            session, task.document, content=task.content, lead=task.lead_department,
            cooperators=task.cooperating_departments, deadline_kind=task.deadline_kind,
            deadline=task.original_deadline, working_days=task.deadline_working_days,
            state=TaskState.OPEN if closes_later else task.state, note=task.note,
            kind=EventKind.IMPORTED,
        )  # fmt: skip
        if closes_later:
            change_state(session, twin, task.state, effective_on=events[1][1],
                         comment="Nhập từ bảng tính")  # fmt: skip
        session.flush()
        session.refresh(twin)
        assert columns(twin) == columns(task)
        assert history(twin) == events
        kinds.add((task.state, closes_later))
    # open, done later, cancelled later, cancelled from the start, awaiting confirmation
    assert {("done", True), ("cancelled", True), ("cancelled", False)} <= kinds


def test_changes_to_stored_tasks_follow_the_rows_and_batches_that_wrote_nothing_commit_nothing(
    session, monkeypatch
):
    """A file imported again is compared with plain values; the rows that change a task are
    applied when their batch is written (deadline, state, text, units, note), a later row sees
    an earlier row's change, and a batch that changes nothing is not committed."""
    import app.importing.importer as importer
    from app.importing.journal import Journal

    run_import(session, workbook_bytes())
    session.commit()
    tasks = {t.content: t for t in session.scalars(select(Task).order_by(Task.id))}
    reading = tasks["Rà soát hồ sơ cấp GCN tại phường Vĩnh Trại"]
    rows = [[t.code, *row] for t, row in zip(tasks.values(), ROWS, strict=True)]
    by_code = {row[0]: row for row in rows}
    first = by_code[reading.code]
    first[9] = "13/12/2024"  # a new deadline
    first[8] = "Phòng Văn hóa – Thông tin thành phố"  # another cooperating unit
    urging = by_code[tasks["Báo cáo trước Tết"].code]
    urging[6] = "Báo cáo tình hình trước Tết"  # a corrected text, named by its code
    urging[10], urging[11] = "Đã hoàn thành", "20/02/2025"
    # Unchanged rows first: with two rows a batch, the first batch writes nothing.
    order = [t.code for t in tasks.values() if by_code[t.code] not in (first, urging)]
    rows = [by_code[c] for c in order] + [urging, first]
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    committed = []
    journal = Journal()
    journal.watch(session)
    result = import_tasks(
        session, workbook_bytes(rows, headers=["Mã nhiệm vụ", *HEADERS]), "x.xlsx",
        today=D(2025, 3, 1), journal=journal, on_batch=committed.append,
    )  # fmt: skip
    journal.stop()
    session.commit()
    assert (result.updated_tasks, result.unchanged_tasks, result.created_tasks) == (2, 3, 0)
    assert committed == [4]  # after rows 3–4 (the second batch); not after rows 1–2
    assert set(journal.before["Task"]) == {
        str(reading.id),
        str(tasks["Báo cáo trước Tết"].id),
    }
    session.expire_all()
    assert reading.deadline == D(2024, 12, 13) and reading.state == TaskState.IN_PROGRESS
    assert [d.short_name for d in reading.cooperating_departments] == ["VHTT"]
    done = session.get(Task, tasks["Báo cáo trước Tết"].id)
    assert done.content == "Báo cáo tình hình trước Tết"
    assert done.state == TaskState.DONE and done.done_on == D(2025, 2, 20)
    kinds = [e.kind for e in session.scalars(select(Event).where(Event.task_id == reading.id))]
    assert "deadline" in kinds and "edited" in kinds
    # The same file again changes nothing, and no batch is committed.
    committed.clear()
    again = import_tasks(
        session, workbook_bytes(rows, headers=["Mã nhiệm vụ", *HEADERS]), "x.xlsx",
        today=D(2025, 3, 1), on_batch=committed.append,
    )  # fmt: skip
    assert (again.updated_tasks, again.unchanged_tasks, committed) == (0, 5, [])
