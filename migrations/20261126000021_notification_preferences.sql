-- How each member wants to be reminded in a tenant: each reminder as it falls due, a
-- daily digest of them, or none. The unsubscribe token makes the one-click
-- List-Unsubscribe link of every email (RFC 8058); the tenant's id travels with it.
create table notification_preferences (
    tenant_id          uuid not null,
    user_id            uuid not null,
    mode               text not null default 'each'
                           constraint notification_preferences_mode_check check (mode in ('each', 'daily', 'off')),
    unsubscribe_token  uuid not null default gen_random_uuid(),
    -- 0 while it holds the defaults it was created with.
    version            integer not null default 0,
    updated_at         timestamptz not null default now(),
    primary key (tenant_id, user_id),
    constraint notification_preferences_member_fkey foreign key (tenant_id, user_id)
        references memberships (tenant_id, user_id) on delete cascade
);
create index notification_preferences_token_idx on notification_preferences (unsubscribe_token);

-- One digest per member, tenant and day: the idempotency key of digest emails.
create table digests (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    user_id     uuid not null references users (id) on delete cascade,
    period      date not null,
    message_id  text not null,
    sent_at     timestamptz not null,
    primary key (tenant_id, user_id, period)
);

do $$
declare
    t text;
begin
    foreach t in array array['notification_preferences', 'digests'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                          using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                          with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

-- Reminders held for a digest, or not sent because their recipient opted out.
alter table reminders
    add column digest_period date,
    drop constraint reminders_status_check,
    add constraint reminders_status_check
        check (status in ('pending', 'queued', 'sent', 'skipped', 'cancelled', 'failed', 'digested', 'muted'));
create index reminders_digested_idx on reminders (tenant_id, recipient_user_id) where status = 'digested';

grant select, insert, update on notification_preferences to maillage_core;
grant select, insert on notification_preferences to maillage_notification;
grant select, insert on digests to maillage_notification;
-- One-click unsubscribe is answered by the gateway, token in hand.
grant select, update (mode, version, updated_at) on notification_preferences to maillage_gateway;
-- The digest worker finds, across tenants, who has reminders waiting.
create policy notification_scan_select on notification_preferences for select to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan');
