//! Shared interests: what you share with someone, every interest in the
//! network (browse, rename, merge), and people who should meet.

use super::style;
use super::widgets::avatar_ui;
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::insight::Candidate;
use crate::model::PersonId;
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
    /// The pointer was over the introductions last frame: the list keeps
    /// its rows in place until it leaves.
    pointer_on_list: bool,
    /// "Refresh" was clicked.
    refresh: bool,
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

/// Whether the introductions shown are replaced this frame: at once when
/// the mode or person changes or on "Refresh"; after a change to the
/// network only once the pointer is off the list (rows never move under it).
fn should_refresh(
    shown: Option<(u64, Option<PersonId>, bool, bool)>,
    wanted: (u64, Option<PersonId>, bool),
    pointer_on_list: bool,
    refresh_clicked: bool,
) -> bool {
    let Some((revision, selected, for_selected, computed)) = shown else {
        return true;
    };
    let mode_changed = (selected, for_selected) != (wanted.1, wanted.2);
    let outdated = revision != wanted.0 || !computed;
    refresh_clicked || mode_changed || (outdated && !pointer_on_list)
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
            // Clear of the scroll bar that floats over the right edge.
            ui.set_max_width(ui.available_width() - style::SCROLL_GUTTER);
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
            let for_selected = state.for_selected && selected.is_some();
            let shown = state
                .cache
                .as_ref()
                .map(|c| (c.revision, c.selected, c.for_selected, c.list.is_some()));
            let mut updating = false;
            ui.horizontal_wrapped(|ui| {
                ui.selectable_value(&mut state.for_selected, false, "Whole network");
                ui.add_enabled_ui(selected.is_some(), |ui| {
                    ui.selectable_value(&mut state.for_selected, true, "For the selected person");
                });
                state.refresh |= ui
                    .button("Refresh")
                    .on_hover_text("Show the suggestions for the network as it is now")
                    .clicked();
                // Said here, beside the buttons, so the rows below never move.
                let stale = shown.is_some_and(|(revision, _, _, computed)| {
                    revision != view_ctx.revision || !computed
                });
                if stale {
                    ui.spinner();
                    updating = true;
                }
            });
            if should_refresh(
                shown,
                (view_ctx.revision, selected, for_selected),
                state.pointer_on_list,
                state.refresh,
            ) {
                state.refresh = false;
                let list = match (for_selected, selected) {
                    (true, Some(id)) => Some(insight.candidates_for(id, 20)),
                    // None while computed in the background after a change.
                    _ => insight.top_candidates_ready(20),
                };
                let same_mode = state
                    .cache
                    .as_ref()
                    .is_some_and(|c| (c.selected, c.for_selected) == (selected, for_selected));
                // While the network-wide list is computed, the old one stays.
                if list.is_some() || !same_mode {
                    state.cache = Some(ShownIntroductions {
                        revision: view_ctx.revision,
                        selected,
                        for_selected,
                        list,
                    });
                }
            }
            let list = state.cache.as_ref().and_then(|shown| shown.list.as_deref());
            let list_rect = match list {
                Some([]) => {
                    ui.weak("No suggestions: add interests, tags and organizations to people.");
                    None
                }
                Some(list) => Some(
                    ui.scope(|ui| {
                        for candidate in list {
                            candidate_row_ui(ui, view_ctx, candidate, commands);
                        }
                    })
                    .response
                    .rect,
                ),
                None => {
                    if !updating {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.weak("Finding the best introductions across your network…");
                        });
                    } else {
                        ui.weak("Finding the best introductions across your network…");
                    }
                    None
                }
            };
            state.pointer_on_list = list_rect.is_some_and(|rect| ui.rect_contains_pointer(rect));
            super::intro_offers::offers_ui(ui, view_ctx, None, commands);
            ui.separator();
            ui.heading("All interests");
            ui.horizontal_wrapped(|ui| {
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
                    ui.horizontal_wrapped(|ui| {
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
                    ui.horizontal_wrapped(|ui| {
                        let merge_label = ui.label("Merge into");
                        let target_name = state
                            .merge_into
                            .as_ref()
                            .and_then(|k| insight.interest_name(k))
                            .unwrap_or("choose…")
                            .to_string();
                        egui::ComboBox::from_id_salt(("merge_into", key))
                            .selected_text(target_name)
                            .height(style::MENU_HEIGHT)
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

/// One suggested pair: both people (click to open), "Introduce" (opens the
/// composer with the reason) and the reason. A pair introduced or offered
/// from this list keeps its row, marked, until the list is shown afresh
/// (so a second click lands on it and does nothing).
fn candidate_row_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    candidate: &Candidate,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let (a, b) = (candidate.a, candidate.b);
    ui.horizontal_wrapped(|ui| {
        for (i, id) in [a, b].into_iter().enumerate() {
            if i == 1 {
                ui.label("&");
            }
            if let Some(person) = model.people.get(&id) {
                avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
            }
            if ui.link(model.person_name(id)).clicked() {
                commands.push(Command::OpenPerson(id));
            }
        }
        if view_ctx.insight.connected(a, b) {
            ui.add_enabled(false, egui::Button::new("Introduced"))
                .on_disabled_hover_text(
                    "On both timelines; it leaves the list when the list refreshes",
                );
        } else if view_ctx.insight.introduction_held(a, b) {
            ui.add_enabled(false, egui::Button::new("Offered"))
                .on_disabled_hover_text("Waiting on their answers, or one said no this year");
        } else {
            let button = ui
                .button("Introduce")
                .on_hover_text("Write the introduction: the reason, the date, follow-ups");
            if button.clicked() {
                commands.push(Command::Introduce {
                    a,
                    b,
                    reason: super::intro_composer::reason_sentence(&candidate.shared),
                });
            }
        }
        // On the same line when it fits, wrapped below otherwise.
        ui.add(egui::Label::new(RichText::new(candidate.reason()).weak()).wrap());
    });
    ui.add_space(style::GRID);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_waits_for_the_pointer_to_leave_before_it_changes() {
        let person = Some(PersonId::new_random());
        // Nothing shown yet: show.
        assert!(should_refresh(None, (1, None, false), true, false));
        // A change to the network while the pointer is on the list: wait.
        assert!(!should_refresh(
            Some((1, None, false, true)),
            (2, None, false),
            true,
            false
        ));
        // The pointer left: now.
        assert!(should_refresh(
            Some((1, None, false, true)),
            (2, None, false),
            false,
            false
        ));
        // Nothing changed: keep.
        assert!(!should_refresh(
            Some((2, None, false, true)),
            (2, None, false),
            false,
            false
        ));
        // Refresh or another mode: at once, pointer or not.
        assert!(should_refresh(
            Some((2, None, false, true)),
            (2, None, false),
            true,
            true
        ));
        assert!(should_refresh(
            Some((2, None, false, true)),
            (2, person, true),
            true,
            false
        ));
    }
}
