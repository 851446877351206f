//! The person view: every field editable in place, quick interaction entry,
//! give-before-you-ask balance, health, and the person's timeline.

use super::timeline::{self, TimelineState};
use super::widgets::{
    days_ago, from_jiff, labelled_multiline, labelled_text, removable_chip, stage_chip, to_jiff,
};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{
    Consent, Contact, Interaction, InteractionKind, Membership, Person, PersonId, Stage,
    StageChange,
};
use chrono::NaiveDate;
use egui::{RichText, Ui};

/// Quick "add interaction" form.
#[derive(Clone, Debug)]
pub struct QuickAdd {
    /// Kind selected.
    pub kind: InteractionKind,
    /// Date (defaults to today).
    pub date: Option<NaiveDate>,
    /// Note.
    pub note: String,
    /// Follow up after this many days.
    pub follow_up_days: Option<u32>,
}

impl Default for QuickAdd {
    fn default() -> Self {
        Self {
            kind: InteractionKind::Coffee,
            date: None,
            note: String::new(),
            follow_up_days: None,
        }
    }
}

/// Editor state for the person view.
#[derive(Default)]
pub struct PersonViewState {
    draft: Option<Person>,
    base: Option<Person>,
    emails: String,
    phones: String,
    links: String,
    new_interest: String,
    new_need: String,
    new_want: String,
    new_tag: String,
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
        let (draft, typing) = match (&self.draft, &self.base) {
            (Some(draft), Some(base)) if draft.id == person.id => (
                draft.rebase(base, person),
                [
                    contacts_from(&self.emails, &base.emails) != base.emails,
                    contacts_from(&self.phones, &base.phones) != base.phones,
                    contacts_from(&self.links, &base.links) != base.links,
                ],
            ),
            _ => (person.clone(), [false; 3]),
        };
        for (buffer, list, typing) in [
            (&mut self.emails, &draft.emails, typing[0]),
            (&mut self.phones, &draft.phones, typing[1]),
            (&mut self.links, &draft.links, typing[2]),
        ] {
            if !typing {
                *buffer = list
                    .iter()
                    .map(|c| c.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
            }
        }
        self.draft = Some(draft);
        self.base = Some(person.clone());
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The values typed in a list field, keeping the label and preference of
/// each value that was there before.
fn contacts_from(text: &str, before: &[Contact]) -> Vec<Contact> {
    split_list(text)
        .into_iter()
        .map(|value| {
            before
                .iter()
                .find(|c| c.value == value)
                .cloned()
                .unwrap_or_else(|| Contact::new(value))
        })
        .collect()
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
    egui::ScrollArea::vertical()
        .id_salt("person_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let Some(draft) = state.draft.as_mut() else {
                return;
            };
            // ---- Header
            ui.horizontal(|ui| {
                let label = ui.label("Name");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut draft.name)
                            .font(egui::TextStyle::Heading)
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                if state.focus_name {
                    response.request_focus();
                    state.focus_name = false;
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
            let health = view_ctx.insight.health(model, id, view_ctx.today);
            ui.horizontal_wrapped(|ui| {
                let stats = view_ctx.insight.stats(id);
                let given = stats.count(InteractionKind::HelpGiven);
                let asked = stats.count(InteractionKind::HelpAsked);
                ui.label(
                    RichText::new(format!(
                        "Give before you ask: {given} given · {asked} asked"
                    ))
                    .strong(),
                );
                let balance = stats.give_ask_balance();
                if balance < 0 {
                    ui.colored_label(ui.visuals().warn_fg_color, "(give first next time)");
                }
                ui.separator();
                ui.label(format!("Health {}/100", health.score));
                ui.separator();
                match health.days_quiet {
                    Some(days) => ui.label(format!("Last contact {} ago", days_ago(days))),
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
            ui.separator();

            // ---- Fields
            egui::Grid::new("person_fields")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .min_col_width(110.0)
                .show(ui, |ui| {
                    commit |=
                        labelled_text(ui, "Organization", &mut draft.organization).lost_focus();
                    ui.end_row();
                    commit |= labelled_text(ui, "Role", &mut draft.role).lost_focus();
                    ui.end_row();
                    if labelled_text(ui, "Emails", &mut state.emails).lost_focus() {
                        draft.emails = contacts_from(&state.emails, &draft.emails);
                        commit = true;
                    }
                    ui.end_row();
                    if labelled_text(ui, "Phones", &mut state.phones).lost_focus() {
                        draft.phones = contacts_from(&state.phones, &draft.phones);
                        commit = true;
                    }
                    ui.end_row();
                    if labelled_text(ui, "Links", &mut state.links).lost_focus() {
                        draft.links = contacts_from(&state.links, &draft.links);
                        commit = true;
                    }
                    ui.end_row();
                    commit |= labelled_text(ui, "Met at", &mut draft.met.place).lost_focus();
                    ui.end_row();
                    ui.label("Met on");
                    ui.horizontal(|ui| {
                        let mut known = draft.met.date.is_some();
                        if ui.checkbox(&mut known, "known").changed() {
                            draft.met.date = known.then_some(view_ctx.today);
                            commit = true;
                        }
                        if let Some(date) = draft.met.date {
                            let mut picked = to_jiff(date);
                            let response = ui.add(
                                egui_extras::DatePickerButton::new(&mut picked)
                                    .show_icon(false)
                                    .id_salt("met_on"),
                            );
                            if response.changed() {
                                draft.met.date = Some(from_jiff(picked));
                                commit = true;
                            }
                        }
                    });
                    ui.end_row();
                    ui.label("Introduced by");
                    commit |=
                        introduced_by_ui(ui, view_ctx, draft, &mut state.intro_query, commands);
                    ui.end_row();
                    ui.label("Stage");
                    ui.horizontal(|ui| {
                        let mut stage = draft.stage;
                        for s in Stage::ALL {
                            ui.selectable_value(&mut stage, s, s.label());
                        }
                        if stage != draft.stage {
                            set_stage(draft, stage, view_ctx.today);
                            commit = true;
                        }
                    });
                    ui.end_row();
                    ui.label("Newsletter");
                    ui.horizontal(|ui| {
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
                    ui.end_row();
                });

            ui.separator();
            // Suggestions only while typing, from the index (no per-frame copy).
            let suggestions = view_ctx.insight.suggest_interests(&state.new_interest, 12);
            commit |= chips_ui(
                ui,
                "Interests",
                &mut draft.interests,
                &mut state.new_interest,
                &suggestions,
            );
            let shared = view_ctx.insight.shared_with_me(model, id);
            if !shared.is_empty() {
                ui.label(RichText::new(format!("You share: {}", shared.join(", "))).italics());
            }
            commit |= chips_ui(ui, "Needs", &mut draft.needs, &mut state.new_need, &[]);
            commit |= chips_ui(ui, "Wants", &mut draft.wants, &mut state.new_want, &[]);
            commit |= chips_ui(ui, "Tags", &mut draft.tags, &mut state.new_tag, &[]);
            commit |= memberships_ui(ui, view_ctx, draft);
            commit |= labelled_multiline(ui, "Notes", &mut draft.notes).lost_focus();

            ui.separator();
            quick_add_ui(ui, view_ctx, id, &mut state.quick, commands);
            ui.separator();
            timeline::person_ui(ui, view_ctx, id, timeline_state, commands);
        });
    if commit
        && let (Some(draft), Some(base)) = (&state.draft, &state.base)
        && draft != base
    {
        commands.push(Command::Apply(Action::EditPerson(draft.clone())));
    }
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
    ui.vertical(|ui| {
        ui.horizontal_wrapped(|ui| {
            // The chain: click a name to follow it.
            let chain = model.introduction_chain(draft.id);
            if chain.len() <= 1 {
                ui.weak("nobody (you met directly)");
            } else {
                ui.label("You");
                for person in chain.iter().skip(1).rev() {
                    ui.label("->");
                    if ui.link(model.person_name(*person)).clicked() {
                        commands.push(Command::OpenPerson(*person));
                    }
                }
                ui.label("->");
                ui.label(&draft.name);
            }
        });
        ui.horizontal(|ui| {
            let current = draft
                .introduced_by
                .map(|p| model.person_name(p).to_string())
                .unwrap_or_else(|| "nobody".into());
            egui::ComboBox::new("introduced_by", "Introducer")
                .selected_text(current)
                .height(300.0)
                .show_ui(ui, |ui| {
                    let label = ui.label("Find");
                    ui.add(egui::TextEdit::singleline(query).desired_width(160.0))
                        .labelled_by(label.id);
                    if ui
                        .selectable_label(draft.introduced_by.is_none(), "nobody")
                        .clicked()
                    {
                        draft.introduced_by = None;
                        changed = true;
                    }
                    let needle = query.to_lowercase();
                    for person in model
                        .live_people()
                        .filter(|p| p.id != draft.id && p.name.to_lowercase().contains(&needle))
                        .take(50)
                    {
                        if ui
                            .selectable_label(draft.introduced_by == Some(person.id), &person.name)
                            .clicked()
                        {
                            draft.introduced_by = Some(person.id);
                            changed = true;
                        }
                    }
                });
        });
    });
    changed
}

/// Chips with remove buttons, an add field and autocomplete suggestions.
fn chips_ui(
    ui: &mut Ui,
    label: &str,
    items: &mut Vec<String>,
    new_item: &mut String,
    suggestions: &[String],
) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).strong());
        let mut remove = None;
        for (i, item) in items.iter().enumerate() {
            if removable_chip(ui, item) {
                remove = Some(i);
            }
        }
        if let Some(i) = remove {
            items.remove(i);
            changed = true;
        }
        let field_label = ui.label(format!("Add {}", label.to_lowercase()));
        let response = ui
            .add(egui::TextEdit::singleline(new_item).desired_width(140.0))
            .labelled_by(field_label.id);
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter && !new_item.trim().is_empty() {
            let text = new_item.trim().to_string();
            if !items.iter().any(|x| x.eq_ignore_ascii_case(&text)) {
                items.push(text);
                changed = true;
            }
            new_item.clear();
            response.request_focus();
        }
        let needle = new_item.trim().to_lowercase();
        if !needle.is_empty() {
            let matches: Vec<&String> = suggestions
                .iter()
                .filter(|s| {
                    s.to_lowercase().contains(&needle)
                        && !items.iter().any(|x| x.eq_ignore_ascii_case(s))
                })
                .take(6)
                .collect();
            for suggestion in matches {
                if ui.small_button(suggestion).clicked() {
                    items.push(suggestion.clone());
                    new_item.clear();
                    changed = true;
                }
            }
        }
    });
    changed
}

fn memberships_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, draft: &mut Person) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let orgs_label = ui.label(RichText::new("Organizations").strong());
        let mut remove = None;
        for (i, membership) in draft.memberships.iter_mut().enumerate() {
            let name = view_ctx
                .model
                .orgs
                .get(&membership.org)
                .map(|o| o.name.as_str())
                .unwrap_or("(deleted organization)");
            if removable_chip(ui, name) {
                remove = Some(i);
            }
            // Their role there, edited in place.
            let role_label = ui
                .weak("role")
                .on_hover_text(format!("Their role in {name}"));
            let response = ui
                .add(egui::TextEdit::singleline(&mut membership.role).desired_width(90.0))
                .labelled_by(role_label.id);
            changed |= response.lost_focus();
        }
        if let Some(i) = remove {
            draft.memberships.remove(i);
            changed = true;
        }
        egui::ComboBox::from_id_salt("add_membership")
            .selected_text("Add organization")
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
            .labelled_by(orgs_label.id);
    });
    changed
}

