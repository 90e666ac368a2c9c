-- Platform tables: not tenant-scoped. They describe tenants, people who log in and who
-- belongs where. Only the gateway (login, membership checks) and the admin CLI write them.

create table tenants (
    id          uuid primary key,
    slug        text not null constraint tenants_slug_key unique,
    name        text not null,
    kind        text not null constraint tenants_kind_check
                    check (kind in ('association', 'municipality', 'other')),
    status      text not null default 'active' constraint tenants_status_check
                    check (status in ('active', 'suspended')),
    locale      text not null default 'fr-FR',
    time_zone   text not null default 'Europe/Paris',
    created_at  timestamptz not null default now()
);

create table users (
    id            uuid primary key,
    issuer        text not null,
    subject       text not null,
    email         text not null,
    display_name  text not null default '',
    locale        text not null default 'fr' constraint users_locale_check check (locale in ('fr', 'en')),
    created_at    timestamptz not null default now(),
    last_login_at timestamptz,
    constraint users_issuer_subject_key unique (issuer, subject)
);

create table memberships (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    user_id     uuid not null references users (id) on delete cascade,
    role        text not null constraint memberships_role_check
                    check (role in ('owner', 'admin', 'editor', 'viewer')),
    created_at  timestamptz not null default now(),
    primary key (tenant_id, user_id)
);
create index memberships_user_idx on memberships (user_id);

-- An invitation becomes a membership when someone logs in with that (verified) email.
create table invitations (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    email        text not null,
    role         text not null constraint invitations_role_check
                     check (role in ('owner', 'admin', 'editor', 'viewer')),
    created_at   timestamptz not null default now(),
    accepted_at  timestamptz,
    primary key (tenant_id, email)
);
create index invitations_pending_email_idx on invitations (lower(email)) where accepted_at is null;
