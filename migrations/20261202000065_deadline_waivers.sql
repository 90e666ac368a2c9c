-- Deadlines that are no longer owed and series kept off non-working days.
--
-- A deadline cancelled (status 'waived': the funder waived the report, or it was never
-- owed) says why; the reason goes with the status and is cleared when it is reopened.
alter table reporting_deadlines
    add column waiver_reason text,
    add constraint reporting_deadlines_waiver_reason_check
        check (waiver_reason is null or (status = 'waived' and char_length(waiver_reason) <= 500));

-- A series may keep its occurrences on working days: one that would fall on a Saturday,
-- a Sunday or a French public holiday is due the working day before.
alter table deadline_series
    add column working_days boolean not null default false;

create or replace view deadline_overview with (security_invoker = true) as
select d.tenant_id, d.id, d.title, d.funder_id, o.name as funder_name, d.due_at,
       case when d.status = 'upcoming' and d.due_at < now() then 'late' else d.status end as status,
       d.status as recorded_status, d.submitted_at, d.submission_reference,
       array(select r.user_id from deadline_responsibles r
             where r.tenant_id = d.tenant_id and r.deadline_id = d.id order by r.user_id) as responsible_user_ids,
       d.notes, d.version, d.created_at, d.updated_at,
       d.project_id, p.name as project_name, d.partnership_id, s.title as partnership_title,
       d.series_id, d.occurrence, ds.frequency as recurrence,
       d.waiver_reason, ds.working_days as series_working_days
from reporting_deadlines d
left join organisations o on o.tenant_id = d.tenant_id and o.id = d.funder_id
left join projects p on p.tenant_id = d.tenant_id and p.id = d.project_id
left join partnerships s on s.tenant_id = d.tenant_id and s.id = d.partnership_id
left join deadline_series ds on ds.tenant_id = d.tenant_id and ds.id = d.series_id;
