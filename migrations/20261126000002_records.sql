-- Tenant tables. Tenancy rules (DESIGN.md): tenant_id in every key, unique constraint and
-- foreign key; row-level security enabled and forced, keyed on the transaction-local
-- setting app.tenant_id. With no tenant set, nullif(...) yields null and nothing matches.

create table people (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    id           uuid not null,
    given_name   text not null,
    family_name  text not null,
    email        text,
    phone        text,
    notes        text not null default '',
    version      integer not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (tenant_id, id)
);
create index people_name_idx on people (tenant_id, family_name, given_name, id);

create table organisations (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    id           uuid not null,
    name         text not null,
    kind         text not null constraint organisations_kind_check
                     check (kind in ('funder', 'public_body', 'association', 'company', 'network', 'other')),
    website      text,
    email        text,
    phone        text,
    notes        text not null default '',
    version      integer not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (tenant_id, id)
);
create index organisations_name_idx on organisations (tenant_id, name, id);

-- "late" is not stored: it follows from the clock (status upcoming and due_at passed).
create table reporting_deadlines (
    tenant_id             uuid not null references tenants (id) on delete cascade,
    id                    uuid not null,
    title                 text not null,
    funder_id             uuid,
    due_at                timestamptz not null,
    status                text not null default 'upcoming' constraint reporting_deadlines_status_check
                              check (status in ('upcoming', 'submitted', 'waived')),
    submitted_at          timestamptz,
    submission_reference  text,
    responsible_user_id   uuid not null references users (id),
    notes                 text not null default '',
    version               integer not null default 1,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint reporting_deadlines_funder_fkey foreign key (tenant_id, funder_id)
        references organisations (tenant_id, id) on delete restrict
);
create index reporting_deadlines_due_idx on reporting_deadlines (tenant_id, due_at, id);

create table audit_log (
    tenant_id      uuid not null references tenants (id) on delete cascade,
    id             uuid not null,
    at             timestamptz not null default now(),
    actor_user_id  uuid not null,
    request_id     text not null,
    action         text not null constraint audit_log_action_check check (action in ('create', 'update', 'delete')),
    record_type    text not null,
    record_id      uuid not null,
    before         jsonb,
    after          jsonb,
    primary key (tenant_id, id)
);
create index audit_log_record_idx on audit_log (tenant_id, record_type, record_id, at desc);

-- Transactional outbox: written in the same transaction as the change it announces.
create table outbox (
    tenant_id     uuid not null references tenants (id) on delete cascade,
    id            uuid not null,
    topic         text not null,
    aggregate_id  uuid not null,
    payload       jsonb not null default '{}',
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    primary key (tenant_id, id)
);
create index outbox_unpublished_idx on outbox (created_at) where published_at is null;

-- One row per reminder to send. (tenant_id, deadline_id, kind, due_at) is the idempotency
-- key: a reminder for a given deadline date is sent at most once, whatever is replayed.
create table reminders (
    tenant_id          uuid not null references tenants (id) on delete cascade,
    id                 uuid not null,
    deadline_id        uuid not null,
    kind               text not null constraint reminders_kind_check
                           check (kind in ('j30', 'j7', 'j1', 'overdue')),
    due_at             timestamptz not null,
    fire_at            timestamptz not null,
    recipient_user_id  uuid not null references users (id),
    status             text not null default 'pending' constraint reminders_status_check
                           check (status in ('pending', 'queued', 'sent', 'skipped', 'cancelled')),
    queued_at          timestamptz,
    sent_at            timestamptz,
    message_id         text,
    created_at         timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint reminders_idempotency_key unique (tenant_id, deadline_id, kind, due_at),
    constraint reminders_deadline_fkey foreign key (tenant_id, deadline_id)
        references reporting_deadlines (tenant_id, id) on delete cascade
);
create index reminders_due_idx on reminders (fire_at) where status in ('pending', 'queued');

do $$
declare
    t text;
begin
    foreach t in array array['people', 'organisations', 'reporting_deadlines', 'audit_log', 'outbox', 'reminders'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

-- Deadlines as people see them: "late" read off the clock, the funder's name joined.
-- security_invoker: the caller's row-level security applies, not the view owner's.
create view deadline_overview with (security_invoker = true) as
select d.tenant_id, d.id, d.title, d.funder_id, o.name as funder_name, d.due_at,
       case when d.status = 'upcoming' and d.due_at < now() then 'late' else d.status end as status,
       d.status as recorded_status, d.submitted_at, d.submission_reference,
       d.responsible_user_id, d.notes, d.version, d.created_at, d.updated_at
from reporting_deadlines d
left join organisations o on o.tenant_id = d.tenant_id and o.id = d.funder_id;
