//! The introduction composer: "Introduce" anywhere opens it pre-filled
//! with the two people and a reason (else what they share). It records the
//! introduction now, or an offer that asks each side first (double opt-in),
//! with an optional follow-up for each side. Nothing is written before
//! Save; Esc or Cancel closes it and records nothing.
//!
//! After an introduction is made, it drafts the e-mail: a `mailto:` link
//! with both people in To, opened in the mail app, or copied.

use super::date_entry::DateEntry;
use super::intro_offers::{first_name, names};
use super::person_relations::pick_person_ui;
use super::style;
use super::widgets::{avatar_ui, form_row, removable_chip};
use super::{Command, ToastKind, ViewCtx};
use crate::action::Action;
use crate::insight::{FeatureKind, SharedFeature};
use crate::model::{Interaction, InteractionId, InteractionKind, IntroOffer, Model, PersonId};
use chrono::NaiveDate;
use egui::{Key, TextEdit, Ui};

/// How the introduction is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Introduce them now.
    Now,
    /// Ask each side first; introduce when both said yes.
    AskFirst,
}

/// What the open composer holds.
struct Draft {
    /// The two people (either may be picked again).
    people: [Option<PersonId>; 2],
    /// What is typed in each person's search.
    queries: [String; 2],
    /// Why they should meet.
    reason: String,
    /// The reason was written by kith (from what they share), not typed:
    /// it follows the people when one is changed.
    reason_is_kiths: bool,
    /// The day of the introduction (or of the offer).
    date: Option<NaiveDate>,
    /// A follow-up with each side.
    follow_ups: [Option<NaiveDate>; 2],
    /// Now, or ask each first.
    mode: Mode,
}

/// The e-mail drafted for an introduction made.
struct EmailDraft {
    /// The introduction.
    interaction: InteractionId,
    /// The subject, editable.
    subject: String,
    /// The body, editable.
    body: String,
}

/// What the composer shows.
enum Stage {
    /// Writing the introduction.
    Compose(Draft),
    /// Drafting the e-mail of an introduction made.
    Email(Option<EmailDraft>),
    /// Waiting for the introduction just saved, to draft its e-mail.
    Saved(InteractionId),
}

/// State of the composer: closed, or open with what is typed.
#[derive(Default)]
pub struct IntroComposerState {
    stage: Option<Stage>,
}

impl IntroComposerState {
    /// Open the composer for `a` and `b` with `reason` (empty: kith writes
    /// one from what they share), replacing a draft that was open.
    pub fn open(&mut self, a: PersonId, b: PersonId, reason: String) {
        let reason_is_kiths = reason.trim().is_empty();
        self.stage = Some(Stage::Compose(Draft {
            people: [Some(a), Some(b).filter(|b| *b != a)],
            queries: Default::default(),
            reason,
            reason_is_kiths,
            date: None,
            follow_ups: [None, None],
            mode: Mode::Now,
        }));
    }

    /// Draft the e-mail of the introduction `interaction`.
    pub fn draft_email(&mut self, interaction: InteractionId) {
        self.stage = Some(Stage::Saved(interaction));
    }
}

/// What two people share, as a reason to meet (empty when they share
/// nothing kith knows of).
pub fn shared_reason(view_ctx: &ViewCtx<'_>, a: PersonId, b: PersonId) -> String {
    reason_sentence(&view_ctx.insight.common(a, b))
}

