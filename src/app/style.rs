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

/// Colour of a stage (chips, markers, rings): mid tones that keep 3:1
/// against the panels of both themes (checked in `theme_tests`). The shape
/// of [`paint_stage_marker`] tells the stages apart without colour.
pub fn stage_color(stage: Stage) -> Color32 {
    match stage {
        Stage::Acquaintance => Color32::from_rgb(118, 126, 136),
        Stage::Know => Color32::from_rgb(58, 128, 208),
        Stage::Like => Color32::from_rgb(38, 148, 88),
        Stage::Trust => Color32::from_rgb(192, 110, 10),
        Stage::Dormant => Color32::from_rgb(140, 110, 170),
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
        InteractionKind::IntroductionOffered => Color32::from_rgb(200, 170, 70),
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

/// The frame of a stage chip: an outline in the stage colour on the
/// panel (its text keeps the theme's contrast).
pub fn stage_frame(stage: Stage) -> egui::Frame {
    let color = stage_color(stage);
    egui::Frame::new()
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

// ---- Engineer C (person page, avatars, timeline): kind icons, profile
// header, timeline marks. Painter-drawn, so no glyph the bundled fonts lack.

/// Width of an icon's strokes for an icon of this radius.
fn icon_stroke(radius: f32, color: Color32) -> Stroke {
    Stroke::new((radius * 0.2).max(1.0), color)
}

/// Draw the icon of an interaction kind inside the circle of `radius` around
/// `center`, in `color` (lines and shapes only: the bundled fonts have no
/// symbols). Flag: met at an event; cup: coffee; fork and knife: lunch;
/// handset: call; speech bubble: message; envelope: note sent; heart: help
/// given; lifebuoy: help asked; two linked dots: introduction; dot: other.
pub fn paint_kind_icon(
    painter: &egui::Painter,
    center: egui::Pos2,
    radius: f32,
    kind: InteractionKind,
    color: Color32,
) {
    use egui::{Rect, Shape, pos2};
    let r = radius;
    let stroke = icon_stroke(r, color);
    let at = |x: f32, y: f32| pos2(center.x + x * r, center.y + y * r);
    match kind {
        InteractionKind::MetAtEvent => {
            // A flag on a pole.
            painter.line_segment([at(-0.55, 0.85), at(-0.55, -0.85)], stroke);
            painter.add(Shape::convex_polygon(
                vec![at(-0.55, -0.85), at(0.75, -0.45), at(-0.55, -0.05)],
                color,
                Stroke::NONE,
            ));
        }
        InteractionKind::Coffee => {
            // A cup with a handle on a saucer.
            let body = Rect::from_min_max(at(-0.7, -0.45), at(0.35, 0.6));
            painter.rect_filled(
                body,
                CornerRadius {
                    nw: 0,
                    ne: 0,
                    sw: (r * 0.4) as u8,
                    se: (r * 0.4) as u8,
                },
                color,
            );
            painter.circle_stroke(at(0.5, 0.0), r * 0.28, stroke);
            painter.line_segment([at(-0.9, 0.85), at(0.75, 0.85)], stroke);
        }
        InteractionKind::Lunch => {
            // Fork (left, three tines) and knife (right).
            painter.line_segment([at(-0.4, -0.9), at(-0.4, 0.9)], stroke);
            painter.line_segment([at(-0.75, -0.9), at(-0.75, -0.3)], stroke);
            painter.line_segment([at(-0.05, -0.9), at(-0.05, -0.3)], stroke);
            painter.line_segment([at(-0.75, -0.3), at(-0.05, -0.3)], stroke);
            painter.add(Shape::convex_polygon(
                vec![
                    at(0.45, -0.9),
                    at(0.75, -0.5),
                    at(0.75, 0.05),
                    at(0.45, 0.05),
                ],
                color,
                Stroke::NONE,
            ));
            painter.line_segment([at(0.55, 0.0), at(0.55, 0.9)], stroke);
        }
        InteractionKind::Call => {
            // A handset: two ear pieces joined by a bent grip.
            let wide = Stroke::new(stroke.width * 1.6, color);
            painter.add(Shape::line(
                vec![
                    at(-0.55, -0.7),
                    at(-0.7, -0.2),
                    at(-0.45, 0.35),
                    at(0.1, 0.7),
                    at(0.6, 0.6),
                ],
                wide,
            ));
            painter.circle_filled(at(-0.5, -0.72), r * 0.26, color);
            painter.circle_filled(at(0.66, 0.5), r * 0.26, color);
        }
        InteractionKind::Message => {
            // A speech bubble with a tail.
            let bubble = Rect::from_min_max(at(-0.85, -0.7), at(0.85, 0.35));
            painter.rect_filled(bubble, CornerRadius::same((r * 0.35) as u8), color);
            painter.add(Shape::convex_polygon(
                vec![at(-0.45, 0.3), at(0.0, 0.3), at(-0.55, 0.85)],
                color,
                Stroke::NONE,
            ));
        }
        InteractionKind::NoteSent => {
            // An envelope.
            let envelope = Rect::from_min_max(at(-0.85, -0.55), at(0.85, 0.6));
            painter.rect_stroke(envelope, 1.0, stroke, egui::StrokeKind::Middle);
            painter.add(Shape::line(
                vec![at(-0.85, -0.55), at(0.0, 0.1), at(0.85, -0.55)],
                stroke,
            ));
        }
        InteractionKind::HelpGiven => {
            // A heart: two lobes over a point.
            painter.circle_filled(at(-0.38, -0.25), r * 0.42, color);
            painter.circle_filled(at(0.38, -0.25), r * 0.42, color);
            painter.add(Shape::convex_polygon(
                vec![at(-0.78, -0.1), at(0.78, -0.1), at(0.0, 0.85)],
                color,
                Stroke::NONE,
            ));
        }
        InteractionKind::HelpAsked => {
            // A lifebuoy: a thick ring with four bands.
            painter.circle_stroke(center, r * 0.62, Stroke::new(r * 0.36, color));
            let band = Stroke::new((r * 0.12).max(1.0), color.gamma_multiply(0.35));
            for (x, y) in [(0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)] {
                painter.line_segment([at(x * 0.44, y * 0.44), at(x * 0.8, y * 0.8)], band);
            }
        }
        InteractionKind::IntroductionMade => {
            // Two people joined by a line.
            painter.line_segment([at(-0.5, 0.4), at(0.5, -0.4)], stroke);
            painter.circle_filled(at(-0.55, 0.45), r * 0.34, color);
            painter.circle_filled(at(0.55, -0.45), r * 0.34, color);
        }
        InteractionKind::IntroductionOffered => {
            // Two people, a dashed line between them: not joined yet.
            let (from, to) = (at(-0.5, 0.4), at(0.5, -0.4));
            for step in [0.0_f32, 0.4, 0.8] {
                let a = from + (to - from) * step;
                let b = from + (to - from) * (step + 0.2);
                painter.line_segment([a, b], stroke);
            }
            painter.circle_stroke(at(-0.55, 0.45), r * 0.3, stroke);
            painter.circle_stroke(at(0.55, -0.45), r * 0.3, stroke);
        }
        InteractionKind::Other => {
            painter.circle_filled(center, r * 0.45, color);
        }
    }
}

/// Height of a person's timeline strip.
pub const TIMELINE_HEIGHT: f32 = 140.0;
/// Room under the timeline's axis for its dates.
pub const TIMELINE_AXIS_ROOM: f32 = 22.0;
/// Top of the first row of timeline flags (met, stage changes).
pub const TIMELINE_FLAG_TOP: f32 = 16.0;

/// Avatar diameter at the top of a profile.
pub const AVATAR_PROFILE: f32 = 88.0;
/// Width of the stage-coloured ring around the profile avatar.
pub const PROFILE_RING: f32 = 3.0;
/// Width of the give/ask balance bar.
pub const BALANCE_BAR_WIDTH: f32 = 72.0;
/// Height of the give/ask balance bar.
pub const BALANCE_BAR_HEIGHT: f32 = 8.0;

// ---- End of engineer C's block.

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
/// Where the add-person form's top sits, as a share of the window height.
pub const FORM_TOP_SHARE: f32 = 0.12;
/// The lowest the add-person form's top sits.
pub const FORM_TOP_MAX: f32 = 120.0;
/// How many people the add-person form's introducer search shows.
pub const INTRODUCER_MATCHES: usize = 6;
/// Width of the quick-add note field.
pub const QUICK_NOTE_WIDTH: f32 = 240.0;
// ---- End of engineer E's block.

// ---- Engineer H (toasts). A toast is at most this wide, and narrower on a
// small window so it wraps instead of running off the left edge.
/// The widest a toast gets on a large window.
pub const TOAST_WIDTH: f32 = 380.0;
/// Gap between the toasts and the window's right and bottom edges.
pub const TOAST_MARGIN: f32 = SPACE_M;
// ---- End of engineer H's block.

// ---- Engineer G (network map): node sizes, level of detail, edge colours.

/// Radius of a node of depth 0, in layout units.
pub const MAP_NODE_BASE: f32 = 5.0;
/// Radius added per unit of relationship depth, in layout units.
pub const MAP_NODE_PER_DEPTH: f32 = 2.2;
/// A node is never drawn smaller than this (pixels).
pub const MAP_NODE_MIN_PX: f32 = 2.0;
/// A node is never drawn larger than this (pixels).
pub const MAP_NODE_MAX_PX: f32 = 56.0;
/// Names show for nodes at least this large on screen (pixels).
pub const MAP_LABEL_PX: f32 = 7.0;
/// With at most this many people on screen every name shows.
pub const MAP_LABEL_FEW: usize = 60;
/// At most this many names are drawn in one frame.
pub const MAP_LABEL_MAX: usize = 120;
/// Avatar initials show from this node radius (pixels).
pub const MAP_INITIALS_PX: f32 = 14.0;
/// Width of the stage ring around an avatar, as a share of its radius.
pub const MAP_RING_SHARE: f32 = 0.2;
/// At most this many links of one kind are drawn per frame (the strongest).
pub const MAP_EDGES_PER_KIND: usize = 2500;
/// With more people than [`MAP_MANY_NODES`] on screen, at most this many.
pub const MAP_EDGES_PER_KIND_FAR: usize = 1000;
/// "Many people on screen" for thinning links.
pub const MAP_MANY_NODES: usize = 2000;
/// Nodes smaller than this are drawn as squares (pixels).
pub const MAP_DOT_PX: f32 = 2.5;
/// Width of a link of full weight (pixels).
pub const MAP_EDGE_WIDTH: f32 = 2.5;
/// Width of the weakest link (pixels).
pub const MAP_EDGE_MIN_WIDTH: f32 = 0.8;
/// Size of an introduction's arrow head (pixels).
pub const MAP_ARROW_PX: f32 = 8.0;
/// Arrows show on introductions at least this long on screen (pixels).
pub const MAP_ARROW_MIN_LENGTH: f32 = 28.0;
/// How close the pointer must come to a node or a link (pixels).
pub const MAP_HOVER_PX: f32 = 5.0;
/// People outside the focus are drawn at this opacity (when dimmed).
pub const MAP_DIM: f32 = 0.12;
/// Width of the ring around the hovered or focused person (pixels).
pub const MAP_HIGHLIGHT_WIDTH: f32 = 2.0;
/// Room kept around the network when the view fits it (pixels).
pub const MAP_FIT_MARGIN: f32 = 40.0;
/// The map canvas is never shorter than this (pixels).
pub const MAP_MIN_HEIGHT: f32 = 160.0;
/// Size of a legend swatch (pixels).
pub const MAP_SWATCH: f32 = 14.0;
/// The legend starts open when the view is at least this tall (pixels).
pub const MAP_LEGEND_OPEN_HEIGHT: f32 = 560.0;
/// Zoom factor per pixel of mouse wheel.
pub const MAP_WHEEL_ZOOM: f32 = 0.0025;

/// Colour of a kind of link on the map, readable on the theme's canvas.
pub fn map_edge_color(kind: crate::insight::graph::EdgeKind, dark: bool) -> Color32 {
    use crate::insight::graph::EdgeKind;
    match (kind, dark) {
        (EdgeKind::Introduction, true) => Color32::from_rgb(240, 200, 70),
        (EdgeKind::Introduction, false) => Color32::from_rgb(190, 120, 0),
        (EdgeKind::Relationship, true) => Color32::from_rgb(235, 110, 150),
        (EdgeKind::Relationship, false) => Color32::from_rgb(190, 40, 100),
        (EdgeKind::Organization, true) => Color32::from_rgb(110, 170, 240),
        (EdgeKind::Organization, false) => Color32::from_rgb(40, 100, 190),
        (EdgeKind::Interest, true) => Color32::from_rgb(150, 200, 140),
        (EdgeKind::Interest, false) => Color32::from_rgb(60, 140, 70),
    }
}

/// Opacity of a link of `weight` (0..=1): weak links recede.
pub fn map_edge_alpha(weight: f32) -> f32 {
    0.25 + 0.55 * weight.clamp(0.0, 1.0)
}

/// Background of the map canvas.
pub fn map_background(ui: &Ui) -> Color32 {
    ui.visuals().extreme_bg_color
}

// ---- End of engineer G's block.

// ---- Engineer F (Activity view: charts, heatmap, network-wide timeline).

/// Height of the interactions-per-week chart.
pub const WEEKLY_CHART_HEIGHT: f32 = 200.0;
/// Height of one bar of the depth funnel chart.
pub const FUNNEL_BAR_HEIGHT: f32 = 34.0;
/// Share of a week (or funnel step) a bar covers.
pub const BAR_WIDTH: f64 = 0.8;
/// Closest two date labels of a chart axis get.
pub const AXIS_LABEL_SPACING: egui::Rangef = egui::Rangef {
    min: 36.0,
    max: 56.0,
};
/// Smallest heatmap cell (a day).
pub const HEAT_CELL_MIN: f32 = 7.0;
/// Largest heatmap cell: the map stays a strip at 4K.
pub const HEAT_CELL_MAX: f32 = 24.0;
/// Gap between heatmap cells, as a share of the cell.
pub const HEAT_GAP_SHARE: f32 = 0.18;
/// Width of the weekday labels left of the heatmap.
pub const HEAT_LABEL_WIDTH: f32 = 34.0;
/// Height of one swimlane of the network-wide timeline.
pub const LANE_HEIGHT: f32 = 30.0;
/// The name column of the timeline takes this share of the width...
pub const LANE_NAME_SHARE: f32 = 0.26;
/// ...but at least this much...
pub const LANE_NAME_MIN: f32 = 130.0;
/// ...and at most this much.
pub const LANE_NAME_MAX: f32 = 240.0;
/// Radius of an interaction mark on a swimlane.
pub const LANE_MARK_RADIUS: f32 = 7.0;
/// Marks closer than this (in points) are drawn as one.
pub const LANE_MARK_MIN_GAP: f32 = 3.0;
/// The timeline's lanes take this share of the window's height...
pub const LANES_HEIGHT_SHARE: f32 = 0.7;
/// ...but at least this much.
pub const LANES_MIN_HEIGHT: f32 = 220.0;
/// Height of the month axis above the lanes.
pub const LANE_AXIS_HEIGHT: f32 = 20.0;
/// Width of a filter combo box of the timeline.
pub const LANE_FILTER_WIDTH: f32 = 150.0;
/// Two Activity sections sit side by side from this width.
pub const ACTIVITY_TWO_COLUMNS: f32 = 860.0;
/// The Activity view lists this many organizations before "Show all".
pub const ACTIVITY_ORGS: usize = 12;

/// Fill of a heatmap cell at `level` (0 = nothing that day, 1 to 4 = busier),
/// a green ramp tuned for each theme.
pub fn heat_color(ui: &Ui, level: usize) -> Color32 {
    const LIGHT: [Color32; 4] = [
        Color32::from_rgb(0x9B, 0xE9, 0xA8),
        Color32::from_rgb(0x40, 0xC4, 0x63),
        Color32::from_rgb(0x30, 0xA1, 0x4E),
        Color32::from_rgb(0x21, 0x6E, 0x39),
    ];
    const DARK: [Color32; 4] = [
        Color32::from_rgb(0x0E, 0x44, 0x29),
        Color32::from_rgb(0x00, 0x6D, 0x32),
        Color32::from_rgb(0x26, 0xA6, 0x41),
        Color32::from_rgb(0x39, 0xD3, 0x53),
    ];
    let dark = ui.visuals().dark_mode;
    match level {
        0 => ui.visuals().widgets.inactive.bg_fill,
        n => {
            let ramp = if dark { DARK } else { LIGHT };
            ramp[(n - 1).min(3)]
        }
    }
}

/// The line that marks today on timelines.
pub fn today_line(ui: &Ui) -> Stroke {
    Stroke::new(1.5, ui.visuals().error_fg_color.gamma_multiply(0.8))
}

/// Faint month lines behind timelines and charts.
pub fn month_line(ui: &Ui) -> Stroke {
    Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color)
}

/// Background of the swimlane under the pointer.
pub fn lane_hover_fill(ui: &Ui) -> Color32 {
    ui.visuals()
        .widgets
        .hovered
        .weak_bg_fill
        .gamma_multiply(0.5)
}

/// Colour of the icon drawn on an interaction mark's disc.
pub const MARK_ICON: Color32 = Color32::WHITE;

// ---- End of engineer F's block.

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

// ---- Engineer D (theme, contrast, stage markers, palette, zoom). Both
// themes meet WCAG AA: text >= 4.5:1 on its background (weak text and text
// fields included), component edges (field borders, the due marker, stage
// markers) >= 3:1. The unit tests below compute the ratios from these
// Visuals.

/// Zoom steps of the palette and the keyboard (egui already maps Ctrl+=,
/// Ctrl+- and Ctrl+0 to the same steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoomStep {
    /// Larger.
    In,
    /// Smaller.
    Out,
    /// Back to 100 %.
    Reset,
}

/// Smallest zoom factor.
pub const ZOOM_MIN: f32 = 0.5;
/// Largest zoom factor.
pub const ZOOM_MAX: f32 = 3.0;
/// One zoom step.
pub const ZOOM_STEP: f32 = 0.1;

/// The zoom factor after `step` from `current`, within [`ZOOM_MIN`]..[`ZOOM_MAX`].
pub fn zoomed(current: f32, step: ZoomStep) -> f32 {
    match step {
        ZoomStep::In => current + ZOOM_STEP,
        ZoomStep::Out => current - ZOOM_STEP,
        ZoomStep::Reset => 1.0,
    }
    .clamp(ZOOM_MIN, ZOOM_MAX)
}

/// Width of the command palette (at most).
pub const PALETTE_WIDTH: f32 = 420.0;
/// Distance of the palette from the top of the window.
pub const PALETTE_TOP: f32 = 48.0;
/// The palette's list takes at most this share of the window's height...
pub const PALETTE_HEIGHT_SHARE: f32 = 0.55;
/// ...but at least this much.
pub const PALETTE_MIN_HEIGHT: f32 = 160.0;
/// The people list shows each row's stage in words from this row width.
pub const LIST_STAGE_LABEL_WIDTH: f32 = 330.0;
/// Width of the "last contact" slot of a people-list row.
pub const LIST_DAYS_WIDTH: f32 = 44.0;
/// Radius of the stage marker in a stage chip.
pub const CHIP_MARKER_RADIUS: f32 = 4.5;
/// Corner radius of the "due" marker.
pub const DUE_RADIUS: u8 = 4;

/// Light theme: panel background.
const LIGHT_PANEL: Color32 = Color32::from_rgb(244, 245, 247);
/// Light theme: window (dialog, palette) background.
const LIGHT_WINDOW: Color32 = Color32::from_rgb(250, 250, 251);
/// Light theme: card and chip background.
const LIGHT_FAINT: Color32 = Color32::from_rgb(234, 236, 240);
/// Light theme: text.
const LIGHT_TEXT: Color32 = Color32::from_rgb(40, 42, 46);
/// Light theme: weak text (captions, hints, "3 days ago").
const LIGHT_WEAK: Color32 = Color32::from_rgb(92, 96, 104);
/// Light theme: borders of text fields and buttons at rest.
const LIGHT_EDGE: Color32 = Color32::from_rgb(118, 122, 130);
/// Light theme: separators and card edges (decorative).
const LIGHT_SEPARATOR: Color32 = Color32::from_rgb(196, 199, 205);
/// Light theme: warnings ("due", "Read-only").
const LIGHT_WARN: Color32 = Color32::from_rgb(168, 70, 0);
/// Light theme: errors.
const LIGHT_ERROR: Color32 = Color32::from_rgb(190, 28, 28);
/// Light theme: links.
const LIGHT_LINK: Color32 = Color32::from_rgb(0, 92, 178);

/// Dark theme: panel background.
const DARK_PANEL: Color32 = Color32::from_rgb(30, 31, 34);
/// Dark theme: window background.
const DARK_WINDOW: Color32 = Color32::from_rgb(36, 37, 41);
/// Dark theme: card and chip background.
const DARK_FAINT: Color32 = Color32::from_rgb(44, 46, 51);
/// Dark theme: text field background.
const DARK_FIELD: Color32 = Color32::from_rgb(18, 19, 21);
/// Dark theme: text.
const DARK_TEXT: Color32 = Color32::from_rgb(214, 216, 220);
/// Dark theme: weak text.
const DARK_WEAK: Color32 = Color32::from_rgb(158, 162, 170);
/// Dark theme: borders of text fields and buttons at rest.
const DARK_EDGE: Color32 = Color32::from_rgb(124, 128, 136);
/// Dark theme: separators and card edges (decorative).
const DARK_SEPARATOR: Color32 = Color32::from_rgb(70, 73, 80);
/// Dark theme: warnings.
const DARK_WARN: Color32 = Color32::from_rgb(255, 160, 60);
/// Dark theme: errors.
const DARK_ERROR: Color32 = Color32::from_rgb(255, 110, 110);
/// Dark theme: links.
const DARK_LINK: Color32 = Color32::from_rgb(110, 180, 255);

/// kith's visuals for the dark or the light theme: egui's, with the
/// contrast raised to WCAG AA (see the tests).
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let (panel, window, faint, text, weak, edge, separator) = if dark {
        (
            DARK_PANEL,
            DARK_WINDOW,
            DARK_FAINT,
            DARK_TEXT,
            DARK_WEAK,
            DARK_EDGE,
            DARK_SEPARATOR,
        )
    } else {
        (
            LIGHT_PANEL,
            LIGHT_WINDOW,
            LIGHT_FAINT,
            LIGHT_TEXT,
            LIGHT_WEAK,
            LIGHT_EDGE,
            LIGHT_SEPARATOR,
        )
    };
    v.panel_fill = panel;
    v.window_fill = window;
    v.faint_bg_color = faint;
    v.extreme_bg_color = if dark { DARK_FIELD } else { Color32::WHITE };
    v.text_edit_bg_color = None;
    v.weak_text_color = Some(weak);
    v.window_stroke = Stroke::new(1.0, edge);
    v.warn_fg_color = if dark { DARK_WARN } else { LIGHT_WARN };
    v.error_fg_color = if dark { DARK_ERROR } else { LIGHT_ERROR };
    v.hyperlink_color = if dark { DARK_LINK } else { LIGHT_LINK };
    let w = &mut v.widgets;
    w.noninteractive.bg_fill = panel;
    w.noninteractive.weak_bg_fill = panel;
    w.noninteractive.bg_stroke = Stroke::new(1.0, separator);
    w.noninteractive.fg_stroke = Stroke::new(1.0, text);
    w.inactive.fg_stroke = Stroke::new(1.0, text);
    // Text fields and buttons show their edge at rest.
    w.inactive.bg_stroke = Stroke::new(1.0, edge);
    w.open.bg_stroke = Stroke::new(1.0, edge);
    w.open.fg_stroke = Stroke::new(1.0, text);
    if !dark {
        w.inactive.weak_bg_fill = Color32::from_rgb(226, 229, 234);
        w.inactive.bg_fill = Color32::from_rgb(226, 229, 234);
        w.hovered.bg_stroke = Stroke::new(1.0, Color32::from_rgb(70, 74, 80));
        v.selection.bg_fill = Color32::from_rgb(176, 214, 250);
        v.selection.stroke = Stroke::new(1.0, Color32::from_rgb(0, 64, 120));
    }
    v
}

