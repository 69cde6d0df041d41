//! The band at the top of the window: the app's name, whose data this is
//! and where they are in their recovery, and banners for a read-only file
//! or the demo data.

use super::cache::Cache;
use super::command::Command;
use super::nav::Screen;
use super::theme;
use crate::model::{Approach, UseMode};
use chrono::NaiveDate;
use egui::RichText;

/// What the header shows besides the patient.
pub(crate) struct HeaderState<'a> {
    pub today: NaiveDate,
    pub read_only: Option<&'a str>,
    /// The read-only reason is damage: offer the recovery window.
    pub damaged: bool,
    pub exploring_demo: bool,
    /// The screens as a menu here, when the window has no side bar.
    pub menu: Option<super::nav::Screen>,
    /// A narrow window: the operation is told in short.
    pub narrow: bool,
}

pub(crate) fn ui(
    ui: &mut egui::Ui,
    cache: &Cache,
    state: &HeaderState<'_>,
    commands: &mut Vec<Command>,
) {
    let HeaderState {
        today,
        read_only,
        damaged,
        exploring_demo,
        menu,
        narrow,
    } = *state;
    title_row(ui, cache, today, (menu, narrow), commands);
    if let Some(reason) = read_only {
        let colors = theme::palette(ui.visuals());
        egui::Frame::new()
            .fill(colors.caution)
            .corner_radius(theme::CORNER_RADIUS)
            .inner_margin(egui::Margin::symmetric(12, 6))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(format!(
                        "Read-only: {reason}. You can look at everything, but nothing can be saved."
                    ))
                    .strong()
                    .color(egui::Color32::WHITE),
                );
                if damaged && ui.button("Restore the newest good backup…").clicked() {
                    commands.push(Command::OfferRecovery);
                }
            });
    }
    if exploring_demo {
        ui.horizontal_wrapped(|ui| {
            let colors = theme::palette(ui.visuals());
            ui.label(
                RichText::new(
                    "You are exploring demo data: these are made-up patients, not your records.",
                )
                .color(colors.caution)
                .strong(),
            );
            if ui.button("Back to my own data").clicked() {
                commands.push(Command::LeaveDemo);
            }
        });
    }
}

fn title_row(
    ui: &mut egui::Ui,
    cache: &Cache,
    today: NaiveDate,
    (menu, narrow): (Option<super::nav::Screen>, bool),
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if let Some(screen) = menu {
            super::nav::menu(ui, cache.use_mode, screen, commands);
            ui.add_space(theme::GAP_M);
        } else {
            ui.label(
                RichText::new("Recovery Tracker")
                    .text_style(theme::title_style())
                    .strong(),
            );
            ui.add_space(theme::GAP_L);
        }
        let Some(current) = &cache.current else {
            return;
        };
        let clinic = cache.use_mode == UseMode::Clinic;
        let active: Vec<_> = cache.active_patients().collect();
        if clinic && active.len() > 1 {
            // Whose data the screens show, said plainly.
            let label = ui.label("Viewing:");
            // A long name is shortened here, never pushing the header wide.
            let widest = if narrow { 220.0 } else { 300.0 };
            let width = (ui.available_width() - 40.0).clamp(120.0, widest);
            egui::ComboBox::from_id_salt("patient-switcher")
                .width(width)
                .truncate()
                .selected_text(current.patient.details.name.as_str())
                .show_ui(ui, |ui| {
                    for p in &active {
                        if ui
                            .selectable_label(p.id == current.patient.id, p.details.name.as_str())
                            .clicked()
                        {
                            commands.push(Command::SelectPatient(p.id));
                        }
                    }
                    if narrow {
                        ui.separator();
                        if ui.selectable_label(false, "Add patient…").clicked() {
                            commands.push(Command::Show(Screen::Setup));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        } else {
            ui.label(RichText::new(current.patient.details.name.as_str()).strong());
        }
        // In a narrow window the screens say where the patient is; the
        // header keeps to what switches screens and patients.
        if menu.is_some() {
            if clinic && active.len() <= 1 {
                add_patient(ui, commands);
            }
            return;
        }
        let add_button = clinic && (!narrow || active.len() <= 1);
        let p = &current.patient;
        let days = p.days_since_surgery(today);
        let when = if days < 0 {
            format!("surgery in {}", crate::words::plural(-days, "day", "days"))
        } else {
            format!("week {} since surgery", p.week_since_surgery(today))
        };
        let operation = format!(
            "{}, {}",
            p.details.procedure.short_label(),
            p.details.levels
        );
        if narrow {
            // "week 6 · TLIF, L4–L5": the screens say "since surgery".
            let when = when.trim_end_matches(" since surgery");
            ui.label(format!("{when} · {operation}"));
        } else if p.details.approach == Approach::NotSure {
            ui.label(format!("{when} · {operation}"));
        } else {
            ui.label(format!(
                "{when} · {} {operation}",
                p.details.approach.short_label()
            ));
        }
        if add_button {
            add_patient(ui, commands);
        }
    });
}

fn add_patient(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    if ui.button("Add patient").clicked() {
        commands.push(Command::Show(Screen::Setup));
    }
}
