//! The eframe app. `App` owns the store, a cache of what the screens show,
//! and one struct per screen. Screens read the cache and push [`Command`]s;
//! the app applies the commands after layout, each in one transaction, and
//! the cache is rebuilt from the store's data version.

mod cache;
mod exercises;
mod history;
mod milestones;
mod patients;
mod progress;
mod recovery;
mod review;
pub use recovery::Root;
mod settings;
mod setup;
pub mod theme;
mod today;
pub mod widgets;

use crate::clock::Clock;
use crate::demo::{self, DemoOptions};
use crate::model::{
    Baseline, CheckIn, CustomMilestone, ExerciseLog, MilestoneRecord, OdiEntry, PatientDetails,
    PatientId,
};
use crate::protocol::Protocol;
use crate::store::PlanChange;
use crate::store::{SaveOutcome, Store};
use cache::{Cache, PatientData};
use chrono::NaiveDate;
use egui::RichText;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use theme::ThemeChoice;

pub use cache::PatientData as CachedPatient;

const PREFS_KEY: &str = "recovery-tracker-prefs";
/// How long a confirmation (with its Undo) stays on screen.
const TOAST_SECONDS: f64 = 12.0;

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
    const NAV: [(Screen, &'static str, egui::Key); 8] = [
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

/// UI preferences; the only state kept in eframe's storage. Patient data
/// lives in SQLite only.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub text_scale: f32,
    pub theme: ThemeChoice,
    pub screen: Screen,
    pub patient: Option<PatientId>,
    /// The physiotherapist's name on reviews and visit notes.
    pub reviewer: String,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            text_scale: 1.0,
            theme: ThemeChoice::System,
            screen: Screen::Today,
            patient: None,
            reviewer: String::new(),
        }
    }
}

/// Everything a screen may ask the app to do.
#[derive(Debug, Clone)]
pub enum Command {
    SaveCheckIn(PatientId, CheckIn),
    DeleteCheckIn(PatientId, NaiveDate),
    /// Puts back a deleted check-in (the toast's Undo).
    RestoreCheckIn(PatientId, CheckIn),
    SaveOdi(PatientId, OdiEntry),
    DeleteOdi(PatientId, NaiveDate),
    /// Reached, not reached, or a custom milestone restored.
    SaveMilestone(PatientId, MilestoneRecord),
    AddMilestone(PatientId, CustomMilestone),
    DeleteMilestone(PatientId, String),
    /// A day's sessions of an exercise; `None` removes them.
    SetExerciseLog(PatientId, NaiveDate, String, Option<ExerciseLog>),
    ChangePlan(PatientId, PlanChange),
    CreatePatient(PatientDetails, Option<Baseline>),
    SelectPatient(PatientId),
    Show(Screen),
    /// Opens the check-in form on a past day.
    EditDay(NaiveDate),
    SetTheme(ThemeChoice),
    SetTextScale(f32),
    ExploreDemo,
    LeaveDemo,
    BackupNow,
    RestoreBackup(PathBuf),
    /// Reads a file and works out what importing it would do.
    PreviewImport(PathBuf),
    ApplyImport,
    CancelImport,
    SetArchived(PatientId, bool),
    ReviewFlag(PatientId, crate::model::FlagReview),
    SetReviewer(String),
    AddVisitNote(PatientId, crate::model::VisitNote),
    DeleteVisitNote(PatientId, i64),
    /// Writes a file off the UI thread.
    Export {
        patient: PatientId,
        kind: review::ExportKind,
        path: PathBuf,
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// What a screen gets each frame: read-only data and a place for commands.
pub struct AppCtx<'a> {
    pub today: NaiveDate,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Bumped by every write; screens key their own caches on it.
    pub data_version: u64,
    /// Every patient's line for the Patients screen (filled while it shows).
    pub overview: &'a [crate::analysis::review::OverviewRow],
    /// Where export dialogs suggest saving.
    pub export_folder: &'a Path,
    /// What the background job is doing, while one runs.
    pub job_status: Option<&'a str>,
    /// An import waiting for the person's go-ahead.
    pub import_preview: Option<&'a ImportPreview>,
    pub protocol: &'a Protocol,
    pub patients: &'a [crate::model::Patient],
    pub current: Option<&'a PatientData>,
    pub prefs: &'a Prefs,
    pub db_path: &'a Path,
    pub exploring_demo: bool,
    /// Why nothing can be saved, when the database is read-only.
    pub read_only: Option<&'a str>,
    /// The database's backups, newest first (read when Settings opens).
    pub backups: &'a [crate::store::backup::BackupFile],
    commands: &'a mut Vec<Command>,
}

impl AppCtx<'_> {
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }
}