/// Use kith's visuals for both themes on `ctx` (once per context; cheap to
/// call every frame).
pub fn apply_theme(ctx: &egui::Context) {
    let id = egui::Id::unique("kith_theme_applied");
    if ctx.data(|d| d.get_temp::<bool>(id)).is_some() {
        return;
    }
    ctx.set_visuals_of(egui::Theme::Light, visuals(false));
    ctx.set_visuals_of(egui::Theme::Dark, visuals(true));
    ctx.data_mut(|d| d.insert_temp(id, true));
}

/// Paint the marker of a stage: its colour and a shape of its own, so the
/// stage reads without colour too. Acquaintance: circle; know: square;
/// like: diamond; trust: triangle; dormant: hollow ring.
pub fn paint_stage_marker(painter: &egui::Painter, center: egui::Pos2, radius: f32, stage: Stage) {
    let color = stage_color(stage);
    let r = radius;
    match stage {
        Stage::Acquaintance => {
            painter.circle_filled(center, r, color);
        }
        Stage::Know => {
            let half = r * 0.85;
            painter.rect_filled(
                egui::Rect::from_center_size(center, egui::vec2(2.0 * half, 2.0 * half)),
                0.0,
                color,
            );
        }
        Stage::Like => {
            let points = vec![
                center + egui::vec2(0.0, -r),
                center + egui::vec2(r, 0.0),
                center + egui::vec2(0.0, r),
                center + egui::vec2(-r, 0.0),
            ];
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        }
        Stage::Trust => {
            let points = vec![
                center + egui::vec2(0.0, -r),
                center + egui::vec2(r * 0.95, r * 0.7),
                center + egui::vec2(-r * 0.95, r * 0.7),
            ];
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        }
        Stage::Dormant => {
            let width = (r * 0.45).max(1.0);
            painter.circle_stroke(center, r - width / 2.0, Stroke::new(width, color));
        }
    }
}

