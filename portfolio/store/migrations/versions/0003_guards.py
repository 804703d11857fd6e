"""the database enforces what passu promises: a hash-chained audit log; on PostgreSQL,
triggers keeping approved runs, run history, the audit log and locked periods unchanged

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

- ``audit_log`` gains ``login`` (the database login that wrote the entry: PostgreSQL's
  ``session_user``; NULL on SQLite, which has no users) and ``sha256``: SHA-256 of the
  previous entry's ``sha256`` (64 zeros before the first) followed by the entry's
  canonical content (``portfolio/store/audit.py: canonical``). Existing entries are
  chained here, in id order.
- PostgreSQL only (SQLite has no users to guard against; passu computes the chain):
  * ``audit_log``: a BEFORE INSERT trigger stamps every entry with the server's time,
    the database login, a fresh id and its link in the chain, whatever the INSERT said.
    An entry arriving with its hash (a restore) is kept as it was only while the audit
    log held nothing before this transaction, and only if the hash continues the chain.
    UPDATE and DELETE are refused for every role but a superuser.
  * ``valuation_run_history``: UPDATE and DELETE refused.
  * ``valuation_runs``: an approved run cannot be deleted or changed, except
    passu's audited reopen (back to draft, approval cleared, nothing else changed, its
    figures copied to the history and a ``runs reopen`` audit entry in the same
    transaction).
  * every dated table: no row dated on or before the latest approved run's as-of date may
    be added, changed or removed (the claims' verification steps excepted, as in
    ``portfolio/store/locks.py``), unless the audit log was empty before this transaction
    (a restore into a new database).
  TRUNCATE is left to privileges: ``passu db roles`` grants it to no role, and the owner
  (who may drop the tables anyway) empties test databases with it.

The SQL is written out here, not imported, so this revision stays as it was released.
"""

import datetime as dt
import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64

