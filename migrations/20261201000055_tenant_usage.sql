-- What a workspace stores, for the platform console: the bytes of its rows in every
-- tenant table, measured in the background by the notification service (a workspace
-- at a time, each at most once an hour: reading a large workspace's rows is not
-- something to do while a platform admin waits for a page).
alter table tenants
    add column storage_bytes bigint,
    add column storage_measured_at timestamptz;

-- Measures the workspaces not measured for an hour (at most `p_limit`), returns how
-- many.
create function measure_tenant_usage(p_now timestamptz, p_limit integer) returns integer
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    t record;
    tenant_table text;
    part bigint;
    total bigint;
    measured integer := 0;
begin
    for t in
        select w.id from tenants w
        where w.storage_measured_at is null or w.storage_measured_at < p_now - interval '1 hour'
        order by w.storage_measured_at nulls first
        limit p_limit
    loop
        perform set_config('app.tenant_id', t.id::text, true);
        total := 0;
        for tenant_table in select tenant_tables() loop
            execute format('select coalesce(sum(pg_column_size(x.*)), 0) from %I x where x.tenant_id = $1',
                           tenant_table)
                into part using t.id;
            total := total + part;
        end loop;
        update tenants set storage_bytes = total, storage_measured_at = p_now where id = t.id;
        measured := measured + 1;
    end loop;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return measured;
end
$$;
revoke all on function measure_tenant_usage(timestamptz, integer) from public;
grant execute on function measure_tenant_usage(timestamptz, integer) to maillage_notification;

-- The workspaces with what they use, as before, and what they store.
drop function platform_workspaces(text, text, integer);
create function platform_workspaces(p_search text, p_slug text, p_limit integer)
returns table (id uuid, slug text, name text, kind text, status text, locale text,
               time_zone text, created_at timestamptz, deletion_due_at timestamptz,
               members bigint, invitations bigint, records bigint, emails_this_month bigint,
               last_activity timestamptz, storage_bytes bigint, storage_measured_at timestamptz)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    t tenants;
begin
    for t in
        select * from tenants w
        where (p_slug is null or w.slug = p_slug)
          and (coalesce(p_search, '') = ''
               or strpos(lower(w.slug || ' ' || w.name), lower(p_search)) > 0)
        order by lower(w.name), w.slug
        limit p_limit
    loop
        perform set_config('app.tenant_id', t.id::text, true);
        id := t.id; slug := t.slug; name := t.name; kind := t.kind; status := t.status;
        locale := t.locale; time_zone := t.time_zone; created_at := t.created_at;
        deletion_due_at := t.deletion_due_at;
        select count(*) into members from memberships m where m.tenant_id = t.id;
        select count(*) into invitations from invitations i
            where i.tenant_id = t.id and i.accepted_at is null;
        select (select count(*) from people p where p.tenant_id = t.id and p.deleted_at is null)
             + (select count(*) from organisations o where o.tenant_id = t.id and o.deleted_at is null)
             + (select count(*) from partnerships p where p.tenant_id = t.id and p.deleted_at is null)
             + (select count(*) from projects p where p.tenant_id = t.id and p.deleted_at is null)
             + (select count(*) from reporting_deadlines d where d.tenant_id = t.id)
          into records;
        select count(*) into emails_this_month from reminders r
            where r.tenant_id = t.id and r.status = 'sent' and r.sent_at >= date_trunc('month', now());
        select max(a.at) into last_activity from audit_log a where a.tenant_id = t.id;
        storage_bytes := t.storage_bytes; storage_measured_at := t.storage_measured_at;
        return next;
    end loop;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
end
$$;
revoke all on function platform_workspaces(text, text, integer) from public;
grant execute on function platform_workspaces(text, text, integer) to maillage_gateway;
