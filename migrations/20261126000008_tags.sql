-- Tags, one vocabulary per tenant shared by people, organisations and partnerships.
create table tags (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    id          uuid not null,
    name        text not null,
    created_at  timestamptz not null default now(),
    primary key (tenant_id, id)
);
-- "Bénévole" and "bénévole" are one tag.
create unique index tags_name_key on tags (tenant_id, lower(name));

-- One link table per record type, so that every link has a real foreign key.
create table person_tags (
    tenant_id  uuid not null,
    tag_id     uuid not null,
    person_id  uuid not null,
    primary key (tenant_id, tag_id, person_id),
    constraint person_tags_tag_fkey foreign key (tenant_id, tag_id) references tags (tenant_id, id) on delete cascade,
    constraint person_tags_person_fkey foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index person_tags_person_idx on person_tags (tenant_id, person_id);

create table organisation_tags (
    tenant_id        uuid not null,
    tag_id           uuid not null,
    organisation_id  uuid not null,
    primary key (tenant_id, tag_id, organisation_id),
    constraint organisation_tags_tag_fkey foreign key (tenant_id, tag_id) references tags (tenant_id, id) on delete cascade,
    constraint organisation_tags_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade
);
create index organisation_tags_organisation_idx on organisation_tags (tenant_id, organisation_id);

create table partnership_tags (
    tenant_id       uuid not null,
    tag_id          uuid not null,
    partnership_id  uuid not null,
    primary key (tenant_id, tag_id, partnership_id),
    constraint partnership_tags_tag_fkey foreign key (tenant_id, tag_id) references tags (tenant_id, id) on delete cascade,
    constraint partnership_tags_partnership_fkey foreign key (tenant_id, partnership_id)
        references partnerships (tenant_id, id) on delete cascade
);
create index partnership_tags_partnership_idx on partnership_tags (tenant_id, partnership_id);

do $$
declare
    t text;
begin
    foreach t in array array['tags', 'person_tags', 'organisation_tags', 'partnership_tags'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, update, delete on tags, person_tags, organisation_tags, partnership_tags to maillage_core;