/// "Both into sailing and chess; both in Harbor Chamber of Commerce.": what
/// is shared, heaviest first within each kind, as one sentence.
pub fn reason_sentence(shared: &[SharedFeature]) -> String {
    let listed = |kind: FeatureKind| -> Vec<&str> {
        shared
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.display.as_str())
            .collect()
    };
    let mut parts = Vec::new();
    for (kind, lead) in [
        (FeatureKind::Interest, "both into"),
        (FeatureKind::Organization, "both in"),
        (FeatureKind::Tag, "both tagged"),
    ] {
        let names = listed(kind);
        let joined = match names.as_slice() {
            [] => continue,
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        parts.push(format!("{lead} {joined}"));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("{}.", capitalized(&parts.join("; ")))
}

/// The text with its first letter in upper case.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why the draft cannot be saved yet, if it cannot.
fn save_problem(draft: &Draft, date_error: Option<&str>) -> Option<String> {
    match draft.people {
        [None, _] | [_, None] => return Some("Pick two people".into()),
        [Some(a), Some(b)] if a == b => return Some("Pick two different people".into()),
        _ => {}
    }
    if let Some(error) = date_error {
        return Some(format!("Date: {error}"));
    }
    if draft.date.is_none() {
        return Some("Pick the date".into());
    }
    None
}

/// What Save records for a draft that can be saved: the actions (one undo
/// step) and the introduction made now, if one is.
fn saved(
    model: &Model,
    draft: &Draft,
    today: NaiveDate,
) -> Option<(Action, Option<InteractionId>)> {
    let [Some(a), Some(b)] = draft.people else {
        return None;
    };
    let date = draft.date.unwrap_or(today);
    let reason = draft.reason.trim().to_string();
    let pair = names(model, &[a, b]);
    let mut actions = Vec::new();
    let made = match draft.mode {
        Mode::Now => {
            let mut made = Interaction::new(date, InteractionKind::IntroductionMade, vec![a, b]);
            made.note = reason;
            // One follow-up date (or the same for both) is the
            // introduction's own; with two dates the introduction takes the
            // earlier and the later side gets a follow-up of their own.
            let [first, second] = draft.follow_ups;
            made.follow_up = match (first, second) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if let (Some(x), Some(y)) = (first, second)
                && x != y
            {
                let (later, person, other) = if x < y { (y, b, a) } else { (x, a, b) };
                let mut reminder = Interaction::new(date, InteractionKind::Message, vec![person]);
                reminder.note = format!("Introduced to {}: follow up", model.person_name(other));
                reminder.follow_up = Some(later);
                actions.push(Action::AddInteraction(reminder));
            }
            let id = made.id;
            actions.insert(0, Action::AddInteraction(made));
            Some(id)
        }
        Mode::AskFirst => {
            let mut offer =
                Interaction::new(date, InteractionKind::IntroductionOffered, vec![a, b]);
            offer.intro = Some(IntroOffer {
                reason,
                ..Default::default()
            });
            // A reminder to chase the answers.
            offer.follow_up = match draft.follow_ups {
                [Some(x), Some(y)] => Some(x.min(y)),
                [x, y] => x.or(y),
            };
            actions.push(Action::AddInteraction(offer));
            None
        }
    };
    let label = match draft.mode {
        Mode::Now => format!("Introduce {pair}"),
        Mode::AskFirst => format!("Offer to introduce {pair}"),
    };
    Some((Action::Batch { label, actions }, made))
}

/// Draw the composer while it is open.
pub fn ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut IntroComposerState,
    commands: &mut Vec<Command>,
) {
    // The introduction just saved is in the model now: draft its e-mail.
    if let Some(Stage::Saved(id)) = state.stage {
        state.stage = Some(Stage::Email(email_draft(view_ctx.model, id)));
    }
    let Some(stage) = state.stage.as_mut() else {
        return;
    };
    // Esc closes an open menu (a calendar) first, the composer after.
    let menu_open = egui::Popup::is_any_open(ctx);
    let id = egui::Id::unique("intro_composer");
    let top = (ctx.content_rect().height() * style::FORM_TOP_SHARE).min(style::FORM_TOP_MAX);
    let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, top));
    let mut close = false;
    let mut next: Option<Stage> = None;
    egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_max_width(
            style::INTRO_FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0),
        );
        let max_height = ctx.content_rect().height() - top - style::SPACE_L * 5.0;
        match stage {
            Stage::Compose(draft) => {
                ui.heading("Introduce two people");
                ui.add_space(style::HEADING_GAP);
                let mut date_error = None;
                egui::ScrollArea::vertical()
                    .max_height(max_height.max(style::MENU_HEIGHT / 2.0))
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        date_error = fields_ui(ui, view_ctx, draft);
                    });
                ui.add_space(style::SPACE_S);
                let problem = save_problem(draft, date_error.as_deref());
                ui.horizontal_wrapped(|ui| {
                    let button = ui.add_enabled(problem.is_none(), egui::Button::new("Save"));
                    let button = match (&problem, draft.mode) {
                        (Some(why), _) => button.on_disabled_hover_text(why),
                        (None, Mode::Now) => button.on_hover_text("Record the introduction for both"),
                        (None, Mode::AskFirst) => {
                            button.on_hover_text("Record the offer; note each answer when it comes")
                        }
                    };
                    if button.clicked()
                        && let Some((action, made)) = saved(view_ctx.model, draft, view_ctx.today)
                    {
                        commands.push(Command::Apply(action));
                        match made {
                            Some(made) => next = Some(Stage::Saved(made)),
                            None => {
                                let pair = names(view_ctx.model, &draft.people.iter().flatten().copied().collect::<Vec<_>>());
                                commands.push(Command::Notify(
                                    ToastKind::Info,
                                    format!("Offer recorded. Ask {pair}, then note each answer on their page."),
                                ));
                                close = true;
                            }
                        }
                    }
                    close |= ui.button("Cancel").clicked();
                    if let Some(why) = &problem {
                        ui.weak(why);
                    }
                });
            }
            Stage::Email(None) => {
                ui.heading("Introduction e-mail");
                ui.label("This introduction is no longer there.");
                close |= ui.button("Close").clicked();
            }
            Stage::Email(Some(email)) => {
                close |= email_ui(ui, view_ctx, email, max_height);
            }
            Stage::Saved(_) => {}
        }
    });
    if !menu_open && ctx.input(|i| i.key_pressed(Key::Escape)) {
        close = true;
    }
    if let Some(next) = next {
        state.stage = Some(next);
    } else if close {
        state.stage = None;
    }
}

