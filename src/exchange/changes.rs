//! What a merge would change, field by field (old -> new), for the import
//! preview: the user sees what "Merge" does before choosing it.

use super::{ImportPreview, MatchChoice};
use crate::action::merge_person_fields;
use crate::model::{Contact, Label, Model, Person};

/// One field a merge changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The field, for people ("Phones", "Birthday").
    pub field: &'static str,
    /// Its value now ("" for empty).
    pub old: String,
    /// Its value after the merge.
    pub new: String,
}

fn contacts(list: &[Contact]) -> String {
    list.iter()
        .map(|c| {
            let mut text = c.value.clone();
            if c.label != Label::Unlabelled {
                text.push_str(&format!(" ({})", c.label.text()));
            }
            if c.preferred {
                text.push_str(" (preferred)");
            }
            text
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn shortened(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 80 {
        let mut cut: String = flat.chars().take(79).collect();
        cut.push('…');
        cut
    } else {
        flat
    }
}

/// Every field as the preview shows it.
fn fields(person: &Person) -> Vec<(&'static str, String)> {
    let list = |items: &[String]| items.join(", ");
    vec![
        ("Name", person.name.clone()),
        ("Name parts", person.name_parts.joined()),
        ("Nicknames", list(&person.nicknames)),
        (
            "Organization",
            std::iter::once(person.organization.as_str())
                .chain(person.org_units.iter().map(String::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" / "),
        ),
        ("Title", person.role.clone()),
        ("Other titles", list(&person.other_titles)),
        ("Functions", list(&person.functions)),
        ("E-mails", contacts(&person.emails)),
        ("Phones", contacts(&person.phones)),
        ("Links", contacts(&person.links)),
        (
            "Addresses",
            person
                .addresses
                .iter()
                .map(|a| a.lines().join(", "))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "Dates",
            person
                .dates
                .iter()
                .map(|d| format!("{} {}", d.kind.label(), d.date.human()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Relationships",
            person
                .relations
                .iter()
                .map(|r| format!("{}: {}", r.kind.label(), r.name))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Met at", person.met.place.clone()),
        (
            "Met on",
            person.met.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("Interests", list(&person.interests)),
        ("Needs", list(&person.needs)),
        ("Wants", list(&person.wants)),
        ("Can help with", list(&person.can_help_with)),
        ("Tags", list(&person.tags)),
        ("Stage", person.stage.label().to_string()),
        ("Newsletter", person.newsletter.label().to_string()),
        ("Notes", shortened(&person.notes)),
        (
            "Kept properties",
            match person.extra.len() {
                0 => String::new(),
                n => format!("{n} from imports"),
            },
        ),
    ]
}

/// The fields that differ between two versions of a person.
pub fn field_changes(before: &Person, after: &Person) -> Vec<FieldChange> {
    fields(before)
        .into_iter()
        .zip(fields(after))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, old), (_, new))| FieldChange { field, old, new })
        .collect()
}

impl ImportPreview {
    /// What merging contact `index` would change in the person it matches
    /// (someone you have, or an earlier contact of this file), given the
    /// choices made for the contacts before it. Empty when it is not a
    /// merge or changes nothing.
    pub fn changes(&self, index: usize, model: &Model) -> Vec<FieldChange> {
        let Some(item) = self.incoming.get(index) else {
            return Vec::new();
        };
        let Some((target, _)) = &item.matched else {
            return Vec::new();
        };
        if item.choice != MatchChoice::Merge {
            return Vec::new();
        }
        // The target as the earlier merges of this import leave it.
        let mut current: Option<Person> = model.people.get(target).cloned().or_else(|| {
            self.incoming[..index]
                .iter()
                .find(|i| i.person.id == *target)
                .map(|i| i.person.clone())
        });
        for earlier in &self.incoming[..index] {
            if earlier.choice == MatchChoice::Merge
                && earlier.matched.as_ref().is_some_and(|(id, _)| id == target)
                && let Some(person) = current.as_mut()
            {
                *person = merge_person_fields(person, &earlier.person);
            }
        }
        let Some(before) = current else {
            return Vec::new();
        };
        field_changes(&before, &merge_person_fields(&before, &item.person))
    }

    /// The name of what contact `index` matches: a person you have, or an
    /// earlier contact of the file ("Ann Lee (line 12 of this file)").
    pub fn match_name(&self, index: usize, model: &Model) -> Option<String> {
        let item = self.incoming.get(index)?;
        let (target, _) = item.matched.as_ref()?;
        if item.matched_in_file {
            let earlier = self.incoming.iter().find(|i| i.person.id == *target)?;
            return Some(format!(
                "{} (line {} of this file)",
                earlier.person.name, earlier.line
            ));
        }
        Some(model.person_name(*target).to_string())
    }

    /// Set every match's choice at once, except that matches on the name
    /// alone stay "keep both" unless `names_too` (same-name strangers are common).
    pub fn choose_all_but_names(&mut self, choice: MatchChoice, names_too: bool) {
        for item in &mut self.incoming {
            let by_name = matches!(item.matched, Some((_, super::MatchReason::Name)));
            item.choice = if by_name && !names_too && choice == MatchChoice::Merge {
                MatchChoice::KeepBoth
            } else {
                choice
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_shows_old_and_new_per_field() {
        let mut model = Model::default();
        let mut ann = Person::new("Ann Lee");
        ann.emails = vec!["ann@x.org".into()];
        ann.phones = vec!["+1 555 0100".into()];
        model.people.insert(ann.id, ann.clone());
        let file = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.org\r\nTEL;TYPE=WORK:+1 555 0199\r\nBDAY:1980-03-22\r\nORG:Acme\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nNOTE:same name only\r\nEND:VCARD\r\n";
        let preview = ImportPreview::build("a.vcf", file.as_bytes(), &model).unwrap();
        let changes = preview.changes(0, &model);
        let phones = changes.iter().find(|c| c.field == "Phones").unwrap();
        assert_eq!(phones.old, "+1 555 0100");
        assert_eq!(phones.new, "+1 555 0100, +1 555 0199 (work)");
        assert!(
            changes
                .iter()
                .any(|c| c.field == "Dates" && c.new == "Birthday 22 March 1980")
        );
        assert!(
            changes
                .iter()
                .any(|c| c.field == "Organization" && c.old.is_empty())
        );
        assert!(!changes.iter().any(|c| c.field == "E-mails"));
        // The second card matches on the name alone: "keep both", so no changes.
        assert_eq!(preview.incoming[1].choice, MatchChoice::KeepBoth);
        assert!(preview.changes(1, &model).is_empty());
        assert_eq!(preview.match_name(0, &model).as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn a_different_birthday_in_the_file_is_said_and_the_one_here_kept() {
        let mut model = Model::default();
        let mut ann = Person::new("Ann Lee");
        ann.emails = vec!["ann@x.org".into()];
        ann.dates = vec![crate::model::ImportantDate {
            kind: crate::model::DateKind::Birthday,
            date: crate::model::PartialDate::new(Some(1962), Some(1), Some(4)).unwrap(),
        }];
        model.people.insert(ann.id, ann);
        let file = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.org\r\nBDAY:1980-12-06\r\nEND:VCARD\r\n";
        let preview = ImportPreview::build("a.vcf", file.as_bytes(), &model).unwrap();
        let note = preview.incoming[0].merge_note(&model).unwrap();
        assert!(
            note.contains("4 January 1962 here, 6 December 1980 in the file"),
            "{note}"
        );
        assert!(
            !preview
                .changes(0, &model)
                .iter()
                .any(|c| c.field == "Dates")
        );
    }
}
