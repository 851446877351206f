//! What kith remembers about its window between runs: the theme, the zoom,
//! the last view, the people list's sort and whether the side panel is
//! collapsed. eframe keeps them (with the window's size and position and
//! egui's memory, which holds the panel widths) in one file in the
//! platform's config folder (`~/.config/kith/ui.ron` on Linux), never in
//! the data folder, which kith would list as an unknown file and a sync
//! tool would copy.

use super::people_list::SortBy;
use super::{UiState, View};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The key of kith's preferences in eframe's storage.
pub const STORAGE_KEY: &str = "kith_prefs";
/// The name of the file eframe keeps its state in.
pub const FILE_NAME: &str = "ui.ron";
/// The zoom factors kith accepts back (anything else is ignored).
const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.5..=3.0;

/// The theme the user picked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl From<egui::ThemePreference> for Theme {
    fn from(preference: egui::ThemePreference) -> Self {
        match preference {
            egui::ThemePreference::System => Theme::System,
            egui::ThemePreference::Light => Theme::Light,
            egui::ThemePreference::Dark => Theme::Dark,
        }
    }
}

impl From<Theme> for egui::ThemePreference {
    fn from(theme: Theme) -> Self {
        match theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// The remembered UI preferences. Every field has a default, so a file
/// from an older or newer kith still loads what it can.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Light, dark or the system's.
    pub theme: Theme,
    /// egui's zoom factor (Ctrl + and Ctrl -).
    pub zoom: f32,
    /// The central view, by name (a view that no longer exists is ignored).
    pub view: String,
    /// The people list's order, by name.
    pub sort: String,
    /// The side panel (people list) is collapsed.
    pub side_panel_hidden: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            zoom: 1.0,
            view: format!("{:?}", View::default()),
            sort: format!("{:?}", SortBy::default()),
            side_panel_hidden: false,
        }
    }
}

impl Prefs {
    /// The preferences as the app has them now.
    pub fn capture(ctx: &egui::Context, state: &UiState) -> Self {
        Self {
            theme: ctx.options(|o| o.theme_preference).into(),
            zoom: ctx.zoom_factor(),
            view: format!("{:?}", state.view),
            sort: format!("{:?}", state.people.sort),
            side_panel_hidden: state.side_panel_hidden,
        }
    }

    /// Put the preferences back (what does not parse is left as it is).
    pub fn restore(&self, ctx: &egui::Context, state: &mut UiState) {
        ctx.set_theme(egui::ThemePreference::from(self.theme));
        if ZOOM_RANGE.contains(&self.zoom) {
            ctx.set_zoom_factor(self.zoom);
        }
        self.restore_state(state);
    }

    /// The part of [`Prefs::restore`] that is UI state, not egui's.
    fn restore_state(&self, state: &mut UiState) {
        if let Some(view) = View::ALL
            .into_iter()
            .find(|v| format!("{v:?}") == self.view)
        {
            state.view = view;
        }
        if let Some(sort) = [SortBy::Name, SortBy::LastContact, SortBy::Stage]
            .into_iter()
            .find(|s| format!("{s:?}") == self.sort)
        {
            state.people.sort = sort;
        }
        state.side_panel_hidden = self.side_panel_hidden;
    }
}

/// Where eframe keeps kith's UI state: `ui.ron` in the platform's config
/// folder, or, should that lie inside the data folder in use (`--data` can
/// point anywhere), in the cache folder, then the temporary folder. None
/// when every candidate lies inside the data folder.
///
/// Always pass the answer to `NativeOptions::persistence_path`: without it
/// eframe writes to the data directory of the app id, which on Linux is
/// kith's default data folder.
pub fn persistence_path(data_dir: &Path) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "kith", "kith");
    let candidates = [
        dirs.as_ref().map(|d| d.config_dir().to_path_buf()),
        dirs.as_ref().map(|d| d.cache_dir().to_path_buf()),
        Some(std::env::temp_dir().join("kith")),
    ];
    choose_path(candidates.into_iter().flatten(), data_dir)
}

/// The first of `folders` outside `data_dir`, with the file name.
fn choose_path(folders: impl IntoIterator<Item = PathBuf>, data_dir: &Path) -> Option<PathBuf> {
    folders
        .into_iter()
        .find(|folder| !is_inside(folder, data_dir))
        .map(|folder| folder.join(FILE_NAME))
}

/// Whether `path` is `dir` or lies under it (comparing the real paths of
/// the parts that exist, so links and `..` do not hide it).
fn is_inside(path: &Path, dir: &Path) -> bool {
    real_path(path).starts_with(real_path(dir))
}

/// The path with its longest existing prefix resolved.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(real, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_round_trip_through_ron() {
        let prefs = Prefs {
            theme: Theme::Dark,
            zoom: 1.25,
            view: "Activity".into(),
            sort: "LastContact".into(),
            side_panel_hidden: true,
        };
        let text = ron::to_string(&prefs).expect("serialises");
        let back: Prefs = ron::from_str(&text).expect("parses");
        assert_eq!(back, prefs);
    }

    #[test]
    fn missing_and_unknown_fields_keep_defaults() {
        let back: Prefs = ron::from_str("(zoom: 2.0)").expect("parses");
        assert_eq!(back.zoom, 2.0);
        assert_eq!(back.theme, Theme::System);
        assert!(!back.side_panel_hidden);
        let mut state = UiState::default();
        Prefs {
            view: "NoSuchView".into(),
            sort: "Stage".into(),
            ..Prefs::default()
        }
        .restore_state(&mut state);
        assert_eq!(state.view, View::default());
        assert_eq!(state.people.sort, SortBy::Stage);
    }

    #[test]
    fn restore_puts_back_view_sort_and_panel() {
        let mut state = UiState::default();
        Prefs {
            theme: Theme::Light,
            zoom: 1.0,
            view: format!("{:?}", View::Interests),
            sort: "Stage".into(),
            side_panel_hidden: true,
        }
        .restore_state(&mut state);
        assert_eq!(state.view, View::Interests);
        assert_eq!(state.people.sort, SortBy::Stage);
        assert!(state.side_panel_hidden);
    }

    #[test]
    fn persistence_path_is_outside_the_data_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = temp.path().join("data");
        std::fs::create_dir_all(&data).expect("data dir");
        let path = persistence_path(&data).expect("a path");
        assert!(!is_inside(&path, &data), "{path:?} inside {data:?}");
        assert!(path.ends_with(FILE_NAME));
        // The default data folder and the config folder never coincide.
        if let Some(default_data) = crate::storage::default_data_dir() {
            let path = persistence_path(&default_data).expect("a path");
            assert!(!is_inside(&path, &default_data));
        }
    }

    #[test]
    fn a_data_folder_over_the_config_folder_moves_the_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        let config = temp.path().join("config").join("kith");
        let cache = temp.path().join("cache");
        // --data pointing at (a parent of) the config folder.
        let chosen = choose_path([config.clone(), cache.clone()], &temp.path().join("config"));
        assert_eq!(chosen, Some(cache.join(FILE_NAME)));
        let chosen = choose_path([config.clone()], &config);
        assert_eq!(chosen, None);
        let elsewhere = choose_path([config.clone()], &temp.path().join("data"));
        assert_eq!(elsewhere, Some(config.join(FILE_NAME)));
        // A link to the data folder is the data folder.
        #[cfg(unix)]
        {
            let data = temp.path().join("data");
            std::fs::create_dir_all(&data).expect("data dir");
            let link = temp.path().join("link");
            std::os::unix::fs::symlink(&data, &link).expect("link");
            assert_eq!(choose_path([link.join("kith")], &data), None);
        }
    }
}
