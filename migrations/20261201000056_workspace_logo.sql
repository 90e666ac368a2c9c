-- A workspace's logo, shown in its pages' header. The gateway keeps only what it made
-- itself: the image given (PNG, JPEG or WebP, never SVG) decoded and written again as
-- a PNG no larger than the header needs, without its metadata. A tenant table like any
-- other: exported, imported and deleted with the workspace.
create table workspace_logos (
    tenant_id   uuid primary key references tenants (id) on delete cascade,
    png         bytea not null check (octet_length(png) between 1 and 1048576),
    width       integer not null check (width between 1 and 2000),
    height      integer not null check (height between 1 and 2000),
    changed_at  timestamptz not null default now(),
    changed_by  uuid references users (id) on delete set null
);
alter table workspace_logos enable row level security;
alter table workspace_logos force row level security;
create policy tenant_isolation on workspace_logos
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on workspace_logos to maillage_gateway;
-- The header of every page needs to know whether there is one, before a tenant is
-- chosen: `user_workspaces` reads it under the membership-lookup scope.
do $$
begin
    execute format(
        'create policy owner_membership_lookup on workspace_logos for select to %I
             using (current_setting(''app.scope'', true) = ''membership-lookup'')',
        current_user);
end
$$;

-- The workspaces of one user, as before, and when each one's logo last changed (null:
-- none), which the pages' header puts in the logo's address.
drop function user_workspaces(uuid);
create function user_workspaces(p_user_id uuid)
returns table (tenant_id uuid, slug text, name text, time_zone text, role text, status text,
               sign_in_issuer text, logo_changed_at timestamptz)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
begin
    perform set_config('app.scope', 'membership-lookup', true);
    return query
        select t.id, t.slug, t.name, t.time_zone, m.role, t.status, w.issuer, l.changed_at
        from memberships m join tenants t on t.id = m.tenant_id
        left join workspace_identity_providers w on w.tenant_id = t.id
        left join workspace_logos l on l.tenant_id = t.id
        where m.user_id = p_user_id
        order by t.name, t.slug;
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
end
$$;
revoke all on function user_workspaces(uuid) from public;
grant execute on function user_workspaces(uuid) to maillage_gateway;
