-- A workspace may bring its own identity provider (its Keycloak, Entra ID, ProConnect):
-- its members then sign in there, and only there. The client secret is sealed by the
-- gateway (XChaCha20-Poly1305, a key from its environment, the workspace's id as
-- associated data) before it reaches the database.
create table workspace_identity_providers (
    tenant_id             uuid primary key references tenants (id) on delete cascade,
    issuer                text not null,
    client_id             text not null,
    client_secret_sealed  bytea not null,
    -- Only addresses of these domains sign in through it (none listed: any).
    allowed_domains       text[] not null default '{}',
    -- Asked of the provider at each sign-in (ProConnect: "eidas1").
    acr_values            text,
    -- What the sign-in button says: "ProConnect", "Compte Ville de Lyon".
    label                 text not null,
    updated_at            timestamptz not null default now(),
    updated_by            uuid references users (id) on delete set null
);
alter table workspace_identity_providers enable row level security;
alter table workspace_identity_providers force row level security;
create policy tenant_isolation on workspace_identity_providers
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on workspace_identity_providers to maillage_gateway;
do $$
begin
    execute format(
        'create policy owner_membership_lookup on workspace_identity_providers for select to %I
             using (current_setting(''app.scope'', true) = ''membership-lookup'')',
        current_user);
end
$$;

-- The workspaces of one user, as before, and the issuer its members sign in with (null:
-- the platform's provider).
drop function user_workspaces(uuid);
create function user_workspaces(p_user_id uuid)
returns table (tenant_id uuid, slug text, name text, time_zone text, role text, status text,
               sign_in_issuer text)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
begin
    perform set_config('app.scope', 'membership-lookup', true);
    return query
        select t.id, t.slug, t.name, t.time_zone, m.role, t.status, w.issuer
        from memberships m join tenants t on t.id = m.tenant_id
        left join workspace_identity_providers w on w.tenant_id = t.id
        where m.user_id = p_user_id
        order by t.name, t.slug;
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
end
$$;
revoke all on function user_workspaces(uuid) from public;
grant execute on function user_workspaces(uuid) to maillage_gateway;

-- Invitations accepted at sign-in: through the platform's provider, those of the
-- workspaces that use it; through a workspace's own provider, that workspace's only.
-- (A workspace's provider vouches for its own people, not for anyone else's.)
drop function accept_invitations(uuid, text);
create function accept_invitations(p_user_id uuid, p_email text, p_workspace uuid)
returns integer
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
        where lower(i.email) = lower(p_email) and i.accepted_at is null and i.expires_at > now()
          and case when p_workspace is null
                   then not exists (select 1 from workspace_identity_providers w
                                    where w.tenant_id = i.tenant_id)
                   else i.tenant_id = p_workspace end
    loop
        -- Each write is made in the inviting tenant, as its policies want.
        perform set_config('app.tenant_id', waiting.tenant_id::text, true);
        insert into memberships (tenant_id, user_id, role)
        values (waiting.tenant_id, p_user_id, waiting.role)
        on conflict do nothing;
        update invitations set accepted_at = now(), accepted_by = p_user_id, email_token = null
        where tenant_id = waiting.tenant_id and email = waiting.email;
        accepted := accepted + 1;
    end loop;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
    return accepted;
end
$$;
revoke all on function accept_invitations(uuid, text, uuid) from public;
grant execute on function accept_invitations(uuid, text, uuid) to maillage_gateway;
