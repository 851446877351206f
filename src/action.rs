//! Every change to the [`Model`] is an [`Action`]. Applying one returns its
//! inverse (for undo/redo) and the records it touched (for incremental saving
//! and incremental insight updates).

use crate::model::{
    Contact, Interaction, InteractionId, Interest, InterestKey, Label, Me, Model, OrgId,
    Organization, Person, PersonId, Settings, YearMonth, normalize_interest,
};
use std::collections::hash_map::RandomState;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, Hash, Hasher};

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
                let mut model = *model;
                // The synonyms come from the folder's own `synonyms.ron`, not
                // from the data being swapped in (the demo, a backup, empty).
                model.synonyms = self.synonyms.clone();
                let old = std::mem::replace(self, model);
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
    let mut merger = PersonMerger::new(keep.clone());
    merger.absorb(duplicate);
    merger.finish()
}

/// Folds any number of duplicates into one person, giving exactly what
/// folding them in one at a time with [`merge_person_fields`] gives. Each
/// [`absorb`](Self::absorb) costs time in the duplicate's fields, not in the
/// merged person's (growing) lists, so folding n copies of one person (an
/// import with the same contact n times) is linear in n.
#[derive(Debug)]
pub struct PersonMerger {
    person: Person,
    /// What the person's lists hold, built on the first absorb.
    seen: Option<Box<Seen>>,
}

impl PersonMerger {
    /// Start from the record that survives.
    pub fn new(keep: Person) -> Self {
        Self {
            person: keep,
            seen: None,
        }
    }

    /// The id of the person being merged into.
    pub fn id(&self) -> PersonId {
        self.person.id
    }

    /// Fold one duplicate in: the person so far wins on conflicts; lists are unioned.
    pub fn absorb(&mut self, duplicate: &Person) {
        let Self { person, seen } = self;
        let seen = seen.get_or_insert_with(|| Box::new(Seen::of(person)));
        seen.absorb(person, duplicate);
    }

    /// The merged person.
    pub fn finish(mut self) -> Person {
        if self.seen.is_some() {
            // Every merge sorts the history by date (stably): sorting once at
            // the end gives the same order, as a stable sort keeps the order
            // in which equal dates were appended.
            self.person.stage_history.sort_by_key(|c| c.date);
        }
        self.person
    }
}

/// Where a list's items are, to find an item equal to a new one: a scan
/// while the list is short, then an index by a hash of each item's key.
#[derive(Debug, Default)]
struct Positions {
    index: Option<Box<Index>>,
}

/// Indexes of a list's items by the hash of their key, the first of equal
/// items only.
#[derive(Debug, Default)]
struct Index {
    first: HashMap<u64, usize>,
    /// Later items whose hash equals an earlier one's (a collision): almost always empty.
    more: HashMap<u64, Vec<usize>>,
}

impl Positions {
    /// Lists up to this long are scanned.
    const SCAN: usize = 16;

    /// The index of the first item of `list` that `same` takes for `item`,
    /// or, when there is none, the key to [`add`](Self::add) it under.
    /// `hash` must give equal keys for items `same` takes for each other.
    fn find<T>(
        &mut self,
        list: &[T],
        item: &T,
        hash: impl Fn(&T) -> u64,
        same: impl Fn(&T, &T) -> bool,
    ) -> Result<usize, u64> {
        if self.index.is_none() && list.len() > Self::SCAN {
            let mut index = Index::default();
            for (at, x) in list.iter().enumerate() {
                let key = hash(x);
                if index.find(key, |i| same(&list[i], x)).is_none() {
                    index.add(key, at);
                }
            }
            self.index = Some(Box::new(index));
        }
        match &self.index {
            None => list.iter().position(|x| same(x, item)).ok_or(0),
            Some(index) => {
                let key = hash(item);
                index.find(key, |i| same(&list[i], item)).ok_or(key)
            }
        }
    }

    /// `list[at]` was pushed; `key` is what [`find`](Self::find) gave for it.
    fn add(&mut self, key: u64, at: usize) {
        if let Some(index) = &mut self.index {
            index.add(key, at);
        }
    }
}

impl Index {
    /// The first indexed item with hash `key` that `is` accepts.
    fn find(&self, key: u64, is: impl Fn(usize) -> bool) -> Option<usize> {
        let first = *self.first.get(&key)?;
        if is(first) {
            return Some(first);
        }
        self.more.get(&key)?.iter().copied().find(|&i| is(i))
    }

    fn add(&mut self, key: u64, at: usize) {
        match self.first.entry(key) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(at);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.more.entry(key).or_default().push(at);
            }
        }
    }
}

