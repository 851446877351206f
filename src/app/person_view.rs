//! The person view: every field editable in place (name and its parts,
//! contact rows, work, addresses, important dates, relationships), quick
//! interaction entry, give-before-you-ask balance, health, and the
//! person's timeline.
//!
//! Edits go to a draft; a committed edit (a field left, a menu choice) is
//! one `Action::EditPerson`.

use super::chip_entry::chip_entry_ui as chips_row;
use super::person_contact::{ContactState, ListKind, addresses_ui, contacts_ui};
use super::person_dates::{DateRows, dates_ui};
use super::person_relations::{RelationState, people_matching, relations_ui};
use super::quick_add::{self, QuickAdd};
use super::style;
use super::timeline::{self, TimelineState};
use super::widgets::{
    avatar_ui, chip_width, form_row, removable_chip, stage_chip, text_width, wrap_before,
};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{
    Consent, InteractionKind, Label, Membership, Person, PersonId, RelationKind, Stage, StageChange,
};
use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};

/// What is typed into the chip fields (cleared when another person opens).
#[derive(Default)]
struct ChipInputs {
    nickname: String,
    unit: String,
    title: String,
    function: String,
    interest: String,
    need: String,
    want: String,
    tag: String,
    can_help: String,
}

/// Editor state for the person view.
#[derive(Default)]
pub struct PersonViewState {
    draft: Option<Person>,
    base: Option<Person>,
    chips: ChipInputs,
    contacts: ContactState,
    dates: DateRows,
    relations: RelationState,
    intro_query: String,
    /// Focus the name field on the next frame (new person).
    pub focus_name: bool,
    /// The quick-add form.
    pub quick: QuickAdd,
}

impl PersonViewState {
    fn sync(&mut self, person: &Person) {
        if self.base.as_ref() == Some(person) {
            return;
        }
        // The record changed under an edit in progress (a reload from disk,
        // an undo): keep what the user changed, take the rest.
        let (draft, typing_dates) = match (&self.draft, &self.base) {
            (Some(draft), Some(base)) if draft.id == person.id => (
                rebase_keeping_rows(draft, base, person),
                self.dates.is_typing(&base.dates),
            ),
            _ => {
                // Another person: nothing typed carries over.
                self.chips = ChipInputs::default();
                self.contacts = ContactState::default();
                self.relations = RelationState::default();
                self.intro_query.clear();
                (person.clone(), false)
            }
        };
        if !typing_dates {
            self.dates.load(&draft.dates);
        }
        self.draft = Some(draft);
        self.base = Some(person.clone());
    }
}

/// The draft moved onto a newer `person` (see [`Person::rebase`]), judged
/// by what it would save: rows added but still empty, or a value with a
/// space after it, do not count as edits, so an undo restores the list. A
/// list that saves the same as the new record keeps the draft's rows.
fn rebase_keeping_rows(draft: &Person, base: &Person, person: &Person) -> Person {
    let clean = cleaned(draft);
    let mut next = clean.rebase(base, person);
    macro_rules! keep_rows {
        ($($field:ident),*) => {
            $(if clean.$field == next.$field {
                next.$field = draft.$field.clone();
            })*
        };
    }
    keep_rows!(emails, phones, links, addresses, relations);
    next
}

/// The person as saved from a draft: rows without a value left out, values
/// trimmed, custom labels read (an empty one is no label).
fn cleaned(draft: &Person) -> Person {
    let mut person = draft.clone();
    for list in [&mut person.emails, &mut person.phones, &mut person.links] {
        list.retain(|c| !c.value.trim().is_empty());
        for contact in list.iter_mut() {
            let trimmed = contact.value.trim();
            if trimmed.len() != contact.value.len() {
                contact.value = trimmed.to_string();
            }
            if let Label::Custom(text) = &contact.label {
                contact.label = Label::from_text(text);
            }
        }
    }
    person.addresses.retain(|a| !a.is_empty());
    for address in &mut person.addresses {
        if let Label::Custom(text) = &address.label {
            address.label = Label::from_text(text);
        }
    }
    person
        .relations
        .retain(|r| r.person.is_some() || !r.name.trim().is_empty());
    for relation in &mut person.relations {
        let trimmed = relation.name.trim();
        if trimmed.len() != relation.name.len() {
            relation.name = trimmed.to_string();
        }
        if matches!(&relation.kind, RelationKind::Custom(label) if label.trim().is_empty()) {
            relation.kind = RelationKind::Custom("related".into());
        }
    }
    person
}

