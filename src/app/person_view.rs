//! The person view: every field editable in place (name and its parts,
//! contact rows, work, addresses, important dates, relationships), quick
//! interaction entry, give-before-you-ask balance, health, and the
//! person's timeline.
//!
//! Edits go to a draft; a committed edit (a field left, a menu choice) is
//! one `Action::EditPerson`.

use super::person_contact::{ContactState, ListKind, addresses_ui, contacts_ui};
use super::person_dates::{DateRows, dates_ui};
use super::person_relations::{RelationState, people_matching, relations_ui};
use super::chip_entry::chip_entry_ui as chips_row;
use super::quick_add::{self, QuickAdd};
use super::style;
use super::timeline::{self, TimelineState};
use super::widgets::{
    avatar_ui, chip_width, form_row, removable_chip, stage_chip, text_width,
    wrap_before,
};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{
    Consent, InteractionKind, Label, Membership, Person, PersonId, RelationKind,
    Stage, StageChange,
};
use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};

/// What is typed into the chip fields (cleared when another person opens).
#[derive(Default)]
struct ChipInputs {
    nickname: String,
    unit: String,
    title: String,
    function: String,
    interest: String,
    need: String,
    want: String,
    tag: String,
}

/// Editor state for the person view.
#[derive(Default)]
pub struct PersonViewState {
    draft: Option<Person>,
    base: Option<Person>,
    chips: ChipInputs,
    contacts: ContactState,
    dates: DateRows,
    relations: RelationState,
    intro_query: String,
    /// Focus the name field on the next frame (new person).
    pub focus_name: bool,
    /// The quick-add form.
    pub quick: QuickAdd,
}

impl PersonViewState {
    fn sync(&mut self, person: &Person) {
        if self.base.as_ref() == Some(person) {
            return;
        }
        // The record changed under an edit in progress (a reload from disk,
        // an undo): keep what the user changed, take the rest.
        let (draft, typing_dates) = match (&self.draft, &self.base) {
            (Some(draft), Some(base)) if draft.id == person.id => (
                rebase_keeping_rows(draft, base, person),
                self.dates.is_typing(&base.dates),
            ),
            _ => {
                // Another person: nothing typed carries over.
                self.chips = ChipInputs::default();
                self.contacts = ContactState::default();
                self.relations = RelationState::default();
                self.intro_query.clear();
                (person.clone(), false)
            }
        };
        if !typing_dates {
            self.dates.load(&draft.dates);
        }
        self.draft = Some(draft);
        self.base = Some(person.clone());
    }
}

/// The draft moved onto a newer `person` (see [`Person::rebase`]), judged
/// by what it would save: rows added but still empty, or a value with a
/// space after it, do not count as edits, so an undo restores the list. A
/// list that saves the same as the new record keeps the draft's rows.
fn rebase_keeping_rows(draft: &Person, base: &Person, person: &Person) -> Person {
    let clean = cleaned(draft);
    let mut next = clean.rebase(base, person);
    macro_rules! keep_rows {
        ($($field:ident),*) => {
            $(if clean.$field == next.$field {
                next.$field = draft.$field.clone();
            })*
        };
    }
    keep_rows!(emails, phones, links, addresses, relations);
    next
}

/// The person as saved from a draft: rows without a value left out, values
/// trimmed, custom labels read (an empty one is no label).
fn cleaned(draft: &Person) -> Person {
    let mut person = draft.clone();
    for list in [&mut person.emails, &mut person.phones, &mut person.links] {
        list.retain(|c| !c.value.trim().is_empty());
        for contact in list.iter_mut() {
            let trimmed = contact.value.trim();
            if trimmed.len() != contact.value.len() {
                contact.value = trimmed.to_string();
            }
            if let Label::Custom(text) = &contact.label {
                contact.label = Label::from_text(text);
            }
        }
    }
    person.addresses.retain(|a| !a.is_empty());
    for address in &mut person.addresses {
        if let Label::Custom(text) = &address.label {
            address.label = Label::from_text(text);
        }
    }
    person
        .relations
        .retain(|r| r.person.is_some() || !r.name.trim().is_empty());
    for relation in &mut person.relations {
        let trimmed = relation.name.trim();
        if trimmed.len() != relation.name.len() {
            relation.name = trimmed.to_string();
        }
        if matches!(&relation.kind, RelationKind::Custom(label) if label.trim().is_empty()) {
            relation.kind = RelationKind::Custom("related".into());
        }
    }
    person
}

