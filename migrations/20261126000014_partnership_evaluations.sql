-- Evaluations of a partnership, interim or final: effectiveness (objectives set vs
-- reached), efficiency (resources vs results) and impact on the territory, each scored
-- 1 to 5 with notes.
create table partnership_evaluations (
    tenant_id            uuid not null,
    id                   uuid not null,
    partnership_id       uuid not null,
    stage                text not null constraint partnership_evaluations_stage_check check (stage in ('interim', 'final')),
    evaluated_on         date not null,
    objectives_set       text not null default '',
    objectives_reached   text not null default '',
    effectiveness_score  smallint not null constraint partnership_evaluations_effectiveness_check check (effectiveness_score between 1 and 5),
    effectiveness_notes  text not null default '',
    efficiency_score     smallint not null constraint partnership_evaluations_efficiency_check check (efficiency_score between 1 and 5),
    efficiency_notes     text not null default '',
    impact_score         smallint not null constraint partnership_evaluations_impact_check check (impact_score between 1 and 5),
    impact_notes         text not null default '',
    author_user_id       uuid not null references users (id),
    version              integer not null default 1,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint partnership_evaluations_partnership_fkey foreign key (tenant_id, partnership_id)
        references partnerships (tenant_id, id) on delete cascade
);
create index partnership_evaluations_partnership_idx on partnership_evaluations (tenant_id, partnership_id, evaluated_on);
-- A partnership has at most one final evaluation.
create unique index partnership_evaluations_final_key on partnership_evaluations (tenant_id, partnership_id)
    where stage = 'final';

alter table partnership_evaluations enable row level security;
alter table partnership_evaluations force row level security;
create policy tenant_isolation on partnership_evaluations
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on partnership_evaluations to maillage_core;
