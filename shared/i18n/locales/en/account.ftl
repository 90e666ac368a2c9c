# The account page: who is logged in and the language they read Maillage in.
account-title = My account
account-identity = Logged in as { $name } ({ $email }).
account-language = Language
account-language-hint = Maillage's pages and emails speak to you in this language, in all your workspaces.
account-language-workspace = The workspace's ({ $language })
account-save = Save
account-saved = Your language is saved.
account-language-refused = Choose one of the languages offered.
