-- paybridge schema 3 (PostgreSQL): indexes for listing orders by paid time and refunds by refund
-- time (store.listPaid / store.listRefunds), each in the listing's own order, so a page is one
-- index range from just past the cursor. Order numbers compare as bytes ("C"), as in every store.

-- Paid orders by (paid_at, order_no); it serves every query the paid_at index of 001 did.
CREATE INDEX IF NOT EXISTS paybridge_orders_paid_listed ON paybridge_orders (paid_at, order_no COLLATE "C");
DROP INDEX IF EXISTS paybridge_orders_paid;

-- Refunds by their time: when they finished once they did, else when they were requested.
CREATE INDEX IF NOT EXISTS paybridge_refunds_listed
  ON paybridge_refunds ((COALESCE(finished_at, requested_at)), order_no COLLATE "C", refund_no COLLATE "C");

INSERT INTO paybridge_schema (version, name) VALUES (3, '003_listing') ON CONFLICT (version) DO NOTHING;
