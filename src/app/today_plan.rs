//! Today's "This week's plan": one person to re-engage, one way to give,
//! one introduction and one group event to show up at (with your
//! participation in that group), each a row with avatars and links.

use super::widgets::{caption_cell, in_days, person_link_ui};
use super::{Command, ViewCtx};
use crate::insight::plan::{
    PlanEvent, PlanHelp, PlanIntroduction, PlanPerson, WeeklyPlan, need_in_sentence,
};
use egui::{RichText, Ui};

/// Draw the week's plan (computed by [`crate::insight::plan::weekly_plan`]).
pub fn ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, plan: &WeeklyPlan, commands: &mut Vec<Command>) {
    if plan.is_empty() {
        ui.weak(
            "Add the people you met recently, and what they care about: the plan grows from there.",
        );
        return;
    }
    if let Some(entry) = &plan.re_engage {
        plan_row(ui, "Get back in touch", |ui| {
            person_link(
                ui,
                view_ctx,
                &PlanPerson {
                    id: entry.id,
                    name: entry.name.clone(),
                },
                commands,
            );
            ui.weak(&entry.reason);
        });
    }
    if let Some(give) = &plan.give {
        plan_row(ui, "Give first", |ui| give_ui(ui, view_ctx, give, commands));
    }
    if let Some(pair) = &plan.introduction {
        plan_row(ui, "Introduce", |ui| {
            introduction_ui(ui, view_ctx, pair, commands);
        });
    } else if plan.introductions_pending {
        plan_row(ui, "Introduce", |ui| {
            ui.weak("Looking for two people who should meet…");
        });
    }
    if let Some(event) = &plan.event {
        plan_row(ui, "Show up", |ui| event_ui(ui, view_ctx, event));
    }
}

/// A caption in the form's caption column, the row's content beside it.
fn plan_row(ui: &mut Ui, caption: &str, add: impl FnOnce(&mut Ui)) {
    ui.horizontal_top(|ui| {
        caption_cell(ui, caption);
        ui.horizontal_wrapped(|ui| add(ui));
    });
}

/// Avatar and name; a click opens the person.
fn person_link(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    person: &PlanPerson,
    commands: &mut Vec<Command>,
) {
    person_link_ui(ui, view_ctx, person.id, commands);
}

/// "Maria needs a bookkeeper: Jonas could help (Bookkeeper at …) [Introduce]",
/// or "… you can help (…)".
fn give_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, give: &PlanHelp, commands: &mut Vec<Command>) {
    let needy = PlanPerson {
        id: give.id,
        name: give.name.clone(),
    };
    person_link(ui, view_ctx, &needy, commands);
    let need = need_in_sentence(&give.need);
    ui.label(format!("needs {need}:"));
    match &give.helper {
        Some(helper) => {
            person_link(ui, view_ctx, helper, commands);
            ui.label("could help");
            ui.weak(format!("({})", give.reason));
            if ui
                .button("Introduce")
                .on_hover_text(format!(
                    "Introduce {} and {} about {need}",
                    needy.name, helper.name
                ))
                .clicked()
            {
                commands.push(Command::Introduce {
                    a: needy.id,
                    b: helper.id,
                    reason: format!(
                        "{} needs {need}, and {} could help ({}).",
                        needy.name, helper.name, give.reason
                    ),
                });
            }
        }
        None => {
            ui.label("you can help");
            ui.weak(format!("({})", give.reason));
        }
    }
}

/// "Dana and Raj: both into running [Introduce]".
fn introduction_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    pair: &PlanIntroduction,
    commands: &mut Vec<Command>,
) {
    person_link(ui, view_ctx, &pair.a, commands);
    ui.label("and");
    person_link(ui, view_ctx, &pair.b, commands);
    ui.weak(&pair.reason);
    if ui
        .button("Introduce")
        .on_hover_text(format!("Introduce {} and {}", pair.a.name, pair.b.name))
        .clicked()
    {
        commands.push(Command::Introduce {
            a: pair.a.id,
            b: pair.b.id,
            reason: pair.reason.clone(),
        });
    }
}

/// "in 7 days  Wed 9 Dec  Breakfast · Rotary  (you went to 3 of the last
/// 10 meetings)", and below it the advice after leaving a role.
fn event_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, event: &PlanEvent) {
    let today = view_ctx.today;
    ui.vertical(|ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(in_days((event.date - today).num_days())).strong());
            ui.weak(event.date.format("%a %-d %b").to_string());
            ui.label(format!("{} · {}", event.title, event.org_name));
            ui.weak(format!("· you: {}", event.participation.label()));
        });
        if let Some(ended) = &event.role_ended {
            ui.add(egui::Label::new(RichText::new(ended.advice()).italics()).wrap());
        }
    });
}
