//! Small shared widgets: labelled fields, stage chips, avatars, icon
//! buttons. Their colours and sizes live in [`super::style`].

use super::ViewCtx;
use super::style;
pub use super::style::{kind_color, stage_color};
use crate::model::{Person, PersonId, Stage};
use egui::{Response, RichText, Sense, Ui};

/// A single-line text field linked to its label (for tests and screen readers).
pub fn labelled_text(ui: &mut Ui, label: &str, text: &mut String) -> Response {
    let label_response = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY))
        .labelled_by(label_response.id)
}

/// A stage chip: the stage's marker (colour and shape) and its name in an
/// outline of the stage colour.
pub fn stage_chip(ui: &mut Ui, stage: Stage) -> Response {
    style::stage_frame(stage)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = style::GRID;
                let side = 2.0 * style::CHIP_MARKER_RADIUS;
                let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), Sense::hover());
                style::paint_stage_marker(
                    ui.painter(),
                    rect.center(),
                    style::CHIP_MARKER_RADIUS,
                    stage,
                );
                ui.label(
                    RichText::new(stage.label())
                        .small()
                        .color(ui.visuals().strong_text_color()),
                )
            })
        })
        .response
}

/// A removable chip; returns true when its remove button was clicked.
pub fn removable_chip(ui: &mut Ui, text: &str) -> bool {
    wrap_before(ui, chip_width(ui, text));
    let mut removed = false;
    style::chip(ui).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            ui.label(text);
            if remove_button(ui, &format!("Remove {text}")).clicked() {
                removed = true;
            }
        });
    });
    removed
}

/// How wide a removable chip of `text` is, with the space after it.
pub fn chip_width(ui: &Ui, text: &str) -> f32 {
    text_width(ui, text)
        + 4.0
        + style::ICON_SIZE
        + 2.0 * f32::from(style::CHIP_MARGIN_X)
        + 2.0
        + ui.spacing().item_spacing.x
}

/// How wide `text` is in the body font on one line.
pub fn text_width(ui: &Ui, text: &str) -> f32 {
    egui::WidgetText::from(text)
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
}

/// In a wrapping row, start a new line unless `width` more fits on this
/// one (a chip is never cut at the edge).
pub fn wrap_before(ui: &mut Ui, width: f32) {
    let at_line_start = ui.cursor().min.x <= ui.max_rect().min.x + 1.0;
    if ui.layout().main_wrap() && !at_line_start && width > ui.available_size_before_wrap().x {
        ui.end_row();
    }
}

/// A person's avatar with their stored photo when there is one (read once
/// and cached by the app), their initials otherwise.
pub fn avatar_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, person: &Person, size: f32) -> Response {
    let photo = view_ctx.photo(ui.ctx(), person.id);
    avatar_with_photo(ui, person, size, photo.as_ref())
}

/// A person's avatar (when they are in the model) and their name as a link
/// that opens them: the row start of every list of people.
pub fn person_link_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    commands: &mut Vec<super::Command>,
) {
    if let Some(person) = view_ctx.model.people.get(&id) {
        avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
    }
    if ui.link(view_ctx.model.person_name(id)).clicked() {
        commands.push(super::Command::OpenPerson(id));
    }
}

/// A person's avatar, showing `photo` (its middle square, cropped to a
/// circle) when there is one and the initials avatar otherwise.
pub fn avatar_with_photo(
    ui: &mut Ui,
    person: &Person,
    size: f32,
    photo: Option<&egui::TextureHandle>,
) -> Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), Sense::hover());
    if ui.is_rect_visible(rect) {
        match photo {
            Some(texture) => {
                egui::Image::from_texture((texture.id(), rect.size()))
                    .uv(square_uv(texture.size_vec2()))
                    .corner_radius(size / 2.0)
                    .paint_at(ui, rect);
            }
            None => {
                let painter = ui.painter();
                painter.circle_filled(rect.center(), size / 2.0, style::avatar_color(person.id));
                painter.text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    person.initials(),
                    egui::FontId::proportional(size * style::AVATAR_TEXT_SCALE),
                    style::AVATAR_TEXT,
                );
            }
        }
    }
    response
}

/// The texture coordinates of the middle square of an image of `size`.
fn square_uv(size: egui::Vec2) -> egui::Rect {
    let full = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
    if size.x <= 0.0 || size.y <= 0.0 {
        return full;
    }
    if size.x > size.y {
        let share = size.y / size.x;
        let margin = (1.0 - share) / 2.0;
        egui::Rect::from_min_max(egui::pos2(margin, 0.0), egui::pos2(margin + share, 1.0))
    } else {
        let share = size.x / size.y;
        let margin = (1.0 - share) / 2.0;
        egui::Rect::from_min_max(egui::pos2(0.0, margin), egui::pos2(1.0, margin + share))
    }
}