/// The sections of a profile below its header, in their default order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Section {
    /// The relationship timeline and the open interaction.
    Timeline,
    /// Free notes.
    Notes,
    /// Who could help them with their needs, whom they could help, needs met.
    Help,
    /// Work, how you know them, interests, needs, wants and tags.
    About,
    /// E-mails, phones, links and addresses.
    Contact,
    /// Birthdays, anniversaries and other dates.
    Dates,
    /// Relatives, partners, assistants.
    Relationships,
    /// Organizations and groups they belong to.
    Groups,
}

impl Section {
    /// Every section, in the default order.
    pub const ALL: [Section; 8] = [
        Section::Timeline,
        Section::Notes,
        Section::Help,
        Section::About,
        Section::Contact,
        Section::Dates,
        Section::Relationships,
        Section::Groups,
    ];

    /// The heading of the section.
    pub fn title(self) -> &'static str {
        match self {
            Section::Help => "Needs and help",
            Section::Timeline => "Timeline",
            Section::Notes => "Notes",
            Section::About => "About",
            Section::Contact => "Contact details",
            Section::Dates => "Important dates",
            Section::Relationships => "Relationships",
            Section::Groups => "Groups",
        }
    }
}

/// The order of the profile sections and which are collapsed; kept in
/// egui's persisted memory, so it survives a restart.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SectionLayout {
    /// Top to bottom.
    pub order: Vec<Section>,
    /// Collapsed sections.
    pub collapsed: Vec<Section>,
}

impl Default for SectionLayout {
    fn default() -> Self {
        Self {
            order: Section::ALL.to_vec(),
            collapsed: Vec::new(),
        }
    }
}

impl SectionLayout {
    /// The key of the layout in egui's persisted memory.
    pub fn memory_id() -> egui::Id {
        egui::Id::unique("kith_profile_sections")
    }

    /// The stored layout, with every section exactly once (a layout saved by
    /// another version may miss some or repeat one).
    pub fn load(ctx: &egui::Context) -> Self {
        let stored: Option<SectionLayout> = ctx.data_mut(|d| d.get_persisted(Self::memory_id()));
        let mut layout = stored.unwrap_or_default();
        let mut seen = Vec::new();
        layout.order.retain(|s| {
            let first = !seen.contains(s);
            seen.push(*s);
            first
        });
        for section in Section::ALL {
            if !layout.order.contains(&section) {
                layout.order.push(section);
            }
        }
        layout
    }

    /// Remember the layout.
    pub fn store(&self, ctx: &egui::Context) {
        ctx.data_mut(|d| d.insert_persisted(Self::memory_id(), self.clone()));
    }

    /// True when `section` is collapsed.
    pub fn is_collapsed(&self, section: Section) -> bool {
        self.collapsed.contains(&section)
    }

    /// Collapse an open section, open a collapsed one.
    pub fn toggle(&mut self, section: Section) {
        if self.is_collapsed(section) {
            self.collapsed.retain(|s| *s != section);
        } else {
            self.collapsed.push(section);
        }
    }

    /// Move a section one place up (`by` = -1) or down (`by` = 1).
    pub fn shift(&mut self, section: Section, by: isize) {
        let Some(at) = self.order.iter().position(|s| *s == section) else {
            return;
        };
        let to = at as isize + by;
        if to >= 0 && (to as usize) < self.order.len() {
            self.order.swap(at, to as usize);
        }
    }
}

/// What a click on a section's heading row asks for.
enum SectionEvent {
    Toggle,
    Shift(isize),
}

