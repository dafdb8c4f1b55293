"""Bodies' mã định danh (edXML OrganId) on issuers and units: validated, edited by the admin,
written to the import template and the archive, read back by the import."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Department, Issuer
from app.models.edxml import organ_id_problem
from conftest import login


def test_the_shape_of_an_organ_id():
    assert organ_id_problem("") is None
    assert organ_id_problem("000.00.00.H37") is None
    assert organ_id_problem("H37") is None
    assert "không đúng dạng" in organ_id_problem("000.00.00.h37")
    assert "không đúng dạng" in organ_id_problem("000..H37")
    assert "không đúng dạng" in organ_id_problem("000.00 .H37")
    assert "35" in organ_id_problem("1." * 20 + "1")


def test_the_admin_sets_and_the_lists_show_an_organ_id(client, world, session):
    login(client, world.admin)
    page = client.post(
        "/quan-tri/co-quan-ban-hanh/moi",
        data={"name": "UBND tỉnh Lạng Sơn", "display_order": "1", "organ_id": "000.00.00.h37"},
    )
    assert page.status_code == 200 and "Mã định danh gồm" in page.get_data(as_text=True)
    page = client.post(
        "/quan-tri/co-quan-ban-hanh/moi",
        data={"name": "UBND tỉnh Lạng Sơn", "display_order": "1", "organ_id": " 000.00.00.H37 "},
    )
    assert page.status_code == 302
    issuer = session.scalar(select(Issuer).where(Issuer.name == "UBND tỉnh Lạng Sơn"))
    assert issuer.organ_id == "000.00.00.H37"
    assert "000.00.00.H37" in client.get("/quan-tri/co-quan-ban-hanh").get_data(as_text=True)
    clash = client.post(
        "/quan-tri/co-quan-ban-hanh/moi",
        data={"name": "Tỉnh ủy", "display_order": "2", "organ_id": "000.00.00.H37"},
    )
    assert "Đã có cơ quan mang mã định danh này." in clash.get_data(as_text=True)
    unit = world.tnmt
    page = client.post(
        f"/quan-tri/don-vi/{unit.id}",
        data={
            "name": unit.name,
            "display_order": "1",
            "is_active": "y",
            "organ_id": "000.12.01.H37",
        },
    )
    assert page.status_code == 302, page.get_data(as_text=True)
    session.expire_all()
    assert session.get(Department, unit.id).organ_id == "000.12.01.H37"
    assert "000.12.01.H37" in client.get("/quan-tri/don-vi").get_data(as_text=True)
    client.post(
        f"/quan-tri/don-vi/{unit.id}",
        data={"name": unit.name, "display_order": "1", "is_active": "y", "organ_id": ""},
    )
    session.expire_all()
    assert session.get(Department, unit.id).organ_id is None


def test_the_archive_carries_organ_ids(app, world, session, tmp_path):

    world.tnmt.organ_id = "000.12.01.H37"
    session.add(Issuer(name="Tỉnh ủy", organ_id="000.00.00.H37"))
    session.commit()
    runner = app.test_cli_runner()
    out = tmp_path / "a.zip"
    result = runner.invoke(args=["archive", "export", str(out)])
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(out) as archive:
        text = "".join(
            archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if "json" in n
        )
    assert "000.12.01.H37" in text and "000.00.00.H37" in text


def _with_organ_ids(units_extra: list[str], issuer_id: str) -> io.BytesIO:
    from test_import import ROWS, UNITS, workbook_bytes

    wb = load_workbook(workbook_bytes(rows=ROWS[:1], units=None))
    units = wb.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Tên viết tắt", "Thứ tự", "Email", "Mã định danh"])
    for unit, organ_id in zip(UNITS, units_extra, strict=True):
        units.append([*unit, organ_id])
    issuers = wb.create_sheet("Cơ quan ban hành")
    issuers.append(["Tên cơ quan", "Tên viết tắt", "Mã định danh"])
    issuers.append(["UBND thành phố Lạng Sơn", "UBND thành phố", issuer_id])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_the_import_reads_organ_ids_and_refuses_a_malformed_one(session):
    from test_import import run_import

    from app.importing import ImportFailed

    with pytest.raises(ImportFailed) as failure:
        run_import(session, _with_organ_ids(["000.12.01.H37", "", "x y"], "000.00.12.H37"))
    assert any("Mã định danh" in str(p) for p in failure.value.problems)
    session.rollback()
    run_import(session, _with_organ_ids(["000.12.01.H37", "", ""], "000.00.12.H37"))
    session.commit()
    unit = session.scalar(select(Department).where(Department.short_name == "TNMT"))
    assert unit.organ_id == "000.12.01.H37"
    issuer = session.scalar(select(Issuer).where(Issuer.name == "UBND thành phố Lạng Sơn"))
    assert issuer.organ_id == "000.00.12.H37"


def test_the_template_writes_the_organ_ids(session, factory, tmp_path):
    from app.importing.template import write_current_template

    unit = factory.department("Phòng Nội vụ", 1, "NV")
    unit.organ_id = "000.12.09.H37"
    session.commit()
    path = tmp_path / "mau.xlsx"
    write_current_template(session, path)
    values = [c.value for row in load_workbook(path)["Đơn vị"].iter_rows() for c in row]
    assert "Mã định danh" in values and "000.12.09.H37" in values
