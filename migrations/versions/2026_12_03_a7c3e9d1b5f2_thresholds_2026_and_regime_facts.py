"""Thresholds from 1 January 2026, tagged by jurisdiction; the facts a procurement's regime is taken from.

The thresholds table gains `jurisdiction` (england | wales: each nation's
figures come from its own instrument) and `source` (the instrument). The 2024
rows close on 31 December 2025 and the 2026 rows (SI 2025/1200 in England;
the Welsh instrument amending the thresholds from 1 January 2026, same
figures) start on 1 January 2026, all including VAT. Rows the earlier table
lacked (central government goods and services, works, the central notifiable
figure) are added for both periods, and every threshold is copied for Wales.
The PA23 s.77 publication figure stays England only: the duty does not bind
devolved Welsh authorities.

Procurements gain their main CPV code (existing rows take their category's
default), an optional recorded legal start, and the Provider Selection Regime
decision, reason and process.

Revision ID: a7c3e9d1b5f2
Revises: 5c1d7e9a3b42
Create Date: 2026-12-03 09:00:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "a7c3e9d1b5f2"
down_revision = "5c1d7e9a3b42"
branch_labels = None
depends_on = None

END_2025 = date(2025, 12, 31)
FROM_2026 = date(2026, 1, 1)
SOURCE_2024 = "PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024"
SOURCE_NOTIFIABLE = "PA23 Part 6 (ss.85-88), notifiable below-threshold contracts, from 24 February 2025"
SOURCE_2026 = {"england": "SI 2025/1200, from 1 January 2026",
               "wales": "The Welsh instrument amending the thresholds from 1 January 2026 (same figures as "
                        "SI 2025/1200)"}
LABELS = {
    "light_touch": "Light-touch contracts (incl. VAT)",
    "services_sub_central": "Goods and services, sub-central authority (incl. VAT)",
    "services_central": "Goods and services, central government authority (incl. VAT)",
    "works": "Works (incl. VAT)",
    "notifiable_below_threshold": "Notifiable below-threshold contract, sub-central authority (incl. VAT)",
    "notifiable_below_threshold_central": "Notifiable below-threshold contract, central government authority "
                                          "(incl. VAT)",
}
# (code, from 1 January 2024 (or 24 February 2025 for notifiable figures), from 1 January 2026), in pence.
FIGURES = [
    ("light_touch", 66_354_000, 66_354_000),
    ("services_sub_central", 21_490_400, 20_772_000),
    ("services_central", 13_968_800, 13_501_800),
    ("works", 537_260_900, 519_300_000),
    ("notifiable_below_threshold", 3_000_000, 3_000_000),
    ("notifiable_below_threshold_central", 1_200_000, 1_200_000),
]
CATEGORY_DEFAULT_CPV = {
    "residential": "85311000", "fostering": "85311300", "send_education": "80340000",
    "short_breaks": "85312120", "supported_accommodation": "85311000", "family_support": "85320000",
    "therapeutic": "85312000", "transport": "60130000",
}

threshold = sa.table(
    "procurement_threshold",
    sa.column("code", sa.String), sa.column("label", sa.String), sa.column("amount_pence", sa.BigInteger),
    sa.column("effective_from", sa.Date), sa.column("effective_to", sa.Date),
    sa.column("jurisdiction", sa.String), sa.column("source", sa.String),
)


def upgrade():
    with op.batch_alter_table("procurement_threshold", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jurisdiction", sa.String(length=20), nullable=False,
                                      server_default="england"))
        batch_op.add_column(sa.Column("source", sa.String(length=300), nullable=False, server_default=""))
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cpv_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("recorded_start_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("psr_decision", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("psr_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("psr_process", sa.String(length=40), nullable=True))
    for category, code in CATEGORY_DEFAULT_CPV.items():
        op.execute(sa.text("UPDATE procurement SET cpv_code = :code WHERE category = :category")
                   .bindparams(code=code, category=category))

    # The old rows: the two 2024 thresholds and the notifiable figure close at the end of 2025; the s.77
    # publication figure (in the Act itself) stays open, England only.
    op.execute(sa.text("UPDATE procurement_threshold SET effective_to = :end, source = :source "
                       "WHERE code IN ('light_touch', 'services_sub_central')")
               .bindparams(end=END_2025, source=SOURCE_2024))
    op.execute(sa.text("UPDATE procurement_threshold SET effective_to = :end, source = :source "
                       "WHERE code = 'notifiable_below_threshold'").bindparams(end=END_2025, source=SOURCE_NOTIFIABLE))
    op.execute(sa.text("UPDATE procurement_threshold SET source = :source "
                       "WHERE code = 'modified_contract_publication'")
               .bindparams(source="PA23 s.77(1)(b): £5 million (incl. VAT)"))
    rows = []
    for code, amount_2024, amount_2026 in FIGURES:
        notifiable = code.startswith("notifiable")
        first_from = date(2025, 2, 24) if notifiable else date(2024, 1, 1)
        for nation in ("england", "wales"):
            already_there = nation == "england" and code in ("light_touch", "services_sub_central",
                                                             "notifiable_below_threshold")
            if not already_there:
                rows.append({"code": code, "label": LABELS[code], "amount_pence": amount_2024,
                             "effective_from": first_from, "effective_to": END_2025, "jurisdiction": nation,
                             "source": SOURCE_NOTIFIABLE if notifiable else SOURCE_2024})
            rows.append({"code": code, "label": LABELS[code], "amount_pence": amount_2026,
                         "effective_from": FROM_2026, "effective_to": None, "jurisdiction": nation,
                         "source": (SOURCE_NOTIFIABLE.replace(", from 24 February 2025", "") + "; "
                                    + SOURCE_2026[nation]) if notifiable else SOURCE_2026[nation]})
    op.bulk_insert(threshold, rows)


def downgrade():
    op.execute(sa.text("DELETE FROM procurement_threshold WHERE jurisdiction = 'wales' OR effective_from = :d "
                       "OR code IN ('services_central', 'works', 'notifiable_below_threshold_central')")
               .bindparams(d=FROM_2026))
    op.execute("UPDATE procurement_threshold SET effective_to = NULL")
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.drop_column("psr_process")
        batch_op.drop_column("psr_reason")
        batch_op.drop_column("psr_decision")
        batch_op.drop_column("recorded_start_on")
        batch_op.drop_column("cpv_code")
    with op.batch_alter_table("procurement_threshold", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("jurisdiction")
