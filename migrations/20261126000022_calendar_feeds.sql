-- Each member's calendar feed (iCalendar) in a tenant: a secret URL, revoked by
-- deleting the row or replaced by a new token.
create table calendar_feeds (
    tenant_id   uuid not null,
    user_id     uuid not null,
    token       uuid not null default gen_random_uuid(),
    created_at  timestamptz not null default now(),
    primary key (tenant_id, user_id),
    constraint calendar_feeds_member_fkey foreign key (tenant_id, user_id)
        references memberships (tenant_id, user_id) on delete cascade
);
create index calendar_feeds_token_idx on calendar_feeds (token);

alter table calendar_feeds enable row level security;
alter table calendar_feeds force row level security;
create policy tenant_isolation on calendar_feeds
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on calendar_feeds to maillage_core;
-- The gateway answers the feed's URL: it finds whose it is, token in hand.
grant select on calendar_feeds to maillage_gateway;
