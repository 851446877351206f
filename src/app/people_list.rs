//! The left panel: search, filters, sort, and a virtualised list or table.

use super::style;
use super::widgets::{avatar_ui, days_ago};
use super::{Command, UiState, ViewCtx};
use crate::model::{OrgId, PersonId, Stage};
use crate::search::SearchIndex;
use egui::{Key, RichText, Ui};
use std::collections::HashSet;

/// How the list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum SortBy {
    /// Best search match first, then name.
    #[default]
    Name,
    /// Longest-quiet last: most recent contact first.
    LastContact,
    /// Closest relationships first.
    Stage,
}

/// Newsletter consent filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentFilter {
    /// Said yes.
    Yes,
    /// Said no.
    No,
    /// Never asked.
    NotAsked,
}

/// Which columns the table shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Columns {
    /// Organization column.
    pub organization: bool,
    /// Stage column.
    pub stage: bool,
    /// Last contact column.
    pub last_contact: bool,
    /// Interests column.
    pub interests: bool,
}

impl Default for Columns {
    fn default() -> Self {
        Self {
            organization: true,
            stage: true,
            last_contact: true,
            interests: false,
        }
    }
}

/// Filters over the people list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Only members of this organization.
    pub org: Option<OrgId>,
    /// Only people with this tag.
    pub tag: Option<String>,
    /// Only people with this interest key.
    pub interest: Option<String>,
    /// Only people with a follow-up due today or overdue.
    pub follow_up_due: bool,
    /// Only people not contacted in this many days.
    pub quiet_days: Option<u32>,
    /// Newsletter consent.
    pub consent: Option<ConsentFilter>,
}

/// State of the people panel.
#[derive(Default)]
pub struct PeopleListState {
    /// Search text.
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// Sort order.
    pub sort: SortBy,
    /// Table instead of list.
    pub table: bool,
    /// Table columns.
    pub columns: Columns,
    /// Focus the search box and select its text on the next frame (Ctrl+F).
    pub focus_search: bool,
    /// Scroll the list so this row is in the middle on the next frame.
    pub scroll_to_row: Option<usize>,
    show_filters: bool,
    rows: Vec<PersonId>,
    due: HashSet<PersonId>,
    cache_key: Option<(String, Filters, SortBy)>,
    /// People passing the filters (`None`: no filter set), for `filtered_key`.
    filtered: Option<HashSet<PersonId>>,
    filtered_key: Option<Filters>,
    cursor: Option<usize>,
    /// "Did you mean" queries for the query that found nobody.
    suggestions: Vec<String>,
    /// Select the search box's text as soon as it has the focus.
    select_on_focus: bool,
}

/// How many "did you mean" queries the list offers.
const SUGGESTIONS: usize = 3;

/// Id of the search box (its text is selected on Ctrl+F).
fn search_box_id() -> egui::Id {
    egui::Id::unique("people_search")
}

impl PeopleListState {
    /// Forget cached rows (after the model changed).
    pub fn invalidate(&mut self) {
        self.cache_key = None;
        self.filtered_key = None;
    }

    /// The people currently listed, in order.
    pub fn rows(&self) -> &[PersonId] {
        &self.rows
    }

