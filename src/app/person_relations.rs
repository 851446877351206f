//! Relationships in the person view: their spouse, children, manager…,
//! each linked to someone in kith or just a name, and the relations other
//! people recorded to them, read from the other side.

use super::style;
use super::widgets::{add_button, avatar_ui, caption_cell, remove_button};
use super::{Command, ViewCtx};
use crate::model::{Person, PersonId, Relation, RelationKind};
use egui::{Id, Key, RichText, TextEdit, Ui};

/// Editing state of the relationship rows.
#[derive(Default)]
pub struct RelationState {
    /// The search text of the open person menu.
    query: String,
    /// The row whose person menu is open.
    open_menu: Option<usize>,
    /// The custom kind being typed: row, text.
    naming: Option<(usize, String)>,
    /// Put the cursor in this field on the next frame.
    focus: Option<Id>,
    /// Relations other people recorded to this person, for a model
    /// revision (finding them walks everyone).
    from_others: Option<(u64, PersonId, Vec<Relation>)>,
}

/// How a relation kind reads in front of a name.
fn kind_caption(kind: &RelationKind, from_other: bool) -> String {
    match kind {
        // "godmother" recorded on Dana's page for Raj: Raj is godmother of Dana.
        RelationKind::Custom(label) if from_other => format!("{label} of"),
        RelationKind::Custom(label) if label.trim().is_empty() => "related".into(),
        other => other.label().to_string(),
    }
}

fn name_id(row: usize) -> Id {
    Id::unique(("relation_name", row))
}

/// The relationship rows and the relations read from other people's pages.
/// True when a change should be committed.
pub fn relations_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    state: &mut RelationState,
    commands: &mut Vec<Command>,
) -> bool {
    let model = view_ctx.model;
    let mut changed = false;
    let mut remove = None;
    let me = draft.id;
    for (row, relation) in draft.relations.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let empty = relation.person.is_none() && relation.name.trim().is_empty();
            changed |= kind_picker(ui, row, &mut relation.kind, state) && !empty;
            let linked = relation.person.and_then(|id| model.people.get(&id));
            match (relation.person, linked) {
                (Some(_), Some(other)) => {
                    avatar_ui(ui, view_ctx, other, style::AVATAR_ROW);
                    if ui.link(&other.name).clicked() {
                        commands.push(Command::OpenPerson(other.id));
                    }
                    if other.deleted {
                        ui.weak("(in the trash)");
                    }
                }
                (Some(_), None) => {
                    ui.label(&relation.name);
                    ui.weak("(no longer in kith)");
                }
                (None, _) => {
                    let width = (ui.available_width()
                        - style::PICKER_WIDTH
                        - style::ICON_SIZE
                        - 3.0 * ui.spacing().item_spacing.x)
                        .clamp(style::MIN_FIELD_WIDTH, style::FIELD_MAX_WIDTH);
                    let response = ui
                        .add(
                            TextEdit::singleline(&mut relation.name)
                                .id(name_id(row))
                                .hint_text("name")
                                .desired_width(width),
                        )
                        .accessible_name("Relationship name");
                    if state.focus == Some(name_id(row)) {
                        response.request_focus();
                        state.focus = None;
                    }
                    changed |= response.lost_focus();
                }
            }
            changed |= person_picker(
                ui,
                view_ctx,
                me,
                row,
                relation,
                &mut state.query,
                &mut state.open_menu,
            );
            if remove_button(ui, "Remove relationship").clicked() {
                remove = Some(row);
            }
        });
    }
    if let Some(row) = remove {
        draft.relations.remove(row);
        state.naming = None;
        changed = true;
    }

    // What others recorded, seen from here.
    let fresh = matches!(&state.from_others, Some((revision, id, _)) if *revision == view_ctx.revision && *id == me);
    if !fresh {
        let others = model
            .relations_of(me)
            .into_iter()
            .filter(|(_, from_other)| *from_other)
            .map(|(relation, _)| relation)
            .collect();
        state.from_others = Some((view_ctx.revision, me, others));
    }
    if let Some((_, _, others)) = &state.from_others {
        for relation in others {
            let Some(other) = relation.person.and_then(|id| model.people.get(&id)) else {
                continue;
            };
            // Recorded on this page since (not saved yet): shown once.
            if draft
                .relations
                .iter()
                .any(|r| r.person == Some(other.id) && r.kind == relation.kind)
            {
                continue;
            }
            ui.horizontal(|ui| {
                caption_cell(ui, &kind_caption(&relation.kind, true));
                avatar_ui(ui, view_ctx, other, style::AVATAR_ROW);
                if ui.link(&other.name).clicked() {
                    commands.push(Command::OpenPerson(other.id));
                }
                ui.label(RichText::new("(from their page)").weak())
                    .on_hover_text(format!(
                        "{} recorded this relationship; change it on their page.",
                        other.name
                    ));
            });
        }
    }

    if add_button(ui, "Add relationship").clicked() {
        draft.relations.push(Relation {
            kind: RelationKind::Friend,
            person: None,
            name: String::new(),
        });
        state.focus = Some(name_id(draft.relations.len() - 1));
    }
    changed
}

fn kind_id(row: usize) -> Id {
    Id::unique(("relation_kind_name", row))
}

