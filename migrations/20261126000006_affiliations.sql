-- Who works where: a person's role in an organisation, over a period.
create table affiliations (
    tenant_id        uuid not null references tenants (id) on delete cascade,
    id               uuid not null,
    person_id        uuid not null,
    organisation_id  uuid not null,
    role             text not null default '',
    starts_on        date,
    ends_on          date,
    notes            text not null default '',
    version          integer not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint affiliations_person_fkey foreign key (tenant_id, person_id)
        references people (tenant_id, id) on delete cascade,
    constraint affiliations_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade,
    constraint affiliations_period_check check (ends_on is null or starts_on is null or ends_on >= starts_on)
);
create index affiliations_person_idx on affiliations (tenant_id, person_id);
create index affiliations_organisation_idx on affiliations (tenant_id, organisation_id);

alter table affiliations enable row level security;
alter table affiliations force row level security;
create policy tenant_isolation on affiliations
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on affiliations to maillage_core;
