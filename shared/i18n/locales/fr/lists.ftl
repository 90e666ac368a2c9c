# The lists of records, and what every list shares: order, filter, export, next page.
list-next-page = Page suivante
list-filtered = Filtré : { $filter }
list-show-all = Tout afficher
list-sort = Trier :
list-by-name = par nom
list-recent-first = récemment modifiées d'abord
list-export = Exporter :
list-export-xlsx = Excel (XLSX)
list-export-csv = CSV
list-import = Importer un fichier
column-name = Nom
column-email = E-mail
column-phone = Téléphone
column-kind = Type
column-website = Site
people-title = Personnes
people-added = La personne a été ajoutée.
people-erased = La personne a été effacée de l'espace, partout où elle figurait. Le journal garde la trace de l'effacement, sans ses données.
people-add = Ajouter une personne
people-none = Aucune personne pour l'instant.
organisations-title = Organisations
organisations-added = L'organisation a été ajoutée.
organisations-add = Ajouter une organisation
organisations-none = Aucune organisation pour l'instant.
list-by-title = par titre
list-recent-first-masculine = récemment modifiés d'abord
column-status = État
column-period = Période
column-territory = Territoire
deadlines-title = Échéances
deadlines-heading = Échéances de rapport
deadlines-none-filtered = Aucune échéance de ce filtre.
deadlines-none = Aucune échéance pour l'instant.
deadlines-export = Exporter :
deadlines-export-filtered = Exporter avec ce filtre :
column-report = Rapport
column-funder = Financeur
column-due = À rendre le
deadline-status-upcoming = À venir
deadline-status-late = En retard
deadline-status-submitted = Rendu
deadline-status-waived = Annulée
projects-title = Projets
projects-add = Ajouter un projet
projects-none = Aucun projet pour l'instant.
column-project = Projet
column-planned-budget = Budget prévu
partnerships-title = Partenariats
partnerships-add = Ajouter un partenariat
partnerships-none = Aucun partenariat pour l'instant.
column-partnership = Partenariat
column-partners = Partenaires
period-between = du { $start } au { $end }
period-from = depuis le { $start }
period-until = jusqu'au { $end }

## Lists as a CRM's: the filter bar, saved views, columns, actions on a selection.
column-organisation = Organisation
column-city = Commune
column-consent = Accord e-mail
column-updated = Modifiée le
column-sector = Secteur
column-owner = Responsable
column-tag = Étiquette
list-filters = Filtrer la liste
list-filter-apply = Filtrer
list-filter-all = Tous
list-filter-all-feminine = Toutes
list-filter-me = Moi
list-filter-mine = les miens
list-filter-owner = de { $name }
list-filter-within = à rendre sous { $days } jours
list-filter-tag = étiquette « { $value } »
list-filter-territory = territoire « { $value } »
list-filter-since-label = Modifiée depuis le
list-filter-since = modifiée depuis le { $date }
list-none-filtered = Aucune fiche ne correspond à ces filtres.
list-consent-yes = Oui
list-consent-no = Non
list-views = Vues enregistrées
list-view-shared = partagée
list-view-delete = Supprimer
list-view-delete-named = Supprimer la vue « { $name } »
list-view-save = Enregistrer cette vue
list-view-name = Nom de la vue
list-view-share = La proposer à tout l'espace
list-view-save-button = Enregistrer la vue
list-view-saved = La vue est enregistrée.
list-view-deleted = La vue est supprimée.
list-view-name-refused = Donnez à la vue un nom de 1 à { $max } caractères.
list-view-too-long = Cette vue a trop de filtres pour être enregistrée.
list-columns = Choisir les colonnes
list-columns-legend = Colonnes affichées à côté du nom
list-columns-save = Afficher ces colonnes
list-select-column = Sélection
list-select = Sélectionner { $name }
list-bulk-label = Pour les fiches cochées
list-bulk-tag = Ajouter une étiquette
list-bulk-assign = Confier à
list-bulk-bin = Mettre à la corbeille
list-bulk-tag-name = Étiquette
list-bulk-owner = Responsable
list-bulk-apply = Appliquer
list-bulk-tagged = { $count ->
    [one] { $count } fiche étiquetée.
   *[other] { $count } fiches étiquetées.
}
list-bulk-assigned = { $count ->
    [one] { $count } fiche confiée.
   *[other] { $count } fiches confiées.
}
list-bulk-binned = { $count ->
    [one] { $count } fiche mise à la corbeille.
   *[other] { $count } fiches mises à la corbeille.
}
list-bulk-failed = { $count ->
    [one] { $count } n'a pas pu l'être (supprimée ou changée entre-temps).
   *[other] { $count } n'ont pas pu l'être (supprimées ou changées entre-temps).
}
list-bulk-unknown-record = Une des fiches cochées n'existe pas.
list-bulk-none-ticked = Cochez d'abord les fiches à changer.
list-bulk-too-many = Cochez au plus 200 fiches à la fois.
list-bulk-tag-refused = Donnez une étiquette de 1 à 100 caractères.
list-bulk-owner-refused = Choisissez un membre de l'espace.
list-bulk-action-refused = Cette action n'existe pas pour cette liste.
deadlines-within = À rendre sous (jours)
list-bulk-refused = Cette action sur la sélection n'a pas pu être faite.

## Exported files: their columns and names (before the date).
export-column-given-name = Prénom
export-column-name = Nom
export-column-email = E-mail
export-column-phone = Téléphone
export-column-organisations = Organisations
export-column-accepts-emails = Accepte les e-mails
export-column-legal-basis = Base légale
export-column-consent-on = Consentement le
export-column-notes = Notes
export-column-created = Créée le
export-column-updated = Modifiée le
export-column-id = Identifiant
export-column-kind = Type
export-column-sector = Secteur
export-column-territory = Territoire
export-column-website = Site web
export-column-title = Intitulé
export-column-status = État
export-column-start = Début
export-column-end = Fin
export-column-next-evaluation = Prochaine évaluation
export-column-partners = Partenaires
export-column-purpose = Objet
export-column-target-population = Public visé
export-column-description = Description
export-column-due = À rendre le
export-column-funder = Financeur
export-column-project = Projet
export-column-partnership = Partenariat
export-column-submitted = Rendu le
export-column-submission-reference = Référence du dépôt
export-file-people = personnes
export-file-organisations = organisations
export-file-partnerships = partenariats
export-file-projects = projets
export-file-deadlines = echeances
