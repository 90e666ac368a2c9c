## The platform's console (/admin), in its administrator's language.

console-title = Console de la plateforme
console-skip = Aller au contenu
console-logout = Se déconnecter
console-workspaces = Espaces de travail
console-created = L'espace { $slug } est créé ; son propriétaire le devient à sa première connexion.
console-existed = L'espace { $slug } existait déjà, tel que demandé : rien n'a changé.
console-suspended = L'espace { $slug } est suspendu : ses membres en sont avertis, ses rappels attendent.
console-reactivated = L'espace { $slug } est de nouveau actif : ses rappels reprennent.
console-deleting = La suppression de l'espace { $slug } est demandée : il est suspendu d'ici là, et la suppression reste annulable.
console-kept = La suppression de l'espace { $slug } est annulée ; il reste suspendu.
console-imported = L'archive est importée dans l'espace { $slug } : { $rows } lignes.
console-search = Chercher un espace (identifiant ou nom)
console-search-button = Chercher
console-none = Aucun espace.
console-none-matching = Aucun espace ne correspond à « { $query } ».
console-count = { $count ->
    [one] { $count } espace
   *[other] { $count } espaces
}
console-column-workspace = Espace
console-column-kind = Type
console-column-status = État
console-column-members = Membres
console-column-invitations = Invitations
console-column-records = Fiches
console-column-emails = E-mails ce mois
console-column-storage = Stockage
console-column-activity = Dernière activité
console-column-action = Action
console-status-deleting = suppression le { $date }
console-status-active = actif
console-status-suspended = suspendu
console-storage-unmeasured = à mesurer
console-cancel-deletion = Annuler la suppression
console-suspend = Suspendre
console-reactivate = Réactiver
console-delete = Supprimer…
console-export = Exporter
console-import = Importer…
console-new = Créer un espace
console-field-name = Nom
console-field-slug = Identifiant dans les adresses (/t/identifiant/)
console-field-kind = Type
console-field-time-zone = Fuseau horaire (les rappels le suivent)
console-field-owner-email = E-mail du premier propriétaire
console-create = Créer l'espace
console-back = ← Retour à la console
console-cancel = Annuler
console-delete-title = Supprimer { $name }
console-delete-heading = Supprimer l'espace { $name } ?
console-delete-counts = L'espace { $slug } compte { $members ->
    [one] { $members } membre
   *[other] { $members } membres
} et { $records ->
    [one] { $records } fiche
   *[other] { $records } fiches
}.
console-delete-consequences = Il sera suspendu aussitôt : ses membres en seront avertis et ses rappels s'arrêteront. À la fin du délai de grâce, toutes ses données seront supprimées, sans retour possible. Jusque-là, la suppression peut être annulée depuis la console.
console-delete-export-before = Avant cela,
console-delete-export-link = téléchargez l'export de l'espace
console-delete-export-what = : toutes ses données dans une archive zip (chaque table en JSON, les personnes et les organisations en CSV).
console-field-grace-days = Délai de grâce, en jours (de 1 à 365)
console-delete-confirm = Supprimer l'espace après ce délai
console-import-title = Importer dans { $name }
console-import-heading = Importer une archive dans { $name }
console-import-explained = L'archive est celle que donne l'export d'un espace, ici ou sur une autre installation de Maillage. Elle ne s'importe que dans un espace vide ({ $records ->
    [one] { $records } fiche
   *[other] { $records } fiches
} ici) : les fiches, leurs liens, leur historique et leurs rappels y entrent tous, ou rien.
console-field-archive = Archive (.zip)
console-import-button = Importer
console-size-bytes = { $value } o
console-size-kilobytes = { $value } ko
console-size-megabytes = { $value } Mo
console-size-gigabytes = { $value } Go
refused-slug-taken = est déjà celui d'un autre espace
refused-grace-days = doit être un nombre de jours, de 1 à 365
