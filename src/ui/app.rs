//! The window's frame loop and layout: header, side bar, the current
//! screen, the toast. Screens push [`Command`]s while they lay out; after
//! the frame the app applies them (data edits through
//! [`crate::session::apply`]) and routes each outcome to the screen whose
//! form it concerns.

use super::background_backup::{DailyBackup, DailyBackupState};
use super::cache::Cache;
use super::command::Command;
use super::file_dialog::{FileChooser, SystemDialog};
use super::import::ImportPreview;
use super::jobs::{ExportRequest, Job, JobState, SyncAnswer, SyncJob};
use super::nav::{self, Screen};
use super::prefs::Prefs;
use super::reminder::Reminder;
use super::screens::{self, ReceivesOutcome};
use super::theme::{self, ThemeChoice};
use super::toast::Toast;
use super::{demo_mode, header, widgets};
use crate::analysis::review::OverviewRow;
use crate::clock::Clock;
use crate::model::{Patient, PatientId, UseMode};
use crate::protocol::Protocol;
use crate::session::{self, Edit, Form, Outcome};
use crate::store::Store;
use crate::store::backup::{self, BackupFile, BackupKind};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use super::cache::PatientData as CachedPatient;

/// What a screen gets each frame: read-only data and a place for commands.
pub struct AppView<'a> {
    pub today: NaiveDate,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Bumped by every write; screens key their own caches on it.
    pub data_version: u64,
    /// Every patient's line for the Patients screen (filled while it shows).
    pub overview: &'a [OverviewRow],
    /// The lines are being read (a large clinic's, off the frame); those
    /// shown, if any, are of an earlier moment.
    pub overview_reading: bool,
    /// Where export dialogs suggest saving.
    pub export_folder: &'a Path,
    /// The computer's file dialog (a fake in tests).
    pub file_chooser: &'a dyn FileChooser,
    /// What the background job is doing, while one runs.
    pub job_status: Option<&'a str>,
    /// The clinic's FHIR server set for the file, if one is.
    pub clinic_server: Option<&'a str>,
    /// What the push to or pull from it is doing, while one runs.
    pub sync_status: Option<&'a str>,
    /// The last name search of the server: the words, and whom it found.
    pub clinic_matches: Option<&'a (String, Vec<crate::sync::FoundPatient>)>,
    pub protocol: &'a Protocol,
    /// Who the file is for: which screens and tools exist.
    pub use_mode: UseMode,
    pub patients: &'a [Patient],
    pub current: Option<&'a CachedPatient>,
    pub prefs: &'a Prefs,
    pub db_path: &'a Path,
    pub exploring_demo: bool,
    /// Why nothing can be saved, when the database is read-only.
    pub read_only: Option<&'a str>,
    /// The database's backups, newest first (read when Settings opens).
    pub backups: &'a [BackupFile],
    /// Why today's automatic backup could not be made, if it could not.
    pub backup_problem: Option<&'a str>,
    /// How the page's scroll area starts this frame.
    pub page: PageView,
    commands: &'a mut Vec<Command>,
    first_control: &'a mut Option<egui::Id>,
}

/// What a screen's page needs from the frame loop: whether it was just
/// opened (it starts at the top).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageView {
    pub fresh: bool,
}

/// The frame loop's memory of the page between frames.
#[derive(Debug)]
struct PageState {
    view: PageView,
    /// The widget that had the focus at the end of the last frame.
    last_focus: Option<egui::Id>,
    /// The central panel's area last frame: focus outside it is in the
    /// header or side bar.
    area: egui::Rect,
}

impl AppView<'_> {
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Asks for a change to the data.
    pub fn edit(&mut self, edit: Edit) {
        self.commands.push(Command::Edit(edit));
    }

    /// Names the page's first control: where Tab goes first, before the
    /// header and side bar (which Shift+Tab and Ctrl+1…8 still reach).
    pub fn first_control(&mut self, id: egui::Id) {
        self.first_control.get_or_insert(id);
    }
}

/// Where today's automatic backup is.
enum DailyBackupRun {
    NotStarted,
    Running(DailyBackup),
    Done,
}

