//! "About my operation" (a patient) or a patient's details (a clinic):
//! everything entered at setup, correctable at any time. A save is one
//! edit with an Undo; every changed field goes to the change log shown
//! here (and carried by the JSON export); the expected recovery, the weeks
//! and every verdict follow at once.

use super::ReceivesOutcome;
use crate::model::{PatientId, UseMode};
use crate::session::{Edit, Outcome};
use crate::ui::patient_form::{self, PatientForm};
use crate::ui::{AppView, theme, widgets};
use egui::{RichText, Ui};

#[derive(Default)]
pub struct AboutScreen {
    form: Option<PatientForm>,
    /// Whose details the form holds; another patient (or a saved change)
    /// fills it again from what is stored.
    filled_for: Option<PatientId>,
}

impl ReceivesOutcome for AboutScreen {
    fn receive(&mut self, outcome: &Outcome) {
        match (&mut self.form, &outcome.error) {
            (Some(form), Some(_)) => form.receive(outcome),
            // Saved (or undone): show what is stored now.
            _ => self.filled_for = None,
        }
    }
}

impl AboutScreen {
    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        let patient = &data.patient;
        if self.filled_for != Some(patient.id) || self.form.is_none() {
            self.form = Some(PatientForm::of(patient, data.baseline.as_ref(), app.today));
            self.filled_for = Some(patient.id);
        }
        let Some(form) = self.form.as_mut() else {
            return;
        };
        widgets::page(ui, app.page, "about", |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            let title = match app.use_mode {
                UseMode::Own => "About my operation".to_owned(),
                UseMode::Clinic => format!("Details of {}", patient.details.name),
            };
            ui.heading(title);
            widgets::hint(
                ui,
                "Correct anything that is wrong: the weeks since surgery, the expected recovery \
                 and every verdict follow at once. Each change is kept in the list at the foot.",
            );
            ui.add_space(theme::GAP_S);
            form.ui(ui, app.today, app.use_mode == UseMode::Clinic);
            ui.add_space(theme::GAP_M);
            ui.horizontal_wrapped(|ui| {
                let colors = theme::palette(ui.visuals());
                let save = egui::Button::new(
                    RichText::new("Save changes")
                        .size(20.0)
                        .strong()
                        .color(colors.on_accent),
                )
                .fill(colors.accent)
                .min_size(egui::vec2(200.0, 48.0));
                if ui.add_enabled(app.read_only.is_none(), save).clicked()
                    && let Some((details, baseline)) = form.checked(app.today)
                {
                    app.edit(Edit::UpdatePatient {
                        patient: patient.id,
                        details,
                        baseline,
                    });
                }
                if ui.button("Put back what is stored").clicked() {
                    self.filled_for = None;
                }
                form.error_summary(ui);
            });
            ui.add_space(theme::GAP_M);
            patient_form::change_log(ui, &data.changes);
            ui.add_space(theme::GAP_L);
        });
    }
}
