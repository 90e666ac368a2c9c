## A person's personal data (GDPR access), their erasure, the retention rule.

privacy-title = Données personnelles : { $name }
privacy-back = ← Retour à la fiche
privacy-intro = Tout ce que { $workspace } détient sur cette personne dans Maillage, le { $produced } (droit d'accès, article 15 du RGPD). Cette copie a été notée au journal des modifications.
privacy-download = Télécharger (JSON)
privacy-print = ou imprimez cette page (Ctrl+P) pour la remettre sur papier ou en PDF.
privacy-identity = Identité et coordonnées
privacy-given-name = Prénom
privacy-family-name = Nom
privacy-email = E-mail
privacy-phone = Téléphone
privacy-address = Adresse
privacy-created = Fiche créée
privacy-binned-since = À la corbeille depuis
privacy-notes = Notes
privacy-consent = Consentement et base légale
privacy-accepts-emails = Accepte les e-mails
privacy-basis = Base légale
privacy-consent-on = Date du consentement
privacy-consent-source = Recueilli par
privacy-consent-history = Historique du consentement
privacy-since = Depuis le
privacy-basis-and-source = Base légale et recueil
privacy-consent-of = , consentement du { $day }
privacy-tags = Tags
privacy-none-masculine = Aucun.
privacy-none-feminine = Aucune.
privacy-organisations = Organisations
privacy-since-day = , depuis le { $day }
privacy-until-day = , jusqu'au { $day }
privacy-activities = Activités
privacy-engagements = Engagements
privacy-amount-of = { " " }de { $amount }
privacy-campaign = , campagne « { $campaign } »
privacy-project = , projet « { $project } »
privacy-emails-sent = E-mails envoyés par Maillage
privacy-no-email = Aucun : Maillage n'écrit qu'aux membres de l'espace, et aucune adresse de cette personne n'est celle d'un membre.
privacy-not-sent-yet = Pas encore envoyé
privacy-email-to = à { $to } : { $subject }
privacy-imports = Imports
privacy-no-import = La fiche n'a été ni créée ni complétée par un import.
privacy-import-created = créée par l'import du fichier « { $file } »
privacy-import-completed = complétée par l'import du fichier « { $file } »
privacy-changes = Historique des modifications de la fiche
privacy-no-change = Aucune modification enregistrée.
privacy-change-on = le { $at }
privacy-change-by = par { $who }
privacy-before = Avant
privacy-after = Après
privacy-action-create = Création
privacy-action-update = Modification
privacy-action-delete = Mise à la corbeille
privacy-action-restore = Restauration
privacy-action-merge = Fusion
privacy-action-access = Copie des données remise

erasure-title = Effacer { $name }
erasure-heading = Effacer { $name } ?
erasure-tick-to-confirm = Cochez la case pour confirmer l'effacement.
erasure-intro = L'effacement (droit à l'oubli, article 17 du RGPD) retire la personne de tout l'espace, sans retour possible : ce n'est pas la corbeille.
erasure-copy-first = Avant d'effacer, vous pouvez remettre à la personne la copie de ses données.
erasure-what-goes = Ce qui partira avec la fiche
erasure-tags = Tags posés sur la fiche
erasure-affiliations = Liens avec des organisations
erasure-engagements = Engagements (dons, cotisations, bénévolat…)
erasure-activities-removed = Activités qui ne concernaient qu'elle
erasure-activities-unlinked = Activités partagées, gardées sans elle
erasure-consent-changes = États de son consentement
erasure-mentions-replaced = Textes d'autres fiches où son nom, son adresse ou son numéro est remplacé par « [personne effacée] »
erasure-audit-blanked = Entrées du journal vidées de leur contenu (le fait reste)
erasure-import-traces = Traces dans les imports
erasure-log-keeps = Le journal des modifications gardera seulement qu'une personne a été effacée, par qui et quand.
erasure-tick-this = Cochez cette case pour effacer.
erasure-understood = J'ai compris que cet effacement est définitif.
erasure-button = Effacer définitivement
erasure-cancel = Non, revenir à la fiche

retention-title = Durée de conservation
retention-back = ← Paramètres
retention-heading = Durée de conservation des personnes
retention-saved = C'est enregistré.
retention-intro = Le RGPD demande de ne garder les données d'une personne que le temps utile. Fixez ici combien d'années l'espace garde une personne avec qui plus rien ne s'est passé : sa fiche n'a pas changé, aucune activité ni aucun engagement avec elle, aucun consentement donné, aucun lien en cours avec une organisation.
retention-erased-daily = { $years ->
    [one] Les personnes sans activité depuis { $years } an sont effacées chaque jour.
   *[other] Les personnes sans activité depuis { $years } ans sont effacées chaque jour.
}
retention-shown-only = { $years ->
    [one] Les personnes sans activité depuis { $years } an sont montrées ci-dessous, mais pas effacées.
   *[other] Les personnes sans activité depuis { $years } ans sont montrées ci-dessous, mais pas effacées.
}
retention-set-by = Règle fixée par { $who }.
retention-set-by-on = Règle fixée par { $who } le { $at }.
retention-last-run = Dernier passage le { $at }.
retention-last-run-erased = { $count ->
    [one] Dernier passage le { $at } : { $count } personne effacée.
   *[other] Dernier passage le { $at } : { $count } personnes effacées.
}
retention-no-rule = Aucune règle : l'espace garde les personnes tant qu'on ne les efface pas.
retention-years = Années sans activité
retention-preview-button = Voir qui serait effacé
retention-preview-heading = { $count ->
    [one] Aujourd'hui, { $count } personne sans activité depuis { $years } ans
   *[other] Aujourd'hui, { $count } personnes sans activité depuis { $years } ans
}
retention-nobody = Personne.
retention-caption = Les personnes que la règle effacerait, les plus anciennes d'abord
retention-person = Personne
retention-last-activity = Dernière activité
retention-and-more = { $count ->
    [one] Et { $count } autre.
   *[other] Et { $count } autres.
}
retention-save-heading = Enregistrer la règle
retention-schedule = Effacer chaque jour les personnes que la règle désigne (définitif ; chaque effacement est noté au journal)
retention-no-rule-button = Ne garder aucune règle
retention-save-button = Enregistrer : { $years } ans
retention-years-expected = indiquez un nombre d'années entre { $min } et { $max }
retention-years-or-nothing = indiquez un nombre d'années entre { $min } et { $max }, ou rien pour ne garder aucune règle

