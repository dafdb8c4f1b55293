"""Bodies' mã định danh (edXML OrganId) on issuers and units: validated, edited by the admin,
written to the import template and the archive, read back by the import."""

from __future__ import annotations

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
