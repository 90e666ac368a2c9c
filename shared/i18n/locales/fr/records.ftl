## A record's page: its facts, links, history, changes and engagements.
record-all-people = Toutes les personnes
record-all-organisations = Toutes les organisations
record-email = E-mail
record-phone = Téléphone
record-primary = , principal
record-address = Adresse
record-notes = Notes
record-yes = Oui
record-no = Non
record-not-given = Non renseigné
record-basis-not-given = Non renseignée
record-accepts-emails = Accepte les e-mails
record-legal-basis = Base légale
record-current = En cours
record-past = Passé
record-organisations = Organisations
record-attach-organisation = Rattacher à une organisation
record-organisations-none = Aucune organisation liée.
record-people = Personnes
record-attach-person = Rattacher une personne
record-people-none = Aucune personne liée.
record-personal-data = Données personnelles (RGPD)
record-consent-history = Historique du consentement
column-since = Depuis le
column-emails = E-mails
column-changed-by = Modifié par
record-consent-unchanged = Consentement enregistré le { $date }, inchangé depuis.
record-consent-none = Aucun consentement enregistré.
record-copy-of-data = Copie de ses données
record-erase-person = Effacer cette personne…
record-tags = Étiquettes
record-tags-add = Ajouter des étiquettes
record-tags-change = Modifier les étiquettes
record-tags-label = Étiquettes, séparées par des virgules
record-tags-save = Enregistrer les étiquettes
record-edit = Modifier la fiche
record-merge = Fusionner un doublon…
record-links = Liens
record-links-none = Aucun partenariat, projet ni rapport lié pour l'instant.
record-links-partnerships = Partenariats
record-links-projects = Projets
record-links-reports = Rapports
record-through = par { $name }
record-owed-to-this-organisation = dû à cette organisation
record-owed-for = pour { $name }
record-deadline-state = { $status ->
    [late] en retard
    [submitted] rendu
    [waived] dispensé
   *[other] à rendre
}, le { $at }
record-history = Historique
record-note-activity = Noter une activité
record-history-none = Aucune activité pour l'instant.
record-task-done = faite le { $at }
record-task-due = à faire pour le { $at }
record-task-to-do = à faire
record-task-mark-done = Marquer « { $subject } » comme faite
record-correct = Corriger
record-changes = Modifications de la fiche
record-someone = Quelqu'un
record-change-created = a créé la fiche
record-change-binned = a mis la fiche à la corbeille
record-change-restored = a restauré la fiche
record-change-merged = y a fusionné un doublon
record-change-changed = a modifié la fiche
record-change-changed-fields = a modifié : { $fields }
record-field-given-name = prénom
record-field-name = nom
record-field-title = intitulé
record-field-emails = e-mails
record-field-phones = téléphones
record-field-address = adresse
record-field-consent = consentement
record-field-notes = notes
record-field-status = état
record-field-kind = type
record-field-sector = secteur
record-field-territory = territoire
record-field-website = site web
record-field-starts-on = début
record-field-ends-on = fin
record-field-description = description
record-field-target-population = public visé
record-field-owner = responsable
record-field-milestones = jalons
record-field-budget = budget
record-field-partners = partenaires
record-field-agreement = convention
record-field-next-evaluation = prochaine évaluation
record-field-custom = champs personnalisés
record-engagements = Engagements
record-engagements-add = Enregistrer un engagement
record-engagements-none = Aucun engagement enregistré.
record-engagements-detail = Le détail des derniers engagements
record-engagement-of = l'engagement du { $date }
column-year = Année
column-count = Nombre
column-total = Total
column-date = Date
column-campaign = Campagne
column-amount-or-time = Montant ou durée
column-action = Action

## A deadline's page.
deadline-all = Toutes les échéances
deadline-edit = Modifier l'échéance
deadline-recurrence = Récurrence
deadline-series = Échéance n° { $number } d'une série { $frequency ->
    [monthly] mensuelle
    [quarterly] trimestrielle
    [yearly] annuelle
   *[other] à dates fixées
}
deadline-responsibles = Responsables
deadline-submitted-on = Rendu le
deadline-reference = Référence
deadline-waiver-reason = Motif de l'annulation
deadline-submitted-question = Le rapport est rendu ?
deadline-submission-reference = Référence du dépôt (facultatif)
deadline-mark-submitted = Marquer comme rendu
deadline-waive = Annuler l'échéance
deadline-waive-hint = Le rapport n'est plus dû (le financeur y a renoncé, l'échéance ne s'applique pas) : elle reste dans l'historique, marquée annulée, et plus aucun rappel n'est envoyé.
deadline-reopen = Rouvrir l'échéance
deadline-delete-hint = Saisie par erreur ? La supprimer l'efface de la liste et de l'agenda ; le journal garde ce qu'elle était.
deadline-delete = Supprimer l'échéance…

