-- One database role per service, with only the grants it needs. None owns a table, none
-- is superuser or BYPASSRLS. Roles are cluster-wide: create them only if absent (several
-- databases may be migrated at once, e.g. by parallel tests). Passwords are set by the
-- operator (see deploy/README.md), never in a migration.
do $$
declare
    r text;
begin
    foreach r in array array['maillage_gateway', 'maillage_core', 'maillage_notification'] loop
        begin
            execute format('create role %I login nosuperuser nocreatedb nocreaterole nobypassrls', r);
        exception when duplicate_object or unique_violation then
            null;
        end;
    end loop;
end
$$;

grant usage on schema public to maillage_gateway, maillage_core, maillage_notification;

-- gateway: login and membership checks on platform tables; no tenant data at all.
grant select on tenants to maillage_gateway;
grant select, insert, update on users to maillage_gateway;
grant select, insert on memberships to maillage_gateway;
grant select, update on invitations to maillage_gateway;

-- core-records: all tenant records, through row-level security.
grant select on tenants, users, memberships to maillage_core;
grant select, insert, update, delete on people, organisations, reporting_deadlines to maillage_core;
grant select, insert on audit_log, outbox to maillage_core;
grant select on deadline_overview to maillage_core, maillage_notification;

-- notification: reads deadlines, writes reminders, relays the outbox.
grant select on tenants, users, memberships to maillage_notification;
grant select on reporting_deadlines, organisations to maillage_notification;
grant select, insert, update on reminders to maillage_notification;
grant select, update on outbox to maillage_notification;

-- The outbox relay and the reminder scheduler must find work across all tenants. They
-- get it only as the notification role AND inside a transaction that declares the
-- 'platform-scan' scope; everything else they do (reading a deadline, sending a
-- reminder) runs tenant-scoped like any request.
create policy notification_scan_select on outbox for select to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan');
create policy notification_scan_update on outbox for update to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan')
    with check (current_setting('app.scope', true) = 'platform-scan');
create policy notification_scan_select on reminders for select to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan');
create policy notification_scan_update on reminders for update to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan')
    with check (current_setting('app.scope', true) = 'platform-scan');
