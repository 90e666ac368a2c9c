-- A reminder the SMTP server could not take is tried again later, with a growing delay;
-- one refused for good, or failing too many times, is "failed": dead-lettered, listed
-- for the platform admins, and replayable. PostgreSQL holds the truth; the dead-letter
-- stream in Redis announces it.
alter table reminders
    add column attempts    integer not null default 0,
    add column retry_at    timestamptz,
    add column last_error  text,
    add column failed_at   timestamptz,
    drop constraint reminders_status_check,
    add constraint reminders_status_check
        check (status in ('pending', 'queued', 'sent', 'skipped', 'cancelled', 'failed'));

drop index reminders_due_idx;
create index reminders_due_idx on reminders (coalesce(retry_at, fire_at)) where status in ('pending', 'queued');
create index reminders_failed_idx on reminders (failed_at) where status = 'failed';

-- An event is done with once the planner has acted on it, not when Redis took it: an
-- event published but never processed (Redis lost it) is published again by the relay.
-- PostgreSQL, not Redis, is the source of truth.
alter table outbox add column processed_at timestamptz;
update outbox set processed_at = published_at where published_at is not null;
drop index outbox_unpublished_idx;
create index outbox_unprocessed_idx on outbox (created_at) where processed_at is null;
