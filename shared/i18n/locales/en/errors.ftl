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
