-- The tenant's whole audit log, newest or oldest first, a page at a time, without
-- sorting the log on every page.
create index audit_log_at_idx on audit_log (tenant_id, at, id);