/// The heading row of a section: a disclosure triangle and the title
/// (click to collapse or open), and move up / down arrows at the right.
fn section_header_ui(
    ui: &mut Ui,
    section: Section,
    collapsed: bool,
    first: bool,
    last: bool,
) -> Option<SectionEvent> {
    let mut event = None;
    ui.add_space(style::SECTION_GAP);
    let title = section.title();
    let row_height = style::TEXT_SECTION + style::SPACE_S;
    let width = ui.available_width();
    let (row, _) = ui.allocate_exact_size(egui::vec2(width, row_height), egui::Sense::hover());
    let arrows = 2.0 * (style::ICON_SIZE + style::GRID);
    let title_rect = egui::Rect::from_min_max(
        row.min,
        egui::pos2((row.right() - arrows).max(row.left()), row.bottom()),
    );
    let header = ui
        .interact(
            title_rect,
            ui.scope_id().with(("section", title)),
            egui::Sense::click(),
        )
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    header.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::DisclosureTriangle,
            true,
            !collapsed,
            format!("{title} section"),
        )
    });
    let strong = ui.visuals().strong_text_color();
    let color = if header.hovered() {
        strong
    } else {
        ui.visuals().text_color()
    };
    let painter = ui.painter();
    let c = egui::pos2(row.left() + style::GRID * 2.0, row.center().y);
    let s = style::GRID * 1.25;
    let triangle = if collapsed {
        vec![
            egui::pos2(c.x - s * 0.6, c.y - s),
            egui::pos2(c.x + s * 0.8, c.y),
            egui::pos2(c.x - s * 0.6, c.y + s),
        ]
    } else {
        vec![
            egui::pos2(c.x - s, c.y - s * 0.6),
            egui::pos2(c.x + s, c.y - s * 0.6),
            egui::pos2(c.x, c.y + s * 0.8),
        ]
    };
    painter.add(egui::Shape::convex_polygon(
        triangle,
        color,
        egui::Stroke::NONE,
    ));
    painter.text(
        egui::pos2(row.left() + style::GRID * 5.0, row.center().y),
        egui::Align2::LEFT_CENTER,
        title,
        egui::FontId::proportional(style::TEXT_SECTION),
        color,
    );
    painter.line_segment(
        [
            egui::pos2(row.left(), row.bottom()),
            egui::pos2(row.right(), row.bottom()),
        ],
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    if header.clicked() {
        event = Some(SectionEvent::Toggle);
    }
    // Move up / down: painted arrows, weak until hovered.
    for (index, (by, word, enabled)) in [(-1isize, "up", !first), (1, "down", !last)]
        .into_iter()
        .enumerate()
    {
        let right = row.right() - (1 - index) as f32 * (style::ICON_SIZE + style::GRID);
        let rect = egui::Rect::from_center_size(
            egui::pos2(right - style::ICON_SIZE / 2.0, row.center().y),
            egui::vec2(style::ICON_SIZE, style::ICON_SIZE),
        );
        let sense = if enabled {
            egui::Sense::click()
        } else {
            egui::Sense::hover()
        };
        let arrow = ui.interact(
            rect,
            ui.scope_id().with(("section_move", title, word)),
            sense,
        );
        let label = format!("Move {title} {word}");
        arrow.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &label));
        let color = if !enabled {
            ui.visuals().widgets.noninteractive.bg_stroke.color
        } else if arrow.hovered() {
            style::icon_hover_color(ui)
        } else {
            style::icon_color(ui)
        };
        let c = rect.center();
        let h = style::GRID * 1.25;
        let dir = by as f32;
        ui.painter().add(egui::Shape::convex_polygon(
            vec![
                egui::pos2(c.x - h * 1.2, c.y - dir * h * 0.6),
                egui::pos2(c.x + h * 1.2, c.y - dir * h * 0.6),
                egui::pos2(c.x, c.y + dir * h),
            ],
            color,
            egui::Stroke::NONE,
        ));
        if arrow.clicked() {
            event = Some(SectionEvent::Shift(by));
        }
        if enabled && arrow.hovered() {
            arrow.on_hover_text(label);
        }
    }
    ui.add_space(style::HEADING_GAP);
    event
}