register-title = Registre des traitements
register-back = ← Paramètres
register-heading = Registre des traitements de données personnelles
register-intro = Responsable des traitements : { $workspace }. Registre établi le { $produced } à partir de ce que l'espace détient ce jour-là (article 30 du RGPD).
register-print = Imprimez cette page (Ctrl+P) pour la remettre sur papier ou en PDF.
register-answerable = Qui en répond
register-purpose = Finalité
register-subjects = Personnes concernées
register-data = Données
register-legal-bases = Base légale
register-recipients = Destinataires
register-retention = Durée de conservation
register-security = Mesures de sécurité
register-rights = Droits des personnes
register-rights-figures = Copies de leurs données remises : { $copies }. Effacements à leur demande : { $erasures }. Effacements par la durée de conservation : { $by_retention }.
register-rights-how = Une personne obtient la copie de ses données ou son effacement depuis sa fiche (administrateurs).

## The register's content, drawn by core-records in the reader's language.
register-retention-years = { $years ->
    [one] { $years } an sans aucune activité, puis effacement (règle de l'espace)
   *[other] { $years } ans sans aucune activité, puis effacement (règle de l'espace)
}
register-retention-none = Aucune durée fixée : à définir dans Paramètres → Durée de conservation
register-security-isolation = Chaque espace est cloisonné dans la base de données (sécurité au niveau des lignes) : aucun autre espace n'y a accès.
register-security-sign-in = Connexion des membres par OpenID Connect ; chaque membre a un rôle (lecteur, éditeur, administrateur, propriétaire).
register-security-journal = Chaque création, modification, copie remise et effacement est noté au journal des modifications, avec son auteur et sa date.
register-security-secrets = Les secrets (fournisseur d'identité de l'espace) sont chiffrés ; aucun n'apparaît dans les journaux du service.
register-security-files = Les fichiers importés ne sont gardés que le temps de l'import.
register-security-erasure = L'effacement d'une personne la retire de toutes les tables, index de recherche et traces d'import compris.
register-members = Les { $all } membres de l'espace ({ $owners } propriétaire(s), { $admins } administrateur(s), { $editors } éditeur(s), { $viewers } lecteur(s))
register-data-name = Nom et prénom
register-data-emails = Adresses e-mail ({ $count } personne(s))
register-data-phones = Numéros de téléphone ({ $count } personne(s))
register-data-addresses = Adresses postales ({ $count } personne(s))
register-data-consent = Consentement à recevoir des e-mails, sa base légale, sa date et sa source, avec leur historique
register-data-links = Liens avec les organisations (fonction, dates), étiquettes, activités (réunions, appels, tâches)
register-data-notes = Notes libres ({ $count } personne(s))
register-data-custom = Champs propres à l'espace : { $fields }
register-basis-unknown = Base légale non renseignée
register-basis-count = { $basis } : { $count } personne(s)
register-contacts-name = Gestion des contacts et du réseau partenarial
register-contacts-purpose = Connaître les personnes et les organisations avec qui l'espace travaille, les joindre, suivre ce qui est fait avec elles.
register-contacts-subjects = { $people } personne(s) (adhérents, bénévoles, partenaires, usagers…) et les contacts de { $organisations } organisation(s)
register-engagements-name = Suivi des engagements : dons, cotisations, bénévolat
register-engagements-purpose = Tenir ce que chacun a donné, payé ou offert de son temps, pour le remercier, en rendre compte aux financeurs et établir les reçus.
register-engagements-subjects = { $people } personne(s), { $engagements } engagement(s)
register-engagements-data = Nature, date, montant ou durée, campagne, projet soutenu
register-engagements-notes = Notes libres
register-engagements-basis = Celle de chaque personne (voir la gestion des contacts) ; obligation légale pour les reçus fiscaux
register-reminders-name = Rappels des échéances aux membres
register-reminders-purpose = Prévenir les membres des rapports à rendre aux financeurs et des tâches qui leur reviennent.
register-reminders-data-member = Nom et adresse e-mail du membre
register-reminders-data-preferences = Ses préférences de rappel, les rappels envoyés et leur date
register-reminders-basis = Intérêt légitime : le fonctionnement de l'espace
register-reminders-recipients = Le membre lui-même ; le service d'envoi d'e-mails de la plateforme (sous-traitant)
register-reminders-retention = Le temps de l'appartenance à l'espace
register-imports-name = Reprise de données (imports de fichiers)
register-imports-purpose = Faire entrer dans l'espace les fichiers et anciens outils de la structure.
register-imports-subjects = Les personnes des fichiers importés ({ $all } import(s), dont { $waiting } en cours)
register-imports-data = Le contenu des fichiers envoyés, et les lignes refusées avec leur raison
register-imports-basis = Celle des données reprises
register-imports-recipients = Les éditeurs et administrateurs de l'espace
register-imports-retention = Le fichier est supprimé dès l'import fait ou refusé ; le compte rendu reste
