-- Several emails and phones, one of each marked primary; a postal address; and, for
-- people, consent to be contacted by email (GDPR: legal basis, date, source).
-- The `email` and `phone` columns keep the primary ones, for search and sending.
alter table people
    add column emails jsonb not null default '[]',
    add column phones jsonb not null default '[]',
    add column address jsonb,
    add column email_consent boolean not null default false,
    add column consent_basis text constraint people_consent_basis_check check (consent_basis in
        ('consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest')),
    add column consent_on date,
    add column consent_source text not null default '';
alter table organisations
    add column emails jsonb not null default '[]',
    add column phones jsonb not null default '[]',
    add column address jsonb;

update people set
    emails = case when email is null then '[]'::jsonb
                  else jsonb_build_array(jsonb_build_object('address', email, 'label', '', 'primary', true)) end,
    phones = case when phone is null then '[]'::jsonb
                  else jsonb_build_array(jsonb_build_object('number', phone, 'label', '', 'primary', true)) end;
update organisations set
    emails = case when email is null then '[]'::jsonb
                  else jsonb_build_array(jsonb_build_object('address', email, 'label', '', 'primary', true)) end,
    phones = case when phone is null then '[]'::jsonb
                  else jsonb_build_array(jsonb_build_object('number', phone, 'label', '', 'primary', true)) end;
