//! The introduction composer: "Introduce" anywhere opens it pre-filled
//! with the two people and a reason. Nothing is written before Save; Esc or
//! Cancel closes it and records nothing.

use super::style;
use super::{Command, ViewCtx};
use crate::model::PersonId;
use egui::Key;

/// What the open composer holds.
struct Draft {
    /// The first person.
    a: Option<PersonId>,
    /// The second person.
    b: Option<PersonId>,
    /// Why they should meet.
    reason: String,
}

/// State of the composer: closed, or open with what is typed.
#[derive(Default)]
pub struct IntroComposerState {
    draft: Option<Draft>,
}

impl IntroComposerState {
    /// Open the composer for `a` and `b` with `reason` (replacing a draft
    /// that was open).
    pub fn open(&mut self, a: PersonId, b: PersonId, reason: String) {
        self.draft = Some(Draft {
            a: Some(a),
            b: Some(b),
            reason,
        });
    }
}

/// Draw the composer while it is open.
pub fn ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut IntroComposerState,
    _commands: &mut [Command],
) {
    let Some(draft) = state.draft.as_mut() else {
        return;
    };
    let mut close = false;
    let id = egui::Id::unique("intro_composer");
    egui::Modal::new(id).show(ctx, |ui| {
        ui.set_max_width(style::FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0));
        ui.heading("Introduce");
        let name = |id: Option<PersonId>| {
            id.and_then(|id| view_ctx.model.people.get(&id))
                .map_or_else(|| "Someone".to_string(), |p| p.name.clone())
        };
        ui.label(format!("{} and {}", name(draft.a), name(draft.b)));
        ui.text_edit_multiline(&mut draft.reason);
        close |= ui.button("Cancel").clicked();
    });
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        close = true;
    }
    if close {
        state.draft = None;
    }
}
