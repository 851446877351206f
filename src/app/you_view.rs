//! "You": your profile and interests, your own e-mail addresses and phone
//! numbers, your contact rhythm per stage, the calendars, mail and chats
//! interactions were imported from, and the organizations you show up in
//! (kind, your role over time, events attended).

use super::chip_entry::chip_entry_ui;
use super::date_entry::{DateEntry, format_date};
use super::history_view::{self, HistoryState};
use super::style;
use super::widgets::labelled_text;
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{Involvement, OrgEvent, OrgKind, Organization, RoleSpan, Stage};
use egui::{RichText, Ui};

/// State of the "You" view.
#[derive(Default)]
pub struct YouState {
    name: Option<String>,
    interests: Option<String>,
    offers: Option<String>,
    new_org: String,
    new_event_title: String,
    new_event_date: Option<chrono::NaiveDate>,
    open_org: Option<crate::model::OrgId>,
    new_email: String,
    new_phone: String,
}

/// Quick choices for an event's date: events are often just past or soon.
const EVENT_CHOICES: &[(&str, i64)] = &[("Today", 0), ("Yesterday", -1), ("In a week", 7)];

fn list_text(items: &[String]) -> String {
    items.join(", ")
}

fn text_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Draw the view.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut YouState,
    history: &mut HistoryState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    egui::ScrollArea::vertical().id_salt("you_scroll").auto_shrink([false, false]).show(ui, |ui| {
        ui.heading("Your profile");
        let me = &model.me;
        let name = state.name.get_or_insert_with(|| me.name.clone());
        let mut commit = labelled_text(ui, "Your name", name).lost_focus();
        let interests = state.interests.get_or_insert_with(|| list_text(&me.interests));
        commit |= labelled_text(ui, "Your interests (comma separated)", interests).lost_focus();
        let offers = state.offers.get_or_insert_with(|| list_text(&me.offers));
        commit |= labelled_text(ui, "What you can offer others", offers).lost_focus();
        if commit {
            let mut edited = me.clone();
            edited.name = name.trim().to_string();
            edited.interests = text_list(interests);
            edited.offers = text_list(offers);
            if edited != *me {
                commands.push(Command::Apply(Action::SetMe(edited)));
            }
        }
        addresses_ui(ui, me, state, commands);
        super::person_help::your_giving_ui(ui, view_ctx);
        ui.separator();
        ui.heading("Your rhythm");
        ui.label("How often you want to be in touch, by stage. Re-engage suggestions and health use this.");
        let mut settings = model.settings.clone();
        egui::Grid::new("cadence").num_columns(2).show(ui, |ui| {
            for stage in Stage::ALL {
                let label = ui.label(stage.label());
                let mut days = settings.cadence(stage);
                let response = ui
                    .add(egui::DragValue::new(&mut days).range(1..=3650).suffix(" days"))
                    .labelled_by(label.id);
                if response.changed() {
                    settings.cadence_days.insert(stage, days);
                }
                ui.end_row();
            }
        });
        ui.separator();
        ui.heading("Settings");
        ui.checkbox(
            &mut settings.notifications,
            "Desktop notifications for follow-ups and dates due today",
        )
        .on_hover_text("Once a day while kith runs. Kept with your data, so it syncs.");
        if settings != model.settings {
            commands.push(Command::Apply(Action::SetSettings(settings)));
        }
        ui.separator();
        history_view::sources_ui(ui, view_ctx, history, commands);
        ui.separator();
        ui.heading("Backups");
        match view_ctx.data_dir {
            Some(dir) => {
                ui.label(format!(
                    "kith keeps a snapshot of your data each day you open it (the last {}), in {}.",
                    crate::storage::BACKUPS_KEPT,
                    crate::storage::guard::shown(&dir.join(crate::storage::BACKUPS_DIR))
                ));
                let backups = crate::storage::list_backups(dir);
                if backups.is_empty() {
                    ui.weak("No backups yet.");
                }
                for (date, path) in backups {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(date.to_string());
                        if ui.button(format!("Restore {date}")).on_hover_text("Replaces your data with this snapshot; undo goes back").clicked() {
                            commands.push(Command::RestoreBackup(path));
                        }
                    });
                }
            }
            None => {
                ui.weak("This preview has no data folder, so no backups.");
            }
        }
        ui.separator();
        ui.heading("Your organizations");
        ui.label("Showing up and taking part is how networking works: record what you attend and the roles you take on.");
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("New organization");
            ui.add(
                egui::TextEdit::singleline(&mut state.new_org)
                    .desired_width(style::SETTINGS_FIELD_WIDTH.min(ui.available_width())),
            )
            .labelled_by(label.id);
            if ui.button("Add organization").clicked() && !state.new_org.trim().is_empty() {
                let org = Organization::new(state.new_org.trim(), OrgKind::Other);
                state.open_org = Some(org.id);
                commands.push(Command::Apply(Action::AddOrganization(org)));
                state.new_org.clear();
            }
        });
        for org in model.orgs.values() {
            let open = state.open_org == Some(org.id);
            let role = org.role_on(view_ctx.today).map(|r| r.label()).unwrap_or("not a member");
            let row = egui::Button::selectable(open, RichText::new(format!("{}  ({}, {role})", org.name, org.kind.label())))
                .wrap_mode(egui::TextWrapMode::Wrap);
            if ui.add(row).clicked() {
                state.open_org = if open { None } else { Some(org.id) };
            }
            if open {
                org_ui(ui, view_ctx, org, state, commands);
            }
        }
    });
}

