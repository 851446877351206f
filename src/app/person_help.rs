//! The person page's giving section: who could help them with each open
//! need (someone to introduce, or you), whom they could help, marking a
//! need met (when, through which interaction, by whom), and the needs met
//! so far. Also the "given" counts of the profile header and the You view.

use super::date_entry::{DateEntry, format_date};
use super::person_relations::people_matching;
use super::style;
use super::widgets::{form_row, person_link_ui};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::insight::{HelpMatch, Helper, Insight};
use crate::model::{Interaction, InteractionId, InteractionKind, Model, NeedMet, Person, PersonId};
use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};
use std::sync::Arc;

/// How the need was met, in the "Met…" form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MetVia {
    /// Record it on the timeline on the day the need was met ("Help given"
    /// when you helped, a note naming the helper otherwise).
    RecordNow,
    /// An interaction already on the timeline.
    Interaction(InteractionId),
    /// Nothing to link.
    Nothing,
}

/// The "Met…" form of one open need; nothing is written before "Mark met".
#[derive(Clone, Debug)]
struct MetForm {
    person: PersonId,
    need: String,
    date: Option<NaiveDate>,
    via: MetVia,
    /// Who helped: a person, or None for you.
    helper: Option<PersonId>,
    query: String,
}

/// The matches shown for one person, computed once per revision and day.
struct Matches {
    key: (PersonId, u64, NaiveDate),
    helpers: Vec<HelpMatch>,
    helps: Vec<HelpMatch>,
}

/// How many helpers are listed under one need.
const HELPERS_PER_NEED: usize = 3;

/// The help given to a person, what they asked, and their needs met.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GivenCounts {
    /// "Help given" interactions, plus needs met by you or by someone you
    /// introduced them to (not already counted through a "Help given").
    pub given: u32,
    /// "Help asked" interactions.
    pub asked: u32,
    /// Their needs met, by anyone.
    pub needs_met: usize,
}

impl GivenCounts {
    /// "Given 4 · Asked 1 · 2 needs met".
    pub fn text(&self) -> String {
        let met = match self.needs_met {
            0 => String::new(),
            1 => " · 1 need met".to_string(),
            n => format!(" · {n} needs met"),
        };
        format!("Given {} · Asked {}{met}", self.given, self.asked)
    }
}

/// True when `met` was met by you, or by someone you introduced `person` to.
fn met_by_you_or_your_introduction(
    model: &Model,
    insight: &Insight,
    person: PersonId,
    met: &NeedMet,
) -> bool {
    let Some(helper) = met.helper else {
        return true;
    };
    let is_introduction = |id: &InteractionId| {
        model.interactions.get(id).is_some_and(|i| {
            i.kind == InteractionKind::IntroductionMade && i.people.contains(&helper)
        })
    };
    if met.interaction.as_ref().is_some_and(is_introduction) {
        return true;
    }
    insight
        .stats(person)
        .interactions
        .iter()
        .any(|(_, id)| is_introduction(id))
}

/// True when `met` is linked to a "Help given" interaction (already counted).
fn through_help_given(model: &Model, met: &NeedMet) -> bool {
    met.interaction
        .and_then(|id| model.interactions.get(&id))
        .is_some_and(|i| i.kind == InteractionKind::HelpGiven)
}

/// The given counts of one person's profile header.
pub fn given_counts(model: &Model, insight: &Insight, person: &Person) -> GivenCounts {
    let stats = insight.stats(person.id);
    let met_by_you = person
        .needs_met
        .iter()
        .filter(|m| {
            !through_help_given(model, m)
                && met_by_you_or_your_introduction(model, insight, person.id, m)
        })
        .count();
    GivenCounts {
        given: stats.count(InteractionKind::HelpGiven) + met_by_you as u32,
        asked: stats.count(InteractionKind::HelpAsked),
        needs_met: person.needs_met.len(),
    }
}

/// Your own giving: this year and in all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YourGiving {
    /// Help given this calendar year ("Help given" interactions and needs
    /// met by you or your introductions).
    pub given_this_year: u32,
    /// Needs met by you or by people you introduced, in all.
    pub needs_met: u32,
}

