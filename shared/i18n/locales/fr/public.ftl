# The pages before any workspace: the welcome page and its sign-in.
index-hello = Bonjour { $name }.
index-console = Console de la plateforme
index-console-hint = : les espaces de travail, leur usage, en créer un.
index-your-workspaces = Vos espaces
index-no-workspace-may-create = Vous n'êtes membre d'aucun espace pour l'instant : demandez une invitation à l'administrateur de votre structure, ou créez l'espace de votre structure.
index-create-workspace = Créer l'espace de ma structure
index-no-workspace = Vous n'êtes membre d'aucun espace pour l'instant. Demandez une invitation à l'administrateur de votre structure.
index-logged-out = Vous êtes déconnecté.
index-pitch = Le réseau de vos partenaires, vos projets et les rapports dus à vos financeurs, au même endroit, avec un rappel avant chaque échéance.
index-log-in = Se connecter
index-own-sign-in = Votre structure a sa propre connexion (ProConnect, son annuaire) ? Commencez par votre adresse professionnelle.
index-work-email = Adresse e-mail professionnelle
index-continue = Continuer
