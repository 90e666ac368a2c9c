-- The services run short queries: JIT compilation (hundreds of milliseconds when the
-- planner overestimates a scan) costs them more than it saves.
alter role maillage_gateway set jit = off;
alter role maillage_core set jit = off;
alter role maillage_notification set jit = off;
