-- An organisation's sector (social, culture, sport, housing…) and the territory it
-- covers (a district, a town, a département): both free text, filterable.
alter table organisations
    add column sector text not null default '',
    add column territory text not null default '';
