-- Projects are found by name in the same search as people and organisations.
alter table projects
    add column search_text text generated always as
        (maillage_search_text(name || ' ' || territory)) stored,
    add column search_tsv tsvector generated always as
        (to_tsvector('simple', maillage_search_text(name || ' ' || territory))) stored;
create index projects_search_tsv_idx on projects using gin (tenant_id, search_tsv);
create index projects_search_trgm_idx on projects using gin (tenant_id, search_text gin_trgm_ops);
