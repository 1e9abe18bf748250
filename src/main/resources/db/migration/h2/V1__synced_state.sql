-- The synced state as the product created it by hand before migrations (state files written then are baselined at
-- version 1, see SchemaMigrations). H2's VARCHAR without a length takes up to 1,000,000 characters.
CREATE TABLE synced_contact (
  email VARCHAR(320) PRIMARY KEY,
  copper_id BIGINT,
  first_name VARCHAR,
  last_name VARCHAR,
  tags CLOB,
  pushed_tags CLOB,
  mailchimp_status VARCHAR,
  synced_at TIMESTAMP WITH TIME ZONE);

CREATE TABLE pending_flagged (
  email VARCHAR(320) PRIMARY KEY,
  matched_tag VARCHAR,
  display_name VARCHAR,
  copper_json CLOB,
  mailchimp_json CLOB,
  first_seen TIMESTAMP WITH TIME ZONE,
  last_seen TIMESTAMP WITH TIME ZONE);

-- the e-mails whose writes a run started; emptied when that run records its outcome (see PlanJournal)
CREATE TABLE plan_journal (email VARCHAR PRIMARY KEY);

CREATE TABLE sync_meta (name VARCHAR(200) PRIMARY KEY, val CLOB);

-- one run's staging area (RunStaging); no length limit: no value an API sends can stop a run
CREATE TABLE run_copper (seq BIGINT PRIMARY KEY, k VARCHAR NOT NULL, email VARCHAR, raw_email VARCHAR,
  first_name VARCHAR, last_name VARCHAR, tags CLOB, status VARCHAR, side_id VARCHAR,
  modified_at TIMESTAMP WITH TIME ZONE);
CREATE INDEX run_copper_k ON run_copper (k, seq);

CREATE TABLE run_mailchimp (seq BIGINT PRIMARY KEY, k VARCHAR NOT NULL, email VARCHAR, raw_email VARCHAR,
  first_name VARCHAR, last_name VARCHAR, tags CLOB, status VARCHAR, side_id VARCHAR,
  modified_at TIMESTAMP WITH TIME ZONE);
CREATE INDEX run_mailchimp_k ON run_mailchimp (k, seq);

CREATE TABLE run_target (
  email VARCHAR(320) PRIMARY KEY,
  copper_id BIGINT,
  first_name VARCHAR,
  last_name VARCHAR,
  tags CLOB,
  pushed_tags CLOB,
  mailchimp_status VARCHAR,
  synced_at TIMESTAMP WITH TIME ZONE);