/// Count your giving across the network (walks everyone: cache it).
pub fn your_giving(model: &Model, insight: &Insight, today: NaiveDate) -> YourGiving {
    let mut out = YourGiving::default();
    for interaction in model.interactions.values() {
        if interaction.kind == InteractionKind::HelpGiven && interaction.date.year() == today.year()
        {
            out.given_this_year += 1;
        }
    }
    for person in model.live_people() {
        for met in &person.needs_met {
            if !met_by_you_or_your_introduction(model, insight, person.id, met) {
                continue;
            }
            out.needs_met += 1;
            if met.date.year() == today.year() && !through_help_given(model, met) {
                out.given_this_year += 1;
            }
        }
    }
    out
}

/// "Given 12 this year · 5 needs met by you or your introductions".
pub fn your_giving_text(giving: YourGiving) -> String {
    let met = match giving.needs_met {
        1 => "1 need met by you or your introductions".to_string(),
        n => format!("{n} needs met by you or your introductions"),
    };
    format!("Given {} this year · {met}", giving.given_this_year)
}

/// The You view's line of your giving (counted once per revision and day).
pub fn your_giving_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>) {
    let id = egui::Id::unique("kith_your_giving");
    let key = (view_ctx.revision, view_ctx.today);
    let cached: Option<((u64, NaiveDate), YourGiving)> = ui.data(|d| d.get_temp(id));
    let giving = match cached {
        Some((at, giving)) if at == key => giving,
        _ => {
            let giving = your_giving(view_ctx.model, view_ctx.insight, view_ctx.today);
            ui.data_mut(|d| d.insert_temp(id, (key, giving)));
            giving
        }
    };
    ui.add_space(style::SPACE_S);
    ui.label(RichText::new(your_giving_text(giving)).strong());
}

/// The first name, for sentences ("Who could help Dana").
pub fn first_name(person: &Person) -> &str {
    let given = person.name_parts.given.trim();
    if !given.is_empty() {
        return given;
    }
    person.name.split_whitespace().next().unwrap_or("them")
}

/// A need as it reads inside a sentence: "A bookkeeper" becomes "a
/// bookkeeper"; "CFO advice" stays as it is.
pub fn need_in_sentence(need: &str) -> String {
    let need = need.trim();
    let mut chars = need.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second)
            if first.is_uppercase() && !second.is_some_and(char::is_uppercase) =>
        {
            first.to_lowercase().chain(need.chars().skip(1)).collect()
        }
        _ => need.to_string(),
    }
}

/// The reason an introduction starts from: "Dana is looking for a
/// bookkeeper; Raj can help with bookkeeping." or "…; Raj (CPA at Patel &
/// Co) could help."
pub fn introduce_reason(model: &Model, m: &HelpMatch, helper: PersonId) -> String {
    let needy = model.people.get(&m.needy).map(first_name).unwrap_or("They");
    let helper = model.people.get(&helper).map(first_name).unwrap_or("they");
    let why = m.why.trim();
    let need = need_in_sentence(&m.need);
    // "can help with …", "helped Omar with this before": reads after the name.
    if why.starts_with(char::is_lowercase) {
        format!("{needy} is looking for {need}; {helper} {why}.")
    } else if why.is_empty() {
        format!("{needy} is looking for {need}; {helper} could help.")
    } else {
        format!("{needy} is looking for {need}; {helper} ({why}) could help.")
    }
}

/// The one undo step behind "Log help": a "Help given" interaction today
/// with a note naming the need, and (for an open need) the need marked met
/// through it. None when the person is gone.
pub fn log_help_action(
    model: &Model,
    needy: PersonId,
    need: &str,
    today: NaiveDate,
) -> Option<Action> {
    let person = model.people.get(&needy)?;
    let mut interaction = Interaction::new(today, InteractionKind::HelpGiven, vec![needy]);
    interaction.note = format!("Helped with {}", need_in_sentence(need));
    let mut edited = person.clone();
    let met = edited.mark_need_met(need, today, Some(interaction.id), None);
    let mut actions = vec![Action::AddInteraction(interaction)];
    if met {
        actions.push(Action::EditPerson(edited));
    }
    Some(Action::Batch {
        label: format!("Help given to {}", person.name),
        actions,
    })
}

