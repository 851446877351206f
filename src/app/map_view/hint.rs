//! The map's giving hint: the people who could help the focused (else the
//! hovered) person get a soft green ring, and the hover card says what
//! they could help with.

use super::super::person_help::{first_name, need_in_sentence};
use super::super::{ViewCtx, style};
use crate::insight::Helper;
use crate::model::PersonId;
use chrono::NaiveDate;
use egui::{Painter, Pos2, Stroke, Ui};

/// Who could help whom, for the person the map is about.
#[derive(Clone, Debug, Default)]
pub(super) struct HelperHint {
    /// The person, the model revision and the day the helpers are for.
    key: Option<(PersonId, u64, NaiveDate)>,
    /// Their first name, for the hover card.
    first: String,
    /// People in the network who could help: who, and with what.
    helpers: Vec<(PersonId, String)>,
    /// "Raj Patel: a bookkeeper", one per helper, for the hover card.
    named: Vec<String>,
}

impl HelperHint {
    /// Find the helpers of `target` (once per person, revision and day).
    pub(super) fn update(&mut self, view_ctx: &ViewCtx<'_>, target: Option<PersonId>) {
        let Some(target) = target else {
            *self = HelperHint::default();
            return;
        };
        let key = (target, view_ctx.revision, view_ctx.today);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.first = view_ctx
            .model
            .people
            .get(&target)
            .map(|p| first_name(p).to_string())
            .unwrap_or_default();
        self.helpers.clear();
        self.named.clear();
        for m in view_ctx.insight.helpers_for(
            view_ctx.model,
            target,
            view_ctx.today,
            style::MAP_HELPERS * 2,
        ) {
            if let Helper::Person(helper) = m.helper
                && !self.helpers.iter().any(|(p, _)| *p == helper)
                && self.helpers.len() < style::MAP_HELPERS
            {
                self.named.push(format!(
                    "{}: {}",
                    view_ctx.model.person_name(helper),
                    need_in_sentence(&m.need)
                ));
                self.helpers.push((helper, m.need));
            }
        }
    }

    /// The people ringed, with the need each could help with.
    pub(super) fn helpers(&self) -> &[(PersonId, String)] {
        &self.helpers
    }

    /// A soft ring around a helper's node at `center` (node radius `radius`).
    pub(super) fn paint_ring(painter: &Painter, center: Pos2, radius: f32, dark: bool) {
        painter.circle_stroke(
            center,
            radius + style::MAP_HIGHLIGHT_WIDTH + style::MAP_HELPER_RING_GAP,
            Stroke::new(style::MAP_HELPER_RING, style::map_helper_ring(dark)),
        );
    }

    /// The hover card's line for `person`: "Could help Dana with a
    /// bookkeeper", or, on the person helped, who could help them.
    pub(super) fn card_ui(&self, ui: &mut Ui, person: PersonId) {
        let Some((target, _, _)) = self.key else {
            return;
        };
        if person == target {
            if !self.helpers.is_empty() {
                ui.label(format!("Who could help {}:", self.first));
                for line in &self.named {
                    ui.label(line);
                }
                ui.label(style::caption_text(ui, "Ringed in green on the map"));
            }
        } else if let Some((_, need)) = self.helpers.iter().find(|(p, _)| *p == person) {
            ui.label(format!(
                "Could help {} with {}",
                self.first,
                need_in_sentence(need)
            ));
        }
    }
}
