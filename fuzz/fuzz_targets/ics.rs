//! Fuzz the calendar reader with the writer as the oracle: any text is read
//! or refused without a panic, and a follow-up written with any note and
//! names reads back due on its day, not completed.
#![no_main]

use chrono::{NaiveDate, TimeZone, Utc};
use kith::model::{Interaction, InteractionKind};
use kith::sync::calendar::{essence, follow_up_todo, read_components, read_todo, read_uid};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = read_components(&text);
    let _ = read_todo(&text);
    let _ = read_uid(&text);
    let _ = essence(&text);
    let (Some(day), Some(stamp)) = (
        NaiveDate::from_ymd_opt(2026, 12, 2),
        Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).single(),
    ) else {
        return;
    };
    let middle = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i >= text.len() / 2)
        .unwrap_or(text.len());
    let (names, note) = text.split_at(middle);
    let mut interaction = Interaction::new(day, InteractionKind::Coffee, Vec::new());
    interaction.note = note.to_string();
    interaction.follow_up = Some(day);
    let written = follow_up_todo(&interaction, names, stamp);
    let state = read_todo(&written).expect("a written follow-up reads back");
    assert_eq!(state.due, Some(day), "{written}");
    assert!(!state.completed, "{written}");
});
