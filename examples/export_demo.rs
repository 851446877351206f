//! Writes the demo network in every export format into a folder, for the
//! independent validators in `.ci/validate_exports.sh`.
//!
//! Run: `cargo run --example export_demo -- OUT_DIR`

use kith::exchange::{export, vcard};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or_else(|| anyhow::anyhow!("usage: export_demo OUT_DIR"))?,
    );
    std::fs::create_dir_all(&out)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut model = kith::storage::format::demo_model(today)?;
    // A few hostile values, so the validators see escaping at work.
    if let Some(person) = model.people.values_mut().next() {
        person.notes = "=HYPERLINK(\"http://evil\"); a, b\\c\nsecond line é (the vcard validator accepts only Latin-1 code points)".into();
        person.tags.push("+plus".into());
    }
    let people: Vec<_> = model.live_people().collect();
    std::fs::write(
        out.join("export.vcf"),
        vcard::write_cards(people.iter().copied(), vcard::VcardVersion::V4),
    )?;
    std::fs::write(
        out.join("export3.vcf"),
        vcard::write_cards(people.iter().copied(), vcard::VcardVersion::V3),
    )?;
    std::fs::write(
        out.join("export.csv"),
        export::google_csv(people.iter().copied()).map_err(anyhow::Error::msg)?,
    )?;
    std::fs::write(
        out.join("newsletter.csv"),
        export::newsletter_csv(people.iter().copied(), &Default::default())
            .map_err(anyhow::Error::msg)?,
    )?;
    let stamp = today.and_hms_opt(12, 0, 0).unwrap_or_default();
    std::fs::write(
        out.join("followups.ics"),
        export::follow_ups_ics(&model, None, stamp),
    )?;
    std::fs::write(out.join("people.txt"), people.len().to_string())?;
    let consented = people
        .iter()
        .filter(|p| p.newsletter.is_yes() && !p.emails.is_empty())
        .count();
    std::fs::write(out.join("consented.txt"), consented.to_string())?;
    println!(
        "wrote exports of {} people to {}",
        people.len(),
        out.display()
    );
    Ok(())
}
