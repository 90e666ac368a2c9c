-- Running Maillage for many organisations: the platform's administrators, the log of
-- what they do, and the one way a workspace is made, shared by the console, the
-- provisioning API and the command line.

-- A federation's workspace is a kind of its own.
alter table tenants drop constraint tenants_kind_check;
alter table tenants add constraint tenants_kind_check
    check (kind in ('association', 'municipality', 'federation', 'other'));

-- A workspace to delete waits out a grace period (cancellable), suspended; then every
-- row of every tenant table goes (`purge_due_tenants`).
alter table tenants add column deletion_due_at timestamptz;
create index tenants_deletion_due_idx on tenants (deletion_due_at) where deletion_due_at is not null;
grant update (deletion_due_at) on tenants to maillage_gateway;

-- Granted and taken back by `maillage-admin platform grant|revoke`, by email: the person
-- may not have signed in yet. The gateway reads it and never writes it, so that no
-- tenant admin can make anyone a platform admin.
create table platform_admins (
    email       text primary key constraint platform_admins_email_lower check (email = lower(email)),
    granted_at  timestamptz not null default now()
);
grant select on platform_admins to maillage_gateway;

-- Every platform action: who, when, what, on what, from where.
create table platform_audit_log (
    id           uuid primary key,
    at           timestamptz not null default now(),
    -- The platform admin's email, or `cli` for the command line.
    actor        text not null,
    action       text not null,
    -- The workspace's slug, the email granted…
    target       text not null,
    detail       jsonb not null default '{}',
    client_addr  text
);
create index platform_audit_log_at_idx on platform_audit_log (at desc, id);
grant select, insert on platform_audit_log to maillage_gateway;

-- Makes a workspace with its first owner's invitation, in one transaction: a creation
-- never half happens. A retry of the same creation (same slug, name, kind, locale, time
-- zone and owner) finds the workspace made and changes nothing (`created` false); the
-- same slug with other details is refused as taken (unique_violation).
create function provision_tenant(p_id uuid, p_slug text, p_name text, p_kind text,
                                 p_locale text, p_time_zone text, p_owner_email text)
returns table (tenant_id uuid, created boolean)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    existing tenants;
    same_owner boolean;
begin
    insert into tenants (id, slug, name, kind, locale, time_zone)
    values (p_id, p_slug, p_name, p_kind, p_locale, p_time_zone)
    on conflict on constraint tenants_slug_key do nothing;
    select * into existing from tenants t where t.slug = p_slug;
    -- The invitation belongs to the workspace: row-level security wants it chosen.
    perform set_config('app.tenant_id', existing.id::text, true);
    if existing.id = p_id then
        insert into invitations (tenant_id, email, role) values (p_id, lower(p_owner_email), 'owner');
        created := true;
    else
        select exists (select 1 from invitations i
                       where i.tenant_id = existing.id and i.role = 'owner' and i.email = lower(p_owner_email))
            or exists (select 1 from memberships m join users u on u.id = m.user_id
                       where m.tenant_id = existing.id and m.role = 'owner' and lower(u.email) = lower(p_owner_email))
          into same_owner;
        if (existing.name, existing.kind, existing.locale, existing.time_zone, same_owner)
           is distinct from (p_name, p_kind, p_locale, p_time_zone, true) then
            raise unique_violation using message = format('the slug %s is taken', p_slug);
        end if;
        created := false;
    end if;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    tenant_id := existing.id;
    return next;
end
$$;
revoke all on function provision_tenant(uuid, text, text, text, text, text, text) from public;
grant execute on function provision_tenant(uuid, text, text, text, text, text, text) to maillage_gateway;

-- The workspaces whose slug or name contains `p_search` (any case), or the one whose
-- slug is `p_slug`, by name, with what
-- they use: members, pending invitations, live records, emails sent this month, the
-- last change to a record. Each workspace's figures are read under its own tenant
-- setting, as row-level security wants.
create function platform_workspaces(p_search text, p_slug text, p_limit integer)
returns table (id uuid, slug text, name text, kind text, status text, locale text,
               time_zone text, created_at timestamptz, deletion_due_at timestamptz,
               members bigint, invitations bigint, records bigint, emails_this_month bigint,
               last_activity timestamptz)
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
        return next;
    end loop;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
end
$$;
revoke all on function platform_workspaces(text, text, integer) from public;
grant execute on function platform_workspaces(text, text, integer) to maillage_gateway;

-- Deletes the workspaces whose grace period is over: with the tenants row goes every row
-- of every tenant table (each references it, on delete cascade; tests/tenancy.rs reads
-- the catalog to hold every table to it). Logged in the platform audit log; returns
-- the slugs deleted. Run by the notification service's purger.
create function purge_due_tenants(p_now timestamptz)
returns setof text
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    t tenants;
begin
    for t in
        select * from tenants w where w.deletion_due_at <= p_now
        order by w.deletion_due_at
        for update skip locked
    loop
        delete from tenants w where w.id = t.id;
        insert into platform_audit_log (id, actor, action, target, detail)
        values (gen_random_uuid(), 'maillage', 'tenant.delete', t.slug,
                jsonb_build_object('name', t.name, 'deletion_due_at', t.deletion_due_at));
        return next t.slug;
    end loop;
end
$$;
revoke all on function purge_due_tenants(timestamptz) from public;
grant execute on function purge_due_tenants(timestamptz) to maillage_notification;
