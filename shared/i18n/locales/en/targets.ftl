## The targets ("la cible"): the list, one target's page, its drawing.

targets-title = Targets
targets-heading = Partnership targets
targets-hint = A target places everyone the organisation could work with on rings, from the closest at the centre to the furthest: where they are today, where they should be. The gap says where to put the effort.
targets-none = No target yet.
targets-caption = The targets, the most recent first
targets-column-target = Target
targets-column-on = On
targets-column-for = For
targets-column-stakeholders = Stakeholders
targets-column-gaps = Gaps
targets-whole-organisation = The whole organisation
targets-draw = Draw a target
targets-name = Name
targets-name-example = Target 2027
targets-on = On
targets-on-hint = Today if left blank.
targets-for = For
targets-copy-from = Starting from the target (its stakeholders, their places and their reasons)
targets-draw-button = Draw

target-all = All targets
target-on = On { $day }
target-for-project = for the project
target-for-everyone = the whole organisation
target-stakeholders = { $count ->
    [one] { $count } stakeholder
   *[other] { $count } stakeholders
}
target-task-made = Task created for { $who }: it is on their feed and in "My tasks" on the home page.
target-drawing = The drawing
target-legend = Legend
target-legend-today = Today
target-legend-ideal = Ideal
target-legend-prospect = Prospect (not a record yet)
target-legend-gap = Gap to close
target-download-svg = Download as SVG
target-download-png = Download as PNG
target-drag-hint = Drag a solid (today) or dotted (ideal) point to another ring, or off the target. With a keyboard, the "Place" form below does the same.
target-gaps = The gaps
target-no-gap = Everyone is where they should be: no gap.
target-gap-line = { ": " }from "{ $from }" to "{ $to }"
target-gap-closer = { $count ->
    [one] { $count } ring to gain
   *[other] { $count } rings to gain
}
target-gap-too-close = { $count ->
    [one] { $count } ring too close
   *[other] { $count } rings too close
}
target-make-task = Create a task
target-make-task-for = Create a task for { $who }
target-place = Place
target-nobody = Nobody on this target yet.
target-prospect = prospect
target-today = Today
target-ideally = Ideally
target-our-reasons = Our reasons to work together
target-their-reasons = Their reasons to work with us
target-save-stakeholder = Save { $who }
target-promote = Make { $who } an organisation record
target-remove = Take { $who } off the target
target-add = Add to the target
target-add-name = Organisation, or a prospect to name
target-add-name-hint = An organisation's name from the records places it; any other name becomes a prospect, kept apart from the records.
target-add-button = Add
target-compare = Compare with another target
target-nothing-to-compare = No other target to compare with: draw the next one from this one.
target-the-other = The other target
target-compare-button = Compare
target-since = Since { $target }
target-column-stakeholder = Stakeholder
target-column-then = Then
target-column-now = Now
target-column-move = Move
target-absent = absent
target-appeared = new on the target
target-disappeared = no longer on the target
target-came-closer = { $count ->
    [one] came { $count } ring closer
   *[other] came { $count } rings closer
}
target-went-away = { $count ->
    [one] moved { $count } ring away
   *[other] moved { $count } rings away
}
target-same-ring = on the same ring
target-settings = The target
target-settings-summary = Rename, date, change the rings
target-rings = Rings, from the centre outwards, one per line (2 to 6)
target-notes = Notes
target-save = Save the target
target-next-summary = Draw the next target from this one
target-next-button = Draw the next one
target-delete-summary = Delete this target…
target-delete-said = The target and its stakeholders' places go; the records and tasks stay.
target-delete-button = Delete "{ $name }"
target-outside = off the target
target-outside-choice = Off the target
target-svg-title = The target "{ $name }"
target-placed = { $who }: today { $today }, ideally { $ideal }
target-ideal-marker = { $said } (ideal)
target-ring-unknown = This ring does not exist on the target.
target-angle-unknown = This angle is not a number.
target-move-saved = Place saved.
target-move-refused = The move was not saved:
target-move-offline = The move was not saved (network).
target-reloading = The page is reloading.

## The task a gap on a target becomes (written in the words of the member who makes it).
target-task-ring = “{ $ring }”
target-task-keep = Keep up the relationship with { $who } ({ $today })
target-task-bring-in = Bring { $who } into the target: { $ideal }
target-task-closer = Bring { $who } closer: from { $today } to { $ideal }
target-task-further = Take some distance from { $who }: from { $today } to { $ideal }
target-task-body = Gap noted on the target “{ $target }”.
target-task-our-reasons = Our reasons to work together: { $reasons }
target-task-their-reasons = Their reasons: { $reasons }
