//! Every visual constant of the app in one place: sizes, spacing, colours,
//! and the few frames and headings views share.

use crate::model::{InteractionKind, PersonId, Stage};
use egui::{Color32, CornerRadius, Margin, RichText, Stroke, Ui};

// ---- Type scale: every text size the app uses. Body text is egui's
// default (14 pt); views pick one of these, never a number of their own.

/// Small print: captions, axis labels, "Imported as".
pub const TEXT_SMALL: f32 = 11.5;
/// Body text: labels, fields, list rows, legends.
pub const TEXT_BODY: f32 = 14.0;
/// A section heading inside a view.
pub const TEXT_SECTION: f32 = 15.0;
/// The heading of a view ("Today", "Activity").
pub const TEXT_HEADING: f32 = 19.0;
/// A person's name at the top of their profile.
pub const TEXT_TITLE: f32 = 24.0;

// ---- Spacing grid: every gap is a multiple of 4 px.

/// One step of the spacing grid.
pub const GRID: f32 = 4.0;
/// Tight gap (inside a row).
pub const SPACE_S: f32 = GRID * 2.0;
/// Normal gap (between rows of a form).
pub const SPACE_M: f32 = GRID * 3.0;
/// Loose gap (between sections).
pub const SPACE_L: f32 = GRID * 5.0;

/// Avatar diameter in the people list.
pub const AVATAR_LIST: f32 = 24.0;
/// Avatar diameter in the person view header.
pub const AVATAR_HEADER: f32 = 56.0;
/// Avatar diameter in small rows (Today, relationships).
pub const AVATAR_ROW: f32 = 18.0;
/// Radius of the stage dot on a list avatar.
pub const BADGE_RADIUS: f32 = 4.0;
/// Width of the ring that sets the stage dot off the avatar.
pub const BADGE_RING: f32 = 1.5;
/// Initials take this share of the avatar diameter.
pub const AVATAR_TEXT_SCALE: f32 = 0.42;

/// Today lists the dates of this many days ahead.
pub const COMING_UP_DAYS: u32 = 30;
/// Today shows at most this many of them.
pub const COMING_UP_ROWS: usize = 40;
/// Spacing between the cells of a small table.
pub const TABLE_SPACING: [f32; 2] = [16.0, 4.0];

/// Height of one row of the people list.
pub const LIST_ROW_HEIGHT: f32 = 28.0;

/// Space above a section heading.
pub const SECTION_GAP: f32 = SPACE_L - GRID;
/// Space below a section heading.
pub const HEADING_GAP: f32 = GRID;
/// Text size of a section heading.
pub const SECTION_TEXT: f32 = TEXT_SECTION;
/// Width of the caption column of a form.
pub const CAPTION_WIDTH: f32 = 110.0;
/// The person view lays its sections out in two columns from this width.
pub const TWO_COLUMN_WIDTH: f32 = 980.0;

/// Room kept free at the right of a scrolling page for its scroll bar.
pub const SCROLL_GUTTER: f32 = 14.0;
/// Width of the name field in the person header (at least).
pub const MIN_NAME_WIDTH: f32 = 160.0;
/// Room kept beside the name for the stage chip and the Delete button.
pub const HEADER_BUTTONS_WIDTH: f32 = 130.0;
/// Width of the name field in the person header (at most).
pub const NAME_WIDTH: f32 = 380.0;
/// Width of a label combo box of an e-mail, phone, link or address.
pub const LABEL_COMBO_WIDTH: f32 = 96.0;
/// Width of the custom label field.
pub const CUSTOM_LABEL_WIDTH: f32 = 96.0;
/// A value field is never wider than this.
pub const FIELD_MAX_WIDTH: f32 = 420.0;
/// A value field is never narrower than this.
pub const MIN_FIELD_WIDTH: f32 = 120.0;
/// Width of the day field of a date.
pub const DAY_WIDTH: f32 = 40.0;
/// Width of the month combo of a date.
pub const MONTH_WIDTH: f32 = 100.0;
/// Width of the year field of a date.
pub const YEAR_WIDTH: f32 = 52.0;
/// Width of the person picker of a relation.
pub const PICKER_WIDTH: f32 = 190.0;
/// Width of the field of someone's role in a group.
pub const ROLE_WIDTH: f32 = 90.0;
/// Width of the field that adds a chip.
pub const CHIP_FIELD_WIDTH: f32 = 140.0;
/// A person menu lists at most this many people (type to find others).
pub const MENU_PEOPLE: usize = 50;
/// Height of a searchable person menu.
pub const MENU_HEIGHT: f32 = 360.0;
/// Size of a small icon button (star, remove).
pub const ICON_SIZE: f32 = 18.0;

/// Corner radius of chips.
pub const CHIP_RADIUS: u8 = 8;
/// Inner margin of chips, left and right.
pub const CHIP_MARGIN_X: i8 = 6;
/// Corner radius of cards.
pub const CARD_RADIUS: u8 = 8;
/// Inner margin of cards.
pub const CARD_MARGIN: i8 = 10;

