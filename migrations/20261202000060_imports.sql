-- Imports of spreadsheets and CSV files: the file kept while it is needed, what the dry
-- run found, and every record the import created or changed, so that it can be undone
-- as a whole. The work itself runs in core-records' importers, woken through Redis and
-- finding here what is left to do.
create table imports (
    tenant_id          uuid not null references tenants (id) on delete cascade,
    id                 uuid not null,
    file_name          text not null,
    file_bytes         bigint not null,
    status             text not null check (status in ('checking', 'checked', 'refused', 'queued',
                                                       'running', 'done', 'failed', 'undoing', 'undone')),
    -- "CSV, Windows-1252, séparateur « ; »", and the export it was recognised as.
    file_shape         text,
    recognised_source  text,
    error              text,
    headers            text[] not null default '{}',
    -- A few values of each column, to recognise it in the mapping form.
    examples           jsonb not null default '[]',
    -- The field each column fills ('' for none), in the file's order.
    mapping            text[] not null default '{}',
    -- For a row whose person looks like one already there; per row in import_duplicates.
    duplicates         text not null default 'match' check (duplicates in ('match', 'create', 'skip')),
    counts             jsonb not null default '{}',
    -- Rows read by the current step, for its progress; the run's last committed line, to
    -- resume after a crash.
    progress_rows      bigint not null default 0,
    committed_line     bigint not null default 0,
    totals_before      jsonb,
    totals_after       jsonb,
    created_by         uuid not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- When an importer last showed it was working on it: one silent for too long (a
    -- crash) leaves it to another.
    claimed_at         timestamptz,
    finished_at        timestamptz,
    undone_at          timestamptz,
    primary key (tenant_id, id)
);
create index imports_created_idx on imports (tenant_id, created_at desc, id);
create index imports_waiting_idx on imports (claimed_at)
    where status in ('checking', 'queued', 'running', 'undoing');

-- The file, in parts of a mebibyte, while the import may still read it.
create table import_file_parts (
    tenant_id  uuid not null,
    import_id  uuid not null,
    part       integer not null,
    bytes      bytea not null,
    primary key (tenant_id, import_id, part),
    constraint import_file_parts_import_fkey foreign key (tenant_id, import_id)
        references imports (tenant_id, id) on delete cascade
);

-- The rows the import cannot take, with the row as read, for rejected.csv.
create table import_problems (
    tenant_id    uuid not null,
    import_id    uuid not null,
    line         bigint not null,
    column_name  text,
    reason       text not null,
    cells        text[] not null,
    primary key (tenant_id, import_id, line),
    constraint import_problems_import_fkey foreign key (tenant_id, import_id)
        references imports (tenant_id, id) on delete cascade
);

-- Rows whose person looks like someone already in the records, and what to do with each
-- (none: the import's default).
create table import_duplicates (
    tenant_id    uuid not null,
    import_id    uuid not null,
    line         bigint not null,
    row_name     text not null,
    person_id    uuid not null,
    person_name  text not null,
    decision     text check (decision in ('match', 'create', 'skip')),
    primary key (tenant_id, import_id, line),
    constraint import_duplicates_import_fkey foreign key (tenant_id, import_id)
        references imports (tenant_id, id) on delete cascade
);

-- What the run created (before is null) or changed (before: the columns as they were,
-- after: as the import left them), to undo it. A tag put on a record names both.
create table import_items (
    tenant_id    uuid not null,
    import_id    uuid not null,
    id           uuid not null,
    record_type  text not null check (record_type in ('person', 'organisation', 'affiliation',
                                                      'tag', 'person_tag', 'organisation_tag')),
    record_id    uuid not null,
    tag_id       uuid,
    before       jsonb,
    after        jsonb,
    primary key (tenant_id, id),
    constraint import_items_import_fkey foreign key (tenant_id, import_id)
        references imports (tenant_id, id) on delete cascade
);
create index import_items_import_idx on import_items (tenant_id, import_id, record_type);

do $$
declare
    t text;
begin
    foreach t in array array['imports', 'import_file_parts', 'import_problems', 'import_duplicates',
                             'import_items'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                           with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, update, delete on imports, import_file_parts, import_problems,
    import_duplicates, import_items to maillage_core;
-- An undone import forgets the words only its records had (and an erasure will too).
grant delete on search_vocabulary to maillage_core;

-- The importers find waiting work across tenants only as core-records AND inside a
-- 'platform-scan' transaction; the work itself runs tenant-scoped.
create policy core_scan_select on imports for select to maillage_core
    using (current_setting('app.scope', true) = 'platform-scan');

-- The planner's statistics of the tables an import fills. An import into a new workspace
-- grows them from nothing in seconds, faster than autovacuum follows: planned as nearly
-- empty, its lookups would read every row of the tenant for every batch. The importer
-- refreshes them as the tables double; only the tables' owner may, hence a function
-- that runs as its owner, which does nothing else.
create function refresh_record_statistics() returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
begin
    analyze people, organisations, affiliations, tags, person_tags, organisation_tags;
end
$$;
revoke execute on function refresh_record_statistics() from public;
grant execute on function refresh_record_statistics() to maillage_core;

-- What imports look records up by: an email, a person's name, an organisation's name,
-- accents and case aside.
create index people_email_key_idx on people (tenant_id, lower(email)) where deleted_at is null;
create index people_name_key_idx on people (tenant_id, maillage_search_text(given_name || ' ' || family_name))
    where deleted_at is null;
create index organisations_name_key_idx on organisations (tenant_id, maillage_search_text(name))
    where deleted_at is null;

-- Records written many at once (an import's thousand rows in one statement) index their
-- words in one statement too: a trigger per statement reads the rows inserted as a
-- table, where one per row ran its statements a thousand times. Changes and deletions
-- keep the trigger per row.
create function maillage_index_inserted_search_terms() returns trigger
language plpgsql as $$
declare
    indexed_kind constant text := tg_argv[0];
begin
    insert into search_terms (tenant_id, term, rank_key, record_kind, record_id, words)
    select n.tenant_id, word,
           case indexed_kind
               when 'person' then maillage_search_text(concat_ws(' ', to_jsonb(n) ->> 'family_name', to_jsonb(n) ->> 'given_name'))
               else maillage_search_text(to_jsonb(n) ->> 'name')
           end,
           indexed_kind, n.id, maillage_spaced_words(n.search_text)
    from inserted n cross join lateral maillage_words(n.search_text) as word
    where n.deleted_at is null;
    insert into search_vocabulary (tenant_id, term)
    select distinct n.tenant_id, word
    from inserted n cross join lateral maillage_words(n.search_text) as word
    where n.deleted_at is null and maillage_may_be_mistyped(word)
    on conflict do nothing;
    return null;
end
$$;

do $$
declare
    t record;
begin
    for t in select * from (values ('people', 'person'), ('organisations', 'organisation'), ('projects', 'project')) as v (tab, kind) loop
        execute format('drop trigger %I on %I', t.tab || '_search_terms', t.tab);
        execute format('create trigger %I after insert on %I referencing new table as inserted
                        for each statement execute function maillage_index_inserted_search_terms(%L)',
                       t.tab || '_search_terms_inserted', t.tab, t.kind);
        execute format('create trigger %I after delete on %I
                        for each row execute function maillage_index_search_terms(%L)',
                       t.tab || '_search_terms_deleted', t.tab, t.kind);
    end loop;
end
$$;
