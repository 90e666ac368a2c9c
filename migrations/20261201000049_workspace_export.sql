-- A workspace's rows, table by table, for its export: the platform's console (through
-- the gateway) and `maillage-admin tenant export` read them here. Only tables of the
-- catalog that hold tenants' rows are read; each row as JSON text.
create function export_table_rows(p_tenant_id uuid, p_table text)
returns setof text
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
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
    return query execute format('select to_jsonb(t)::text from %I t where tenant_id = $1', p_table)
        using p_tenant_id;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
end
$$;
revoke all on function export_table_rows(uuid, text) from public;
grant execute on function export_table_rows(uuid, text) to maillage_gateway;

-- The tables an export holds: every one with tenants' rows.
create function tenant_tables() returns setof text
language sql stable set search_path = public, pg_temp as $$
    select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and exists (select 1 from pg_attribute a
                  where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
    order by 1
$$;
grant execute on function tenant_tables() to maillage_gateway;
