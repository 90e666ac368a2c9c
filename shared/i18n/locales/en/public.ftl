# The pages before any workspace: the welcome page and its sign-in.
index-hello = Hello { $name }.
index-console = Platform console
index-console-hint = : the workspaces, what they use, make one.
index-your-workspaces = Your workspaces
index-no-workspace-may-create = You are not a member of any workspace yet: ask your organisation's administrator for an invitation, or create your organisation's workspace.
index-create-workspace = Create my organisation's workspace
index-no-workspace = You are not a member of any workspace yet. Ask your organisation's administrator for an invitation.
index-logged-out = You are logged out.
index-pitch = Your partner network, your projects and the reports owed to your funders, in one place, with a reminder before each deadline.
index-log-in = Log in
index-own-sign-in = Does your organisation have its own sign-in (ProConnect, its directory)? Start with your work email address.
index-work-email = Work email address
index-continue = Continue

## An invitation's link, opened from its email.

invitation-title = Invitation · { $workspace } · Maillage
invitation-heading = Invitation to join { $workspace }
invitation-invites-you-sign-in = The workspace { $workspace } invites you to Maillage, with the role { $role }.
invitation-sign-in-with = Sign in with the address { $email } to accept. This link works once, until { $expires }.
invitation-sign-in-button = Sign in to accept
invitation-invites-you = The workspace { $workspace } invites you, with the role { $role }.
invitation-join = Join the workspace
invitation-sent-to = This invitation was sent to { $email }.
invitation-sent-to-other = This invitation was sent to { $email }, and you are signed in as { $me }.
invitation-other-account = Sign out, then open the email's link again and sign in with the invited address. If you use another address, ask an administrator of the workspace to invite it.
invitation-log-out = Sign out
invitation-expired = This invitation expired on { $expires }. Ask an administrator of the workspace to send it again.
invitation-used = This invitation has already been used: an invitation link works only once. If it was you, sign in to find the workspace.
invitation-log-in = Sign in
invitation-dead = This invitation link no longer works
invitation-dead-detail = The invitation may have been cancelled, or sent again since with a new link. Ask an administrator of the workspace to invite you again.
public-back-home = Back to the home page

## Unsubscribing from reminders, from an email's link.

unsubscribe-title = Email reminders · Maillage
unsubscribe-heading = Email reminders
unsubscribe-done = Done: you will no longer receive reminders from the workspace { $workspace }.
unsubscribe-again = You can turn them back on at any time from your preferences in Maillage.
unsubscribe-question = Stop receiving any deadline reminder from the workspace { $workspace }?
unsubscribe-button = Unsubscribe

## Creating one's own workspace.

own-title = Create your organisation's workspace · Maillage
own-heading = Create your organisation's workspace
own-intro = You will be its owner: you will then invite your colleagues.
own-name = Name of the organisation
own-slug = Identifier in addresses (/t/identifier/): lower-case letters, digits and hyphens
own-kind = Type
own-time-zone = Time zone (reminders follow it)
own-create = Create the workspace