/// Draw the person view: the profile header, quick add, then the sections
/// in the order the user chose.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    state: &mut PersonViewState,
    timeline_state: &mut TimelineState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let Some(person) = model.people.get(&id) else {
        return;
    };
    state.sync(person);
    let mut commit = false;
    let mut layout = SectionLayout::load(ui.ctx());
    let mut layout_changed = false;
    // Each person keeps their own scroll position; a new one opens at the top.
    egui::ScrollArea::vertical()
        .id_salt(("person_scroll", id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Clear of the scroll bar that floats over the right edge.
            ui.set_max_width(ui.available_width() - style::SCROLL_GUTTER);
            let Some(draft) = state.draft.as_mut() else {
                return;
            };
            commit |= header_ui(ui, view_ctx, draft, &mut state.focus_name, commands);
            commit |= standing_ui(ui, view_ctx, draft);

            // ---- What to record next, always near the top.
            style::section_heading(ui, "Record an interaction");
            quick_add::ui(ui, view_ctx, id, &mut state.quick, commands);

            let order = layout.order.clone();
            for (index, section) in order.iter().copied().enumerate() {
                let collapsed = layout.is_collapsed(section);
                let event =
                    section_header_ui(ui, section, collapsed, index == 0, index + 1 == order.len());
                match event {
                    Some(SectionEvent::Toggle) => {
                        layout.toggle(section);
                        layout_changed = true;
                    }
                    Some(SectionEvent::Shift(by)) => {
                        layout.shift(section, by);
                        layout_changed = true;
                    }
                    None => {}
                }
                if collapsed {
                    continue;
                }
                ui.push_id(("section_body", section.title()), |ui| match section {
                    Section::Help => {
                        super::person_help::help_ui(ui, view_ctx, person, commands);
                    }
                    Section::Timeline => {
                        super::intro_offers::offers_ui(ui, view_ctx, Some(id), commands);
                        timeline::person_ui(ui, view_ctx, id, timeline_state, commands);
                    }
                    Section::Notes => {
                        commit |= notes_ui(ui, draft);
                    }
                    Section::About => {
                        commit |= about_ui(
                            ui,
                            view_ctx,
                            draft,
                            &mut state.chips,
                            &mut state.intro_query,
                            commands,
                        );
                    }
                    Section::Contact => {
                        let contacts = &mut state.contacts;
                        commit |= contacts_ui(ui, ListKind::Email, &mut draft.emails, contacts);
                        commit |= contacts_ui(ui, ListKind::Phone, &mut draft.phones, contacts);
                        commit |= contacts_ui(ui, ListKind::Link, &mut draft.links, contacts);
                        commit |= addresses_ui(ui, &mut draft.addresses, contacts);
                    }
                    Section::Dates => {
                        commit |= dates_ui(ui, &mut state.dates, &mut draft.dates, view_ctx.today);
                    }
                    Section::Relationships => {
                        commit |= relations_ui(ui, view_ctx, draft, &mut state.relations, commands);
                    }
                    Section::Groups => {
                        commit |= memberships_ui(ui, view_ctx, draft);
                    }
                });
            }
            ui.add_space(style::SPACE_L);
        });
    if layout_changed {
        layout.store(ui.ctx());
    }
    if commit && let (Some(draft), Some(base)) = (&state.draft, &state.base) {
        let mut clean = cleaned(draft);
        clean.note_needs(base, view_ctx.today);
        if clean != *base {
            commands.push(Command::Apply(Action::EditPerson(clean)));
        }
    }
}

/// The notes, in a quiet field that reads as text, and where they came from.
fn notes_ui(ui: &mut Ui, draft: &mut Person) -> bool {
    let notes = ui
        .add(
            TextEdit::multiline(&mut draft.notes)
                .hint_text("Write what you want to remember about them")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Notes");
    let commit = notes.lost_focus();
    if !draft.source_ids.is_empty() {
        ui.add_space(style::HEADING_GAP);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Imported as").small().weak());
            for source in &draft.source_ids {
                ui.label(RichText::new(source).small().monospace().weak());
            }
        });
    }
    commit
}

/// Work, how you know them, name details, interests, needs, wants, tags.
fn about_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    chips: &mut ChipInputs,
    intro_query: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let mut commit = false;
    // Suggestions only while typing, from the index (no per-frame copy).
    let suggestions = view_ctx.insight.suggest_interests(&chips.interest, 12);
    commit |= chips_row(
        ui,
        "Interests",
        &mut draft.interests,
        &mut chips.interest,
        &suggestions,
    );
    let shared = view_ctx.insight.shared_with_me(view_ctx.model, draft.id);
    if !shared.is_empty() {
        form_row(ui, "", |ui, _| {
            ui.label(RichText::new(format!("You share: {}", shared.join(", "))).italics());
        });
    }
    commit |= chips_row(ui, "Needs", &mut draft.needs, &mut chips.need, &[]);
    commit |= chips_row(ui, "Wants", &mut draft.wants, &mut chips.want, &[]);
    let offers = super::person_help::can_help_suggestions(view_ctx.model, &chips.can_help, 12);
    commit |= chips_row(
        ui,
        "Can help with",
        &mut draft.can_help_with,
        &mut chips.can_help,
        &offers,
    );
    commit |= chips_row(ui, "Tags", &mut draft.tags, &mut chips.tag, &[]);
    ui.add_space(style::SPACE_S);
    commit |= work_ui(ui, draft, chips);
    ui.add_space(style::SPACE_S);
    commit |= connection_ui(ui, view_ctx, draft, intro_query, commands);
    ui.add_space(style::SPACE_S);
    commit |= name_details_ui(ui, draft, &mut chips.nickname);
    commit
}

