//! Writes the demo network in every export format into a folder, for the
//! independent validators in `.ci/validate_exports.sh`. With `--corpus`,
//! it also imports every file of a corpus folder (vcf/ and csv/) and writes
//! each one's exports into a folder of its own.
//!
//! Run: `cargo run --example export_demo -- OUT_DIR [--corpus CORPUS_DIR]`

use kith::exchange::{export, vcard};
use kith::model::Model;
use std::path::{Path, PathBuf};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(
        args.get(1)
            .ok_or_else(|| anyhow::anyhow!("usage: export_demo OUT_DIR [--corpus DIR]"))?,
    );
    std::fs::create_dir_all(&out)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut model = kith::storage::format::demo_model(today)?;
    // A few hostile values, so the validators see escaping at work.
    if let Some(person) = model.people.values_mut().next() {
        person.notes = "=HYPERLINK(\"http://evil\"); a, b\\c\nsecond line é (the vcard validator accepts only Latin-1 code points)".into();
        person.tags.push("+plus".into());
    }
    // A card that tries to forge another: its name, note and link must come
    // back as text of this one card in every parser.
    if let Some(person) = model.people.values_mut().nth(1) {
        let forged = "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected";
        person.name = format!("Forger{forged}");
        person.notes = format!("note{forged}");
        person.links = vec![format!("https://example.org/{forged}").into()];
    }
    write_all(&model, &out.join("demo"), today)?;
    if let Some(corpus) = args
        .iter()
        .position(|a| a == "--corpus")
        .and_then(|i| args.get(i + 1))
    {
        for kind in ["vcf", "csv"] {
            let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(corpus).join(kind))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            for file in files {
                let bytes = std::fs::read(&file)?;
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let preview =
                    kith::exchange::ImportPreview::build(&name, &bytes, &Model::default())
                        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
                let mut imported = Model::default();
                for item in &preview.incoming {
                    imported.people.insert(item.person.id, item.person.clone());
                }
                write_all(&imported, &out.join(format!("corpus-{name}")), today)?;
            }
        }
    }
    Ok(())
}

/// Every export of one model into `out`, with the counts the validators expect.
fn write_all(model: &Model, out: &Path, today: chrono::NaiveDate) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)?;
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
        export::follow_ups_ics(model, None, stamp),
    )?;
    std::fs::write(out.join("people.txt"), people.len().to_string())?;
    let consented = people
        .iter()
        .filter(|p| p.newsletter.is_yes() && !p.emails.is_empty())
        .count();
    std::fs::write(out.join("consented.txt"), consented.to_string())?;
    let events = people
        .iter()
        .flat_map(|p| &p.dates)
        .filter(|d| d.date.month.is_some() && d.date.day.is_some())
        .count();
    std::fs::write(out.join("events.txt"), events.to_string())?;
    let todos = model
        .interactions
        .values()
        .filter(|i| i.follow_up.is_some() && !i.follow_up_done)
        .count();
    std::fs::write(out.join("todos.txt"), todos.to_string())?;
    println!(
        "wrote exports of {} people to {}",
        people.len(),
        out.display()
    );
    Ok(())
}
