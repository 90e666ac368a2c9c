-- Looking one item up in remindable_items from a reminder's row (a join, or the
-- reminder passed to reminder_still_wanted) read every item of the reminder's tenant:
-- the planner does not push a condition on another table's columns down into the
-- branches of the view's union, so each send read all the tenant's deadlines twice
-- (6 ms a send with 100 deadlines, and growing with the tenant). Given as parameters,
-- the tenant, subject and id reach each branch's primary key: one row read. PL/pgSQL,
-- so that it is called with the values rather than inlined back into a join.
create function remindable_item(p_tenant_id uuid, p_subject text, p_id uuid)
returns setof remindable_items
language plpgsql stable as $$
begin
    return query
        select * from remindable_items i
        where i.tenant_id = p_tenant_id and i.subject = p_subject and i.id = p_id;
end
$$;

create or replace function reminder_still_wanted(r reminders) returns boolean
language sql stable as $$
    select coalesce((select i.open and i.due_at = r.due_at
                     from remindable_item(r.tenant_id, r.subject, r.subject_id) i),
                    false)
       and r.recipient_user_id in (select reminder_audience(r.tenant_id, r.subject, r.subject_id, r.kind))
$$;