struct Toast {
    text: String,
    until: f64,
    undo: Option<Command>,
}

pub struct App {
    prefs: Prefs,
    store: Store,
    protocol: Protocol,
    /// The person's own database; while exploring the demo, `store` is
    /// another file beside it.
    own_db: PathBuf,
    exploring_demo: bool,
    clock: Clock,
    cache: Cache,
    /// A problem reading the database, shown instead of stale data.
    load_error: Option<String>,
    toast: Option<Toast>,
    applied_style: Option<(ThemeChoice, u32)>,
    /// Listed when Settings is opened or a backup is made, not per frame.
    backups: Vec<crate::store::backup::BackupFile>,
    /// The Patients screen's rows and the data version and day they are of.
    overview: Option<(u64, NaiveDate, Vec<crate::analysis::review::OverviewRow>)>,
    export_folder: PathBuf,
    job: Option<Job>,
    import_preview: Option<ImportPreview>,
    today: today::TodayScreen,
    progress: progress::ProgressScreen,
    exercises: exercises::ExercisesScreen,
    milestones: milestones::MilestonesScreen,
    history: history::HistoryScreen,
    patients: patients::PatientsScreen,
    review: review::ReviewScreen,
    settings: settings::SettingsScreen,
    setup: setup::SetupScreen,
}

/// A file read and planned, shown before anything is written.
pub struct ImportPreview {
    pub lines: Vec<String>,
    plans: Vec<crate::report::merge::PatientPlan>,
}

/// Work that could take long (a report, an export), run off the UI thread
/// so the window never freezes.
struct Job {
    label: String,
    result: std::sync::mpsc::Receiver<Result<String, String>>,
}

