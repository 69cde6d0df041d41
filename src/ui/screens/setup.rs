//! First run and "Add patient": who the app is for (first run only), who
//! the patient is, their operation, and how they were before it (the
//! start of their expected recovery).

use super::ReceivesOutcome;
use crate::model::UseMode;
use crate::session::{Edit, Outcome};
use crate::ui::patient_form::PatientForm;
use crate::ui::widgets;
use crate::ui::{AppView, Command, Screen, theme};
use chrono::NaiveDate;
use egui::{RichText, Ui};
use strum::VariantArray;

pub struct SetupScreen {
    form: PatientForm,
    /// Asked on the first run only: who the app is for.
    use_mode: UseMode,
}

impl ReceivesOutcome for SetupScreen {
    fn receive(&mut self, outcome: &Outcome) {
        self.form.receive(outcome);
    }
}

impl SetupScreen {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            form: PatientForm::new(today),
            use_mode: UseMode::Own,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let first_run = app.patients.is_empty();
        widgets::page(ui, app.page, "setup", |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            if first_run {
                ui.heading("Welcome to Recovery Tracker");
                ui.label(
                    "A minute a day to follow your recovery after lumbar spinal fusion: \
                         pain, walking, sitting, sleep and medicine, charted against how people \
                         who had the same operation usually recover.",
                );
                ui.label(
                    RichText::new("Your data stays on this computer. Nothing leaves it unless you export it or send it to your clinic.")
                        .strong(),
                );
                ui.add_space(theme::GAP_S);
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Explore with demo data").clicked() {
                        app.push(Command::ExploreDemo);
                    }
                    widgets::hint(ui, "See the app with made-up patients first.");
                });
                ui.add_space(theme::GAP_M);
                self.use_card(ui);
                ui.add_space(theme::GAP_M);
            } else {
                ui.heading("Add a patient");
            }
            self.form.ui(ui, app.today, app.use_mode == UseMode::Clinic);
            ui.add_space(theme::GAP_M);
            ui.horizontal_wrapped(|ui| {
                let colors = theme::palette(ui.visuals());
                let create = egui::Button::new(
                    RichText::new("Create patient")
                        .size(20.0)
                        .strong()
                        .color(colors.on_accent),
                )
                .fill(colors.accent)
                .min_size(egui::vec2(200.0, 48.0));
                if ui.add(create).clicked() {
                    self.submit(app);
                }
                if !first_run && ui.button("Cancel").clicked() {
                    app.push(Command::Show(Screen::Today));
                }
                self.form.error_summary(ui);
            });
            ui.add_space(theme::GAP_L);
        });
    }

    fn use_card(&mut self, ui: &mut Ui) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Who is this app for?");
            for &mode in UseMode::VARIANTS {
                ui.radio_value(&mut self.use_mode, mode, mode.label());
            }
            widgets::hint(
                ui,
                match self.use_mode {
                    UseMode::Own => "You will see your own screens: today's check-in, progress, exercises, milestones and history.",
                    UseMode::Clinic => "You will also get the patient list, reviews, visit notes and plan editing. Start with your first patient.",
                },
            );
        });
    }

    fn submit(&mut self, app: &mut AppView<'_>) {
        if let Some((details, baseline)) = self.form.checked(app.today) {
            if app.patients.is_empty() {
                app.edit(Edit::SetUseMode(Some(self.use_mode)));
            }
            app.edit(Edit::CreatePatient(details, baseline));
        }
    }
}