/// Hash of a text with ASCII case folded, so that texts equal under
/// `eq_ignore_ascii_case` hash alike.
fn folded_hash(state: &RandomState, text: &str) -> u64 {
    let mut hasher = state.build_hasher();
    for byte in text.bytes() {
        hasher.write_u8(byte.to_ascii_lowercase());
    }
    hasher.finish()
}

/// Union into a list of texts, ignoring ASCII case.
fn union_folded(state: &RandomState, into: &mut Vec<String>, at: &mut Positions, from: &[String]) {
    for item in from {
        let found = at.find(
            into,
            item,
            |s| folded_hash(state, s),
            |a, b| a.eq_ignore_ascii_case(b),
        );
        if let Err(key) = found {
            at.add(key, into.len());
            into.push(item.clone());
        }
    }
}

/// Union into a list, by equality.
fn union_exact<'a, T: Clone + Eq + Hash + 'a>(
    state: &RandomState,
    into: &mut Vec<T>,
    at: &mut Positions,
    from: impl IntoIterator<Item = &'a T>,
) {
    for item in from {
        if let Err(key) = at.find(into, item, |x| state.hash_one(x), |a, b| a == b) {
            at.add(key, into.len());
            into.push(item.clone());
        }
    }
}

/// E-mails, phones or links: the same value (ignoring ASCII case) is one
/// entry, which takes a label or preference it lacked; a duplicate's
/// preferred value stays preferred only if the list had none.
fn union_contacts(
    state: &RandomState,
    into: &mut Vec<Contact>,
    at: &mut Positions,
    has_preferred: &mut bool,
    from: &[Contact],
) {
    let had_preferred = *has_preferred;
    for item in from {
        if item.value.trim().is_empty() {
            continue;
        }
        let preferred = item.preferred && !had_preferred;
        *has_preferred |= preferred;
        let found = at.find(
            into,
            item,
            |c| folded_hash(state, &c.value),
            |a, b| a.value.eq_ignore_ascii_case(&b.value),
        );
        match found {
            Ok(index) => {
                let existing = &mut into[index];
                if existing.label == Label::Unlabelled {
                    existing.label = item.label.clone();
                }
                existing.preferred |= preferred;
            }
            Err(key) => {
                at.add(key, into.len());
                into.push(Contact {
                    preferred,
                    ..item.clone()
                });
            }
        }
    }
}

/// What a merged person's lists already hold.
#[derive(Debug)]
struct Seen {
    state: RandomState,
    nicknames: Positions,
    other_titles: Positions,
    functions: Positions,
    emails: Positions,
    phones: Positions,
    links: Positions,
    /// Whether emails, phones, links have a preferred value.
    preferred: [bool; 3],
    addresses: Positions,
    dates: Positions,
    /// The merged person has a birthday: a person has one, so a
    /// duplicate's other birthday is not added (the kept record wins).
    has_birthday: bool,
    relations: Positions,
    source_ids: Positions,
    interests: Positions,
    needs: Positions,
    wants: Positions,
    tags: Positions,
    can_help_with: Positions,
    needs_noted: Positions,
    needs_met: Positions,
    stage_history: Positions,
    memberships: Positions,
    extra: Positions,
    notes: NoteIndex,
}

impl Seen {
    fn of(person: &Person) -> Self {
        let preferred = |list: &[Contact]| list.iter().any(|c| c.preferred);
        Self {
            state: RandomState::new(),
            nicknames: Positions::default(),
            other_titles: Positions::default(),
            functions: Positions::default(),
            emails: Positions::default(),
            phones: Positions::default(),
            links: Positions::default(),
            preferred: [
                preferred(&person.emails),
                preferred(&person.phones),
                preferred(&person.links),
            ],
            addresses: Positions::default(),
            dates: Positions::default(),
            has_birthday: person.birthday().is_some(),
            relations: Positions::default(),
            source_ids: Positions::default(),
            interests: Positions::default(),
            needs: Positions::default(),
            wants: Positions::default(),
            tags: Positions::default(),
            can_help_with: Positions::default(),
            needs_noted: Positions::default(),
            needs_met: Positions::default(),
            stage_history: Positions::default(),
            memberships: Positions::default(),
            extra: Positions::default(),
            notes: NoteIndex::default(),
        }
    }

