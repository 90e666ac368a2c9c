-- The people a workspace holds have rights over their data (RGPD): what they agreed to
-- and when, a copy of everything held about them, and to be forgotten.

-- Each state of a person's consent, kept as it changes: whoever changes it and however
-- (a form, the API, an import, a merge), the trigger below records it. The member who
-- made the change is the transaction's `app.actor_user_id`, set by core-records.
create table consent_changes (
    tenant_id      uuid not null references tenants (id) on delete cascade,
    id             uuid not null default gen_random_uuid(),
    person_id      uuid not null,
    changed_at     timestamptz not null default now(),
    -- Null when the change was not made by a member (the history's first state).
    changed_by     uuid,
    email_consent  boolean not null,
    consent_basis  text,
    consent_on     date,
    consent_source text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index consent_changes_person_idx on consent_changes (tenant_id, person_id, changed_at desc);

alter table consent_changes enable row level security;
alter table consent_changes force row level security;
create policy tenant_isolation on consent_changes
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert on consent_changes to maillage_core;

-- Per statement, reading the rows changed as a table: an import's thousand people cost
-- one insert. A new person is recorded only if something about their consent is known.
-- A workspace's archive being loaded (`app.loading_archive`) brings its own history.
create function maillage_record_consent_changes() returns trigger
language plpgsql as $$
begin
    if current_setting('app.loading_archive', true) = 'on' then
        return null;
    end if;
    if tg_op = 'INSERT' then
        insert into consent_changes (tenant_id, person_id, changed_by, email_consent, consent_basis,
                                     consent_on, consent_source)
        select n.tenant_id, n.id, nullif(current_setting('app.actor_user_id', true), '')::uuid,
               n.email_consent, n.consent_basis, n.consent_on, n.consent_source
        from inserted n
        where n.email_consent or n.consent_basis is not null or n.consent_on is not null
              or n.consent_source <> '';
    else
        insert into consent_changes (tenant_id, person_id, changed_by, email_consent, consent_basis,
                                     consent_on, consent_source)
        select n.tenant_id, n.id, nullif(current_setting('app.actor_user_id', true), '')::uuid,
               n.email_consent, n.consent_basis, n.consent_on, n.consent_source
        from inserted n join previous p on p.tenant_id = n.tenant_id and p.id = n.id
        where (n.email_consent, n.consent_basis, n.consent_on, n.consent_source)
              is distinct from (p.email_consent, p.consent_basis, p.consent_on, p.consent_source);
    end if;
    return null;
end
$$;

create trigger people_consent_recorded after insert on people
    referencing new table as inserted
    for each statement execute function maillage_record_consent_changes();
create trigger people_consent_changed after update on people
    referencing old table as previous new table as inserted
    for each statement execute function maillage_record_consent_changes();

-- The history starts with what is known today.
insert into consent_changes (tenant_id, person_id, changed_at, email_consent, consent_basis, consent_on,
                             consent_source)
select tenant_id, id, updated_at, email_consent, consent_basis, consent_on, consent_source
from people
where email_consent or consent_basis is not null or consent_on is not null or consent_source <> '';

-- A copy of everything held about a person, and their erasure, are entries of the audit
-- log: who asked, when, and (for an erasure) how much went, never what.
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check
    check (action in ('create', 'update', 'delete', 'restore', 'merge', 'access', 'erase'));

-- The emails sent to a person who is also a member belong to their copy.
grant select on reminders to maillage_core;

-- The audit log is append-only for the services; an erasure alone may blank the entries
-- that hold the person (their own, and any whose record before or after names them or
-- their id), keeping the fact of each change: who, when, what kind of record. Runs as
-- the owner, within the transaction's tenant only. `pattern` is a regular expression of
-- the person's names, addresses and numbers (see `replace_person_mentions`).
create function forget_people_in_audit_log(people uuid[], pattern text) returns bigint
    language plpgsql security definer set search_path = public, pg_temp as $$
declare
    tenant constant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    -- The ids and the pattern, one expression; none when there is nothing to look for
    -- (an empty expression would match every entry).
    matcher constant text := nullif(concat_ws('|', nullif(array_to_string(people, '|'), ''), pattern), '');
    blanked bigint;
begin
    if tenant is null then
        raise exception 'forget_people_in_audit_log runs in a tenant''s transaction';
    end if;
    update audit_log a set before = null, after = null
    where a.tenant_id = tenant
      and (a.before is not null or a.after is not null)
      and (a.record_id = any(people)
           or (matcher is not null and concat(a.before::text, ' ', a.after::text) ~* matcher));
    get diagnostics blanked = row_count;
    delete from outbox o where o.tenant_id = tenant and o.aggregate_id = any(people);
    return blanked;
end
$$;
revoke execute on function forget_people_in_audit_log(uuid[], text) from public;
grant execute on function forget_people_in_audit_log(uuid[], text) to maillage_core;

-- An erased person's names, addresses and numbers, wherever members wrote them in the
-- texts of other records, become « [personne effacée] »: `pattern` is a regular
-- expression of them, matched whatever the case. Records changed take a new version, so
-- that a form opened before cannot write the name back. Runs as the caller, within the
-- transaction's tenant; a table of new free text belongs in this list (the erasure test
-- looks for the person in every table).
create function replace_person_mentions(pattern text) returns bigint
language plpgsql set search_path = public, pg_temp as $$
declare
    tenant constant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    place record;
    assignments text;
    conditions text;
    changed bigint;
    total bigint := 0;
begin
    if tenant is null then
        raise exception 'replace_person_mentions runs in a tenant''s transaction';
    end if;
    for place in
        select * from (values
            ('people', array['notes'], array['custom'], true),
            ('organisations', array['notes'], array['custom'], true),
            ('affiliations', array['notes', 'role'], '{}'::text[], true),
            ('engagements', array['notes', 'campaign'], '{}', true),
            ('activities', array['subject', 'body'], '{}', true),
            ('projects', array['description'], '{}', true),
            ('partnerships', array['notes'], '{}', true),
            ('partnership_evaluations', array['objectives_set', 'objectives_reached', 'efficiency_notes',
                                              'effectiveness_notes', 'impact_notes'], '{}', true),
            ('reporting_deadlines', array['notes'], '{}', true),
            ('targets', array['notes'], '{}', true),
            ('target_stakeholders', array['prospect_name', 'our_reasons', 'their_reasons'], '{}', true),
            ('imports', '{}', array['examples'], false),
            ('import_items', '{}', array['before', 'after'], false)
        ) as p (table_name, texts, documents, versioned)
    loop
        select string_agg(assignment, ', '), string_agg(condition, ' or ')
          into assignments, conditions
          from (select format('%I = regexp_replace(%I, $1, ''[personne effacée]'', ''gi'')', c, c) as assignment,
                       format('%I ~* $1', c) as condition
                  from unnest(place.texts) as c
                union all
                select format('%I = regexp_replace(%I::text, $1, ''[personne effacée]'', ''gi'')::jsonb', c, c),
                       format('%I::text ~* $1', c)
                  from unnest(place.documents) as c) as columns;
        if place.versioned then
            assignments := assignments || ', version = version + 1';
        end if;
        execute format('update %I set %s where tenant_id = $2 and (%s)', place.table_name, assignments, conditions)
            using pattern, tenant;
        get diagnostics changed = row_count;
        total := total + changed;
    end loop;
    return total;
end
$$;
grant execute on function replace_person_mentions(text) to maillage_core;
