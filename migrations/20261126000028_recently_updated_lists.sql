-- Lists sorted by last change (`sort=-updated_at`), most recent first: one index each,
-- so that a page of a long list costs what a page of a short one does.
create index people_updated_idx on people (tenant_id, updated_at desc, id desc);
create index organisations_updated_idx on organisations (tenant_id, updated_at desc, id desc);
create index projects_updated_idx on projects (tenant_id, updated_at desc, id desc);
create index partnerships_updated_idx on partnerships (tenant_id, updated_at desc, id desc);