/// The fields; returns why the date is not a date, while it is not.
fn fields_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, draft: &mut Draft) -> Option<String> {
    let before = draft.people;
    for side in 0..2 {
        let caption = if side == 0 { "Introduce" } else { "To" };
        form_row(ui, caption, |ui, label| {
            person_picker_ui(ui, view_ctx, draft, side, label);
        });
    }
    if let [Some(a), Some(b)] = draft.people
        && draft.reason_is_kiths
        && (draft.people != before || draft.reason.is_empty())
        && a != b
    {
        draft.reason = shared_reason(view_ctx, a, b);
    }
    form_row(ui, "Why", |ui, label| {
        let edit = ui
            .add(
                TextEdit::multiline(&mut draft.reason)
                    .id(egui::Id::unique("intro_reason"))
                    .hint_text("Why they should meet")
                    .desired_rows(3)
                    .desired_width(ui.available_width()),
            )
            .labelled_by(label);
        if edit.changed() {
            draft.reason_is_kiths = false;
        }
    });
    if draft.date.is_none() {
        draft.date = Some(view_ctx.today);
    }
    let on = form_row(ui, "On", |ui, label| {
        DateEntry::new("intro_on", &mut draft.date, view_ctx.today)
            .labelled_by(label)
            .show(ui)
    });
    // The radio buttons carry their own labels.
    form_row(ui, "How", |ui, _| {
        ui.radio_value(&mut draft.mode, Mode::Now, "Introduce now");
        ui.radio_value(
            &mut draft.mode,
            Mode::AskFirst,
            "Ask each first (double opt-in)",
        );
    });
    // One follow-up per side: "with Dana", "with Raj" under one caption.
    let mut follow_error = None;
    if draft.people.iter().any(Option::is_some) {
        form_row(ui, "Follow up", |ui, _| {
            for side in 0..2 {
                let Some(person) = draft.people[side].and_then(|id| view_ctx.model.people.get(&id))
                else {
                    continue;
                };
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label(format!("with {}", first_name(person)));
                    let out = DateEntry::new(
                        ("intro_follow", side),
                        &mut draft.follow_ups[side],
                        view_ctx.today,
                    )
                    .optional()
                    .choices(style::INTRO_FOLLOW_UP_CHOICES)
                    .labelled_by(label.id)
                    .show(ui);
                    follow_error = follow_error.take().or(out.error);
                });
            }
        });
    }
    on.error.or(follow_error)
}