/// The profile header: a large avatar ringed in the stage colour (click it
/// for the photo menu), the name at title size (edit in place), the
/// headline (role and organization) and the birthday; Delete at the right.
fn header_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    focus_name: &mut bool,
    commands: &mut Vec<Command>,
) -> bool {
    let mut commit = false;
    let id = draft.id;
    ui.add_space(style::SPACE_S);
    ui.horizontal_top(|ui| {
        ui.add_space(style::PROFILE_RING);
        let avatar = avatar_ui(ui, view_ctx, draft, style::AVATAR_PROFILE);
        ui.painter().circle_stroke(
            avatar.rect.center(),
            style::AVATAR_PROFILE / 2.0 + style::PROFILE_RING / 2.0,
            egui::Stroke::new(style::PROFILE_RING, style::stage_color(draft.stage)),
        );
        // Click the avatar to add, change or remove the photo.
        if view_ctx.data_dir.is_some() {
            let avatar = ui
                .interact(avatar.rect, avatar.id.with("photo"), egui::Sense::click())
                .on_hover_cursor(egui::CursorIcon::PointingHand)
                .on_hover_text("Add or change the photo")
                .accessible_name("Photo");
            if avatar.hovered() {
                ui.painter().circle_stroke(
                    avatar.rect.center(),
                    style::AVATAR_PROFILE / 2.0 - 1.0,
                    ui.visuals().widgets.hovered.fg_stroke,
                );
            }
            egui::Popup::menu(&avatar).show(|ui| {
                super::person_photo::photo_ui(ui, view_ctx, id, commands);
            });
        }
        ui.add_space(style::SPACE_M);
        ui.vertical(|ui| {
            ui.horizontal_wrapped(|ui| {
                let reserve = style::HEADER_BUTTONS_WIDTH;
                let width = (ui.available_width() - reserve)
                    .clamp(style::MIN_NAME_WIDTH, style::NAME_WIDTH);
                // The name reads as a title; a frame shows only on hover or
                // while typing.
                let editing = ui.memory(|m| m.has_focus(ui.scope_id().with("name_field")));
                let frame = if editing {
                    egui::Frame::NONE
                        .stroke(ui.visuals().widgets.active.bg_stroke)
                        .corner_radius(style::CHIP_RADIUS)
                } else {
                    egui::Frame::NONE
                };
                let response = ui
                    .add(
                        TextEdit::singleline(&mut draft.name)
                            .id(ui.scope_id().with("name_field"))
                            .font(egui::FontId::proportional(style::TEXT_TITLE))
                            .frame(frame)
                            .hint_text("Name")
                            .desired_width(width),
                    )
                    .on_hover_text("Click to edit the name")
                    .accessible_name("Name");
                if response.hovered() && !editing {
                    ui.painter().rect_stroke(
                        response.rect,
                        style::CHIP_RADIUS,
                        ui.visuals().widgets.hovered.bg_stroke,
                        egui::StrokeKind::Outside,
                    );
                }
                if *focus_name {
                    response.request_focus();
                    *focus_name = false;
                }
                commit |= response.lost_focus();
                if draft.deleted {
                    ui.colored_label(ui.visuals().warn_fg_color, "In the trash");
                    if ui.button("Restore").clicked() {
                        commands.push(Command::Apply(Action::RestorePerson(id)));
                    }
                } else if ui
                    .button("Delete")
                    .on_hover_text("Moves to the trash; undo with Ctrl+Z")
                    .clicked()
                {
                    commands.push(Command::Apply(Action::DeletePerson(id)));
                }
            });
            let headline = headline(draft);
            if !headline.is_empty() {
                ui.add(egui::Label::new(RichText::new(headline).size(style::TEXT_SECTION)).wrap());
            }
            let subtitle = subtitle(draft);
            if !subtitle.is_empty() {
                ui.add(egui::Label::new(RichText::new(subtitle).weak()).wrap());
            }
            if let Some(birthday) = draft.birthday() {
                let meaning = super::person_dates::describe(
                    &crate::model::DateKind::Birthday,
                    birthday,
                    view_ctx.today,
                );
                let text = if meaning.is_empty() {
                    format!("Born {}", birthday.human())
                } else {
                    format!("Born {} · {meaning}", birthday.human())
                };
                ui.label(RichText::new(text).weak());
            }
        });
    });
    commit
}

