//! Every change to the [`Model`] is an [`Action`]. Applying one returns its
//! inverse (for undo/redo) and the records it touched (for incremental saving
//! and incremental insight updates).

use crate::model::{
    Interaction, InteractionId, Interest, InterestKey, Me, Model, OrgId, Organization, Person,
    PersonId, Settings, YearMonth, normalize_interest,
};
use std::collections::BTreeSet;

/// A change to the model. Apply with [`Model::apply`].
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Add a new person (fails if the id exists).
    AddPerson(Person),
    /// Replace a person's record with this one (same id).
    EditPerson(Person),
    /// Move a person to the trash.
    DeletePerson(PersonId),
    /// Bring a person back from the trash.
    RestorePerson(PersonId),
    /// Remove a person for good, and every reference to them.
    PurgePerson(PersonId),
    /// Remove a person record outright, without reference clean-up (the
    /// primitive behind purge, merge and undo of add).
    RemovePersonRecord(PersonId),
    /// Add an interaction.
    AddInteraction(Interaction),
    /// Replace an interaction (same id).
    EditInteraction(Interaction),
    /// Remove an interaction.
    DeleteInteraction(InteractionId),
    /// Add an organization.
    AddOrganization(Organization),
    /// Replace an organization (same id).
    EditOrganization(Organization),
    /// Remove an organization and every membership in it.
    DeleteOrganization(OrgId),
    /// Remove an organization record outright (primitive; see DeleteOrganization).
    RemoveOrganizationRecord(OrgId),
    /// Fold `duplicate` into `keep`: fields are combined, interactions and
    /// introductions re-pointed, and the duplicate removed.
    MergePeople {
        /// The record that survives.
        keep: PersonId,
        /// The record folded in and removed.
        duplicate: PersonId,
    },
    /// Make interest `from` an alias of interest `into`.
    MergeInterests {
        /// Canonical key that survives.
        into: InterestKey,
        /// Key that becomes an alias.
        from: InterestKey,
    },
    /// Rename a canonical interest (creating its catalog entry if needed).
    RenameInterest {
        /// Canonical key.
        key: InterestKey,
        /// New display name.
        name: String,
    },
    /// Put or remove a catalog entry (the primitive behind interest actions).
    SetInterest {
        /// Canonical key.
        key: InterestKey,
        /// New entry, or None to remove.
        entry: Option<Interest>,
    },
    /// Replace your profile.
    SetMe(Me),
    /// Replace settings.
    SetSettings(Settings),
    /// Replace the whole model (start empty, load demo).
    ReplaceAll(Box<Model>),
    /// Several actions as one undo step.
    Batch {
        /// What the user sees in the undo menu.
        label: String,
        /// The steps, applied in order.
        actions: Vec<Action>,
    },
}

/// A record an action changed; storage and the insight index react to these.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Touched {
    /// This person's record (it may now be absent).
    Person(PersonId),
    /// This organization's record (it may now be absent).
    Org(OrgId),
    /// This interaction, and the months it lived in before and after.
    Interaction {
        /// The interaction.
        id: InteractionId,
        /// Month before the change (None if it did not exist).
        before: Option<YearMonth>,
        /// Month after the change (None if it was removed).
        after: Option<YearMonth>,
        /// Who was in it before the change (empty if it did not exist).
        people_before: Vec<PersonId>,
    },
    /// The interest catalog.
    Interests,
    /// Your profile.
    Me,
    /// Settings.
    Settings,
    /// Everything (after ReplaceAll).
    All,
}

/// What applying an action did.
#[derive(Debug)]
pub struct Applied {
    /// The action that undoes this one.
    pub inverse: Action,
    /// The records that changed.
    pub touched: Vec<Touched>,
}

/// Why an action could not be applied. The model is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// The person does not exist.
    #[error("no person with id {0}")]
    NoPerson(PersonId),
    /// A person with this id exists already.
    #[error("a person with id {0} exists already")]
    PersonExists(PersonId),
    /// The organization does not exist.
    #[error("no organization with id {0}")]
    NoOrg(OrgId),
    /// An organization with this id exists already.
    #[error("an organization with id {0} exists already")]
    OrgExists(OrgId),
    /// The interaction does not exist.
    #[error("no interaction with id {0}")]
    NoInteraction(InteractionId),
    /// An interaction with this id exists already.
    #[error("an interaction with id {0} exists already")]
    InteractionExists(InteractionId),
    /// An interaction must involve at least one person.
    #[error("an interaction needs at least one person")]
    NoParticipants,
    /// Cannot merge a person or interest into itself.
    #[error("cannot merge something into itself")]
    SelfMerge,
    /// Interest name is empty after normalisation.
    #[error("an interest name cannot be empty")]
    EmptyInterest,
}