/// Pick one of the two people: a search field with the people it finds
/// right under it (Enter takes the first); the one picked shows as a chip.
fn person_picker_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Draft,
    side: usize,
    label: egui::Id,
) {
    let model = view_ctx.model;
    if let Some(id) = draft.people[side] {
        ui.horizontal_wrapped(|ui| {
            if let Some(person) = model.people.get(&id) {
                avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
            }
            if removable_chip(ui, model.person_name(id)) {
                draft.people[side] = None;
            }
        });
        return;
    }
    let query = &mut draft.queries[side];
    let field = ui
        .add(
            TextEdit::singleline(query)
                .id(egui::Id::unique("intro_person").with(side))
                .hint_text("Search people…")
                .desired_width(style::FORM_FIELD_WIDTH),
        )
        .labelled_by(label);
    if query.trim().is_empty() {
        return;
    }
    let other = draft.people[1 - side].unwrap_or_else(PersonId::new_random);
    let picked = pick_person_ui(ui, view_ctx, &field, query, other);
    if let Some(id) = picked {
        draft.people[side] = Some(id);
        draft.queries[side].clear();
    }
}

/// The e-mail of an introduction: who it goes to (and who has no address),
/// the subject and the body (both editable), "Open in mail app" and "Copy".
/// Returns true when it is closed.
fn email_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, email: &mut EmailDraft, max_height: f32) -> bool {
    let model = view_ctx.model;
    let Some(interaction) = model.interactions.get(&email.interaction) else {
        ui.label("This introduction is no longer there.");
        return ui.button("Close").clicked();
    };
    ui.heading("Introduction recorded");
    ui.label(format!(
        "Draft the e-mail introducing {}?",
        names(model, &interaction.people)
    ));
    ui.add_space(style::HEADING_GAP);
    let (to, missing) = recipients(model, &interaction.people);
    let mut close = false;
    egui::ScrollArea::vertical()
        .max_height(max_height.max(style::MENU_HEIGHT / 2.0))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            form_row(ui, "To", |ui, label| {
                let shown = if to.is_empty() {
                    "No e-mail address".to_string()
                } else {
                    to.join(", ")
                };
                ui.label(shown).labelled_by(label);
            });
            if !missing.is_empty() {
                let who = names(model, &missing);
                let verb = if missing.len() == 1 { "has" } else { "have" };
                ui.label(
                    egui::RichText::new(format!(
                        "{who} {verb} no e-mail address: add them in the mail app, or add the address on their page."
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
            form_row(ui, "Subject", |ui, label| {
                ui.add(
                    TextEdit::singleline(&mut email.subject)
                        .id(egui::Id::unique("intro_subject"))
                        .desired_width(ui.available_width()),
                )
                .labelled_by(label);
            });
            form_row(ui, "Message", |ui, label| {
                ui.add(
                    TextEdit::multiline(&mut email.body)
                        .id(egui::Id::unique("intro_body"))
                        .desired_rows(8)
                        .desired_width(ui.available_width()),
                )
                .labelled_by(label);
            });
        });
    ui.add_space(style::SPACE_S);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Open in mail app")
            .on_hover_text("Opens a new message in your mail app")
            .clicked()
        {
            let url = mailto_url(&to, &email.subject, &email.body);
            ui.ctx().open_url(egui::OpenUrl::new_tab(url));
        }
        if ui
            .button("Copy")
            .on_hover_text("Copies the recipients, subject and message")
            .clicked()
        {
            ui.ctx()
                .copy_text(plain_email(&to, &email.subject, &email.body));
        }
        close |= ui.button("Done").clicked();
    });
    close
}

/// The addresses of `people` (each one's primary e-mail), and who has none.
fn recipients(model: &Model, people: &[PersonId]) -> (Vec<String>, Vec<PersonId>) {
    let mut to = Vec::new();
    let mut missing = Vec::new();
    for id in people {
        match model
            .people
            .get(id)
            .and_then(|p| p.primary_email())
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(address) => to.push(address.to_string()),
            None => missing.push(*id),
        }
    }
    (to, missing)
}

/// The subject and body kith drafts for the introduction `id`.
fn email_draft(model: &Model, id: InteractionId) -> Option<EmailDraft> {
    let interaction = model.interactions.get(&id)?;
    let (subject, body) = email_text(model, interaction);
    Some(EmailDraft {
        interaction: id,
        subject,
        body,
    })
}

