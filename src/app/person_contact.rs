//! The contact half of the person view: labelled e-mails, phones and links
//! with a preferred star, and structured postal addresses.

use super::style;
use super::widgets::{add_button, form_row, remove_button, star_toggle};
use crate::model::{Address, Contact, Label};
use egui::{Id, Key, RichText, TextEdit, Ui};
use std::collections::BTreeSet;

/// Which list of the person a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// E-mail addresses.
    Email,
    /// Phone numbers.
    Phone,
    /// Web links.
    Link,
    /// Postal addresses.
    Address,
}

impl ListKind {
    /// The caption of the list ("E-mail").
    fn noun(self) -> &'static str {
        match self {
            ListKind::Email => "E-mail",
            ListKind::Phone => "Phone",
            ListKind::Link => "Link",
            ListKind::Address => "Address",
        }
    }

    /// The word inside a sentence ("e-mail").
    fn lower(self) -> &'static str {
        match self {
            ListKind::Email => "e-mail",
            ListKind::Phone => "phone",
            ListKind::Link => "link",
            ListKind::Address => "address",
        }
    }

    /// Placeholder of an empty value field.
    fn hint(self) -> &'static str {
        match self {
            ListKind::Email => "name@example.org",
            ListKind::Phone => "+1 555 0100",
            ListKind::Link => "https://",
            ListKind::Address => "",
        }
    }

    /// The labels its menu offers (phones have them all).
    fn labels(self) -> Vec<Label> {
        match self {
            ListKind::Phone => Label::BUILT_IN.to_vec(),
            _ => vec![Label::Unlabelled, Label::Home, Label::Work, Label::Other],
        }
    }
}

/// A label as its menu shows it.
fn label_text(label: &Label) -> &str {
    match label {
        Label::Unlabelled => "no label",
        Label::Custom(text) if text.trim().is_empty() => "custom",
        other => other.text(),
    }
}

/// Editing state of the contact rows that is not part of the person.
#[derive(Default)]
pub struct ContactState {
    /// The custom label being typed: list, row, text.
    custom: Option<(ListKind, usize, String)>,
    /// Put the cursor in this field on the next frame.
    focus: Option<Id>,
    /// The addresses whose fields are open.
    open_addresses: BTreeSet<usize>,
}

fn value_id(kind: ListKind, row: usize) -> Id {
    Id::unique(("contact_value", kind, row))
}

/// E-mails, phones or links as rows: label, value, preferred star, remove.
/// True when a change should be committed.
pub fn contacts_ui(
    ui: &mut Ui,
    kind: ListKind,
    list: &mut Vec<Contact>,
    state: &mut ContactState,
) -> bool {
    let mut changed = false;
    form_row(ui, kind.noun(), |ui, caption| {
        let any_preferred = list.iter().any(|c| c.preferred);
        let count = list.len();
        let mut remove = None;
        let mut prefer = None;
        for (row, contact) in list.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                let relabelled = label_picker(ui, kind, row, &mut contact.label, state);
                // A label on a row without a value is kept, not saved yet.
                changed |= relabelled && !contact.value.trim().is_empty();
                let reserved = 2.0 * (style::ICON_SIZE + ui.spacing().item_spacing.x);
                let width = (ui.available_width() - reserved)
                    .clamp(style::MIN_FIELD_WIDTH, style::FIELD_MAX_WIDTH);
                let id = value_id(kind, row);
                let response = ui
                    .add(
                        TextEdit::singleline(&mut contact.value)
                            .id(id)
                            .hint_text(kind.hint())
                            .desired_width(width),
                    )
                    .labelled_by(caption);
                if state.focus == Some(id) {
                    response.request_focus();
                    state.focus = None;
                }
                changed |= response.lost_focus();
                let noun = kind.lower();
                let primary = !any_preferred && row == 0 && count > 1;
                let hover = if contact.preferred {
                    format!("Preferred {noun}: used first. Click to unmark.")
                } else if primary {
                    format!("Used first while no {noun} is marked preferred. Click to mark it.")
                } else {
                    format!("Mark as the preferred {noun}")
                };
                if star_toggle(ui, contact.preferred, primary, &format!("Preferred {noun}"))
                    .on_hover_text(hover)
                    .clicked()
                {
                    prefer = Some(row);
                }
                if remove_button(ui, &format!("Remove {noun}")).clicked() {
                    remove = Some(row);
                }
            });
        }
        if let Some(row) = prefer {
            mark_preferred(list.iter_mut().map(|c| &mut c.preferred), row);
            changed |= list.get(row).is_some_and(|c| !c.value.trim().is_empty());
        }
        if let Some(row) = remove {
            list.remove(row);
            state.custom = None;
            changed = true;
        }
        if add_button(ui, &format!("Add {}", kind.lower())).clicked() {
            list.push(Contact::default());
            state.focus = Some(value_id(kind, list.len() - 1));
        }
    });
    changed
}

