-- Imports bring history too (activities and engagements, undone with the rest), columns
-- may be changed before they are read (a transform per column), and a mapping worth
-- keeping is saved as a template, found again by the headers of the next file.

-- A grant received (une subvention) is the most common income of an association.
alter table engagements drop constraint engagements_kind_check;
alter table engagements add constraint engagements_kind_check
    check (kind in ('donation', 'membership_fee', 'volunteering', 'subscription', 'purchase',
                    'sponsorship', 'grant'));

alter table import_items drop constraint import_items_record_type_check;
alter table import_items add constraint import_items_record_type_check
    check (record_type in ('person', 'organisation', 'affiliation', 'tag', 'person_tag',
                           'organisation_tag', 'activity', 'engagement'));

-- The transform of each column ('' for none), beside `mapping`; the template applied.
alter table imports add column transforms text[] not null default '{}';
alter table imports add column template_name text;

create table import_templates (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    id          uuid not null,
    name        text not null check (length(name) between 1 and 100),
    -- The headers it was made for, folded (lower case, no accents or punctuation): a file
    -- is matched by its headers, in any order.
    headers     text[] not null,
    -- The field and the transform of each of those headers ('' for none).
    mapping     text[] not null,
    transforms  text[] not null,
    duplicates  text not null default 'match' check (duplicates in ('match', 'create', 'skip')),
    created_by  uuid not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, id),
    check (cardinality(headers) = cardinality(mapping) and cardinality(headers) = cardinality(transforms))
);
create unique index import_templates_name_idx on import_templates (tenant_id, lower(name));

alter table import_templates enable row level security;
alter table import_templates force row level security;
create policy tenant_isolation on import_templates
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on import_templates to maillage_core;

-- The importer refreshes the statistics of the tables history fills as well.
create or replace function refresh_record_statistics() returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
begin
    analyze people, organisations, affiliations, tags, person_tags, organisation_tags,
            activities, activity_links, engagements;
end
$$;