/// The command behind an "Introduce" button of a match, or None for you.
fn introduce_command(model: &Model, m: &HelpMatch) -> Option<Command> {
    match m.helper {
        Helper::Person(helper) => Some(Command::Introduce {
            a: m.needy,
            b: helper,
            reason: introduce_reason(model, m, helper),
        }),
        Helper::Me => None,
    }
}

/// Suggestions for the "Can help with" chips: what others can help with
/// and their job titles, containing what is typed; none while nothing is.
pub fn can_help_suggestions(model: &Model, typed: &str, limit: usize) -> Vec<String> {
    let needle = typed.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<String> = Vec::new();
    // A bounded pass: enough to choose from, fast on a big network.
    'people: for person in model.live_people() {
        let offers = person
            .can_help_with
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(person.role.trim()));
        for offer in offers {
            if offer.is_empty() || !offer.to_lowercase().contains(&needle) {
                continue;
            }
            if !found.iter().any(|f| f.eq_ignore_ascii_case(offer)) {
                found.push(offer.to_string());
                if found.len() >= limit {
                    break 'people;
                }
            }
        }
    }
    found.sort_by_key(|s| s.to_lowercase());
    found
}

fn form_id() -> egui::Id {
    egui::Id::unique("kith_need_met_form")
}

fn matches_id() -> egui::Id {
    egui::Id::unique("kith_person_help_matches")
}

/// The giving section of a person's page.
pub fn help_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, person: &Person, commands: &mut Vec<Command>) {
    let model = view_ctx.model;
    let id = person.id;
    let key = (id, view_ctx.revision, view_ctx.today);
    let cached: Option<Arc<Matches>> = ui.data(|d| d.get_temp(matches_id()));
    let matches = match cached {
        Some(m) if m.key == key => m,
        _ => {
            let open = person.needs.len() + person.wants.len();
            let limit = (open * HELPERS_PER_NEED).clamp(HELPERS_PER_NEED, 30);
            let m = Arc::new(Matches {
                key,
                helpers: view_ctx
                    .insight
                    .helpers_for(model, id, view_ctx.today, limit),
                helps: view_ctx.insight.can_help_whom(model, id, view_ctx.today, 5),
            });
            ui.data_mut(|d| d.insert_temp(matches_id(), m.clone()));
            m
        }
    };
    let mut form: Option<MetForm> = ui
        .data(|d| d.get_temp::<MetForm>(form_id()))
        .filter(|f| f.person == id && person.needs.contains(&f.need));
    let first = first_name(person);

    ui.label(RichText::new(format!("Who could help {first}")).strong());
    if person.needs.is_empty() && person.wants.is_empty() {
        ui.weak(format!(
            "No needs noted yet. Ask {first} what they are working on, and add it under About."
        ));
    }
    let wants_with_help = person
        .wants
        .iter()
        .filter(|w| matches.helpers.iter().any(|m| &m.need == *w));
    let rows: Vec<(&String, bool)> = person
        .needs
        .iter()
        .map(|n| (n, true))
        .chain(wants_with_help.map(|w| (w, false)))
        .collect();
    for (need, is_need) in rows {
        ui.push_id(("need", need), |ui| {
            need_row(ui, view_ctx, person, need, is_need, &mut form);
            let helpers: Vec<&HelpMatch> = matches
                .helpers
                .iter()
                .filter(|m| &m.need == need)
                .take(HELPERS_PER_NEED)
                .collect();
            ui.indent("helpers", |ui| {
                if helpers.is_empty() {
                    ui.weak("Nobody in your network yet: note what people can help with on their pages.");
                }
                for m in &helpers {
                    helper_row(ui, view_ctx, m, commands);
                }
                let suggested: Vec<PersonId> = helpers
                    .iter()
                    .filter_map(|m| match m.helper {
                        Helper::Person(p) => Some(p),
                        Helper::Me => None,
                    })
                    .collect();
                if let Some(f) = form.as_mut().filter(|f| &f.need == need)
                    && met_form_ui(ui, view_ctx, person, &suggested, f, commands)
                {
                    form = None;
                }
            });
        });
    }

    if !matches.helps.is_empty() {
        ui.add_space(style::SPACE_S);
        ui.label(RichText::new(format!("{first} could help")).strong());
        for m in &matches.helps {
            ui.push_id(("helps", m.needy, &m.need), |ui| {
                could_help_row(ui, view_ctx, person, m, commands);
            });
        }
    }

    if !person.needs_met.is_empty() {
        ui.add_space(style::SPACE_S);
        needs_met_ui(ui, view_ctx, person, commands);
    }

    ui.data_mut(|d| match form {
        Some(f) => {
            d.insert_temp(form_id(), f);
        }
        None => d.remove::<MetForm>(form_id()),
    });
}

