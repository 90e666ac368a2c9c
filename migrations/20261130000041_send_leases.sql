-- A send in progress holds a lease its process renews while it talks to the SMTP
-- server. A lease that runs out means the process is gone: the send is in doubt and is
-- made again (with the same Message-ID, so a mail client shows one email even if the
-- server had taken the first). Leases are judged on the database's clock, which every
-- instance shares. `resends` counts the sends made again, per reminder.
alter table reminders
    add column lease_until timestamptz,
    add column resends integer not null default 0;

-- Sends begun before leases existed: their lease is the ten minutes the old rule gave.
update reminders set lease_until = sending_at + interval '10 minutes' where status = 'sending';

drop index reminders_sending_idx;
create index reminders_lease_idx on reminders (lease_until) where status = 'sending';