/// Mark `row` preferred and no other; clicking the preferred one again
/// unmarks it (the first is then used).
fn mark_preferred<'a>(flags: impl Iterator<Item = &'a mut bool>, row: usize) {
    let flags: Vec<&mut bool> = flags.collect();
    let was = flags.get(row).is_some_and(|f| **f);
    for (i, flag) in flags.into_iter().enumerate() {
        *flag = i == row && !was;
    }
}

/// The label menu of one row, or the field for a custom label while one is
/// typed. True when the label changed.
fn label_picker(
    ui: &mut Ui,
    kind: ListKind,
    row: usize,
    label: &mut Label,
    state: &mut ContactState,
) -> bool {
    let mut changed = false;
    let custom_id = Id::unique(("custom_label", kind, row));
    if let Some((k, r, text)) = &mut state.custom
        && *k == kind
        && *r == row
    {
        let response = ui
            .add(
                TextEdit::singleline(text)
                    .id(custom_id)
                    .hint_text("label")
                    .desired_width(style::CUSTOM_LABEL_WIDTH),
            )
            .accessible_name(format!("Custom {} label", kind.lower()));
        if state.focus == Some(custom_id) {
            response.request_focus();
            state.focus = None;
        }
        if response.lost_focus() {
            if !ui.input(|i| i.key_pressed(Key::Escape)) {
                let new = Label::from_text(text);
                changed = new != *label;
                *label = new;
            }
            state.custom = None;
        }
        return changed;
    }
    let mut start_custom = false;
    egui::ComboBox::from_id_salt(("label", kind, row))
        .selected_text(label_text(label))
        .width(style::LABEL_COMBO_WIDTH)
        .truncate()
        .height(style::MENU_HEIGHT)
        .show_ui(ui, |ui| {
            for option in kind.labels() {
                let text = label_text(&option).to_string();
                if ui.selectable_label(*label == option, text).clicked() && *label != option {
                    *label = option;
                    changed = true;
                }
            }
            ui.separator();
            let custom_now = matches!(label, Label::Custom(_));
            if ui.selectable_label(custom_now, "Custom…").clicked() {
                start_custom = true;
            }
        })
        .response
        .accessible_name(format!("{} label", kind.noun()));
    if start_custom {
        let text = match label {
            Label::Custom(text) => text.clone(),
            _ => String::new(),
        };
        state.custom = Some((kind, row, text));
        state.focus = Some(custom_id);
    }
    changed
}

fn street_id(row: usize) -> Id {
    Id::unique(("address_street", row))
}

