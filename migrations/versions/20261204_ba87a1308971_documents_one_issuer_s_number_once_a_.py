"""documents: one issuer's number once a year (issued_year)

"The same document" is one issuer's number in one calendar year (app.documents.operations):
the unique key (issuer_id, number, issued_on) becomes (issuer_id, number, issued_year), the
year kept in a column beside the date. Documents that would clash (one issuer, one number, two
dates of one year) are not changed: the upgrade stops before changing anything and lists them,
to be corrected (number or date) with the running version first.

Revision ID: ba87a1308971
Revises: fd7847385c17
Create Date: 2026-12-04 03:17:00.227319

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ba87a1308971'
down_revision = 'fd7847385c17'
branch_labels = None
depends_on = None

documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("issuer_id", sa.Integer),
    sa.column("number", sa.String),
    sa.column("issued_on", sa.Date),
    sa.column("issued_year", sa.Integer),
)
issuers = sa.table("issuers", sa.column("id", sa.Integer), sa.column("name", sa.String))


def refuse_clashes() -> None:
    """Stop, before any change, when two documents of one issuer share a number in one year."""
    year = sa.extract("year", documents.c.issued_on)
    same = (
        sa.select(documents.c.issuer_id, documents.c.number, year.label("year"))
        .group_by(documents.c.issuer_id, documents.c.number, year)
        .having(sa.func.count() > 1)
        .subquery()
    )
    rows = op.get_bind().execute(
        sa.select(issuers.c.name, documents.c.number, documents.c.id, documents.c.issued_on)
        .join(issuers, issuers.c.id == documents.c.issuer_id)
        .join(
            same,
            sa.and_(
                same.c.issuer_id == documents.c.issuer_id,
                same.c.number == documents.c.number,
                same.c.year == year,
            ),
        )
        .order_by(issuers.c.name, documents.c.number, documents.c.issued_on, documents.c.id)
    ).all()
    if not rows:
        return
    clashes: dict[tuple[str, str], list[str]] = {}
    for issuer, number, document_id, issued_on in rows:
        clashes.setdefault((issuer, number), []).append(
            f"/van-ban/{document_id} ngày {issued_on:%d/%m/%Y}"
        )
    raise SystemExit(
        "Chưa nâng cấp: một cơ quan không ban hành hai văn bản cùng số trong một năm, nhưng ở "
        f"đây có {len(clashes)} số như vậy:\n"
        + "".join(
            f"  - {issuer}, số {number}: {', '.join(found)}\n"
            for (issuer, number), found in clashes.items()
        )
        + "Hãy sửa số ký hiệu hoặc ngày ban hành cho đúng (ở trang của từng văn bản, với "
        "phiên bản đang chạy), rồi nâng cấp lại. Chưa có gì bị thay đổi."
    )


def upgrade():
    refuse_clashes()
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_year', sa.Integer(), nullable=True))
    op.execute(documents.update().values(issued_year=sa.extract("year", documents.c.issued_on)))
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('issued_year', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_documents_issuer_id_number_issued_on'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_documents_issuer_id_number_issued_year'), ['issuer_id', 'number', 'issued_year'])


def downgrade():
    # The year's key holds the date's: nothing can clash on the way back.
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_documents_issuer_id_number_issued_year'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_documents_issuer_id_number_issued_on'), ['issuer_id', 'number', 'issued_on'])
        batch_op.drop_column('issued_year')