/// Your own e-mail addresses and phone numbers: imports use them to tell
/// sent from received and to keep you out of the people they log.
fn addresses_ui(
    ui: &mut Ui,
    me: &crate::model::Me,
    state: &mut YouState,
    commands: &mut Vec<Command>,
) {
    ui.add_space(style::SPACE_S);
    ui.label(style::caption_text(
        ui,
        "Your own addresses and numbers tell sent from received in mail and chat imports, and keep you out of their people.",
    ));
    let mut emails = me.emails.clone();
    let mut phones = me.phones.clone();
    let mut changed = chip_entry_ui(ui, "Your e-mails", &mut emails, &mut state.new_email, &[]);
    changed |= chip_entry_ui(ui, "Your phones", &mut phones, &mut state.new_phone, &[]);
    if changed {
        let mut edited = me.clone();
        edited.emails = Vec::new();
        for email in emails {
            let email = email.trim().trim_start_matches("mailto:").to_lowercase();
            if !email.is_empty() && !edited.emails.contains(&email) {
                edited.emails.push(email);
            }
        }
        edited.phones = phones;
        if edited != *me {
            commands.push(Command::Apply(Action::SetMe(edited)));
        }
    }
}

fn org_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    org: &Organization,
    state: &mut YouState,
    commands: &mut Vec<Command>,
) {
    let today = view_ctx.today;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let mut edited = org.clone();
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::new(("org_kind", org.id), "Kind")
                .selected_text(edited.kind.label())
                .show_ui(ui, |ui| {
                    for kind in OrgKind::ALL {
                        ui.selectable_value(&mut edited.kind, kind, kind.label());
                    }
                });
            let current = org.role_on(today);
            let mut role = current;
            egui::ComboBox::new(("org_role", org.id), "Your role now")
                .selected_text(role.map(|r| r.label()).unwrap_or("none"))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut role, None, "none");
                    for involvement in Involvement::ALL {
                        ui.selectable_value(&mut role, Some(involvement), involvement.label());
                    }
                });
            if role != current {
                // Close open spans and start a new one: the history is kept.
                for span in &mut edited.my_roles {
                    if span.until.is_none_or(|u| u >= today) && span.since <= today {
                        span.until = Some(today - chrono::Duration::days(1));
                    }
                }
                if let Some(role) = role {
                    edited.my_roles.push(RoleSpan {
                        role,
                        since: today,
                        until: None,
                    });
                }
            }
            if ui.button("Delete organization").clicked() {
                commands.push(Command::Apply(Action::DeleteOrganization(org.id)));
            }
        });
        if let Some(ended) = crate::insight::plan::role_ended(org, today) {
            ui.add(egui::Label::new(RichText::new(ended.advice()).italics()).wrap());
        }
        if !org.my_roles.is_empty() {
            ui.label("Role history:");
            for span in &org.my_roles {
                ui.weak(format!(
                    "{} from {}{}",
                    span.role.label(),
                    format_date(span.since),
                    span.until
                        .map(|u| format!(" to {}", format_date(u)))
                        .unwrap_or_else(|| " (now)".into())
                ));
            }
        }
        ui.label(RichText::new("Events").strong());
        let mut events: Vec<(usize, &OrgEvent)> = org.events.iter().enumerate().collect();
        events.sort_by_key(|(_, e)| std::cmp::Reverse(e.date));
        for (index, event) in events.into_iter().take(30) {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{}  {}", format_date(event.date), event.title));
                if event.date <= today {
                    let mut attended = event.attended;
                    if ui.checkbox(&mut attended, "attended").changed() {
                        edited.events[index].attended = attended;
                    }
                } else {
                    ui.weak("upcoming");
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Event");
            ui.add(
                egui::TextEdit::singleline(&mut state.new_event_title)
                    .desired_width(style::SETTINGS_FIELD_WIDTH.min(ui.available_width())),
            )
            .labelled_by(label.id);
            if state.new_event_date.is_none() {
                state.new_event_date = Some(today);
            }
            let date_label = ui.label("on");
            let date = DateEntry::new(("new_event_date", org.id), &mut state.new_event_date, today)
                .choices(EVENT_CHOICES)
                .labelled_by(date_label.id)
                .show(ui);
            let problem = date.error.or_else(|| {
                state
                    .new_event_title
                    .trim()
                    .is_empty()
                    .then(|| "Type the event's name first".to_string())
            });
            let button = ui.add_enabled(problem.is_none(), egui::Button::new("Add event"));
            let button = match &problem {
                Some(why) => button.on_disabled_hover_text(why),
                None => button,
            };
            if button.clicked() {
                let date = state.new_event_date.unwrap_or(today);
                edited.events.push(OrgEvent {
                    date,
                    title: state.new_event_title.trim().to_string(),
                    attended: date <= today,
                });
                state.new_event_title.clear();
            }
        });
        if edited != *org {
            commands.push(Command::Apply(Action::EditOrganization(edited)));
        }
    });
}