/// The "due" marker of a people-list row: the word in the warning colour
/// inside an outline of the same colour (both meet AA in both themes).
pub fn due_marker(ui: &mut Ui) -> egui::Response {
    let warn = ui.visuals().warn_fg_color;
    egui::Frame::new()
        .stroke(Stroke::new(1.0, warn))
        .corner_radius(CornerRadius::same(DUE_RADIUS))
        .inner_margin(Margin::symmetric(4, 0))
        .show(ui, |ui| {
            ui.label(RichText::new("due").size(TEXT_SMALL).color(warn));
        })
        .response
}

/// WCAG relative luminance of an opaque colour.
#[cfg(test)]
pub fn luminance(color: Color32) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color.r()) + 0.7152 * channel(color.g()) + 0.0722 * channel(color.b())
}

/// WCAG contrast ratio of `a` against `b` (1 to 21). A translucent `a` is
/// first laid over `b`.
#[cfg(test)]
pub fn contrast(a: Color32, b: Color32) -> f64 {
    let a = if a.a() == 255 {
        a
    } else {
        // Color32 is premultiplied: over = a + b * (1 - alpha).
        let keep = 1.0 - f32::from(a.a()) / 255.0;
        let mix = |x: u8, y: u8| (f32::from(x) + f32::from(y) * keep).round().min(255.0) as u8;
        Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

// ---- End of engineer D's block.

// ---- Engineer A (shell: top bar, side panel). The top bar's status has a
// slot of fixed width so "Saving..." and "Saved" never move anything.

/// Width of the top bar's status slot (people count and save status).
pub const STATUS_SLOT_WIDTH: f32 = 210.0;
/// Width of the theme picker in the top bar.
pub const THEME_COMBO_WIDTH: f32 = 80.0;
/// Width of the top bar's sync slot (the sync button and its spinner), so
/// the bar does not move when "Sync now" turns into "Syncing…".
pub const SYNC_SLOT_WIDTH: f32 = 120.0;
/// Width of the top bar's sync button ("Sync now", "Syncing…", "Sync failed").
pub const SYNC_BUTTON_WIDTH: f32 = 90.0;
/// Widest the Sync page's text and form grow.
pub const SYNC_PAGE_WIDTH: f32 = 760.0;
/// Width of the side-panel toggle button.
pub const PANEL_TOGGLE_WIDTH: f32 = 28.0;
/// Size of the painted side-panel icon.
pub const PANEL_ICON_SIZE: egui::Vec2 = egui::vec2(16.0, 12.0);
/// Line width of the side-panel icon.
pub const PANEL_ICON_STROKE: f32 = 1.5;
/// Corner radius of the side-panel icon.
pub const PANEL_ICON_RADIUS: f32 = 2.0;
/// Where the icon's column ends, as a share of its width.
pub const PANEL_ICON_SPLIT: f32 = 0.4;
/// The side panel's first width, as a share of the window...
pub const SIDE_PANEL_SHARE: f32 = 0.3;
/// ...but never more than this.
pub const SIDE_PANEL_DEFAULT_WIDTH: f32 = 320.0;
/// The narrowest the side panel gets.
pub const SIDE_PANEL_MIN_WIDTH: f32 = 220.0;
/// The widest the side panel gets, as a share of the window (the central
/// view keeps the rest).
pub const SIDE_PANEL_MAX_SHARE: f32 = 0.6;

// ---- Engineer B (file chooser, desktop integration, You view).

/// Widest the in-app file chooser grows.
pub const CHOOSER_WIDTH: f32 = 640.0;
/// Share of the window's height the chooser's listing takes.
pub const CHOOSER_LIST_SHARE: f32 = 0.4;
/// Shortest the chooser's listing gets.
pub const CHOOSER_LIST_MIN: f32 = 120.0;
/// Tallest the chooser's listing gets.
pub const CHOOSER_LIST_MAX: f32 = 420.0;
/// Width of a text field in the You view's settings rows.
pub const SETTINGS_FIELD_WIDTH: f32 = 220.0;

// ---- End of engineer B's block.

// ---- give-ui (the person page's "Needs and help", Today's "Ways to give
// this week", the map's hint).
/// Width of the "Through" and "Helped by" pickers of the "Met…" form.
pub const MET_PICKER_WIDTH: f32 = 240.0;
/// Recent interactions offered as the one that met a need.
pub const MET_RECENT_INTERACTIONS: usize = 12;
/// Rows of Today's "Ways to give this week".
pub const WAYS_TO_GIVE_ROWS: usize = 5;
/// The soft ring (a translucent halo) the map draws around people who could
/// help the focused or hovered person: its width in pixels.
pub const MAP_HELPER_RING: f32 = 5.0;
/// Gap between a node and its helper ring, in pixels.
pub const MAP_HELPER_RING_GAP: f32 = 3.0;
/// People marked as helpers on the map at most.
pub const MAP_HELPERS: usize = 6;

/// The helper ring's colour: the "Help given" green, softened.
pub fn map_helper_ring(dark: bool) -> Color32 {
    let green = kind_color(InteractionKind::HelpGiven);
    green.gamma_multiply(if dark { 0.6 } else { 0.5 })
}
// ---- End of give-ui's block.

// ---- rhythm (follow-up actions: "Done…" and "Snooze…"; rhythms).
/// Width of the kind buttons in the "Done…" menu, so they line up.
pub const DONE_MENU_WIDTH: f32 = 150.0;
// ---- End of rhythm's block.

// ---- intro (the introduction composer and its e-mail step).
/// Width of the introduction composer (wider than a form: two date
/// entries with their quick choices sit on one line each).
pub const INTRO_FORM_WIDTH: f32 = 640.0;
/// Quick choices for a follow-up after an introduction.
pub const INTRO_FOLLOW_UP_CHOICES: &[(&str, i64)] = &[("In a week", 7), ("In two weeks", 14)];
// ---- End of intro's block.

#[cfg(test)]
mod theme_tests {
    use super::*;

    /// WCAG AA for text.
    const TEXT: f64 = 4.5;
    /// WCAG AA for component edges and graphics.
    const EDGE: f64 = 3.0;

    fn check(what: &str, fg: Color32, bg: Color32, at_least: f64, failures: &mut Vec<String>) {
        let ratio = contrast(fg, bg);
        if ratio < at_least {
            failures.push(format!("{what}: {ratio:.2} < {at_least}"));
        }
    }

    #[test]
    fn contrast_ratio_matches_the_wcag_examples() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let gray = Color32::from_rgb(0x76, 0x76, 0x76);
        assert!((contrast(gray, Color32::WHITE) - 4.54).abs() < 0.01);
        assert_eq!(
            contrast(gray, Color32::WHITE),
            contrast(Color32::WHITE, gray)
        );
    }

    #[test]
    fn both_themes_meet_wcag_aa() {
        let mut failures = Vec::new();
        for dark in [false, true] {
            let v = visuals(dark);
            let theme = if dark { "dark" } else { "light" };
            let backgrounds = [
                ("panel", v.panel_fill),
                ("window", v.window_fill),
                ("card", v.faint_bg_color),
                ("text field", v.text_edit_bg_color()),
            ];
            for (name, bg) in backgrounds {
                let mut text = |what: &str, fg: Color32| {
                    check(
                        &format!("{theme}: {what} on {name}"),
                        fg,
                        bg,
                        TEXT,
                        &mut failures,
                    )
                };
                text("text", v.text_color());
                text("weak text", v.weak_text_color());
                text("strong text", v.strong_text_color());
                text("field text", v.widgets.inactive.text_color());
                text("warning", v.warn_fg_color);
                text("error", v.error_fg_color);
                text("link", v.hyperlink_color);
            }
            // Buttons: text on their fill.
            for (state, w) in [
                ("button", &v.widgets.inactive),
                ("hovered button", &v.widgets.hovered),
                ("pressed button", &v.widgets.active),
            ] {
                check(
                    &format!("{theme}: {state} text"),
                    w.text_color(),
                    w.weak_bg_fill,
                    TEXT,
                    &mut failures,
                );
            }
            check(
                &format!("{theme}: selected text"),
                v.selection.stroke.color,
                v.selection.bg_fill,
                TEXT,
                &mut failures,
            );
            // A text field stands out: its edge against the panel and its own fill.
            for (name, bg) in [
                ("panel", v.panel_fill),
                ("window", v.window_fill),
                ("field", v.text_edit_bg_color()),
            ] {
                for (what, edge) in [
                    ("field edge", v.widgets.inactive.bg_stroke.color),
                    ("hovered field edge", v.widgets.hovered.bg_stroke.color),
                    ("focused field edge", v.selection.stroke.color),
                ] {
                    check(
                        &format!("{theme}: {what} on {name}"),
                        edge,
                        bg,
                        EDGE,
                        &mut failures,
                    );
                }
            }
            assert!(
                v.widgets.inactive.bg_stroke.width >= 1.0,
                "fields have an edge"
            );
            // The due marker: outline and word in the warning colour.
            for (name, bg) in [
                ("panel", v.panel_fill),
                ("selected row", v.selection.bg_fill),
            ] {
                check(
                    &format!("{theme}: due marker on {name}"),
                    v.warn_fg_color,
                    bg,
                    if name == "panel" { TEXT } else { EDGE },
                    &mut failures,
                );
            }
            // Stage markers and chip edges against the panel and windows.
            for stage in Stage::ALL {
                for (name, bg) in [
                    ("panel", v.panel_fill),
                    ("window", v.window_fill),
                    ("card", v.faint_bg_color),
                ] {
                    check(
                        &format!("{theme}: stage {stage:?} on {name}"),
                        stage_color(stage),
                        bg,
                        EDGE,
                        &mut failures,
                    );
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn apply_theme_sets_both_themes_once() {
        let ctx = egui::Context::default();
        apply_theme(&ctx);
        assert_eq!(ctx.style_of(egui::Theme::Light).visuals, visuals(false));
        assert_eq!(ctx.style_of(egui::Theme::Dark).visuals, visuals(true));
        // A later change is not undone by the next frame's call.
        ctx.set_visuals_of(egui::Theme::Dark, egui::Visuals::dark());
        apply_theme(&ctx);
        assert_eq!(
            ctx.style_of(egui::Theme::Dark).visuals,
            egui::Visuals::dark()
        );
    }

    #[test]
    fn zoom_steps_stay_within_bounds() {
        assert!((zoomed(1.0, ZoomStep::In) - 1.1).abs() < 1e-6);
        assert!((zoomed(1.0, ZoomStep::Out) - 0.9).abs() < 1e-6);
        assert_eq!(zoomed(2.5, ZoomStep::Reset), 1.0);
        assert_eq!(zoomed(ZOOM_MAX, ZoomStep::In), ZOOM_MAX);
        assert_eq!(zoomed(ZOOM_MIN, ZoomStep::Out), ZOOM_MIN);
    }

    #[test]
    fn every_stage_has_its_own_colour() {
        let colours: std::collections::HashSet<_> =
            Stage::ALL.iter().map(|s| stage_color(*s)).collect();
        assert_eq!(colours.len(), Stage::ALL.len());
    }
}
