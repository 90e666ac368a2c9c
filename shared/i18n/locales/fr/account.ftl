# The account page: who is logged in and the language they read Maillage in.
account-title = Mon compte
account-identity = Connecté en tant que { $name } ({ $email }).
account-language = Langue
account-language-hint = Les pages et les e-mails de Maillage vous parlent dans cette langue, dans tous vos espaces.
account-language-workspace = Celle de l'espace ({ $language })
account-save = Enregistrer
account-saved = Votre langue est enregistrée.
account-language-refused = Choisissez une des langues proposées.
