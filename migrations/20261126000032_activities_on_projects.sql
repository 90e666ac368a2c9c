-- Activities can be about a project too (a steering committee, a site visit), and a
-- project has a timeline like people, organisations and partnerships. A project
-- deleted for good takes its links with it; one in the bin keeps them.
alter table activity_links add column project_id uuid;
alter table activity_links
    add constraint activity_links_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id) on delete cascade;
alter table activity_links drop constraint activity_links_one_target_check;
alter table activity_links
    add constraint activity_links_one_target_check
        check (num_nonnulls(person_id, organisation_id, partnership_id, project_id) = 1);
create index activity_links_project_idx on activity_links (tenant_id, project_id) where project_id is not null;

-- Timelines read newest first, or oldest first: both from this index.
create index activities_occurred_idx on activities (tenant_id, occurred_at, id);
