## Why core-records refuses a field (the field's name comes before).

check-required = est obligatoire
check-too-long = ne doit pas dépasser { $max } caractères
check-email = n'est pas une adresse e-mail valide
check-nul = ne doit pas contenir le caractère nul (U+0000)
check-control = ne doit pas contenir de caractère de contrôle
check-direction = ne doit pas contenir de caractère qui inverse le sens d'affichage (U+202A–U+202E, U+2066–U+2069)
check-or = { $first } ou { $last }
check-one-of = doit valoir { $values }
check-after-start = doit être postérieure à la date de début
check-date-required = est obligatoire (AAAA-MM-JJ)
check-currency = doit être un code ISO 4217, par exemple EUR
check-partner-required = indiquez au moins une organisation partenaire
