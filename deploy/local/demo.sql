-- What a newcomer finds in the demo workspace after `make run`: a few people and
-- organisations, a partnership, a project with its milestones and budget, a report due
-- in three weeks. Run as the database owner, once: nothing is written if the workspace
-- already holds people. (Activities and evaluations name their author, a member: they
-- are left to the newcomer, who becomes a member at first login.)
do $$
declare
    t uuid := (select id from tenants where slug = 'demo');
    region uuid := gen_random_uuid();
    town uuid := gen_random_uuid();
    mjc uuid := gen_random_uuid();
    bakery uuid := gen_random_uuid();
    helene uuid := gen_random_uuid();
    noel uuid := gen_random_uuid();
    fatima uuid := gen_random_uuid();
    contract uuid := gen_random_uuid();
    gardens uuid := gen_random_uuid();
    report uuid := gen_random_uuid();
    volunteer uuid := gen_random_uuid();
begin
    if t is null or exists (select 1 from people where tenant_id = t) then
        return;
    end if;

    insert into organisations (tenant_id, id, name, kind, sector, territory, website, email, emails) values
        (t, region, 'Région Occitanie', 'funder', 'Collectivité', 'Occitanie', 'https://www.laregion.fr',
         'subventions@region.example', '[{"address": "subventions@region.example", "label": "", "primary": true}]'),
        (t, town, 'Mairie de Toulouse', 'public_body', 'Collectivité', 'Toulouse', null, null, '[]'),
        (t, mjc, 'MJC du Nord', 'association', 'Éducation populaire', 'Quartier Nord', null,
         'contact@mjc-nord.example', '[{"address": "contact@mjc-nord.example", "label": "", "primary": true}]'),
        (t, bakery, 'Boulangerie Martin', 'company', 'Commerce', 'Quartier Nord', null, null, '[]');

    insert into people (tenant_id, id, given_name, family_name, email, emails, phone, phones, address,
                        email_consent, consent_basis, consent_on, consent_source) values
        (t, helene, 'Hélène', 'Durand', 'helene.durand@region.example',
         '[{"address": "helene.durand@region.example", "label": "travail", "primary": true}]',
         '05 61 00 00 01', '[{"number": "05 61 00 00 01", "label": "bureau", "primary": true}]', null,
         true, 'legitimate_interest', current_date - 200, 'Réunion de lancement'),
        (t, noel, 'Noël', 'Girard', 'noel.girard@example.org',
         '[{"address": "noel.girard@example.org", "label": "perso", "primary": true}]', null, '[]',
         '{"street": "3 rue des Lilas", "postal_code": "31200", "city": "Toulouse", "country": "FR"}',
         true, 'consent', current_date - 90, 'Formulaire d''adhésion'),
        (t, fatima, 'Fatima', 'Benali', null, '[]', null, '[]', null, false, null, null, '');

    insert into affiliations (tenant_id, id, person_id, organisation_id, role, starts_on) values
        (t, gen_random_uuid(), helene, region, 'Chargée de mission politique de la ville', date '2024-09-01'),
        (t, gen_random_uuid(), noel, mjc, 'Animateur', date '2025-09-01');

    insert into tags (tenant_id, id, name) values (t, volunteer, 'Bénévole');
    insert into person_tags (tenant_id, tag_id, person_id) values (t, volunteer, noel), (t, volunteer, fatima);

    insert into partnerships (tenant_id, id, title, kind, status, starts_on, ends_on, next_evaluation_on, agreement) values
        (t, contract, 'Contrat de ville 2026-2028', 'funding', 'active', date '2026-01-01', date '2028-12-31',
         current_date + 60,
         '{"purpose": "Animer la vie du quartier Nord avec ses habitants.",
           "shared_values": "Solidarité, participation des habitants.",
           "roles": "La Région finance ; l''association anime et rend compte.",
           "phasing": "Diagnostic en 2026, actions en 2027, bilan en 2028.",
           "means": "Deux animateurs, un local prêté par la mairie.",
           "budget": {"amount_cents": 4500000, "currency": "EUR"},
           "regulation_mode": "Comité de pilotage chaque trimestre.",
           "evaluation_method": "Bilan annuel avec indicateurs de participation."}');
    insert into partnership_partners (tenant_id, partnership_id, organisation_id, role) values
        (t, contract, region, 'financeur'),
        (t, contract, town, 'soutien logistique');

    insert into projects (tenant_id, id, name, description, status, target_population, territory, starts_on, ends_on) values
        (t, gardens, 'Jardins partagés', 'Des parcelles cultivées ensemble au pied des immeubles.', 'running',
         'Familles du quartier', 'Quartier Nord', date '2026-03-01', date '2027-02-28');
    insert into project_milestones (tenant_id, id, project_id, phase, title, due_on, done_on) values
        (t, gen_random_uuid(), gardens, 'Diagnostic', 'Réunion publique', date '2026-04-15', date '2026-04-15'),
        (t, gen_random_uuid(), gardens, 'Mise en œuvre', 'Fête de la récolte', current_date + 45, null);
    insert into project_budget_lines (tenant_id, id, project_id, label, planned_cents, actual_cents) values
        (t, gen_random_uuid(), gardens, 'Outils et semences', 150000, 98050),
        (t, gen_random_uuid(), gardens, 'Animation', 600000, 250000);
    insert into project_partners (tenant_id, id, project_id, organisation_id, partnership_id, role) values
        (t, gen_random_uuid(), gardens, null, contract, 'cadre'),
        (t, gen_random_uuid(), gardens, mjc, null, 'co-animation');

    insert into engagements (tenant_id, id, kind, person_id, organisation_id, project_id, amount_cents, currency,
                             minutes, occurred_on, campaign) values
        (t, gen_random_uuid(), 'donation', fatima, null, null, 5000, 'EUR', null, current_date - 30, 'Appel de printemps'),
        (t, gen_random_uuid(), 'volunteering', noel, null, gardens, null, null, 150, current_date - 10, ''),
        (t, gen_random_uuid(), 'sponsorship', null, bakery, gardens, 30000, 'EUR', null, current_date - 60, '');

    insert into reporting_deadlines (tenant_id, id, title, funder_id, partnership_id, project_id, due_at, notes) values
        (t, report, 'Bilan intermédiaire du contrat de ville', region, contract, gardens,
         (current_date + 21 + time '17:00') at time zone 'Europe/Paris',
         'Joindre les feuilles de présence des ateliers.');
    -- The notification service plans a deadline's reminders when it hears of it.
    insert into outbox (tenant_id, id, topic, aggregate_id) values (t, gen_random_uuid(), 'deadline.changed', report);
end
$$;
