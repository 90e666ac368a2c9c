# The error pages: a title per kind of problem, and one per status for the others.
error-status =
    { $status ->
        [400] The request is malformed.
        [401] Log in to continue.
        [403] You do not have access to this page.
        [404] This page does not exist.
        [405] This address does not take this method.
        [409] The record has changed in the meantime.
        [413] This is too large.
        [422] Some fields are invalid.
        [429] Too many requests: try again in a moment.
        [503] The service is very busy: try again in a moment.
       *[other] An unexpected error occurred. Try again in a moment.
    }
error-not-found-hint = The address may be mistyped, or the record deleted. The workspace's bin keeps what was deleted recently.
error-field = { $field }: { $message }

## Kinds of problem a page may meet, said the same way in every service
## (`problem-{kind}`, and `problem-{kind}-detail`).

problem-read-only = Your role in this workspace lets you read the records, not change them.
problem-platform-only = This page is for the platform's administrators.
problem-workspace-suspended = This workspace is suspended.
problem-workspace-suspended-detail = Its data is kept and its reminders wait. To reactivate it, contact the platform's administrator.
problem-cross-site-request = This action must be done from Maillage itself.
problem-login-expired = This sign-in attempt has expired or has already been used. Sign in again.
problem-login-other-browser = This sign-in was started in another browser. If someone sent you this link, do not use it; otherwise, sign in again here.
problem-login-failed = Signing in with the identity provider failed. Try again.
problem-sign-in-domain-refused = This workspace does not accept addresses of this domain.
problem-sign-in-domain-refused-detail = Sign in with your work address, or ask an owner of the workspace to add this domain.
problem-sign-in-unavailable = This workspace's own sign-in is unavailable for now.
problem-sign-in-unavailable-detail = The platform's administrator has been told.
problem-unavailable = The service is briefly unavailable. Try again in a moment.
problem-too-many-requests = Too many requests in a short time. Wait a moment before trying again.
problem-payload-too-large = What was sent is too large.
problem-self-service-off = On this platform, workspaces are created by its administrator.
problem-self-service-off-detail = Ask them to create one for your organisation.
problem-self-service-limit = You have already created as many workspaces as this platform allows.
problem-self-service-limit-detail = For another one, contact its administrator.
problem-deletion-pending = This workspace's deletion has been requested.
problem-deletion-pending-detail = First cancel the deletion, then reactivate the workspace.
problem-last-owner = The workspace must keep at least one owner.
problem-last-owner-detail = First name another owner.
problem-already-member = This person is already a member of the workspace.
problem-invitation-just-sent = This invitation has just been sent.
problem-invitation-just-sent-detail = Wait a minute before sending it again.
problem-logo-too-large = The image is larger than accepted.
problem-logo-too-large-detail = 5 MB at most.
problem-unknown-filter = This list cannot be filtered that way.
