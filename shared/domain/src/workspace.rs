//! A workspace as the platform makes it: every field checked once, by the same rules
//! for the console, the provisioning API and the command line.

use crate::{EmailAddress, TenantKind, TenantSlug};

/// The languages a workspace may speak by default.
pub const LOCALES: &[&str] = &["fr-FR", "en-GB"];

/// The longest name a workspace may have.
const NAME_MAX: usize = 200;

/// A workspace to make, every field valid.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWorkspace {
    pub slug: TenantSlug,
    pub name: String,
    pub kind: TenantKind,
    pub locale: String,
    pub time_zone: chrono_tz::Tz,
    /// Becomes its first owner, invited by email.
    pub owner_email: EmailAddress,
}

/// The fields as typed; a missing locale or time zone takes the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkspaceFields<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub locale: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub owner_email: &'a str,
}

/// Refused fields, each with why (in French).
type Refused = Vec<(&'static str, String)>;

/// The name, trimmed; refused when empty or too long.
fn checked_name<'a>(name: &'a str, refused: &mut Refused) -> &'a str {
    let name = name.trim();
    if name.is_empty() {
        refused.push(("name", "est obligatoire".to_owned()));
    } else if name.chars().count() > NAME_MAX {
        refused.push((
            "name",
            format!("ne doit pas dépasser {NAME_MAX} caractères"),
        ));
    }
    name
}

fn checked_locale<'a>(locale: &'a str, refused: &mut Refused) -> &'a str {
    let locale = locale.trim();
    if !LOCALES.contains(&locale) {
        refused.push(("locale", format!("doit valoir {}", LOCALES.join(" ou "))));
    }
    locale
}

fn checked_time_zone(time_zone: &str, refused: &mut Refused) -> Option<chrono_tz::Tz> {
    let zone = time_zone.trim().parse::<chrono_tz::Tz>().ok();
    if zone.is_none() {
        refused.push((
            "time_zone",
            "n'est pas un fuseau horaire connu (par exemple Europe/Paris)".to_owned(),
        ));
    }
    zone
}

/// What a workspace's admins change of it, every field valid.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceSettings {
    pub name: String,
    pub locale: String,
    pub time_zone: chrono_tz::Tz,
}

impl WorkspaceSettings {
    /// The settings, or every refused field with why (in French), all at once.
    pub fn parse(name: &str, locale: &str, time_zone: &str) -> Result<Self, Refused> {
        let mut refused = Vec::new();
        let name = checked_name(name, &mut refused);
        let locale = checked_locale(locale, &mut refused);
        let time_zone = checked_time_zone(time_zone, &mut refused);
        match time_zone {
            Some(time_zone) if refused.is_empty() => Ok(Self {
                name: name.to_owned(),
                locale: locale.to_owned(),
                time_zone,
            }),
            _ => Err(refused),
        }
    }
}

impl NewWorkspace {
    /// The workspace, or every refused field with why (in French), all at once.
    pub fn parse(fields: WorkspaceFields<'_>) -> Result<Self, Refused> {
        let mut refused = Vec::new();
        let slug = TenantSlug::parse(fields.slug.trim()).map_err(|_| {
            refused.push((
                "slug",
                "doit compter de 3 à 63 lettres minuscules, chiffres ou tirets (ni au début ni à la fin)".to_owned(),
            ))
        });
        let name = checked_name(fields.name, &mut refused);
        let kind = fields
            .kind
            .trim()
            .parse::<TenantKind>()
            .map_err(|_| refused.push(("kind", TenantKind::expected())));
        let locale = checked_locale(fields.locale.unwrap_or("fr-FR"), &mut refused);
        let time_zone =
            checked_time_zone(fields.time_zone.unwrap_or("Europe/Paris"), &mut refused).ok_or(());
        let owner_email = EmailAddress::parse(fields.owner_email).map_err(|_| {
            refused.push((
                "owner_email",
                "n'est pas une adresse e-mail valide".to_owned(),
            ))
        });
        match (slug, kind, time_zone, owner_email) {
            (Ok(slug), Ok(kind), Ok(time_zone), Ok(owner_email)) if refused.is_empty() => {
                Ok(Self {
                    slug,
                    name: name.to_owned(),
                    kind,
                    locale: locale.to_owned(),
                    time_zone,
                    owner_email,
                })
            }
            _ => Err(refused),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_workspace_takes_the_defaults_it_was_not_given() {
        let workspace = NewWorkspace::parse(WorkspaceFields {
            slug: "amis-du-quartier",
            name: " Les Amis du quartier ",
            kind: "association",
            owner_email: "Claire@Exemple.fr",
            ..WorkspaceFields::default()
        });
        let Ok(workspace) = workspace else {
            panic!("refused: {workspace:?}");
        };
        assert_eq!(workspace.name, "Les Amis du quartier");
        assert_eq!(workspace.locale, "fr-FR");
        assert_eq!(workspace.time_zone, chrono_tz::Europe::Paris);
    }

    #[test]
    fn settings_are_checked_by_the_same_rules_all_at_once() {
        let settings = WorkspaceSettings::parse(" Ville de Cayenne ", "fr-FR", "America/Cayenne");
        assert_eq!(
            settings.map(|s| (s.name, s.time_zone)),
            Ok(("Ville de Cayenne".to_owned(), chrono_tz::America::Cayenne))
        );
        let refused = WorkspaceSettings::parse("", "xx", "Mars/Olympus")
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = refused.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["name", "locale", "time_zone"]);
    }

    #[test]
    fn every_refused_field_is_named_at_once() {
        let refused = NewWorkspace::parse(WorkspaceFields {
            slug: "A",
            name: " ",
            kind: "club",
            locale: Some("de-DE"),
            time_zone: Some("Mars/Olympus"),
            owner_email: "nobody",
        })
        .err()
        .unwrap_or_default();
        let fields: Vec<&str> = refused.iter().map(|(field, _)| *field).collect();
        assert_eq!(
            fields,
            ["slug", "name", "kind", "locale", "time_zone", "owner_email"]
        );
    }
}
