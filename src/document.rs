//! A [`Model`] with its undo/redo history and the set of records changed since
//! the last save. The app and the CLI both change data through a `Document`.

use crate::action::{Action, ActionError, Touched};
use crate::model::Model;

/// How many undo steps are kept.
const UNDO_LIMIT: usize = 500;

/// The model plus undo/redo stacks and a change feed.
#[derive(Debug, Default)]
pub struct Document {
    model: Model,
    undo: Vec<Action>,
    redo: Vec<Action>,
    /// Records touched since the consumer last drained them (storage, insight).
    pending: Vec<Touched>,
    /// Bumped on every change; views cache on it.
    revision: u64,
}

/// Apply the top action of `from`, pushing its inverse onto `to`. On error the
/// action goes back onto `from` and the model is unchanged. Returns what was
/// touched, or None when `from` is empty.
fn step(
    model: &mut Model,
    from: &mut Vec<Action>,
    to: &mut Vec<Action>,
) -> Result<Option<Vec<Touched>>, ActionError> {
    let Some(action) = from.pop() else {
        return Ok(None);
    };
    match model.apply(action.clone()) {
        Ok(applied) => {
            to.push(applied.inverse);
            Ok(Some(applied.touched))
        }
        Err(error) => {
            from.push(action);
            Err(error)
        }
    }
}

impl Document {
    /// Wrap a loaded model, with empty history.
    pub fn new(model: Model) -> Self {
        Self {
            model,
            ..Default::default()
        }
    }

    /// Read-only access to the model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// A counter that changes whenever the model does.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Apply a user action: it becomes one undo step and clears redo.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        let applied = self.model.apply(action)?;
        self.undo.push(applied.inverse);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.record(applied.touched);
        Ok(())
    }

    /// Undo the last step. Returns false when there is nothing to undo.
    pub fn undo(&mut self) -> Result<bool, ActionError> {
        let Self {
            model, undo, redo, ..
        } = self;
        let touched = step(model, undo, redo)?;
        Ok(touched.map(|t| self.record(t)).is_some())
    }

    /// Redo the last undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self) -> Result<bool, ActionError> {
        let Self {
            model, undo, redo, ..
        } = self;
        let touched = step(model, redo, undo)?;
        Ok(touched.map(|t| self.record(t)).is_some())
    }

    /// Label of the step `undo` would revert.
    pub fn undo_label(&self) -> Option<String> {
        self.undo.last().map(Action::label)
    }

    /// Label of the step `redo` would re-apply.
    pub fn redo_label(&self) -> Option<String> {
        self.redo.last().map(Action::label)
    }

    fn record(&mut self, touched: Vec<Touched>) {
        self.revision += 1;
        self.pending.extend(touched);
    }

    /// Take the records changed since the last call.
    pub fn take_changes(&mut self) -> Vec<Touched> {
        std::mem::take(&mut self.pending)
    }

    /// True when changes are waiting to be taken.
    pub fn has_changes(&self) -> bool {
        !self.pending.is_empty()
    }
}
