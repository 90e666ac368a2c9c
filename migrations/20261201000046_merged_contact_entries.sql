-- Merging two records of one person or organisation keeps the survivor's emails and
-- phones and adds the duplicate's that it lacks (compared without case), none of them
-- primary: one rule, written once for both kinds.
create function merged_contact_entries(kept jsonb, other jsonb, key text) returns jsonb
language sql immutable parallel safe as $$
    select case when jsonb_array_length(kept) = 0 then other
                else kept || (select coalesce(jsonb_agg(e || '{"primary": false}'::jsonb), '[]'::jsonb)
                              from jsonb_array_elements(other) e
                              where not exists (select 1 from jsonb_array_elements(kept) x
                                                where lower(x->>key) = lower(e->>key)))
           end
$$;