/// Draw the person view.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    state: &mut PersonViewState,
    timeline_state: &mut TimelineState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let Some(person) = model.people.get(&id) else {
        return;
    };
    state.sync(person);
    let mut commit = false;
    // Each person keeps their own scroll position; a new one opens at the top.
    egui::ScrollArea::vertical()
        .id_salt(("person_scroll", id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Clear of the scroll bar that floats over the right edge.
            ui.set_max_width(ui.available_width() - style::SCROLL_GUTTER);
            let Some(draft) = state.draft.as_mut() else {
                return;
            };
            commit |= header_ui(ui, view_ctx, draft, &mut state.focus_name, commands);
            commit |= name_details_ui(ui, draft, &mut state.chips.nickname);
            ui.add_space(style::HEADING_GAP);
            commit |= standing_ui(ui, view_ctx, draft);

            // ---- The relationship: what happened, and what to record next.
            style::section_heading(ui, "Record an interaction");
            quick_add::ui(ui, view_ctx, id, &mut state.quick, commands);
            ui.add_space(style::HEADING_GAP);
            timeline::person_ui(ui, view_ctx, id, timeline_state, commands);

            // ---- Who they are: two columns when there is room.
            let mut left = |ui: &mut Ui, draft: &mut Person| {
                let mut changed = false;
                style::section_heading(ui, "Contact");
                changed |= contacts_ui(ui, ListKind::Email, &mut draft.emails, &mut state.contacts);
                changed |= contacts_ui(ui, ListKind::Phone, &mut draft.phones, &mut state.contacts);
                changed |= contacts_ui(ui, ListKind::Link, &mut draft.links, &mut state.contacts);
                changed |= addresses_ui(ui, &mut draft.addresses, &mut state.contacts);
                changed
            };
            let mut right = |ui: &mut Ui, draft: &mut Person| {
                let mut changed = false;
                style::section_heading(ui, "Work");
                changed |= work_ui(ui, draft, &mut state.chips);
                style::section_heading(ui, "Important dates");
                changed |= dates_ui(ui, &mut state.dates, &mut draft.dates, view_ctx.today);
                style::section_heading(ui, "Relationships");
                changed |= relations_ui(ui, view_ctx, draft, &mut state.relations, commands);
                changed
            };
            if ui.available_width() >= style::TWO_COLUMN_WIDTH {
                ui.columns_const(|[left_ui, right_ui]| {
                    commit |= left(left_ui, draft);
                    commit |= right(right_ui, draft);
                });
            } else {
                commit |= left(ui, draft);
                commit |= right(ui, draft);
            }

            // ---- How you know them.
            style::section_heading(ui, "Your connection");
            commit |= connection_ui(ui, view_ctx, draft, &mut state.intro_query, commands);
            style::section_heading(ui, "Interests and needs");
            // Suggestions only while typing, from the index (no per-frame copy).
            let suggestions = view_ctx
                .insight
                .suggest_interests(&state.chips.interest, 12);
            commit |= chips_row(
                ui,
                "Interests",
                &mut draft.interests,
                &mut state.chips.interest,
                &suggestions,
            );
            let shared = view_ctx.insight.shared_with_me(model, id);
            if !shared.is_empty() {
                form_row(ui, "", |ui, _| {
                    ui.label(RichText::new(format!("You share: {}", shared.join(", "))).italics());
                });
            }
            commit |= chips_row(ui, "Needs", &mut draft.needs, &mut state.chips.need, &[]);
            commit |= chips_row(ui, "Wants", &mut draft.wants, &mut state.chips.want, &[]);
            commit |= chips_row(ui, "Tags", &mut draft.tags, &mut state.chips.tag, &[]);
            commit |= memberships_ui(ui, view_ctx, draft);
            style::section_heading(ui, "Notes");
            let notes = ui
                .add(
                    TextEdit::multiline(&mut draft.notes)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .accessible_name("Notes");
            commit |= notes.lost_focus();
            if !draft.source_ids.is_empty() {
                ui.add_space(style::HEADING_GAP);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Imported as").small().weak());
                    for source in &draft.source_ids {
                        ui.label(RichText::new(source).small().monospace().weak());
                    }
                });
            }
        });
    if commit && let (Some(draft), Some(base)) = (&state.draft, &state.base) {
        let clean = cleaned(draft);
        if clean != *base {
            commands.push(Command::Apply(Action::EditPerson(clean)));
        }
    }
}

