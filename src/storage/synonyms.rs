//! The user's own synonym groups: `synonyms.ron` at the top of the data
//! folder, merged over kith's bundled table (`assets/synonyms.ron`, whose
//! header documents the format).
//!
//! kith reads this file and never writes it. It is read like every data
//! file (never through a symbolic link, capped, UTF-8); a file that cannot
//! be read or parsed is reported by name, and the bundled table is used
//! meanwhile. It is read when the folder is opened: a change made while
//! kith runs takes effect the next time the folder is opened.

use super::LoadProblem;
use super::format::ParseError;
use super::guard::read_regular;
use crate::insight::Synonyms;
use std::fs;
use std::path::Path;

/// The user's synonyms file, at the top of the data folder.
pub const SYNONYMS_FILE: &str = "synonyms.ron";

/// The most a synonyms file may hold (a table of thousands of groups is a
/// few hundred kilobytes).
const SYNONYMS_FILE_CAP: u64 = 1 << 20;

/// The synonym table for the folder at `root`: the bundled groups plus the
/// user's file when there is one, and the problem with that file if it
/// could not be used.
pub fn load_synonyms(root: &Path) -> (Synonyms, Option<LoadProblem>) {
    let path = root.join(SYNONYMS_FILE);
    // A link or a FIFO here is read (and refused) too, so it is reported.
    if fs::symlink_metadata(&path).is_err() {
        return (Synonyms::bundled(), None);
    }
    let outcome = read_regular(&path, SYNONYMS_FILE_CAP)
        .map_err(|refused| ParseError::plain(refused.to_string()))
        .and_then(|(bytes, _)| super::text_of(bytes))
        .and_then(|text| Synonyms::parse(&text).map_err(ParseError::from));
    match outcome {
        Ok(groups) => (Synonyms::with_user(groups), None),
        Err(error) => (Synonyms::bundled(), Some(LoadProblem { path, error })),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn no_file_is_the_bundled_table() {
        let dir = tempfile::tempdir().unwrap();
        let (synonyms, problem) = load_synonyms(dir.path());
        assert!(problem.is_none());
        assert_eq!(synonyms, Synonyms::bundled());
    }

    #[test]
    fn the_users_groups_extend_the_bundled_ones() {
        let dir = tempfile::tempdir().unwrap();
        let text = "// mine\n[\n    [\"cpa\", \"number cruncher\"],\n    [\"barista\", \"coffee maker\"],\n]\n";
        fs::write(dir.path().join(SYNONYMS_FILE), text).unwrap();
        let (synonyms, problem) = load_synonyms(dir.path());
        assert!(problem.is_none());
        assert!(synonyms.same("number cruncher", "bookkeeper"));
        assert!(synonyms.same("Baristas", "coffee maker"));
        assert!(synonyms.same("lawyer", "attorney"));
    }

    #[test]
    fn a_broken_file_is_reported_by_name_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SYNONYMS_FILE);
        fs::write(&path, "[[\"cpa\", \"number cruncher\"").unwrap();
        let (synonyms, problem) = load_synonyms(dir.path());
        let problem = problem.unwrap();
        assert_eq!(problem.path, path);
        assert_eq!(synonyms, Synonyms::bundled());
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[[\"cpa\", \"number cruncher\""
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.ron");
        fs::write(&target, "[[\"cpa\", \"number cruncher\"]]").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(SYNONYMS_FILE)).unwrap();
        let (synonyms, problem) = load_synonyms(dir.path());
        assert!(problem.is_some());
        assert!(!synonyms.same("number cruncher", "bookkeeper"));
    }

    #[test]
    fn the_folder_loader_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(SYNONYMS_FILE),
            "[[\"cpa\", \"number cruncher\"]]",
        )
        .unwrap();
        let loaded = crate::storage::load_folder(dir.path()).unwrap();
        assert!(loaded.problems.is_empty());
        assert!(loaded.unknown_files.is_empty());
        assert!(loaded.model.synonyms.same("number cruncher", "accountant"));
        fs::write(dir.path().join(SYNONYMS_FILE), "not ron").unwrap();
        let loaded = crate::storage::load_folder(dir.path()).unwrap();
        assert_eq!(loaded.problems.len(), 1);
        assert!(loaded.problems[0].path.ends_with(SYNONYMS_FILE));
    }
}