pub struct App {
    pub(super) prefs: Prefs,
    store: Store,
    protocol: Protocol,
    /// The person's own database; while exploring the demo, `store` is
    /// another file beside it.
    own_db: PathBuf,
    exploring_demo: bool,
    clock: Clock,
    pub(super) cache: Cache,
    /// A problem reading the database, shown instead of stale data.
    load_error: Option<String>,
    toast: Option<Toast>,
    applied_style: Option<(ThemeChoice, u32)>,
    /// Listed when Settings is opened or a backup is made, not per frame.
    backups: Vec<BackupFile>,
    /// The Patients screen's rows and the data version and day they are of.
    /// A failed reading is kept too, so that it is said (every frame, as
    /// the cache's refresh clears the error line) and not read again and
    /// again until the data or the day changes.
    overview: Option<(u64, NaiveDate, Result<Vec<OverviewRow>, String>)>,
    /// A large clinic's rows being read on a thread of their own.
    overview_reading: Option<super::patient_list::Reading>,
    export_folder: PathBuf,
    job: Option<Job>,
    /// A push to or pull from the clinic's server, while one runs.
    sync_job: Option<SyncJob>,
    /// The clinic's server set for the file, and the file it was read
    /// from (read again only when the file changes: no SQL per frame).
    sync_server: (PathBuf, Option<String>),
    /// The last name search of the clinic's server: the words, and whom it
    /// found.
    clinic_matches: Option<(String, Vec<crate::sync::FoundPatient>)>,
    /// Today's backup, started after the first frame; `Done` when finished
    /// (or not wanted: a read-only file, or already made).
    daily_backup: DailyBackupRun,
    backup_problem: Option<String>,
    /// The day's check found the file damaged (writes are refused).
    damage_found: bool,
    /// The person asked for the recovery window (after damage was found).
    wants_recovery: bool,
    import_preview: Option<ImportPreview>,
    /// A file given on the command line (or double-clicked), previewed on
    /// the first frame.
    opening: Option<PathBuf>,
    reminder: Reminder,
    screens: screens::Screens,
    page: PageState,
    /// Whether the mode's home screen was opened for this file: a patient
    /// starts on Today, a clinic on the patient list.
    at_home: bool,
    file_chooser: Arc<dyn FileChooser>,
}