/// "Introduction: Dana Whitfield and Raj Patel", and a short body naming
/// both, with the reason.
pub fn email_text(model: &Model, interaction: &Interaction) -> (String, String) {
    let people = &interaction.people;
    let subject = format!("Introduction: {}", names(model, people));
    let firsts: Vec<&str> = people
        .iter()
        .map(|id| model.people.get(id).map_or("there", first_name))
        .collect();
    let greeting = match firsts.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let mut body = format!("Hi {greeting},\n\nI'd like to introduce you to each other.");
    let reason = interaction.note.trim();
    if !reason.is_empty() {
        body.push_str(&format!("\n\n{reason}"));
    }
    if let [a, b] = people.as_slice() {
        body.push_str(&format!(
            "\n\n{}, meet {}. {}, meet {}. I'll let you take it from here.",
            firsts[0],
            model.person_name(*b),
            firsts[1],
            model.person_name(*a)
        ));
    }
    body.push_str("\n\nBest,");
    let me = model.me.name.trim();
    if !me.is_empty() {
        body.push_str(&format!("\n{me}"));
    }
    (subject, body)
}

/// The e-mail as plain text for the clipboard.
fn plain_email(to: &[String], subject: &str, body: &str) -> String {
    format!("To: {}\nSubject: {subject}\n\n{body}", to.join(", "))
}

/// A `mailto:` URL (RFC 6068) with `to` as its recipients, and the subject
/// and body. Every value is percent-encoded as UTF-8 (an address keeps its
/// `@`); line breaks in the body become CRLF (`%0D%0A`).
pub fn mailto_url(to: &[String], subject: &str, body: &str) -> String {
    let to: Vec<String> = to.iter().map(|a| percent_encode(a.trim(), b"@")).collect();
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        to.join(","),
        percent_encode(subject, b""),
        percent_encode(&body, b"")
    )
}

