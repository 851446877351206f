//! Desktop notifications for what is due today (follow-ups, birthdays and
//! other dates), once a day while kith runs: on the first frame after the
//! data loaded, and again when the date changes. The "already notified on
//! day D" mark lives in egui's persisted memory, which eframe keeps in the
//! platform config folder (so it is per machine, never in the data folder).
//! Notifications are sent on a helper thread, and only when something is
//! due. Where the desktop has no notification service (no D-Bus session,
//! a bare X11 session, CI) a failure is a calm one-time hint, remembered in
//! the same persisted memory: it is not shown again until a notification
//! gets through or the setting is switched. They are off until the binary turns them on ([`NotifyState::enable`]),
//! so tests and in-memory apps never send any, and the user can turn them
//! off in the You view (`Settings::notifications`).

use super::{Command, ToastKind, ViewCtx};
use crate::insight::due_today::{due_today, notification_text};
use chrono::NaiveDate;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Where the day last notified is kept in egui's persisted memory.
const NOTIFIED_KEY: &str = "kith_notified_on";
/// Where "the failure hint was shown" is kept in egui's persisted memory.
const HINT_SHOWN_KEY: &str = "kith_notify_hint_shown";

/// The notifier's state.
#[derive(Default)]
pub struct NotifyState {
    enabled: bool,
    /// The day checked last (so the work happens once a day, not per frame).
    checked: Option<NaiveDate>,
    sending: Option<Receiver<Result<(), String>>>,
    /// The notifications setting as last seen (a switch clears the hint mark).
    setting: Option<bool>,
}

impl NotifyState {
    /// Let this app send desktop notifications (the kith binary does; tests
    /// and previews never call it).
    pub fn enable(&mut self) {
        self.enabled = true;
    }
}

/// Whether to send today's notification: only where notifications are
/// turned on (by the binary and in Settings), not already sent today, and
/// when there is something due.
pub fn should_send(
    enabled: bool,
    setting_on: bool,
    notified_today: bool,
    due_count: usize,
) -> bool {
    enabled && setting_on && !notified_today && due_count > 0
}

/// A desktop's error in a few words a person can act on.
pub fn failure_reason(error: &str) -> String {
    let lower = error.to_lowercase();
    if lower.contains("serviceunknown") || lower.contains("was not provided") {
        "no notification service is running".into()
    } else if lower.contains("dbus_session_bus_address")
        || lower.contains("autolaunch")
        || lower.contains("session bus")
        || lower.contains("no such file")
        || lower.contains("connection refused")
        || lower.contains("address")
    {
        "there is no desktop session bus".into()
    } else {
        let first = error.lines().next().unwrap_or_default().trim();
        let short: String = first.chars().take(80).collect();
        if short.is_empty() {
            "the desktop did not accept it".into()
        } else {
            format!("the desktop said: {short}")
        }
    }
}

/// The hint for a failed notification, or `None` when it was already shown
/// (and nothing since then reset the mark).
pub fn failure_hint(error: &str, hint_shown: bool) -> Option<(ToastKind, String)> {
    (!hint_shown).then(|| {
        (
            ToastKind::Warning,
            format!(
                "Desktop notifications are not available here ({}). \
                 You can turn them off in You & groups > Settings.",
                failure_reason(error)
            ),
        )
    })
}

/// Send today's notification if it is due, and hint once at a failure.
pub fn tick(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut NotifyState,
    commands: &mut Vec<Command>,
) {
    let hint_id = egui::Id::unique(HINT_SHOWN_KEY);
    let setting_on = view_ctx.model.settings.notifications;
    if state.setting.is_some_and(|before| before != setting_on) {
        ctx.data_mut(|d| d.remove::<bool>(hint_id));
    }
    state.setting = Some(setting_on);
    if let Some(receiver) = &state.sending {
        match receiver.try_recv() {
            Ok(Ok(())) => {
                state.sending = None;
                ctx.data_mut(|d| d.remove::<bool>(hint_id));
            }
            Err(TryRecvError::Disconnected) => state.sending = None,
            Ok(Err(why)) => {
                state.sending = None;
                let shown = ctx
                    .data_mut(|d| d.get_persisted::<bool>(hint_id))
                    .unwrap_or(false);
                if let Some((kind, text)) = failure_hint(&why, shown) {
                    ctx.data_mut(|d| d.insert_persisted(hint_id, true));
                    commands.push(Command::Notify(kind, text));
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
    let id = egui::Id::unique(NOTIFIED_KEY);
    let mark = today.format("%Y-%m-%d").to_string();
    let notified_today =
        ctx.data_mut(|d| d.get_persisted::<String>(id)).as_deref() == Some(mark.as_str());
    // The due list is only built when it may be sent.
    if !setting_on || notified_today {
        return;
    }
    let items = due_today(view_ctx.model, view_ctx.insight, today);
    if !should_send(state.enabled, setting_on, notified_today, items.len()) {
        return;
    }
    let Some((summary, body)) = notification_text(&items) else {
        return;
    };
    ctx.data_mut(|d| d.insert_persisted(id, mark));
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let result = notify_rust::Notification::new()
            .appname("kith")
            .summary(&summary)
            .body(&body)
            .icon("kith")
            .show()
            .map(|_| ())
            .map_err(|e| e.to_string());
        // The receiver is gone only when the app closed meanwhile.
        let _ = sender.send(result);
    });
    state.sending = Some(receiver);
    ctx.request_repaint_after(std::time::Duration::from_millis(250));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_only_when_on_not_yet_sent_today_and_something_is_due() {
        assert!(should_send(true, true, false, 2));
        assert!(!should_send(true, true, false, 0), "nothing due");
        assert!(!should_send(true, true, true, 2), "already sent today");
        assert!(
            !should_send(true, false, false, 2),
            "turned off in Settings"
        );
        assert!(!should_send(false, true, false, 2), "tests and previews");
    }

    #[test]
    fn a_missing_notification_service_is_a_calm_hint_shown_once() {
        let error = "org.freedesktop.DBus.Error.ServiceUnknown: The name \
                     org.freedesktop.Notifications was not provided by any .service files";
        let (kind, text) = failure_hint(error, false).unwrap();
        assert_eq!(kind, ToastKind::Warning);
        assert!(text.contains("not available here"), "{text}");
        assert!(
            text.contains("no notification service is running"),
            "{text}"
        );
        assert!(text.contains("You & groups > Settings"), "{text}");
        assert!(!text.contains("ServiceUnknown"), "{text}");
        assert_eq!(failure_hint(error, true), None);
    }

    #[test]
    fn failure_reasons_are_short() {
        assert_eq!(
            failure_reason("Unable to autolaunch a dbus-daemon without a $DISPLAY for X11"),
            "there is no desktop session bus"
        );
        assert_eq!(
            failure_reason("DBUS_SESSION_BUS_ADDRESS is not set"),
            "there is no desktop session bus"
        );
        let long = "x".repeat(500);
        assert!(failure_reason(&long).len() < 120);
        assert_eq!(failure_reason(""), "the desktop did not accept it");
    }
}
