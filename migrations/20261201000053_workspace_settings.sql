-- A workspace's own settings, changed by its admins: its name, language and time zone.
-- The time zone moves every reminder's hour: everything dated still to do is planned
-- again (as a change of the reminder policy does), and the weekly digests are looked at
-- again under the new zone.
create function change_workspace_settings(p_tenant_id uuid, p_name text, p_locale text,
                                          p_time_zone text)
returns boolean
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
    before tenants;
begin
    select * into before from tenants where id = p_tenant_id for update;
    if not found then
        return false;
    end if;
    update tenants set name = p_name, locale = p_locale, time_zone = p_time_zone
    where id = p_tenant_id;
    if before.time_zone is distinct from p_time_zone then
        perform set_config('app.tenant_id', p_tenant_id::text, true);
        insert into outbox (tenant_id, id, topic, aggregate_id)
        select distinct on (topic, id) tenant_id, gen_random_uuid(), reminder_topic(subject) as topic, id
        from remindable_items
        where tenant_id = p_tenant_id and open;
        update notification_preferences set next_digest_at = now()
        where tenant_id = p_tenant_id and mode = 'weekly';
        perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    end if;
    return true;
end
$$;
revoke all on function change_workspace_settings(uuid, text, text, text) from public;
grant execute on function change_workspace_settings(uuid, text, text, text) to maillage_gateway;
