-- Whether a reminder still calls for an email: its subject is still to do, still due
-- when the reminder was planned for, and its recipient still in the reminder's
-- audience. One definition for the sender and the digester, which both check it
-- before an email leaves.
create function reminder_still_wanted(r reminders) returns boolean
language sql stable as $$
    select coalesce((select i.open and i.due_at = r.due_at
                     from remindable_items i
                     where i.tenant_id = r.tenant_id and i.subject = r.subject and i.id = r.subject_id),
                    false)
       and r.recipient_user_id in (select reminder_audience(r.tenant_id, r.subject, r.subject_id, r.kind))
$$;

-- reminder_recipients answers for deadlines too (their responsibles, or the owners and
-- admins when none is left): its deadline-only predecessor has no caller left.
drop function deadline_recipients(uuid, uuid);
