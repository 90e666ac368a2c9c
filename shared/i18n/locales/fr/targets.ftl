## The targets ("la cible"): the list, one target's page, its drawing.

targets-title = Cibles
targets-heading = Cibles partenariales
targets-hint = Une cible place chacun de ceux avec qui l'organisation pourrait travailler sur des cercles, du plus proche au centre au plus lointain : où il est aujourd'hui, où il devrait être. L'écart dit où porter l'effort.
targets-none = Aucune cible pour l'instant.
targets-caption = Les cibles, la plus récente d'abord
targets-column-target = Cible
targets-column-on = Au
targets-column-for = Pour
targets-column-stakeholders = Parties prenantes
targets-column-gaps = Écarts
targets-whole-organisation = Toute l'organisation
targets-draw = Dessiner une cible
targets-name = Nom
targets-name-example = Cible 2027
targets-on = Au
targets-on-hint = Aujourd'hui si rien n'est saisi.
targets-for = Pour
targets-copy-from = À partir de la cible (ses parties prenantes, leurs places et leurs raisons)
targets-draw-button = Dessiner

target-all = Toutes les cibles
target-on = Au { $day }
target-for-project = pour le projet
target-for-everyone = toute l'organisation
target-stakeholders = { $count ->
    [one] { $count } partie prenante
   *[other] { $count } parties prenantes
}
target-task-made = Tâche créée pour { $who } : elle est sur son fil et dans « Mes tâches » de l'accueil.
target-drawing = Le dessin
target-legend = Légende
target-legend-today = Aujourd'hui
target-legend-ideal = Idéal
target-legend-prospect = Piste (pas encore une fiche)
target-legend-gap = Écart à combler
target-download-svg = Télécharger en SVG
target-download-png = Télécharger en PNG
target-drag-hint = Faites glisser un point plein (aujourd'hui) ou pointillé (idéal) vers un autre cercle, ou hors de la cible. Au clavier, le formulaire « Placer » ci-dessous fait de même.
target-gaps = Les écarts
target-no-gap = Chacun est à sa place : aucun écart.
target-gap-line = { " : " }de « { $from } » à « { $to } »
target-gap-closer = { $count ->
    [one] { $count } cercle à gagner
   *[other] { $count } cercles à gagner
}
target-gap-too-close = { $count ->
    [one] { $count } cercle de trop près
   *[other] { $count } cercles de trop près
}
target-make-task = Créer une tâche
target-make-task-for = Créer une tâche pour { $who }
target-place = Placer
target-nobody = Personne sur cette cible pour l'instant.
target-prospect = piste
target-today = Aujourd'hui
target-ideally = Idéalement
target-our-reasons = Nos raisons de travailler ensemble
target-their-reasons = Leurs raisons de travailler avec nous
target-save-stakeholder = Enregistrer { $who }
target-promote = Faire de { $who } une fiche organisation
target-remove = Retirer { $who } de la cible
target-add = Ajouter à la cible
target-add-name = Organisation, ou piste à nommer
target-add-name-hint = Le nom d'une organisation des fiches la place ; un autre nom devient une piste, gardée à part des fiches.
target-add-button = Ajouter
target-compare = Comparer avec une autre cible
target-nothing-to-compare = Aucune autre cible à comparer : dessinez la suivante à partir de celle-ci.
target-the-other = L'autre cible
target-compare-button = Comparer
target-since = Depuis { $target }
target-column-stakeholder = Partie prenante
target-column-then = Alors
target-column-now = Maintenant
target-column-move = Mouvement
target-absent = absente
target-appeared = nouvelle sur la cible
target-disappeared = n'est plus sur la cible
target-came-closer = { $count ->
    [one] s'est rapprochée de { $count } cercle
   *[other] s'est rapprochée de { $count } cercles
}
target-went-away = { $count ->
    [one] s'est éloignée de { $count } cercle
   *[other] s'est éloignée de { $count } cercles
}
target-same-ring = au même cercle
target-settings = La cible
target-settings-summary = Renommer, dater, changer les cercles
target-rings = Cercles, du centre vers l'extérieur, un par ligne (de 2 à 6)
target-notes = Notes
target-save = Enregistrer la cible
target-next-summary = Dessiner la cible suivante à partir de celle-ci
target-next-button = Dessiner la suivante
target-delete-summary = Supprimer cette cible…
target-delete-said = La cible et les places de ses parties prenantes disparaissent ; les fiches et les tâches restent.
target-delete-button = Supprimer « { $name } »
target-outside = hors de la cible
target-outside-choice = Hors de la cible
target-svg-title = La cible « { $name } »
target-placed = { $who } : aujourd'hui { $today }, idéalement { $ideal }
target-ideal-marker = { $said } (idéal)
target-ring-unknown = Ce cercle n'existe pas sur la cible.
target-angle-unknown = Cet angle n'est pas un nombre.
target-move-saved = Place enregistrée.
target-move-refused = Le déplacement n'a pas été enregistré :
target-move-offline = Le déplacement n'a pas été enregistré (réseau).
target-reloading = La page est rechargée.

## The task a gap on a target becomes (written in the words of the member who makes it).
target-task-ring = « { $ring } »
target-task-keep = Entretenir la relation avec { $who } ({ $today })
target-task-bring-in = Faire entrer { $who } dans la cible : { $ideal }
target-task-closer = Rapprocher { $who } : de { $today } à { $ideal }
target-task-further = Prendre de la distance avec { $who } : de { $today } à { $ideal }
target-task-body = Écart relevé sur la cible « { $target } ».
target-task-our-reasons = Nos raisons de travailler ensemble : { $reasons }
target-task-their-reasons = Leurs raisons : { $reasons }
