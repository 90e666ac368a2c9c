-- Merging two records of the same person or organisation is audited as such.
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check
    check (action in ('create', 'update', 'delete', 'restore', 'merge'));
