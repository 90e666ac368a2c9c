-- The services run short queries: JIT compilation (hundreds of milliseconds when the
-- planner overestimates a scan) costs them more than it saves.
--
-- Set per database, not per role: a role's cluster-wide setting is one shared catalog
-- row, and databases migrated at the same time (parallel tests) would update it
-- concurrently ("tuple concurrently updated"). One row per (role, database) never
-- collides, and leaves other databases of the cluster as their operators set them.
do $$
declare
    r text;
begin
    foreach r in array array['maillage_gateway', 'maillage_core', 'maillage_notification'] loop
        execute format('alter role %I in database %I set jit = off', r, current_database());
    end loop;
end
$$;
