-- People and organisations go to a bin when deleted, and can be restored from it: a
-- contact deleted by mistake takes its history with it otherwise.
alter table people add column deleted_at timestamptz;
alter table organisations add column deleted_at timestamptz;

alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check
    check (action in ('create', 'update', 'delete', 'restore'));
