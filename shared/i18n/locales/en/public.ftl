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
