-- Each tenant's reminder policy: how many days before, on the day, how often while
-- late, when to tell the admins, at what hour, and the quiet hours during which no
-- reminder leaves (a reminder falling in them waits for the end). No row: the defaults.
create table reminder_policies (
    tenant_id            uuid primary key references tenants (id) on delete cascade,
    days_before          smallint[] not null default '{30,7,1}'
                             constraint reminder_policies_days_before_check
                             check (cardinality(days_before) <= 10 and 0 < all(days_before) and 366 > all(days_before)),
    on_due_day           boolean not null default true,
    overdue_every_days   smallint not null default 7
                             constraint reminder_policies_overdue_check check (overdue_every_days between 0 and 90),
    escalate_after_days  smallint default 14
                             constraint reminder_policies_escalation_check check (escalate_after_days between 1 and 365),
    send_at              time not null default '08:00',
    quiet_hours_start    time not null default '20:00',
    quiet_hours_end      time not null default '08:00',
    version              integer not null default 1,
    updated_at           timestamptz not null default now()
);

alter table reminder_policies enable row level security;
alter table reminder_policies force row level security;
create policy tenant_isolation on reminder_policies
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- The dispatcher looks at every tenant's quiet hours.
create policy notification_scan_select on reminder_policies for select to maillage_notification
    using (current_setting('app.scope', true) = 'platform-scan');

grant select, insert, update on reminder_policies to maillage_core;
grant select on reminder_policies to maillage_notification;

-- Reminder kinds follow the policy: d-30 (30 days before), d0 (on the day), d+8 (late by
-- 8 days), e+14 (escalation to the admins, late by 14 days).
alter table reminders drop constraint reminders_kind_check;
update reminders set kind = case kind
    when 'j30' then 'd-30' when 'j7' then 'd-7' when 'j1' then 'd-1' when 'overdue' then 'd+1'
    else kind end;
alter table reminders add constraint reminders_kind_check
    check (kind ~ '^(d0|d[-+][1-9][0-9]*|e\+[1-9][0-9]*)$');

-- Who escalations go to.
create function tenant_admins(p_tenant_id uuid) returns setof uuid
language sql stable as $$
    select m.user_id from memberships m
    where m.tenant_id = p_tenant_id and m.role in ('owner', 'admin')
$$;

-- Whether `at` falls in the quiet hours [starts, ends) of a time zone; the hours may
-- span midnight (20:00 → 08:00).
create function in_quiet_hours(at timestamptz, zone text, starts time, ends time) returns boolean
language sql stable as $$
    select case
        when starts = ends then false
        when starts < ends then (at at time zone zone)::time >= starts and (at at time zone zone)::time < ends
        else (at at time zone zone)::time >= starts or (at at time zone zone)::time < ends
    end
$$;
