//! Bringing changes another program made to the data folder into the model:
//! a clean reload when kith has no unsaved edits to that file, a conflict
//! (both versions kept until the user picks one) when it has.

use super::watch::{DiskBatch, DiskRead, ReadOutcome};
use super::{FileKey, LoadProblem, Parsed, Store};
use crate::action::Action;
use crate::model::{Model, PersonId};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// A change on disk to apply to the model as it is (no unsaved edits clash).
#[derive(Debug, Clone)]
pub struct Reload {
    /// The file.
    pub path: PathBuf,
    /// What it is, for the user ("Ada Lovelace").
    pub label: String,
    /// The action that makes the model match the file.
    pub action: Action,
}

/// A file changed on disk while kith had unsaved edits to it. Neither side
/// is lost: kith keeps its version in memory and does not write the file
/// until the user picks one.
#[derive(Debug, Clone)]
pub struct DiskConflict {
    key: FileKey,
    /// The file.
    pub path: PathBuf,
    /// What it is, for the user.
    pub label: String,
    /// kith's version, as it would be written.
    pub mine: String,
    /// The version on disk; None when the file was deleted.
    pub theirs: Option<String>,
    /// The action that makes the model match the disk version.
    pub use_theirs: Action,
    print: Option<u64>,
}

/// What [`Store::reconcile`] found.
#[derive(Debug, Default)]
pub struct Reconciled {
    /// Changes to apply as they are.
    pub reloads: Vec<Reload>,
    /// Changes that clash with unsaved edits.
    pub conflicts: Vec<DiskConflict>,
    /// Files that no longer load (now protected, never overwritten).
    pub damaged: Vec<LoadProblem>,
    /// Files that failed to load before and now load (or are gone).
    pub repaired: Vec<PathBuf>,
    /// Sync-conflict copies that appeared (true) or went away (false).
    pub sync_conflicts: Vec<(PathBuf, bool)>,
}

impl Reconciled {
    /// True when nothing changed for the user.
    pub fn is_empty(&self) -> bool {
        self.reloads.is_empty()
            && self.conflicts.is_empty()
            && self.damaged.is_empty()
            && self.repaired.is_empty()
            && self.sync_conflicts.is_empty()
    }
}

impl Store {
    /// Compare files read from disk with the model. Files kith wrote itself
    /// (same fingerprint) are skipped; the rest become reloads, conflicts
    /// (when the file has unsaved edits here), or damaged files.
    pub fn reconcile(&mut self, batch: DiskBatch, model: &Model) -> Reconciled {
        let mut found = Reconciled {
            sync_conflicts: batch.sync_conflicts,
            ..Default::default()
        };
        for read in batch.reads {
            let key = read.key;
            let was_protected = self.protected.contains(&read.path);
            if read.alias {
                self.reconcile_alias(read, was_protected, &mut found);
                continue;
            }
            let (disk, text, print) = match read.outcome {
                // Reported every time (the reason may have changed), and
                // protected from then on.
                ReadOutcome::Damaged(error) => {
                    self.protected.insert(read.path.clone());
                    found.damaged.push(LoadProblem {
                        path: read.path,
                        error,
                    });
                    continue;
                }
                ReadOutcome::Missing => (None, None, None),
                ReadOutcome::Loaded {
                    parsed,
                    text,
                    print,
                } => (Some(parsed), Some(text), Some(print)),
            };
            if was_protected {
                self.protected.remove(&read.path);
                found.repaired.push(read.path.clone());
            } else if self.known.get(&key).copied() == print {
                // kith's own write, or a rewrite with the same bytes.
                continue;
            }
            let actions = self.actions_to_match(key, disk, model);
            if actions.is_empty() {
                self.remember(key, print);
                continue;
            }
            let label = self.label_of(key, model, &actions);
            let action = Action::Batch {
                label: format!("Reload {label} from disk"),
                actions,
            };
            if self.dirty.contains(&key) || self.held.contains(&key) {
                let mine = match self.render(key, model) {
                    Ok(Some(text)) => text,
                    Ok(None) => "(deleted here)".to_string(),
                    Err(e) => format!("(cannot show: {e})"),
                };
                self.held.insert(key);
                found.conflicts.push(DiskConflict {
                    key,
                    path: read.path,
                    label,
                    mine,
                    theirs: text,
                    use_theirs: action,
                    print,
                });
            } else {
                self.remember(key, print);
                found.reloads.push(Reload {
                    path: read.path,
                    label,
                    action,
                });
            }
        }
        found
    }

    /// A file that spells a record's id another way appeared (reported,
    /// protected, and its record held) or went away (the hold ends once no
    /// such file is left).
    fn reconcile_alias(&mut self, read: DiskRead, was_protected: bool, found: &mut Reconciled) {
        match read.outcome {
            ReadOutcome::Missing => {
                if let Some(paths) = self.clashes.get_mut(&read.key) {
                    paths.remove(&read.path);
                    if paths.is_empty() {
                        self.clashes.remove(&read.key);
                    }
                }
                if was_protected {
                    self.protected.remove(&read.path);
                    found.repaired.push(read.path);
                }
            }
            ReadOutcome::Damaged(error) => {
                self.clashes
                    .entry(read.key)
                    .or_default()
                    .insert(read.path.clone());
                self.protected.insert(read.path.clone());
                found.damaged.push(LoadProblem {
                    path: read.path,
                    error,
                });
            }
            ReadOutcome::Loaded { .. } => {}
        }
    }

    /// The user picked a side of a conflict. Keeping theirs: the caller
    /// applies `conflict.use_theirs` (then this file needs no save). Keeping
    /// mine: the next save writes kith's version over the disk one.
    pub fn resolve(&mut self, conflict: &DiskConflict, keep_mine: bool) {
        self.held.remove(&conflict.key);
        self.remember(conflict.key, conflict.print);
        if !keep_mine {
            self.dirty.remove(&conflict.key);
        }
    }

