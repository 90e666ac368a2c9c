-- Lists as a member left them: the columns each member chose for each list, and the
-- views (filters, order and columns of a list) they saved by name, for themselves or
-- for the whole workspace. The gateway's own: core-records never reads them.

create table list_columns (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    user_id     uuid not null references users (id) on delete cascade,
    collection  text not null check (length(collection) between 1 and 40),
    -- In the order shown; the list's first column (the record's name) is always shown.
    columns     text[] not null check (cardinality(columns) <= 20),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, user_id, collection)
);

create table saved_views (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    id          uuid not null,
    user_id     uuid not null references users (id) on delete cascade,
    collection  text not null check (length(collection) between 1 and 40),
    name        text not null check (length(name) between 1 and 80),
    -- The list page's query string (filters, order, columns), as the gateway checked it.
    query       text not null check (length(query) <= 2000),
    -- Offered to every member of the workspace, not only to the one who saved it.
    shared      boolean not null default false,
    created_at  timestamptz not null default now(),
    primary key (tenant_id, id)
);
create unique index saved_views_name_idx on saved_views (tenant_id, user_id, collection, lower(name));
create index saved_views_collection_idx on saved_views (tenant_id, collection);

alter table list_columns enable row level security;
alter table list_columns force row level security;
create policy tenant_isolation on list_columns
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on list_columns to maillage_gateway;

alter table saved_views enable row level security;
alter table saved_views force row level security;
create policy tenant_isolation on saved_views
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on saved_views to maillage_gateway;

-- The organisations a person belongs to today (an affiliation begun and not ended), by
-- name: what a list of people shows beside each. Read under the caller's row-level
-- security, as the tables it reads.
create function maillage_current_organisations(p_tenant_id uuid, p_person_id uuid) returns jsonb
language sql stable as $$
    select coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name) order by o.name, o.id), '[]')
    from affiliations a
    join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
    where a.tenant_id = p_tenant_id and a.person_id = p_person_id and o.deleted_at is null
      and (a.starts_on is null or a.starts_on <= current_date)
      and (a.ends_on is null or a.ends_on >= current_date)
$$;
