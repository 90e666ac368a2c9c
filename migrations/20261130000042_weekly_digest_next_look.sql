-- When a weekly-digest member is next worth looking at: a digest round reads only those
-- whose moment has come (through the index), instead of every weekly member of every
-- tenant each round. '-infinity' is "now": a member who has just chosen the weekly
-- digest, or one never looked at.
alter table notification_preferences
    add column next_digest_at timestamptz not null default '-infinity';

create index notification_preferences_weekly_due_idx
    on notification_preferences (next_digest_at) where mode = 'weekly';

-- The digest worker writes when it will look again, in the member's tenant.
grant update (next_digest_at) on notification_preferences to maillage_notification;

-- A member who changes how they are reminded is looked at again at once (the mode the
-- moment was reckoned for is no longer theirs).
create function notification_preferences_look_again() returns trigger
language plpgsql as $$
begin
    new.next_digest_at := '-infinity';
    return new;
end
$$;

create trigger notification_preferences_look_again
    before update of mode on notification_preferences
    for each row when (old.mode is distinct from new.mode)
    execute function notification_preferences_look_again();
