-- paybridge schema 1 (PostgreSQL): the schema version table, orders, and a row per refund.
-- Applied by store.migrate(), or by your own migration tool as it is (in one transaction);
-- its last statement records it in paybridge_schema, which the store checks before first use.

CREATE TABLE IF NOT EXISTS paybridge_schema (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per order: the whole OrderRecord as JSON in `record` (the source of truth), and the
-- columns paybridge and reconciliation query by. `version` is the compare-and-set counter.
CREATE TABLE IF NOT EXISTS paybridge_orders (
  -- An order number (at most 64), or with several merchants m:<merchant id, at most 32>:<order number>.
  order_no    varchar(100) PRIMARY KEY,
  version     integer NOT NULL,
  status      varchar(24) NOT NULL,
  gateway     varchar(32) NOT NULL,
  amount_fen  bigint NOT NULL,
  created_at  timestamptz NOT NULL,
  paid_at     timestamptz,
  -- Set when the order became finished (closed, failed, or paid with every hook run and no
  -- refund in flight); cleared if it is in progress again. Retention prunes by it.
  finished_at timestamptz,
  updated_at  timestamptz NOT NULL,
  record      jsonb NOT NULL
);
-- The expiry sweep: pending orders by creation time.
CREATE INDEX IF NOT EXISTS paybridge_orders_status_created ON paybridge_orders (status, created_at);
-- Reconciliation: orders by the time they were paid.
CREATE INDEX IF NOT EXISTS paybridge_orders_paid ON paybridge_orders (paid_at);
-- Retention: finished orders, oldest first.
CREATE INDEX IF NOT EXISTS paybridge_orders_finished ON paybridge_orders (finished_at);

-- The refund ledger as rows (a copy of record.refunds, written with it), so refunds can be
-- listed by the time they were requested or finished.
CREATE TABLE IF NOT EXISTS paybridge_refunds (
  order_no     varchar(100) NOT NULL REFERENCES paybridge_orders (order_no) ON DELETE CASCADE,
  refund_no    varchar(64) NOT NULL,
  amount_fen   bigint NOT NULL,
  status       varchar(16) NOT NULL,
  requested_at timestamptz NOT NULL,
  finished_at  timestamptz,
  PRIMARY KEY (order_no, refund_no)
);
CREATE INDEX IF NOT EXISTS paybridge_refunds_requested ON paybridge_refunds (requested_at);
CREATE INDEX IF NOT EXISTS paybridge_refunds_finished ON paybridge_refunds (finished_at);

INSERT INTO paybridge_schema (version, name) VALUES (1, '001_orders') ON CONFLICT (version) DO NOTHING;
