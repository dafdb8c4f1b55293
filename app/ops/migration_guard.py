"""A downgrade never drops tables that still hold data unless asked to.

Downgrading past the migration that created the reminder history, for example, would drop it
and every e-mail of the period would go out again. Each downgrade that drops tables calls
``refuse_to_drop_data`` first; ``flask db downgrade -x force=yes …`` goes ahead anyway (after
``flask backup``).
"""

from __future__ import annotations

import sqlalchemy as sa


def refuse_to_drop_data(tables: list[str]) -> None:
    from alembic import context, op

    force = context.get_x_argument(as_dictionary=True).get("force", "")
    if force.lower() in ("1", "yes", "true"):
        return
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    full = [
        name
        for name in tables
        if name in present and bind.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar()  # noqa: S608
    ]
    if full:
        raise SystemExit(
            "Hạ cấp sẽ xóa các bảng còn dữ liệu: " + ", ".join(full) + ". Hãy sao lưu trước "
            "(flask backup TỆP), rồi nếu vẫn muốn hạ cấp: flask db downgrade -x force=yes …"
        )
