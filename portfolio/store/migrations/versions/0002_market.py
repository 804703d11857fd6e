"""the market view: the INDIGO Impact Bond Dataset as `passu market import` loads it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Written by hand to match portfolio/market_models.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import passu.portfolio.store.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "market_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("skipped_rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_imports")),
    )
    op.create_table(
        "market_projects",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("countries", sa.Text(), nullable=False),
        sa.Column("policy_sector", sa.Text(), nullable=False),
        sa.Column("social_challenge", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("capital_raised", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("capital_min", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("capital_max", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("capital_is_range", sa.Boolean(), nullable=False),
        sa.Column("capital_raised_usd", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("max_outcome_payment", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("max_outcome_payment_currency", sa.Text(), nullable=False),
        sa.Column("max_outcome_payment_usd", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("outcome_contract_signed", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("anticipated_end_date", sa.Date(), nullable=True),
        sa.Column("actual_end_date", sa.Date(), nullable=True),
        sa.Column("organisation_ids", sa.Text(), nullable=False),
        sa.Column("finance_notes", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_projects")),
    )
    op.create_table(
        "market_organisations",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("jurisdiction", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_organisations")),
    )
    op.create_table(
        "market_investments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("investment_id", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Text(), nullable=False),
        sa.Column("role_category", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("amount", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("amount_min", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("amount_max", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("amount_usd", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("investment_type", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["market_projects.id"],
            name=op.f("fk_market_investments_project_id_market_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_investments")),
    )
    op.create_table(
        "market_outcome_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("plan_id", sa.Text(), nullable=False),
        sa.Column("metric_id", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("payer_ids", sa.Text(), nullable=False),
        sa.Column("recipient_ids", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("amount", passu.portfolio.store.types.ExactDecimal(), nullable=False),
        sa.Column("amount_usd", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["market_projects.id"],
            name=op.f("fk_market_outcome_payments_project_id_market_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_outcome_payments")),
    )
    op.create_table(
        "market_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("metric_id", sa.Text(), nullable=False),
        sa.Column("result_level", sa.Text(), nullable=False),
        sa.Column("result_type", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("outcomes_achieved", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("outcomes_achieved_text", sa.Text(), nullable=False),
        sa.Column("number_engaged", passu.portfolio.store.types.ExactDecimal(), nullable=True),
        sa.Column("number_engaged_text", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["market_projects.id"],
            name=op.f("fk_market_results_project_id_market_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_results")),
    )
    op.create_table(
        "market_outcome_metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("metric_key", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("target_population", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("validation_method", sa.Text(), nullable=False),
        sa.Column("data_source", sa.Text(), nullable=False),
        sa.Column("policy_sector", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["market_projects.id"],
            name=op.f("fk_market_outcome_metrics_project_id_market_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_outcome_metrics")),
    )


def downgrade() -> None:
    op.drop_table("market_outcome_metrics")
    op.drop_table("market_results")
    op.drop_table("market_outcome_payments")
    op.drop_table("market_investments")
    op.drop_table("market_organisations")
    op.drop_table("market_projects")
    op.drop_table("market_imports")
