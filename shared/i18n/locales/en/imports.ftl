## Imports: the list, one import's page (dry run, mapping, report), mapping templates.

imports-title = Imports
imports-heading = Import contacts
imports-hint = A CSV file or an Excel workbook (XLSX) of people, organisations, their links, their tags and their history (activities, donations, fees, grants, volunteering): an export from CiviCRM, Twenty, Google Contacts or Outlook, or your own spreadsheet. Nothing is saved before you have seen the dry run and agreed; an import is undone in one click.
imports-file = File (CSV or XLSX, up to a million rows)
imports-file-hint = First row: the columns' headings. Separator and encoding (UTF-8, Windows-1252, Latin-1) are recognised.
imports-file-missing = choose the file to import
imports-send = Send and check
imports-of-workspace = The workspace's imports
imports-none = No import yet.
imports-caption = The imports, the most recent first
imports-column-file = File
imports-column-sent = Sent
imports-column-status = Status
imports-column-rows = Rows
imports-templates = Mapping templates
imports-templates-hint = Saved from the page of a checked import; a file with the same columns takes its own by itself.
imports-templates-caption = The columns' mapping templates
imports-column-template = Template
imports-column-columns = Columns
imports-column-actions = Actions
imports-template-delete = Delete
imports-template-delete-named = { " " }the template { $name }

import-title = Import { $file }
import-heading = Import "{ $file }"
import-rows-read = { $count ->
    [one] { $count } row read, the page updates by itself.
   *[other] { $count } rows read, the page updates by itself.
}
import-sent-on = Sent on { $at }
import-source-recognised = { $source } export recognised
import-template-used = mapping of the template "{ $name }"
import-finished-on = finished on { $at }
import-undone-on = undone on { $at }
import-send-another = Send another file
import-dry-run = Dry run: what the import would do
import-what-it-did = What the import did
import-counts-caption = Count per row and per record
import-kept-after-undo = { $count ->
    [one] { $count } record created or completed by the import was kept when it was undone: someone changed or linked it since.
   *[other] { $count } records created or completed by the import were kept when it was undone: someone changed or linked them since.
}
import-indicators = Migration indicators
import-indicators-caption = The workspace's records before and after the import
import-records = Records
import-before = Before
import-after = After
import-rejected = Rejected rows
import-rejected-download = { $count ->
    [one] Download the rejected row (CSV, with its reason)
   *[other] Download the { $count } rejected rows (CSV, with the reason for each)
}
import-rejected-then = to correct them and send them again.
import-rejected-caption = The first rejected rows
import-line = Row
import-column = Column
import-reason = Reason
import-apply-template-label = Use the mapping of a saved template
import-apply-template = Apply this template
import-mapping = Column mapping
import-mapping-hint = Each column of the file goes into a field of Maillage, or is not imported. A row may carry a person, their organisation, their role, tags and their history: an activity (meeting, call…) and an engagement (donation, fee, grant, volunteering hours). A transform changes a column's cells before they are read; the others (phones in international format, French dates, "Oui/Non") are done anyway.
import-mapping-caption = The file's columns, Maillage's fields and transforms
import-file-column = File column
import-examples = Examples
import-maillage-field = Maillage field
import-transform = Transform
import-transform-of = Transform of the column { $column }
import-do-not-import = — do not import —
import-as-is = as it is
import-duplicates = Likely duplicates
import-duplicates-hint = These rows look like people already recorded (same name, same organisation or none), with no email address to be sure.
import-duplicates-all = For all these rows
import-duplicates-caption = Each likely duplicate and the decision taken
import-in-file = In the file
import-already-known = Already recorded
import-decision = Decision
import-decision-for = Decision for row { $line }
import-decision-match = it is the same person: complete their record
import-decision-create = it is not the same: create another record
import-decision-skip = leave the row aside
import-check-again = Check again with these choices
import-save-template = Save this mapping as a template
import-save-template-hint = The next files with the same columns will take it by themselves. A template of the same name is replaced.
import-save-template-button = Save the template
import-run = Import
import-run-hint = The import runs in the background; it can be undone as a whole.
import-discard = Abandon this import
import-undo = Undo the import
import-undo-hint = Records the import created are removed, those it completed get back their earlier state. Records changed or linked since are kept.
import-undo-button = Undo this import

import-count-rows = Rows read
import-count-rejected = Rows rejected
import-count-skipped = Rows left aside (empty or duplicates set aside)
import-count-people-created = People created
import-count-people-updated = People already known, completed
import-count-people-matched = People already known, nothing to add
import-count-likely-duplicates = Likely duplicates
import-count-organisations-created = Organisations created
import-count-organisations-matched = Organisations already known
import-count-affiliations-created = Person–organisation links created
import-count-tags-created = Tags created
import-count-tags-attached = Tags attached
import-count-activities-created = Activities created (history)
import-count-activities-matched = Activities already recorded
import-count-engagements-created = Engagements created (donations, fees…)
import-count-engagements-matched = Engagements already recorded

import-total-people = People
import-total-organisations = Organisations
import-total-affiliations = Person–organisation links
import-total-tags = Tags
import-total-activities = Activities
import-total-engagements = Engagements

import-status-checking = being checked
import-status-checked = checked, waiting for your agreement
import-status-refused = file refused
import-status-queued = queued
import-status-running = importing
import-status-done = imported
import-status-failed = failed, nothing was kept
import-status-undoing = being undone
import-status-undone = undone

import-field-given_name = Person: first name
import-field-family_name = Person: last name
import-field-full_name = Person: full name (first and last)
import-field-email = Person: email
import-field-phone = Person: phone
import-field-mobile = Person: mobile
import-field-street = Person: address (street)
import-field-postal_code = Person: postcode
import-field-city = Person: town
import-field-email_consent = Person: accepts emails (Yes/No)
import-field-consent_on = Person: consent date
import-field-notes = Person: notes
import-field-organisation_name = Organisation: name
import-field-organisation_kind = Organisation: type
import-field-organisation_email = Organisation: email
import-field-organisation_phone = Organisation: phone
import-field-organisation_website = Organisation: website
import-field-organisation_sector = Organisation: sector
import-field-organisation_territory = Organisation: territory
import-field-role = Link: role in the organisation
import-field-tags = Tags
import-field-activity_on = History: date of the activity
import-field-activity_kind = History: kind of activity (meeting, call…)
import-field-activity_subject = History: subject of the activity
import-field-activity_body = History: account of the activity
import-field-engagement_kind = History: kind of engagement (donation, fee…)
import-field-engagement_amount = History: amount (€)
import-field-engagement_hours = History: volunteering hours
import-field-engagement_on = History: date of the engagement
import-field-engagement_campaign = History: campaign

import-transform-capitalise = Capital initial (DUPONT → Dupont)
import-transform-family_name_first = Family name first (Martin Camille)
import-transform-month_first = Month before day (12/31/2025)
import-transform-negate = Swap Yes and No ("Do not contact")
import-column-ignored = ignored column