/// One open need (or want): the need, when it was noted, and "Met…".
fn need_row(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    person: &Person,
    need: &str,
    is_need: bool,
    form: &mut Option<MetForm>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(need).size(style::TEXT_SECTION));
        if !is_need {
            ui.weak("(a want)");
        } else if let Some(noted) = person.need_noted_on(need) {
            ui.weak(format!("noted {}", format_date(noted)));
        }
        if is_need {
            let open = form.as_ref().is_some_and(|f| f.need == need);
            let button = ui
                .add_enabled(!open, egui::Button::new("Met…").small())
                .on_hover_text("Mark this need met: when, how, and who helped");
            button.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, !open, format!("Met: {need}"))
            });
            if button.clicked() {
                *form = Some(MetForm {
                    person: person.id,
                    need: need.to_string(),
                    date: Some(view_ctx.today),
                    via: MetVia::RecordNow,
                    helper: None,
                    query: String::new(),
                });
            }
        }
    });
}

/// "Raj Patel · CPA at Patel & Co · Introduce", or "You · … · Log help".
fn helper_row(ui: &mut Ui, view_ctx: &ViewCtx<'_>, m: &HelpMatch, commands: &mut Vec<Command>) {
    let model = view_ctx.model;
    ui.horizontal_wrapped(|ui| {
        // Whole items move to the next line; none is split.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        match m.helper {
            Helper::Person(helper) => {
                person_link_ui(ui, view_ctx, helper, commands);
            }
            Helper::Me => {
                ui.label(RichText::new("You").strong());
            }
        }
        if !m.why.is_empty() {
            ui.weak(&m.why);
        }
        match introduce_command(model, m) {
            Some(command) => {
                let button = ui
                    .small_button("Introduce")
                    .on_hover_text("Open the introduction, with the need as its reason");
                let helper_name = match m.helper {
                    Helper::Person(p) => model.person_name(p),
                    Helper::Me => "you",
                };
                button.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Introduce {helper_name}"),
                    )
                });
                if button.clicked() {
                    commands.push(command);
                }
            }
            None => {
                let button = ui
                    .small_button("Log help")
                    .on_hover_text("Record help given today, and mark the need met");
                button.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Log help: {}", m.need),
                    )
                });
                if button.clicked()
                    && let Some(action) = log_help_action(model, m.needy, &m.need, view_ctx.today)
                {
                    commands.push(Command::Apply(action));
                }
            }
        }
    });
}

/// "Omar Haddad needs a website · they build websites · Introduce".
fn could_help_row(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    person: &Person,
    m: &HelpMatch,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    ui.horizontal_wrapped(|ui| {
        // Whole items move to the next line; none is split.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        person_link_ui(ui, view_ctx, m.needy, commands);
        ui.label(format!("needs {}", need_in_sentence(&m.need)));
        if !m.why.is_empty() {
            ui.weak(&m.why);
        }
        let button = ui
            .small_button("Introduce")
            .on_hover_text("Open the introduction, with the need as its reason");
        let name = model.person_name(m.needy).to_string();
        button.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Introduce {name}"))
        });
        if button.clicked() {
            let as_match = HelpMatch {
                helper: Helper::Person(person.id),
                ..m.clone()
            };
            commands.push(Command::Introduce {
                a: m.needy,
                b: person.id,
                reason: introduce_reason(model, &as_match, person.id),
            });
        }
    });
}

