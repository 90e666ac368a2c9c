-- Activities: meetings, calls, emails, events, notes and tasks, each linked to any
-- number of people, organisations and partnerships, whose timelines they make up.
create table activities (
    tenant_id       uuid not null references tenants (id) on delete cascade,
    id              uuid not null,
    kind            text not null constraint activities_kind_check
                        check (kind in ('meeting', 'call', 'email', 'event', 'note', 'task')),
    occurred_at     timestamptz not null,
    subject         text not null,
    body            text not null default '',
    -- Tasks only: when it is due, when it was done.
    due_at          timestamptz,
    done_at         timestamptz,
    author_user_id  uuid not null references users (id),
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint activities_task_fields_check check (kind = 'task' or (due_at is null and done_at is null))
);

-- One row per link; exactly one target per row, each with a real foreign key.
create table activity_links (
    tenant_id        uuid not null,
    id               uuid not null,
    activity_id      uuid not null,
    person_id        uuid,
    organisation_id  uuid,
    partnership_id   uuid,
    primary key (tenant_id, id),
    constraint activity_links_activity_fkey foreign key (tenant_id, activity_id)
        references activities (tenant_id, id) on delete cascade,
    constraint activity_links_person_fkey foreign key (tenant_id, person_id)
        references people (tenant_id, id) on delete cascade,
    constraint activity_links_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade,
    constraint activity_links_partnership_fkey foreign key (tenant_id, partnership_id)
        references partnerships (tenant_id, id) on delete cascade,
    constraint activity_links_one_target_check check (num_nonnulls(person_id, organisation_id, partnership_id) = 1)
);
create index activity_links_activity_idx on activity_links (tenant_id, activity_id);
create index activity_links_person_idx on activity_links (tenant_id, person_id) where person_id is not null;
create index activity_links_organisation_idx on activity_links (tenant_id, organisation_id) where organisation_id is not null;
create index activity_links_partnership_idx on activity_links (tenant_id, partnership_id) where partnership_id is not null;

do $$
declare
    t text;
begin
    foreach t in array array['activities', 'activity_links'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, update, delete on activities, activity_links to maillage_core;
