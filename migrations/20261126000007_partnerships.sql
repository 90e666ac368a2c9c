-- Partnerships: the tenant and one or more partner organisations, with a lifecycle and
-- the content of their agreement.
create table partnerships (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    id           uuid not null,
    title        text not null,
    kind         text not null constraint partnerships_kind_check
                     check (kind in ('funding', 'operational', 'institutional', 'network')),
    status       text not null default 'prospect' constraint partnerships_status_check
                     check (status in ('prospect', 'negotiating', 'active', 'evaluating', 'closed')),
    starts_on    date,
    ends_on      date,
    -- shared values, purpose, roles, phasing, means, budget, regulation mode, evaluation
    -- method: validated by core-records (records/partnerships.rs, Agreement).
    agreement    jsonb not null default '{}',
    notes        text not null default '',
    version      integer not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    deleted_at   timestamptz,
    primary key (tenant_id, id),
    constraint partnerships_period_check check (ends_on is null or starts_on is null or ends_on >= starts_on)
);
create index partnerships_title_idx on partnerships (tenant_id, title, id);

create table partnership_partners (
    tenant_id        uuid not null references tenants (id) on delete cascade,
    partnership_id   uuid not null,
    organisation_id  uuid not null,
    role             text not null default '',
    primary key (tenant_id, partnership_id, organisation_id),
    constraint partnership_partners_partnership_fkey foreign key (tenant_id, partnership_id)
        references partnerships (tenant_id, id) on delete cascade,
    constraint partnership_partners_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade
);
create index partnership_partners_organisation_idx on partnership_partners (tenant_id, organisation_id);

do $$
declare
    t text;
begin
    foreach t in array array['partnerships', 'partnership_partners'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, update, delete on partnerships, partnership_partners to maillage_core;
