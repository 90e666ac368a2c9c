-- Projects take the tenant's tags like people, organisations and partnerships do.
create table project_tags (
    tenant_id   uuid not null,
    tag_id      uuid not null,
    project_id  uuid not null,
    primary key (tenant_id, tag_id, project_id),
    constraint project_tags_tag_fkey foreign key (tenant_id, tag_id) references tags (tenant_id, id) on delete cascade,
    constraint project_tags_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id) on delete cascade
);
create index project_tags_project_idx on project_tags (tenant_id, project_id);

alter table project_tags enable row level security;
alter table project_tags force row level security;
create policy tenant_isolation on project_tags
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on project_tags to maillage_core;

-- An engagement can be given to a project (a donation for the shared gardens), besides
-- or instead of a campaign.
alter table engagements add column project_id uuid;
alter table engagements
    add constraint engagements_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id);
create index engagements_project_idx on engagements (tenant_id, project_id, occurred_on) where project_id is not null;