impl App {
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        store: Store,
        protocol: Protocol,
        clock: Clock,
    ) -> Self {
        Self::with_prefs(&cc.egui_ctx, load_prefs(cc), store, protocol, clock)
    }

    pub fn with_prefs(
        ctx: &egui::Context,
        prefs: Prefs,
        store: Store,
        protocol: Protocol,
        clock: Clock,
    ) -> Self {
        let own_db = store.path().to_owned();
        let today = clock.today();
        let backups = crate::store::backup::list(&own_db);
        let export_folder = directories::UserDirs::new()
            .and_then(|d| {
                d.document_dir()
                    .map(Path::to_path_buf)
                    .or_else(|| Some(d.home_dir().to_path_buf()))
            })
            .unwrap_or_else(|| own_db.parent().map_or_else(PathBuf::new, Path::to_path_buf));
        theme::apply(ctx, prefs.theme, prefs.text_scale);
        let applied_style = Some(style_key(&prefs));
        Self {
            prefs,
            store,
            protocol,
            own_db,
            exploring_demo: false,
            clock,
            cache: Cache::default(),
            load_error: None,
            toast: None,
            applied_style,
            backups,
            overview: None,
            export_folder,
            job: None,
            import_preview: None,
            today: today::TodayScreen::new(today),
            progress: progress::ProgressScreen::new(today),
            exercises: exercises::ExercisesScreen::new(),
            milestones: milestones::MilestonesScreen::new(),
            history: history::HistoryScreen::default(),
            patients: patients::PatientsScreen::default(),
            review: review::ReviewScreen::new(today),
            settings: settings::SettingsScreen::default(),
            setup: setup::SetupScreen::new(today),
        }
    }

    /// The patient whose data the screens show: the remembered one if it
    /// still exists, otherwise the first active patient.
    fn selected_patient(&self) -> Option<PatientId> {
        let remembered = self
            .prefs
            .patient
            .filter(|id| self.cache.patients.iter().any(|p| p.id == *id));
        remembered.or_else(|| self.cache.active_patients().next().map(|p| p.id))
    }

    fn refresh_cache(&mut self) {
        // Patients first, so the selection can be checked against them.
        let today = self.clock.today();
        let result = self
            .cache
            .refresh(&self.store, &self.protocol, self.prefs.patient, today)
            .and_then(|_| {
                let selected = self.selected_patient();
                if selected != self.prefs.patient {
                    self.prefs.patient = selected;
                    self.cache
                        .refresh(&self.store, &self.protocol, selected, today)
                } else {
                    Ok(false)
                }
            });
        self.load_error = result
            .err()
            .map(|e| format!("Could not read your data: {e}"));
    }

    fn apply_style_if_changed(&mut self, ctx: &egui::Context) {
        let key = style_key(&self.prefs);
        if self.applied_style != Some(key) {
            theme::apply(ctx, self.prefs.theme, self.prefs.text_scale);
            self.applied_style = Some(key);
        }
    }

    fn show_toast(&mut self, ctx: &egui::Context, text: String, undo: Option<Command>) {
        let now = ctx.input(|i| i.time);
        self.toast = Some(Toast {
            text,
            until: now + TOAST_SECONDS,
            undo,
        });
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let today = self.clock.today();
        match command {
            Command::SaveCheckIn(patient, check_in) => {
                let day = check_in.day;
                match self.store.save_check_in(patient, &check_in) {
                    Ok(outcome) => {
                        self.today.saved();
                        let what = match outcome {
                            SaveOutcome::Created => "Saved",
                            SaveOutcome::Updated { .. } => "Changes saved",
                        };
                        let when = if day == today {
                            "today's check-in".to_owned()
                        } else {
                            format!("the check-in of {}", widgets::long_date(day))
                        };
                        self.show_toast(ctx, format!("✔ {what}: {when}."), None);
                    }
                    Err(e) => self
                        .today
                        .save_failed(format!("Not saved: {e}. Your entries are still here.")),
                }
            }
            Command::DeleteCheckIn(patient, day) => {
                match self.store.delete_check_in(patient, day) {
                    Ok(Some(deleted)) => self.show_toast(
                        ctx,
                        format!("Deleted the check-in of {}.", widgets::long_date(day)),
                        Some(Command::RestoreCheckIn(patient, deleted)),
                    ),
                    Ok(None) => {}
                    Err(e) => self.show_toast(ctx, format!("Not deleted: {e}"), None),
                }
            }
            Command::RestoreCheckIn(patient, check_in) => {
                let text = match self.store.save_check_in(patient, &check_in) {
                    Ok(_) => format!(
                        "Restored the check-in of {}.",
                        widgets::long_date(check_in.day)
                    ),
                    Err(e) => format!("Could not restore: {e}"),
                };
                self.show_toast(ctx, text, None);
            }
            Command::SaveOdi(patient, entry) => match self.store.save_odi_entry(patient, &entry) {
                Ok(()) => {
                    self.progress.odi_saved();
                    self.show_toast(
                        ctx,
                        format!(
                            "✔ Saved: ODI {} on {}.",
                            entry.total,
                            widgets::long_date(entry.day)
                        ),
                        None,
                    );
                }
                Err(e) => self.progress.odi_failed(format!("Not saved: {e}.")),
            },
            Command::DeleteOdi(patient, day) => match self.store.delete_odi_entry(patient, day) {
                Ok(Some(deleted)) => self.show_toast(
                    ctx,
                    format!("Deleted the ODI total of {}.", widgets::long_date(day)),
                    Some(Command::SaveOdi(patient, deleted)),
                ),
                Ok(None) => {}
                Err(e) => self.show_toast(ctx, format!("Not deleted: {e}"), None),
            },
            Command::SaveMilestone(patient, record) => {
                match self.store.save_milestone(patient, &record) {
                    Ok(previous) => {
                        let label = self.milestone_label(&record.key);
                        let text = match record.achieved_on {
                            Some(day) => {
                                format!("✔ {label}: reached on {}.", widgets::long_date(day))
                            }
                            None => format!("{label}: marked as not reached."),
                        };
                        let undo = previous.unwrap_or(MilestoneRecord {
                            achieved_on: None,
                            ..record
                        });
                        self.show_toast(ctx, text, Some(Command::SaveMilestone(patient, undo)));
                    }
                    Err(e) => self.milestones.failed(format!("Not saved: {e}.")),
                }
            }
            Command::AddMilestone(patient, custom) => {
                let label = custom.label.clone();
                match self.store.add_custom_milestone(patient, custom) {
                    Ok(_) => {
                        self.show_toast(ctx, format!("Added the milestone \"{label}\"."), None)
                    }
                    Err(e) => self.milestones.failed(format!("Not added: {e}.")),
                }
            }
            Command::DeleteMilestone(patient, key) => {
                match self.store.delete_milestone(patient, &key) {
                    Ok(Some(removed)) => {
                        let label = removed
                            .custom
                            .as_ref()
                            .map_or(key.clone(), |c| c.label.clone());
                        self.show_toast(
                            ctx,
                            format!("Removed the milestone \"{label}\"."),
                            Some(Command::SaveMilestone(patient, removed)),
                        );
                    }
                    Ok(None) => {}
                    Err(e) => self.milestones.failed(format!("Not removed: {e}.")),
                }
            }
            Command::SetExerciseLog(patient, day, key, log) => {
                match self
                    .store
                    .set_exercise_log(patient, day, &key, log.as_ref())
                {
                    Ok(previous) => {
                        let name = self.exercise_name(&key);
                        let text = match &log {
                            Some(l) => format!("✔ {name}: {} done today.", sessions(l.sessions)),
                            None => format!("{name}: no sessions today."),
                        };
                        self.show_toast(
                            ctx,
                            text,
                            Some(Command::SetExerciseLog(patient, day, key, previous)),
                        );
                    }
                    Err(e) => self.exercises.failed(format!("Not saved: {e}.")),
                }
            }
            Command::ChangePlan(patient, change) => {
                if let Err(e) = self.store.change_plan(patient, &change) {
                    self.exercises
                        .failed(format!("The plan was not changed: {e}."));
                } else {
                    self.show_toast(
                        ctx,
                        "✔ Plan changed from today; earlier days keep their plan.".to_owned(),
                        None,
                    );
                }
            }
            Command::CreatePatient(details, baseline) => {
                match self
                    .store
                    .create_patient(&details, baseline.as_ref(), self.clock.now())
                {
                    Ok(id) => {
                        self.prefs.patient = Some(id);
                        self.prefs.screen = Screen::Today;
                        self.setup = setup::SetupScreen::new(today);
                        self.show_toast(ctx, format!("Welcome, {}.", details.name.trim()), None);
                    }
                    Err(e) => self.setup.failed(format!("Not saved: {e}")),
                }
            }
            Command::SelectPatient(id) => {
                self.prefs.patient = Some(id);
                self.today.show_day(today);
            }
            Command::Show(screen) => {
                if screen == Screen::Today && self.prefs.screen != Screen::Today {
                    self.today.show_day(today);
                }
                if screen == Screen::Settings {
                    self.backups = crate::store::backup::list(self.store.path());
                }
                self.prefs.screen = screen;
            }
            Command::EditDay(day) => {
                self.today.show_day(day);
                self.prefs.screen = Screen::Today;
            }
            Command::SetTheme(theme) => self.prefs.theme = theme,
            Command::SetTextScale(scale) => {
                self.prefs.text_scale = scale.clamp(theme::MIN_TEXT_SCALE, theme::MAX_TEXT_SCALE);
            }
            Command::BackupNow => {
                let text = match self
                    .store
                    .backup_now(crate::store::backup::BackupKind::Manual, self.clock.now())
                {
                    Ok(path) => format!("✔ Backed up to {}.", path.display()),
                    Err(e) => format!("Backup failed: {e}"),
                };
                self.backups = crate::store::backup::list(self.store.path());
                self.show_toast(ctx, text, None);
            }
            Command::RestoreBackup(path) => {
                let text = match self.store.restore_from(&path, self.clock.now()) {
                    Ok(safety) => format!(
                        "✔ Restored {}. What was there before is kept in {}.",
                        path.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                        safety.display()
                    ),
                    Err(e) => format!("Not restored: {e}. Nothing changed."),
                };
                self.backups = crate::store::backup::list(self.store.path());
                self.today.show_day(today);
                self.show_toast(ctx, text, None);
            }
            Command::SetArchived(patient, archived) => {
                let text = match self.store.set_archived(patient, archived) {
                    Ok(()) if archived => {
                        "Archived: the patient is kept, but out of the daily lists.".to_owned()
                    }
                    Ok(()) => "The patient is back in the lists.".to_owned(),
                    Err(e) => format!("Not changed: {e}"),
                };
                let undo = archived.then_some(Command::SetArchived(patient, false));
                self.show_toast(ctx, text, undo);
            }
            Command::ReviewFlag(patient, review) => {
                if let Err(e) = self.store.review_flag(patient, &review) {
                    self.review.failed(format!("Not saved: {e}."));
                }
            }
            Command::SetReviewer(name) => self.prefs.reviewer = name,
            Command::AddVisitNote(patient, note) => match self.store.add_visit_note(patient, &note)
            {
                Ok(_) => {
                    self.review.note_saved();
                    self.show_toast(ctx, "✔ Note saved.".to_owned(), None);
                }
                Err(e) => self
                    .review
                    .failed(format!("Not saved: {e}. The note is still there.")),
            },
            Command::DeleteVisitNote(patient, id) => {
                match self.store.delete_visit_note(patient, id) {
                    Ok(Some(note)) => self.show_toast(
                        ctx,
                        format!("Deleted the note of {}.", widgets::long_date(note.day)),
                        Some(Command::AddVisitNote(patient, note)),
                    ),
                    Ok(None) => {}
                    Err(e) => self.review.failed(format!("Not deleted: {e}.")),
                }
            }
            Command::Export {
                patient,
                kind,
                path,
                from,
                to,
            } => self.start_export(ctx, patient, kind, path, from, to),
            Command::PreviewImport(path) => {
                self.import_preview = None;
                match self.plan_import(&path) {
                    Ok(preview) => self.import_preview = Some(preview),
                    Err(e) => self.show_toast(
                        ctx,
                        format!("{} cannot be imported: {e}", path.display()),
                        None,
                    ),
                }
            }
            Command::ApplyImport => {
                let Some(preview) = self.import_preview.take() else {
                    return;
                };
                let today = self.clock.today();
                let result = self
                    .store
                    .backup_now(
                        crate::store::backup::BackupKind::BeforeImport,
                        self.clock.now(),
                    )
                    .map_err(|e| e.to_string())
                    .and_then(|_| {
                        crate::report::merge::apply(&mut self.store, &preview.plans, today)
                            .map_err(|e| e.to_string())
                    });
                let text = match result {
                    Ok(ids) => format!(
                        "✔ Imported {} patient(s). A backup was made first.",
                        ids.len()
                    ),
                    Err(e) => format!("Not imported: {e}. Nothing changed."),
                };
                self.overview = None;
                self.show_toast(ctx, text, None);
            }
            Command::CancelImport => self.import_preview = None,
            Command::ExploreDemo => self.explore_demo(ctx),
            Command::LeaveDemo => match Store::open(&self.own_db) {
                Ok(store) => {
                    self.switch_store(store, false);
                }
                Err(e) => self.show_toast(ctx, format!("Could not open your own data: {e}"), None),
            },
        }
    }

    fn start_export(
        &mut self,
        ctx: &egui::Context,
        patient: PatientId,
        kind: review::ExportKind,
        path: PathBuf,
        from: NaiveDate,
        to: NaiveDate,
    ) {
        if self.job.is_some() {
            self.show_toast(
                ctx,
                "Another file is still being written; try again in a moment.".to_owned(),
                None,
            );
            return;
        }
        let record = match self.store.patient_record(patient) {
            Ok(r) => r,
            Err(e) => {
                self.show_toast(ctx, format!("Not exported: {e}"), None);
                return;
            }
        };
        let protocol = self.protocol.clone();
        let made_at = self.clock.now();
        let (sender, receiver) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        let label = format!("Writing {}…", path.display());
        std::thread::spawn(move || {
            let result = export_file(&protocol, &record, kind, &path, from, to, made_at);
            // The window may have closed; then nobody needs the answer.
            let _ = sender.send(result);
            repaint.request_repaint();
        });
        self.job = Some(Job {
            label,
            result: receiver,
        });
    }

    /// Reads and checks a JSON or FHIR file and plans its import; writes nothing.
    fn plan_import(&self, path: &Path) -> Result<ImportPreview, String> {
        use crate::report::merge;
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let document = crate::report::read_document(&bytes, self.clock.today(), &self.protocol)
            .map_err(|e| e.to_string())?;
        let plans = merge::plan(&self.store, &document, merge::Matching::ByNameAndSurgery)
            .map_err(|e| e.to_string())?;
        Ok(ImportPreview {
            lines: plans
                .iter()
                .flat_map(merge::PatientPlan::describe)
                .collect(),
            plans,
        })
    }

    fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.job else { return };
        match job.result.try_recv() {
            Ok(result) => {
                self.job = None;
                let text = match result {
                    Ok(done) => done,
                    Err(e) => format!("Not saved: {e}"),
                };
                self.show_toast(ctx, text, None);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                self.show_toast(
                    ctx,
                    "The export stopped unexpectedly; nothing was written.".to_owned(),
                    None,
                );
            }
        }
    }

    fn refresh_overview(&mut self) {
        if self.prefs.screen != Screen::Patients {
            return;
        }
        let today = self.clock.today();
        let version = self.store.data_version();
        if self
            .overview
            .as_ref()
            .is_some_and(|(v, d, _)| *v == version && *d == today)
        {
            return;
        }
        let since = today - chrono::Days::new(crate::analysis::review::OVERVIEW_HISTORY_DAYS);
        match self.store.recent_records(since) {
            Ok(records) => {
                let rows = crate::analysis::review::overview_rows(&self.protocol, &records, today);
                self.overview = Some((version, today, rows));
            }
            Err(e) => self.load_error = Some(format!("Could not read the patients: {e}")),
        }
    }

    fn milestone_label(&self, key: &str) -> String {
        self.cache
            .current
            .as_ref()
            .and_then(|d| d.program.milestones.iter().find(|m| m.key == key))
            .map_or_else(|| key.to_owned(), |m| m.label.clone())
    }

    fn exercise_name(&self, key: &str) -> String {
        self.cache
            .current
            .as_ref()
            .and_then(|d| d.todays_plan.iter().find(|p| p.exercise_key == key))
            .map_or_else(|| key.to_owned(), |p| p.name.clone())
    }

    fn switch_store(&mut self, store: Store, exploring_demo: bool) {
        self.store = store;
        self.exploring_demo = exploring_demo;
        self.prefs.patient = None;
        self.prefs.screen = Screen::Today;
        self.cache.invalidate();
        self.today.show_day(self.clock.today());
    }

    /// Demo data goes into its own file beside the person's database, so it
    /// never mixes with their records.
    fn explore_demo(&mut self, ctx: &egui::Context) {
        let path = demo_db_path(&self.own_db);
        let result = (|| -> Result<Store, String> {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.as_os_str().to_owned();
                file.push(suffix);
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(format!("cannot replace the old demo file: {e}")),
                }
            }
            let mut store = Store::open(&path).map_err(|e| e.to_string())?;
            let options = DemoOptions {
                patients: 3,
                days: 42,
                seed: 7,
            };
            let records = demo::generate(
                &self.protocol,
                options,
                self.clock.today(),
                self.clock.now(),
            );
            store
                .insert_patient_records(&records, self.clock.today())
                .map_err(|e| e.to_string())?;
            Ok(store)
        })();
        match result {
            Ok(store) => self.switch_store(store, true),
            Err(e) => self.show_toast(ctx, format!("Could not make the demo: {e}"), None),
        }
    }

    fn navigation(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(theme::GAP_M);
        for (screen, label, key) in Screen::NAV {
            let selected = self.prefs.screen == screen;
            let button = egui::Button::selectable(selected, RichText::new(label).size(20.0))
                .min_size(egui::vec2(ui.available_width(), 44.0));
            let response = ui
                .add(button)
                .on_hover_text(format!("{label} (Ctrl+{})", key.name()));
            if response.clicked() {
                commands.push(Command::Show(screen));
            }
        }
    }

    fn header(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let today = self.clock.today();
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new("Recovery Tracker")
                    .text_style(theme::title_style())
                    .strong(),
            );
            ui.add_space(theme::GAP_L);
            let Some(current) = &self.cache.current else {
                return;
            };
            let active: Vec<_> = self.cache.active_patients().collect();
            if active.len() > 1 {
                let label = ui.label("Patient:");
                egui::ComboBox::from_id_salt("patient-switcher")
                    .selected_text(current.patient.details.name.as_str())
                    .show_ui(ui, |ui| {
                        for p in &active {
                            if ui
                                .selectable_label(
                                    p.id == current.patient.id,
                                    p.details.name.as_str(),
                                )
                                .clicked()
                            {
                                commands.push(Command::SelectPatient(p.id));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            } else {
                ui.label(RichText::new(current.patient.details.name.as_str()).strong());
            }
            let p = &current.patient;
            let days = p.days_since_surgery(today);
            let when = if days < 0 {
                format!("surgery in {} days", -days)
            } else {
                format!("week {} since surgery", p.week_since_surgery(today))
            };
            ui.label(format!(
                "· {when} · {} {}, {}",
                p.details.approach.label(),
                p.details.procedure.short_label(),
                p.details.levels
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Add patient").clicked() {
                    commands.push(Command::Show(Screen::Setup));
                }
            });
        });
    }

    fn toast_bar(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let now = ui.input(|i| i.time);
        let Some(toast) = &self.toast else { return };
        if now >= toast.until {
            self.toast = None;
            return;
        }
        // Wake up once when the toast should go, not continuously.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(toast.until - now));
        let mut close = false;
        egui::Frame::new()
            .fill(ui.visuals().extreme_bg_color)
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(theme::CORNER_RADIUS)
            .inner_margin(egui::Margin::symmetric(16, 10))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&toast.text).strong());
                    if let Some(undo) = &toast.undo
                        && ui.button("Undo").clicked()
                    {
                        commands.push(undo.clone());
                        close = true;
                    }
                    if ui.button("Dismiss").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.toast = None;
        }
    }

    fn keyboard_shortcuts(&self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        ctx.input_mut(|i| {
            for (screen, _, key) in Screen::NAV {
                if i.consume_key(egui::Modifiers::COMMAND, key) {
                    commands.push(Command::Show(screen));
                }
            }
        });
    }
}

