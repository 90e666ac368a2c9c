-- Invitations go out by email: each has its own id, an expiry, and a link that only its
-- email carries. The link's token is made by the database (two version-4 UUIDs, 244
-- random bits from its strong random source) and kept as its SHA-256; the token itself
-- stays on the row only until the notification service has sent it, so that a send cut
-- short by a crash is made again with the same link. Sending again (an admin's
-- "resend") makes a new token: the older link stops working.

create function new_invitation_token() returns text
language sql volatile as $$
    select replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
$$;

alter table invitations
    add column id uuid not null default gen_random_uuid(),
    add column invited_by uuid references users (id) on delete set null,
    add column expires_at timestamptz not null default now() + interval '14 days',
    add column email_token text default new_invitation_token(),
    add column token_hash bytea,
    -- When the email is to go (again); null once it went, failed for good, or was never
    -- asked for (invitations made before this migration).
    add column email_due_at timestamptz,
    add column email_attempts integer not null default 0,
    add column email_sent_at timestamptz,
    add column email_error text,
    add column accepted_by uuid references users (id) on delete set null;
alter table invitations add constraint invitations_id_key unique (tenant_id, id);

-- The hash is always the token's: whoever writes a token, the row keeps its hash (and
-- keeps it once the token itself is wiped after sending).
create function invitations_hash_token() returns trigger
language plpgsql as $$
begin
    if new.email_token is not null then
        new.token_hash := sha256(convert_to(new.email_token, 'UTF8'));
    end if;
    return new;
end
$$;
create trigger invitations_hash_token before insert or update of email_token on invitations
    for each row execute function invitations_hash_token();
update invitations set email_token = email_token;
alter table invitations alter column token_hash set not null;
create unique index invitations_token_key on invitations (tenant_id, token_hash);
create index invitations_email_due_idx on invitations (email_due_at) where email_due_at is not null;

-- The notification service sends them: it finds the due ones across tenants (its scan),
-- then records each send in the invitation's tenant.
grant select, update (email_token, email_due_at, email_attempts, email_sent_at, email_error)
    on invitations to maillage_notification;
create policy notification_scan_select on invitations for select to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan');

-- Accepted at login only while it has not expired; who accepted it is kept.
create or replace function accept_invitations(p_user_id uuid, p_email text) returns integer
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

-- A workspace's first owner is invited by email too.
create or replace function provision_tenant(p_id uuid, p_slug text, p_name text, p_kind text,
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
        insert into invitations (tenant_id, email, role, email_due_at)
        values (p_id, lower(p_owner_email), 'owner', now());
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

-- An archive is handed around: the secrets of links (invitations, calendar feeds,
-- unsubscribe links) stay out of it. A workspace imported elsewhere makes new ones.
create or replace function export_table_rows(p_tenant_id uuid, p_table text)
returns setof text
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    secrets text[] := case p_table
        when 'invitations' then array['email_token', 'token_hash']
        when 'calendar_feeds' then array['token']
        when 'notification_preferences' then array['unsubscribe_token']
        else array[]::text[] end;
begin
    if not exists (
        select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relname = p_table
          and exists (select 1 from pg_attribute a
                      where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
    ) then
        raise invalid_parameter_value using message = format('%s is not a tenant table', p_table);
    end if;
    perform set_config('app.tenant_id', p_tenant_id::text, true);
    return query execute format('select (to_jsonb(t) - $2)::text from %I t where tenant_id = $1', p_table)
        using p_tenant_id, secrets;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
end
$$;
