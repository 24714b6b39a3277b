-- Auditors search the usage log by seal and a date range more than any other
-- way. The seal index now carries every column of an entry, so such a search
-- reads one contiguous run of index pages instead of one table page per entry
-- (a month of one seal is some thousand entries scattered over the table).
-- It costs a second copy of each entry; appends write one more index page.
DROP INDEX usage_log_by_seal;
CREATE INDEX usage_log_by_seal ON usage_log (
    seal_id, at, seq, action, actor, document_sha256, details, prev_hash, entry_hash
);