impl Action {
    /// A short label for the undo/redo menu.
    pub fn label(&self) -> String {
        match self {
            Action::AddPerson(p) => format!("Add {}", p.name),
            Action::EditPerson(p) => format!("Edit {}", p.name),
            Action::DeletePerson(_) => "Delete person".into(),
            Action::RestorePerson(_) => "Restore person".into(),
            Action::PurgePerson(_) | Action::RemovePersonRecord(_) => {
                "Delete person forever".into()
            }
            Action::AddInteraction(i) => format!("Add {}", i.kind.label()),
            Action::EditInteraction(i) => format!("Edit {}", i.kind.label()),
            Action::DeleteInteraction(_) => "Delete interaction".into(),
            Action::AddOrganization(o) => format!("Add {}", o.name),
            Action::EditOrganization(o) => format!("Edit {}", o.name),
            Action::DeleteOrganization(_) | Action::RemoveOrganizationRecord(_) => {
                "Delete organization".into()
            }
            Action::MergePeople { .. } => "Merge people".into(),
            Action::MergeInterests { .. } => "Merge interests".into(),
            Action::RenameInterest { name, .. } => format!("Rename interest to {name}"),
            Action::SetInterest { .. } => "Change interest".into(),
            Action::SetMe(_) => "Edit my profile".into(),
            Action::SetSettings(_) => "Change settings".into(),
            Action::ReplaceAll(_) => "Replace all data".into(),
            Action::Batch { label, .. } => label.clone(),
        }
    }
}

impl Model {
    /// Apply an action. On success returns the inverse and what changed; on
    /// error the model is left exactly as it was.
    pub fn apply(&mut self, action: Action) -> Result<Applied, ActionError> {
        let mut touched = Vec::new();
        let inverse = self.apply_inner(action, &mut touched)?;
        Ok(Applied { inverse, touched })
    }

