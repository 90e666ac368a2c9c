# The error pages: a title per kind of problem, and one per status for the others.
error-status =
    { $status ->
        [400] La demande est mal formée.
        [401] Connectez-vous pour continuer.
        [403] Vous n'avez pas accès à cette page.
        [404] Cette page n'existe pas.
        [405] Cette adresse n'accepte pas cette méthode.
        [409] La fiche a changé entre-temps.
        [413] C'est trop volumineux.
        [422] Certains champs sont invalides.
        [429] Trop de demandes : réessayez dans un instant.
        [503] Le service est très sollicité : réessayez dans un instant.
       *[other] Une erreur inattendue est survenue. Réessayez dans un instant.
    }
error-not-found-hint = L'adresse est peut-être mal saisie, ou la fiche a été supprimée. La corbeille de l'espace garde ce qui a été supprimé depuis peu.
error-field = { $field } : { $message }

## Kinds of problem a page may meet, said the same way in every service
## (`problem-{kind}`, and `problem-{kind}-detail`).

problem-read-only = Votre rôle dans cet espace permet de consulter les fiches, pas de les modifier.
problem-platform-only = Cette page est réservée aux administrateurs de la plateforme.
problem-workspace-suspended = Cet espace est suspendu.
problem-workspace-suspended-detail = Ses données sont conservées et ses rappels attendent. Pour le réactiver, adressez-vous à l'administrateur de la plateforme.
problem-cross-site-request = Cette action doit être faite depuis Maillage même.
problem-login-expired = Cette tentative de connexion a expiré ou a déjà servi. Reconnectez-vous.
problem-login-other-browser = Cette connexion a été commencée dans un autre navigateur. Si quelqu'un vous a envoyé ce lien, ne l'utilisez pas ; sinon, reconnectez-vous ici.
problem-login-failed = La connexion auprès du fournisseur d'identité a échoué. Réessayez.
problem-sign-in-domain-refused = Cet espace n'accepte pas les adresses de ce domaine.
problem-sign-in-domain-refused-detail = Connectez-vous avec votre adresse professionnelle, ou demandez à un propriétaire de l'espace d'ajouter ce domaine.
problem-sign-in-unavailable = La connexion propre à cet espace est indisponible pour le moment.
problem-sign-in-unavailable-detail = L'administrateur de la plateforme en est averti.
problem-unavailable = Le service est momentanément indisponible. Réessayez dans un instant.
problem-too-many-requests = Trop de demandes en peu de temps. Patientez un instant avant de réessayer.
problem-payload-too-large = Le contenu envoyé est trop volumineux.
problem-self-service-off = Sur cette plateforme, les espaces sont créés par son administrateur.
problem-self-service-off-detail = Demandez-lui d'en créer un pour votre structure.
problem-self-service-limit = Vous avez déjà créé autant d'espaces que cette plateforme le permet.
problem-self-service-limit-detail = Pour un autre, adressez-vous à son administrateur.
problem-deletion-pending = La suppression de cet espace est demandée.
problem-deletion-pending-detail = Annulez d'abord la suppression, puis réactivez l'espace.
problem-last-owner = L'espace doit garder au moins un propriétaire.
problem-last-owner-detail = Nommez d'abord un autre propriétaire.
problem-already-member = Cette personne est déjà membre de l'espace.
problem-invitation-just-sent = Cette invitation vient d'être envoyée.
problem-invitation-just-sent-detail = Attendez une minute avant de l'envoyer de nouveau.
problem-logo-too-large = L'image dépasse la taille acceptée.
problem-logo-too-large-detail = Au plus 5 Mo.
problem-unknown-filter = Cette liste ne se filtre pas ainsi.