    fn refresh(&mut self, view_ctx: &ViewCtx<'_>, search: &mut SearchIndex) {
        let key = (self.query.clone(), self.filters.clone(), self.sort);
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        let model = view_ctx.model;
        let insight = view_ctx.insight;
        let today = view_ctx.today;
        // Follow-ups and the filter set change with the model or the
        // filters, not with the query: typing only re-runs the search.
        if self.filtered_key.as_ref() != Some(&self.filters) {
            let follow = insight.follow_ups(model, today, 0);
            self.due = follow
                .overdue
                .iter()
                .chain(&follow.due_today)
                .filter_map(|f| model.interactions.get(&f.interaction))
                .flat_map(|i| i.people.iter().copied())
                .collect();
            self.filtered =
                (self.filters != Filters::default()).then(|| self.filtered_people(view_ctx));
            self.filtered_key = Some(self.filters.clone());
        }
        let mut scored = search.search(&self.query);
        if let Some(allowed) = &self.filtered {
            scored.retain(|(id, _)| allowed.contains(id));
        }
        match self.sort {
            // The search lists best match first, then by name (everyone by
            // name for an empty query).
            SortBy::Name => {}
            SortBy::LastContact => scored.sort_by(|a, b| {
                let la = insight.stats(a.0).last_contact;
                let lb = insight.stats(b.0).last_contact;
                lb.cmp(&la).then(a.0.cmp(&b.0))
            }),
            SortBy::Stage => scored.sort_by(|a, b| {
                let sa = model
                    .people
                    .get(&a.0)
                    .map(|p| p.stage.weight())
                    .unwrap_or(0.0);
                let sb = model
                    .people
                    .get(&b.0)
                    .map(|p| p.stage.weight())
                    .unwrap_or(0.0);
                sb.total_cmp(&sa)
                    .then_with(|| model.person_name(a.0).cmp(model.person_name(b.0)))
            }),
        }
        self.rows = scored.into_iter().map(|(id, _)| id).collect();
        self.suggestions = if self.rows.is_empty() && !self.query.trim().is_empty() {
            search.suggest(&self.query, SUGGESTIONS)
        } else {
            Vec::new()
        };
        self.cache_key = Some(key);
    }

    /// The live people that pass the filters.
    fn filtered_people(&self, view_ctx: &ViewCtx<'_>) -> HashSet<PersonId> {
        let (model, insight, today) = (view_ctx.model, view_ctx.insight, view_ctx.today);
        let filters = &self.filters;
        let interest_key = filters.interest.clone();
        model
            .live_people()
            .filter(|p| filters.stage.is_none_or(|s| p.stage == s))
            .filter(|p| {
                filters
                    .org
                    .is_none_or(|o| p.memberships.iter().any(|m| m.org == o))
            })
            .filter(|p| {
                filters
                    .tag
                    .as_ref()
                    .is_none_or(|t| p.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
            })
            .filter(|p| {
                interest_key
                    .as_ref()
                    .is_none_or(|k| p.interests.iter().any(|i| model.interests.resolve(i) == *k))
            })
            .filter(|p| !filters.follow_up_due || self.due.contains(&p.id))
            .filter(|p| {
                filters.quiet_days.is_none_or(|days| {
                    insight
                        .stats(p.id)
                        .days_since_contact(today)
                        .is_none_or(|d| d >= i64::from(days))
                })
            })
            .filter(|p| match filters.consent {
                None => true,
                Some(ConsentFilter::Yes) => p.newsletter.is_yes(),
                Some(ConsentFilter::No) => matches!(p.newsletter, crate::model::Consent::No { .. }),
                Some(ConsentFilter::NotAsked) => p.newsletter == crate::model::Consent::NotAsked,
            })
            .map(|p| p.id)
            .collect()
    }
}

/// Draw the people panel.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    search: &mut SearchIndex,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let selected = state.selected;
    let list = &mut state.people;
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut list.query)
                    .id(search_box_id())
                    .hint_text("name, company, interest, tag (Ctrl+F)")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if list.focus_search {
            response.request_focus();
            list.focus_search = false;
            list.select_on_focus = true;
        }
        // Select the text once the box has the focus (egui places the
        // cursor at the end when it takes the focus).
        if list.select_on_focus && response.has_focus() {
            select_all(ui.ctx(), &list.query);
            list.select_on_focus = false;
            ui.ctx().request_repaint();
        }
        // Esc takes the focus away before the field is drawn: clear on the
        // frame it does.
        if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
            list.query.clear();
        }
        if response.lost_focus()
            && ui.input(|i| i.key_pressed(Key::Enter))
            && let Some(first) = list.rows.first()
        {
            commands.push(Command::OpenPerson(*first));
        }
    });
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::new("sort", "Sort")
            .selected_text(match list.sort {
                SortBy::Name => "Name",
                SortBy::LastContact => "Last contact",
                SortBy::Stage => "Stage",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut list.sort, SortBy::Name, "Name");
                ui.selectable_value(&mut list.sort, SortBy::LastContact, "Last contact");
                ui.selectable_value(&mut list.sort, SortBy::Stage, "Stage");
            });
        ui.toggle_value(&mut list.show_filters, "Filters");
        ui.toggle_value(&mut list.table, "Table");
    });
    if list.show_filters {
        filters_ui(ui, view_ctx, &mut list.filters);
    }
    if list.table {
        ui.horizontal_wrapped(|ui| {
            ui.label("Columns:");
            ui.checkbox(&mut list.columns.organization, "Org");
            ui.checkbox(&mut list.columns.stage, "Stage");
            ui.checkbox(&mut list.columns.last_contact, "Last");
            ui.checkbox(&mut list.columns.interests, "Interests");
        });
    }
    list.refresh(view_ctx, search);
    if list.rows.is_empty() && !list.query.trim().is_empty() {
        no_match_ui(ui, list);
    } else {
        ui.weak(format!("{} shown", list.rows.len()));
    }
    ui.separator();

    // Keyboard navigation when no text field has focus.
    let typing = ui.ctx().egui_wants_keyboard_input();
    let mut scroll_to: Option<usize> = list.scroll_to_row.take();
    if !typing && !list.rows.is_empty() {
        let current = list
            .cursor
            .or_else(|| selected.and_then(|s| list.rows.iter().position(|r| *r == s)));
        let (down, up, enter) = ui.input(|i| {
            (
                i.key_pressed(Key::ArrowDown),
                i.key_pressed(Key::ArrowUp),
                i.key_pressed(Key::Enter),
            )
        });
        if down || up {
            let next = match current {
                None => 0,
                Some(c) if down => (c + 1).min(list.rows.len() - 1),
                Some(c) => c.saturating_sub(1),
            };
            list.cursor = Some(next);
            scroll_to = Some(next);
            commands.push(Command::OpenPerson(list.rows[next]));
        }
        if enter && let Some(c) = current {
            commands.push(Command::OpenPerson(list.rows[c]));
        }
    }

    if list.table {
        table_ui(ui, view_ctx, list, selected, commands);
    } else {
        list_ui(ui, view_ctx, list, selected, scroll_to, commands);
    }
}