/// Avatar, name, stage, delete; the job line under the name.
fn header_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    focus_name: &mut bool,
    commands: &mut Vec<Command>,
) -> bool {
    let mut commit = false;
    let id = draft.id;
    ui.horizontal_top(|ui| {
        // Click the avatar to add, change or remove the photo.
        let avatar = avatar_ui(ui, view_ctx, draft, style::AVATAR_HEADER);
        if view_ctx.data_dir.is_some() {
            let avatar = ui
                .interact(avatar.rect, avatar.id.with("photo"), egui::Sense::click())
                .on_hover_cursor(egui::CursorIcon::PointingHand)
                .on_hover_text("Add or change the photo")
                .accessible_name("Photo");
            if avatar.hovered() {
                ui.painter().circle_stroke(
                    avatar.rect.center(),
                    style::AVATAR_HEADER / 2.0,
                    ui.visuals().widgets.hovered.fg_stroke,
                );
            }
            egui::Popup::menu(&avatar).show(|ui| {
                super::person_photo::photo_ui(ui, view_ctx, id, commands);
            });
        }
        ui.vertical(|ui| {
            ui.horizontal_wrapped(|ui| {
                let reserve = style::HEADER_BUTTONS_WIDTH;
                let width = (ui.available_width() - reserve)
                    .clamp(style::MIN_NAME_WIDTH, style::NAME_WIDTH);
                let response = ui
                    .add(
                        TextEdit::singleline(&mut draft.name)
                            .font(egui::TextStyle::Heading)
                            .hint_text("Name")
                            .desired_width(width),
                    )
                    .accessible_name("Name");
                if *focus_name {
                    response.request_focus();
                    *focus_name = false;
                }
                commit |= response.lost_focus();
                stage_chip(ui, draft.stage);
                if draft.deleted {
                    ui.colored_label(ui.visuals().warn_fg_color, "In the trash");
                    if ui.button("Restore").clicked() {
                        commands.push(Command::Apply(Action::RestorePerson(id)));
                    }
                } else if ui
                    .button("Delete")
                    .on_hover_text("Moves to the trash; undo with Ctrl+Z")
                    .clicked()
                {
                    commands.push(Command::Apply(Action::DeletePerson(id)));
                }
            });
            let subtitle = subtitle(draft);
            if !subtitle.is_empty() {
                ui.add(egui::Label::new(RichText::new(subtitle).weak()).wrap());
            }
            if let Some(birthday) = draft.birthday() {
                let meaning = super::person_dates::describe(
                    &crate::model::DateKind::Birthday,
                    birthday,
                    view_ctx.today,
                );
                let text = if meaning.is_empty() {
                    format!("Born {}", birthday.human())
                } else {
                    format!("Born {} · {meaning}", birthday.human())
                };
                ui.label(RichText::new(text).weak());
            }
        });
    });
    commit
}

/// "Head of Product · Design · Acme · also called Dani".
fn subtitle(person: &Person) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !person.role.trim().is_empty() {
        parts.push(person.role.trim().to_string());
    }
    if let Some(unit) = person.org_units.first() {
        parts.push(unit.clone());
    }
    if !person.organization.trim().is_empty() {
        parts.push(person.organization.trim().to_string());
    }
    if !person.nicknames.is_empty() {
        let names: Vec<String> = person.nicknames.iter().map(|n| format!("“{n}”")).collect();
        parts.push(format!("also called {}", names.join(", ")));
    }
    parts.join(" · ")
}

/// The collapsible name parts, phonetic names and nicknames.
fn name_details_ui(ui: &mut Ui, draft: &mut Person, new_nickname: &mut String) -> bool {
    let mut commit = false;
    let joined = draft.name_parts.joined();
    let title = if joined.is_empty() || joined == draft.name.trim() {
        "Name details".to_string()
    } else {
        format!("Name details ({joined})")
    };
    egui::CollapsingHeader::new(title)
        .id_salt("name_details")
        .show(ui, |ui| {
            let parts = &mut draft.name_parts;
            for (caption, text) in [
                ("Prefix", &mut parts.prefix),
                ("Given name", &mut parts.given),
                ("Middle name", &mut parts.additional),
                ("Family name", &mut parts.family),
                ("Suffix", &mut parts.suffix),
                ("Given (phonetic)", &mut parts.phonetic_given),
                ("Middle (phonetic)", &mut parts.phonetic_additional),
                ("Family (phonetic)", &mut parts.phonetic_family),
            ] {
                commit |= text_row(ui, caption, text).lost_focus();
            }
            commit |= chips_row(ui, "Nicknames", &mut draft.nicknames, new_nickname, &[]);
            let joined = draft.name_parts.joined();
            if !joined.is_empty() && joined != draft.name.trim() {
                form_row(ui, "", |ui, _| {
                    if ui
                        .button(format!("Use “{joined}” as the name"))
                        .on_hover_text("The name shown everywhere; the parts are kept as they are")
                        .clicked()
                    {
                        draft.name = joined.clone();
                        commit = true;
                    }
                });
            }
        });
    commit
}

