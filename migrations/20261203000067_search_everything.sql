-- Search finds partnerships, reporting deadlines and activities too (by their title or
-- subject, and by the beginning of their notes), and a word of a record's name or title ranks above a
-- word of its email or notes: "contrat" finds the partnership "Contrat de ville" before
-- an organisation whose email starts with "contact@" (which it found, near miss, when
-- partnerships were not searched).
--
-- Each word of search_terms says whether it is a word of the record's label
-- (label_rank 0) or of the rest (1), and the index reads label words first: a prefix
-- is two ranges of it, each read from its start (see search/terms.rs).

-- Of notes, their beginning: each word's index entry holds all its record's words,
-- and an entry must fit in a page of the index (about 2,700 bytes), where a whole note
-- (up to 50,000 characters) would not.
alter table partnerships
    add column search_text text generated always as
        (maillage_search_text(title || ' ' || left(notes, 500))) stored;
alter table reporting_deadlines
    add column search_text text generated always as
        (maillage_search_text(title || ' ' || left(notes, 500))) stored;
alter table activities
    add column search_text text generated always as
        (maillage_search_text(subject || ' ' || left(body, 500))) stored;

alter table search_terms drop constraint search_terms_kind_check;
alter table search_terms add constraint search_terms_kind_check
    check (record_kind in ('person', 'organisation', 'project', 'partnership', 'deadline', 'activity'));

-- A record's label as searched, from its row as JSON: a person by family name first.
create function maillage_search_label(kind text, j jsonb) returns text
    language sql immutable parallel safe strict
    return maillage_search_text(case kind
        when 'person' then concat_ws(' ', j ->> 'family_name', j ->> 'given_name')
        when 'partnership' then j ->> 'title'
        when 'deadline' then j ->> 'title'
        when 'activity' then j ->> 'subject'
        else j ->> 'name'
    end);

-- 0 for a word of the label (searchable as the label is), 1 for another.
create function maillage_label_rank(word text, label text) returns smallint
    language sql immutable parallel safe strict
    return case when maillage_spaced_words(label) || ' ' like '% ' || word || ' %' then 0 else 1 end;

alter table search_terms add column label_rank smallint not null default 1;
update search_terms set label_rank = maillage_label_rank(term, rank_key);
alter table search_terms alter column label_rank drop default;
alter table search_terms drop constraint search_terms_pkey;
alter table search_terms
    add primary key (tenant_id, label_rank, term, rank_key, record_kind, record_id) include (words);

-- A record's words are removed by the record (when it changes, goes to the bin or is
-- deleted): without an index on it, each removal read every word of the workspace, and
-- undoing an import of 5,000 people read them 5,000 times (over 30 s).
create index search_terms_record_idx on search_terms (tenant_id, record_id);

-- A record's words, kept by the writer of the record (the record kind is the
-- trigger's argument). Deadlines and activities are deleted, not binned: a record
-- without `deleted_at` is always live.
create or replace function maillage_index_search_terms() returns trigger
language plpgsql as $$
declare
    kind constant text := tg_argv[0];
    label text;
    words text;
begin
    if tg_op in ('UPDATE', 'DELETE') then
        delete from search_terms
        where tenant_id = old.tenant_id and record_kind = kind and record_id = old.id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and to_jsonb(new) ->> 'deleted_at' is null then
        label := maillage_search_label(kind, to_jsonb(new));
        words := maillage_spaced_words(new.search_text);
        insert into search_terms (tenant_id, label_rank, term, rank_key, record_kind, record_id, words)
        select new.tenant_id, maillage_label_rank(word, label), word, label, kind, new.id, words
        from maillage_words(new.search_text) as word;
        insert into search_vocabulary (tenant_id, term)
        select new.tenant_id, word from maillage_words(new.search_text) as word
        where maillage_may_be_mistyped(word)
        on conflict do nothing;
    end if;
    return null;
end
$$;

-- The same for records inserted many at once, in one statement.
create or replace function maillage_index_inserted_search_terms() returns trigger
language plpgsql as $$
declare
    indexed_kind constant text := tg_argv[0];
begin
    with records as materialized (
        select n.tenant_id, n.id, n.search_text, maillage_search_label(indexed_kind, j) as rank_key
        from inserted n cross join lateral to_jsonb(n) as j
        where j ->> 'deleted_at' is null
    ), terms as materialized (
        select r.tenant_id, r.id, r.rank_key, word
        from records r cross join lateral maillage_words(r.search_text) as word
    ), indexed as (
        -- The spaced words as maillage_spaced_words writes them: a space, then each word.
        insert into search_terms (tenant_id, label_rank, term, rank_key, record_kind, record_id, words)
        select tenant_id, maillage_label_rank(word, rank_key), word, rank_key, indexed_kind, id,
               ' ' || string_agg(word, ' ') over (partition by id)
        from terms
    )
    insert into search_vocabulary (tenant_id, term)
    select distinct tenant_id, word from terms
    where maillage_may_be_mistyped(word)
    on conflict do nothing;
    return null;
end
$$;

do $$
declare
    t record;
begin
    for t in select * from (values ('partnerships', 'partnership'), ('reporting_deadlines', 'deadline'),
                                   ('activities', 'activity')) as v (tab, kind) loop
        execute format('create trigger %I after insert on %I referencing new table as inserted
                        for each statement execute function maillage_index_inserted_search_terms(%L)',
                       t.tab || '_search_terms_inserted', t.tab, t.kind);
        execute format('create trigger %I after delete on %I
                        for each row execute function maillage_index_search_terms(%L)',
                       t.tab || '_search_terms_deleted', t.tab, t.kind);
        execute format('create trigger %I after update on %I
                        for each row when (old.search_text is distinct from new.search_text
                                           or (to_jsonb(old) ->> ''deleted_at'' is null)
                                              <> (to_jsonb(new) ->> ''deleted_at'' is null))
                        execute function maillage_index_search_terms(%L)',
                       t.tab || '_search_terms_changed', t.tab, t.kind);
    end loop;
end
$$;

-- The records there are, as the triggers would have indexed them.
insert into search_terms (tenant_id, label_rank, term, rank_key, record_kind, record_id, words)
select r.tenant_id, maillage_label_rank(word, r.label), word, r.label, r.kind, r.id,
       maillage_spaced_words(r.search_text)
from (
    select tenant_id, id, 'partnership' as kind, maillage_search_text(title) as label, search_text
    from partnerships where deleted_at is null
    union all
    select tenant_id, id, 'deadline', maillage_search_text(title), search_text from reporting_deadlines
    union all
    select tenant_id, id, 'activity', maillage_search_text(subject), search_text from activities
) r cross join lateral maillage_words(r.search_text) as word;

insert into search_vocabulary (tenant_id, term)
select distinct tenant_id, term from search_terms
where record_kind in ('partnership', 'deadline', 'activity') and maillage_may_be_mistyped(term)
on conflict do nothing;