/// The "Met…" form: when, through which interaction, who helped (the
/// people suggested for the need listed first); "Mark met" writes it as
/// one undo step. True when the form is done (saved or cancelled).
fn met_form_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    person: &Person,
    suggested: &[PersonId],
    form: &mut MetForm,
    commands: &mut Vec<Command>,
) -> bool {
    let model = view_ctx.model;
    let mut done = false;
    let mut date_error = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(format!("Mark “{}” met", form.need)).strong());
        form_row(ui, "When", |ui, label| {
            let out = DateEntry::new(("need_met_on", person.id), &mut form.date, view_ctx.today)
                .labelled_by(label)
                .show(ui);
            date_error = out.error;
        });
        form_row(ui, "Through", |ui, label| {
            let shown = via_text(model, form.via);
            egui::ComboBox::from_id_salt("need_met_via")
                .selected_text(shown)
                .width(style::MET_PICKER_WIDTH)
                .height(style::MENU_HEIGHT)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut form.via,
                        MetVia::RecordNow,
                        via_text(model, MetVia::RecordNow),
                    );
                    ui.selectable_value(
                        &mut form.via,
                        MetVia::Nothing,
                        via_text(model, MetVia::Nothing),
                    );
                    let recent = view_ctx.insight.stats(person.id).interactions.iter().rev();
                    for (_, interaction) in recent.take(style::MET_RECENT_INTERACTIONS) {
                        let via = MetVia::Interaction(*interaction);
                        ui.selectable_value(&mut form.via, via, via_text(model, via));
                    }
                })
                .response
                .labelled_by(label);
        });
        form_row(ui, "Helped by", |ui, label| {
            let shown = match form.helper {
                Some(p) => model.person_name(p).to_string(),
                None => "You".to_string(),
            };
            egui::ComboBox::from_id_salt("need_met_helper")
                .selected_text(shown)
                .width(style::MET_PICKER_WIDTH)
                .height(style::MENU_HEIGHT)
                .show_ui(ui, |ui| {
                    let find = ui.label("Find");
                    ui.add(
                        egui::TextEdit::singleline(&mut form.query)
                            .desired_width(style::MET_PICKER_WIDTH),
                    )
                    .labelled_by(find.id);
                    if ui.selectable_label(form.helper.is_none(), "You").clicked() {
                        form.helper = None;
                    }
                    if form.query.trim().is_empty() {
                        for helper in suggested {
                            let name = format!("{} (could help)", model.person_name(*helper));
                            if ui
                                .selectable_label(form.helper == Some(*helper), name)
                                .clicked()
                            {
                                form.helper = Some(*helper);
                            }
                        }
                        if !suggested.is_empty() {
                            ui.separator();
                        }
                    }
                    for someone in people_matching(view_ctx, &form.query, person.id) {
                        if ui
                            .selectable_label(form.helper == Some(someone.id), &someone.name)
                            .clicked()
                        {
                            form.helper = Some(someone.id);
                        }
                    }
                })
                .response
                .labelled_by(label);
        });
        form_row(ui, "", |ui, _| {
            ui.horizontal(|ui| {
                let ready = date_error.is_none() && form.date.is_some();
                let save = ui.add_enabled(ready, egui::Button::new("Mark met"));
                if let Some(error) = &date_error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                if save.clicked()
                    && let Some(date) = form.date
                    && let Some(action) = mark_met_action(model, person, form, date)
                {
                    commands.push(Command::Apply(action));
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
    });
    done
}

/// "Record it on the timeline now", "No interaction", "Coffee on 12 Nov 2026".
fn via_text(model: &Model, via: MetVia) -> String {
    match via {
        MetVia::RecordNow => "Record it on the timeline now".to_string(),
        MetVia::Nothing => "No interaction".to_string(),
        MetVia::Interaction(id) => match model.interactions.get(&id) {
            Some(i) => format!("{} on {}", i.kind.label(), format_date(i.date)),
            None => "An interaction since removed".to_string(),
        },
    }
}

/// The one undo step behind "Mark met": the need met (and a "Help given"
/// interaction first, when the form records one).
fn mark_met_action(
    model: &Model,
    person: &Person,
    form: &MetForm,
    date: NaiveDate,
) -> Option<Action> {
    let mut edited = person.clone();
    let mut actions = Vec::new();
    let interaction = match form.via {
        MetVia::RecordNow => {
            // Your help is "Help given" (it counts as given); someone
            // else's is a note on the timeline naming them.
            let kind = match form.helper {
                None => InteractionKind::HelpGiven,
                Some(_) => InteractionKind::Other,
            };
            let mut help = Interaction::new(date, kind, vec![person.id]);
            help.note = match form.helper {
                None => format!("Helped with {}", need_in_sentence(&form.need)),
                Some(helper) => format!(
                    "{} helped with {}",
                    model.person_name(helper),
                    need_in_sentence(&form.need)
                ),
            };
            let id = help.id;
            actions.push(Action::AddInteraction(help));
            Some(id)
        }
        MetVia::Interaction(id) => Some(id),
        MetVia::Nothing => None,
    };
    if !edited.mark_need_met(&form.need, date, interaction, form.helper) {
        return None;
    }
    actions.push(Action::EditPerson(edited));
    Some(Action::Batch {
        label: format!("Need met: {}", form.need),
        actions,
    })
}

/// The needs met so far, collapsed: what, when, who helped, and a link to
/// the interaction that met it.
fn needs_met_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, person: &Person, commands: &mut Vec<Command>) {
    let model = view_ctx.model;
    egui::CollapsingHeader::new(format!("Needs met ({})", person.needs_met.len()))
        .id_salt("needs_met")
        .default_open(false)
        .show(ui, |ui| {
            for (index, met) in person.needs_met.iter().enumerate().rev() {
                ui.push_id(index, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(&met.need);
                        ui.weak(format_date(met.date));
                        match met.helper {
                            None => {
                                ui.weak("by you");
                            }
                            Some(helper) => {
                                ui.weak("by");
                                if ui.link(model.person_name(helper)).clicked() {
                                    commands.push(Command::OpenPerson(helper));
                                }
                            }
                        }
                        if let Some(interaction) = met.interaction
                            && let Some(i) = model.interactions.get(&interaction)
                        {
                            let text = format!(
                                "{} on {}",
                                i.kind.label().to_lowercase(),
                                format_date(i.date)
                            );
                            if ui.link(text).clicked() {
                                commands.push(Command::OpenInteraction(person.id, interaction));
                            }
                        }
                    });
                });
            }
        });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn apply(model: &mut Model, action: Action) {
        model.apply(action).unwrap();
    }

    #[test]
    fn needs_read_well_inside_a_sentence() {
        assert_eq!(need_in_sentence("A bookkeeper"), "a bookkeeper");
        assert_eq!(need_in_sentence("Seed investors"), "seed investors");
        assert_eq!(need_in_sentence("CFO advice"), "CFO advice");
        assert_eq!(need_in_sentence(" Ökonom "), "ökonom");
        assert_eq!(need_in_sentence(""), "");
    }

    #[test]
    fn the_reason_names_the_need_and_the_helper() {
        let mut model = Model::default();
        let dana = Person::new("Dana Whitfield");
        let raj = Person::new("Raj Patel");
        let m = HelpMatch {
            needy: dana.id,
            need: "A bookkeeper".into(),
            helper: Helper::Person(raj.id),
            why: "CPA at Patel & Co".into(),
            score: 1.0,
        };
        let raj_id = raj.id;
        model.people.insert(dana.id, dana);
        model.people.insert(raj.id, raj);
        assert_eq!(
            introduce_reason(&model, &m, raj_id),
            "Dana is looking for a bookkeeper; Raj (CPA at Patel & Co) could help."
        );
        let m = HelpMatch {
            why: "can help with bookkeeping".into(),
            ..m
        };
        assert_eq!(
            introduce_reason(&model, &m, raj_id),
            "Dana is looking for a bookkeeper; Raj can help with bookkeeping."
        );
    }

    #[test]
    fn logging_help_records_it_and_meets_the_need_in_one_step() {
        let mut model = Model::default();
        let mut dana = Person::new("Dana Whitfield");
        dana.needs = vec!["A bookkeeper".into()];
        let id = dana.id;
        model.people.insert(id, dana);
        let action = log_help_action(&model, id, "A bookkeeper", day(11, 22)).unwrap();
        assert!(matches!(&action, Action::Batch { actions, .. } if actions.len() == 2));
        apply(&mut model, action);
        let dana = &model.people[&id];
        assert!(dana.needs.is_empty());
        let met = &dana.needs_met[0];
        assert_eq!((met.date, met.helper), (day(11, 22), None));
        let help = &model.interactions[&met.interaction.unwrap()];
        assert_eq!(help.kind, InteractionKind::HelpGiven);
        assert_eq!(help.note, "Helped with a bookkeeper");
        // A want is helped with but stays: nothing to mark met.
        let action = log_help_action(&model, id, "Go to Japan", day(11, 22)).unwrap();
        assert!(matches!(&action, Action::Batch { actions, .. } if actions.len() == 1));
    }

    #[test]
    fn given_counts_help_and_needs_met_by_you_or_your_introductions() {
        let mut model = Model::default();
        let mut dana = Person::new("Dana Whitfield");
        dana.needs = vec![
            "A bookkeeper".into(),
            "A lawyer".into(),
            "A designer".into(),
        ];
        let raj = Person::new("Raj Patel");
        let omar = Person::new("Omar Haddad");
        let (id, raj_id, omar_id) = (dana.id, raj.id, omar.id);
        for p in [dana, raj, omar] {
            model.people.insert(p.id, p);
        }
        // Help given through "Log help": counted once.
        let action = log_help_action(&model, id, "A bookkeeper", day(3, 1)).unwrap();
        apply(&mut model, action);
        // You introduced Dana and Raj; Raj met a need.
        let intro = Interaction::new(
            day(4, 1),
            InteractionKind::IntroductionMade,
            vec![id, raj_id],
        );
        apply(&mut model, Action::AddInteraction(intro));
        let mut dana = model.people[&id].clone();
        dana.mark_need_met("A lawyer", day(4, 10), None, Some(raj_id));
        // Omar met one on his own: a need met, not given by you.
        dana.mark_need_met("A designer", day(5, 1), None, Some(omar_id));
        apply(&mut model, Action::EditPerson(dana));
        let insight = Insight::build(&model);
        let counts = given_counts(&model, &insight, &model.people[&id]);
        assert_eq!(
            counts,
            GivenCounts {
                given: 2,
                asked: 0,
                needs_met: 3
            }
        );
        assert_eq!(counts.text(), "Given 2 · Asked 0 · 3 needs met");
        let yours = your_giving(&model, &insight, day(11, 22));
        assert_eq!(
            yours,
            YourGiving {
                given_this_year: 2,
                needs_met: 2
            }
        );
        assert_eq!(
            your_giving_text(yours),
            "Given 2 this year · 2 needs met by you or your introductions"
        );
        // Last year's help does not count for this year.
        assert_eq!(
            your_giving(&model, &insight, day(11, 22) + chrono::Days::new(365)).given_this_year,
            0
        );
    }

    #[test]
    fn can_help_suggestions_come_from_offers_and_titles() {
        let mut model = Model::default();
        let mut raj = Person::new("Raj Patel");
        raj.role = "CPA".into();
        raj.can_help_with = vec!["Bookkeeping".into(), "Tax returns".into()];
        let mut jonas = Person::new("Jonas Eriksson");
        jonas.role = "Bookkeeper".into();
        jonas.can_help_with = vec!["bookkeeping".into()];
        for p in [raj, jonas] {
            model.people.insert(p.id, p);
        }
        let found = can_help_suggestions(&model, "book", 12);
        // One of the two spellings of "bookkeeping", whichever is met first.
        let lower: Vec<String> = found.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(lower, ["bookkeeper", "bookkeeping"]);
        assert!(can_help_suggestions(&model, "  ", 12).is_empty());
        assert_eq!(can_help_suggestions(&model, "t", 1).len(), 1);
    }
}
