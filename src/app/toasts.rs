//! Toast messages: errors and status appear here, never only in a terminal.

use super::style;
use std::time::{Duration, Instant};

/// How serious a toast is: the session's notice kinds, shown as they are.
pub use crate::session::NoticeKind as ToastKind;

/// One message.
#[derive(Clone, Debug)]
pub struct Toast {
    /// Severity.
    pub kind: ToastKind,
    /// Text.
    pub text: String,
    shown: Instant,
}

/// The toasts on screen.
#[derive(Default, Debug)]
pub struct Toasts {
    items: Vec<Toast>,
}

impl Toasts {
    /// Add a message.
    pub fn push(&mut self, kind: ToastKind, text: String) {
        self.items.push(Toast {
            kind,
            text,
            shown: Instant::now(),
        });
        if self.items.len() > 6 {
            self.items.remove(0);
        }
    }

    /// Take down the messages with exactly this text (a problem that is over).
    pub fn dismiss(&mut self, text: &str) {
        self.items.retain(|t| t.text != text);
    }

    /// Messages currently shown.
    pub fn items(&self) -> &[Toast] {
        &self.items
    }

    /// True while any toast is visible.
    pub fn any(&self) -> bool {
        !self.items.is_empty()
    }

    /// Draw and expire toasts (see [`lifetime`]; errors stay until clicked).
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.items
            .retain(|t| lifetime(t.kind).is_none_or(|shown_for| t.shown.elapsed() < shown_for));
        if self.items.is_empty() {
            return;
        }
        let mut dismiss = None;
        let screen = ctx.content_rect();
        let margin = style::TOAST_MARGIN;
        let width = toast_width(screen.width());
        egui::Area::new(egui::Id::unique("kith_toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-margin, -margin))
            .order(egui::Order::Foreground)
            .constrain_to(screen.shrink(margin))
            .show(ctx, |ui| {
                for (i, toast) in self.items.iter().enumerate() {
                    let visuals = ui.visuals();
                    let color = match toast.kind {
                        ToastKind::Info => visuals.text_color(),
                        ToastKind::Warning => visuals.warn_fg_color,
                        ToastKind::Error => visuals.error_fg_color,
                    };
                    let frame = egui::Frame::popup(ui.style());
                    let inner = (width - frame.total_margin().sum().x).max(0.0);
                    frame.show(ui, |ui| {
                        ui.set_max_width(inner);
                        ui.horizontal_top(|ui| {
                            let button = ui.spacing().interact_size.y + ui.spacing().item_spacing.x;
                            let text_width = (ui.available_width() - button).max(0.0);
                            ui.allocate_ui(egui::vec2(text_width, 0.0), |ui| {
                                ui.add(
                                    egui::Label::new(egui::RichText::new(&toast.text).color(color))
                                        .wrap(),
                                );
                            });
                            if ui.small_button("x").on_hover_text("Dismiss").clicked() {
                                dismiss = Some(i);
                            }
                        });
                    });
                }
            });
        if let Some(i) = dismiss {
            self.items.remove(i);
        }
    }
}

/// How long a toast of this kind stays: a status line briefly, a warning
/// long enough to read (it may be a one-time hint), an error until clicked.
pub fn lifetime(kind: ToastKind) -> Option<Duration> {
    match kind {
        ToastKind::Info => Some(Duration::from_secs(4)),
        ToastKind::Warning => Some(Duration::from_secs(10)),
        ToastKind::Error => None,
    }
}

/// How wide toasts are on a window `screen_width` wide: [`style::TOAST_WIDTH`]
/// or, on a narrow window, the window less a margin on each side.
pub fn toast_width(screen_width: f32) -> f32 {
    style::TOAST_WIDTH
        .min(screen_width - 2.0 * style::TOAST_MARGIN)
        .max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_stay_longer_than_status_and_errors_until_clicked() {
        assert!(lifetime(ToastKind::Warning) > lifetime(ToastKind::Info));
        assert_eq!(lifetime(ToastKind::Error), None);
    }

    #[test]
    fn toasts_fit_a_narrow_window_and_keep_their_width_on_a_wide_one() {
        assert_eq!(toast_width(2560.0), style::TOAST_WIDTH);
        assert_eq!(toast_width(800.0), style::TOAST_WIDTH);
        assert_eq!(toast_width(300.0), 300.0 - 2.0 * style::TOAST_MARGIN);
        assert_eq!(toast_width(10.0), 0.0);
    }
}
