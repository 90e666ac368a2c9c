//! The catalogues: one Fluent bundle per language, made once from the `.ftl` files
//! compiled in.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::Lang;

/// Each catalogue file in both languages: the same files, so that a message added to
/// one language has its place in the other.
macro_rules! catalogues {
    ($($file:literal),* $(,)?) => {
        pub(crate) const FILES: &[(&str, &str, &str)] = &[
            $(($file,
               include_str!(concat!("../locales/fr/", $file)),
               include_str!(concat!("../locales/en/", $file)))),*
        ];
    };
}

catalogues!(
    "layout.ftl",
    "errors.ftl",
    "account.ftl",
    "home.ftl",
    "lists.ftl",
    "kinds.ftl",
    "search.ftl",
    "agenda.ftl",
    "public.ftl",
    "settings.ftl",
    "bin.ftl",
    "records.ftl",
    "forms.ftl",
    "members.ftl",
    "reminders.ftl",
    "targets.ftl",
    "privacy.ftl",
    "imports.ftl",
    "checks.ftl",
    "console.ftl",
);

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| [bundle(Lang::Fr), bundle(Lang::En)]);

fn bundle(lang: Lang) -> Bundle {
    let id: LanguageIdentifier = match lang {
        Lang::Fr => unic_langid::langid!("fr-FR"),
        Lang::En => unic_langid::langid!("en-GB"),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Pages are HTML in one direction: no isolation marks around arguments.
    bundle.set_use_isolating(false);
    for (_, fr, en) in FILES {
        let source = match lang {
            Lang::Fr => fr,
            Lang::En => en,
        };
        // A syntax error leaves out the one entry it is in (the tests refuse any).
        let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, _)| r);
        // An id given twice keeps its first meaning (the tests refuse that too).
        let _ = bundle.add_resource(resource);
    }
    bundle
}

fn bundle_of(lang: Lang) -> &'static Bundle {
    match lang {
        Lang::Fr => &BUNDLES[0],
        Lang::En => &BUNDLES[1],
    }
}

/// The message `id` in `lang`; its id itself when no catalogue has it, so that a page
/// still renders and the gap shows (the tests make sure none does).
pub(crate) fn message(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let bundle = bundle_of(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let args = (!args.is_empty()).then(|| {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        fluent
    });
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args.as_ref(), &mut errors)
        .into_owned()
}

/// Whether `lang` has the message `id`.
pub(crate) fn has(lang: Lang, id: &str) -> bool {
    bundle_of(lang).has_message(id)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_bundle::{FluentArgs, FluentResource};
    use fluent_syntax::ast;

    use super::FILES;

    /// Each message's id with the variables it takes and its attributes.
    type Shape = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

    fn shape(file: &str, source: &str) -> Shape {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{file}: {errors:?}"),
        };
        let mut shape = Shape::new();
        for entry in resource.entries() {
            if let ast::Entry::Message(message) = entry {
                let mut variables = BTreeSet::new();
                if let Some(value) = &message.value {
                    pattern_variables(value, &mut variables);
                }
                let attributes = message
                    .attributes
                    .iter()
                    .map(|a| {
                        pattern_variables(&a.value, &mut variables);
                        a.id.name.to_owned()
                    })
                    .collect();
                let id = message.id.name.to_owned();
                assert!(
                    shape.insert(id.clone(), (variables, attributes)).is_none(),
                    "{file}: {id} is given twice"
                );
            }
        }
        shape
    }

    fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, into);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Inline(inline) => inline_variables(inline, into),
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, into);
                for variant in variants {
                    pattern_variables(&variant.value, into);
                }
            }
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                into.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    inline_variables(argument, into);
                }
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, into);
            }
            _ => {}
        }
    }

    /// A message missing in one language, or taking other arguments there, fails here.
    #[test]
    fn both_languages_hold_the_same_messages_with_the_same_arguments() {
        let mut ids = BTreeSet::new();
        for (file, fr, en) in FILES {
            let (fr, en) = (shape(file, fr), shape(file, en));
            for id in fr.keys() {
                assert!(ids.insert(id.clone()), "{id} is in two files");
            }
            for id in fr.keys().chain(en.keys()) {
                assert!(fr.contains_key(id), "{file}: {id} has no French");
                assert!(en.contains_key(id), "{file}: {id} has no English");
                assert_eq!(fr[id], en[id], "{file}: {id} differs between languages");
            }
        }
        assert!(ids.len() > 50, "the catalogues hold {} messages", ids.len());
    }

    /// Every message formats without error in both languages, its arguments given (a
    /// reference to a message that is not there, a select with no default, fail here).
    #[test]
    fn every_message_formats_in_both_languages() {
        for (file, fr, _) in FILES {
            for (id, (variables, _)) in shape(file, fr) {
                for lang in crate::Lang::ALL {
                    let bundle = super::bundle_of(lang);
                    let mut args = FluentArgs::new();
                    for variable in &variables {
                        args.set(variable.as_str(), 2);
                    }
                    let pattern = bundle.get_message(&id).and_then(|m| m.value());
                    let Some(pattern) = pattern else {
                        panic!("{lang}: {id} has no value");
                    };
                    let mut errors = Vec::new();
                    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{lang}: {id}: {errors:?}");
                    assert!(!text.trim().is_empty(), "{lang}: {id} is empty");
                }
            }
        }
    }

    #[test]
    fn counts_take_the_plural_their_language_gives_them() {
        use crate::Lang;
        let partners =
            |lang: Lang, count: i64| lang.t_with("home-partners", &[("count", count.into())]);
        assert_eq!(partners(Lang::Fr, 0), "partenaire");
        assert_eq!(partners(Lang::Fr, 1), "partenaire");
        assert_eq!(partners(Lang::Fr, 2), "partenaires");
        assert_eq!(partners(Lang::En, 0), "partners");
        assert_eq!(partners(Lang::En, 1), "partner");
        assert_eq!(Lang::En.t("no-such-message"), "no-such-message");
    }
}
