//! Small shared widgets: labelled fields, stage chips, kind colours.

use crate::model::{InteractionKind, Stage};
use egui::{Color32, Response, RichText, Ui};

/// A single-line text field linked to its label (for tests and screen readers).
pub fn labelled_text(ui: &mut Ui, label: &str, text: &mut String) -> Response {
    let label_response = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY))
        .labelled_by(label_response.id)
}

/// A multi-line text field linked to its label.
pub fn labelled_multiline(ui: &mut Ui, label: &str, text: &mut String) -> Response {
    let label_response = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(text)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label_response.id)
}

/// Colour of a stage chip.
pub fn stage_color(stage: Stage) -> Color32 {
    match stage {
        Stage::Acquaintance => Color32::from_rgb(140, 150, 160),
        Stage::Know => Color32::from_rgb(70, 140, 220),
        Stage::Like => Color32::from_rgb(60, 170, 110),
        Stage::Trust => Color32::from_rgb(220, 150, 40),
        Stage::Dormant => Color32::from_rgb(120, 100, 140),
    }
}

/// Colour of an interaction kind on timelines.
pub fn kind_color(kind: InteractionKind) -> Color32 {
    match kind {
        InteractionKind::MetAtEvent => Color32::from_rgb(120, 130, 220),
        InteractionKind::Coffee => Color32::from_rgb(160, 110, 60),
        InteractionKind::Lunch => Color32::from_rgb(230, 140, 50),
        InteractionKind::Call => Color32::from_rgb(60, 160, 200),
        InteractionKind::Message => Color32::from_rgb(130, 170, 190),
        InteractionKind::NoteSent => Color32::from_rgb(190, 90, 170),
        InteractionKind::HelpGiven => Color32::from_rgb(60, 180, 90),
        InteractionKind::HelpAsked => Color32::from_rgb(220, 80, 80),
        InteractionKind::IntroductionMade => Color32::from_rgb(240, 200, 40),
        InteractionKind::Other => Color32::GRAY,
    }
}

/// A coloured stage chip.
pub fn stage_chip(ui: &mut Ui, stage: Stage) -> Response {
    let color = stage_color(stage);
    egui::Frame::new()
        .fill(color.gamma_multiply(0.25))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(5, 0))
        .show(ui, |ui| {
            ui.label(
                RichText::new(stage.label())
                    .small()
                    .color(ui.visuals().strong_text_color()),
            )
        })
        .response
}

/// A removable chip; returns true when its remove button was clicked.
pub fn removable_chip(ui: &mut Ui, text: &str) -> bool {
    let mut removed = false;
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 2.0;
                ui.label(text);
                if ui
                    .small_button("x")
                    .on_hover_text(format!("Remove {text}"))
                    .clicked()
                {
                    removed = true;
                }
            });
        });
    removed
}

/// Convert a chrono date to the jiff date the date picker uses.
pub fn to_jiff(date: chrono::NaiveDate) -> jiff::civil::Date {
    use chrono::Datelike;
    jiff::civil::Date::new(date.year() as i16, date.month() as i8, date.day() as i8)
        .unwrap_or_default()
}

/// Convert the date picker's jiff date back to chrono.
pub fn from_jiff(date: jiff::civil::Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
    .unwrap_or_default()
}

/// "3 d", "5 w", "4 mo", "2 y" ago.
pub fn days_ago(days: i64) -> String {
    match days {
        i64::MIN..=0 => "today".into(),
        1..=13 => format!("{days} d"),
        14..=60 => format!("{} w", days / 7),
        61..=729 => format!("{} mo", days / 30),
        _ => format!("{} y", days / 365),
    }
}

/// A value computed from the model, recomputed only when the model revision
/// or the day changes (keeps whole-network scans out of every frame).
pub struct Cached<T> {
    key: Option<(u64, chrono::NaiveDate)>,
    value: Option<T>,
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Self {
            key: None,
            value: None,
        }
    }
}

impl<T> Cached<T> {
    /// The value for this revision and day, computing it if needed.
    pub fn get(
        &mut self,
        revision: u64,
        today: chrono::NaiveDate,
        compute: impl FnOnce() -> T,
    ) -> &T {
        if self.key != Some((revision, today)) {
            self.value = None;
            self.key = Some((revision, today));
        }
        self.value.get_or_insert_with(compute)
    }
}
