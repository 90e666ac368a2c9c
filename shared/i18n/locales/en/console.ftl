## The platform's console (/admin), in its administrator's language.

console-title = Platform console
console-skip = Skip to content
console-logout = Sign out
console-workspaces = Workspaces
console-created = The workspace { $slug } is created; its owner becomes one at their first sign-in.
console-existed = The workspace { $slug } already existed as asked: nothing changed.
console-suspended = The workspace { $slug } is suspended: its members are told, its reminders wait.
console-reactivated = The workspace { $slug } is active again: its reminders resume.
console-deleting = The deletion of the workspace { $slug } is requested: it is suspended until then, and the deletion can still be cancelled.
console-kept = The deletion of the workspace { $slug } is cancelled; it stays suspended.
console-imported = The archive is imported into the workspace { $slug }: { $rows } rows.
console-search = Search a workspace (identifier or name)
console-search-button = Search
console-none = No workspace.
console-none-matching = No workspace matches “{ $query }”.
console-count = { $count ->
    [one] { $count } workspace
   *[other] { $count } workspaces
}
console-column-workspace = Workspace
console-column-kind = Type
console-column-status = Status
console-column-members = Members
console-column-invitations = Invitations
console-column-records = Records
console-column-emails = Emails this month
console-column-storage = Storage
console-column-activity = Last activity
console-column-action = Action
console-status-deleting = deletion on { $date }
console-status-active = active
console-status-suspended = suspended
console-storage-unmeasured = not yet measured
console-cancel-deletion = Cancel the deletion
console-suspend = Suspend
console-reactivate = Reactivate
console-delete = Delete…
console-export = Export
console-import = Import…
console-new = Create a workspace
console-field-name = Name
console-field-slug = Identifier in addresses (/t/identifier/)
console-field-kind = Type
console-field-time-zone = Time zone (reminders follow it)
console-field-owner-email = Email of the first owner
console-create = Create the workspace
console-back = ← Back to the console
console-cancel = Cancel
console-delete-title = Delete { $name }
console-delete-heading = Delete the workspace { $name }?
console-delete-counts = The workspace { $slug } has { $members ->
    [one] { $members } member
   *[other] { $members } members
} and { $records ->
    [one] { $records } record
   *[other] { $records } records
}.
console-delete-consequences = It will be suspended at once: its members will be told and its reminders will stop. At the end of the grace period, all its data will be deleted, for good. Until then, the deletion can be cancelled from the console.
console-delete-export-before = Before that,
console-delete-export-link = download the workspace's export
console-delete-export-what = : all its data in a zip archive (each table as JSON, people and organisations as CSV).
console-field-grace-days = Grace period, in days (1 to 365)
console-delete-confirm = Delete the workspace after this period
console-import-title = Import into { $name }
console-import-heading = Import an archive into { $name }
console-import-explained = The archive is what a workspace's export gives, here or on another Maillage installation. It is only imported into an empty workspace ({ $records ->
    [one] { $records } record
   *[other] { $records } records
} here): the records, their links, their history and their reminders all go in, or none.
console-field-archive = Archive (.zip)
console-import-button = Import
console-size-bytes = { $value } B
console-size-kilobytes = { $value } kB
console-size-megabytes = { $value } MB
console-size-gigabytes = { $value } GB
refused-slug-taken = is already that of another workspace
refused-grace-days = must be a number of days, from 1 to 365
