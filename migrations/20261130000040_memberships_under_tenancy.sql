-- Memberships and invitations belong to their tenant like its records: row-level
-- security, forced, on the tenant of the transaction. The gateway's role could read,
-- write and delete them for every tenant; now only for the tenant it works in.
--
-- Two things must be read across tenants, before any tenant is chosen: the workspaces
-- of the person logging in (the chooser, the membership check of /t/{slug}/…) and the
-- invitations waiting for their email (accepted at login). Each goes through one
-- function running as its owner, answering only for the user or email named. The owner
-- reads across tenants only inside them: its policies below ask for the
-- 'membership-lookup' scope, which these functions set and restore.

alter table memberships enable row level security;
alter table memberships force row level security;
create policy tenant_isolation on memberships
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table invitations enable row level security;
alter table invitations force row level security;
create policy tenant_isolation on invitations
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The notification service's scans (digests, recipients) read who is a member, like the
-- other tables it scans.
create policy notification_scan_select on memberships for select to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan');

do $$
begin
    execute format(
        'create policy owner_membership_lookup on memberships for select to %I
             using (current_setting(''app.scope'', true) = ''membership-lookup'')',
        current_user);
    execute format(
        'create policy owner_membership_lookup on invitations for select to %I
             using (current_setting(''app.scope'', true) = ''membership-lookup'')',
        current_user);
end
$$;

-- The active workspaces of one user, with their role in each.
create function user_memberships(p_user_id uuid)
returns table (tenant_id uuid, slug text, name text, time_zone text, role text)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
begin
    perform set_config('app.scope', 'membership-lookup', true);
    return query
        select t.id, t.slug, t.name, t.time_zone, m.role
        from memberships m join tenants t on t.id = m.tenant_id
        where m.user_id = p_user_id and t.status = 'active'
        order by t.name, t.slug;
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
end
$$;
revoke all on function user_memberships(uuid) from public;
grant execute on function user_memberships(uuid) to maillage_gateway;

-- Turns the invitations waiting for a verified email into memberships of that user, in
-- each inviting tenant. Returns how many were accepted.
create function accept_invitations(p_user_id uuid, p_email text) returns integer
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
    caller_tenant text := current_setting('app.tenant_id', true);
    waiting record;
    accepted integer := 0;
begin
    perform set_config('app.scope', 'membership-lookup', true);
    for waiting in
        select i.tenant_id, i.email, i.role from invitations i
        where lower(i.email) = lower(p_email) and i.accepted_at is null
    loop
        -- Each write is made in the inviting tenant, as its policies want.
        perform set_config('app.tenant_id', waiting.tenant_id::text, true);
        insert into memberships (tenant_id, user_id, role)
        values (waiting.tenant_id, p_user_id, waiting.role)
        on conflict do nothing;
        update invitations set accepted_at = now()
        where tenant_id = waiting.tenant_id and email = waiting.email;
        accepted := accepted + 1;
    end loop;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
    return accepted;
end
$$;
revoke all on function accept_invitations(uuid, text) from public;
grant execute on function accept_invitations(uuid, text) to maillage_gateway;