    fn apply_inner(
        &mut self,
        action: Action,
        touched: &mut Vec<Touched>,
    ) -> Result<Action, ActionError> {
        match action {
            Action::AddPerson(person) => {
                if self.people.contains_key(&person.id) {
                    return Err(ActionError::PersonExists(person.id));
                }
                let id = person.id;
                self.people.insert(id, person);
                touched.push(Touched::Person(id));
                Ok(Action::RemovePersonRecord(id))
            }
            Action::RemovePersonRecord(id) => {
                let old = self.people.remove(&id).ok_or(ActionError::NoPerson(id))?;
                touched.push(Touched::Person(id));
                Ok(Action::AddPerson(old))
            }
            Action::EditPerson(person) => {
                let id = person.id;
                let slot = self.people.get_mut(&id).ok_or(ActionError::NoPerson(id))?;
                let old = std::mem::replace(slot, person);
                touched.push(Touched::Person(id));
                Ok(Action::EditPerson(old))
            }
            Action::DeletePerson(id) | Action::RestorePerson(id) => {
                let delete = matches!(action, Action::DeletePerson(_));
                let person = self.people.get_mut(&id).ok_or(ActionError::NoPerson(id))?;
                let was_deleted = person.deleted;
                person.deleted = delete;
                touched.push(Touched::Person(id));
                Ok(if was_deleted {
                    Action::DeletePerson(id)
                } else {
                    Action::RestorePerson(id)
                })
            }
            Action::PurgePerson(id) => {
                let steps = self.purge_steps(id)?;
                self.apply_batch("Delete person forever".into(), steps, touched)
            }
            Action::AddInteraction(interaction) => {
                if interaction.people.is_empty() {
                    return Err(ActionError::NoParticipants);
                }
                if self.interactions.contains_key(&interaction.id) {
                    return Err(ActionError::InteractionExists(interaction.id));
                }
                let id = interaction.id;
                touched.push(Touched::Interaction {
                    id,
                    before: None,
                    after: Some(interaction.month()),
                    people_before: Vec::new(),
                });
                self.interactions.insert(id, interaction);
                Ok(Action::DeleteInteraction(id))
            }
            Action::EditInteraction(interaction) => {
                if interaction.people.is_empty() {
                    return Err(ActionError::NoParticipants);
                }
                let id = interaction.id;
                let after = interaction.month();
                let slot = self
                    .interactions
                    .get_mut(&id)
                    .ok_or(ActionError::NoInteraction(id))?;
                let old = std::mem::replace(slot, interaction);
                touched.push(Touched::Interaction {
                    id,
                    before: Some(old.month()),
                    after: Some(after),
                    people_before: old.people.clone(),
                });
                Ok(Action::EditInteraction(old))
            }
            Action::DeleteInteraction(id) => {
                let old = self
                    .interactions
                    .remove(&id)
                    .ok_or(ActionError::NoInteraction(id))?;
                touched.push(Touched::Interaction {
                    id,
                    before: Some(old.month()),
                    after: None,
                    people_before: old.people.clone(),
                });
                Ok(Action::AddInteraction(old))
            }
            Action::AddOrganization(org) => {
                if self.orgs.contains_key(&org.id) {
                    return Err(ActionError::OrgExists(org.id));
                }
                let id = org.id;
                self.orgs.insert(id, org);
                touched.push(Touched::Org(id));
                Ok(Action::RemoveOrganizationRecord(id))
            }
            Action::EditOrganization(org) => {
                let id = org.id;
                let slot = self.orgs.get_mut(&id).ok_or(ActionError::NoOrg(id))?;
                let old = std::mem::replace(slot, org);
                touched.push(Touched::Org(id));
                Ok(Action::EditOrganization(old))
            }
            Action::DeleteOrganization(id) => {
                if !self.orgs.contains_key(&id) {
                    return Err(ActionError::NoOrg(id));
                }
                let mut steps: Vec<Action> = self
                    .people
                    .values()
                    .filter(|p| p.memberships.iter().any(|m| m.org == id))
                    .map(|p| {
                        let mut p = p.clone();
                        p.memberships.retain(|m| m.org != id);
                        Action::EditPerson(p)
                    })
                    .collect();
                steps.push(Action::RemoveOrganizationRecord(id));
                self.apply_batch("Delete organization".into(), steps, touched)
            }
            Action::RemoveOrganizationRecord(id) => {
                let old = self.orgs.remove(&id).ok_or(ActionError::NoOrg(id))?;
                touched.push(Touched::Org(id));
                Ok(Action::AddOrganization(old))
            }
            Action::MergePeople { keep, duplicate } => {
                let steps = self.merge_people_steps(keep, duplicate)?;
                self.apply_batch("Merge people".into(), steps, touched)
            }
            Action::MergeInterests { into, from } => {
                let steps = self.merge_interest_steps(&into, &from)?;
                self.apply_batch("Merge interests".into(), steps, touched)
            }
            Action::RenameInterest { key, name } => {
                let new_key = normalize_interest(&name);
                if new_key.is_empty() {
                    return Err(ActionError::EmptyInterest);
                }
                let mut entry = self.interests.get(&key).cloned().unwrap_or(Interest {
                    key: key.clone(),
                    name: String::new(),
                    aliases: BTreeSet::new(),
                });
                entry.name = name.trim().to_string();
                if new_key != key {
                    entry.aliases.insert(new_key);
                }
                self.apply_inner(
                    Action::SetInterest {
                        key,
                        entry: Some(entry),
                    },
                    touched,
                )
            }
            Action::SetInterest { key, entry } => {
                let previous = match entry {
                    Some(entry) => {
                        let mut entry = entry;
                        entry.key = key.clone();
                        self.interests.put(entry)
                    }
                    None => self.interests.remove(&key),
                };
                touched.push(Touched::Interests);
                Ok(Action::SetInterest {
                    key,
                    entry: previous,
                })
            }
            Action::SetMe(me) => {
                let old = std::mem::replace(&mut self.me, me);
                touched.push(Touched::Me);
                Ok(Action::SetMe(old))
            }
            Action::SetSettings(settings) => {
                let old = std::mem::replace(&mut self.settings, settings);
                touched.push(Touched::Settings);
                Ok(Action::SetSettings(old))
            }
            Action::ReplaceAll(model) => {
                let old = std::mem::replace(self, *model);
                touched.push(Touched::All);
                Ok(Action::ReplaceAll(Box::new(old)))
            }
            Action::Batch { label, actions } => self.apply_batch(label, actions, touched),
        }
    }

