-- The same tables as db/migration/h2/V1, in PostgreSQL's types. The keys compare byte-wise (COLLATE "C"): the plan's
-- chunks are key ranges (k > ? AND k <= ?), which must not depend on the server's locale.
CREATE TABLE synced_contact (
  email VARCHAR(320) COLLATE "C" PRIMARY KEY,
  copper_id BIGINT,
  first_name TEXT,
  last_name TEXT,
  tags TEXT,
  pushed_tags TEXT,
  mailchimp_status TEXT,
  synced_at TIMESTAMP WITH TIME ZONE);

CREATE TABLE pending_flagged (
  email VARCHAR(320) COLLATE "C" PRIMARY KEY,
  matched_tag TEXT,
  display_name TEXT,
  copper_json TEXT,
  mailchimp_json TEXT,
  first_seen TIMESTAMP WITH TIME ZONE,
  last_seen TIMESTAMP WITH TIME ZONE);

-- the e-mails whose writes a run started; emptied when that run records its outcome (see PlanJournal)
CREATE TABLE plan_journal (email TEXT COLLATE "C" PRIMARY KEY);

CREATE TABLE sync_meta (name VARCHAR(200) PRIMARY KEY, val TEXT);

-- one run's staging area (RunStaging)
CREATE TABLE run_copper (seq BIGINT PRIMARY KEY, k TEXT COLLATE "C" NOT NULL, email TEXT, raw_email TEXT,
  first_name TEXT, last_name TEXT, tags TEXT, status TEXT, side_id TEXT, modified_at TIMESTAMP WITH TIME ZONE);
CREATE INDEX run_copper_k ON run_copper (k, seq);

CREATE TABLE run_mailchimp (seq BIGINT PRIMARY KEY, k TEXT COLLATE "C" NOT NULL, email TEXT, raw_email TEXT,
  first_name TEXT, last_name TEXT, tags TEXT, status TEXT, side_id TEXT, modified_at TIMESTAMP WITH TIME ZONE);
CREATE INDEX run_mailchimp_k ON run_mailchimp (k, seq);

CREATE TABLE run_target (
  email VARCHAR(320) COLLATE "C" PRIMARY KEY,
  copper_id BIGINT,
  first_name TEXT,
  last_name TEXT,
  tags TEXT,
  pushed_tags TEXT,
  mailchimp_status TEXT,
  synced_at TIMESTAMP WITH TIME ZONE);
