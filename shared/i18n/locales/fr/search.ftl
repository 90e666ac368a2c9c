# The search page.
search-title = Recherche
search-title-query = Recherche « { $query } »
search-results-for = Résultats pour « { $query } »
search-refused = Pour chercher, { $reason }.
search-nothing = Aucune fiche ne correspond. Vérifiez l'orthographe, ou essayez le début d'un nom.
search-approximate = Aucun résultat exact : voici les plus proches.
search-how = Tapez le début d'un nom de personne, d'organisation, de projet, de partenariat, d'échéance ou d'activité dans le champ de recherche, en haut de la page. Les accents et les fautes de frappe sont pardonnés.
search-group-activities = Activités
