//! Chip entry: a caption, the chips with remove buttons, and one field that
//! adds a chip on Enter, comma or Tab and keeps the cursor, so the next one
//! can be typed at once. Suggestions (from the insight index) are picked
//! with Up/Down and taken with Enter or Tab, or clicked. Backspace in the
//! empty field removes the last chip.

use super::style;
use super::widgets::{form_row, removable_chip};
use egui::{EventFilter, Key, Modifiers, TextEdit, Ui};

/// What the chip field keeps between frames.
#[derive(Clone, Default)]
struct Memory {
    /// The suggestion picked with the arrow keys.
    highlight: Option<usize>,
    /// The text the highlight was picked for (a new text starts over).
    for_text: String,
}

/// The suggestions that fit what is typed (not yet chosen), best first.
pub fn matching<'a>(suggestions: &'a [String], items: &[String], typed: &str) -> Vec<&'a String> {
    let needle = typed.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    suggestions
        .iter()
        .filter(|s| {
            s.to_lowercase().contains(&needle) && !items.iter().any(|x| x.eq_ignore_ascii_case(s))
        })
        .take(style::SUGGESTION_ROWS)
        .collect()
}

/// Add `text` (trimmed) unless it is empty or already there (any case);
/// true when it was added.
pub fn add_chip(items: &mut Vec<String>, text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || items.iter().any(|x| x.eq_ignore_ascii_case(text)) {
        return false;
    }
    items.push(text.to_string());
    true
}

/// A caption, then chips with remove buttons, an add field and
/// autocomplete suggestions. Returns true when the chips changed.
pub fn chip_entry_ui(
    ui: &mut Ui,
    caption: &str,
    items: &mut Vec<String>,
    new_item: &mut String,
    suggestions: &[String],
) -> bool {
    let mut changed = false;
    form_row(ui, caption, |ui, label| {
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            // A fixed id: adding or removing a chip does not make it
            // another field, so the cursor stays in it.
            let field_id = ui.scope_id().with(("chip_field", caption));
            let memory_id = field_id.with("memory");
            let mut memory: Memory = ui.data(|d| d.get_temp(memory_id)).unwrap_or_default();
            if memory.for_text != *new_item {
                memory.highlight = None;
                memory.for_text = new_item.clone();
            }
            let mut remove = None;
            for (i, item) in items.iter().enumerate() {
                if removable_chip(ui, item) {
                    remove = Some(i);
                }
            }
            if let Some(i) = remove {
                items.remove(i);
                changed = true;
            }
            let matches = matching(suggestions, items, new_item);
            let focused = ui.memory(|m| m.has_focus(field_id));
            // The keys the field would act on are taken first, so it keeps
            // the focus (a single-line field gives it up on Enter).
            let mut take = None;
            let mut add_typed = false;
            let mut tab_taken = false;
            if focused {
                ui.input_mut(|input| {
                    if !matches.is_empty() {
                        let last = matches.len() - 1;
                        if input.consume_key(Modifiers::NONE, Key::ArrowDown) {
                            memory.highlight =
                                Some(memory.highlight.map_or(0, |h| (h + 1).min(last)));
                        }
                        if input.consume_key(Modifiers::NONE, Key::ArrowUp) {
                            memory.highlight = memory.highlight.and_then(|h| h.checked_sub(1));
                        }
                    }
                    let has_text = !new_item.trim().is_empty();
                    let enter = input.consume_key(Modifiers::NONE, Key::Enter);
                    let tab = has_text && input.consume_key(Modifiers::NONE, Key::Tab);
                    tab_taken = tab;
                    if enter || tab {
                        match memory.highlight.and_then(|h| matches.get(h)) {
                            Some(suggestion) => take = Some((*suggestion).clone()),
                            None => add_typed = true,
                        }
                    }
                    if new_item.is_empty()
                        && input.consume_key(Modifiers::NONE, Key::Backspace)
                        && items.pop().is_some()
                    {
                        changed = true;
                    }
                });
            }
            if tab_taken {
                // Typed in the same frame as the Tab: the focus would have
                // moved on already; it stays here.
                ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
            }
            let keep_tab = !new_item.trim().is_empty();
            let response = ui
                .add(
                    TextEdit::singleline(new_item)
                        .id(field_id)
                        .hint_text("add…")
                        .desired_width(style::CHIP_FIELD_WIDTH)
                        // Tab stays here while there is text to add.
                        .event_filter(EventFilter {
                            tab: keep_tab,
                            horizontal_arrows: true,
                            vertical_arrows: true,
                            escape: false,
                        }),
                )
                .labelled_by(label);
            // A comma ends a chip (typed or pasted: "a, b, c").
            if new_item.contains(',') {
                let text = std::mem::take(new_item);
                let mut parts: Vec<&str> = text.split(',').collect();
                let rest = parts.pop().unwrap_or_default();
                for part in parts {
                    changed |= add_chip(items, part);
                }
                *new_item = rest.trim_start().to_string();
            }
            if add_typed {
                changed |= add_chip(items, new_item);
                new_item.clear();
            }
            for (i, suggestion) in matches.iter().enumerate() {
                let picked = memory.highlight == Some(i);
                if ui
                    .selectable_label(picked, suggestion.as_str())
                    .on_hover_text("Enter or Tab takes the picked suggestion")
                    .clicked()
                {
                    take = Some((*suggestion).clone());
                    response.request_focus();
                }
            }
            if let Some(suggestion) = take {
                changed |= add_chip(items, &suggestion);
                new_item.clear();
            }
            if memory.for_text != *new_item {
                memory.highlight = None;
                memory.for_text = new_item.clone();
            }
            ui.data_mut(|d| d.insert_temp(memory_id, memory));
        });
    });
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chip_is_added_once_in_any_case() {
        let mut items = vec!["Hiking".to_string()];
        assert!(!add_chip(&mut items, "  hiking "));
        assert!(!add_chip(&mut items, "   "));
        assert!(add_chip(&mut items, " Chess "));
        assert_eq!(items, ["Hiking", "Chess"]);
    }

    #[test]
    fn suggestions_leave_out_what_is_chosen() {
        let suggestions: Vec<String> = ["Rust", "Trust law", "Rugby"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let items = vec!["rust".to_string()];
        let found: Vec<&String> = matching(&suggestions, &items, "ru");
        assert_eq!(found, ["Trust law", "Rugby"]);
        assert!(matching(&suggestions, &items, " ").is_empty());
    }
}
