//! Introductions offered with double opt-in: each side is asked first, and
//! their answers are noted one click each ("Dana said yes"). When both said
//! yes, the introduction is made in the same undo step and kith offers to
//! draft the e-mail; a no closes the offer.

use super::date_entry::DateEntry;
use super::style;
use super::widgets::person_link_ui;
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{
    Interaction, InteractionId, InteractionKind, IntroAnswer, Model, Person, PersonId,
};
use chrono::NaiveDate;
use egui::{RichText, Ui};

/// Days after an introduction is made that kith asks how it went.
pub const HOW_DID_IT_GO_DAYS: i64 = 14;

/// A person's first name ("Dana" of "Dana Whitfield"), or their whole name.
pub fn first_name(person: &Person) -> &str {
    person
        .name
        .split_whitespace()
        .next()
        .unwrap_or(&person.name)
}

/// The first name of `id`, or "Someone" for a person no longer there.
fn first_name_of(model: &Model, id: PersonId) -> &str {
    model.people.get(&id).map_or("Someone", first_name)
}

/// The introduction made when both sides of `offer` said yes: the same two
/// people, the reason as its note, and a follow-up to ask how it went.
pub fn made_from(offer: &Interaction, date: NaiveDate) -> Interaction {
    let mut made = Interaction::new(
        date,
        InteractionKind::IntroductionMade,
        offer.people.clone(),
    );
    made.note = offer
        .intro
        .as_ref()
        .map(|intro| intro.reason.clone())
        .unwrap_or_default();
    made.follow_up = Some(date + chrono::Duration::days(HOW_DID_IT_GO_DAYS));
    made
}

/// Note one side's answer to an open offer (`side` 0 is the offer's first
/// person) on `date`: the action to apply, and, when this was the second
/// yes, the id of the introduction made in the same step. None when the
/// offer is not open or the side does not exist.
pub fn answer(
    model: &Model,
    offer: &Interaction,
    side: usize,
    yes: bool,
    date: NaiveDate,
) -> Option<(Action, Option<InteractionId>)> {
    let mut edited = offer.clone();
    let intro = edited.intro.as_mut().filter(|intro| intro.is_open())?;
    let given = if yes {
        IntroAnswer::Accepted { date }
    } else {
        IntroAnswer::Declined { date }
    };
    match side {
        0 => intro.first = given,
        1 => intro.second = given,
        _ => return None,
    }
    let person = offer.people.get(side).copied()?;
    let name = first_name_of(model, person);
    if intro.both_accepted() {
        let made = made_from(offer, date);
        let id = made.id;
        intro.made = Some(id);
        // The reminder to chase the answers is over.
        edited.follow_up_done = true;
        let label = format!("Introduce {}", names(model, &offer.people));
        let action = Action::Batch {
            label,
            actions: vec![
                Action::EditInteraction(edited),
                Action::AddInteraction(made),
            ],
        };
        return Some((action, Some(id)));
    }
    if intro.declined_on().is_some() {
        edited.follow_up_done = true;
    }
    let said = if yes { "yes" } else { "no" };
    let label = format!("{name} said {said}");
    Some((
        Action::Batch {
            label,
            actions: vec![Action::EditInteraction(edited)],
        },
        None,
    ))
}

/// "Dana Whitfield and Raj Patel" (or "A, B and C").
pub fn names(model: &Model, people: &[PersonId]) -> String {
    let names: Vec<&str> = people.iter().map(|id| model.person_name(*id)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// How an introduction reads on a timeline: "You introduced Dana Whitfield
/// and Raj Patel", "You offered to introduce Dana Whitfield and Raj Patel ·
/// Dana: yes · Raj: waiting". None for other interactions.
pub fn describe(model: &Model, interaction: &Interaction) -> Option<String> {
    let people = names(model, &interaction.people);
    match interaction.kind {
        InteractionKind::IntroductionMade if interaction.people.len() >= 2 => {
            Some(format!("You introduced {people}"))
        }
        InteractionKind::IntroductionOffered => {
            let mut text = format!("You offered to introduce {people}");
            if let Some(intro) = &interaction.intro {
                if intro.made.is_some() {
                    text.push_str(" · both said yes");
                } else {
                    for (id, given) in interaction.people.iter().zip([&intro.first, &intro.second])
                    {
                        text.push_str(&format!(
                            " · {}: {}",
                            first_name_of(model, *id),
                            given.label()
                        ));
                    }
                }
            }
            Some(text)
        }
        _ => None,
    }
}

/// The line an interaction shows in a list: an introduction's description
/// and its note, or the note alone.
pub fn row_text(model: &Model, interaction: &Interaction) -> String {
    let note = match (&interaction.intro, interaction.note.trim()) {
        (Some(intro), "") => intro.reason.trim(),
        (_, note) => note,
    };
    match describe(model, interaction) {
        Some(text) if note.is_empty() => text,
        Some(text) => format!("{text} — {note}"),
        None => note.to_string(),
    }
}

/// Open offers (waiting on answers), newest first: those of `person`, or
/// everyone's.
fn open_offers<'a>(view_ctx: &ViewCtx<'a>, person: Option<PersonId>) -> Vec<&'a Interaction> {
    let model = view_ctx.model;
    let is_open = |i: &&Interaction| {
        i.kind == InteractionKind::IntroductionOffered
            && i.intro.as_ref().is_some_and(|intro| intro.is_open())
    };
    let mut offers: Vec<&Interaction> = match person {
        Some(id) => view_ctx
            .insight
            .stats(id)
            .interactions
            .iter()
            .filter_map(|(_, i)| model.interactions.get(i))
            .filter(is_open)
            .collect(),
        None => model.interactions.values().filter(is_open).collect(),
    };
    offers.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.0.cmp(&b.id.0)));
    offers
}

