-- A member who becomes an owner or an admin (joining as one, or promoted) is reminded
-- of what falls to the owners and admins: every report's escalation, partnership dates,
-- and whatever no one else answers for. Reminders are planned when a record changes, so
-- until now a new admin only got those of records changed after they arrived (the demo
-- workspace's report, seeded before its owner's first login, reminded no one).
-- Announcing the tenant's open items again lets the planner add the new admin's
-- reminders; those already planned keep their keys and stay as they are. Runs as its
-- owner: the gateway, which adds members and changes roles, may neither read those
-- records nor write the outbox.
create function announce_items_to_new_admin() returns trigger
language plpgsql security definer set search_path = public as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
begin
    if new.role not in ('owner', 'admin')
       or (tg_op = 'UPDATE' and old.role in ('owner', 'admin')) then
        return null;
    end if;
    perform set_config('app.tenant_id', new.tenant_id::text, true);
    insert into outbox (tenant_id, id, topic, aggregate_id)
    select items.tenant_id, gen_random_uuid(), items.topic, items.id
    from (select distinct i.tenant_id, reminder_topic(i.subject) as topic, i.id
          from remindable_items i
          where i.tenant_id = new.tenant_id and i.open) as items;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return null;
end
$$;
revoke all on function announce_items_to_new_admin() from public;

create trigger memberships_new_admin
    after insert or update of role on memberships
    for each row execute function announce_items_to_new_admin();