/// "Head of Product · Acme": the job title and the organization.
pub fn headline(person: &Person) -> String {
    let role = person.role.trim();
    let organization = person.organization.trim();
    match (role.is_empty(), organization.is_empty()) {
        (false, false) => format!("{role} · {organization}"),
        (false, true) => role.to_string(),
        (true, false) => organization.to_string(),
        (true, true) => String::new(),
    }
}

/// "Last contact 3 days ago", "Last contact today", or "No contact yet".
pub fn last_contact_text(days_quiet: Option<i64>) -> String {
    match days_quiet {
        Some(days) => format!("Last contact {}", super::widgets::ago(days)),
        None => "No contact yet".to_string(),
    }
}

/// The stage and the next suggested move, health, last contact and the
/// give/ask balance as a small bar.
fn standing_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, draft: &mut Person) -> bool {
    let mut commit = false;
    let id = draft.id;
    let health = view_ctx.insight.health(view_ctx.model, id, view_ctx.today);
    ui.add_space(style::SPACE_S);
    ui.horizontal_wrapped(|ui| {
        // Whole items move to the next line; none is split.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        ui.spacing_mut().item_spacing.x = style::SPACE_S;
        stage_chip(ui, draft.stage);
        match &health.suggestion {
            Some(suggestion) => {
                ui.label(format!("Next: {}", suggestion.stage))
                    .on_hover_text(suggestion.reasons.join(", "));
                if ui
                    .small_button(format!("Set to {}", suggestion.stage))
                    .on_hover_text(suggestion.reasons.join(", "))
                    .clicked()
                {
                    set_stage(draft, suggestion.stage, view_ctx.today);
                    commit = true;
                }
            }
            None => {
                ui.weak("stage fits what you have done together");
            }
        }
        ui.separator();
        let health_label = ui.label(format!("Health {}/100", health.score));
        health_label.on_hover_ui(|ui| {
            for reason in &health.reasons {
                ui.label(format!("- {reason}"));
            }
        });
        ui.separator();
        ui.label(last_contact_text(health.days_quiet));
        ui.separator();
        let stats = view_ctx.insight.stats(id);
        let counts = view_ctx
            .model
            .people
            .get(&id)
            .map(|p| super::person_help::given_counts(view_ctx.model, view_ctx.insight, p))
            .unwrap_or_default();
        give_ask_bar(ui, counts.given, counts.asked);
        ui.label(counts.text());
        if stats.give_ask_balance() < 0 {
            ui.colored_label(ui.visuals().warn_fg_color, "give first next time");
        }
    });
    commit
}

/// Help given against help asked, as a bar split in the two kind colours.
fn give_ask_bar(ui: &mut Ui, given: u32, asked: u32) {
    let size = egui::vec2(style::BALANCE_BAR_WIDTH, style::BALANCE_BAR_HEIGHT);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let text = format!("Give and ask: {given} given, {asked} asked");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &text));
    let painter = ui.painter();
    let radius = style::BALANCE_BAR_HEIGHT / 2.0;
    painter.rect_filled(rect, radius, ui.visuals().extreme_bg_color);
    let total = given + asked;
    if total > 0 {
        let split = rect.left() + rect.width() * given as f32 / total as f32;
        let left = egui::Rect::from_min_max(rect.min, egui::pos2(split, rect.bottom()));
        let right = egui::Rect::from_min_max(egui::pos2(split, rect.top()), rect.max);
        painter.rect_filled(left, radius, style::kind_color(InteractionKind::HelpGiven));
        painter.rect_filled(right, radius, style::kind_color(InteractionKind::HelpAsked));
    }
    painter.rect_stroke(
        rect,
        radius,
        ui.visuals().widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    response.on_hover_text(text);
}

