## Imports: the list, one import's page (dry run, mapping, report), mapping templates.

imports-title = Imports
imports-heading = Importer des contacts
imports-hint = Un fichier CSV ou un classeur Excel (XLSX) de personnes, d'organisations, de leurs liens, de leurs étiquettes et de leur historique (activités, dons, cotisations, subventions, bénévolat) : un export de CiviCRM, Twenty, Google Contacts ou Outlook, ou votre propre tableau. Rien n'est enregistré avant que vous ayez vu l'essai à blanc et donné votre accord ; un import se défait d'un clic.
imports-file = Fichier (CSV ou XLSX, jusqu'à un million de lignes)
imports-file-hint = Première ligne : les titres des colonnes. Séparateur et encodage (UTF-8, Windows-1252, Latin-1) sont reconnus.
imports-file-missing = choisissez le fichier à importer
imports-send = Envoyer et vérifier
imports-of-workspace = Imports de l'espace
imports-none = Aucun import pour l'instant.
imports-caption = Les imports, le plus récent d'abord
imports-column-file = Fichier
imports-column-sent = Envoyé
imports-column-status = État
imports-column-rows = Lignes
imports-templates = Modèles de correspondance
imports-templates-hint = Enregistrés depuis la page d'un import vérifié ; un fichier aux mêmes colonnes reprend le sien de lui-même.
imports-templates-caption = Les modèles de correspondance des colonnes
imports-column-template = Modèle
imports-column-columns = Colonnes
imports-column-actions = Actions
imports-template-delete = Supprimer
imports-template-delete-named = { " " }le modèle { $name }

import-title = Import { $file }
import-heading = Import « { $file } »
import-rows-read = { $count ->
    [one] { $count } ligne lue, la page se met à jour toute seule.
   *[other] { $count } lignes lues, la page se met à jour toute seule.
}
import-sent-on = Envoyé le { $at }
import-source-recognised = export { $source } reconnu
import-template-used = correspondance du modèle « { $name } »
import-finished-on = terminé le { $at }
import-undone-on = annulé le { $at }
import-send-another = Envoyer un autre fichier
import-dry-run = Essai à blanc : ce que l'import ferait
import-what-it-did = Ce que l'import a fait
import-counts-caption = Décompte par ligne et par fiche
import-kept-after-undo = { $count ->
    [one] { $count } fiche créée ou complétée par l'import a été gardée à l'annulation : quelqu'un l'a modifiée ou reliée depuis.
   *[other] { $count } fiches créées ou complétées par l'import ont été gardées à l'annulation : quelqu'un les a modifiées ou reliées depuis.
}
import-indicators = Indicateurs de reprise
import-indicators-caption = Fiches de l'espace avant et après l'import
import-records = Fiches
import-before = Avant
import-after = Après
import-rejected = Lignes refusées
import-rejected-download = { $count ->
    [one] Télécharger la ligne refusée (CSV, avec sa raison)
   *[other] Télécharger les { $count } lignes refusées (CSV, avec la raison de chacune)
}
import-rejected-then = pour les corriger et les envoyer à nouveau.
import-rejected-caption = Les premières lignes refusées
import-line = Ligne
import-column = Colonne
import-reason = Raison
import-apply-template-label = Reprendre la correspondance d'un modèle enregistré
import-apply-template = Appliquer ce modèle
import-mapping = Correspondance des colonnes
import-mapping-hint = Chaque colonne du fichier va dans un champ de Maillage, ou n'est pas importée. Une ligne peut porter une personne, son organisation, sa fonction, des étiquettes et son historique : une activité (réunion, appel…) et un engagement (don, cotisation, subvention, heures de bénévolat). Une transformation change les cellules d'une colonne avant leur lecture ; les autres (téléphones au format international, dates françaises, « Oui/Non ») sont faites d'office.
import-mapping-caption = Colonnes du fichier, champs de Maillage et transformations
import-file-column = Colonne du fichier
import-examples = Exemples
import-maillage-field = Champ de Maillage
import-transform = Transformation
import-transform-of = Transformation de la colonne { $column }
import-do-not-import = — ne pas importer —
import-as-is = telle quelle
import-duplicates = Doublons probables
import-duplicates-hint = Ces lignes ressemblent à des personnes déjà enregistrées (même nom, même organisation ou aucune), sans adresse e-mail pour en être sûr.
import-duplicates-all = Pour toutes ces lignes
import-duplicates-caption = Chaque doublon probable et la décision prise
import-in-file = Dans le fichier
import-already-known = Déjà enregistré
import-decision = Décision
import-decision-for = Décision pour la ligne { $line }
import-decision-match = c'est la même personne : compléter sa fiche
import-decision-create = ce n'est pas la même : créer une autre fiche
import-decision-skip = laisser la ligne de côté
import-check-again = Vérifier à nouveau avec ces choix
import-save-template = Enregistrer cette correspondance comme modèle
import-save-template-hint = Les prochains fichiers aux mêmes colonnes la reprendront d'eux-mêmes. Un modèle du même nom est remplacé.
import-save-template-button = Enregistrer le modèle
import-run = Importer
import-run-hint = L'import se fait en arrière-plan ; il pourra être annulé en entier.
import-discard = Abandonner cet import
import-undo = Annuler l'import
import-undo-hint = Les fiches créées par l'import sont retirées, celles qu'il a complétées retrouvent leur état d'avant. Les fiches modifiées ou reliées depuis sont gardées.
import-undo-button = Annuler cet import

import-count-rows = Lignes lues
import-count-rejected = Lignes refusées
import-count-skipped = Lignes laissées de côté (vides ou doublons écartés)
import-count-people-created = Personnes créées
import-count-people-updated = Personnes déjà connues, complétées
import-count-people-matched = Personnes déjà connues, sans rien à ajouter
import-count-likely-duplicates = Doublons probables
import-count-organisations-created = Organisations créées
import-count-organisations-matched = Organisations déjà connues
import-count-affiliations-created = Liens personne–organisation créés
import-count-tags-created = Étiquettes créées
import-count-tags-attached = Étiquettes posées
import-count-activities-created = Activités créées (historique)
import-count-activities-matched = Activités déjà enregistrées
import-count-engagements-created = Engagements créés (dons, cotisations…)
import-count-engagements-matched = Engagements déjà enregistrés

import-total-people = Personnes
import-total-organisations = Organisations
import-total-affiliations = Liens personne–organisation
import-total-tags = Étiquettes
import-total-activities = Activités
import-total-engagements = Engagements

import-status-checking = vérification en cours
import-status-checked = vérifié, en attente de votre accord
import-status-refused = fichier refusé
import-status-queued = en file d'attente
import-status-running = import en cours
import-status-done = importé
import-status-failed = échec, rien n'a été gardé
import-status-undoing = annulation en cours
import-status-undone = annulé

import-field-given_name = Personne : prénom
import-field-family_name = Personne : nom
import-field-full_name = Personne : nom complet (prénom et nom)
import-field-email = Personne : e-mail
import-field-phone = Personne : téléphone
import-field-mobile = Personne : mobile
import-field-street = Personne : adresse (rue)
import-field-postal_code = Personne : code postal
import-field-city = Personne : ville
import-field-email_consent = Personne : accepte les e-mails (Oui/Non)
import-field-consent_on = Personne : date du consentement
import-field-notes = Personne : notes
import-field-organisation_name = Organisation : nom
import-field-organisation_kind = Organisation : type
import-field-organisation_email = Organisation : e-mail
import-field-organisation_phone = Organisation : téléphone
import-field-organisation_website = Organisation : site web
import-field-organisation_sector = Organisation : secteur
import-field-organisation_territory = Organisation : territoire
import-field-role = Lien : fonction dans l'organisation
import-field-tags = Étiquettes
import-field-activity_on = Historique : date de l'activité
import-field-activity_kind = Historique : type d'activité (réunion, appel…)
import-field-activity_subject = Historique : objet de l'activité
import-field-activity_body = Historique : compte rendu de l'activité
import-field-engagement_kind = Historique : type d'engagement (don, cotisation…)
import-field-engagement_amount = Historique : montant (€)
import-field-engagement_hours = Historique : heures de bénévolat
import-field-engagement_on = Historique : date de l'engagement
import-field-engagement_campaign = Historique : campagne

import-transform-capitalise = Majuscule initiale (DUPONT → Dupont)
import-transform-family_name_first = Nom de famille d'abord (Martin Camille)
import-transform-month_first = Mois avant le jour (12/31/2025)
import-transform-negate = Inverser Oui et Non (« Ne pas contacter »)
import-column-ignored = colonne ignorée
