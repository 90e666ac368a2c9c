-- Every dated thing reminds, through one engine: reporting deadlines, project
-- milestones, activity tasks, partnership end dates and evaluation dates.

-- When a partnership's next evaluation (interim or final) is due.
alter table partnerships add column next_evaluation_on date;

-- A reminder is about a subject: its kind and its id. The foreign key to deadlines goes
-- (a reminder may now be about a milestone, a task…); a subject that disappears is
-- announced like any change, and the planner then cancels what was pending for it.
alter table reminders
    drop constraint reminders_idempotency_key,
    drop constraint reminders_deadline_fkey;
alter table reminders rename column deadline_id to subject_id;
alter table reminders
    add column subject text not null default 'deadline'
        constraint reminders_subject_check
        check (subject in ('deadline', 'milestone', 'task', 'partnership-end', 'partnership-evaluation'));
alter table reminders alter column subject drop default;
alter table reminders
    add constraint reminders_idempotency_key
        unique (tenant_id, subject, subject_id, kind, due_at, recipient_user_id);

-- A day, in a time zone, as the instant the engine reasons from: noon, which exists on
-- every day of every zone (midnight does not, where clocks change at midnight).
create function local_noon(day date, zone text) returns timestamptz
language sql immutable as $$
    select (day + time '12:00') at time zone zone
$$;

-- Everything dated that reminds, with what an email about it needs. `open`: still to be
-- done (a submitted report, a milestone reached, a task done, a closed partnership are
-- not). `all_day`: dated by a day, not a time. `path`: where the web app shows it.
create view remindable_items with (security_invoker = true) as
select d.tenant_id, 'deadline'::text as subject, d.id, d.title, d.funder_name as context,
       d.due_at, false as all_day, d.recorded_status = 'upcoming' as open,
       'deadlines/' || d.id as path
from deadline_overview d
union all
select m.tenant_id, 'milestone', m.id, m.title, p.name,
       local_noon(m.due_on, t.time_zone), true,
       m.done_on is null and p.deleted_at is null and p.status in ('planned', 'running'),
       'agenda#milestone-' || m.id
from project_milestones m
join projects p on p.tenant_id = m.tenant_id and p.id = m.project_id
join tenants t on t.id = m.tenant_id
where m.due_on is not null
union all
select a.tenant_id, 'task', a.id, a.subject, null, a.due_at, false, a.done_at is null,
       'agenda#task-' || a.id
from activities a
where a.kind = 'task' and a.due_at is not null
union all
select s.tenant_id, 'partnership-end', s.id, s.title, null,
       local_noon(s.ends_on, t.time_zone), true, s.deleted_at is null and s.status <> 'closed',
       'agenda#partnership-end-' || s.id
from partnerships s
join tenants t on t.id = s.tenant_id
where s.ends_on is not null
union all
select s.tenant_id, 'partnership-evaluation', s.id, s.title, null,
       local_noon(s.next_evaluation_on, t.time_zone), true, s.deleted_at is null and s.status <> 'closed',
       'agenda#partnership-evaluation-' || s.id
from partnerships s
join tenants t on t.id = s.tenant_id
where s.next_evaluation_on is not null;

-- Who answers for a subject: a deadline's responsibles, a milestone's project owner, a
-- task's author (while they are members of the tenant); for a partnership, and for
-- anything left with no one, the tenant's owners and admins.
create function reminder_recipients(p_tenant_id uuid, p_subject text, p_id uuid) returns setof uuid
language sql stable as $$
    with answerable as (
        select r.user_id from deadline_responsibles r
        where p_subject = 'deadline' and r.tenant_id = p_tenant_id and r.deadline_id = p_id
        union
        select p.owner_user_id from project_milestones m
        join projects p on p.tenant_id = m.tenant_id and p.id = m.project_id
        join memberships ms on ms.tenant_id = p.tenant_id and ms.user_id = p.owner_user_id
        where p_subject = 'milestone' and m.tenant_id = p_tenant_id and m.id = p_id
        union
        select a.author_user_id from activities a
        join memberships ms on ms.tenant_id = a.tenant_id and ms.user_id = a.author_user_id
        where p_subject = 'task' and a.tenant_id = p_tenant_id and a.id = p_id
    )
    select user_id from answerable
    union
    select admin from tenant_admins(p_tenant_id) as admins (admin)
    where not exists (select 1 from answerable)
$$;