/// The kind menu (built-in kinds and "Custom…"), or the field for a custom
/// kind while it is typed. True when the kind changed.
fn kind_picker(
    ui: &mut Ui,
    row: usize,
    kind: &mut RelationKind,
    state: &mut RelationState,
) -> bool {
    let width = style::CAPTION_WIDTH - ui.spacing().item_spacing.x;
    if let Some((r, text)) = &mut state.naming
        && *r == row
    {
        let response = ui
            .add(
                TextEdit::singleline(text)
                    .id(kind_id(row))
                    .hint_text("e.g. godmother")
                    .desired_width(width),
            )
            .accessible_name("Custom relationship");
        if state.focus == Some(kind_id(row)) {
            response.request_focus();
            state.focus = None;
        }
        if response.lost_focus() {
            let typed = text.trim().to_string();
            state.naming = None;
            if !typed.is_empty() && !ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                let new = RelationKind::from_word(&typed);
                let changed = new != *kind;
                *kind = new;
                return changed;
            }
        }
        return false;
    }
    let before = kind.clone();
    let mut name_it = false;
    egui::ComboBox::from_id_salt(("relation_kind", row))
        .selected_text(kind_caption(kind, false))
        .width(width)
        .truncate()
        .height(style::MENU_HEIGHT)
        .show_ui(ui, |ui| {
            for option in RelationKind::BUILT_IN {
                let text = option.label().to_string();
                ui.selectable_value(kind, option, text);
            }
            ui.separator();
            let custom = matches!(kind, RelationKind::Custom(_));
            if ui.selectable_label(custom, "Custom…").clicked() {
                name_it = true;
            }
        })
        .response
        .accessible_name("Relationship kind");
    if name_it {
        let text = match kind {
            RelationKind::Custom(text) => text.clone(),
            _ => String::new(),
        };
        state.naming = Some((row, text));
        state.focus = Some(kind_id(row));
    }
    *kind != before
}

/// The menu that links a relation to someone in kith (searchable), or
/// unlinks it. True when the link changed.
fn person_picker(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    me: PersonId,
    row: usize,
    relation: &mut Relation,
    query: &mut String,
    open: &mut Option<usize>,
) -> bool {
    let mut changed = false;
    let shown = if relation.person.is_some() {
        "Change…"
    } else {
        "Link to someone…"
    };
    let menu = egui::ComboBox::from_id_salt(("relation_person", row))
        .selected_text(shown)
        .width(style::PICKER_WIDTH.min(ui.available_width() - style::ICON_SIZE))
        .height(style::MENU_HEIGHT)
        .show_ui(ui, |ui| {
            let label = ui.label("Find person");
            let find = ui
                .add(TextEdit::singleline(query).desired_width(style::PICKER_WIDTH))
                .labelled_by(label.id);
            // The cursor goes to the search field when the menu opens.
            if *open != Some(row) {
                find.request_focus();
                *open = Some(row);
            }
            if relation.person.is_some()
                && ui
                    .selectable_label(false, "Not in kith (keep the name)")
                    .clicked()
            {
                relation.person = None;
                changed = true;
            }
            for person in people_matching(view_ctx, query, me) {
                if ui
                    .selectable_label(relation.person == Some(person.id), &person.name)
                    .clicked()
                {
                    relation.person = Some(person.id);
                    relation.name = person.name.clone();
                    changed = true;
                }
            }
        });
    if menu.inner.is_none() && *open == Some(row) {
        *open = None;
    }
    menu.response.accessible_name("Relationship person");
    if changed {
        query.clear();
    }
    changed
}

/// The people matching `query` (see [`people_matching`]) as clickable
/// avatars and names under the search `field`, or "No one by that name".
/// Returns the one clicked, or the first when Enter ends the search.
pub fn pick_person_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    field: &egui::Response,
    query: &str,
    me: PersonId,
) -> Option<PersonId> {
    let found = people_matching(view_ctx, query, me);
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    let mut picked = enter.then(|| found.first().map(|p| p.id)).flatten();
    if found.is_empty() {
        ui.weak("No one by that name");
    }
    ui.horizontal_wrapped(|ui| {
        for person in found.iter().take(style::INTRODUCER_MATCHES) {
            ui.horizontal(|ui| {
                avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
                if ui.selectable_label(false, &person.name).clicked() {
                    picked = Some(person.id);
                }
            });
        }
    });
    picked
}

/// The people (not in the trash, not `me`) whose name contains `query`,
/// ignoring case, by name; at most [`style::MENU_PEOPLE`] of them.
pub fn people_matching<'a>(view_ctx: &ViewCtx<'a>, query: &str, me: PersonId) -> Vec<&'a Person> {
    let needle = query.trim().to_lowercase();
    // A bounded first pass keeps a huge network fast; sorted for reading.
    let mut found: Vec<&Person> = view_ctx
        .model
        .live_people()
        .filter(|p| p.id != me && p.name.to_lowercase().contains(&needle))
        .take(style::MENU_PEOPLE * 4)
        .collect();
    found.sort_by_cached_key(|p| p.name.to_lowercase());
    found.truncate(style::MENU_PEOPLE);
    found
}
