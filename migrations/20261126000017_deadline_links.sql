-- A report is owed for a project or a partnership.
alter table reporting_deadlines
    add column project_id uuid,
    add column partnership_id uuid,
    add constraint reporting_deadlines_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id),
    add constraint reporting_deadlines_partnership_fkey foreign key (tenant_id, partnership_id)
        references partnerships (tenant_id, id);
create index reporting_deadlines_project_idx on reporting_deadlines (tenant_id, project_id) where project_id is not null;
create index reporting_deadlines_partnership_idx on reporting_deadlines (tenant_id, partnership_id) where partnership_id is not null;

create or replace view deadline_overview with (security_invoker = true) as
select d.tenant_id, d.id, d.title, d.funder_id, o.name as funder_name, d.due_at,
       case when d.status = 'upcoming' and d.due_at < now() then 'late' else d.status end as status,
       d.status as recorded_status, d.submitted_at, d.submission_reference,
       d.responsible_user_id, d.notes, d.version, d.created_at, d.updated_at,
       d.project_id, p.name as project_name, d.partnership_id, s.title as partnership_title
from reporting_deadlines d
left join organisations o on o.tenant_id = d.tenant_id and o.id = d.funder_id
left join projects p on p.tenant_id = d.tenant_id and p.id = d.project_id
left join partnerships s on s.tenant_id = d.tenant_id and s.id = d.partnership_id;

-- The view joins them: the notification role reads deadlines through it (and reminder
-- emails may name the project or partnership).
grant select on projects, partnerships to maillage_notification;
