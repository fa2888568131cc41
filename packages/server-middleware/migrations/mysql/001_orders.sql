-- paybridge schema 1 (MySQL 8 / MariaDB 10.5+): the schema version table, orders, and a row per
-- refund. Applied by store.migrate(), or by your own migration tool as it is. MySQL commits each
-- statement of DDL by itself, so every statement here may be run again; the last one records
-- the migration in paybridge_schema, which the store checks before first use.
-- Times are DATETIME(3) in UTC; text is utf8mb4, compared byte for byte.

CREATE TABLE IF NOT EXISTS paybridge_schema (
  version    INT NOT NULL PRIMARY KEY,
  name       VARCHAR(100) NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per order: the whole OrderRecord as JSON in `record` (the source of truth), and the
-- columns paybridge and reconciliation query by. `version` is the compare-and-set counter.
-- finished_at: when the order became finished (closed, failed, or paid with every hook run and
-- no refund in flight); NULL while in progress. Retention prunes by it.
CREATE TABLE IF NOT EXISTS paybridge_orders (
  -- An order number (at most 64), or with several merchants m:<merchant id, at most 32>:<order number>.
  order_no    VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  version     INT NOT NULL,
  status      VARCHAR(24) NOT NULL,
  gateway     VARCHAR(32) NOT NULL,
  amount_fen  BIGINT NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  paid_at     DATETIME(3) NULL,
  finished_at DATETIME(3) NULL,
  updated_at  DATETIME(3) NOT NULL,
  record      JSON NOT NULL,
  KEY paybridge_orders_status_created (status, created_at),
  KEY paybridge_orders_paid (paid_at),
  KEY paybridge_orders_finished (finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The refund ledger as rows (a copy of record.refunds, written with it in one transaction), so
-- refunds can be listed by the time they were requested or finished.
CREATE TABLE IF NOT EXISTS paybridge_refunds (
  order_no     VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  refund_no    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  amount_fen   BIGINT NOT NULL,
  status       VARCHAR(16) NOT NULL,
  requested_at DATETIME(3) NOT NULL,
  finished_at  DATETIME(3) NULL,
  PRIMARY KEY (order_no, refund_no),
  KEY paybridge_refunds_requested (requested_at),
  KEY paybridge_refunds_finished (finished_at),
  CONSTRAINT paybridge_refunds_order FOREIGN KEY (order_no) REFERENCES paybridge_orders (order_no) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT IGNORE INTO paybridge_schema (version, name) VALUES (1, '001_orders');
