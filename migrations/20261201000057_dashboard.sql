-- What an activity is about, for the dashboard's lists: its first link (by the order
-- they were made), with the linked record's name. Read as the caller, under its
-- tenant's row-level security.
create function activity_subject(p_tenant_id uuid, p_activity_id uuid)
returns table (kind text, id uuid, label text)
language sql stable set search_path = public, pg_temp as $$
    select case when l.person_id is not null then 'person'
                when l.organisation_id is not null then 'organisation'
                when l.partnership_id is not null then 'partnership'
                else 'project' end,
           coalesce(l.person_id, l.organisation_id, l.partnership_id, l.project_id),
           coalesce(pe.given_name || ' ' || pe.family_name, o.name, s.title, pr.name)
    from activity_links l
    left join people pe on pe.tenant_id = l.tenant_id and pe.id = l.person_id
    left join organisations o on o.tenant_id = l.tenant_id and o.id = l.organisation_id
    left join partnerships s on s.tenant_id = l.tenant_id and s.id = l.partnership_id
    left join projects pr on pr.tenant_id = l.tenant_id and pr.id = l.project_id
    where l.tenant_id = p_tenant_id and l.activity_id = p_activity_id
    order by l.id
    limit 1
$$;
grant execute on function activity_subject(uuid, uuid) to maillage_core;

-- "My tasks": a member's open ones, soonest first.
create index activities_open_tasks_idx on activities (tenant_id, author_user_id, due_at)
    where kind = 'task' and done_at is null;