impl App {
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        store: Store,
        protocol: Protocol,
        clock: Clock,
    ) -> Self {
        theme::install_fonts(&cc.egui_ctx);
        Self::with_prefs(&cc.egui_ctx, Prefs::load(cc), store, protocol, clock)
    }

    /// When the person asked to leave a damaged file: what the recovery
    /// window needs (the file, preferences, protocol and clock).
    pub(super) fn recovery_wanted(&self) -> Option<(PathBuf, Prefs, Protocol, Clock)> {
        self.wants_recovery.then(|| {
            (
                self.own_db.clone(),
                self.prefs.clone(),
                self.protocol.clone(),
                self.clock,
            )
        })
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
        let backups = backup::list(&own_db);
        let export_folder = directories::UserDirs::new()
            .and_then(|d| {
                d.document_dir()
                    .map(Path::to_path_buf)
                    .or_else(|| Some(d.home_dir().to_path_buf()))
            })
            .unwrap_or_else(|| own_db.parent().map_or_else(PathBuf::new, Path::to_path_buf));
        theme::apply(ctx, prefs.theme, prefs.text_scale);
        let applied_style = Some(prefs.style_key());
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
            overview_reading: None,
            export_folder,
            job: None,
            sync_job: None,
            sync_server: (PathBuf::new(), None),
            clinic_matches: None,
            daily_backup: DailyBackupRun::NotStarted,
            backup_problem: None,
            damage_found: false,
            wants_recovery: false,
            import_preview: None,
            opening: None,
            reminder: Reminder::default(),
            screens: screens::Screens::new(today),
            page: PageState {
                view: PageView { fresh: true },
                last_focus: None,
                area: egui::Rect::NOTHING,
            },
            at_home: false,
            file_chooser: Arc::new(SystemDialog),
        }
    }

    /// Shows `path` in the import preview on the next frame.
    pub fn preview_import(&mut self, path: PathBuf) {
        self.opening = Some(path);
    }

    /// The same app with another way of choosing files (tests answer the
    /// dialog themselves).
    #[must_use]
    pub fn with_file_chooser(mut self, chooser: Arc<dyn FileChooser>) -> Self {
        self.file_chooser = chooser;
        self
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

    fn show_toast(&mut self, ctx: &egui::Context, text: String, undo: Option<Edit>) {
        self.toast = Some(Toast::new(ctx, text, undo));
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let today = self.clock.today();
        match command {
            Command::Edit(edit) => {
                let outcome = session::apply(&mut self.store, edit, today, self.clock.now());
                self.route(ctx, &outcome);
            }
            Command::Show(screen) => self.show(screen),
            Command::SelectPatient(id) => {
                self.prefs.patient = Some(id);
                self.screens.today.show_day(today);
                self.page.view.fresh = true;
            }
            Command::EditDay(day) => {
                self.screens.today.show_day(day);
                self.prefs.screen = Screen::Today;
                self.page.view.fresh = true;
            }
            Command::RecordOdi => {
                self.screens.progress.show_odi(today);
                self.show(Screen::Progress);
            }
            Command::Pref(change) => self.prefs.change(change),
            Command::Export(request) => self.start_export(ctx, request),
            Command::PreviewImport(path) => {
                self.import_preview = None;
                match ImportPreview::read(&self.store, &self.protocol, &path, today) {
                    Ok(preview) => self.import_preview = Some(preview),
                    Err(e) => self.show_toast(
                        ctx,
                        format!("{} cannot be imported: {e}", path.display()),
                        None,
                    ),
                }
            }
            Command::ApplyImport => {
                if let Some(preview) = self.import_preview.take() {
                    let text = preview.apply(&mut self.store, today, self.clock.now());
                    self.overview = None;
                    self.show_toast(ctx, text, None);
                }
            }
            Command::CancelImport => self.import_preview = None,
            Command::SaveClinicServer { url, token } => self.save_clinic_server(ctx, &url, &token),
            Command::SendToClinic { everything } => self.send_to_clinic(ctx, everything),
            Command::GetFromClinic(identifier) => self.get_from_clinic(ctx, &identifier),
            Command::FindOnClinic(search) => self.find_on_clinic(ctx, &search),
            Command::BackupNow => {
                let text = match self.store.backup_now(BackupKind::Manual, self.clock.now()) {
                    Ok(path) => format!("✔ Backed up to {}.", path.display()),
                    Err(e) => format!("Backup failed: {e}"),
                };
                self.backups = backup::list(self.store.path());
                self.show_toast(ctx, text, None);
            }
            Command::RestoreBackup(path) => self.restore(ctx, &path),
            Command::ExploreDemo => {
                match demo_mode::open_demo(&self.own_db, &self.protocol, &self.clock) {
                    Ok(store) => self.switch_store(store, true),
                    Err(e) => self.show_toast(ctx, format!("Could not make the demo: {e}"), None),
                }
            }
            Command::OpenFile(file) => {
                if let Err(e) = opener::open(&file) {
                    self.show_toast(ctx, format!("Could not open {}: {e}", file.display()), None);
                }
            }
            Command::ShowInFolder(file) => {
                if let Err(e) = opener::reveal(&file) {
                    self.show_toast(
                        ctx,
                        format!("Could not show {} in its folder: {e}", file.display()),
                        None,
                    );
                }
            }
            Command::OfferRecovery => self.wants_recovery = true,
            Command::LeaveDemo => match Store::open(&self.own_db) {
                Ok(store) => self.switch_store(store, false),
                Err(e) => self.show_toast(ctx, format!("Could not open your own data: {e}"), None),
            },
        }
    }

    /// The one place an edit's outcome goes: the form it concerns hears of
    /// it, the confirmation (with its undo) shows as a toast, and an error
    /// is also a toast when its form is not on screen.
    fn route(&mut self, ctx: &egui::Context, outcome: &Outcome) {
        let screens = &mut self.screens;
        let (receiver, home): (&mut dyn ReceivesOutcome, Screen) = match outcome.form {
            Form::CheckIn => (&mut screens.today, Screen::Today),
            Form::Odi | Form::Psfs => (&mut screens.progress, Screen::Progress),
            Form::Milestones => (&mut screens.milestones, Screen::Milestones),
            Form::Exercises => (&mut screens.exercises, Screen::Exercises),
            Form::Patient if self.prefs.screen == Screen::About => {
                (&mut screens.about, Screen::About)
            }
            Form::Patient => (&mut screens.setup, Screen::Setup),
            Form::PatientList => (&mut screens.patients, Screen::Patients),
            Form::Review => (&mut screens.review, Screen::Review),
            Form::Settings => (&mut screens.settings, Screen::Settings),
        };
        receiver.receive(outcome);
        if let Some(id) = outcome.created {
            self.prefs.patient = Some(id);
            self.prefs.screen = Screen::Today;
            self.screens.setup = screens::setup::SetupScreen::new(self.clock.today());
        }
        if let Some(message) = &outcome.message {
            self.show_toast(ctx, message.clone(), outcome.undo.clone());
        } else if let Some(error) = &outcome.error
            && self.prefs.screen != home
        {
            self.show_toast(ctx, error.message.clone(), None);
        }
    }

    fn show(&mut self, screen: Screen) {
        if screen == Screen::Today && self.prefs.screen != Screen::Today {
            self.screens.today.show_day(self.clock.today());
        }
        if screen == Screen::Settings {
            self.backups = backup::list(self.store.path());
        }
        // Each screen opens at its top, whichever screen was scrolled before.
        self.page.view.fresh = true;
        self.prefs.screen = screen;
    }

    fn restore(&mut self, ctx: &egui::Context, path: &Path) {
        let restored = crate::exchange::restore(
            &mut self.store,
            path,
            &self.protocol,
            self.clock.today(),
            self.clock.now(),
        );
        let text = match restored {
            Ok(done) => format!(
                "✔ Restored {}. What was there before is kept in {}.",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                done.safety_copy.display()
            ),
            Err(e) => format!("Not restored: {e}. Nothing changed."),
        };
        self.backups = backup::list(self.store.path());
        self.screens.today.show_day(self.clock.today());
        self.show_toast(ctx, text, None);
    }

    fn start_export(&mut self, ctx: &egui::Context, request: ExportRequest) {
        if self.job.is_some() {
            self.show_toast(
                ctx,
                "Another file is still being written; try again in a moment.".to_owned(),
                None,
            );
            return;
        }
        match self.store.patient_record(request.patient) {
            Ok(record) => {
                let job = Job::export(
                    ctx,
                    self.protocol.clone(),
                    record,
                    request,
                    self.clock.now(),
                );
                self.job = Some(job);
            }
            Err(e) => self.show_toast(ctx, format!("Not exported: {e}"), None),
        }
    }

    /// Starts today's backup once, after the first frame is laid out (the
    /// thread's start is all the frame waits for), and takes its answer.
    fn run_daily_backup(&mut self, ctx: &egui::Context) {
        match &self.daily_backup {
            DailyBackupRun::NotStarted => {
                self.daily_backup = if self.store.read_only_reason().is_some() {
                    DailyBackupRun::Done
                } else {
                    DailyBackup::start(ctx, self.own_db.clone(), self.clock.today())
                        .map_or(DailyBackupRun::Done, DailyBackupRun::Running)
                };
            }
            DailyBackupRun::Running(run) => match run.poll() {
                DailyBackupState::Running => {}
                DailyBackupState::Made => {
                    self.daily_backup = DailyBackupRun::Done;
                    self.backups = backup::list(&self.own_db);
                }
                DailyBackupState::Failed(failure) => {
                    self.daily_backup = DailyBackupRun::Done;
                    // A damaged file is written to no more: what is on
                    // screen stays readable, and the header offers the
                    // recovery window with the newest good backup.
                    // Found while the demo file is open, it still holds for
                    // the person's own file when they come back to it.
                    if failure.damaged {
                        self.damage_found = true;
                        self.refuse_writes_if_damaged();
                    }
                    // Otherwise the person is never kept out for it; the
                    // next start tries again, and Settings says what happened.
                    self.backup_problem = Some(failure.words);
                }
            },
            DailyBackupRun::Done => {}
        }
    }

    /// Reads the clinic's server set for the open file, when the file is
    /// not the one it was read from.
    fn refresh_clinic_server(&mut self) {
        if self.sync_server.0 != self.store.path() {
            self.sync_server = (
                self.store.path().to_path_buf(),
                self.store.sync_server().ok().flatten(),
            );
        }
    }

    /// The clinic's server set for the open file, with its saved token
    /// (read from its file only here, when a person asks for a sync).
    fn clinic_server(&mut self) -> Option<crate::sync::Server> {
        self.refresh_clinic_server();
        let url = self.sync_server.1.clone()?;
        Some(crate::sync::Server {
            token: crate::sync::saved_token(self.store.path(), &url),
            url,
        })
    }

    fn save_clinic_server(&mut self, ctx: &egui::Context, url: &str, token: &str) {
        let url = url.trim();
        let token = token.trim();
        let checked = if url.is_empty() {
            Ok(())
        } else {
            crate::sync::check_address(url).and_then(|()| {
                if token.is_empty() {
                    Ok(())
                } else {
                    crate::sync::check_token(token)
                }
            })
        };
        if let Err(e) = checked {
            self.show_toast(ctx, format!("Not saved: {e}."), None);
            return;
        }
        let address = (!url.is_empty()).then_some(url);
        let same_server = self
            .clinic_server()
            .is_some_and(|s| s.key() == url.trim_end_matches('/'));
        let token = token.trim();
        let saved = self
            .store
            .set_sync_server(address)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                // An empty token box keeps the token saved for the same
                // server; another server, or none, drops it.
                if token.is_empty() && same_server {
                    return Ok(());
                }
                let token = address.and(Some(token)).filter(|t| !t.is_empty());
                crate::sync::save_token(self.store.path(), url, token)
                    .map_err(|e| format!("the token could not be saved: {e}"))
            });
        self.sync_server = (self.store.path().to_path_buf(), address.map(str::to_owned));
        let text = match (saved, address) {
            (Err(e), _) => format!("Not saved: {e}"),
            (Ok(()), Some(url)) => {
                format!("✔ Clinic server set: {url}. Nothing is sent until you press Send.")
            }
            (Ok(()), None) => "✔ Clinic sync turned off.".to_owned(),
        };
        self.show_toast(ctx, text, None);
    }

    /// The clinic's server, when a sync can start now; otherwise says why
    /// not.
    fn server_for_sync(&mut self, ctx: &egui::Context) -> Option<crate::sync::Server> {
        let why_not = if self.sync_job.is_some() {
            "The clinic's server is still being talked to; try again in a moment."
        } else if let Some(server) = self.clinic_server() {
            return Some(server);
        } else {
            "Set the clinic's server in Settings first."
        };
        self.show_toast(ctx, why_not.to_owned(), None);
        None
    }

    fn send_to_clinic(&mut self, ctx: &egui::Context, everything: bool) {
        let Some(server) = self.server_for_sync(ctx) else {
            return;
        };
        let Some(patient) = self
            .cache
            .current
            .as_ref()
            .map(|p| (p.patient.id, p.patient.details.name.clone()))
        else {
            self.show_toast(ctx, "Choose a patient first.".to_owned(), None);
            return;
        };
        self.sync_job = Some(SyncJob::push(
            ctx,
            self.store.path().to_path_buf(),
            server,
            patient,
            everything,
            self.clock.now(),
        ));
    }

    fn get_from_clinic(&mut self, ctx: &egui::Context, identifier: &str) {
        let identifier = identifier.trim().to_owned();
        if identifier.is_empty() {
            self.show_toast(
                ctx,
                "Type the patient's number on the clinic's server first.".to_owned(),
                None,
            );
        } else if let Some(server) = self.server_for_sync(ctx) {
            self.sync_job = Some(SyncJob::pull(
                ctx,
                server,
                identifier,
                self.protocol.clone(),
                self.clock.today(),
            ));
        }
    }

    fn find_on_clinic(&mut self, ctx: &egui::Context, search: &str) {
        let search = search.trim().to_owned();
        if search.is_empty() {
            self.show_toast(
                ctx,
                "Type a name or the patient's number first.".to_owned(),
                None,
            );
        } else if let Some(server) = self.server_for_sync(ctx) {
            self.clinic_matches = None;
            self.sync_job = Some(SyncJob::find(ctx, server, search));
        }
    }

    fn poll_sync_job(&mut self, ctx: &egui::Context) {
        let Some(answer) = self.sync_job.as_ref().and_then(|job| job.poll(ctx)) else {
            return;
        };
        self.sync_job = None;
        let text = match answer {
            SyncAnswer::Pushed {
                text,
                db,
                server,
                patient,
                changes,
            } => {
                // Written down in the file it was sent from, even if the
                // window opened another (the demo) meanwhile.
                let noted = if changes.is_empty() {
                    Ok(())
                } else if db == self.store.path() {
                    self.store.record_fhir_push(&server, patient, &changes)
                } else {
                    Store::open(&db)
                        .and_then(|mut store| store.record_fhir_push(&server, patient, &changes))
                };
                match noted {
                    Ok(()) => text,
                    Err(e) => format!(
                        "The clinic's server took it, but this computer could not note that it was sent ({e}). The next send may be refused as someone else's change; \"Send everything again\" puts it right."
                    ),
                }
            }
            SyncAnswer::Pulled {
                server,
                identifier,
                document,
            } => match ImportPreview::from_server(&self.store, &document, &server, &identifier) {
                Ok(preview) => {
                    self.import_preview = Some(preview);
                    return;
                }
                Err(e) => {
                    format!("Patient {identifier} from the clinic's server cannot be imported: {e}")
                }
            },
            SyncAnswer::Found { search, matches } => {
                self.clinic_matches = Some((search, matches));
                return;
            }
            SyncAnswer::Failed(text) => text,
        };
        self.show_toast(ctx, text, None);
    }

    fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.job else { return };
        if let JobState::Finished(text, file) = job.poll(ctx) {
            self.job = None;
            let toast = Toast::new(ctx, text, None);
            self.toast = Some(match file {
                Some(file) => toast.about_file(file),
                None => toast,
            });
        }
    }

    fn refresh_overview(&mut self, ctx: &egui::Context) {
        use super::patient_list::{Polled, READ_OFF_THE_FRAME_FROM, Reading};
        if self.prefs.screen != Screen::Patients {
            return;
        }
        let today = self.clock.today();
        let version = self.store.data_version();
        if let Some((v, d, rows)) = &self.overview
            && *v == version
            && *d == today
        {
            if let Err(e) = rows {
                self.load_error = Some(format!("Could not read the patients: {e}"));
            }
            return;
        }
        if let Some(reading) = &self.overview_reading
            && reading.version == version
            && reading.today == today
        {
            match reading.poll(ctx) {
                Polled::Reading => {}
                Polled::Done(rows) => {
                    self.overview = Some((version, today, rows));
                    self.overview_reading = None;
                    // Says the error, if any, in this frame.
                    self.refresh_overview(ctx);
                }
            }
            return;
        }
        // A large clinic's rows are read on a connection and thread of
        // their own; the rows shown meanwhile (if any) stay until then.
        if self.cache.patients.len() >= READ_OFF_THE_FRAME_FROM
            && let Ok(reader) = self.store.second_reader()
        {
            self.overview_reading = Some(Reading::start(
                ctx,
                reader,
                self.protocol.clone(),
                version,
                today,
            ));
            return;
        }
        let rows = super::patient_list::rows(&self.store, &self.protocol, today)
            .map_err(|e| e.to_string());
        self.overview = Some((version, today, rows));
        self.refresh_overview(ctx);
    }

    /// The person's own file, once found damaged, is written to no more,
    /// however often it is opened again in this window.
    fn refuse_writes_if_damaged(&mut self) {
        if self.damage_found && self.store.path() == self.own_db {
            self.store.refuse_writes(
                "the day's check found damage in the file, so nothing more is written to it"
                    .to_owned(),
            );
        }
    }

    fn switch_store(&mut self, store: Store, exploring_demo: bool) {
        self.store = store;
        // Rows are keyed on the data version, which each file counts from
        // its opening: another file's rows would pass for this one's.
        self.overview = None;
        self.overview_reading = None;
        self.refuse_writes_if_damaged();
        self.exploring_demo = exploring_demo;
        self.prefs.patient = None;
        self.at_home = false;
        self.cache.invalidate();
        self.screens.today.show_day(self.clock.today());
        self.page.view.fresh = true;
    }

    /// The current screen, in the central panel. Returns the page's first
    /// control, if the screen named one.
    fn central(
        &mut self,
        ui: &mut egui::Ui,
        screen: Screen,
        commands: &mut Vec<Command>,
    ) -> Option<egui::Id> {
        if let Some(error) = &self.load_error {
            ui.colored_label(theme::palette(ui.visuals()).urgent, error);
            return None;
        }
        // Read when the file changes, not per frame.
        self.refresh_clinic_server();
        let Self {
            prefs,
            store,
            protocol,
            cache,
            sync_server,
            sync_job,
            clinic_matches,
            exploring_demo,
            clock,
            backups,
            backup_problem,
            overview,
            overview_reading,
            export_folder,
            job,
            screens,
            page,
            file_chooser,
            ..
        } = self;
        let mut first_control = None;
        let mut view = AppView {
            today: clock.today(),
            now: clock.now(),
            data_version: store.data_version(),
            overview: overview
                .as_ref()
                .and_then(|(_, _, rows)| rows.as_ref().ok())
                .map_or(&[], Vec::as_slice),
            // Not read yet, or being read.
            overview_reading: overview.is_none() || overview_reading.is_some(),
            export_folder,
            file_chooser: file_chooser.as_ref(),
            job_status: job.as_ref().map(|j| j.label.as_str()),
            clinic_server: sync_server.1.as_deref(),
            sync_status: sync_job.as_ref().map(|j| j.label.as_str()),
            clinic_matches: clinic_matches.as_ref(),
            protocol,
            read_only: store.read_only_reason(),
            backups,
            backup_problem: backup_problem.as_deref(),
            use_mode: cache.use_mode,
            patients: &cache.patients,
            current: cache.current.as_ref(),
            prefs,
            db_path: store.path(),
            exploring_demo: *exploring_demo,
            page: page.view,
            commands,
            first_control: &mut first_control,
        };
        screens.ui(screen, ui, &mut view);
        first_control
    }

    /// What comes from outside the window: a file it was opened with (the
    /// import preview), and the daily reminder (told the setting; a click
    /// on its notification opens Today).
    fn outside_requests(&mut self, ctx: &egui::Context, mode: UseMode) {
        if let Some(path) = self.opening.take() {
            self.apply(ctx, Command::PreviewImport(path));
        }
        // The reminder is the patient's own: a clinic's file has none.
        let reminder = match mode {
            UseMode::Own => self.prefs.reminder,
            UseMode::Clinic => None,
        };
        let patient = self.prefs.patient;
        self.reminder
            .want(ctx, self.clock, reminder, patient, self.store.path());
        // Today is opened from another screen; on Today, whatever is being
        // typed stays as it is.
        if self.reminder.take_open_today() && self.prefs.screen != Screen::Today {
            self.show(Screen::Today);
        }
    }

    /// After the frame: Tab from nowhere goes to the page, not the side
    /// bar. (The page brings its own focused widget into view.)
    fn follow_focus(&mut self, ctx: &egui::Context, tab_forward: bool, first: Option<egui::Id>) {
        self.page.view.fresh = false;
        let focused = ctx.memory(|m| m.focused());
        let rect_of = |id: egui::Id| ctx.read_response(id).map(|r| r.rect);
        if tab_forward
            && self.page.last_focus.is_none()
            && let (Some(now), Some(first)) = (focused, first)
            && rect_of(now).is_some_and(|r| !self.page.area.contains(r.center()))
        {
            ctx.memory_mut(|m| m.request_focus(first));
            self.page.last_focus = Some(first);
            ctx.request_repaint();
            return;
        }
        self.page.last_focus = focused;
    }
}

