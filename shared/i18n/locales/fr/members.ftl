## The members' page.
members-title = Membres
members-heading = Membres de l'espace
members-count = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}
members-role = Rôle
members-you = (vous)
members-role-of = Rôle de { $name }
members-change = Changer
members-remove = Retirer
members-pending = Invitations en attente
members-pending-none = Aucune.
members-where = Où elle en est
members-actions = Actions
members-valid-until = { " " }; lien valable jusqu'au { $until }
members-resend = Renvoyer
members-invitation-of = l'invitation de { $email }
members-invite-heading = Inviter quelqu'un
members-invite-hint = La personne reçoit un e-mail avec un lien pour rejoindre l'espace ; elle devient membre en se connectant avec cette adresse.
members-email-address = Adresse e-mail
members-invite = Inviter
members-only-admins = Seuls les administrateurs de l'espace invitent, changent les rôles et retirent des membres.
members-email-queued = e-mail en cours d'envoi
members-email-sent = e-mail envoyé
members-email-failed = l'e-mail n'a pas pu partir : renvoyez-le ou vérifiez l'adresse
members-email-expired = expirée : renvoyez-la pour un nouveau lien
members-email-none = pas d'e-mail envoyé
members-done-invited = L'invitation part par e-mail : son lien sert une fois, pendant { $days } jours.
members-done-resent = L'invitation repart par e-mail, avec un nouveau lien.
members-done-revoked = L'invitation est annulée : son lien ne sert plus.
members-done-role = Le rôle est changé.
members-done-removed = La personne ne fait plus partie de l'espace.
role-owner = Propriétaire
role-admin = Administrateur
role-editor = Éditeur
role-viewer = Lecteur
