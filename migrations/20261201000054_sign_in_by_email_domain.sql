-- The sign-in page asks for one's address first: the workspace whose own provider
-- vouches for that address's domain is where one signs in. Answered only when exactly
-- one active workspace lists the domain; otherwise the platform's provider.
create function workspace_for_email_domain(p_domain text) returns text
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_scope text := current_setting('app.scope', true);
    listing integer;
    listed_slug text;
begin
    perform set_config('app.scope', 'membership-lookup', true);
    select count(*), min(t.slug) into listing, listed_slug
    from workspace_identity_providers w join tenants t on t.id = w.tenant_id
    where lower(p_domain) = any (w.allowed_domains) and t.status = 'active';
    perform set_config('app.scope', coalesce(caller_scope, ''), true);
    if listing = 1 then
        return listed_slug;
    end if;
    return null;
end
$$;
revoke all on function workspace_for_email_domain(text) from public;
grant execute on function workspace_for_email_domain(text) to maillage_gateway;
