-- Reporting deadlines complete: several responsible members, and recurring reports.

-- Everyone answerable for a report. A member who leaves the tenant stops being
-- responsible (and stops being reminded); a deadline left with no one falls to the
-- tenant's owners and admins (see deadline_recipients).
create table deadline_responsibles (
    tenant_id    uuid not null,
    deadline_id  uuid not null,
    user_id      uuid not null,
    primary key (tenant_id, deadline_id, user_id),
    constraint deadline_responsibles_deadline_fkey foreign key (tenant_id, deadline_id)
        references reporting_deadlines (tenant_id, id) on delete cascade,
    constraint deadline_responsibles_member_fkey foreign key (tenant_id, user_id)
        references memberships (tenant_id, user_id) on delete cascade
);
create index deadline_responsibles_user_idx on deadline_responsibles (tenant_id, user_id);

insert into deadline_responsibles (tenant_id, deadline_id, user_id)
select d.tenant_id, d.id, d.responsible_user_id
from reporting_deadlines d
join memberships m on m.tenant_id = d.tenant_id and m.user_id = d.responsible_user_id;

-- A recurring report (quarterly to the Region, yearly to the State...): each occurrence
-- is a deadline of its own, with its own status, submission and reminders; the series
-- says how they were generated.
create table deadline_series (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    id          uuid not null,
    frequency   text not null constraint deadline_series_frequency_check
                    check (frequency in ('monthly', 'quarterly', 'yearly', 'dates')),
    created_at  timestamptz not null default now(),
    primary key (tenant_id, id)
);

drop view deadline_overview;
alter table reporting_deadlines
    drop column responsible_user_id,
    add column series_id uuid,
    add column occurrence integer,
    add constraint reporting_deadlines_series_fkey foreign key (tenant_id, series_id)
        references deadline_series (tenant_id, id) on delete cascade,
    add constraint reporting_deadlines_occurrence_check
        check ((series_id is null) = (occurrence is null) and (occurrence is null or occurrence >= 1));
create index reporting_deadlines_series_idx on reporting_deadlines (tenant_id, series_id, due_at)
    where series_id is not null;

do $$
declare
    t text;
begin
    foreach t in array array['deadline_responsibles', 'deadline_series'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                          using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                          with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

create view deadline_overview with (security_invoker = true) as
select d.tenant_id, d.id, d.title, d.funder_id, o.name as funder_name, d.due_at,
       case when d.status = 'upcoming' and d.due_at < now() then 'late' else d.status end as status,
       d.status as recorded_status, d.submitted_at, d.submission_reference,
       array(select r.user_id from deadline_responsibles r
             where r.tenant_id = d.tenant_id and r.deadline_id = d.id order by r.user_id) as responsible_user_ids,
       d.notes, d.version, d.created_at, d.updated_at,
       d.project_id, p.name as project_name, d.partnership_id, s.title as partnership_title,
       d.series_id, d.occurrence, ds.frequency as recurrence
from reporting_deadlines d
left join organisations o on o.tenant_id = d.tenant_id and o.id = d.funder_id
left join projects p on p.tenant_id = d.tenant_id and p.id = d.project_id
left join partnerships s on s.tenant_id = d.tenant_id and s.id = d.partnership_id
left join deadline_series ds on ds.tenant_id = d.tenant_id and ds.id = d.series_id;

-- Who is reminded of a deadline: its responsible members or, when none is left, the
-- tenant's owners and admins. One definition for the planner and the sender.
create function deadline_recipients(p_tenant_id uuid, p_deadline_id uuid) returns setof uuid
language sql stable as $$
    select r.user_id from deadline_responsibles r
    where r.tenant_id = p_tenant_id and r.deadline_id = p_deadline_id
    union
    select m.user_id from memberships m
    where m.tenant_id = p_tenant_id and m.role in ('owner', 'admin')
      and not exists (select 1 from deadline_responsibles r
                      where r.tenant_id = p_tenant_id and r.deadline_id = p_deadline_id)
$$;

-- Each recipient gets each reminder once.
alter table reminders
    drop constraint reminders_idempotency_key,
    add constraint reminders_idempotency_key unique (tenant_id, deadline_id, kind, due_at, recipient_user_id);

grant select on deadline_overview to maillage_core, maillage_notification;
grant select, insert, update, delete on deadline_responsibles, deadline_series to maillage_core;
grant select on deadline_responsibles, deadline_series to maillage_notification;

-- A member who leaves the tenant stops answering for its deadlines (the cascade above);
-- those deadlines are announced in the outbox, in the same transaction, so that their
-- reminders are planned again: for the remaining responsibles, or the owners and admins
-- when none is left. The function runs as its owner, who alone may write the outbox for
-- the tenant of the row, whatever the calling service.
create function announce_deadlines_of_departed_member() returns trigger
language plpgsql security definer set search_path = public as $$
declare
    caller_tenant text := current_setting('app.tenant_id', true);
begin
    if exists (select 1 from memberships m where m.tenant_id = old.tenant_id and m.user_id = old.user_id) then
        return null;
    end if;
    perform set_config('app.tenant_id', old.tenant_id::text, true);
    insert into outbox (tenant_id, id, topic, aggregate_id)
    select d.tenant_id, gen_random_uuid(), 'deadline.changed', d.id
    from reporting_deadlines d
    where d.tenant_id = old.tenant_id and d.id = old.deadline_id;
    perform set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
    return null;
end
$$;
revoke all on function announce_deadlines_of_departed_member() from public;

create trigger deadline_responsibles_departed_member
    after delete on deadline_responsibles
    for each row execute function announce_deadlines_of_departed_member();
