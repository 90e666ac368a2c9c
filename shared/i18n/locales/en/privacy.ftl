## A person's personal data (GDPR access), their erasure, the retention rule.

privacy-title = Personal data: { $name }
privacy-back = ← Back to the record
privacy-intro = Everything { $workspace } holds about this person in Maillage, on { $produced } (right of access, article 15 of the GDPR). This copy has been written in the change log.
privacy-download = Download (JSON)
privacy-print = or print this page (Ctrl+P) to hand it over on paper or as a PDF.
privacy-identity = Identity and contact details
privacy-given-name = First name
privacy-family-name = Last name
privacy-email = Email
privacy-phone = Phone
privacy-address = Address
privacy-created = Record created
privacy-binned-since = In the bin since
privacy-notes = Notes
privacy-consent = Consent and legal basis
privacy-accepts-emails = Accepts emails
privacy-basis = Legal basis
privacy-consent-on = Consent given on
privacy-consent-source = Collected by
privacy-consent-history = Consent history
privacy-since = Since
privacy-basis-and-source = Legal basis and collection
privacy-consent-of = , consent of { $day }
privacy-tags = Tags
privacy-none-masculine = None.
privacy-none-feminine = None.
privacy-organisations = Organisations
privacy-since-day = , since { $day }
privacy-until-day = , until { $day }
privacy-activities = Activities
privacy-engagements = Engagements
privacy-amount-of = { " " }of { $amount }
privacy-campaign = , campaign "{ $campaign }"
privacy-project = , project "{ $project }"
privacy-emails-sent = Emails sent by Maillage
privacy-no-email = None: Maillage only writes to the workspace's members, and no address of this person is a member's.
privacy-not-sent-yet = Not sent yet
privacy-email-to = to { $to }: { $subject }
privacy-imports = Imports
privacy-no-import = The record was neither created nor completed by an import.
privacy-import-created = created by the import of the file "{ $file }"
privacy-import-completed = completed by the import of the file "{ $file }"
privacy-changes = History of the record's changes
privacy-no-change = No change recorded.
privacy-change-on = on { $at }
privacy-change-by = by { $who }
privacy-before = Before
privacy-after = After
privacy-action-create = Creation
privacy-action-update = Change
privacy-action-delete = Moved to the bin
privacy-action-restore = Restored
privacy-action-merge = Merge
privacy-action-access = Copy of the data handed over

erasure-title = Erase { $name }
erasure-heading = Erase { $name }?
erasure-tick-to-confirm = Tick the box to confirm the erasure.
erasure-intro = Erasure (right to be forgotten, article 17 of the GDPR) takes the person out of the whole workspace, with no way back: this is not the bin.
erasure-copy-first = Before erasing, you can hand the person the copy of their data.
erasure-what-goes = What goes with the record
erasure-tags = Tags on the record
erasure-affiliations = Links with organisations
erasure-engagements = Engagements (donations, fees, volunteering…)
erasure-activities-removed = Activities about them alone
erasure-activities-unlinked = Shared activities, kept without them
erasure-consent-changes = States of their consent
erasure-mentions-replaced = Texts of other records where their name, address or number is replaced with "[erased person]"
erasure-audit-blanked = Log entries emptied of their content (the fact stays)
erasure-import-traces = Traces in imports
erasure-log-keeps = The change log will only keep that a person was erased, by whom and when.
erasure-tick-this = Tick this box to erase.
erasure-understood = I understand this erasure is final.
erasure-button = Erase for good
erasure-cancel = No, back to the record

retention-title = Retention period
retention-back = ← Settings
retention-heading = How long people are kept
retention-saved = Saved.
retention-intro = The GDPR asks that a person's data be kept only as long as it is useful. Set here how many years the workspace keeps a person with whom nothing has happened since: their record has not changed, no activity or engagement with them, no consent given, no current link with an organisation.
retention-erased-daily = { $years ->
    [one] People with no activity for { $years } year are erased every day.
   *[other] People with no activity for { $years } years are erased every day.
}
retention-shown-only = { $years ->
    [one] People with no activity for { $years } year are shown below, but not erased.
   *[other] People with no activity for { $years } years are shown below, but not erased.
}
retention-set-by = Rule set by { $who }.
retention-set-by-on = Rule set by { $who } on { $at }.
retention-last-run = Last run on { $at }.
retention-last-run-erased = { $count ->
    [one] Last run on { $at }: { $count } person erased.
   *[other] Last run on { $at }: { $count } people erased.
}
retention-no-rule = No rule: the workspace keeps people until someone erases them.
retention-years = Years without activity
retention-preview-button = See who would be erased
retention-preview-heading = { $count ->
    [one] Today, { $count } person with no activity for { $years } years
   *[other] Today, { $count } people with no activity for { $years } years
}
retention-nobody = Nobody.
retention-caption = The people the rule would erase, the oldest first
retention-person = Person
retention-last-activity = Last activity
retention-and-more = { $count ->
    [one] And { $count } more.
   *[other] And { $count } more.
}
retention-save-heading = Save the rule
retention-schedule = Erase every day the people the rule points to (final; each erasure is written in the log)
retention-no-rule-button = Keep no rule
retention-save-button = Save: { $years } years
retention-years-expected = give a number of years between { $min } and { $max }
retention-years-or-nothing = give a number of years between { $min } and { $max }, or nothing to keep no rule