/// The line under the headline: "Design · also called “Dani”" (department
/// and nicknames).
fn subtitle(person: &Person) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(unit) = person.org_units.first() {
        parts.push(unit.clone());
    }
    if !person.nicknames.is_empty() {
        let names: Vec<String> = person.nicknames.iter().map(|n| format!("“{n}”")).collect();
        parts.push(format!("also called {}", names.join(", ")));
    }
    parts.join(" · ")
}

/// The collapsible name parts, phonetic names and nicknames.
fn name_details_ui(ui: &mut Ui, draft: &mut Person, new_nickname: &mut String) -> bool {
    let mut commit = false;
    let joined = draft.name_parts.joined();
    let title = if joined.is_empty() || joined == draft.name.trim() {
        "Name details".to_string()
    } else {
        format!("Name details ({joined})")
    };
    egui::CollapsingHeader::new(title)
        .id_salt("name_details")
        .show(ui, |ui| {
            let parts = &mut draft.name_parts;
            for (caption, text) in [
                ("Prefix", &mut parts.prefix),
                ("Given name", &mut parts.given),
                ("Middle name", &mut parts.additional),
                ("Family name", &mut parts.family),
                ("Suffix", &mut parts.suffix),
                ("Given (phonetic)", &mut parts.phonetic_given),
                ("Middle (phonetic)", &mut parts.phonetic_additional),
                ("Family (phonetic)", &mut parts.phonetic_family),
            ] {
                commit |= text_row(ui, caption, text).lost_focus();
            }
            commit |= chips_row(ui, "Nicknames", &mut draft.nicknames, new_nickname, &[]);
            let joined = draft.name_parts.joined();
            if !joined.is_empty() && joined != draft.name.trim() {
                form_row(ui, "", |ui, _| {
                    if ui
                        .button(format!("Use “{joined}” as the name"))
                        .on_hover_text("The name shown everywhere; the parts are kept as they are")
                        .clicked()
                    {
                        draft.name = joined.clone();
                        commit = true;
                    }
                });
            }
        });
    commit
}

/// Employer, department and units, job titles and functions.
fn work_ui(ui: &mut Ui, draft: &mut Person, chips: &mut ChipInputs) -> bool {
    let mut commit = false;
    commit |= text_row(ui, "Organization", &mut draft.organization).lost_focus();
    commit |= chips_row(ui, "Department", &mut draft.org_units, &mut chips.unit, &[]);
    commit |= text_row(ui, "Job title", &mut draft.role).lost_focus();
    commit |= chips_row(
        ui,
        "Other titles",
        &mut draft.other_titles,
        &mut chips.title,
        &[],
    );
    commit |= chips_row(
        ui,
        "Functions",
        &mut draft.functions,
        &mut chips.function,
        &[],
    );
    commit
}

/// A caption and a one-line field linked to it.
fn text_row(ui: &mut Ui, caption: &str, text: &mut String) -> egui::Response {
    form_row(ui, caption, |ui, label| {
        let width = ui.available_width().min(style::FIELD_MAX_WIDTH);
        ui.add(TextEdit::singleline(text).desired_width(width))
            .labelled_by(label)
    })
}

/// Met at / on, introduced by, stage and newsletter consent.
fn connection_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    intro_query: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let mut commit = false;
    commit |= text_row(ui, "Met at", &mut draft.met.place).lost_focus();
    form_row(ui, "Met on", |ui, label| {
        // Typed date entry (engineer E's date_entry); empty means unknown.
        commit |= super::date_entry::DateEntry::new(
            ("met_on", draft.id),
            &mut draft.met.date,
            view_ctx.today,
        )
        .optional()
        .labelled_by(label)
        .show(ui)
        .changed;
    });
    form_row(ui, "Introduced by", |ui, _| {
        commit |= introduced_by_ui(ui, view_ctx, draft, intro_query, commands);
    });
    form_row(ui, "Stage", |ui, _| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let mut stage = draft.stage;
            for s in Stage::ALL {
                ui.selectable_value(&mut stage, s, s.label());
            }
            if stage != draft.stage {
                set_stage(draft, stage, view_ctx.today);
                commit = true;
            }
        });
    });
    form_row(ui, "Rhythm", |ui, label| {
        commit |= super::rhythm_ui::rhythm_entry_ui(ui, draft, &view_ctx.model.settings, label);
    });
    form_row(ui, "Newsletter", |ui, _| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let current = draft.newsletter.clone();
            if ui
                .selectable_label(current == Consent::NotAsked, "Not asked")
                .clicked()
            {
                draft.newsletter = Consent::NotAsked;
            }
            if ui
                .selectable_label(current.is_yes(), "Yes, they agreed")
                .clicked()
                && !current.is_yes()
            {
                draft.newsletter = Consent::Yes {
                    date: view_ctx.today,
                };
            }
            if ui
                .selectable_label(matches!(current, Consent::No { .. }), "No")
                .clicked()
                && !matches!(current, Consent::No { .. })
            {
                draft.newsletter = Consent::No {
                    date: Some(view_ctx.today),
                };
            }
            if let Consent::Yes { date } = &draft.newsletter {
                ui.weak(format!("since {date}"));
            }
            commit |= draft.newsletter != current;
        });
    });
    commit
}

