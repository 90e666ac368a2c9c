//! The invitation email: who invites, to which workspace, as what, and the link that
//! joins it (once, until it expires).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::RenderedEmail;
use super::layout::Layout;
use super::words::local_when;

pub struct InvitationContent<'a> {
    /// The workspace's language ("fr-FR", "en"…): the invited person has none yet.
    pub language: &'a str,
    pub tenant_name: &'a str,
    /// Who sent it, when known.
    pub inviter: Option<&'a str>,
    pub invited_email: &'a str,
    pub role: &'a str,
    pub expires_at: DateTime<Utc>,
    pub zone: Tz,
    pub link: &'a str,
}

/// A role's name in either language.
fn role_name(role: &str, english: bool) -> &'static str {
    match (role, english) {
        ("owner", false) => "propriétaire",
        ("admin", false) => "administrateur",
        ("editor", false) => "éditeur",
        (_, false) => "lecteur",
        ("owner", true) => "owner",
        ("admin", true) => "administrator",
        ("editor", true) => "editor",
        (_, true) => "viewer",
    }
}

impl InvitationContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language.starts_with("en");
        let tenant = self.tenant_name;
        let role = role_name(self.role, english);
        let until = local_when(self.expires_at, self.zone, false, english);
        let email = self.invited_email;
        let (subject, greeting, lines, action, footer) = if english {
            let who = match self.inviter {
                Some(inviter) => format!("{inviter} invites you"),
                None => "You are invited".into(),
            };
            (
                format!("[{tenant}] Join the workspace on Maillage"),
                "Hello,".to_owned(),
                vec![
                    format!("{who} to join the {tenant} workspace on Maillage, as {role}."),
                    "Maillage keeps the partner network, the projects and the reports owed to funders in one place, with a reminder before each deadline.".into(),
                    format!("Sign in with this address ({email}) to accept. The link works once, until {until}."),
                ],
                "Join the workspace",
                format!("You receive this email because an administrator of the {tenant} workspace invited you. If you did not expect it, ignore it: nothing happens without you."),
            )
        } else {
            let who = match self.inviter {
                Some(inviter) => format!("{inviter} vous invite"),
                None => "Vous êtes invité".into(),
            };
            (
                format!("[{tenant}] Rejoindre l'espace sur Maillage"),
                "Bonjour,".to_owned(),
                vec![
                    format!("{who} à rejoindre l'espace {tenant} sur Maillage, avec le rôle {role}."),
                    "Maillage réunit le réseau des partenaires, les projets et les rapports dus aux financeurs, avec un rappel avant chaque échéance.".into(),
                    format!("Connectez-vous avec cette adresse ({email}) pour accepter. Le lien sert une fois, jusqu'au {until}."),
                ],
                "Rejoindre l'espace",
                format!("Vous recevez ce message car un administrateur de l'espace {tenant} vous a invité. Si vous ne l'attendiez pas, ignorez-le : rien ne se fait sans vous."),
            )
        };
        Layout {
            english,
            greeting: &greeting,
            lines: &lines,
            action,
            link: self.link,
            footer: &footer,
            unsubscribe: None,
        }
        .render(subject)
    }
}
