# The bin: what was deleted, to restore.
bin-title = Bin
bin-just-binned = The record is in the bin. It can be restored from below, as it was.
bin-hint = Deleted people, organisations, projects and partnerships wait here, the most recent first.
bin-empty = The bin is empty.
bin-column-record = Record
bin-column-deleted = Deleted on
bin-column-action = Action
bin-restore = Restore
bin-next = Next →
record-kind-person = Person
record-kind-organisation = Organisation
record-kind-project = Project
record-kind-partnership = Partnership