    /// [`merge_person_fields`] in place: `merged` wins on conflicts, lists are unioned.
    fn absorb(&mut self, merged: &mut Person, duplicate: &Person) {
        fn fill(into: &mut String, from: &str) {
            if into.trim().is_empty() {
                *into = from.to_string();
            }
        }
        let state = &self.state;
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
        union_folded(
            state,
            &mut merged.nicknames,
            &mut self.nicknames,
            &duplicate.nicknames,
        );
        if merged.organization.trim().is_empty() {
            merged.organization = duplicate.organization.clone();
            merged.org_units = duplicate.org_units.clone();
        }
        fill(&mut merged.role, &duplicate.role);
        if duplicate.role != merged.role && !duplicate.role.is_empty() {
            union_folded(
                state,
                &mut merged.other_titles,
                &mut self.other_titles,
                std::slice::from_ref(&duplicate.role),
            );
        }
        union_folded(
            state,
            &mut merged.other_titles,
            &mut self.other_titles,
            &duplicate.other_titles,
        );
        union_folded(
            state,
            &mut merged.functions,
            &mut self.functions,
            &duplicate.functions,
        );
        let [emails, phones, links] = &mut self.preferred;
        union_contacts(
            state,
            &mut merged.emails,
            &mut self.emails,
            emails,
            &duplicate.emails,
        );
        union_contacts(
            state,
            &mut merged.phones,
            &mut self.phones,
            phones,
            &duplicate.phones,
        );
        union_contacts(
            state,
            &mut merged.links,
            &mut self.links,
            links,
            &duplicate.links,
        );
        union_exact(
            state,
            &mut merged.addresses,
            &mut self.addresses,
            &duplicate.addresses,
        );
        let has_birthday = self.has_birthday;
        union_exact(
            state,
            &mut merged.dates,
            &mut self.dates,
            duplicate
                .dates
                .iter()
                .filter(|d| !(has_birthday && d.kind == crate::model::DateKind::Birthday)),
        );
        self.has_birthday |= duplicate.birthday().is_some();
        let own_id = merged.id;
        union_exact(
            state,
            &mut merged.relations,
            &mut self.relations,
            duplicate
                .relations
                .iter()
                .filter(|r| r.person != Some(own_id)),
        );
        union_exact(
            state,
            &mut merged.source_ids,
            &mut self.source_ids,
            &duplicate.source_ids,
        );
        union_folded(
            state,
            &mut merged.interests,
            &mut self.interests,
            &duplicate.interests,
        );
        union_folded(state, &mut merged.needs, &mut self.needs, &duplicate.needs);
        union_folded(state, &mut merged.wants, &mut self.wants, &duplicate.wants);
        union_folded(state, &mut merged.tags, &mut self.tags, &duplicate.tags);
        union_folded(
            state,
            &mut merged.can_help_with,
            &mut self.can_help_with,
            &duplicate.can_help_with,
        );
        union_exact(
            state,
            &mut merged.needs_noted,
            &mut self.needs_noted,
            duplicate
                .needs_noted
                .iter()
                .filter(|n| merged.needs.contains(&n.need)),
        );
        union_exact(
            state,
            &mut merged.needs_met,
            &mut self.needs_met,
            &duplicate.needs_met,
        );
        merged.rhythm_days = merged.rhythm_days.or(duplicate.rhythm_days);
        fill(&mut merged.met.place, &duplicate.met.place);
        merged.met.date = match (merged.met.date, duplicate.met.date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if merged.introduced_by.is_none() || merged.introduced_by == Some(duplicate.id) {
            merged.introduced_by = duplicate.introduced_by.filter(|by| *by != own_id);
        }
        merged.stage = merged.stage.max(duplicate.stage);
        // Sorted by date in `PersonMerger::finish`.
        union_exact(
            state,
            &mut merged.stage_history,
            &mut self.stage_history,
            &duplicate.stage_history,
        );
        merged.newsletter = merged.newsletter.combine(&duplicate.newsletter);
        for membership in &duplicate.memberships {
            let into = &mut merged.memberships;
            let found = self.memberships.find(
                into,
                membership,
                |m| state.hash_one(m.org),
                |a, b| a.org == b.org,
            );
            if let Err(key) = found {
                self.memberships.add(key, into.len());
                into.push(membership.clone());
            }
        }
        let note = duplicate.notes.trim();
        if !note.is_empty() && !self.notes.contains(&merged.notes, note) {
            if !merged.notes.is_empty() {
                merged.notes.push_str("\n\n");
                self.notes.append(b"\n\n");
            }
            merged.notes.push_str(note);
            self.notes.append(note.as_bytes());
        }
        union_exact(state, &mut merged.extra, &mut self.extra, &duplicate.extra);
    }
}

/// Whether a note occurs in the merged notes (`str::contains`): a scan
/// while the notes are short or few notes were looked for, then a
/// [`Substrings`] automaton, so that many merges stay linear.
#[derive(Debug, Default)]
struct NoteIndex {
    scans: usize,
    automaton: Option<Box<Substrings>>,
}

impl NoteIndex {
    /// Notes up to this size are always scanned.
    const SCAN_BYTES: usize = 8 << 10;
    /// Longer notes are scanned this many times before the automaton is built.
    const SCANS: usize = 8;

