//! UI preferences: the only state kept in eframe's storage. Patient data
//! lives in `SQLite` only.

use super::nav::Screen;
use super::theme::{self, ThemeChoice};
use crate::model::PatientId;
use serde::{Deserialize, Serialize};

const PREFS_KEY: &str = "recovery-tracker-prefs";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub text_scale: f32,
    pub theme: ThemeChoice,
    pub screen: Screen,
    pub patient: Option<PatientId>,
    /// The physiotherapist's name on reviews and visit notes.
    pub reviewer: String,
    /// The daily reminder's time, when the person asked for one.
    pub reminder: Option<chrono::NaiveTime>,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            text_scale: 1.0,
            theme: ThemeChoice::System,
            screen: Screen::Today,
            patient: None,
            reviewer: String::new(),
            reminder: None,
        }
    }
}

/// A change of preference a screen asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum PrefChange {
    Theme(ThemeChoice),
    /// 1.0 is 100 %.
    TextScale(f32),
    Reviewer(String),
    /// The daily reminder's time, or none.
    Reminder(Option<chrono::NaiveTime>),
}

impl Prefs {
    pub(crate) fn change(&mut self, change: PrefChange) {
        match change {
            PrefChange::Theme(theme) => self.theme = theme,
            PrefChange::TextScale(scale) => {
                self.text_scale = scale.clamp(theme::MIN_TEXT_SCALE, theme::MAX_TEXT_SCALE);
            }
            PrefChange::Reviewer(name) => self.reviewer = name,
            PrefChange::Reminder(at) => self.reminder = at,
        }
    }

    /// What the style depends on: when it changes, the style is rebuilt.
    pub(crate) fn style_key(&self) -> (ThemeChoice, u32) {
        (self.theme, (self.text_scale * 100.0).round() as u32)
    }

    pub(crate) fn load(cc: &eframe::CreationContext<'_>) -> Prefs {
        cc.storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default()
    }

    pub(crate) fn store(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, self);
    }
}
