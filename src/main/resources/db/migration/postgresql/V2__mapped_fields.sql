-- the mapped fields beyond the names (issue 15): a JSON object, entry name -> canonical value; NULL with the default
-- mapping (names only), so a state without a field mapping stays as it was
ALTER TABLE synced_contact ADD COLUMN IF NOT EXISTS fields TEXT;
ALTER TABLE run_target ADD COLUMN IF NOT EXISTS fields TEXT;
ALTER TABLE run_copper ADD COLUMN IF NOT EXISTS fields TEXT;
ALTER TABLE run_mailchimp ADD COLUMN IF NOT EXISTS fields TEXT;
