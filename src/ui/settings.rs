//! Text size, theme, and where the data is kept.

use super::theme::{self, ThemeChoice};
use super::{AppCtx, Command, widgets};
use egui::{RichText, Ui};

#[derive(Default)]
pub struct SettingsScreen {}

impl SettingsScreen {
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx<'_>) {
        ui.heading("Settings");
        ui.add_space(theme::GAP_S);
        egui::ScrollArea::vertical().show(ui, |ui| {
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let label = widgets::section_title(ui, "Text size");
                widgets::hint(ui, "Makes everything in the window bigger or smaller.");
                let mut percent = (ctx.prefs.text_scale * 100.0).round();
                ui.horizontal(|ui| {
                    let smaller = ui.button("Smaller");
                    let slider = ui
                        .add(
                            egui::Slider::new(&mut percent, 100.0..=200.0)
                                .step_by(10.0)
                                .suffix(" %"),
                        )
                        .labelled_by(label.id);
                    let bigger = ui.button("Bigger");
                    if smaller.clicked() {
                        percent -= 10.0;
                    }
                    if bigger.clicked() {
                        percent += 10.0;
                    }
                    // Apply when the slider is let go, so the window does not
                    // rescale under the pointer mid-drag.
                    let changed = smaller.clicked()
                        || bigger.clicked()
                        || (slider.changed() && !slider.dragged())
                        || slider.drag_stopped();
                    if changed {
                        ctx.push(Command::SetTextScale(percent / 100.0));
                    }
                });
            });
            ui.add_space(theme::GAP_M);
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                widgets::section_title(ui, "Colours");
                ui.horizontal(|ui| {
                    for choice in ThemeChoice::ALL {
                        if ui
                            .radio(ctx.prefs.theme == choice, choice.label())
                            .clicked()
                        {
                            ctx.push(Command::SetTheme(choice));
                        }
                    }
                });
            });
            ui.add_space(theme::GAP_M);
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                widgets::section_title(ui, "Your data");
                ui.label(
                    "Everything is stored in one file on this computer. Nothing is sent anywhere.",
                );
                ui.label(RichText::new(ctx.db_path.display().to_string()).monospace());
                if ctx.exploring_demo {
                    widgets::hint(ui, "This is the demo file, kept apart from your own data.");
                }
            });
            ui.add_space(theme::GAP_M);
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                widgets::section_title(ui, "Demo");
                widgets::hint(
                    ui,
                    "See the app filled with made-up patients. Your own data is not touched.",
                );
                if ctx.exploring_demo {
                    if ui.button("Back to my own data").clicked() {
                        ctx.push(Command::LeaveDemo);
                    }
                } else if ui.button("Explore with demo data").clicked() {
                    ctx.push(Command::ExploreDemo);
                }
            });
        });
    }
}