register-title = Record of processing
register-back = ← Settings
register-heading = Record of personal data processing
register-intro = Controller: { $workspace }. Record drawn up on { $produced } from what the workspace holds that day (article 30 of the GDPR).
register-print = Print this page (Ctrl+P) to hand it over on paper or as a PDF.
register-answerable = Who answers for it
register-purpose = Purpose
register-subjects = Data subjects
register-data = Data
register-legal-bases = Legal basis
register-recipients = Recipients
register-retention = Retention period
register-security = Security measures
register-rights = Data subjects' rights
register-rights-figures = Copies of their data handed over: { $copies }. Erasures at their request: { $erasures }. Erasures by the retention period: { $by_retention }.
register-rights-how = A person gets the copy of their data or their erasure from their record (administrators).

## The register's content, drawn by core-records in the reader's language.
register-retention-years = { $years ->
    [one] { $years } year without any activity, then erasure (the workspace's rule)
   *[other] { $years } years without any activity, then erasure (the workspace's rule)
}
register-retention-none = No period set: to be set in Settings → Retention period
register-security-isolation = Each workspace is isolated in the database (row-level security): no other workspace can reach it.
register-security-sign-in = Members sign in with OpenID Connect; each member has a role (viewer, editor, administrator, owner).
register-security-journal = Every creation, change, copy given and erasure is noted in the change log, with its author and date.
register-security-secrets = Secrets (the workspace's identity provider) are encrypted; none appears in the service's logs.
register-security-files = Imported files are kept only for the time of the import.
register-security-erasure = Erasing a person removes them from every table, search index and import trace included.
register-members = The workspace's { $all } members ({ $owners } owner(s), { $admins } administrator(s), { $editors } editor(s), { $viewers } viewer(s))
register-data-name = Given and family name
register-data-emails = Email addresses ({ $count } person(s))
register-data-phones = Phone numbers ({ $count } person(s))
register-data-addresses = Postal addresses ({ $count } person(s))
register-data-consent = Consent to receive emails, its legal basis, date and source, with their history
register-data-links = Links with organisations (role, dates), tags, activities (meetings, calls, tasks)
register-data-notes = Free notes ({ $count } person(s))
register-data-custom = The workspace's own fields: { $fields }
register-basis-unknown = Legal basis not given
register-basis-count = { $basis }: { $count } person(s)
register-contacts-name = Contacts and partner network management
register-contacts-purpose = Knowing the people and organisations the workspace works with, reaching them, following what is done with them.
register-contacts-subjects = { $people } person(s) (members, volunteers, partners, users…) and the contacts of { $organisations } organisation(s)
register-engagements-name = Engagements: donations, fees, volunteering
register-engagements-purpose = Keeping what each person gave, paid or offered of their time, to thank them, report to funders and issue receipts.
register-engagements-subjects = { $people } person(s), { $engagements } engagement(s)
register-engagements-data = Nature, date, amount or duration, campaign, project supported
register-engagements-notes = Free notes
register-engagements-basis = Each person's own (see contacts management); legal obligation for tax receipts
register-reminders-name = Deadline reminders to members
register-reminders-purpose = Warning members of the reports due to funders and of the tasks that fall to them.
register-reminders-data-member = The member's name and email address
register-reminders-data-preferences = Their reminder preferences, the reminders sent and their date
register-reminders-basis = Legitimate interest: the running of the workspace
register-reminders-recipients = The member themself; the platform's email sending service (processor)
register-reminders-retention = For as long as they belong to the workspace
register-imports-name = Data migration (file imports)
register-imports-purpose = Bringing the organisation's files and former tools into the workspace.
register-imports-subjects = The people of the imported files ({ $all } import(s), of which { $waiting } under way)
register-imports-data = The content of the files sent, and the refused rows with their reason
register-imports-basis = That of the data migrated
register-imports-recipients = The workspace's editors and administrators
register-imports-retention = The file is deleted as soon as the import is done or refused; the report stays
