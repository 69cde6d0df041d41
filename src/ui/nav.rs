//! Which screen shows: the screens, their order in the side bar and their
//! keyboard shortcuts.

use super::command::Command;
use super::theme;
use crate::model::UseMode;
use egui::{Key, RichText};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Screen {
    #[default]
    Today,
    Progress,
    Exercises,
    Milestones,
    History,
    Patients,
    Review,
    Settings,
    /// Setting up a new patient.
    Setup,
    /// The patient's details, to correct them.
    About,
    /// The expected course, realistic expectations, milestone windows and
    /// the first weeks' restrictions.
    Expect,
}

/// A patient's own screens: no patient list, no review. Each with its
/// shortcut, Ctrl and the digit.
const OWN: [(Screen, &str, Key); 8] = [
    (Screen::Today, "Today", Key::Num1),
    (Screen::Progress, "Progress", Key::Num2),
    (Screen::Expect, "What to expect", Key::Num3),
    (Screen::Exercises, "Exercises", Key::Num4),
    (Screen::Milestones, "Milestones", Key::Num5),
    (Screen::History, "History", Key::Num6),
    (Screen::About, "My operation", Key::Num7),
    (Screen::Settings, "Settings", Key::Num8),
];

/// A clinic's screens: the patient list first, then the review, then the
/// chosen patient's own screens. "What to expect" is opened from Progress
/// and Review: a tenth button would not fit a small window's side bar.
const CLINIC: [(Screen, &str, Key); 9] = [
    (Screen::Patients, "Patients", Key::Num1),
    (Screen::Review, "Review", Key::Num2),
    (Screen::Today, "Today", Key::Num3),
    (Screen::Progress, "Progress", Key::Num4),
    (Screen::Exercises, "Exercises", Key::Num5),
    (Screen::Milestones, "Milestones", Key::Num6),
    (Screen::History, "History", Key::Num7),
    (Screen::About, "Details", Key::Num8),
    (Screen::Settings, "Settings", Key::Num9),
];

impl Screen {
    /// The screens of a mode in side-bar order, each with its shortcut
    /// key.
    pub(crate) fn nav(mode: UseMode) -> impl Iterator<Item = (Screen, &'static str, Key)> {
        let screens: &[(Screen, &str, Key)] = match mode {
            UseMode::Own => &OWN,
            UseMode::Clinic => &CLINIC,
        };
        screens.iter().copied()
    }

    /// Where the app opens: today's check-in for a patient, the patient
    /// list for a clinic.
    pub(crate) fn home(mode: UseMode) -> Screen {
        match mode {
            UseMode::Own => Screen::Today,
            UseMode::Clinic => Screen::Patients,
        }
    }

    /// Whether the screen exists in a mode (Setup and What to expect
    /// always do).
    pub(crate) fn belongs_to(self, mode: UseMode) -> bool {
        matches!(self, Screen::Setup | Screen::Expect)
            || Screen::nav(mode).any(|(s, _, _)| s == self)
    }
}

/// The side bar: one large button per screen.
pub(crate) fn side_bar(
    ui: &mut egui::Ui,
    mode: UseMode,
    current: Screen,
    commands: &mut Vec<Command>,
) {
    ui.add_space(theme::GAP_M);
    for (screen, label, key) in Screen::nav(mode) {
        let button = egui::Button::selectable(current == screen, RichText::new(label).size(20.0))
            .min_size(egui::vec2(ui.available_width(), 44.0));
        let response = ui
            .add(button)
            .on_hover_text(format!("{label} (Ctrl+{})", key.name()));
        if response.clicked() {
            commands.push(Command::Show(screen));
        }
    }
}

/// The screens as a menu, for a window too narrow for the side bar.
pub(crate) fn menu(ui: &mut egui::Ui, mode: UseMode, current: Screen, commands: &mut Vec<Command>) {
    let name = Screen::nav(mode)
        .find(|(s, _, _)| *s == current)
        .map_or("Menu", |(_, label, _)| label);
    let label = ui.label("Screen:");
    egui::ComboBox::from_id_salt("screen-menu")
        .width(150.0)
        .selected_text(RichText::new(name).strong())
        .show_ui(ui, |ui| {
            for (screen, label, key) in Screen::nav(mode) {
                let item = ui
                    .selectable_label(current == screen, label)
                    .on_hover_text(format!("Ctrl+{}", key.name()));
                if item.clicked() {
                    commands.push(Command::Show(screen));
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// Ctrl+1 … open the screens of the mode, in side-bar order.
pub(crate) fn shortcuts(ctx: &egui::Context, mode: UseMode, commands: &mut Vec<Command>) {
    ctx.input_mut(|i| {
        for (screen, _, key) in Screen::nav(mode) {
            if i.consume_key(egui::Modifiers::COMMAND, key) {
                commands.push(Command::Show(screen));
            }
        }
    });
}
