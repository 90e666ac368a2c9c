## The members' page.
members-title = Members
members-heading = Members of the workspace
members-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
members-role = Role
members-you = (you)
members-role-of = Role of { $name }
members-change = Change
members-remove = Remove
members-pending = Pending invitations
members-pending-none = None.
members-where = Where it stands
members-actions = Actions
members-valid-until = ; link valid until { $until }
members-resend = Resend
members-invitation-of = the invitation of { $email }
members-invite-heading = Invite someone
members-invite-hint = The person gets an email with a link to join the workspace; they become a member by signing in with that address.
members-email-address = Email address
members-invite = Invite
members-only-admins = Only the workspace's administrators invite, change roles and remove members.
members-email-queued = email being sent
members-email-sent = email sent
members-email-failed = the email could not go: resend it or check the address
members-email-expired = expired: resend it for a new link
members-email-none = no email sent
members-done-invited = The invitation goes by email: its link works once, for { $days } days.
members-done-resent = The invitation goes again by email, with a new link.
members-done-revoked = The invitation is cancelled: its link no longer works.
members-done-role = The role is changed.
members-done-removed = The person is no longer part of the workspace.
role-owner = Owner
role-admin = Administrator
role-editor = Editor
role-viewer = Viewer
