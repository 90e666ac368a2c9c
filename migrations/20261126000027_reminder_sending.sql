-- A reminder being handed to the SMTP server is 'sending', committed before the first
-- byte goes out. Should the process die before it records the outcome, nobody can tell
-- whether the server took the email: the reminder is then not sent again (a duplicate
-- is what a reminder must never be) but failed as uncertain, for an admin to check and
-- replay if need be. A process that dies before 'sending' loses nothing: the reminder is
-- still queued, and its stream entry is reclaimed.
alter table reminders
    add column sending_at timestamptz,
    drop constraint reminders_status_check,
    add constraint reminders_status_check
        check (status in ('pending', 'queued', 'sending', 'sent', 'skipped', 'cancelled', 'failed', 'digested', 'muted'));
create index reminders_sending_idx on reminders (sending_at) where status = 'sending';