/// "Introductions waiting on answers": one row per open offer of `person`
/// (or everyone's), each side's answer one click away. Draws nothing when
/// there is none.
pub fn offers_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    person: Option<PersonId>,
    commands: &mut Vec<Command>,
) {
    // Everyone's offers are found once per change of the model.
    let cache_id = egui::Id::unique("intro_open_offers").with(person);
    let ids: Vec<InteractionId> = match ui
        .data(|d| d.get_temp::<(u64, Vec<InteractionId>)>(cache_id))
        .filter(|(revision, _)| *revision == view_ctx.model_revision)
    {
        Some((_, ids)) => ids,
        None => {
            let ids: Vec<InteractionId> = open_offers(view_ctx, person)
                .into_iter()
                .map(|i| i.id)
                .collect();
            ui.data_mut(|d| d.insert_temp(cache_id, (view_ctx.model_revision, ids.clone())));
            ids
        }
    };
    if ids.is_empty() {
        return;
    }
    style::section_heading(ui, "Introductions waiting on answers");
    for id in ids {
        if let Some(offer) = view_ctx.model.interactions.get(&id) {
            offer_row_ui(ui, view_ctx, offer, commands);
        }
    }
}

/// One offer: both people, the reason, and each side's answer.
fn offer_row_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    offer: &Interaction,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        for (at, id) in offer.people.iter().enumerate() {
            if at > 0 {
                ui.label("&");
            }
            person_link_ui(ui, view_ctx, *id, commands);
        }
        ui.weak(format!(
            "offered {}",
            super::date_entry::format_date(offer.date)
        ));
    });
    if let Some(intro) = &offer.intro
        && !intro.reason.trim().is_empty()
    {
        ui.add(egui::Label::new(RichText::new(intro.reason.trim()).weak()).wrap());
    }
    answers_ui(ui, view_ctx, offer, commands);
    ui.add_space(style::SPACE_S);
}

/// Each side's answer, and for a side still to answer "Dana said yes" and
/// "Dana said no", dated by the "Answered on" field (today unless changed).
pub fn answers_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    offer: &Interaction,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let Some(intro) = &offer.intro else {
        return;
    };
    if !intro.is_open() {
        return;
    }
    let date_id = egui::Id::unique("intro_answer_date").with(offer.id.0);
    let mut on: Option<NaiveDate> = ui.data(|d| d.get_temp(date_id)).or(Some(view_ctx.today));
    let mut picked: Option<(usize, bool)> = None;
    for (side, (id, given)) in offer
        .people
        .iter()
        .zip([&intro.first, &intro.second])
        .enumerate()
    {
        let name = first_name_of(model, *id);
        ui.horizontal_wrapped(|ui| match given {
            IntroAnswer::Pending => {
                ui.label(format!("{name}: waiting"));
                if ui
                    .small_button(format!("{name} said yes"))
                    .on_hover_text("They would like the introduction")
                    .clicked()
                {
                    picked = Some((side, true));
                }
                if ui
                    .small_button(format!("{name} said no"))
                    .on_hover_text("Closes the offer; the pair is not suggested for a year")
                    .clicked()
                {
                    picked = Some((side, false));
                }
            }
            IntroAnswer::Accepted { date } => {
                ui.label(format!(
                    "{name} said yes on {}",
                    super::date_entry::format_date(*date)
                ));
            }
            IntroAnswer::Declined { date } => {
                ui.label(format!(
                    "{name} said no on {}",
                    super::date_entry::format_date(*date)
                ));
            }
        });
    }
    let error = ui
        .horizontal(|ui| {
            let label = ui.label(style::caption_text(ui, "Answered on"));
            DateEntry::new(("intro_answer_on", offer.id), &mut on, view_ctx.today)
                .choices(&[])
                .labelled_by(label.id)
                .show(ui)
                .error
        })
        .inner;
    if let Some(on) = on {
        ui.data_mut(|d| d.insert_temp(date_id, on));
    }
    if let (Some((side, yes)), None, Some(on)) = (picked, error, on)
        && let Some((action, made)) = answer(model, offer, side, yes, on)
    {
        commands.push(Command::Apply(action));
        if let Some(made) = made {
            commands.push(Command::DraftIntroductionEmail(made));
        }
        ui.data_mut(|d| d.remove_temp::<NaiveDate>(date_id));
    }
}