/// Give-before-you-ask, health, last contact, and a suggested stage.
fn standing_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, draft: &mut Person) -> bool {
    let mut commit = false;
    let id = draft.id;
    let health = view_ctx.insight.health(view_ctx.model, id, view_ctx.today);
    ui.horizontal_wrapped(|ui| {
        // Whole items move to the next line; none is split.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        let stats = view_ctx.insight.stats(id);
        let given = stats.count(InteractionKind::HelpGiven);
        let asked = stats.count(InteractionKind::HelpAsked);
        ui.label(
            RichText::new(format!(
                "Give before you ask: {given} given · {asked} asked"
            ))
            .strong(),
        );
        if stats.give_ask_balance() < 0 {
            ui.colored_label(ui.visuals().warn_fg_color, "(give first next time)");
        }
        ui.separator();
        ui.label(format!("Health {}/100", health.score));
        ui.separator();
        match health.days_quiet {
            Some(days) => ui.label(format!("Last contact {}", super::widgets::ago(days))),
            None => ui.label("No interactions yet"),
        };
    });
    if let Some(suggestion) = &health.suggestion {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "Evidence suggests {}: {}",
                suggestion.stage,
                suggestion.reasons.join(", ")
            ));
            if ui
                .small_button(format!("Set to {}", suggestion.stage))
                .clicked()
            {
                set_stage(draft, suggestion.stage, view_ctx.today);
                commit = true;
            }
        });
    }
    ui.collapsing("Why this score", |ui| {
        for reason in &health.reasons {
            ui.label(format!("- {reason}"));
        }
    });
    commit
}

/// Employer, department and units, job titles and functions.
fn work_ui(ui: &mut Ui, draft: &mut Person, chips: &mut ChipInputs) -> bool {
    let mut commit = false;
    commit |= text_row(ui, "Organization", &mut draft.organization).lost_focus();
    commit |= chips_row(ui, "Department", &mut draft.org_units, &mut chips.unit, &[]);
    commit |= text_row(ui, "Job title", &mut draft.role).lost_focus();
    commit |= chips_row(
        ui,
        "Other titles",
        &mut draft.other_titles,
        &mut chips.title,
        &[],
    );
    commit |= chips_row(
        ui,
        "Functions",
        &mut draft.functions,
        &mut chips.function,
        &[],
    );
    commit
}

/// A caption and a one-line field linked to it.
fn text_row(ui: &mut Ui, caption: &str, text: &mut String) -> egui::Response {
    form_row(ui, caption, |ui, label| {
        let width = ui.available_width().min(style::FIELD_MAX_WIDTH);
        ui.add(TextEdit::singleline(text).desired_width(width))
            .labelled_by(label)
    })
}

/// Met at / on, introduced by, stage and newsletter consent.
fn connection_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    intro_query: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let mut commit = false;
    commit |= text_row(ui, "Met at", &mut draft.met.place).lost_focus();
    form_row(ui, "Met on", |ui, label| {
        // Typed date entry (engineer E's date_entry); empty means unknown.
        commit |= super::date_entry::DateEntry::new(
            ("met_on", draft.id),
            &mut draft.met.date,
            view_ctx.today,
        )
        .optional()
        .labelled_by(label)
        .show(ui)
        .changed;
    });
    form_row(ui, "Introduced by", |ui, _| {
        commit |= introduced_by_ui(ui, view_ctx, draft, intro_query, commands);
    });
    form_row(ui, "Stage", |ui, _| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let mut stage = draft.stage;
            for s in Stage::ALL {
                ui.selectable_value(&mut stage, s, s.label());
            }
            if stage != draft.stage {
                set_stage(draft, stage, view_ctx.today);
                commit = true;
            }
        });
    });
    form_row(ui, "Newsletter", |ui, _| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let current = draft.newsletter.clone();
            if ui
                .selectable_label(current == Consent::NotAsked, "Not asked")
                .clicked()
            {
                draft.newsletter = Consent::NotAsked;
            }
            if ui
                .selectable_label(current.is_yes(), "Yes, they agreed")
                .clicked()
                && !current.is_yes()
            {
                draft.newsletter = Consent::Yes {
                    date: view_ctx.today,
                };
            }
            if ui
                .selectable_label(matches!(current, Consent::No { .. }), "No")
                .clicked()
                && !matches!(current, Consent::No { .. })
            {
                draft.newsletter = Consent::No {
                    date: Some(view_ctx.today),
                };
            }
            if let Consent::Yes { date } = &draft.newsletter {
                ui.weak(format!("since {date}"));
            }
            commit |= draft.newsletter != current;
        });
    });
    commit
}