-- Who one reminder goes to: escalations (`e+N`) to the owners and admins, every other
-- kind to those who answer for the subject. The one definition the planner and the
-- sender share.
create function reminder_audience(p_tenant_id uuid, p_subject text, p_id uuid, p_kind text)
returns setof uuid
language sql stable as $$
    select admin from tenant_admins(p_tenant_id) as admins (admin) where p_kind like 'e+%'
    union all
    select recipient from reminder_recipients(p_tenant_id, p_subject, p_id) as recipients (recipient)
    where p_kind not like 'e+%'
$$;

-- The outbox topic that asks for a subject's reminders to be planned again.
create function reminder_topic(p_subject text) returns text
language sql immutable as $$
    select case p_subject
        when 'deadline' then 'deadline.changed'
        when 'milestone' then 'milestone.changed'
        when 'task' then 'task.changed'
        else 'partnership.changed'
    end
$$;

-- Milestones, tasks and partnerships are written by many paths (create, update, merge,
-- soft delete, restore, a project's status or owner changing): each change announces
-- itself from the database, in the writing transaction, so that none is forgotten.
-- A tenant being deleted takes everything with it: nothing to announce then.
create function announce_reminder_subject() returns trigger
language plpgsql as $$
declare
    row_tenant uuid := coalesce(new.tenant_id, old.tenant_id);
begin
    if not exists (select 1 from tenants where id = row_tenant) then
        return null;
    end if;
    if tg_table_name = 'project_milestones' then
        insert into outbox (tenant_id, id, topic, aggregate_id)
        values (row_tenant, gen_random_uuid(), 'milestone.changed', coalesce(new.id, old.id));
    elsif tg_table_name = 'projects' then
        insert into outbox (tenant_id, id, topic, aggregate_id)
        select m.tenant_id, gen_random_uuid(), 'milestone.changed', m.id
        from project_milestones m
        where m.tenant_id = row_tenant and m.project_id = new.id and m.due_on is not null;
    elsif tg_table_name = 'activities' then
        -- In an insert OLD is null, in a delete NEW is: either test is then null.
        if new.kind = 'task' or old.kind = 'task' then
            insert into outbox (tenant_id, id, topic, aggregate_id)
            values (row_tenant, gen_random_uuid(), 'task.changed', coalesce(new.id, old.id));
        end if;
    else
        insert into outbox (tenant_id, id, topic, aggregate_id)
        values (row_tenant, gen_random_uuid(), 'partnership.changed', coalesce(new.id, old.id));
    end if;
    return null;
end
$$;

create trigger project_milestones_announce
    after insert or delete or update on project_milestones
    for each row execute function announce_reminder_subject();
create trigger projects_announce
    after update of name, status, owner_user_id, deleted_at on projects
    for each row execute function announce_reminder_subject();
create trigger activities_announce
    after insert or delete or update on activities
    for each row execute function announce_reminder_subject();
create trigger partnerships_announce
    after insert or update of title, status, ends_on, next_evaluation_on, deleted_at on partnerships
    for each row execute function announce_reminder_subject();

-- A member who leaves the tenant no longer answers for the milestones of the projects
-- they led nor for the tasks they wrote: those are announced, in the same transaction,
-- so that they fall to the owners and admins. (Deadlines: see
-- announce_deadlines_of_departed_member.) Runs as its owner: the gateway, which removes
-- members, may neither read those records nor write the outbox.
create function announce_items_of_departed_member() returns trigger
language plpgsql security definer set search_path = public as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
begin
    if not exists (select 1 from tenants where id = old.tenant_id) then
        return null;
    end if;
    perform set_config('app.tenant_id', old.tenant_id::text, true);
    insert into outbox (tenant_id, id, topic, aggregate_id)
    select m.tenant_id, gen_random_uuid(), 'milestone.changed', m.id
    from project_milestones m
    join projects p on p.tenant_id = m.tenant_id and p.id = m.project_id
    where p.tenant_id = old.tenant_id and p.owner_user_id = old.user_id
      and m.due_on is not null and m.done_on is null
    union all
    select a.tenant_id, gen_random_uuid(), 'task.changed', a.id
    from activities a
    where a.tenant_id = old.tenant_id and a.author_user_id = old.user_id
      and a.kind = 'task' and a.due_at is not null and a.done_at is null;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return null;
end
$$;
revoke all on function announce_items_of_departed_member() from public;

create trigger memberships_departed_member
    after delete on memberships
    for each row execute function announce_items_of_departed_member();

grant select on remindable_items to maillage_core, maillage_notification;
grant select on project_milestones, projects, activities, partnerships to maillage_notification;

-- Notification preferences: a weekly digest too.
alter table notification_preferences
    drop constraint notification_preferences_mode_check,
    add constraint notification_preferences_mode_check check (mode in ('each', 'daily', 'weekly', 'off'));