fn quick_add_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    quick: &mut QuickAdd,
    commands: &mut Vec<Command>,
) {
    ui.label(RichText::new("Record an interaction").strong());
    ui.horizontal_wrapped(|ui| {
        for kind in InteractionKind::ALL {
            ui.selectable_value(&mut quick.kind, kind, kind.label());
        }
    });
    ui.horizontal(|ui| {
        ui.label("On");
        let mut date = to_jiff(quick.date.unwrap_or(view_ctx.today));
        if ui
            .add(
                egui_extras::DatePickerButton::new(&mut date)
                    .show_icon(false)
                    .id_salt("quick_date"),
            )
            .changed()
        {
            quick.date = Some(from_jiff(date));
        }
        let label = ui.label("Note");
        ui.add(egui::TextEdit::singleline(&mut quick.note).desired_width(220.0))
            .labelled_by(label.id);
        let mut follow = quick.follow_up_days.is_some();
        ui.checkbox(&mut follow, "Follow up in");
        let mut days = quick.follow_up_days.unwrap_or(14);
        ui.add_enabled(
            follow,
            egui::DragValue::new(&mut days).range(1..=365).suffix(" d"),
        );
        quick.follow_up_days = follow.then_some(days);
        if ui
            .button(format!("Add {}", quick.kind.label().to_lowercase()))
            .clicked()
        {
            let date = quick.date.unwrap_or(view_ctx.today);
            let mut interaction = Interaction::new(date, quick.kind, vec![id]);
            interaction.note = quick.note.trim().to_string();
            interaction.follow_up = quick
                .follow_up_days
                .map(|d| date + chrono::Duration::days(i64::from(d)));
            commands.push(Command::Apply(Action::AddInteraction(interaction)));
            quick.note.clear();
            quick.date = None;
        }
    });
}