/// A small painted cross that removes something; `label` names it for
/// screen readers and tests ("Remove e-mail") and shows on hover.
pub fn remove_button(ui: &mut Ui, label: &str) -> Response {
    let size = egui::vec2(style::ICON_SIZE, style::ICON_SIZE);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    if ui.is_rect_visible(rect) {
        let hovered = response.hovered();
        let color = if hovered {
            style::icon_hover_color(ui)
        } else {
            style::icon_color(ui)
        };
        if hovered {
            ui.painter().circle_filled(
                rect.center(),
                rect.width() / 2.0,
                ui.visuals().widgets.hovered.weak_bg_fill,
            );
        }
        let r = rect.width() * 0.2;
        let c = rect.center();
        let stroke = egui::Stroke::new(1.5, color);
        ui.painter()
            .line_segment([c + egui::vec2(-r, -r), c + egui::vec2(r, r)], stroke);
        ui.painter()
            .line_segment([c + egui::vec2(-r, r), c + egui::vec2(r, -r)], stroke);
    }
    response.on_hover_text(label)
}

/// A star that marks the preferred one of a list (a radio button: clicking
/// it marks this one). `primary` draws an empty star in the star colour for
/// the one used while none is marked. `label` names it ("Preferred e-mail").
pub fn star_toggle(ui: &mut Ui, preferred: bool, primary: bool, label: &str) -> Response {
    let size = egui::vec2(style::ICON_SIZE, style::ICON_SIZE);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::RadioButton, true, preferred, label)
    });
    if ui.is_rect_visible(rect) {
        let c = rect.center();
        let outer = rect.width() * 0.48;
        let inner = outer * 0.45;
        let points: Vec<egui::Pos2> = (0..10)
            .map(|i| {
                let radius = if i % 2 == 0 { outer } else { inner };
                let angle = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
                c + radius * egui::vec2(angle.cos(), angle.sin())
            })
            .collect();
        let hovered = response.hovered();
        let outline = if preferred || primary {
            style::STAR
        } else if hovered {
            style::icon_hover_color(ui)
        } else {
            style::icon_color(ui)
        };
        let fill = if preferred {
            style::STAR
        } else {
            egui::Color32::TRANSPARENT
        };
        // The star is concave: fill its centre and each point as triangles.
        if preferred {
            let painter = ui.painter();
            for i in 0..10 {
                let a = points[i];
                let b = points[(i + 1) % 10];
                painter.add(egui::Shape::convex_polygon(
                    vec![c, a, b],
                    fill,
                    egui::Stroke::NONE,
                ));
            }
        }
        let mut closed = points.clone();
        if let Some(first) = points.first() {
            closed.push(*first);
        }
        ui.painter()
            .add(egui::Shape::line(closed, egui::Stroke::new(1.3, outline)));
    }
    response
}

/// "today", "tomorrow", "in 5 days".
pub fn in_days(days: i64) -> String {
    match days {
        i64::MIN..=0 => "today".into(),
        1 => "tomorrow".into(),
        _ => format!("in {days} days"),
    }
}

/// How long ago, in words that read on their own: "today", "yesterday",
/// "3 days ago", "5 weeks ago", "4 months ago", "2 years ago" (a date
/// ahead reads "today": contact is never in the future).
pub fn ago(days: i64) -> String {
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match days {
        i64::MIN..=0 => "today".into(),
        1 => "yesterday".into(),
        2..=13 => plural(days, "day"),
        14..=60 => plural(days / 7, "week"),
        61..=729 => plural(days / 30, "month"),
        _ => plural(days / 365, "year"),
    }
}

/// The compact form for narrow columns: "today", "3 d", "5 w", "4 mo",
/// "2 y". It stands alone: never put "ago" after it (use [`ago`]).
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

/// One row of a form: a weak caption in a fixed-width column, the content
/// to its right. `add` gets the caption's id to link fields to it
/// (`labelled_by`).
pub fn form_row<R>(ui: &mut Ui, caption: &str, add: impl FnOnce(&mut Ui, egui::Id) -> R) -> R {
    ui.horizontal_top(|ui| {
        let caption = caption_cell(ui, caption);
        ui.vertical(|ui| add(ui, caption.id)).inner
    })
    .inner
}

/// A weak caption filling the caption column of a form, left aligned.
pub fn caption_cell(ui: &mut Ui, caption: &str) -> Response {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(style::CAPTION_WIDTH, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_size(egui::vec2(style::CAPTION_WIDTH, height));
            ui.add(egui::Label::new(style::caption_text(ui, caption)).truncate())
        },
    )
    .inner
}

/// A quiet "+ Add …" button under a list; named `text` ("Add e-mail").
pub fn add_button(ui: &mut Ui, text: &str) -> Response {
    let shown = RichText::new(format!("+ {text}")).color(ui.visuals().hyperlink_color);
    ui.add(egui::Button::new(shown).frame(false))
        .accessible_name(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ago_reads_as_words_and_never_says_today_ago() {
        assert_eq!(ago(0), "today");
        assert_eq!(ago(-3), "today");
        assert_eq!(ago(1), "yesterday");
        assert_eq!(ago(2), "2 days ago");
        assert_eq!(ago(13), "13 days ago");
        assert_eq!(ago(14), "2 weeks ago");
        assert_eq!(ago(90), "3 months ago");
        assert_eq!(ago(400), "13 months ago");
        assert_eq!(ago(730), "2 years ago");
        assert_eq!(ago(800), "2 years ago");
        for days in -5..1000 {
            let words = ago(days);
            assert!(!words.contains("today ago") && !words.contains("yesterday ago"));
            assert!(format!("Last contact {words}").matches("ago").count() <= 1);
        }
    }
}
