//! One file per screen. Each screen is a plain struct with
//! `ui(&mut self, ui, app)`; it reads [`AppView`] and pushes commands, and
//! hears about the edits it asked for through [`ReceivesOutcome`].

pub(crate) mod about;
pub(crate) mod exercises;
pub(crate) mod expect;
pub(crate) mod history;
pub(crate) mod milestones;
pub(crate) mod patients;
pub(crate) mod progress;
pub(crate) mod review;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod today;

use super::app::AppView;
use super::nav::Screen;
use crate::session::Outcome;
use chrono::NaiveDate;

/// A screen with a form that edits data: it hears whether its edit was
/// made, to clear the form or show the error beside it.
pub(crate) trait ReceivesOutcome {
    fn receive(&mut self, outcome: &Outcome);
}

/// Every screen's state.
pub(crate) struct Screens {
    pub(crate) about: about::AboutScreen,
    pub(crate) today: today::TodayScreen,
    pub(crate) progress: progress::ProgressScreen,
    pub(crate) exercises: exercises::ExercisesScreen,
    pub(crate) expect: expect::ExpectScreen,
    pub(crate) milestones: milestones::MilestonesScreen,
    pub(crate) history: history::HistoryScreen,
    pub(crate) patients: patients::PatientsScreen,
    pub(crate) review: review::ReviewScreen,
    pub(crate) settings: settings::SettingsScreen,
    pub(crate) setup: setup::SetupScreen,
}

impl Screens {
    pub(crate) fn new(today: NaiveDate) -> Self {
        Self {
            about: about::AboutScreen::default(),
            today: today::TodayScreen::new(today),
            progress: progress::ProgressScreen::new(today),
            exercises: exercises::ExercisesScreen::new(),
            expect: expect::ExpectScreen,
            milestones: milestones::MilestonesScreen::new(),
            history: history::HistoryScreen::default(),
            patients: patients::PatientsScreen::default(),
            review: review::ReviewScreen::new(today),
            settings: settings::SettingsScreen::default(),
            setup: setup::SetupScreen::new(today),
        }
    }

    pub(crate) fn ui(&mut self, screen: Screen, ui: &mut egui::Ui, app: &mut AppView<'_>) {
        match screen {
            Screen::Today => self.today.ui(ui, app),
            Screen::Progress => self.progress.ui(ui, app),
            Screen::Exercises => self.exercises.ui(ui, app),
            Screen::Milestones => self.milestones.ui(ui, app),
            Screen::History => self.history.ui(ui, app),
            Screen::Patients => self.patients.ui(ui, app),
            Screen::Review => self.review.ui(ui, app),
            Screen::Settings => self.settings.ui(ui, app),
            Screen::Setup => self.setup.ui(ui, app),
            Screen::About => self.about.ui(ui, app),
            Screen::Expect => self.expect.ui(ui, app),
        }
    }
}
