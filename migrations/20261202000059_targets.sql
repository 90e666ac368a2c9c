-- The partnership-strategy target ("la cible"): everyone the organisation could work
-- with, placed on concentric rings by closeness (the centre is the closest), where
-- they are on the day the target is drawn and where they should be. A workspace keeps
-- several (the whole association, one project), each dated and kept, so that this
-- year's is compared with last year's.
create table targets (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    id          uuid not null,
    name        text not null,
    drawn_on    date not null,
    -- A target for one project; none: the whole organisation's.
    project_id  uuid,
    -- The rings' names, the centre first.
    rings       text[] not null,
    notes       text not null default '',
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint targets_project_fkey foreign key (tenant_id, project_id)
        references projects (tenant_id, id) on delete set null (project_id),
    constraint targets_rings_check check (cardinality(rings) between 2 and 6)
);
create index targets_drawn_on_idx on targets (tenant_id, drawn_on desc, id);

-- One stakeholder of a target: an organisation of the records, or a prospect known by
-- its name only, kept apart from the records until it is promoted to one.
create table target_stakeholders (
    tenant_id        uuid not null,
    id               uuid not null,
    target_id        uuid not null,
    organisation_id  uuid,
    prospect_name    text,
    -- The ring it is on (0: the centre), today and in the ideal situation; none: outside.
    today_ring       smallint,
    ideal_ring       smallint,
    -- Where around the target it is drawn, in degrees: the same for both places, so
    -- that the way from today to the ideal reads as a move along a radius.
    angle            real not null default 0 check (angle >= 0 and angle < 360),
    -- Why work together: what we would gain, and what they would.
    our_reasons      text not null default '',
    their_reasons    text not null default '',
    version          integer not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint target_stakeholders_target_fkey foreign key (tenant_id, target_id)
        references targets (tenant_id, id) on delete cascade,
    constraint target_stakeholders_organisation_fkey foreign key (tenant_id, organisation_id)
        references organisations (tenant_id, id) on delete cascade,
    constraint target_stakeholders_one_check check (num_nonnulls(organisation_id, prospect_name) = 1),
    constraint target_stakeholders_rings_check
        check (today_ring between 0 and 5 and ideal_ring between 0 and 5)
);
create unique index target_stakeholders_organisation_key
    on target_stakeholders (tenant_id, target_id, organisation_id) where organisation_id is not null;
create unique index target_stakeholders_prospect_key
    on target_stakeholders (tenant_id, target_id, lower(prospect_name)) where prospect_name is not null;
create index target_stakeholders_target_idx on target_stakeholders (tenant_id, target_id);
create index target_stakeholders_organisation_idx
    on target_stakeholders (tenant_id, organisation_id) where organisation_id is not null;

do $$
declare
    t text;
begin
    foreach t in array array['targets', 'target_stakeholders'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, update, delete on targets, target_stakeholders to maillage_core;

-- How many rings a stakeholder must come closer to be where it should (negative: move
-- away), outside counting as one ring past the last: the one rule for the target's
-- gaps, its list's counts and its comparisons.
create function target_gap(p_today smallint, p_ideal smallint, p_ring_count integer)
returns smallint
language sql immutable parallel safe as $$
    select (coalesce(p_today, p_ring_count) - coalesce(p_ideal, p_ring_count))::smallint
$$;
