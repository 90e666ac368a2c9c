-- Custom fields, defined per tenant for people and organisations: text, number, date,
-- or a choice among listed values. Values live in each record's `custom` object, keyed
-- by the field's key, and are checked against these definitions by core-records.
create table custom_fields (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    id           uuid not null,
    record_type  text not null constraint custom_fields_record_type_check check (record_type in ('person', 'organisation')),
    key          text not null constraint custom_fields_key_check check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label        text not null,
    field_type   text not null constraint custom_fields_type_check check (field_type in ('text', 'number', 'date', 'choice')),
    choices      text[] not null default '{}',
    required     boolean not null default false,
    created_at   timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint custom_fields_key_key unique (tenant_id, record_type, key)
);

alter table custom_fields enable row level security;
alter table custom_fields force row level security;
create policy tenant_isolation on custom_fields
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table people add column custom jsonb not null default '{}';
alter table organisations add column custom jsonb not null default '{}';

grant select, insert, update, delete on custom_fields to maillage_core;