    /// Apply steps in order; if one fails, roll back the ones applied and fail.
    fn apply_batch(
        &mut self,
        label: String,
        actions: Vec<Action>,
        touched: &mut Vec<Touched>,
    ) -> Result<Action, ActionError> {
        let mut inverses = Vec::with_capacity(actions.len());
        let mut batch_touched = Vec::new();
        for action in actions {
            match self.apply_inner(action, &mut batch_touched) {
                Ok(inverse) => inverses.push(inverse),
                Err(error) => {
                    let mut ignore = Vec::new();
                    for inverse in inverses.into_iter().rev() {
                        // Inverses of actions that just succeeded always apply.
                        let _ = self.apply_inner(inverse, &mut ignore);
                    }
                    return Err(error);
                }
            }
        }
        touched.extend(batch_touched);
        inverses.reverse();
        Ok(Action::Batch {
            label: format!("Undo {label}"),
            actions: inverses,
        })
    }

    fn purge_steps(&self, id: PersonId) -> Result<Vec<Action>, ActionError> {
        if !self.people.contains_key(&id) {
            return Err(ActionError::NoPerson(id));
        }
        let mut steps = Vec::new();
        for interaction in self.interactions.values() {
            if interaction.people.contains(&id) {
                if interaction.people.len() == 1 {
                    steps.push(Action::DeleteInteraction(interaction.id));
                } else {
                    let mut edited = interaction.clone();
                    edited.people.retain(|p| *p != id);
                    steps.push(Action::EditInteraction(edited));
                }
            }
        }
        for person in self.people.values() {
            if person.id != id && person.introduced_by == Some(id) {
                let mut edited = person.clone();
                edited.introduced_by = None;
                steps.push(Action::EditPerson(edited));
            }
        }
        steps.push(Action::RemovePersonRecord(id));
        Ok(steps)
    }

    fn merge_people_steps(
        &self,
        keep: PersonId,
        duplicate: PersonId,
    ) -> Result<Vec<Action>, ActionError> {
        if keep == duplicate {
            return Err(ActionError::SelfMerge);
        }
        let kept = self.people.get(&keep).ok_or(ActionError::NoPerson(keep))?;
        let dup = self
            .people
            .get(&duplicate)
            .ok_or(ActionError::NoPerson(duplicate))?;
        let merged = merge_person_fields(kept, dup);
        let mut steps = vec![Action::EditPerson(merged)];
        for interaction in self.interactions.values() {
            if interaction.people.contains(&duplicate) {
                let mut edited = interaction.clone();
                for p in &mut edited.people {
                    if *p == duplicate {
                        *p = keep;
                    }
                }
                let mut seen = BTreeSet::new();
                edited.people.retain(|p| seen.insert(*p));
                steps.push(Action::EditInteraction(edited));
            }
        }
        for person in self.people.values() {
            if person.id != duplicate
                && person.id != keep
                && person.introduced_by == Some(duplicate)
            {
                let mut edited = person.clone();
                edited.introduced_by = Some(keep);
                steps.push(Action::EditPerson(edited));
            }
        }
        steps.push(Action::RemovePersonRecord(duplicate));
        Ok(steps)
    }

    fn merge_interest_steps(
        &self,
        into: &InterestKey,
        from: &InterestKey,
    ) -> Result<Vec<Action>, ActionError> {
        let into = self.interests.resolve_key(into.clone());
        let from = self.interests.resolve_key(from.clone());
        if into.is_empty() || from.is_empty() {
            return Err(ActionError::EmptyInterest);
        }
        if into == from {
            return Err(ActionError::SelfMerge);
        }
        let mut target = self.interests.get(&into).cloned().unwrap_or(Interest {
            key: into.clone(),
            name: into.clone(),
            aliases: BTreeSet::new(),
        });
        target.aliases.insert(from.clone());
        let mut steps = Vec::new();
        if let Some(source) = self.interests.get(&from) {
            target.aliases.extend(source.aliases.iter().cloned());
            steps.push(Action::SetInterest {
                key: from.clone(),
                entry: None,
            });
        }
        steps.push(Action::SetInterest {
            key: into,
            entry: Some(target),
        });
        Ok(steps)
    }
}

