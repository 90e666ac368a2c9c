-- The bin lists a tenant's deleted people, organisations, projects and partnerships,
-- most recently deleted first. Partial indexes hold only what is in it: small, and no
-- cost to the live records' writes beyond a deletion or a restoration.
create index people_in_bin on people (tenant_id, deleted_at desc, id desc) where deleted_at is not null;
create index organisations_in_bin on organisations (tenant_id, deleted_at desc, id desc) where deleted_at is not null;
create index projects_in_bin on projects (tenant_id, deleted_at desc, id desc) where deleted_at is not null;
create index partnerships_in_bin on partnerships (tenant_id, deleted_at desc, id desc) where deleted_at is not null;