/// Postal addresses as cards: label, preferred star, the address as lines,
/// and its fields when opened. True when a change should be committed.
pub fn addresses_ui(ui: &mut Ui, list: &mut Vec<Address>, state: &mut ContactState) -> bool {
    let mut changed = false;
    form_row(ui, ListKind::Address.noun(), |ui, _caption| {
        let any_preferred = list.iter().any(|a| a.preferred);
        let count = list.len();
        let mut remove = None;
        let mut prefer = None;
        for (row, address) in list.iter_mut().enumerate() {
            let open = state.open_addresses.contains(&row) || address.is_empty();
            style::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    let relabelled =
                        label_picker(ui, ListKind::Address, row, &mut address.label, state);
                    changed |= relabelled && !address.is_empty();
                    let primary = !any_preferred && row == 0 && count > 1;
                    if star_toggle(ui, address.preferred, primary, "Preferred address")
                        .on_hover_text(if address.preferred {
                            "Preferred address. Click to unmark."
                        } else {
                            "Mark as the preferred address"
                        })
                        .clicked()
                    {
                        prefer = Some(row);
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if remove_button(ui, "Remove address").clicked() {
                            remove = Some(row);
                        }
                        let toggle = if open { "Done" } else { "Edit" };
                        if ui.small_button(toggle).clicked() {
                            if open {
                                state.open_addresses.remove(&row);
                            } else {
                                state.open_addresses.insert(row);
                                state.focus = Some(street_id(row));
                            }
                        }
                    });
                });
                if open {
                    changed |= address_fields(ui, row, address, &mut state.focus);
                } else {
                    for line in address.lines() {
                        ui.label(line);
                    }
                }
            });
        }
        if let Some(row) = prefer {
            mark_preferred(list.iter_mut().map(|a| &mut a.preferred), row);
            changed |= list.get(row).is_some_and(|a| !a.is_empty());
        }
        if let Some(row) = remove {
            list.remove(row);
            state.open_addresses = state
                .open_addresses
                .iter()
                .filter(|i| **i != row)
                .map(|i| if *i > row { i - 1 } else { *i })
                .collect();
            state.custom = None;
            changed = true;
        }
        if add_button(ui, "Add address").clicked() {
            list.push(Address::default());
            state.open_addresses.insert(list.len() - 1);
            state.focus = Some(street_id(list.len() - 1));
        }
    });
    changed
}

/// The fields of one address, captions above them, two to a line where
/// they fit. True when one lost focus.
fn address_fields(ui: &mut Ui, row: usize, address: &mut Address, focus: &mut Option<Id>) -> bool {
    let spacing = ui.spacing().item_spacing.x;
    let full = ui.available_width();
    let half = ((full - spacing) / 2.0).max(style::MIN_FIELD_WIDTH / 2.0);
    let third = ((full - 2.0 * spacing) / 3.0).max(style::MIN_FIELD_WIDTH / 2.0);
    let mut changed = false;
    let mut field = |ui: &mut Ui, caption: &str, text: &mut String, width: f32, id: Id| {
        ui.vertical(|ui| {
            ui.set_width(width);
            let label = ui.label(RichText::new(caption).small().weak());
            let response = ui
                .add(TextEdit::singleline(text).id(id).desired_width(width))
                .labelled_by(label.id);
            if *focus == Some(id) {
                response.request_focus();
                *focus = None;
            }
            changed |= response.lost_focus();
        });
    };
    let id = |part: &str| Id::unique(("address", row, part.to_string()));
    field(ui, "Street", &mut address.street, full, street_id(row));
    ui.horizontal(|ui| {
        field(
            ui,
            "Apartment, suite",
            &mut address.extended,
            half,
            id("extended"),
        );
        field(ui, "PO box", &mut address.po_box, half, id("po_box"));
    });
    ui.horizontal(|ui| {
        field(ui, "Postcode", &mut address.postcode, third, id("postcode"));
        field(
            ui,
            "City",
            &mut address.locality,
            full - third - spacing,
            id("city"),
        );
    });
    ui.horizontal(|ui| {
        field(ui, "Region", &mut address.region, half, id("region"));
        field(ui, "Country", &mut address.country, half, id("country"));
    });
    changed
}