/// Combine two people's fields: `keep` wins on conflicts; lists are unioned.
pub fn merge_person_fields(keep: &Person, duplicate: &Person) -> Person {
    fn union(into: &mut Vec<String>, from: &[String]) {
        for item in from {
            if !into.iter().any(|x| x.eq_ignore_ascii_case(item)) {
                into.push(item.clone());
            }
        }
    }
    fn union_exact<T: Clone + PartialEq>(into: &mut Vec<T>, from: &[T]) {
        for item in from {
            if !into.contains(item) {
                into.push(item.clone());
            }
        }
    }
    fn fill(into: &mut String, from: &str) {
        if into.trim().is_empty() {
            *into = from.to_string();
        }
    }
    let mut merged = keep.clone();
    fill(&mut merged.name, &duplicate.name);
    {
        let (into, from) = (&mut merged.name_parts, &duplicate.name_parts);
        fill(&mut into.prefix, &from.prefix);
        fill(&mut into.given, &from.given);
        fill(&mut into.additional, &from.additional);
        fill(&mut into.family, &from.family);
        fill(&mut into.suffix, &from.suffix);
        fill(&mut into.phonetic_given, &from.phonetic_given);
        fill(&mut into.phonetic_additional, &from.phonetic_additional);
        fill(&mut into.phonetic_family, &from.phonetic_family);
    }
    union(&mut merged.nicknames, &duplicate.nicknames);
    if merged.organization.trim().is_empty() {
        merged.organization = duplicate.organization.clone();
        merged.org_units = duplicate.org_units.clone();
    }
    fill(&mut merged.role, &duplicate.role);
    if duplicate.role != merged.role && !duplicate.role.is_empty() {
        union(
            &mut merged.other_titles,
            std::slice::from_ref(&duplicate.role),
        );
    }
    union(&mut merged.other_titles, &duplicate.other_titles);
    union(&mut merged.functions, &duplicate.functions);
    for (into, from) in [
        (&mut merged.emails, &duplicate.emails),
        (&mut merged.phones, &duplicate.phones),
        (&mut merged.links, &duplicate.links),
    ] {
        let had_preferred = into.iter().any(|c| c.preferred);
        for item in from {
            let mut item = item.clone();
            // The kept record's preferred value stays the preferred one.
            item.preferred &= !had_preferred;
            crate::model::push_contact(into, item);
        }
    }
    union_exact(&mut merged.addresses, &duplicate.addresses);
    union_exact(&mut merged.dates, &duplicate.dates);
    for relation in &duplicate.relations {
        if relation.person == Some(keep.id) {
            continue;
        }
        if !merged.relations.contains(relation) {
            merged.relations.push(relation.clone());
        }
    }
    union_exact(&mut merged.source_ids, &duplicate.source_ids);
    union(&mut merged.interests, &duplicate.interests);
    union(&mut merged.needs, &duplicate.needs);
    union(&mut merged.wants, &duplicate.wants);
    union(&mut merged.tags, &duplicate.tags);
    fill(&mut merged.met.place, &duplicate.met.place);
    merged.met.date = match (keep.met.date, duplicate.met.date) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if merged.introduced_by.is_none() || merged.introduced_by == Some(duplicate.id) {
        merged.introduced_by = duplicate.introduced_by.filter(|by| *by != keep.id);
    }
    merged.stage = keep.stage.max(duplicate.stage);
    for change in &duplicate.stage_history {
        if !merged.stage_history.contains(change) {
            merged.stage_history.push(change.clone());
        }
    }
    merged.stage_history.sort_by_key(|c| c.date);
    merged.newsletter = keep.newsletter.combine(&duplicate.newsletter);
    for membership in &duplicate.memberships {
        if !merged.memberships.iter().any(|m| m.org == membership.org) {
            merged.memberships.push(membership.clone());
        }
    }
    if !duplicate.notes.trim().is_empty() && !merged.notes.contains(duplicate.notes.trim()) {
        if !merged.notes.is_empty() {
            merged.notes.push_str("\n\n");
        }
        merged.notes.push_str(duplicate.notes.trim());
    }
    for pair in &duplicate.extra {
        if !merged.extra.contains(pair) {
            merged.extra.push(pair.clone());
        }
    }
    merged
}

#[cfg(test)]
#[path = "action_tests.rs"]
mod tests;