fn style_key(prefs: &Prefs) -> (ThemeChoice, u32) {
    (prefs.theme, (prefs.text_scale * 100.0).round() as u32)
}

impl eframe::App for App {
    /// Style changes go here, before the frame's `Ui` copies the style.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.apply_style_if_changed(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.refresh_cache();

        self.poll_job(&ctx);
        self.refresh_overview();
        let mut commands = Vec::new();
        self.keyboard_shortcuts(&ctx, &mut commands);
        let has_patient = self.cache.current.is_some();
        let screen = if has_patient {
            self.prefs.screen
        } else {
            Screen::Setup
        };

        egui::Panel::top("header")
            .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(egui::Margin::symmetric(16, 10)))
            .show(ui, |ui| {
                self.header(ui, &mut commands);
                if let Some(reason) = self.store.read_only_reason() {
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
                        });
                }
                if self.exploring_demo {
                    ui.horizontal(|ui| {
                        let colors = theme::palette(ui.visuals());
                        ui.label(
                            RichText::new("You are exploring demo data: these are made-up patients, not your records.")
                                .color(colors.caution)
                                .strong(),
                        );
                        if ui.button("Back to my own data").clicked() {
                            commands.push(Command::LeaveDemo);
                        }
                    });
                }
            });
        if self.toast.is_some() {
            egui::Panel::bottom("toast")
                .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(16, 10)))
                .show(ui, |ui| self.toast_bar(ui, &mut commands));
        }
        // A narrow window (or a large text size) gets a narrower navigation.
        let nav_width = if ui.available_width() < 900.0 {
            theme::NAV_WIDTH_NARROW
        } else {
            theme::NAV_WIDTH
        };
        if has_patient {
            egui::Panel::left("navigation")
                .resizable(false)
                .exact_size(nav_width)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.navigation(ui, &mut commands));
                });
        }
        egui::CentralPanel::default()
            .frame(
                egui::Frame::central_panel(ui.style()).inner_margin(egui::Margin::same(
                    if nav_width < theme::NAV_WIDTH { 12 } else { 24 },
                )),
            )
            .show(ui, |ui| {
                if let Some(error) = &self.load_error {
                    ui.colored_label(theme::palette(ui.visuals()).urgent, error);
                    return;
                }
                let Self {
                    prefs,
                    store,
                    protocol,
                    cache,
                    exploring_demo,
                    clock,
                    today,
                    progress,
                    exercises,
                    milestones,
                    history,
                    settings,
                    setup,
                    backups,
                    patients,
                    review,
                    overview,
                    export_folder,
                    job,
                    import_preview,
                    ..
                } = self;
                let read_only = store.read_only_reason();
                let data_version = store.data_version();
                let mut ctx = AppCtx {
                    today: clock.today(),
                    now: clock.now(),
                    data_version,
                    overview: overview
                        .as_ref()
                        .map_or(&[], |(_, _, rows)| rows.as_slice()),
                    export_folder,
                    job_status: job.as_ref().map(|j| j.label.as_str()),
                    import_preview: import_preview.as_ref(),
                    protocol,
                    read_only,
                    backups,
                    patients: &cache.patients,
                    current: cache.current.as_ref(),
                    prefs,
                    db_path: store.path(),
                    exploring_demo: *exploring_demo,
                    commands: &mut commands,
                };
                match screen {
                    Screen::Today => today.ui(ui, &mut ctx),
                    Screen::Progress => progress.ui(ui, &mut ctx),
                    Screen::Exercises => exercises.ui(ui, &mut ctx),
                    Screen::Milestones => milestones.ui(ui, &mut ctx),
                    Screen::History => history.ui(ui, &mut ctx),
                    Screen::Patients => patients.ui(ui, &mut ctx),
                    Screen::Review => review.ui(ui, &mut ctx),
                    Screen::Settings => settings.ui(ui, &mut ctx),
                    Screen::Setup => setup.ui(ui, &mut ctx),
                }
            });

        if !commands.is_empty() {
            for command in commands {
                self.apply(&ctx, command);
            }
            self.refresh_cache();
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

fn sessions(n: u8) -> String {
    if n == 1 {
        "1 session".to_owned()
    } else {
        format!("{n} sessions")
    }
}

fn load_prefs(cc: &eframe::CreationContext<'_>) -> Prefs {
    cc.storage
        .and_then(|s| eframe::get_value(s, PREFS_KEY))
        .unwrap_or_default()
}

/// Writes one export file; runs on a worker thread.
fn export_file(
    protocol: &Protocol,
    record: &crate::model::PatientRecord,
    kind: review::ExportKind,
    path: &Path,
    from: NaiveDate,
    to: NaiveDate,
    made_at: chrono::DateTime<chrono::Utc>,
) -> Result<String, String> {
    use crate::report::{csv_exchange, json_exchange, pdf};
    if path.as_os_str().is_empty() {
        return Err("choose where to save the file".to_owned());
    }
    let bytes = match kind {
        review::ExportKind::Pdf => pdf::render(
            protocol,
            record,
            pdf::ReportOptions {
                from,
                to,
                paper: pdf::Paper::A4,
                made_at,
            },
        ),
        review::ExportKind::Json => {
            let document = json_exchange::Document {
                format: json_exchange::FORMAT_NAME.to_owned(),
                version: json_exchange::FORMAT_VERSION,
                patients: vec![record.within(from, to)],
            };
            let mut bytes = Vec::new();
            document.write(&mut bytes).map_err(|e| e.to_string())?;
            bytes
        }
        review::ExportKind::Fhir => {
            let bundle = crate::report::fhir::export(
                &record.within(from, to),
                crate::report::fhir::BundleKind::Collection,
                made_at,
            );
            let mut bytes = serde_json::to_vec_pretty(&bundle).map_err(|e| e.to_string())?;
            bytes.push(b'\n');
            bytes
        }
        review::ExportKind::Csv => {
            let mut bytes = Vec::new();
            csv_exchange::write_check_ins(
                &[(record.patient.id, &record.within(from, to).check_ins)],
                &mut bytes,
            )
            .map_err(|e| e.to_string())?;
            bytes
        }
    };
    crate::store::files::write_private_file(path, &bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!("✔ Saved {}.", path.display()))
}

/// The demo file beside a database: `clinic.db` → `clinic-demo.db`.
pub fn demo_db_path(own: &Path) -> PathBuf {
    let stem = own.file_stem().map_or_else(
        || "recovery-tracker".into(),
        |s| s.to_string_lossy().into_owned(),
    );
    own.with_file_name(format!("{stem}-demo.db"))
}

/// Choices given on the command line, which win over remembered ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartOptions {
    pub theme: Option<ThemeChoice>,
    /// 1.0 is 100 %.
    pub text_scale: Option<f32>,
    /// For measuring start-up: print the time from this instant to the end
    /// of the first frame, then close.
    pub exit_after_first_frame: Option<std::time::Instant>,
}

