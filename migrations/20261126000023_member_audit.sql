-- Inviting, changing a role and removing a member are written to the tenant's audit
-- log, by the gateway that does them, in the same transaction.
grant insert on audit_log to maillage_gateway;