fn set_stage(draft: &mut Person, stage: Stage, today: NaiveDate) {
    if draft.stage != stage {
        draft.stage = stage;
        draft.stage_history.push(StageChange { date: today, stage });
    }
}

fn introduced_by_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    draft: &mut Person,
    query: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let model = view_ctx.model;
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let current = draft
            .introduced_by
            .map(|p| model.person_name(p).to_string())
            .unwrap_or_else(|| "nobody".into());
        egui::ComboBox::from_id_salt("introduced_by")
            .selected_text(current)
            .width(style::PICKER_WIDTH)
            .height(style::MENU_HEIGHT)
            .show_ui(ui, |ui| {
                let label = ui.label("Find");
                ui.add(TextEdit::singleline(query).desired_width(style::PICKER_WIDTH))
                    .labelled_by(label.id);
                if ui
                    .selectable_label(draft.introduced_by.is_none(), "nobody")
                    .clicked()
                {
                    draft.introduced_by = None;
                    changed = true;
                }
                for person in people_matching(view_ctx, query, draft.id) {
                    if ui
                        .selectable_label(draft.introduced_by == Some(person.id), &person.name)
                        .clicked()
                    {
                        draft.introduced_by = Some(person.id);
                        changed = true;
                    }
                }
            })
            .response
            .accessible_name("Introducer");
        // The chain: click a name to follow it.
        let chain = model.introduction_chain(draft.id);
        if chain.len() <= 1 {
            ui.weak("you met directly");
        } else {
            ui.weak("You");
            for person in chain.iter().skip(1).rev() {
                ui.weak("->");
                if ui.link(model.person_name(*person)).clicked() {
                    commands.push(Command::OpenPerson(*person));
                }
            }
            ui.weak("->");
            ui.weak(&draft.name);
        }
    });
    changed
}

fn memberships_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, draft: &mut Person) -> bool {
    let mut changed = false;
    form_row(ui, "Groups", |ui, orgs_label| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let mut remove = None;
            for (i, membership) in draft.memberships.iter_mut().enumerate() {
                let name = view_ctx
                    .model
                    .orgs
                    .get(&membership.org)
                    .map(|o| o.name.as_str())
                    .unwrap_or("(deleted organization)");
                // The group, "role" and its field stay on one line.
                let spacing = ui.spacing().item_spacing.x;
                wrap_before(
                    ui,
                    chip_width(ui, name)
                        + text_width(ui, "role")
                        + style::ROLE_WIDTH
                        + 2.0 * spacing,
                );
                if removable_chip(ui, name) {
                    remove = Some(i);
                }
                // Their role there, edited in place ("role" and its field together).
                wrap_before(
                    ui,
                    text_width(ui, "role") + style::ROLE_WIDTH + 2.0 * spacing,
                );
                let role_label = ui
                    .weak("role")
                    .on_hover_text(format!("Their role in {name}"));
                let response = ui
                    .add(
                        TextEdit::singleline(&mut membership.role).desired_width(style::ROLE_WIDTH),
                    )
                    .labelled_by(role_label.id);
                changed |= response.lost_focus();
            }
            if let Some(i) = remove {
                draft.memberships.remove(i);
                changed = true;
            }
            egui::ComboBox::from_id_salt("add_membership")
                .selected_text("Add group")
                .show_ui(ui, |ui| {
                    for org in view_ctx.model.orgs.values() {
                        if draft.memberships.iter().any(|m| m.org == org.id) {
                            continue;
                        }
                        if ui.selectable_label(false, &org.name).clicked() {
                            draft.memberships.push(Membership {
                                org: org.id,
                                role: "member".into(),
                            });
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(orgs_label);
        });
    });
    changed
}
