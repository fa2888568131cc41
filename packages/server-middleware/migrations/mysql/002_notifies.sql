-- paybridge schema 2 (MySQL 8 / MariaDB): the notify inbox. Every notify that reached the route,
-- as it came (raw bytes, the headers a signature may live in) and what became of it, for replay.

-- `entry` is the whole NotifyEntry as JSON text; the other columns are what listing and
-- retention query by. Times are UTC.
CREATE TABLE IF NOT EXISTS paybridge_notifies (
  id          VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  gateway     VARCHAR(32) NOT NULL,
  received_at DATETIME(3) NOT NULL,
  verdict     VARCHAR(16) NOT NULL,
  entry       LONGTEXT NOT NULL,
  KEY paybridge_notifies_received (received_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT IGNORE INTO paybridge_schema (version, name) VALUES (2, '002_notifies');