/// Percent-encode everything but the unreserved characters of RFC 3986 and
/// the bytes in `keep`.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{Contact, Person};
    use proptest::prelude::*;

    /// Undo percent-encoding (for the round trip test).
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at] == b'%' {
                let hex = std::str::from_utf8(&bytes[at + 1..at + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                at += 3;
            } else {
                out.push(bytes[at]);
                at += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn mailto_encodes_every_value() {
        let url = mailto_url(
            &["dana@example.com".into(), "raj+intro@example.org".into()],
            "Dana & Raj: a=b? #1 100%",
            "Hi Dana,\nmeet Raj.\r\nZoë 🙂",
        );
        assert_eq!(
            url,
            "mailto:dana@example.com,raj%2Bintro@example.org\
             ?subject=Dana%20%26%20Raj%3A%20a%3Db%3F%20%231%20100%25\
             &body=Hi%20Dana%2C%0D%0Ameet%20Raj.%0D%0AZo%C3%AB%20%F0%9F%99%82"
        );
    }

    #[test]
    fn mailto_without_addresses_still_has_subject_and_body() {
        assert_eq!(mailto_url(&[], "Hi", "x"), "mailto:?subject=Hi&body=x");
    }

    proptest! {
        #[test]
        fn encoded_values_hold_no_reserved_characters_and_decode_back(text in any::<String>()) {
            let encoded = percent_encode(&text, b"");
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            prop_assert_eq!(decode(&encoded), text);
        }
    }

    #[test]
    fn the_email_names_both_and_says_who_has_no_address() {
        let mut model = Model::default();
        model.me.name = "Sam".into();
        let mut dana = Person::new("Dana Whitfield");
        dana.emails.push(Contact::new("dana@example.com"));
        let raj = Person::new("Raj Patel");
        let mut made = Interaction::new(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            InteractionKind::IntroductionMade,
            vec![dana.id, raj.id],
        );
        made.note = "Both sail".into();
        let (dana_id, raj_id) = (dana.id, raj.id);
        model.people.insert(dana.id, dana);
        model.people.insert(raj.id, raj);
        let (subject, body) = email_text(&model, &made);
        assert_eq!(subject, "Introduction: Dana Whitfield and Raj Patel");
        assert_eq!(
            body,
            "Hi Dana and Raj,\n\nI'd like to introduce you to each other.\n\nBoth sail\n\n\
             Dana, meet Raj Patel. Raj, meet Dana Whitfield. I'll let you take it from here.\n\nBest,\nSam"
        );
        let (to, missing) = recipients(&model, &[dana_id, raj_id]);
        assert_eq!(to, ["dana@example.com"]);
        assert_eq!(missing, [raj_id]);
    }

    fn draft(model: &Model, mode: Mode, follow_ups: [Option<NaiveDate>; 2]) -> Draft {
        let ids: Vec<PersonId> = model.people.keys().copied().collect();
        Draft {
            people: [Some(ids[0]), Some(ids[1])],
            queries: Default::default(),
            reason: " Both sail ".into(),
            reason_is_kiths: false,
            date: NaiveDate::from_ymd_opt(2026, 3, 1),
            follow_ups,
            mode,
        }
    }

    fn two_people() -> Model {
        let mut model = Model::default();
        for name in ["Dana Whitfield", "Raj Patel"] {
            let person = Person::new(name);
            model.people.insert(person.id, person);
        }
        model
    }

    fn added_by(action: &Action) -> Vec<Interaction> {
        let Action::Batch { actions, .. } = action else {
            panic!("one step");
        };
        actions
            .iter()
            .map(|a| match a {
                Action::AddInteraction(i) => i.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn save_cannot_happen_without_two_different_people() {
        let model = two_people();
        let mut d = draft(&model, Mode::Now, [None, None]);
        assert_eq!(save_problem(&d, None), None);
        d.people[1] = None;
        assert_eq!(save_problem(&d, None).as_deref(), Some("Pick two people"));
        d.people[1] = d.people[0];
        assert_eq!(
            save_problem(&d, None).as_deref(),
            Some("Pick two different people")
        );
    }

    #[test]
    fn introduce_now_records_one_introduction_with_its_follow_ups() {
        let model = two_people();
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let d = draft(&model, Mode::Now, [None, Some(day(10))]);
        let (action, made) = saved(&model, &d, day(1)).unwrap();
        let added = added_by(&action);
        assert_eq!(added.len(), 1, "one follow-up date: the introduction's own");
        assert_eq!(Some(added[0].id), made);
        assert_eq!(added[0].kind, InteractionKind::IntroductionMade);
        assert_eq!(added[0].note, "Both sail");
        assert_eq!(added[0].follow_up, Some(day(10)));
        // Two dates: the earlier on the introduction, the later side its own.
        let d = draft(&model, Mode::Now, [Some(day(20)), Some(day(10))]);
        let (action, _) = saved(&model, &d, day(1)).unwrap();
        let added = added_by(&action);
        assert_eq!(added.len(), 2);
        assert_eq!(added[0].follow_up, Some(day(10)));
        assert_eq!(added[1].people, vec![d.people[0].unwrap()]);
        assert_eq!(added[1].follow_up, Some(day(20)));
    }

    #[test]
    fn ask_first_records_an_offer_waiting_on_both() {
        let model = two_people();
        let d = draft(&model, Mode::AskFirst, [None, None]);
        let (action, made) = saved(&model, &d, d.date.unwrap()).unwrap();
        assert_eq!(made, None);
        let added = added_by(&action);
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].kind, InteractionKind::IntroductionOffered);
        let intro = added[0].intro.as_ref().unwrap();
        assert_eq!(intro.reason, "Both sail");
        assert!(intro.is_open());
    }

    #[test]
    fn the_reason_groups_what_is_shared_by_kind() {
        let feature = |kind, display: &str| SharedFeature {
            kind,
            display: display.into(),
            weight: 1.0,
        };
        let shared = [
            feature(FeatureKind::Interest, "Sailing"),
            feature(FeatureKind::Organization, "Harbor Chamber"),
            feature(FeatureKind::Interest, "Chess"),
            feature(FeatureKind::Interest, "Golf"),
        ];
        assert_eq!(
            reason_sentence(&shared),
            "Both into Sailing, Chess and Golf; both in Harbor Chamber."
        );
        assert_eq!(reason_sentence(&shared[1..2]), "Both in Harbor Chamber.");
        assert_eq!(reason_sentence(&[]), "");
    }

    #[test]
    fn capitalized_takes_the_first_letter_only() {
        assert_eq!(
            capitalized("both into sailing; both in X"),
            "Both into sailing; both in X"
        );
        assert_eq!(capitalized(""), "");
    }
}
