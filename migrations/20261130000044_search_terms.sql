-- Search that stays fast in a large workspace. Through the GIN index of search_tsv, a
-- broad prefix expanded into every word of the tenant that starts with it (each email
-- is a word of its own), and every match was scored before the first page was kept:
-- in a workspace of 300,000 people, "m" took 710 ms, "mar" 351 ms, and the typo pass
-- ("durnad") 314 ms, reading the tenant's trigrams (`make bench`).
--
-- Here each word a record is found by is a row, in the order a search reads them: a
-- prefix is a range of that index, read from its start, so the first page is found
-- after a few dozen entries however many match. Each row also carries all the words of
-- its record, in the index, so that the other words of the query are checked on the
-- entry itself, without another lookup: "jean mar" reads the entries of "jean" until
-- enough also hold a word starting with "mar". Within a word, records come in the
-- order of their label. The words are those of search_text (no accents, lower case,
-- split on anything that is not a letter or a digit), kept by the trigger below; a
-- record in the bin has none.
create table search_terms (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    term         text collate "C" not null,
    -- The record's label as searched (family name first for a person): the order of
    -- the records that share a word.
    rank_key     text collate "C" not null,
    record_kind  text not null
                     constraint search_terms_kind_check check (record_kind in ('person', 'organisation', 'project')),
    record_id    uuid not null,
    -- All the record's words, each after a space: " camille durand camille34 exemple fr".
    words        text collate "C" not null,
    primary key (tenant_id, term, rank_key, record_kind, record_id) include (words)
);

-- The words of a tenant one may mistype, for the typo pass: the word nearest to one that
-- finds nothing ("durnad" → "durand") is looked up by trigram distance in the tenant's
-- part of the index, instead of comparing the query with every record; and, for short
-- words trigrams tell apart badly ("jaen"), by edit distance among the words with the
-- same first letter (fuzzystrmatch's levenshtein). Words of three
-- letters or more without a digit: a number in an email ("martin75") is not misspelt,
-- and would make the vocabulary as large as the workspace. Words are not removed when
-- their last record goes: the typo pass checks that a correction still finds one.
create extension if not exists fuzzystrmatch;

create table search_vocabulary (
    tenant_id  uuid not null references tenants (id) on delete cascade,
    term       text collate "C" not null,
    primary key (tenant_id, term)
);
create index search_vocabulary_trgm_idx on search_vocabulary using gist (tenant_id, term gist_trgm_ops);

do $$
declare
    t text;
begin
    foreach t in array array['search_terms', 'search_vocabulary'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                          using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                          with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    end loop;
end
$$;

grant select, insert, delete on search_terms to maillage_core;
grant select, insert on search_vocabulary to maillage_core;

-- The words of a search_text, or of a query once made searchable.
create function maillage_words(searchable text) returns setof text
    language sql immutable parallel safe strict as $$
        select distinct word
        from regexp_split_to_table(searchable, '[^[:alnum:]]+') as word
        where word <> ''
    $$;

-- Whether a word goes into the vocabulary of the typo pass.
create function maillage_may_be_mistyped(word text) returns boolean
    language sql immutable parallel safe strict
    return word ~ '^[^[:digit:]]{3,}$';

-- A record's words as search_terms.words holds them.
create function maillage_spaced_words(searchable text) returns text
    language sql immutable parallel safe strict
    return coalesce(' ' || (select string_agg(word, ' ') from maillage_words(searchable) as word), '');

-- A query's words, in the order typed: "Hél dur" → {hel, dur}.
create function maillage_query_words(query text) returns text[]
    language sql immutable parallel safe strict
    return array(select word
                 from regexp_split_to_table(maillage_search_text(query), '[^[:alnum:]]+')
                      with ordinality as w (word, n)
                 where word <> ''
                 order by n);

-- Keeps a record's words: the record kind is the trigger's argument. Written by the
-- writer of the record, in its transaction (and tenant).
create function maillage_index_search_terms() returns trigger
language plpgsql as $$
declare
    kind constant text := tg_argv[0];
    rank_key text;
    words text;
begin
    if tg_op in ('UPDATE', 'DELETE') then
        delete from search_terms
        where tenant_id = old.tenant_id and record_kind = kind and record_id = old.id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.deleted_at is null then
        rank_key := case kind
            when 'person' then maillage_search_text(concat_ws(' ', to_jsonb(new) ->> 'family_name', to_jsonb(new) ->> 'given_name'))
            else maillage_search_text(to_jsonb(new) ->> 'name')
        end;
        words := maillage_spaced_words(new.search_text);
        insert into search_terms (tenant_id, term, rank_key, record_kind, record_id, words)
        select new.tenant_id, word, rank_key, kind, new.id, words
        from maillage_words(new.search_text) as word;
        insert into search_vocabulary (tenant_id, term)
        select new.tenant_id, word from maillage_words(new.search_text) as word
        where maillage_may_be_mistyped(word)
        on conflict do nothing;
    end if;
    return null;
end
$$;

do $$
declare
    t record;
begin
    for t in select * from (values ('people', 'person'), ('organisations', 'organisation'), ('projects', 'project')) as v (tab, kind) loop
        execute format('create trigger %I after insert or delete on %I
                        for each row execute function maillage_index_search_terms(%L)',
                       t.tab || '_search_terms', t.tab, t.kind);
        execute format('create trigger %I after update on %I
                        for each row when (old.search_text is distinct from new.search_text
                                           or (old.deleted_at is null) <> (new.deleted_at is null))
                        execute function maillage_index_search_terms(%L)',
                       t.tab || '_search_terms_changed', t.tab, t.kind);
    end loop;
end
$$;

-- The records there are, as the trigger would have indexed them.
insert into search_terms (tenant_id, term, rank_key, record_kind, record_id, words)
select p.tenant_id, word, maillage_search_text(concat_ws(' ', p.family_name, p.given_name)), 'person', p.id,
       maillage_spaced_words(p.search_text)
from people p cross join lateral maillage_words(p.search_text) as word
where p.deleted_at is null
union all
select o.tenant_id, word, maillage_search_text(o.name), 'organisation', o.id, maillage_spaced_words(o.search_text)
from organisations o cross join lateral maillage_words(o.search_text) as word
where o.deleted_at is null
union all
select j.tenant_id, word, maillage_search_text(j.name), 'project', j.id, maillage_spaced_words(j.search_text)
from projects j cross join lateral maillage_words(j.search_text) as word
where j.deleted_at is null;

insert into search_vocabulary (tenant_id, term)
select distinct tenant_id, term from search_terms where maillage_may_be_mistyped(term);

-- What the old passes read, which nothing reads any more.
alter table people drop column search_tsv;
alter table organisations drop column search_tsv;
alter table projects drop column search_tsv;
drop index people_search_trgm_gist;
drop index organisations_search_trgm_gist;
drop index projects_search_trgm_gist;
drop function maillage_tenant_prefix_query(uuid, text);
drop function maillage_search_words(uuid, text);
drop function maillage_tenant_key(uuid);
