//! Import speed: parse N vCards with kith, for comparison with python-vobject.
//!
//! `cargo run --release --example vcard_speed -- write FILE [N]` writes N
//! deterministic synthetic vCards (3.0, folded, escaped, with groups);
//! `cargo run --release --example vcard_speed -- time FILE [RUNS]` prints the
//! median seconds kith takes to read them into contacts.
//! `benches/vcard_vs_vobject.sh` runs both sides and prints the ratio.

use kith::exchange::vcard::{VcardVersion, write_cards};
use kith::synth::{SynthParams, generate};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = || anyhow::anyhow!("usage: vcard_speed write FILE [N] | time FILE [RUNS]");
    let mode = args.get(1).ok_or_else(usage)?;
    let file = args.get(2).ok_or_else(usage)?;
    match mode.as_str() {
        "write" => {
            let count: usize = args
                .get(3)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(10_000);
            let params = SynthParams {
                interactions: 0,
                ..SynthParams::scale(count)
            };
            let mut model = generate(&params);
            for (i, person) in model.people.values_mut().enumerate() {
                person.notes =
                    format!("Met at event {i}; talked about jobs, kids\nand \"sailing\".");
                person
                    .phones
                    .push(format!("+1 617 555 {:04}", i % 10_000).into());
                person
                    .extra
                    .push(("item1.X-ABLABEL".into(), "_$!<HomePage>!$_".into()));
                person
                    .links
                    .push(format!("https://example.com/people/{i}").into());
            }
            let text = write_cards(model.people.values(), VcardVersion::V3);
            std::fs::write(file, text)?;
            println!("wrote {count} cards to {file}");
        }
        "time" => {
            let runs: usize = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(7);
            let bytes = std::fs::read(file)?;
            let mut times = Vec::new();
            let mut count = 0;
            for _ in 0..runs {
                let start = Instant::now();
                let (_, incoming, _) = kith::exchange::read_contacts(&bytes)?;
                times.push(start.elapsed().as_secs_f64());
                count = incoming.len();
            }
            times.sort_by(f64::total_cmp);
            println!("{count} {:.6}", times[times.len() / 2]);
        }
        _ => return Err(usage()),
    }
    Ok(())
}