/// Prints how long the first frame took to arrive and closes the window.
struct FirstFrameTimer<A> {
    app: A,
    started: std::time::Instant,
}

impl<A: eframe::App> eframe::App for FirstFrameTimer<A> {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.app.logic(ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.app.ui(ui, frame);
        println!(
            "first frame after {:.1} ms",
            self.started.elapsed().as_secs_f64() * 1000.0
        );
        // Exit at once: a measurement needs no saving of window state, and
        // a close request can wait for the window manager.
        std::process::exit(0);
    }
}

/// Opens the window on the database at `db`. If the database cannot be
/// opened, the window says why and offers what can be done (restore the
/// newest good backup, try again), rather than failing on the command line.
pub fn run(
    db: PathBuf,
    protocol: Protocol,
    clock: Clock,
    start: StartOptions,
) -> Result<(), RunError> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Recovery Tracker")
            .with_app_id("recovery-tracker")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 520.0]),
        ..Default::default()
    };
    eframe::run_native(
        "recovery-tracker",
        options,
        Box::new(move |cc| {
            let mut prefs = load_prefs(cc);
            if let Some(theme) = start.theme {
                prefs.theme = theme;
            }
            if let Some(scale) = start.text_scale {
                prefs.text_scale = scale.clamp(theme::MIN_TEXT_SCALE, theme::MAX_TEXT_SCALE);
            }
            let root = recovery::Root::open(&cc.egui_ctx, db, prefs, protocol, clock);
            Ok(match start.exit_after_first_frame {
                Some(started) => {
                    Box::new(FirstFrameTimer { app: root, started }) as Box<dyn eframe::App>
                }
                None => Box::new(root),
            })
        }),
    )
    .map_err(|e| RunError::Window(e.to_string()))
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("cannot open the window: {0}")]
    Window(String),
}