fn set_stage(draft: &mut Person, stage: Stage, today: NaiveDate) {
    if draft.stage != stage {
        draft.stage = stage;
        draft.stage_history.push(StageChange { date: today, stage });
    }
}

fn introduced_by_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    query: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let model = view_ctx.model;
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let current = draft
            .introduced_by
            .map(|p| model.person_name(p).to_string())
            .unwrap_or_else(|| "nobody".into());
        egui::ComboBox::from_id_salt("introduced_by")
            .selected_text(current)
            .width(style::PICKER_WIDTH)
            .height(style::MENU_HEIGHT)
            .show_ui(ui, |ui| {
                let label = ui.label("Find");
                ui.add(TextEdit::singleline(query).desired_width(style::PICKER_WIDTH))
                    .labelled_by(label.id);
                if ui
                    .selectable_label(draft.introduced_by.is_none(), "nobody")
                    .clicked()
                {
                    draft.introduced_by = None;
                    changed = true;
                }
                for person in people_matching(view_ctx, query, draft.id) {
                    if ui
                        .selectable_label(draft.introduced_by == Some(person.id), &person.name)
                        .clicked()
                    {
                        draft.introduced_by = Some(person.id);
                        changed = true;
                    }
                }
            })
            .response
            .accessible_name("Introducer");
        // The chain: click a name to follow it.
        let chain = model.introduction_chain(draft.id);
        if chain.len() <= 1 {
            ui.weak("you met directly");
        } else {
            ui.weak("You");
            for person in chain.iter().skip(1).rev() {
                ui.weak("->");
                if ui.link(model.person_name(*person)).clicked() {
                    commands.push(Command::OpenPerson(*person));
                }
            }
            ui.weak("->");
            ui.weak(&draft.name);
        }
    });
    changed
}

fn memberships_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, draft: &mut Person) -> bool {
    let mut changed = false;
    form_row(ui, "Groups", |ui, orgs_label| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let mut remove = None;
            for (i, membership) in draft.memberships.iter_mut().enumerate() {
                let name = view_ctx
                    .model
                    .orgs
                    .get(&membership.org)
                    .map(|o| o.name.as_str())
                    .unwrap_or("(deleted organization)");
                // The group, "role" and its field stay on one line.
                let spacing = ui.spacing().item_spacing.x;
                wrap_before(
                    ui,
                    chip_width(ui, name)
                        + text_width(ui, "role")
                        + style::ROLE_WIDTH
                        + 2.0 * spacing,
                );
                if removable_chip(ui, name) {
                    remove = Some(i);
                }
                // Their role there, edited in place ("role" and its field together).
                wrap_before(
                    ui,
                    text_width(ui, "role") + style::ROLE_WIDTH + 2.0 * spacing,
                );
                let role_label = ui
                    .weak("role")
                    .on_hover_text(format!("Their role in {name}"));
                let response = ui
                    .add(
                        TextEdit::singleline(&mut membership.role).desired_width(style::ROLE_WIDTH),
                    )
                    .labelled_by(role_label.id);
                changed |= response.lost_focus();
            }
            if let Some(i) = remove {
                draft.memberships.remove(i);
                changed = true;
            }
            egui::ComboBox::from_id_salt("add_membership")
                .selected_text("Add group")
                .show_ui(ui, |ui| {
                    for org in view_ctx.model.orgs.values() {
                        if draft.memberships.iter().any(|m| m.org == org.id) {
                            continue;
                        }
                        if ui.selectable_label(false, &org.name).clicked() {
                            draft.memberships.push(Membership {
                                org: org.id,
                                role: "member".into(),
                            });
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(orgs_label);
        });
    });
    changed
}
