-- paybridge schema 3 (MySQL 8 / MariaDB 10.5+): what listing refunds by refund time
-- (store.listRefunds) needs: that time as a column, kept by the database, and an index in the
-- listing's order. Paid orders need nothing new: InnoDB's paid_at index ends with the primary
-- key (order_no), the listing's order. One statement: it applies whole or not at all; migrate()
-- skips it when run again after it applied (the column and key exist).

ALTER TABLE paybridge_refunds
  ADD COLUMN listed_at DATETIME(3) AS (COALESCE(finished_at, requested_at)) STORED,
  ADD KEY paybridge_refunds_listed (listed_at, order_no, refund_no);

INSERT IGNORE INTO paybridge_schema (version, name) VALUES (3, '003_listing');
