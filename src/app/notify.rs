//! Desktop notifications for what is due today (follow-ups, birthdays and
//! other dates), once a day while kith runs: on the first frame after the
//! data loaded, and again when the date changes. The "already notified on
//! day D" mark lives in egui's persisted memory, which eframe keeps in the
//! platform config folder (so it is per machine, never in the data folder).
//! Notifications are sent on a helper thread; a failure is shown once as a
//! toast. They are off until the binary turns them on ([`NotifyState::enable`]),
//! so tests and in-memory apps never send any, and the user can turn them
//! off in the You view (`Settings::notifications`).

use super::{Command, ToastKind, ViewCtx};
use crate::insight::due_today::{due_today, notification_text};
use chrono::NaiveDate;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Where the day last notified is kept in egui's persisted memory.
const NOTIFIED_KEY: &str = "kith_notified_on";

/// The notifier's state.
#[derive(Default)]
pub struct NotifyState {
    enabled: bool,
    /// The day checked last (so the work happens once a day, not per frame).
    checked: Option<NaiveDate>,
    sending: Option<Receiver<Result<(), String>>>,
    failure_shown: bool,
}

impl NotifyState {
    /// Let this app send desktop notifications (the kith binary does; tests
    /// and previews never call it).
    pub fn enable(&mut self) {
        self.enabled = true;
    }
}

/// Send today's notification if it is due, and report a failure once.
pub fn tick(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut NotifyState,
    commands: &mut Vec<Command>,
) {
    if let Some(receiver) = &state.sending {
        match receiver.try_recv() {
            Ok(Ok(())) | Err(TryRecvError::Disconnected) => state.sending = None,
            Ok(Err(why)) => {
                state.sending = None;
                if !state.failure_shown {
                    state.failure_shown = true;
                    commands.push(Command::Notify(
                        ToastKind::Error,
                        format!("Could not show a desktop notification: {why}"),
                    ));
                }
            }
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(250));
            }
        }
    }
    let today = view_ctx.today;
    if !state.enabled || state.checked == Some(today) {
        return;
    }
    state.checked = Some(today);
    if !view_ctx.model.settings.notifications {
        return;
    }
    let id = egui::Id::unique(NOTIFIED_KEY);
    let mark = today.format("%Y-%m-%d").to_string();
    if ctx.data_mut(|d| d.get_persisted::<String>(id)).as_deref() == Some(mark.as_str()) {
        return;
    }
    ctx.data_mut(|d| d.insert_persisted(id, mark));
    let items = due_today(view_ctx.model, view_ctx.insight, today);
    let Some((summary, body)) = notification_text(&items) else {
        return;
    };
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let result = notify_rust::Notification::new()
            .appname("kith")
            .summary(&summary)
            .body(&body)
            .icon("kith")
            .show()
            .map(|_| ())
            .map_err(|e| {
                let text = e.to_string();
                if text.contains("ServiceUnknown") || text.contains("was not provided") {
                    "no notification service is running on this desktop".to_string()
                } else {
                    text
                }
            });
        let _ = sender.send(result);
    });
    state.sending = Some(receiver);
    ctx.request_repaint_after(std::time::Duration::from_millis(250));
}
