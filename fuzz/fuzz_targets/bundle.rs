//! Fuzz the backup-bundle reader: any bytes are refused with a reason or
//! restored, never a panic, and nothing is unpacked outside its scratch
//! folder (entry names are checked before anything is written).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("kith-2026-01-01.bundle");
    if std::fs::write(&path, data).is_ok() {
        let _ = kith::storage::read_backup(&path);
    }
});
