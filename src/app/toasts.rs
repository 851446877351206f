//! Toast messages: errors and status appear here, never only in a terminal.

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

    /// Draw and expire toasts (errors stay until clicked).
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.items
            .retain(|t| t.kind == ToastKind::Error || t.shown.elapsed() < Duration::from_secs(4));
        if self.items.is_empty() {
            return;
        }
        let mut dismiss = None;
        egui::Area::new(egui::Id::unique("kith_toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -12.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                for (i, toast) in self.items.iter().enumerate() {
                    let visuals = ui.visuals();
                    let color = match toast.kind {
                        ToastKind::Info => visuals.text_color(),
                        ToastKind::Warning => visuals.warn_fg_color,
                        ToastKind::Error => visuals.error_fg_color,
                    };
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(380.0);
                        ui.horizontal(|ui| {
                            ui.colored_label(color, &toast.text);
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
