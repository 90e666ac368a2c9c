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

## An invitation's link, opened from its email.

invitation-title = Invitation · { $workspace } · Maillage
invitation-heading = Invitation à rejoindre { $workspace }
invitation-invites-you-sign-in = L'espace { $workspace } vous invite sur Maillage, avec le rôle { $role }.
invitation-sign-in-with = Connectez-vous avec l'adresse { $email } pour accepter. Ce lien sert une fois, jusqu'au { $expires }.
invitation-sign-in-button = Se connecter pour accepter
invitation-invites-you = L'espace { $workspace } vous invite, avec le rôle { $role }.
invitation-join = Rejoindre l'espace
invitation-sent-to = Cette invitation a été envoyée à { $email }.
invitation-sent-to-other = Cette invitation a été envoyée à { $email }, et vous êtes connecté avec { $me }.
invitation-other-account = Déconnectez-vous, puis ouvrez de nouveau le lien de l'e-mail et connectez-vous avec l'adresse invitée. Si vous utilisez une autre adresse, demandez à un administrateur de l'espace de l'inviter.
invitation-log-out = Se déconnecter
invitation-expired = Cette invitation a expiré le { $expires }. Demandez à un administrateur de l'espace de vous l'envoyer de nouveau.
invitation-used = Cette invitation a déjà servi : un lien d'invitation ne sert qu'une fois. Si c'était vous, connectez-vous pour retrouver l'espace.
invitation-log-in = Se connecter
invitation-dead = Ce lien d'invitation ne sert plus
invitation-dead-detail = L'invitation a peut-être été annulée, ou renvoyée depuis avec un nouveau lien. Demandez à un administrateur de l'espace de vous inviter de nouveau.
public-back-home = Revenir à l'accueil

## Unsubscribing from reminders, from an email's link.

unsubscribe-title = Rappels par e-mail · Maillage
unsubscribe-heading = Rappels par e-mail
unsubscribe-done = C'est fait : vous ne recevrez plus de rappels de l'espace { $workspace }.
unsubscribe-again = Vous pourrez les réactiver à tout moment depuis vos préférences dans Maillage.
unsubscribe-question = Ne plus recevoir aucun rappel d'échéance de l'espace { $workspace } ?
unsubscribe-button = Me désabonner

## Creating one's own workspace.

own-title = Créer l'espace de votre structure · Maillage
own-heading = Créer l'espace de votre structure
own-intro = Vous en serez le propriétaire : vous y inviterez ensuite vos collègues.
own-name = Nom de la structure
own-slug = Identifiant dans les adresses (/t/identifiant/) : minuscules, chiffres et tirets
own-kind = Type
own-time-zone = Fuseau horaire (les rappels le suivent)
own-create = Créer l'espace
