//! Which screen shows: the screens, their order in the side bar and their
//! keyboard shortcuts.

use super::command::Command;
use super::theme;
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
}

impl Screen {
    /// The screens in the navigation, with their shortcut digit.
    pub(crate) const NAV: [(Screen, &'static str, egui::Key); 8] = [
        (Screen::Today, "Today", egui::Key::Num1),
        (Screen::Progress, "Progress", egui::Key::Num2),
        (Screen::Exercises, "Exercises", egui::Key::Num3),
        (Screen::Milestones, "Milestones", egui::Key::Num4),
        (Screen::History, "History", egui::Key::Num5),
        (Screen::Patients, "Patients", egui::Key::Num6),
        (Screen::Review, "Review", egui::Key::Num7),
        (Screen::Settings, "Settings", egui::Key::Num8),
    ];
}

/// The side bar: one large button per screen.
pub(crate) fn side_bar(ui: &mut egui::Ui, current: Screen, commands: &mut Vec<Command>) {
    ui.add_space(theme::GAP_M);
    for (screen, label, key) in Screen::NAV {
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
pub(crate) fn menu(ui: &mut egui::Ui, current: Screen, commands: &mut Vec<Command>) {
    let name = Screen::NAV
        .iter()
        .find(|(s, _, _)| *s == current)
        .map_or("Menu", |(_, label, _)| *label);
    let label = ui.label("Screen:");
    egui::ComboBox::from_id_salt("screen-menu")
        .width(150.0)
        .selected_text(RichText::new(name).strong())
        .show_ui(ui, |ui| {
            for (screen, label, key) in Screen::NAV {
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

/// Ctrl+1 … Ctrl+8 open the screens.
pub(crate) fn shortcuts(ctx: &egui::Context, commands: &mut Vec<Command>) {
    ctx.input_mut(|i| {
        for (screen, _, key) in Screen::NAV {
            if i.consume_key(egui::Modifiers::COMMAND, key) {
                commands.push(Command::Show(screen));
            }
        }
    });
}