    fn contains(&mut self, notes: &str, note: &str) -> bool {
        if self.automaton.is_none() {
            self.scans += 1;
            if notes.len() <= Self::SCAN_BYTES || self.scans <= Self::SCANS {
                return notes.contains(note);
            }
            let mut automaton = Box::<Substrings>::default();
            automaton.append(notes.as_bytes());
            self.automaton = Some(automaton);
        }
        self.automaton
            .as_ref()
            .is_some_and(|a| a.contains(note.as_bytes()))
    }

    /// The merged notes grew by `bytes`.
    fn append(&mut self, bytes: &[u8]) {
        if let Some(automaton) = &mut self.automaton {
            automaton.append(bytes);
        }
    }
}

/// A suffix automaton of a growing text: whether a pattern occurs in it in
/// time linear in the pattern; appending is amortised constant time per
/// byte, about 40 bytes of memory per byte of text.
#[derive(Debug)]
struct Substrings {
    /// Per state: length of its longest string.
    len: Vec<u32>,
    /// Per state: suffix link (`NONE` for the root).
    link: Vec<u32>,
    /// Per state: first outgoing edge (`NONE` for none); the root's are in `root`.
    head: Vec<u32>,
    /// The root's transitions by byte.
    root: Box<[u32; 256]>,
    /// Edges as parallel lists: byte, target, next edge of the same state.
    edge_byte: Vec<u8>,
    edge_to: Vec<u32>,
    edge_next: Vec<u32>,
    /// The state of the whole text.
    last: u32,
}

const NONE: u32 = u32::MAX;

impl Default for Substrings {
    fn default() -> Self {
        Self {
            len: vec![0],
            link: vec![NONE],
            head: vec![NONE],
            root: Box::new([NONE; 256]),
            edge_byte: Vec::new(),
            edge_to: Vec::new(),
            edge_next: Vec::new(),
            last: 0,
        }
    }
}

impl Substrings {
    fn next(&self, state: u32, byte: u8) -> Option<u32> {
        if state == 0 {
            let to = self.root[usize::from(byte)];
            return (to != NONE).then_some(to);
        }
        let mut edge = self.head[state as usize];
        while edge != NONE {
            if self.edge_byte[edge as usize] == byte {
                return Some(self.edge_to[edge as usize]);
            }
            edge = self.edge_next[edge as usize];
        }
        None
    }

    /// Point `state`'s transition on `byte` at `to` (adding it if missing).
    fn set(&mut self, state: u32, byte: u8, to: u32) {
        if state == 0 {
            self.root[usize::from(byte)] = to;
            return;
        }
        let mut edge = self.head[state as usize];
        while edge != NONE {
            if self.edge_byte[edge as usize] == byte {
                self.edge_to[edge as usize] = to;
                return;
            }
            edge = self.edge_next[edge as usize];
        }
        self.edge_byte.push(byte);
        self.edge_to.push(to);
        self.edge_next.push(self.head[state as usize]);
        self.head[state as usize] = (self.edge_to.len() - 1) as u32;
    }

    fn new_state(&mut self, len: u32, link: u32) -> u32 {
        self.len.push(len);
        self.link.push(link);
        self.head.push(NONE);
        (self.len.len() - 1) as u32
    }

    fn append(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.push(byte);
        }
    }

    /// The standard online construction, one byte at a time.
    fn push(&mut self, byte: u8) {
        let current = self.new_state(self.len[self.last as usize] + 1, NONE);
        let mut p = self.last;
        while p != NONE && self.next(p, byte).is_none() {
            self.set(p, byte, current);
            p = self.link[p as usize];
        }
        let link = match p {
            NONE => 0,
            mut p => match self.next(p, byte) {
                Some(q) if self.len[p as usize] + 1 == self.len[q as usize] => q,
                Some(q) => {
                    let clone = self.new_state(self.len[p as usize] + 1, self.link[q as usize]);
                    // The clone starts with q's edges (q is never the root).
                    let mut edge = self.head[q as usize];
                    while edge != NONE {
                        self.edge_byte.push(self.edge_byte[edge as usize]);
                        self.edge_to.push(self.edge_to[edge as usize]);
                        self.edge_next.push(self.head[clone as usize]);
                        self.head[clone as usize] = (self.edge_to.len() - 1) as u32;
                        edge = self.edge_next[edge as usize];
                    }
                    while p != NONE && self.next(p, byte) == Some(q) {
                        self.set(p, byte, clone);
                        p = self.link[p as usize];
                    }
                    self.link[q as usize] = clone;
                    clone
                }
                None => 0,
            },
        };
        self.link[current as usize] = link;
        self.last = current;
    }

    /// True when `pattern` occurs in the text.
    fn contains(&self, pattern: &[u8]) -> bool {
        let mut state = 0;
        for &byte in pattern {
            match self.next(state, byte) {
                Some(to) => state = to,
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
#[path = "action_tests.rs"]
mod tests;
