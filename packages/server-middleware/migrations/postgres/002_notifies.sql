-- paybridge schema 2 (PostgreSQL): the notify inbox. Every notify that reached the route, as it
-- came (raw bytes, the headers a signature may live in) and what became of it, for replay.

-- `entry` is the whole NotifyEntry as JSON text (not jsonb: the headers are a gateway's text);
-- the other columns are what listing and retention query by.
CREATE TABLE IF NOT EXISTS paybridge_notifies (
  id          varchar(40) PRIMARY KEY,
  gateway     varchar(32) NOT NULL,
  received_at timestamptz NOT NULL,
  verdict     varchar(16) NOT NULL,
  entry       text NOT NULL
);
-- Listing by time (in pages by id) and retention.
CREATE INDEX IF NOT EXISTS paybridge_notifies_received ON paybridge_notifies (received_at, id);

INSERT INTO paybridge_schema (version, name) VALUES (2, '002_notifies') ON CONFLICT (version) DO NOTHING;