impl eframe::App for App {
    /// Style changes go here, before the frame's `Ui` copies the style.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let key = self.prefs.style_key();
        if self.applied_style != Some(key) {
            theme::apply(ctx, self.prefs.theme, self.prefs.text_scale);
            self.applied_style = Some(key);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.refresh_cache();
        self.poll_job(&ctx);
        self.poll_sync_job(&ctx);
        let mode = self.cache.use_mode;
        self.outside_requests(&ctx, mode);
        // A file opens on its mode's home; a screen the mode does not have
        // (after a switch in Settings) gives way to it.
        if !self.at_home || !self.prefs.screen.belongs_to(mode) {
            self.show(Screen::home(mode));
            self.at_home = true;
        }
        // After the screen is settled: a clinic opens on the Patients view,
        // whose rows then start being read in this very frame.
        self.refresh_overview(&ctx);
        let mut commands = Vec::new();
        nav::shortcuts(&ctx, mode, &mut commands);
        let has_patient = self.cache.current.is_some();
        let screen = if has_patient {
            self.prefs.screen
        } else {
            Screen::Setup
        };

        let width = ui.available_width();
        let compact = width < theme::COMPACT_BELOW;
        let narrow = width < theme::NARROW_BELOW;
        egui::Panel::top("header")
            .frame(
                egui::Frame::side_top_panel(ui.style())
                    .inner_margin(egui::Margin::symmetric(if narrow { 10 } else { 16 }, 8)),
            )
            .show(ui, |ui| {
                let state = header::HeaderState {
                    today: self.clock.today(),
                    read_only: self.store.read_only_reason(),
                    damaged: self.damage_found && self.store.path() == self.own_db,
                    exploring_demo: self.exploring_demo,
                    menu: (compact && has_patient).then_some(self.prefs.screen),
                    narrow,
                };
                header::ui(ui, &self.cache, &state, &mut commands);
            });
        if self.toast.as_ref().is_some_and(|t| t.expired(&ctx)) {
            self.toast = None;
            // Panels settle into the freed space over two frames; without
            // the second an empty band stays until the next input.
            ctx.request_repaint();
        }
        if let Some(toast) = &self.toast {
            let mut close = false;
            egui::Panel::bottom("toast")
                .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(16, 10)))
                .show(ui, |ui| close = toast.ui(ui, &mut commands));
            if close {
                self.toast = None;
                ctx.request_repaint();
            }
        }
        // A narrow window (or a large text size) gets a narrower navigation,
        // a very narrow one none (the screens are a menu in the header).
        let nav_width = if narrow {
            theme::NAV_WIDTH_NARROW
        } else {
            theme::NAV_WIDTH
        };
        if has_patient && !compact {
            egui::Panel::left("navigation")
                .resizable(false)
                .exact_size(nav_width)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        nav::side_bar(ui, mode, self.prefs.screen, &mut commands);
                        if matches!(self.daily_backup, DailyBackupRun::Running(_)) {
                            ui.add_space(theme::GAP_M);
                            widgets::hint(ui, "Backing up…");
                        }
                    });
                });
        }
        let tab_forward = ctx.input(|i| i.key_pressed(egui::Key::Tab) && !i.modifiers.shift);
        let central = egui::CentralPanel::default()
            .frame(
                egui::Frame::central_panel(ui.style())
                    .inner_margin(egui::Margin::same(if narrow { 10 } else { 24 })),
            )
            .show(ui, |ui| self.central(ui, screen, &mut commands));
        self.page.area = central.response.rect;
        self.follow_focus(&ctx, tab_forward, central.inner);
        if let Some(preview) = &self.import_preview {
            preview.dialog(&ctx, self.store.read_only_reason(), &mut commands);
        }

        if !commands.is_empty() {
            for command in commands {
                self.apply(&ctx, command);
            }
            self.refresh_cache();
            ctx.request_repaint();
        }
        self.run_daily_backup(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.store(storage);
    }
}