/// Select all the text of the search box (its state is made if missing).
fn select_all(ctx: &egui::Context, text: &str) {
    let id = search_box_id();
    let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(text)));
    state.store(ctx, id);
}

/// The line under the search box when nobody matches: "did you mean" with
/// queries that find someone (a click puts one in the box), or a hint.
fn no_match_ui(ui: &mut Ui, list: &mut PeopleListState) {
    if list.suggestions.is_empty() {
        ui.weak(format!(
            "No one matches \"{}\". Check the spelling, or clear with Esc.",
            list.query.trim()
        ));
        return;
    }
    let mut chosen = None;
    ui.weak("No one matches. Did you mean:");
    ui.horizontal_wrapped(|ui| {
        for suggestion in &list.suggestions {
            if ui
                .link(suggestion)
                .on_hover_text("Search for this instead")
                .clicked()
            {
                chosen = Some(suggestion.clone());
            }
        }
    });
    if let Some(query) = chosen {
        list.query = query;
        list.cursor = None;
    }
}

fn filters_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, filters: &mut Filters) {
    let model = view_ctx.model;
    egui::Grid::new("filters").num_columns(2).show(ui, |ui| {
        let label = ui.label("Stage");
        egui::ComboBox::from_id_salt("f_stage")
            .selected_text(filters.stage.map(|s| s.label()).unwrap_or("Any"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filters.stage, None, "Any");
                for stage in Stage::ALL {
                    ui.selectable_value(&mut filters.stage, Some(stage), stage.label());
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Organization");
        let org_name = filters
            .org
            .and_then(|o| model.orgs.get(&o))
            .map(|o| o.name.as_str())
            .unwrap_or("Any");
        egui::ComboBox::from_id_salt("f_org")
            .selected_text(org_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filters.org, None, "Any");
                for org in model.orgs.values() {
                    ui.selectable_value(&mut filters.org, Some(org.id), &org.name);
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Tag");
        egui::ComboBox::from_id_salt("f_tag")
            .selected_text(filters.tag.clone().unwrap_or_else(|| "Any".into()))
            .show_ui(ui, |ui| {
                // Gathered only while the list is open: walking every
                // person each frame costs milliseconds at 100k.
                let mut tags: Vec<String> = model
                    .live_people()
                    .flat_map(|p| p.tags.iter().map(|t| t.to_lowercase()))
                    .collect();
                tags.sort();
                tags.dedup();
                ui.selectable_value(&mut filters.tag, None, "Any");
                for tag in tags {
                    ui.selectable_value(&mut filters.tag, Some(tag.clone()), tag);
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Interest");
        let interests = view_ctx.insight.interests();
        let current = filters
            .interest
            .as_ref()
            .and_then(|k| view_ctx.insight.interest_name(k))
            .unwrap_or("Any")
            .to_string();
        egui::ComboBox::from_id_salt("f_interest")
            .selected_text(current)
            .height(300.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filters.interest, None, "Any");
                for (key, name, count) in interests.iter().take(200) {
                    ui.selectable_value(
                        &mut filters.interest,
                        Some(key.clone()),
                        format!("{name} ({count})"),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Consent");
        egui::ComboBox::from_id_salt("f_consent")
            .selected_text(match filters.consent {
                None => "Any",
                Some(ConsentFilter::Yes) => "Yes",
                Some(ConsentFilter::No) => "No",
                Some(ConsentFilter::NotAsked) => "Not asked",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filters.consent, None, "Any");
                ui.selectable_value(&mut filters.consent, Some(ConsentFilter::Yes), "Yes");
                ui.selectable_value(&mut filters.consent, Some(ConsentFilter::No), "No");
                ui.selectable_value(
                    &mut filters.consent,
                    Some(ConsentFilter::NotAsked),
                    "Not asked",
                );
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        ui.label("Quiet for");
        ui.horizontal(|ui| {
            let mut on = filters.quiet_days.is_some();
            ui.checkbox(&mut on, "");
            let mut days = filters.quiet_days.unwrap_or(90);
            ui.add_enabled(
                on,
                egui::DragValue::new(&mut days)
                    .range(1..=3650)
                    .suffix(" days"),
            );
            filters.quiet_days = on.then_some(days);
        });
        ui.end_row();
        ui.label("");
        ui.checkbox(&mut filters.follow_up_due, "Follow-up due");
        ui.end_row();
    });
    if *filters != Filters::default() && ui.small_button("Clear filters").clicked() {
        *filters = Filters::default();
    }
    ui.separator();
}

fn list_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    list: &PeopleListState,
    selected: Option<PersonId>,
    scroll_to: Option<usize>,
    commands: &mut Vec<Command>,
) {
    let row_height = style::LIST_ROW_HEIGHT;
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if let Some(index) = scroll_to {
        let viewport_guess = ui.available_height();
        let spacing = ui.spacing().item_spacing.y;
        let offset = (index as f32 * (row_height + spacing) - viewport_guess / 2.0).max(0.0);
        area = area.vertical_scroll_offset(offset);
    }
    area.show_rows(ui, row_height, list.rows.len(), |ui, range| {
        for index in range {
            let id = list.rows[index];
            let Some(person) = view_ctx.model.people.get(&id) else {
                continue;
            };
            let stats = view_ctx.insight.stats(id);
            ui.horizontal(|ui| {
                ui.set_height(row_height);
                let wide = ui.available_width() >= style::LIST_STAGE_LABEL_WIDTH;
                // The avatar, with the stage's marker (colour and shape) on its edge.
                let avatar = avatar_ui(ui, view_ctx, person, style::AVATAR_LIST).rect;
                let badge =
                    avatar.right_bottom() - egui::vec2(style::BADGE_RADIUS, style::BADGE_RADIUS);
                let painter = ui.painter();
                painter.circle_filled(
                    badge,
                    style::BADGE_RADIUS + style::BADGE_RING,
                    ui.visuals().panel_fill,
                );
                style::paint_stage_marker(painter, badge, style::BADGE_RADIUS, person.stage);
                let response = ui.selectable_label(selected == Some(id), &person.name);
                if response.clicked() {
                    commands.push(Command::OpenPerson(id));
                }
                response.on_hover_ui(|ui| {
                    ui.label(format!("{} · {}", person.stage, person.organization));
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    // Clear of the scroll bar that floats over the list.
                    ui.add_space(ui.spacing().scroll.bar_width);
                    // A fixed slot, so the due markers line up.
                    let slot = egui::vec2(style::LIST_DAYS_WIDTH, row_height);
                    let right = egui::Layout::right_to_left(egui::Align::Center);
                    ui.allocate_ui_with_layout(slot, right, |ui| {
                        match stats.days_since_contact(view_ctx.today) {
                            Some(days) => ui.weak(days_ago(days)),
                            None => ui.weak("never"),
                        };
                    });
                    if list.due.contains(&id) {
                        style::due_marker(ui).on_hover_text("A follow-up is due");
                    }
                    if wide {
                        ui.label(
                            RichText::new(person.stage.label())
                                .size(style::TEXT_SMALL)
                                .color(ui.visuals().weak_text_color()),
                        );
                    }
                });
            });
        }
    });
}

fn table_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    list: &mut PeopleListState,
    selected: Option<PersonId>,
    commands: &mut Vec<Command>,
) {
    let columns = list.columns.clone();
    // Wider than the panel: the table scrolls sideways.
    egui::ScrollArea::horizontal()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            table_body_ui(ui, view_ctx, list, &columns, selected, commands)
        });
}

fn table_body_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    list: &mut PeopleListState,
    columns: &Columns,
    selected: Option<PersonId>,
    commands: &mut Vec<Command>,
) {
    use egui_extras::{Column, TableBuilder};
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .column(Column::initial(140.0).at_least(60.0).clip(true));
    if columns.organization {
        table = table.column(Column::initial(110.0).clip(true));
    }
    if columns.stage {
        table = table.column(Column::initial(80.0));
    }
    if columns.last_contact {
        table = table.column(Column::initial(60.0));
    }
    if columns.interests {
        table = table.column(Column::remainder().clip(true));
    }
    let mut new_sort = None;
    table
        .header(20.0, |mut header| {
            header.col(|ui| {
                if ui.button("Name").clicked() {
                    new_sort = Some(SortBy::Name);
                }
            });
            if columns.organization {
                header.col(|ui| {
                    ui.strong("Organization");
                });
            }
            if columns.stage {
                header.col(|ui| {
                    if ui.button("Stage").clicked() {
                        new_sort = Some(SortBy::Stage);
                    }
                });
            }
            if columns.last_contact {
                header.col(|ui| {
                    if ui.button("Last").clicked() {
                        new_sort = Some(SortBy::LastContact);
                    }
                });
            }
            if columns.interests {
                header.col(|ui| {
                    ui.strong("Interests");
                });
            }
        })
        .body(|body| {
            body.rows(20.0, list.rows.len(), |mut row| {
                let id = list.rows[row.index()];
                let Some(person) = view_ctx.model.people.get(&id) else {
                    return;
                };
                row.set_selected(selected == Some(id));
                row.col(|ui| {
                    ui.label(&person.name);
                });
                if columns.organization {
                    row.col(|ui| {
                        ui.label(&person.organization);
                    });
                }
                if columns.stage {
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            let size = egui::vec2(
                                2.0 * style::CHIP_MARKER_RADIUS,
                                ui.spacing().interact_size.y,
                            );
                            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                            style::paint_stage_marker(
                                ui.painter(),
                                rect.center(),
                                style::CHIP_MARKER_RADIUS,
                                person.stage,
                            );
                            ui.label(person.stage.label());
                        });
                    });
                }
                if columns.last_contact {
                    row.col(|ui| {
                        match view_ctx
                            .insight
                            .stats(id)
                            .days_since_contact(view_ctx.today)
                        {
                            Some(days) => ui.label(days_ago(days)),
                            None => ui.weak("never"),
                        };
                    });
                }
                if columns.interests {
                    row.col(|ui| {
                        ui.label(person.interests.join(", "));
                    });
                }
                if row.response().clicked() {
                    commands.push(Command::OpenPerson(id));
                }
            });
        });
    if let Some(sort) = new_sort {
        list.sort = sort;
    }
}