## A project's page.
project-all = Tous les projets
project-target-population = Public visé
project-milestones = Jalons
project-edit-plan = Modifier les jalons et le budget
project-milestones-none = Aucun jalon.
project-milestone-done = fait le { $date }
project-milestone-due = prévu le { $date }
project-milestone-no-date = sans date
project-budget = Budget
project-budget-none = Aucune ligne de budget.
project-budget-line = Poste
project-planned = Prévu
project-actual = Réalisé
project-partners-none = Aucun partenaire.
project-partner-remove = Retirer { $name }
project-partner-add = Ajouter un partenaire
project-partner-name-hint = Son nom, tel qu'il est sur sa fiche.
project-partner-partnership = Ou tout un partenariat
project-partner-role = Rôle dans le projet
project-partner-role-example = Cofinanceur, opérateur…
project-partner-add-button = Ajouter ce partenaire

## A partnership's page.
partnership-all = Tous les partenariats
partnership-next-evaluation = Prochaine évaluation
partnership-agreement = Convention
partnership-evaluations = Évaluations
partnership-evaluate = Évaluer le partenariat
partnership-evaluations-none = Aucune évaluation pour l'instant.
agreement-purpose = Objet
agreement-shared-values = Valeurs partagées
agreement-roles = Rôle de chacun
agreement-phasing = Phasage
agreement-means = Moyens
agreement-regulation-mode = Mode de régulation
agreement-evaluation-method = Méthode d'évaluation
evaluation-title = { $stage ->
    [final] Évaluation finale
   *[other] Évaluation intermédiaire
} du { $date }
evaluation-objectives-set = Objectifs fixés :
evaluation-objectives-reached = Objectifs atteints :
evaluation-effectiveness = Efficacité
evaluation-efficiency = Efficience
evaluation-impact = Impact

## The network page.
network-title = Réseau
network-heading = Le réseau au { $date }
network-filter = Filtrer le réseau
network-on = Tel qu'il était le
network-compare-with = Comparer avec le
network-partnership-kind = Type de partenariat
network-partnership-status = État du partenariat
network-all-kinds = Tous les types
network-all-statuses = Tous les états
network-all-projects = Tous les projets
network-show = Afficher
network-today = Aujourd'hui, sans filtre
network-drawing = Le dessin
network-legend = Légende
network-download-png = Télécharger en PNG
network-download-svg = Télécharger en SVG
network-drawing-label = Le dessin du réseau ; les mêmes liens sont listés ci-dessous.
network-drawing-noscript = Le dessin demande JavaScript ; les liens sont listés ci-dessous.
network-drawing-hint = Un clic sur une fiche l'ouvre. La molette ou deux doigts agrandissent.
network-figures = En chiffres
network-nodes = { $count ->
    [one] fiche liée
   *[other] fiches liées
}
network-ties = { $count ->
    [one] lien
   *[other] liens
}
network-density = de densité
network-isolated = { $count ->
    [one] organisation isolée
   *[other] organisations isolées
}
network-dormant = { $count ->
    [one] lien en sommeil (aucune activité depuis 12 mois)
   *[other] liens en sommeil (aucune activité depuis 12 mois)
}
network-ties-count = { $count ->
    [one] { $count } lien
   *[other] { $count } liens
}
network-most-connected = Les plus reliées
network-isolated-list = Organisations isolées
network-since-heading = Depuis le { $date }
network-since = depuis le { $date }
network-comparison = Le { $earlier } : { $nodes_then } fiches liées et { $ties_then } liens ; au { $on } : { $nodes } et { $ties }.
network-appeared = Apparus ({ $count })
network-appeared-none = Aucun lien nouveau.
network-disappeared = Disparus ({ $count })
network-disappeared-none = Aucun lien disparu.
network-all-ties = Tous les liens
network-no-ties = Aucun lien ce jour-là avec ces filtres.
network-relation-partner_in = partenaire de
network-relation-affiliated_to = membre de
network-relation-works_on = travaille sur
network-relation-funds = finance
network-relation-other = lié à
network-kind-organisation = Organisations
network-kind-person = Personnes
network-kind-partnership = Partenariats
network-kind-project = Projets
