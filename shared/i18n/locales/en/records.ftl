## A record's page: its facts, links, history, changes and engagements.
record-all-people = All people
record-all-organisations = All organisations
record-email = Email
record-phone = Phone
record-primary = , main
record-address = Address
record-notes = Notes
record-yes = Yes
record-no = No
record-not-given = Not given
record-basis-not-given = Not given
record-accepts-emails = Accepts emails
record-legal-basis = Legal basis
record-current = Current
record-past = Past
record-organisations = Organisations
record-attach-organisation = Link to an organisation
record-organisations-none = No organisation linked.
record-people = People
record-attach-person = Link a person
record-people-none = No person linked.
record-personal-data = Personal data (GDPR)
record-consent-history = Consent history
column-since = Since
column-emails = Emails
column-changed-by = Changed by
record-consent-unchanged = Consent recorded on { $date }, unchanged since.
record-consent-none = No consent recorded.
record-copy-of-data = Copy of their data
record-erase-person = Erase this person…
record-tags = Tags
record-tags-add = Add tags
record-tags-change = Change tags
record-tags-label = Tags, separated by commas
record-tags-save = Save the tags
record-edit = Edit the record
record-merge = Merge a duplicate…
record-links = Links
record-links-none = No partnership, project or report linked yet.
record-links-partnerships = Partnerships
record-links-projects = Projects
record-links-reports = Reports
record-through = through { $name }
record-owed-to-this-organisation = owed to this organisation
record-owed-for = for { $name }
record-deadline-state = { $status ->
    [late] late
    [submitted] submitted
    [waived] waived
   *[other] due
}, { $at }
record-history = History
record-note-activity = Note an activity
record-history-none = No activity yet.
record-task-done = done on { $at }
record-task-due = to do by { $at }
record-task-to-do = to do
record-task-mark-done = Mark “{ $subject }” as done
record-correct = Correct
record-changes = Changes to the record
record-someone = Someone
record-change-created = created the record
record-change-binned = moved the record to the bin
record-change-restored = restored the record
record-change-merged = merged a duplicate into it
record-change-changed = changed the record
record-change-changed-fields = changed: { $fields }
record-field-given-name = given name
record-field-name = name
record-field-title = title
record-field-emails = emails
record-field-phones = phones
record-field-address = address
record-field-consent = consent
record-field-notes = notes
record-field-status = status
record-field-kind = type
record-field-sector = sector
record-field-territory = territory
record-field-website = website
record-field-starts-on = start
record-field-ends-on = end
record-field-description = description
record-field-target-population = target population
record-field-owner = owner
record-field-milestones = milestones
record-field-budget = budget
record-field-partners = partners
record-field-agreement = agreement
record-field-next-evaluation = next evaluation
record-field-custom = custom fields
record-engagements = Engagements
record-engagements-add = Record an engagement
record-engagements-none = No engagement recorded.
record-engagements-detail = The latest engagements in detail
record-engagement-of = the engagement of { $date }
column-year = Year
column-count = Number
column-total = Total
column-date = Date
column-campaign = Campaign
column-amount-or-time = Amount or time
column-action = Action

## A deadline's page.
deadline-all = All deadlines
deadline-edit = Edit the deadline
deadline-recurrence = Recurrence
deadline-series = Deadline no. { $number } of { $frequency ->
    [monthly] a monthly series
    [quarterly] a quarterly series
    [yearly] a yearly series
   *[other] a series on set dates
}
deadline-responsibles = Responsible
deadline-submitted-on = Submitted on
deadline-reference = Reference
deadline-waiver-reason = Reason for cancelling
deadline-submitted-question = Has the report been submitted?
deadline-submission-reference = Submission reference (optional)
deadline-mark-submitted = Mark as submitted
deadline-waive = Cancel the deadline
deadline-waive-hint = The report is no longer owed (the funder waived it, the deadline does not apply): it stays in the history, marked cancelled, and no reminder is sent any more.
deadline-reopen = Reopen the deadline
deadline-delete-hint = Entered by mistake? Deleting it removes it from the list and the agenda; the log keeps what it was.
deadline-delete = Delete the deadline…

## A project's page.
project-all = All projects
project-target-population = Target population
project-milestones = Milestones
project-edit-plan = Edit milestones and budget
project-milestones-none = No milestone.
project-milestone-done = done on { $date }
project-milestone-due = due on { $date }
project-milestone-no-date = no date
project-budget = Budget
project-budget-none = No budget line.
project-budget-line = Item
project-planned = Planned
project-actual = Actual
project-partners-none = No partner.
project-partner-remove = Remove { $name }
project-partner-add = Add a partner
project-partner-name-hint = Its name, as on its record.
project-partner-partnership = Or a whole partnership
project-partner-role = Role in the project
project-partner-role-example = Co-funder, operator…
project-partner-add-button = Add this partner

## A partnership's page.
partnership-all = All partnerships
partnership-next-evaluation = Next evaluation
partnership-agreement = Agreement
partnership-evaluations = Evaluations
partnership-evaluate = Evaluate the partnership
partnership-evaluations-none = No evaluation yet.
agreement-purpose = Purpose
agreement-shared-values = Shared values
agreement-roles = Who does what
agreement-phasing = Phasing
agreement-means = Means
agreement-regulation-mode = How it is regulated
agreement-evaluation-method = How it is evaluated
evaluation-title = { $stage ->
    [final] Final evaluation
   *[other] Interim evaluation
} of { $date }
evaluation-objectives-set = Objectives set:
evaluation-objectives-reached = Objectives reached:
evaluation-effectiveness = Effectiveness
evaluation-efficiency = Efficiency
evaluation-impact = Impact

## The network page.
network-title = Network
network-heading = The network on { $date }
network-filter = Filter the network
network-on = As it was on
network-compare-with = Compare with
network-partnership-kind = Type of partnership
network-partnership-status = Status of the partnership
network-all-kinds = All types
network-all-statuses = All statuses
network-all-projects = All projects
network-show = Show
network-today = Today, unfiltered
network-drawing = The drawing
network-legend = Legend
network-download-png = Download as PNG
network-download-svg = Download as SVG
network-drawing-label = The drawing of the network; the same ties are listed below.
network-drawing-noscript = The drawing needs JavaScript; the ties are listed below.
network-drawing-hint = A click on a record opens it. The wheel or two fingers zoom.
network-figures = In figures
network-nodes = { $count ->
    [one] linked record
   *[other] linked records
}
network-ties = { $count ->
    [one] tie
   *[other] ties
}
network-density = density
network-isolated = { $count ->
    [one] isolated organisation
   *[other] isolated organisations
}
network-dormant = { $count ->
    [one] dormant tie (no activity for 12 months)
   *[other] dormant ties (no activity for 12 months)
}
network-ties-count = { $count ->
    [one] { $count } tie
   *[other] { $count } ties
}
network-most-connected = The most connected
network-isolated-list = Isolated organisations
network-since-heading = Since { $date }
network-since = since { $date }
network-comparison = On { $earlier }: { $nodes_then } linked records and { $ties_then } ties; on { $on }: { $nodes } and { $ties }.
network-appeared = Appeared ({ $count })
network-appeared-none = No new tie.
network-disappeared = Gone ({ $count })
network-disappeared-none = No tie gone.
network-all-ties = All ties
network-no-ties = No tie that day with these filters.
network-relation-partner_in = partner in
network-relation-affiliated_to = member of
network-relation-works_on = works on
network-relation-funds = funds
network-relation-other = linked to
network-kind-organisation = Organisations
network-kind-person = People
network-kind-partnership = Partnerships
network-kind-project = Projects
