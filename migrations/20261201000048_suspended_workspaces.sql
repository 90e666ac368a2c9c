-- A suspended workspace: its members are told so (rather than finding no workspace),
-- its reminders and digests wait, and a platform admin can reactivate it.

-- The workspaces of one user with their role and whether each is active or suspended
-- (`user_memberships` lists the active ones only; kept for the version before this one).
create function user_workspaces(p_user_id uuid)
returns table (tenant_id uuid, slug text, name text, time_zone text, role text, status text)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
begin
    perform set_config('app.scope', 'membership-lookup', true);
    return query
        select t.id, t.slug, t.name, t.time_zone, m.role, t.status
        from memberships m join tenants t on t.id = m.tenant_id
        where m.user_id = p_user_id
        order by t.name, t.slug;
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
end
$$;
revoke all on function user_workspaces(uuid) from public;
grant execute on function user_workspaces(uuid) to maillage_gateway;

-- Platform administrators suspend and reactivate workspaces through the gateway.
grant update (status) on tenants to maillage_gateway;
