-- Engagements: what people and organisations give — donations, membership fees,
-- volunteering hours, subscriptions, purchases, sponsorships.
create table engagements (
    tenant_id        uuid not null references tenants (id) on delete cascade,
    id               uuid not null,
    kind             text not null constraint engagements_kind_check
                         check (kind in ('donation', 'membership_fee', 'volunteering', 'subscription', 'purchase', 'sponsorship')),
    person_id        uuid,
    organisation_id  uuid,
    -- Money in cents (exact), or volunteering time in minutes.
    amount_cents     bigint constraint engagements_amount_check check (amount_cents >= 0),
    currency         text,
    minutes          integer constraint engagements_minutes_check check (minutes > 0),
    occurred_on      date not null,
    campaign         text not null default '',
    notes            text not null default '',
    version          integer not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint engagements_person_fkey foreign key (tenant_id, person_id)
        references people (tenant_id, id) on delete cascade,
    constraint engagements_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade,
    constraint engagements_one_contributor_check check (num_nonnulls(person_id, organisation_id) = 1),
    constraint engagements_measure_check check (
        (kind = 'volunteering' and minutes is not null and amount_cents is null and currency is null)
        or (kind <> 'volunteering' and amount_cents is not null and currency is not null and minutes is null))
);
create index engagements_person_idx on engagements (tenant_id, person_id, occurred_on) where person_id is not null;
create index engagements_organisation_idx on engagements (tenant_id, organisation_id, occurred_on) where organisation_id is not null;
create index engagements_date_idx on engagements (tenant_id, occurred_on, id);

alter table engagements enable row level security;
alter table engagements force row level security;
create policy tenant_isolation on engagements
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on engagements to maillage_core;
