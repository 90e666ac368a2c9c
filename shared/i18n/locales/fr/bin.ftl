# The bin: what was deleted, to restore.
bin-title = Corbeille
bin-just-binned = La fiche est dans la corbeille. Elle peut en être restaurée ci-dessous, telle qu'elle était.
bin-hint = Les personnes, organisations, projets et partenariats supprimés attendent ici, les plus récents d'abord.
bin-empty = La corbeille est vide.
bin-column-record = Fiche
bin-column-deleted = Supprimée le
bin-column-action = Action
bin-restore = Restaurer
bin-next = Suivantes →
record-kind-person = Personne
record-kind-organisation = Organisation
record-kind-project = Projet
record-kind-partnership = Partenariat
