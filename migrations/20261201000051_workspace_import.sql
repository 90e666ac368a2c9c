-- A workspace's archive (see `export_table_rows`) imported into an empty workspace: the
-- way a workspace moves between installations. The tables are loaded in an order where
-- every row finds what it references already there; each row is placed in the target
-- workspace; the people its rows name (members, authors, recipients) come with it, and
-- one who already has an account here under another id is recognised by their sign-in
-- (issuer and subject) and named by that id instead.

-- The tenant tables in load order: each after the tenant tables it references.
create function tenant_tables_in_load_order() returns table (name text, depth integer)
language sql stable set search_path = public, pg_temp as $$
    with recursive tenant_table as (select t as name from tenant_tables() t),
    edge as (
        select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
        from pg_constraint c
        where c.contype = 'f' and c.conrelid <> c.confrelid
          and c.conrelid::regclass::text in (select name from tenant_table)
          and c.confrelid::regclass::text in (select name from tenant_table)
    ),
    placed (name, depth) as (
        select name, 0 from tenant_table
        union all
        select e.child, p.depth + 1 from placed p join edge e on e.parent = p.name
    )
    select name, max(depth)::integer from placed group by name order by 2, 1
$$;
grant execute on function tenant_tables_in_load_order() to maillage_gateway;

-- The columns of tenant tables that name a user: those referencing `users`, or a
-- membership's user.
create function tenant_user_columns() returns table (table_name text, column_name text)
language sql stable set search_path = public, pg_temp as $$
    select distinct c.conrelid::regclass::text, a.attname::text
    from pg_constraint c
    cross join lateral unnest(c.conkey, c.confkey) as k(col, ref)
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col
    join pg_attribute r on r.attrelid = c.confrelid and r.attnum = k.ref
    where c.contype = 'f'
      and ((c.confrelid = 'users'::regclass and r.attname = 'id')
           or (c.confrelid = 'memberships'::regclass and r.attname = 'user_id'))
      and c.conrelid::regclass::text in (select t from tenant_tables() t)
$$;

-- The users a workspace's rows name, for its archive.
create function export_tenant_users(p_tenant_id uuid) returns setof text
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    named text;
begin
    perform set_config('app.tenant_id', p_tenant_id::text, true);
    select string_agg(format('select %I from %I where tenant_id = $1', column_name, table_name),
                      ' union ')
      into named from tenant_user_columns();
    return query execute format(
        'select to_jsonb(u)::text from users u where u.id in (%s) order by u.id', named)
        using p_tenant_id;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
end
$$;
revoke all on function export_tenant_users(uuid) from public;
grant execute on function export_tenant_users(uuid) to maillage_gateway;

-- Brings an archive's users in: each one new here is made with its id; one who has an
-- account here already (the same issuer and subject) keeps it. Returns the archive ids
-- that stand for another id here, as {"archive id": "id here"}.
create function import_users(p_users jsonb) returns jsonb
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    u jsonb;
    here uuid;
    renamed jsonb := '{}';
begin
    for u in select * from jsonb_array_elements(p_users) loop
        insert into users (id, issuer, subject, email, display_name, locale)
        values ((u->>'id')::uuid, u->>'issuer', u->>'subject', u->>'email',
                u->>'display_name', coalesce(u->>'locale', 'fr'))
        on conflict do nothing;
        select id into here from users where issuer = u->>'issuer' and subject = u->>'subject';
        if here is null then
            raise invalid_parameter_value
                using message = format('the user %s of the archive cannot be placed', u->>'id');
        end if;
        if here <> (u->>'id')::uuid then
            renamed := renamed || jsonb_build_object(u->>'id', here);
        end if;
    end loop;
    return renamed;
end
$$;
revoke all on function import_users(jsonb) from public;
grant execute on function import_users(jsonb) to maillage_gateway;

-- Inserts rows of one tenant table (a JSON array, as the archive holds them) into the
-- workspace `p_tenant_id`, users renamed as `p_users` says. A table that holds one row
-- per workspace (its key is the tenant alone: the reminder policy) takes the archive's
-- row in place of the one the workspace was made with; otherwise a row already there
-- stays (the first owner's invitation, say). Generated columns are computed again.
-- Returns how many rows went in.
create function import_table_rows(p_tenant_id uuid, p_table text, p_rows jsonb, p_users jsonb)
returns integer
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    placed jsonb;
    user_column text;
    columns text;
    one_per_workspace boolean;
    inserted integer;
begin
    if not exists (select 1 from tenant_tables() t where t = p_table) then
        raise invalid_parameter_value using message = format('%s is not a tenant table', p_table);
    end if;
    if jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) = 0 then
        return 0;
    end if;
    perform set_config('app.tenant_id', p_tenant_id::text, true);
    select coalesce(jsonb_agg(r || jsonb_build_object('tenant_id', p_tenant_id)), '[]')
      into placed from jsonb_array_elements(p_rows) r;
    for user_column in select c.column_name from tenant_user_columns() c where c.table_name = p_table loop
        select jsonb_agg(case when p_users ? (r->>user_column)
                              then r || jsonb_build_object(user_column, p_users->(r->>user_column))
                              else r end)
          into placed from jsonb_array_elements(placed) r;
    end loop;
    select string_agg(quote_ident(a.attname), ', ' order by a.attnum) into columns
    from pg_attribute a
    where a.attrelid = p_table::regclass and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = '' and placed->0 ? a.attname::text;
    select array_agg(a.attname::text order by a.attname) = array['tenant_id'] into one_per_workspace
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = p_table::regclass and i.indisprimary;
    if one_per_workspace then
        execute format('delete from %I where tenant_id = $1', p_table) using p_tenant_id;
    end if;
    execute format('insert into %I (%s) select %s from jsonb_populate_recordset(null::%I, $1) on conflict do nothing',
                   p_table, columns, columns, p_table)
        using placed;
    get diagnostics inserted = row_count;
    -- A reminder queued at the source waits on a stream that is not here: due again.
    if p_table = 'reminders' then
        update reminders set status = 'pending', queued_at = null
        where tenant_id = p_tenant_id and status = 'queued';
    end if;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return inserted;
end
$$;
revoke all on function import_table_rows(uuid, text, jsonb, jsonb) from public;
grant execute on function import_table_rows(uuid, text, jsonb, jsonb) to maillage_gateway;

-- Whether a workspace holds no record yet: the only kind an archive is imported into.
create function workspace_is_empty(p_tenant_id uuid) returns boolean
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    empty boolean;
begin
    perform set_config('app.tenant_id', p_tenant_id::text, true);
    select not exists (select 1 from people where tenant_id = p_tenant_id)
       and not exists (select 1 from organisations where tenant_id = p_tenant_id)
       and not exists (select 1 from partnerships where tenant_id = p_tenant_id)
       and not exists (select 1 from projects where tenant_id = p_tenant_id)
       and not exists (select 1 from reporting_deadlines where tenant_id = p_tenant_id)
       and not exists (select 1 from activities where tenant_id = p_tenant_id)
       and not exists (select 1 from engagements where tenant_id = p_tenant_id)
       and not exists (select 1 from tags where tenant_id = p_tenant_id)
       and not exists (select 1 from custom_fields where tenant_id = p_tenant_id)
      into empty;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return empty;
end
$$;
revoke all on function workspace_is_empty(uuid) from public;
grant execute on function workspace_is_empty(uuid) to maillage_gateway;