/// The preferred star.
pub const STAR: Color32 = Color32::from_rgb(232, 168, 28);

/// Avatar backgrounds: saturated, mid-dark tones white initials read well on,
/// in both themes.
const AVATAR_COLORS: [Color32; 12] = [
    Color32::from_rgb(0xC2, 0x41, 0x3B),
    Color32::from_rgb(0xD0, 0x6B, 0x1F),
    Color32::from_rgb(0xA8, 0x7F, 0x00),
    Color32::from_rgb(0x5B, 0x8C, 0x25),
    Color32::from_rgb(0x21, 0x8F, 0x5A),
    Color32::from_rgb(0x11, 0x8A, 0x88),
    Color32::from_rgb(0x1F, 0x7A, 0xB8),
    Color32::from_rgb(0x3B, 0x5B, 0xC9),
    Color32::from_rgb(0x6A, 0x4B, 0xC4),
    Color32::from_rgb(0x9B, 0x3F, 0xB5),
    Color32::from_rgb(0xB8, 0x3A, 0x7E),
    Color32::from_rgb(0x6E, 0x76, 0x80),
];

/// Text on an avatar.
pub const AVATAR_TEXT: Color32 = Color32::WHITE;

/// The avatar colour of a person: the same for the same id on every
/// machine and every run (FNV-1a over the id's bytes).
pub fn avatar_color(id: PersonId) -> Color32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.0.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let index = (hash % AVATAR_COLORS.len() as u64) as usize;
    AVATAR_COLORS[index]
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

/// A section heading ("Contact", "Important dates"), with space above it.
pub fn section_heading(ui: &mut Ui, text: &str) -> egui::Response {
    ui.add_space(SECTION_GAP);
    let response = ui.label(
        RichText::new(text)
            .size(SECTION_TEXT)
            .strong()
            .color(ui.visuals().strong_text_color()),
    );
    ui.add_space(HEADING_GAP);
    response
}

/// The text of a form caption ("E-mail", "Phone").
pub fn caption_text(ui: &Ui, text: &str) -> RichText {
    RichText::new(text).color(ui.visuals().weak_text_color())
}

/// The frame of a card (one address, the name details).
pub fn card(ui: &Ui) -> egui::Frame {
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(CornerRadius::same(CARD_RADIUS))
        .inner_margin(Margin::same(CARD_MARGIN))
}

/// The frame of a chip.
pub fn chip(ui: &Ui) -> egui::Frame {
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(CornerRadius::same(CHIP_RADIUS))
        .inner_margin(Margin::symmetric(CHIP_MARGIN_X, 1))
}

/// The frame of a stage chip.
pub fn stage_frame(stage: Stage) -> egui::Frame {
    let color = stage_color(stage);
    egui::Frame::new()
        .fill(color.gamma_multiply(0.25))
        .stroke(Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(Margin::symmetric(5, 0))
}

/// Colour of an icon at rest (remove crosses, empty stars).
pub fn icon_color(ui: &Ui) -> Color32 {
    ui.visuals().weak_text_color()
}

/// Colour of an icon under the pointer.
pub fn icon_hover_color(ui: &Ui) -> Color32 {
    ui.visuals().strong_text_color()
}

/// Colour of an inline error.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

// ---- Engineer E (add-person form, chip entry, date entry, quick add).
/// Width of a typed date field ("20 Nov 2026" and a little room).
pub const DATE_FIELD_WIDTH: f32 = 110.0;
/// Side of one day in the calendar popup.
pub const CALENDAR_CELL: f32 = GRID * 7.0;
/// Gap between the calendar's days.
pub const CALENDAR_GAP: f32 = GRID / 2.0;
/// Line width of the painted calendar icon.
pub const CALENDAR_ICON_STROKE: f32 = 1.3;
/// Corner radius of the painted calendar icon.
pub const CALENDAR_ICON_RADIUS: f32 = 2.0;
/// Width of the add-person form.
pub const FORM_WIDTH: f32 = 520.0;
/// Width of the add-person form's text fields.
pub const FORM_FIELD_WIDTH: f32 = 300.0;
/// Height of the chip entry's suggestion list.
pub const SUGGESTION_ROWS: usize = 6;
/// Width of the quick-add note field.
pub const QUICK_NOTE_WIDTH: f32 = 240.0;
// ---- End of engineer E's block.

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatar_colour_is_stable_for_an_id() {
        let id = PersonId(uuid::Uuid::from_u128(
            0x1234_5678_9abc_def0_1122_3344_5566_7788,
        ));
        assert_eq!(avatar_color(id), avatar_color(id));
        // Fixed across releases: FNV-1a is defined, not a std hasher.
        let spread: std::collections::HashSet<_> = (0..200u128)
            .map(|n| avatar_color(PersonId(uuid::Uuid::from_u128(n * 7919))))
            .collect();
        assert!(spread.len() > 6, "ids spread over the palette");
    }
}
