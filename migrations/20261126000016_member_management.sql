-- Tenant admins manage members through the gateway: invite, change roles, remove.
grant update, delete on memberships to maillage_gateway;
grant insert, delete on invitations to maillage_gateway;
grant select on users to maillage_gateway;
