# The search page.
search-title = Search
search-title-query = Search “{ $query }”
search-results-for = Results for “{ $query }”
search-refused = To search, { $reason }.
search-nothing = No record matches. Check the spelling, or try the beginning of a name.
search-approximate = No exact result: here are the closest.
search-how = Type the beginning of the name of a person, an organisation, a project, a partnership, a deadline or an activity in the search field at the top of the page. Accents and typos are forgiven.
search-group-activities = Activities
