# The lists of records, and what every list shares: order, filter, export, next page.
list-next-page = Next page
list-filtered = Filtered: { $filter }
list-show-all = Show all
list-sort = Sort:
list-by-name = by name
list-recent-first = recently changed first
list-export = Export:
list-export-xlsx = Excel (XLSX)
list-export-csv = CSV
list-import = Import a file
column-name = Name
column-email = Email
column-phone = Phone
column-kind = Type
column-website = Website
people-title = People
people-added = The person has been added.
people-erased = The person has been erased from the workspace, everywhere they appeared. The log keeps a trace of the erasure, without their data.
people-add = Add a person
people-none = No person yet.
organisations-title = Organisations
organisations-added = The organisation has been added.
organisations-add = Add an organisation
organisations-none = No organisation yet.
list-by-title = by title
list-recent-first-masculine = recently changed first
column-status = Status
column-period = Period
column-territory = Territory
deadlines-title = Deadlines
deadlines-heading = Reporting deadlines
deadlines-none-filtered = No deadline matches this filter.
deadlines-none = No deadline yet.
deadlines-export = Export:
deadlines-export-filtered = Export with this filter:
column-report = Report
column-funder = Funder
column-due = Due on
deadline-status-upcoming = Upcoming
deadline-status-late = Late
deadline-status-submitted = Submitted
deadline-status-waived = Cancelled
projects-title = Projects
projects-add = Add a project
projects-none = No project yet.
column-project = Project
column-planned-budget = Planned budget
partnerships-title = Partnerships
partnerships-add = Add a partnership
partnerships-none = No partnership yet.
column-partnership = Partnership
column-partners = Partners
period-between = { $start } to { $end }
period-from = since { $start }
period-until = until { $end }

## Lists as a CRM's: the filter bar, saved views, columns, actions on a selection.
column-organisation = Organisation
column-city = Town
column-consent = Email consent
column-updated = Changed on
column-sector = Sector
column-owner = Owner
column-tag = Tag
list-filters = Filter the list
list-filter-apply = Filter
list-filter-all = All
list-filter-all-feminine = All
list-filter-me = Me
list-filter-mine = mine
list-filter-owner = { $name }'s
list-filter-within = due within { $days } days
list-filter-tag = tag “{ $value }”
list-filter-territory = territory “{ $value }”
list-filter-since-label = Changed since
list-filter-since = changed since { $date }
list-none-filtered = No record matches these filters.
list-consent-yes = Yes
list-consent-no = No
list-views = Saved views
list-view-shared = shared
list-view-delete = Delete
list-view-delete-named = Delete the view “{ $name }”
list-view-save = Save this view
list-view-name = Name of the view
list-view-share = Offer it to the whole workspace
list-view-save-button = Save the view
list-view-saved = The view is saved.
list-view-deleted = The view is deleted.
list-view-name-refused = Give the view a name of 1 to { $max } characters.
list-view-too-long = This view has too many filters to be saved.
list-columns = Choose columns
list-columns-legend = Columns shown beside the name
list-columns-save = Show these columns
list-select-column = Selection
list-select = Select { $name }
list-bulk-label = For the ticked records
list-bulk-tag = Add a tag
list-bulk-assign = Give to
list-bulk-bin = Move to the bin
list-bulk-tag-name = Tag
list-bulk-owner = Owner
list-bulk-apply = Apply
list-bulk-tagged = { $count ->
    [one] { $count } record tagged.
   *[other] { $count } records tagged.
}
list-bulk-assigned = { $count ->
    [one] { $count } record given.
   *[other] { $count } records given.
}
list-bulk-binned = { $count ->
    [one] { $count } record moved to the bin.
   *[other] { $count } records moved to the bin.
}
list-bulk-failed = { $count ->
    [one] { $count } could not be (deleted or changed meanwhile).
   *[other] { $count } could not be (deleted or changed meanwhile).
}
list-bulk-unknown-record = One of the ticked records does not exist.
list-bulk-none-ticked = Tick the records to change first.
list-bulk-too-many = Tick at most 200 records at a time.
list-bulk-tag-refused = Give a tag of 1 to 100 characters.
list-bulk-owner-refused = Choose a member of the workspace.
list-bulk-action-refused = This action does not exist for this list.
deadlines-within = Due within (days)
list-bulk-refused = This action on the selection could not be done.

## Exported files: their columns and names (before the date).
export-column-given-name = First name
export-column-name = Name
export-column-email = Email
export-column-phone = Phone
export-column-organisations = Organisations
export-column-accepts-emails = Accepts emails
export-column-legal-basis = Legal basis
export-column-consent-on = Consent on
export-column-notes = Notes
export-column-created = Created on
export-column-updated = Changed on
export-column-id = Identifier
export-column-kind = Type
export-column-sector = Sector
export-column-territory = Territory
export-column-website = Website
export-column-title = Title
export-column-status = Status
export-column-start = Start
export-column-end = End
export-column-next-evaluation = Next evaluation
export-column-partners = Partners
export-column-purpose = Purpose
export-column-target-population = Target population
export-column-description = Description
export-column-due = Due on
export-column-funder = Funder
export-column-project = Project
export-column-partnership = Partnership
export-column-submitted = Submitted on
export-column-submission-reference = Submission reference
export-file-people = people
export-file-organisations = organisations
export-file-partnerships = partnerships
export-file-projects = projects
export-file-deadlines = deadlines
