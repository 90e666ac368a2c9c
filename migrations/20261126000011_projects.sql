-- Projects: what the tenant runs, with its phases and milestones, budget lines and
-- partners (organisations, or whole partnerships).
create table projects (
    tenant_id          uuid not null references tenants (id) on delete cascade,
    id                 uuid not null,
    name               text not null,
    description        text not null default '',
    status             text not null default 'planned' constraint projects_status_check
                           check (status in ('planned', 'running', 'suspended', 'completed', 'cancelled')),
    owner_user_id      uuid references users (id),
    target_population  text not null default '',
    territory          text not null default '',
    starts_on          date,
    ends_on            date,
    version            integer not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    deleted_at         timestamptz,
    primary key (tenant_id, id),
    constraint projects_period_check check (ends_on is null or starts_on is null or ends_on >= starts_on)
);
create index projects_name_idx on projects (tenant_id, name, id);

-- Milestones, each in a phase (a free name: "Diagnostic", "Mise en œuvre"…).
create table project_milestones (
    tenant_id    uuid not null,
    id           uuid not null,
    project_id   uuid not null,
    phase        text not null default '',
    title        text not null,
    due_on       date,
    done_on      date,
    primary key (tenant_id, id),
    constraint project_milestones_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id) on delete cascade
);
create index project_milestones_project_idx on project_milestones (tenant_id, project_id);

create table project_budget_lines (
    tenant_id      uuid not null,
    id             uuid not null,
    project_id     uuid not null,
    label          text not null,
    planned_cents  bigint not null default 0 constraint project_budget_lines_planned_check check (planned_cents >= 0),
    actual_cents   bigint not null default 0 constraint project_budget_lines_actual_check check (actual_cents >= 0),
    primary key (tenant_id, id),
    constraint project_budget_lines_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id) on delete cascade
);
create index project_budget_lines_project_idx on project_budget_lines (tenant_id, project_id);

create table project_partners (
    tenant_id        uuid not null,
    id               uuid not null,
    project_id       uuid not null,
    organisation_id  uuid,
    partnership_id   uuid,
    role             text not null default '',
    primary key (tenant_id, id),
    constraint project_partners_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id) on delete cascade,
    constraint project_partners_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade,
    constraint project_partners_partnership_fkey foreign key (tenant_id, partnership_id)
        references partnerships (tenant_id, id) on delete cascade,
    constraint project_partners_one_target_check check (num_nonnulls(organisation_id, partnership_id) = 1)
);
create index project_partners_project_idx on project_partners (tenant_id, project_id);

do $$
declare
    t text;
begin
    foreach t in array array['projects', 'project_milestones', 'project_budget_lines', 'project_partners'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, update, delete on projects, project_milestones, project_budget_lines, project_partners
    to maillage_core;