# (table, the column its period lock applies to), as valuation/schema.py's dated_by
DATED = (
    ("investor_flows", "date"),
    ("fund_expenses", "date"),
    ("project_flows", "date"),
    ("marks", "date"),
    ("outcomes", "period_end"),
    ("outcome_claims", "claimed_on"),
    ("outcome_payments", "date"),
    ("project_costs", "date"),
    ("project_measures", "period_end"),
    ("evaluations", "date"),
)
# loaded gilt yields price drawdowns in their quarter: locked by quarter (see below)
GILTS = ("gilt_yields", "quarter_end")

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION passu_audit_field(v text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS
$$ SELECT CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END $$;

CREATE OR REPLACE FUNCTION passu_audit_hash(
    prev text, id bigint, at timestamptz, login text, who text, command text,
    details text, input_sha256 text
) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS
$$ SELECT encode(sha256(convert_to(
       prev
       || passu_audit_field(id::text)
       || passu_audit_field(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'))
       || passu_audit_field(login)
       || passu_audit_field(who)
       || passu_audit_field(command)
       || passu_audit_field(details)
       || passu_audit_field(input_sha256),
   'UTF8')), 'hex') $$;

-- true while everything in the audit log was written by this transaction: a restore
-- into a new database (or a database's very first entries)
CREATE OR REPLACE FUNCTION passu_restoring() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS
$$ SELECT NOT EXISTS (SELECT 1 FROM audit_log WHERE xmin <> pg_current_xact_id()::xid) $$;

CREATE OR REPLACE FUNCTION passu_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    prev text;
    last_id bigint;
BEGIN
    -- one entry at a time, so each links to the one committed before it
    PERFORM pg_advisory_xact_lock(7305113);
    IF NEW.sha256 IS NOT NULL THEN
        IF NOT passu_restoring() THEN
            RAISE EXCEPTION 'audit_log: an entry''s time, login and hash are set by the '
                'database; a stored entry is accepted only when restoring into a new database'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT a.sha256 INTO prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
        IF NEW.sha256 IS DISTINCT FROM passu_audit_hash(
            coalesce(prev, repeat('0', 64)), NEW.id, NEW.at, NEW.login, NEW."user",
            NEW.command, NEW.details, NEW.input_sha256
        ) THEN
            RAISE EXCEPTION 'audit_log: restored entry % does not continue the hash chain',
                NEW.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    SELECT a.id, a.sha256 INTO last_id, prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
    IF NEW.id <= last_id THEN  -- an id drawn before another writer's entry committed
        NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
    END IF;
    NEW.at := date_trunc('second', now());
    NEW.login := session_user;
    NEW.sha256 := passu_audit_hash(
        coalesce(prev, repeat('0', 64)), NEW.id, NEW.at, NEW.login, NEW."user",
        NEW.command, NEW.details, NEW.input_sha256
    );
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION passu_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION '%: % is refused: %', TG_TABLE_NAME, TG_OP, TG_ARGV[0]
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION passu_run_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF OLD.status <> 'approved' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
        AND NEW.status = 'draft' AND NEW.approved_at IS NULL AND NEW.approved_by IS NULL
        AND (NEW.run_id, NEW.as_of, NEW.scope, NEW.fingerprint, NEW.figures,
             NEW.created_at, NEW.created_by)
            IS NOT DISTINCT FROM
            (OLD.run_id, OLD.as_of, OLD.scope, OLD.fingerprint, OLD.figures,
             OLD.created_at, OLD.created_by)
        AND EXISTS (
            SELECT 1 FROM valuation_run_history h
            WHERE h.run_id = OLD.run_id AND h.status = 'approved' AND h.figures = OLD.figures
              AND h.xmin = pg_current_xact_id()::xid)
        AND EXISTS (
            SELECT 1 FROM audit_log a
            WHERE a.command = 'runs reopen' AND a.xmin = pg_current_xact_id()::xid)
    THEN
        RETURN NEW;  -- passu's audited reopen
    END IF;
    RAISE EXCEPTION 'valuation_runs: run % (%, %) is approved: % is refused (reopen it '
        'with `passu runs reopen`, which keeps its figures and audits the change)',
        OLD.run_id, OLD.as_of, OLD.scope, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION passu_period_lock() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    through date;
    -- gilt yields: a quarter's yield prices every drawdown in it, so a quarter is locked
    -- from its first day (a loaded quarter_end after the as-of date may still be locked)
    expression text := CASE WHEN TG_NARGS > 1 AND TG_ARGV[1] = 'quarter'
        THEN format('date_trunc(''quarter'', %I)::date', TG_ARGV[0])
        ELSE format('%I', TG_ARGV[0]) END;
    earliest date;
    newest date;
BEGIN
    SELECT max(as_of) INTO through FROM valuation_runs WHERE status = 'approved';
    IF through IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'outcome_claims' THEN
            -- a claim's verification or rejection dated after the lock may still be recorded
            SELECT min(least(o.claimed_on, n.claimed_on, o.verified_on, n.verified_on,
                             o.rejected_on, n.rejected_on)) INTO earliest
            FROM old_rows o JOIN new_rows n USING (claim_id)
            WHERE ((o.claimed_on <= through OR n.claimed_on <= through)
                   AND (o.contract_id, o.metric_id, o.period_end, o.count, o.amount,
                        o.claimed_on)
                       IS DISTINCT FROM
                       (n.contract_id, n.metric_id, n.period_end, n.count, n.amount,
                        n.claimed_on))
               OR ((o.verified_on, o.verified_count, o.verified_amount, o.rejected_on)
                       IS DISTINCT FROM
                   (n.verified_on, n.verified_count, n.verified_amount, n.rejected_on)
                   AND least(o.verified_on, n.verified_on, o.rejected_on, n.rejected_on)
                       <= through);
        ELSE
            EXECUTE format('SELECT min(%s) FROM old_rows', expression) INTO earliest;
            IF TG_OP = 'UPDATE' THEN
                EXECUTE format('SELECT min(%s) FROM new_rows', expression) INTO newest;
            END IF;
        END IF;
    ELSE
        EXECUTE format('SELECT min(%s) FROM new_rows', expression) INTO newest;
    END IF;
    IF (earliest <= through OR newest <= through) AND NOT passu_restoring() THEN
        RAISE EXCEPTION '%: % of a row dated % is refused: the period to % is locked by an '
            'approved run (reopen it with `passu runs reopen`)',
            TG_TABLE_NAME, TG_OP, least(earliest, newest), through
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;
"""


def _field(value: str | None) -> str:
    return "-" if value is None else f"{len(value.encode('utf-8'))}:{value}"


def _moment(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("login", sa.String()),
    sa.column("user", sa.String()),
    sa.column("command", sa.Text()),
    sa.column("details", sa.Text()),
    sa.column("input_sha256", sa.String()),
    sa.column("sha256", sa.String()),
)


def _chain_existing(bind: sa.Connection) -> None:
    c = AUDIT.c
    rows = bind.execute(
        sa.select(c.id, c.at, c.login, c.user, c.command, c.details, c.input_sha256).order_by(c.id)
    ).all()
    previous = GENESIS
    for row in rows:
        content = "".join(
            _field(v)
            for v in (
                str(row.id),
                _moment(row.at),
                row.login,
                row.user,
                row.command,
                row.details,
                row.input_sha256,
            )
        )
        previous = hashlib.sha256((previous + content).encode("utf-8")).hexdigest()
        bind.execute(sa.update(AUDIT).where(c.id == row.id).values(sha256=previous))


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    _chain_existing(bind)
    if bind.dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    op.execute(
        "CREATE TRIGGER passu_audit_stamp BEFORE INSERT ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION passu_audit_stamp()"
    )
    for table, why in (
        ("audit_log", "the audit log only grows"),
        ("valuation_run_history", "run history is kept as it was"),
    ):
        op.execute(
            f"CREATE TRIGGER passu_keep BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION passu_refuse('{why}')"
        )
    op.execute(
        "CREATE TRIGGER passu_run_guard BEFORE UPDATE OR DELETE ON valuation_runs "
        "FOR EACH ROW EXECUTE FUNCTION passu_run_guard()"
    )
    for table, column, by in (*((t, c, "") for t, c in DATED), (*GILTS, ", 'quarter'")):
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER passu_lock_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION passu_period_lock('{column}'{by})"
            )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in (*(t for t, _ in DATED), GILTS[0]):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS passu_lock_{event} ON {table}")
        op.execute("DROP TRIGGER IF EXISTS passu_run_guard ON valuation_runs")
        for table in ("audit_log", "valuation_run_history"):
            op.execute(f"DROP TRIGGER IF EXISTS passu_keep ON {table}")
        op.execute("DROP TRIGGER IF EXISTS passu_audit_stamp ON audit_log")
        for function in (
            "passu_period_lock()",
            "passu_run_guard()",
            "passu_refuse()",
            "passu_audit_stamp()",
            "passu_restoring()",
            "passu_audit_hash(text, bigint, timestamptz, text, text, text, text, text)",
            "passu_audit_field(text)",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("sha256")
        batch_op.drop_column("login")
