-- Every tenant has its reminder policy, created with it: the column defaults of
-- reminder_policies are then the one place the default policy is written, and every
-- reader (the API, the planner, the dispatcher's quiet hours, the digester) reads a row.
create function create_reminder_policy() returns trigger
language plpgsql as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
begin
    -- The policy row is the new tenant's: row-level security wants to see it so.
    perform set_config('app.tenant_id', new.id::text, true);
    insert into reminder_policies (tenant_id) values (new.id) on conflict do nothing;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return null;
end
$$;

create trigger tenants_reminder_policy
    after insert on tenants
    for each row execute function create_reminder_policy();

do $$
declare
    t uuid;
begin
    for t in select id from tenants loop
        perform set_config('app.tenant_id', t::text, true);
        insert into reminder_policies (tenant_id) values (t) on conflict do nothing;
    end loop;
    perform set_config('app.tenant_id', '', true);
end
$$;