/// Under an introduction on a timeline: the answers of an open offer, or
/// "Draft the e-mail" for an introduction made.
pub fn detail_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    interaction: &Interaction,
    commands: &mut Vec<Command>,
) {
    if let Some(text) = describe(view_ctx.model, interaction) {
        ui.label(text);
    }
    if interaction.kind == InteractionKind::IntroductionOffered {
        answers_ui(ui, view_ctx, interaction, commands);
    }
    let made = interaction.kind == InteractionKind::IntroductionMade;
    if made
        && interaction.people.len() >= 2
        && ui
            .button("Draft the e-mail")
            .on_hover_text("An e-mail introducing them, to both")
            .clicked()
    {
        commands.push(Command::DraftIntroductionEmail(interaction.id));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::IntroOffer;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn setup() -> (Model, Interaction) {
        let mut model = Model::default();
        let dana = Person::new("Dana Whitfield");
        let raj = Person::new("Raj Patel");
        let mut offer = Interaction::new(
            day(1),
            InteractionKind::IntroductionOffered,
            vec![dana.id, raj.id],
        );
        offer.intro = Some(IntroOffer {
            reason: "Both sail".into(),
            ..Default::default()
        });
        model.people.insert(dana.id, dana);
        model.people.insert(raj.id, raj);
        (model, offer)
    }

    fn edited(action: &Action) -> &Interaction {
        match action {
            Action::Batch { actions, .. } => match &actions[0] {
                Action::EditInteraction(i) => i,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_second_yes_makes_the_introduction_in_the_same_step() {
        let (model, offer) = setup();
        let (first, made) = answer(&model, &offer, 0, true, day(2)).unwrap();
        assert_eq!(made, None);
        let after_first = edited(&first).clone();
        assert_eq!(first.label(), "Dana said yes");
        assert_eq!(
            describe(&model, &after_first).unwrap(),
            "You offered to introduce Dana Whitfield and Raj Patel · Dana: yes · Raj: waiting"
        );
        let (second, made) = answer(&model, &after_first, 1, true, day(3)).unwrap();
        let made = made.unwrap();
        let Action::Batch { actions, .. } = &second else {
            panic!("one step");
        };
        assert_eq!(actions.len(), 2);
        let offer_after = edited(&second);
        assert_eq!(offer_after.intro.as_ref().unwrap().made, Some(made));
        assert!(offer_after.follow_up_done);
        let Action::AddInteraction(introduction) = &actions[1] else {
            panic!("adds the introduction");
        };
        assert_eq!(introduction.id, made);
        assert_eq!(introduction.kind, InteractionKind::IntroductionMade);
        assert_eq!(introduction.people, offer.people);
        assert_eq!(introduction.note, "Both sail");
        assert_eq!(introduction.date, day(3));
        assert_eq!(
            describe(&model, introduction).unwrap(),
            "You introduced Dana Whitfield and Raj Patel"
        );
        // A closed offer takes no more answers.
        assert!(answer(&model, offer_after, 0, false, day(4)).is_none());
    }

    #[test]
    fn a_no_closes_the_offer() {
        let (model, offer) = setup();
        let (action, made) = answer(&model, &offer, 1, false, day(2)).unwrap();
        assert_eq!(made, None);
        let closed = edited(&action);
        let intro = closed.intro.as_ref().unwrap();
        assert_eq!(intro.declined_on(), Some(day(2)));
        assert!(!intro.is_open());
        assert!(answer(&model, closed, 0, true, day(3)).is_none());
        assert!(answer(&model, &offer, 2, true, day(3)).is_none());
    }

    #[test]
    fn rows_read_the_reason_when_there_is_no_note() {
        let (model, offer) = setup();
        assert_eq!(
            row_text(&model, &offer),
            "You offered to introduce Dana Whitfield and Raj Patel · Dana: waiting · Raj: waiting — Both sail"
        );
        let coffee = Interaction::new(day(1), InteractionKind::Coffee, offer.people.clone());
        assert_eq!(row_text(&model, &coffee), "");
    }
}
