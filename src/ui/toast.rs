//! The confirmation line at the foot of the window, with its Undo.

use super::command::Command;
use super::theme;
use crate::session::Edit;
use egui::RichText;

/// How long a confirmation (with its Undo) stays on screen.
const TOAST_SECONDS: f64 = 12.0;

pub(crate) struct Toast {
    text: String,
    until: f64,
    undo: Option<Edit>,
    /// A file just written: the toast offers to open it or show it.
    file: Option<std::path::PathBuf>,
}

impl Toast {
    pub(crate) fn new(ctx: &egui::Context, text: String, undo: Option<Edit>) -> Self {
        let now = ctx.input(|i| i.time);
        Self {
            text,
            until: now + TOAST_SECONDS,
            undo,
            file: None,
        }
    }

    /// A toast about a file just written, with Open and Show in folder.
    pub(crate) fn about_file(mut self, file: std::path::PathBuf) -> Self {
        self.file = Some(file);
        self
    }

    pub(crate) fn expired(&self, ctx: &egui::Context) -> bool {
        ctx.input(|i| i.time) >= self.until
    }

    /// Draws the toast; returns whether it should close.
    pub(crate) fn ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) -> bool {
        let now = ui.input(|i| i.time);
        // Wake up once when the toast should go, not continuously.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(self.until - now));
        let mut close = false;
        egui::Frame::new()
            .fill(ui.visuals().extreme_bg_color)
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(theme::CORNER_RADIUS)
            .inner_margin(egui::Margin::symmetric(16, 10))
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&self.text).strong());
                    if let Some(undo) = &self.undo
                        && ui.button("Undo").clicked()
                    {
                        commands.push(Command::Edit(undo.clone()));
                        close = true;
                    }
                    if let Some(file) = &self.file {
                        if ui.button("Open").clicked() {
                            commands.push(Command::OpenFile(file.clone()));
                        }
                        if ui.button("Show in folder").clicked() {
                            commands.push(Command::ShowInFolder(file.clone()));
                        }
                    }
                    if ui.button("Dismiss").clicked() {
                        close = true;
                    }
                });
            });
        close
    }
}
