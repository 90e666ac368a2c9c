# The workspace's home page: its dashboard.
home-title = Accueil
home-new-deadline = Nouvelle échéance
home-reports = Rapports
home-late = en retard
home-for-me = { $count } pour moi
home-due-soon = à rendre sous { $days } jours
home-no-report = Aucun rapport en retard ni à rendre dans les { $days } jours.
home-me = moi
home-projects = Projets en cours
home-running = en cours
home-running-mine = { $count } dont je suis responsable
home-planned =
    { $count ->
        [one] prévu
       *[other] prévus
    }
home-no-project = Aucun projet prévu ni en cours.
home-milestones = Jalons : { $done } sur { $count }
home-milestones-short = { $done } sur { $count }
home-budget = Budget : { $amount }
home-over-budget = (dépassé)
home-partnerships = Partenariats
home-no-partnership = Aucun partenariat pour l'instant.
home-ending-soon = Se terminent dans les 3 mois
home-to-evaluate = À évaluer
home-network = Le réseau
home-partners =
    { $count ->
        [one] partenaire
       *[other] partenaires
    }
home-partners-hint = (organisations d'un partenariat en cours)
home-new-partners =
    { $count ->
        [one] nouveau cette année
       *[other] nouveaux cette année
    }
home-dormant = en sommeil (aucune activité depuis 12 mois)
home-dormant-list = Les partenaires en sommeil
home-see-network = Voir le réseau dessiné, et son évolution
home-see-targets = Les cibles partenariales
home-team-activity = Activité récente de l'équipe
home-no-team-activity = Rien de nouveau de la part de vos collègues.
home-my-tasks = Mes tâches
home-no-task = Aucune tâche ouverte.
home-late-by =
    { $days ->
        [one] en retard de { $days } jour
       *[other] en retard de { $days } jours
    }
home-due-on = à rendre le { $when }
home-spent-of = { $spent } dépensés sur { $planned }
home-ends-on = se termine le { $date }
home-evaluation-overdue = évaluation attendue depuis le { $date }
home-evaluation-on = évaluation le { $date }
home-no-activity = aucune activité enregistrée
home-last-activity = dernière activité le { $date }
home-task-late = en retard : à faire le { $date }
home-task-on = à faire le { $date }
home-task-undated = sans date
