# The names of the values records choose from (maillage_domain::kinds), by list.

tenant-kind-association = Association
tenant-kind-municipality = Commune ou intercommunalité
tenant-kind-federation = Fédération ou réseau
tenant-kind-other = Autre

organisation-kind-funder = Financeur
organisation-kind-public_body = Organisme public
organisation-kind-association = Association
organisation-kind-company = Entreprise
organisation-kind-network = Réseau
organisation-kind-other = Autre

partnership-kind-funding = Financement
partnership-kind-operational = Opérationnel
partnership-kind-institutional = Institutionnel
partnership-kind-network = Réseau

partnership-status-prospect = Piste
partnership-status-negotiating = En négociation
partnership-status-active = Actif
partnership-status-evaluating = En évaluation
partnership-status-closed = Clos

project-status-planned = Prévu
project-status-running = En cours
project-status-suspended = Suspendu
project-status-completed = Terminé
project-status-cancelled = Abandonné

activity-kind-meeting = Réunion
activity-kind-call = Appel
activity-kind-email = E-mail
activity-kind-event = Événement
activity-kind-note = Note
activity-kind-task = Tâche

engagement-kind-grant = Subvention
engagement-kind-donation = Don
engagement-kind-in_kind = Don en nature
engagement-kind-bequest = Legs
engagement-kind-membership_fee = Cotisation
engagement-kind-sponsorship = Mécénat
engagement-kind-volunteering = Bénévolat
engagement-kind-subscription = Abonnement
engagement-kind-purchase = Achat

consent-basis-consent = Consentement de la personne
consent-basis-contract = Contrat (adhésion, inscription…)
consent-basis-legal_obligation = Obligation légale
consent-basis-vital_interest = Intérêts vitaux
consent-basis-public_task = Mission d'intérêt public
consent-basis-legitimate_interest = Intérêt légitime
