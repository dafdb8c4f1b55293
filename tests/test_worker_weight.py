"""A web worker loads only what serving pages needs: the libraries that write files, read
spreadsheets, make calendars or migrate the schema are loaded when first used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ["openpyxl", "python_calamine", "docx", "icalendar", "alembic", "flask_migrate"]

CHILD = """
import json, sys
from app import create_app

heavy = json.loads(sys.argv[2])
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "k" * 64})
loaded = {"after start": [m for m in heavy if m in sys.modules]}
app.test_client().get("/dang-nhap")
loaded["after a page"] = [m for m in heavy if m in sys.modules]
with app.app_context():
    import flask_migrate

    flask_migrate.upgrade()  # binds the extension on first use
    from sqlalchemy import inspect

    from app.extensions import db

    loaded["tables"] = sorted(inspect(db.engine).get_table_names())
    loaded["directory"] = app.extensions["migrate"].directory
print(json.dumps(loaded))
"""


def test_starting_and_serving_a_page_loads_none_of_the_heavy_libraries(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, f"sqlite:///{tmp_path / 'w.db'}", json.dumps(HEAVY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["after start"] == []
    assert loaded["after a page"] == []
    # Flask-Migrate still works from the application, bound when first used.
    assert "tasks" in loaded["tables"] and "alembic_version" in loaded["tables"]
    assert loaded["directory"].endswith("migrations")


def test_a_worker_gives_memory_back_after_making_a_file(client, world, monkeypatch):
    import app.ops.memory

    calls = []
    monkeypatch.setattr(app.ops.memory, "give_back_memory", lambda: calls.append(1))
    from conftest import login

    login(client, world.office)
    assert client.get("/nhiem-vu").status_code == 200
    assert calls == []  # pages: nothing to give back
    for url in ("/nhiem-vu/xuat.xlsx", "/nhiem-vu/xuat.csv", "/bao-cao/bieu-chi-tiet.docx"):
        before = len(calls)
        response = client.get(url)
        assert (
            response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        )
        assert len(calls) == before + 1, url


def test_memory_is_given_back_only_after_the_process_grew(monkeypatch):
    """A full collection is not free: it runs when the process grew by 16 MB since the last."""
    import app.ops.memory as memory

    collected = []
    monkeypatch.setattr(memory.gc, "collect", lambda: collected.append(1))
    monkeypatch.setattr(memory, "_settled", [1000])
    pages = iter([1000 + memory.GROWTH_PAGES - 1, 1000 + memory.GROWTH_PAGES, 5000,
                  5000 + memory.GROWTH_PAGES // 2])  # fmt: skip
    monkeypatch.setattr(memory, "_resident_pages", lambda: next(pages))
    memory.give_back_memory()  # grew a page less than the threshold
    assert collected == []
    memory.give_back_memory()  # grew by the threshold: collected, then settled at 5000 pages
    assert collected == [1] and memory._settled == [5000]
    memory.give_back_memory()  # half the threshold above the new level
    assert collected == [1]


def test_the_masters_warm_up_compiles_the_templates_and_loads_only_the_xlsx_writer(tmp_path):
    """gunicorn's master (deploy/gunicorn.conf.py, when_ready) builds what every worker would
    build for itself, to share it: the templates, the mappers and openpyxl, nothing else heavy."""
    child = """
import json, sys
from app import create_app
from app.ops.memory import warm_up

heavy = json.loads(sys.argv[2])
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "k" * 64})
warm_up(app)
print(json.dumps({"loaded": [m for m in heavy if m in sys.modules],
                  "compiled": len(app.jinja_env.cache),
                  "templates": len(app.jinja_env.list_templates(extensions=("html",)))}))
"""
    done = subprocess.run(
        [sys.executable, "-c", child, f"sqlite:///{tmp_path / 'w.db'}", json.dumps(HEAVY)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["loaded"] == ["openpyxl"]
    assert found["compiled"] >= found["templates"] > 20
