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
