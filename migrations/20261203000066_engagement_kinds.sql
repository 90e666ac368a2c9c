-- Every engagement kind an association's income comes from: a grant first (the most
-- common), gifts in kind and bequests beside gifts of money. A grant, a gift in kind
-- or a bequest for a project funds it, as a gift or sponsorship does.
alter table engagements drop constraint engagements_kind_check;
alter table engagements add constraint engagements_kind_check
    check (kind in ('grant', 'donation', 'in_kind', 'bequest', 'membership_fee', 'sponsorship',
                    'volunteering', 'subscription', 'purchase'));

create or replace function network_ties(p_tenant_id uuid, p_on date)
returns table (source_kind text, source_id uuid, target_kind text, target_id uuid,
               relation text, since date, until date)
language sql stable set search_path = public, pg_temp as $$
    with ties as (
        -- A person affiliated to an organisation.
        select 'person' as source_kind, f.person_id as source_id,
               'organisation' as target_kind, f.organisation_id as target_id,
               'affiliated_to' as relation,
               coalesce(f.starts_on, f.created_at::date) as since, f.ends_on as until
        from affiliations f
        join people p on p.tenant_id = f.tenant_id and p.id = f.person_id and p.deleted_at is null
        join organisations o on o.tenant_id = f.tenant_id and o.id = f.organisation_id and o.deleted_at is null
        where f.tenant_id = p_tenant_id
        union all
        -- An organisation, partner in a partnership.
        select 'organisation', pp.organisation_id, 'partnership', s.id, 'partner_in',
               coalesce(s.starts_on, s.created_at::date),
               coalesce(s.ends_on, case when s.status = 'closed' then s.updated_at::date end)
        from partnership_partners pp
        join partnerships s on s.tenant_id = pp.tenant_id and s.id = pp.partnership_id and s.deleted_at is null
        join organisations o on o.tenant_id = pp.tenant_id and o.id = pp.organisation_id and o.deleted_at is null
        where pp.tenant_id = p_tenant_id
        union all
        -- An organisation or a partnership working on a project.
        select case when x.organisation_id is not null then 'organisation' else 'partnership' end,
               coalesce(x.organisation_id, x.partnership_id), 'project', j.id, 'works_on',
               coalesce(j.starts_on, j.created_at::date),
               coalesce(j.ends_on, case when j.status in ('completed', 'cancelled') then j.updated_at::date end)
        from project_partners x
        join projects j on j.tenant_id = x.tenant_id and j.id = x.project_id and j.deleted_at is null
        left join organisations o on o.tenant_id = x.tenant_id and o.id = x.organisation_id
        left join partnerships s on s.tenant_id = x.tenant_id and s.id = x.partnership_id
        where x.tenant_id = p_tenant_id
          and coalesce(o.deleted_at, s.deleted_at) is null
        union all
        -- An organisation funding a project (a grant, a gift or sponsorship for it), for the
        -- year after each payment.
        select 'organisation', e.organisation_id, 'project', e.project_id, 'funds',
               min(e.occurred_on), (max(e.occurred_on) + interval '1 year')::date
        from engagements e
        join projects j on j.tenant_id = e.tenant_id and j.id = e.project_id and j.deleted_at is null
        join organisations o on o.tenant_id = e.tenant_id and o.id = e.organisation_id and o.deleted_at is null
        where e.tenant_id = p_tenant_id and e.kind in ('grant', 'donation', 'in_kind', 'bequest', 'sponsorship')
        group by e.organisation_id, e.project_id
    )
    select * from ties
    where since <= p_on and (until is null or until >= p_on)
$$;
