-- Search over people and organisations: accent- and case-insensitive ("Hélène" finds
-- "helene"), by word prefix, ranked; typos are caught by a second, trigram pass.

create extension if not exists unaccent;
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes
-- the result fixed, which generated columns and indexes require.
create function maillage_unaccent(value text) returns text
    language sql immutable parallel safe strict
    return public.unaccent('public.unaccent'::regdictionary, value);

-- The text a record is found by: lower case, no accents.
create function maillage_search_text(value text) returns text
    language sql immutable parallel safe strict
    return lower(maillage_unaccent(value));

-- "hél dur" → 'hel':* & 'dur':* ; every word is a prefix, all must match.
create function maillage_prefix_query(query text) returns tsquery
    language sql immutable parallel safe strict
    return (
        select coalesce(to_tsquery('simple', string_agg(quote_literal(word) || ':*', ' & ')), ''::tsquery)
        from regexp_split_to_table(maillage_search_text(query), '[^[:alnum:]]+') as word
        where word <> ''
    );

alter table people
    add column search_text text generated always as
        (maillage_search_text(given_name || ' ' || family_name || ' ' || coalesce(email, ''))) stored,
    add column search_tsv tsvector generated always as
        (to_tsvector('simple', maillage_search_text(given_name || ' ' || family_name || ' ' || coalesce(email, '')))) stored;
alter table organisations
    add column search_text text generated always as
        (maillage_search_text(name || ' ' || coalesce(email, ''))) stored,
    add column search_tsv tsvector generated always as
        (to_tsvector('simple', maillage_search_text(name || ' ' || coalesce(email, '')))) stored;

-- tenant_id leads each index (btree_gin), so one tenant's rows are all the index reads.
create index people_search_tsv_idx on people using gin (tenant_id, search_tsv);
create index people_search_trgm_idx on people using gin (tenant_id, search_text gin_trgm_ops);
create index organisations_search_tsv_idx on organisations using gin (tenant_id, search_tsv);
create index organisations_search_trgm_idx on organisations using gin (tenant_id, search_text gin_trgm_ops);

-- Under FORCE ROW LEVEL SECURITY, PostgreSQL evaluates a condition before the tenant
-- policy only if its functions are LEAKPROOF; otherwise the search condition cannot use
-- the index and every row of the tenant is scanned (measured: 136-184 ms instead of
-- 3-12 ms for a tenant of 300,000 people, see STACK-NOTES.md). These functions compare
-- a row's own text with the query and raise no error that depends on the row's data,
-- so they reveal nothing about rows the policy would hide: we mark them LEAKPROOF.
-- That takes a superuser; without one, search stays correct but slower, and says so.
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        alter function ts_match_vq(tsvector, tsquery) leakproof;
        alter function word_similarity_op(text, text) leakproof;
        alter function word_similarity_commutator_op(text, text) leakproof;
    else
        raise notice 'not a superuser: search functions not marked LEAKPROOF; search will scan each tenant';
    end if;
end
$$;
