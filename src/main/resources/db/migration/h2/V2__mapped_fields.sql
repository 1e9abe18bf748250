-- the mapped fields beyond the names (issue 15): a JSON object, entry name -> canonical value; NULL with the default
-- mapping (names only), so a state without a field mapping stays as it was
-- IF NOT EXISTS: H2 commits each statement on its own, so a process killed halfway leaves some columns made and
-- the version unrecorded; the next open runs the script again (see db/migration/h2/README.md)
ALTER TABLE synced_contact ADD COLUMN IF NOT EXISTS fields VARCHAR;
ALTER TABLE run_target ADD COLUMN IF NOT EXISTS fields VARCHAR;
ALTER TABLE run_copper ADD COLUMN IF NOT EXISTS fields VARCHAR;
ALTER TABLE run_mailchimp ADD COLUMN IF NOT EXISTS fields VARCHAR;
