-- A user's language is theirs when they chose it (at first login, the provider's
-- `locale` claim; later, the account page); when they have not, each workspace's own.
alter table users alter column locale drop not null;
alter table users alter column locale drop default;

-- The workspaces a user belongs to, with each one's language: what a member who has not
-- chosen their own reads.
drop function user_workspaces(uuid);
create function user_workspaces(p_user_id uuid)
returns table (tenant_id uuid, slug text, name text, time_zone text, role text, status text,
               sign_in_issuer text, logo_changed_at timestamptz, locale text)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
begin
    perform set_config('app.scope', 'membership-lookup', true);
    return query
        select t.id, t.slug, t.name, t.time_zone, m.role, t.status, w.issuer, l.changed_at, t.locale
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
