//! Which screen shows: the screens, their order in the side bar and their
//! keyboard shortcuts.

use super::command::Command;
use super::theme;
use crate::model::UseMode;
use egui::RichText;
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
}

/// The shortcut digits, Ctrl+1 for the first screen of the side bar.
const KEYS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

/// A patient's own screens: no patient list, no review.
const OWN: [(Screen, &str); 7] = [
    (Screen::Today, "Today"),
    (Screen::Progress, "Progress"),
    (Screen::Exercises, "Exercises"),
    (Screen::Milestones, "Milestones"),
    (Screen::History, "History"),
    (Screen::About, "My operation"),
    (Screen::Settings, "Settings"),
];

/// A clinic's screens: the patient list first, then the review, then the
/// chosen patient's own screens.
const CLINIC: [(Screen, &str); 9] = [
    (Screen::Patients, "Patients"),
    (Screen::Review, "Review"),
    (Screen::Today, "Today"),
    (Screen::Progress, "Progress"),
    (Screen::Exercises, "Exercises"),
    (Screen::Milestones, "Milestones"),
    (Screen::History, "History"),
    (Screen::About, "Details"),
    (Screen::Settings, "Settings"),
];

impl Screen {
    /// The screens of a mode in side-bar order, each with its shortcut
    /// key (Ctrl+1 is the first).
    pub(crate) fn nav(mode: UseMode) -> impl Iterator<Item = (Screen, &'static str, egui::Key)> {
        let screens: &[(Screen, &str)] = match mode {
            UseMode::Own => &OWN,
            UseMode::Clinic => &CLINIC,
        };
        screens
            .iter()
            .zip(KEYS)
            .map(|(&(screen, label), key)| (screen, label, key))
    }

    /// Where the app opens: today's check-in for a patient, the patient
    /// list for a clinic.
    pub(crate) fn home(mode: UseMode) -> Screen {
        match mode {
            UseMode::Own => Screen::Today,
            UseMode::Clinic => Screen::Patients,
        }
    }

    /// Whether the screen exists in a mode (Setup always does).
    pub(crate) fn belongs_to(self, mode: UseMode) -> bool {
        self == Screen::Setup || Screen::nav(mode).any(|(s, _, _)| s == self)
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
