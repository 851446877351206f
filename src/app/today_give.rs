//! Today's "Ways to give this week": the best needs you or your network
//! can meet, one per person, each with Introduce or "Log help".

use super::person_help::{introduce_reason, log_help_action, need_in_sentence};
use super::style;
use super::widgets::person_link_ui;
use super::{Command, ViewCtx};
use crate::insight::{HelpMatch, Helper};
use chrono::NaiveDate;
use egui::Ui;
use std::sync::Arc;

/// The matches shown, computed once per revision and day.
struct Ways {
    key: (u64, NaiveDate),
    matches: Vec<HelpMatch>,
}

fn ways_id() -> egui::Id {
    egui::Id::unique("kith_today_ways_to_give")
}

/// The "Ways to give this week" section: its heading and rows.
pub fn ways_to_give_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    let key = (view_ctx.revision, view_ctx.today);
    let cached: Option<Arc<Ways>> = ui.data(|d| d.get_temp(ways_id()));
    let ways = match cached {
        Some(ways) if ways.key == key => ways,
        _ => {
            let ways = Arc::new(Ways {
                key,
                matches: view_ctx.insight.ways_to_give(
                    view_ctx.model,
                    view_ctx.today,
                    style::WAYS_TO_GIVE_ROWS,
                ),
            });
            ui.data_mut(|d| d.insert_temp(ways_id(), ways.clone()));
            ways
        }
    };
    style::section_heading(ui, "Ways to give this week");
    if ways.matches.is_empty() {
        ui.weak(
            "No open needs you or your network can meet yet. Ask people what they \
             are working on, and note it as a need on their page.",
        );
        return;
    }
    for m in &ways.matches {
        ui.push_id(("way", m.needy, &m.need), |ui| {
            way_row(ui, view_ctx, m, commands);
        });
    }
}

/// "Dana Whitfield needs a bookkeeper · Raj Patel, CPA at Patel & Co · Introduce".
fn way_row(ui: &mut Ui, view_ctx: &ViewCtx<'_>, m: &HelpMatch, commands: &mut Vec<Command>) {
    let model = view_ctx.model;
    ui.horizontal_wrapped(|ui| {
        // Whole items move to the next line; none is split.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        person_link_ui(ui, view_ctx, m.needy, commands);
        ui.label(format!("needs {}", need_in_sentence(&m.need)));
        ui.weak("·");
        match m.helper {
            Helper::Person(helper) => {
                person_link_ui(ui, view_ctx, helper, commands);
                if !m.why.is_empty() {
                    ui.weak(&m.why);
                }
                let button = ui
                    .small_button("Introduce")
                    .on_hover_text("Open the introduction, with the need as its reason");
                let label = format!(
                    "Introduce {} and {}",
                    model.person_name(m.needy),
                    model.person_name(helper)
                );
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                if button.clicked() {
                    commands.push(Command::Introduce {
                        a: m.needy,
                        b: helper,
                        reason: introduce_reason(model, m, helper),
                    });
                }
            }
            Helper::Me => {
                if m.why.is_empty() {
                    ui.weak("you could help");
                } else {
                    ui.weak(&m.why);
                }
                let button = ui
                    .small_button("Log help")
                    .on_hover_text("Record help given today, and mark the need met");
                let label = format!("Log help for {}", model.person_name(m.needy));
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                if button.clicked()
                    && let Some(action) = log_help_action(model, m.needy, &m.need, view_ctx.today)
                {
                    commands.push(Command::Apply(action));
                }
            }
        }
    });
}