    /// The actions that turn the model's version of `key` into `disk`
    /// (None: the file is gone).
    fn actions_to_match(&self, key: FileKey, disk: Option<Parsed>, model: &Model) -> Vec<Action> {
        match (key, disk) {
            (FileKey::Person(id), disk) => {
                let disk = match disk {
                    Some(Parsed::Person(person)) => Some(person),
                    _ => None,
                };
                match (model.people.get(&id), disk) {
                    (None, Some(person)) => vec![Action::AddPerson(person)],
                    (Some(mine), Some(person)) if *mine != person => {
                        vec![Action::EditPerson(person)]
                    }
                    (Some(_), None) => vec![Action::RemovePersonRecord(id)],
                    _ => Vec::new(),
                }
            }
            (FileKey::Org(id), disk) => {
                let disk = match disk {
                    Some(Parsed::Org(org)) => Some(org),
                    _ => None,
                };
                match (model.orgs.get(&id), disk) {
                    (None, Some(org)) => vec![Action::AddOrganization(org)],
                    (Some(mine), Some(org)) if *mine != org => {
                        vec![Action::EditOrganization(org)]
                    }
                    (Some(_), None) => vec![Action::RemoveOrganizationRecord(id)],
                    _ => Vec::new(),
                }
            }
            (FileKey::Month(month), disk) => {
                let list = match disk {
                    Some(Parsed::Month(_, list)) => list,
                    _ => Vec::new(),
                };
                let on_disk: HashSet<_> = list.iter().map(|i| i.id).collect();
                let mut actions: Vec<Action> = list
                    .into_iter()
                    .filter_map(
                        |interaction| match model.interactions.get(&interaction.id) {
                            None => Some(Action::AddInteraction(interaction)),
                            Some(mine) if *mine != interaction => {
                                Some(Action::EditInteraction(interaction))
                            }
                            Some(_) => None,
                        },
                    )
                    .collect();
                actions.extend(
                    self.month_index
                        .get(&month)
                        .into_iter()
                        .flatten()
                        .filter(|id| !on_disk.contains(id) && model.interactions.contains_key(id))
                        .map(|id| Action::DeleteInteraction(*id)),
                );
                actions
            }
            (FileKey::Me, Some(Parsed::Me(me))) if me != model.me => vec![Action::SetMe(me)],
            (FileKey::Settings, Some(Parsed::Settings(settings))) if settings != model.settings => {
                vec![Action::SetSettings(settings)]
            }
            (FileKey::Interests, Some(Parsed::Interests(catalog))) => {
                let mut keys: BTreeMap<_, ()> = BTreeMap::new();
                keys.extend(model.interests.iter().map(|i| (i.key.clone(), ())));
                keys.extend(catalog.iter().map(|i| (i.key.clone(), ())));
                keys.into_keys()
                    .filter(|key| model.interests.get(key) != catalog.get(key))
                    .map(|key| Action::SetInterest {
                        entry: catalog.get(&key).cloned(),
                        key,
                    })
                    .collect()
            }
            // A deleted profile, settings or catalog file: kith keeps its
            // version and writes it again on the next change.
            _ => Vec::new(),
        }
    }

    /// A name for the file's record, for the user.
    fn label_of(&self, key: FileKey, model: &Model, actions: &[Action]) -> String {
        let person_name = |id: PersonId| {
            model.people.get(&id).map(|p| p.name.clone()).or_else(|| {
                actions.iter().find_map(|a| match a {
                    Action::AddPerson(p) | Action::EditPerson(p) => Some(p.name.clone()),
                    _ => None,
                })
            })
        };
        match key {
            FileKey::Person(id) => person_name(id).unwrap_or_else(|| "a person".into()),
            FileKey::Org(id) => model
                .orgs
                .get(&id)
                .map(|o| o.name.clone())
                .or_else(|| {
                    actions.iter().find_map(|a| match a {
                        Action::AddOrganization(o) | Action::EditOrganization(o) => {
                            Some(o.name.clone())
                        }
                        _ => None,
                    })
                })
                .unwrap_or_else(|| "an organization".into()),
            FileKey::Month(month) => format!("the interactions of {month}"),
            FileKey::Me => "your profile".into(),
            FileKey::Settings => "the settings".into(),
            FileKey::Interests => "the interest catalog".into(),
        }
    }
}

/// Lines of `mine` and `theirs` side by side, marked where they differ: a
/// longest-common-subsequence diff, small enough for one record's file.
pub fn line_diff<'a>(mine: &'a str, theirs: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = mine.lines().collect();
    let b: Vec<&str> = theirs.lines().collect();
    // Records are small; a month file may hold a few hundred lines.
    let mut lengths = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(DiffLine::Same(a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lengths[i][j + 1] >= lengths[i + 1][j]) {
            out.push(DiffLine::Theirs(b[j]));
            j += 1;
        } else {
            out.push(DiffLine::Mine(a[i]));
            i += 1;
        }
    }
    out
}

/// One line of a [`line_diff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffLine<'a> {
    /// In both versions.
    Same(&'a str),
    /// Only in kith's version.
    Mine(&'a str),
    /// Only in the disk version.
    Theirs(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_diff_marks_changed_lines() {
        let diff = line_diff("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(
            diff,
            vec![
                DiffLine::Same("a"),
                DiffLine::Theirs("B"),
                DiffLine::Mine("b"),
                DiffLine::Same("c"),
                DiffLine::Theirs("d"),
            ]
        );
        assert!(
            line_diff("x\ny", "x\ny")
                .iter()
                .all(|l| matches!(l, DiffLine::Same(_)))
        );
    }
}
