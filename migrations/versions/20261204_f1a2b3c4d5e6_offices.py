"""Offices: every office's own units, users, documents, tasks and their history, issuers,
schedules and reminders; an existing database becomes one office holding everything.

Revision ID: f1a2b3c4d5e6
Revises: e7a3c91d5b20
Create Date: 2026-12-04 15:40:00

"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "f1a2b3c4d5e6"
down_revision = "e7a3c91d5b20"
branch_labels = None
depends_on = None

# The tables whose rows belong to one office.
SCOPED = (
    "access_denials",
    "attachments",
    "departments",
    "documents",
    "edxml_entries",
    "edxml_status",
    "evaluations",
    "events",
    "extensions",
    "import_jobs",
    "issuers",
    "key_task_groups",
    "progress_reports",
    "reminder_schedules",
    "reminders",
    "scheduler_runs",
    "series",
    "tasks",
    "unit_changes",
    "users",
)
# The office settings that were rows of ``settings`` (app.core.settings.OfficeSettings).
SETTING_NAMES = (
    "governing_body",
    "office_name",
    "requests_by",
    "two_factor_required",
    "key_task_body",
    # the key tasks' grade list and thresholds (app.keytasks.grades)
    "evaluation_grades",
    "group_grade_rules",
    "unit_grade_rules",
)
# Unique keys that now hold within one office: table → (old name, old columns).
UNIQUE_PER_OFFICE = {
    "departments": ("uq_departments_name", ["name"]),
    "issuers": ("uq_issuers_name", ["name"]),
    "reminders": (
        "uq_reminders_kind_recipient_email_scope_period",
        ["kind", "recipient_email", "scope", "period"],
    ),
    "scheduler_runs": ("uq_scheduler_runs_kind_fire_time", ["kind", "fire_time"]),
    "edxml_entries": (
        "uq_edxml_entries_document_key_business_type_fingerprint",
        ["document_key", "business_type", "fingerprint"],
    ),
}


def _new_unique(table: str) -> str:
    if table == "edxml_entries":
        return "uq_edxml_entries_office_package"  # the long name exceeds PostgreSQL's 63
    return f"uq_{table}_office_id_{'_'.join(UNIQUE_PER_OFFICE[table][1])}"


def _office_of(office_name: str, governing_body: str) -> str:
    """The office's name: its own name and the body it serves, the words they share once
    ("Văn phòng HĐND và UBND" of "UBND thành phố Lạng Sơn": "Văn phòng HĐND và UBND thành
    phố Lạng Sơn", not "… UBND UBND thành phố …")."""
    own, body = office_name.split(), governing_body.split()
    for shared in range(min(len(own), len(body)), 0, -1):
        if [w.casefold() for w in own[-shared:]] == [w.casefold() for w in body[:shared]]:
            body = body[shared:]
            break
    return " ".join(own + body)


def _level(governing_body: str) -> str:
    text = governing_body.lower()
    if "tỉnh" in text and "thành phố" not in text:
        return "province"
    if any(word in text for word in ("thành phố", "huyện", "thị xã", "quận")):
        return "district"
    return "commune"


def upgrade():
    offices = op.create_table(
        "offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("parent_unit_id", sa.Integer(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["offices.id"], name="fk_offices_parent_id_offices"),
        sa.ForeignKeyConstraint(
            ["parent_unit_id"], ["departments.id"], name="fk_offices_parent_unit_id_departments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_offices"),
        sa.UniqueConstraint("code", name="uq_offices_code"),
    )
    op.create_index("ix_offices_parent_id", "offices", ["parent_id"])
    op.create_index("ix_offices_parent_unit_id", "offices", ["parent_unit_id"])

    # The one office holding everything there is, with the settings the admin had saved.
    bind = op.get_bind()
    settings_table = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    stored = {
        key: value
        for key, value in bind.execute(
            sa.select(settings_table.c.key, settings_table.c.value).where(
                settings_table.c.key.in_(SETTING_NAMES)
            )
        )
    }
    body = stored.get("governing_body") or ""
    name = _office_of(stored.get("office_name") or "Văn phòng", body)
    op.bulk_insert(
        offices,
        [
            {
                "id": 1,
                "code": "VP",
                "name": name[:255],
                "level": _level(body),
                "settings": stored,
                "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            }
        ],
    )
    bind.execute(sa.delete(settings_table).where(settings_table.c.key.in_(SETTING_NAMES)))
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("SELECT setval('offices_id_seq', (SELECT MAX(id) FROM offices))")

    for table in SCOPED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("office_id", sa.Integer(), nullable=False, server_default="1")
            )
            if table != "reminder_schedules":  # there it leads the primary key
                batch_op.create_index(f"ix_{table}_office_id", ["office_id"])
            batch_op.create_foreign_key(
                f"fk_{table}_office_id_offices", "offices", ["office_id"], ["id"]
            )
            if table in UNIQUE_PER_OFFICE:
                old_name, columns = UNIQUE_PER_OFFICE[table]
                batch_op.drop_constraint(old_name, type_="unique")
                batch_op.create_unique_constraint(_new_unique(table), ["office_id", *columns])
            if table == "reminder_schedules":
                batch_op.drop_constraint("pk_reminder_schedules", type_="primary")
                batch_op.create_primary_key("pk_reminder_schedules", ["office_id", "kind"])
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("office_id", server_default=None)

    with op.batch_alter_table("tasks") as batch_op:
        for column in ("upper_task_id", "parent_task_id"):
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_index(f"ix_tasks_{column}", [column])
            batch_op.create_foreign_key(f"fk_tasks_{column}_tasks", "tasks", [column], ["id"])

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column(
                "installation_admin", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    # The administrators of the one office run the installation as they ran everything.
    users = sa.table("users", sa.column("role", sa.String), sa.column("installation_admin"))
    bind.execute(sa.update(users).where(users.c.role == "admin").values(installation_admin=True))


def downgrade():
    bind = op.get_bind()
    offices = sa.table(
        "offices", sa.column("id", sa.Integer), sa.column("settings", sa.JSON)
    )
    several = bind.execute(sa.select(sa.func.count()).select_from(offices)).scalar()
    if several and several > 1:
        raise RuntimeError("several offices: a single-office schema cannot hold them")
    stored = bind.execute(sa.select(offices.c.settings).where(offices.c.id == 1)).scalar() or {}
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("installation_admin")
    with op.batch_alter_table("tasks") as batch_op:
        for column in ("upper_task_id", "parent_task_id"):
            batch_op.drop_constraint(f"fk_tasks_{column}_tasks", type_="foreignkey")
            batch_op.drop_index(f"ix_tasks_{column}")
            batch_op.drop_column(column)
    for table in reversed(SCOPED):
        with op.batch_alter_table(table) as batch_op:
            if table == "reminder_schedules":
                batch_op.drop_constraint("pk_reminder_schedules", type_="primary")
                batch_op.create_primary_key("pk_reminder_schedules", ["kind"])
            if table in UNIQUE_PER_OFFICE:
                old_name, columns = UNIQUE_PER_OFFICE[table]
                batch_op.drop_constraint(_new_unique(table), type_="unique")
                batch_op.create_unique_constraint(old_name, columns)
            batch_op.drop_constraint(f"fk_{table}_office_id_offices", type_="foreignkey")
            if table != "reminder_schedules":
                batch_op.drop_index(f"ix_{table}_office_id")
            batch_op.drop_column("office_id")
    settings_table = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    if stored:
        op.bulk_insert(settings_table, [{"key": k, "value": v} for k, v in stored.items()])
    op.drop_index("ix_offices_parent_unit_id", table_name="offices")
    op.drop_index("ix_offices_parent_id", table_name="offices")
    op.drop_table("offices")
