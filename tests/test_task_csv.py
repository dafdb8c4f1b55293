"""The CSV files the reorganisation commands read (``flask units split --assign``, ``flask
offices end --plan``): one reader, bounded, each refusal naming its line."""

from __future__ import annotations

import click
import pytest

from app.cli import params
from app.offices.commands import read_plan
from app.units.commands import read_assignments


def test_both_plans_read_a_header_empty_rows_semicolons_and_a_bom():
    data = "\ufeffMã;Đơn vị\n\nNV-00012;Phòng Kinh tế\n;;\n7;Phòng Văn hóa\n".encode()
    assert read_assignments(data) == {12: "Phòng Kinh tế", 7: "Phòng Văn hóa"}
    plan = "Mã,Cơ quan,Đơn vị\nNV-00012,KYLUA,Phòng Kinh tế\nNV-00013,LS\n".encode()
    assert read_plan(plan) == {12: ("KYLUA", "Phòng Kinh tế"), 13: ("LS", "")}


@pytest.mark.parametrize("reader", [read_plan, read_assignments])
@pytest.mark.parametrize(
    "data, message",
    [
        ("Mã,Đơn vị\nNV-1,A\nrác,B\n".encode(), "Dòng 3: “rác” không phải mã nhiệm vụ."),
        ("NV-1,A\n".encode("utf-16"), "Tệp phân giao phải là CSV mã hóa UTF-8."),
        (b"x" * (params.MAX_TASK_CSV_BYTES + 1), "Tệp phân giao lớn quá 5 MB."),
    ],
)
def test_both_plans_refuse_what_is_not_a_plan(reader, data, message):
    with pytest.raises(click.ClickException) as refused:
        reader(data)
    assert refused.value.message == message


@pytest.mark.parametrize("reader", [read_plan, read_assignments])
def test_both_plans_stop_at_the_row_limit(reader, monkeypatch):
    monkeypatch.setattr(params, "MAX_TASK_CSV_ROWS", 3)
    with pytest.raises(click.ClickException, match="quá 3 dòng"):
        reader(b"NV-1,A\nNV-2,B\nNV-3,C\nNV-4,D\n")


def test_each_plan_keeps_its_own_rules():
    with pytest.raises(click.ClickException, match="Dòng 2: nhiệm vụ NV-1 ghi hai lần"):
        read_plan(b"NV-1,LS,A\nNV-1,LS,B\n")
    with pytest.raises(click.ClickException, match="Dòng 1: thiếu tên đơn vị nhận"):
        read_assignments(b"NV-1,\n")
