//! Shared interests: what you share with someone, every interest in the
//! network (browse, rename, merge), and people who should meet.

use super::{Command, ViewCtx};
use crate::action::Action;
use crate::insight::Candidate;
use crate::model::{Interaction, InteractionKind, PersonId};
use egui::{RichText, Ui};

/// State of the interests view.
#[derive(Default)]
pub struct InterestsState {
    filter: String,
    expanded: Option<String>,
    rename_text: String,
    merge_into: Option<String>,
    for_selected: bool,
    /// The introductions shown, and what they were computed for.
    cache: Option<ShownIntroductions>,
}

/// The introductions the view shows, kept until the model, the selected
/// person or the mode changes.
struct ShownIntroductions {
    revision: u64,
    selected: Option<PersonId>,
    for_selected: bool,
    /// None while the network-wide ones are computed in the background.
    list: Option<Vec<Candidate>>,
}

/// Draw the interests view.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    selected: Option<PersonId>,
    state: &mut InterestsState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let insight = view_ctx.insight;
    egui::ScrollArea::vertical()
        .id_salt("interests_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("Shared interests");
            match selected.and_then(|id| model.people.get(&id)) {
                Some(person) => {
                    let shared = insight.shared_with_me(model, person.id);
                    if shared.is_empty() {
                        ui.label(format!(
                            "You and {} share no listed interests yet. Ask what they care about.",
                            person.name
                        ));
                    } else {
                        ui.label(format!(
                            "You and {} both care about: {}",
                            person.name,
                            shared.join(", ")
                        ));
                    }
                }
                None => {
                    ui.weak("Select a person to see what you share.");
                }
            }
            ui.separator();
            ui.heading("People who should meet");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut state.for_selected, false, "Whole network");
                ui.add_enabled_ui(selected.is_some(), |ui| {
                    ui.selectable_value(&mut state.for_selected, true, "For the selected person");
                });
            });
            let for_selected = state.for_selected && selected.is_some();
            let fresh = state.cache.as_ref().is_some_and(|shown| {
                shown.revision == view_ctx.revision
                    && shown.selected == selected
                    && shown.for_selected == for_selected
            });
            if !fresh {
                let list = match (for_selected, selected) {
                    (true, Some(id)) => Some(insight.candidates_for(id, 20)),
                    // None while computed in the background after a change.
                    _ => insight.top_candidates_ready(20),
                };
                state.cache = Some(ShownIntroductions {
                    revision: view_ctx.revision,
                    selected,
                    for_selected,
                    list,
                });
            }
            let computed = state.cache.as_ref().and_then(|shown| shown.list.clone());
            let candidates = match computed {
                Some(list) => {
                    if list.is_empty() {
                        ui.weak("No suggestions: add interests, tags and organizations to people.");
                    }
                    list
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.weak("Finding the best introductions across your network…");
                    });
                    Vec::new()
                }
            };
            egui::Grid::new("candidates")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for candidate in &candidates {
                        ui.horizontal(|ui| {
                            if ui.link(model.person_name(candidate.a)).clicked() {
                                commands.push(Command::OpenPerson(candidate.a));
                            }
                            ui.label("&");
                            if ui.link(model.person_name(candidate.b)).clicked() {
                                commands.push(Command::OpenPerson(candidate.b));
                            }
                        });
                        let button = ui
                            .button("Record introduction")
                            .on_hover_text("Logs an introduction for both people");
                        if button.clicked() {
                            let mut interaction = Interaction::new(
                                view_ctx.today,
                                InteractionKind::IntroductionMade,
                                vec![candidate.a, candidate.b],
                            );
                            interaction.note = format!(
                                "Introduced {} and {}: {}",
                                model.person_name(candidate.a),
                                model.person_name(candidate.b),
                                candidate.reason()
                            );
                            interaction.follow_up =
                                Some(view_ctx.today + chrono::Duration::days(14));
                            commands.push(Command::Apply(Action::AddInteraction(interaction)));
                            commands.push(Command::Notify(
                                super::ToastKind::Info,
                                "Introduction recorded; follow up in two weeks.".to_string(),
                            ));
                        }
                        ui.label(candidate.reason());
                        ui.end_row();
                    }
                });
            ui.separator();
            ui.heading("All interests");
            ui.horizontal(|ui| {
                let label = ui.label("Filter interests");
                ui.text_edit_singleline(&mut state.filter)
                    .labelled_by(label.id);
            });
            let interests = insight.interests();
            let needle = state.filter.trim().to_lowercase();
            for (key, name, count) in interests
                .iter()
                .filter(|(_, n, _)| needle.is_empty() || n.to_lowercase().contains(&needle))
                .take(300)
            {
                let open = state.expanded.as_deref() == Some(key.as_str());
                let header = ui.selectable_label(open, RichText::new(format!("{name}  ({count})")));
                if header.clicked() {
                    state.expanded = if open { None } else { Some(key.clone()) };
                    state.rename_text = name.clone();
                    state.merge_into = None;
                }
                if !open {
                    continue;
                }
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for id in insight.people_with(key).iter().take(200) {
                            if ui.link(model.person_name(*id)).clicked() {
                                commands.push(Command::OpenPerson(*id));
                            }
                        }
                    });
                    ui.horizontal(|ui| {
                        let label = ui.label("Rename to");
                        ui.text_edit_singleline(&mut state.rename_text)
                            .labelled_by(label.id);
                        if ui.button("Rename").clicked() && !state.rename_text.trim().is_empty() {
                            commands.push(Command::Apply(Action::RenameInterest {
                                key: key.clone(),
                                name: state.rename_text.trim().to_string(),
                            }));
                        }
                    });
                    ui.horizontal(|ui| {
                        let merge_label = ui.label("Merge into");
                        let target_name = state
                            .merge_into
                            .as_ref()
                            .and_then(|k| insight.interest_name(k))
                            .unwrap_or("choose…")
                            .to_string();
                        egui::ComboBox::from_id_salt(("merge_into", key))
                            .selected_text(target_name)
                            .height(300.0)
                            .show_ui(ui, |ui| {
                                for (other_key, other_name, _) in
                                    interests.iter().filter(|(k, _, _)| k != key)
                                {
                                    ui.selectable_value(
                                        &mut state.merge_into,
                                        Some(other_key.clone()),
                                        other_name,
                                    );
                                }
                            })
                            .response
                            .labelled_by(merge_label.id);
                        if let Some(target) = state.merge_into.clone()
                            && ui.button("Merge").clicked()
                        {
                            let target_name = insight
                                .interest_name(&target)
                                .unwrap_or(&target)
                                .to_string();
                            commands.push(Command::Apply(Action::Batch {
                                label: format!("Merge {name} into {target_name}"),
                                actions: vec![
                                    Action::RenameInterest {
                                        key: target.clone(),
                                        name: target_name,
                                    },
                                    Action::MergeInterests {
                                        into: target,
                                        from: key.clone(),
                                    },
                                ],
                            }));
                            state.expanded = None;
                        }
                    });
                });
            }
        });
}
