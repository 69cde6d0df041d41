//! What the window shows when the database cannot be opened: the reason in
//! plain words and what can be done. A damaged file is never overwritten:
//! it is moved aside and the newest good backup put in its place.

use super::{App, Prefs, theme, widgets};
use crate::clock::Clock;
use crate::protocol::Protocol;
use crate::store::backup::{self, BackupCheck, BackupFile};
use crate::store::{Store, StoreError};
use egui::RichText;
use std::path::PathBuf;

pub enum Root {
    Running(Box<App>),
    Problem(Box<DatabaseProblem>),
}

pub struct DatabaseProblem {
    db: PathBuf,
    /// A file to preview for import once the database opens.
    pending_import: Option<PathBuf>,
    prefs: Prefs,
    protocol: Protocol,
    clock: Clock,
    problem: Problem,
    error: String,
    backup: Option<(BackupFile, BackupCheck)>,
    message: Option<String>,
    /// The window was opened because the day's check found damage: the
    /// file opens again only if SQLite's quick check of it passes.
    checked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Not a database of ours, or damaged: a backup may help.
    Damaged,
    /// Another window has it open: closing that helps.
    InUse,
    /// Written by a newer version: updating the app helps.
    TooNew,
    /// A write-ahead log beside the file that is not its own.
    ForeignLog,
    Other,
}

impl Root {
    pub fn open(
        ctx: &egui::Context,
        db: PathBuf,
        prefs: Prefs,
        protocol: Protocol,
        clock: Clock,
    ) -> Self {
        theme::install_fonts(ctx);
        theme::apply(ctx, prefs.theme, prefs.text_scale);
        match Store::open(&db) {
            // Today's backup is made after the first frame, in the
            // background (see `background_backup`).
            Ok(store) => Root::Running(Box::new(App::with_prefs(
                ctx, prefs, store, protocol, clock,
            ))),
            Err(error) => Root::Problem(Box::new(DatabaseProblem::new(
                db, prefs, protocol, clock, &error,
            ))),
        }
    }
}

impl Root {
    /// Opens `path` in the import preview (now, or once the database opens).
    pub fn preview_import(&mut self, path: PathBuf) {
        match self {
            Root::Running(app) => app.preview_import(path),
            Root::Problem(problem) => problem.pending_import = Some(path),
        }
    }
}

impl DatabaseProblem {
    fn new(
        db: PathBuf,
        prefs: Prefs,
        protocol: Protocol,
        clock: Clock,
        error: &StoreError,
    ) -> Self {
        let problem = match error {
            StoreError::NotOurs { .. } | StoreError::Corrupt(_) | StoreError::Damaged(_) => {
                Problem::Damaged
            }
            StoreError::ForeignWal { .. } => Problem::ForeignLog,
            StoreError::InUse { .. } => Problem::InUse,
            StoreError::TooNew { .. } => Problem::TooNew,
            _ => Problem::Other,
        };
        let backup = (problem == Problem::Damaged)
            .then(|| backup::newest_good(&db))
            .flatten();
        Self {
            db,
            pending_import: None,
            prefs,
            protocol,
            clock,
            problem,
            error: error.to_string(),
            backup,
            message: None,
            checked: false,
        }
    }

    /// Returns the app once the database opens.
    fn ui(&mut self, ui: &mut egui::Ui) -> Option<App> {
        let mut opened = None;
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(egui::Margin::same(32)))
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(860.0));
                let colors = theme::palette(ui.visuals());
                ui.heading("Your data could not be opened");
                ui.add_space(theme::GAP_S);
                egui::Frame::new()
                    .fill(colors.urgent)
                    .corner_radius(theme::CORNER_RADIUS)
                    .inner_margin(egui::Margin::same(16))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&self.error).color(colors.on_urgent).strong());
                    });
                ui.add_space(theme::GAP_M);
                let advice = match self.problem {
                    Problem::Damaged => {
                        "The file is damaged or is not a Recovery Tracker database. It will not be changed or overwritten."
                    }
                    Problem::InUse => {
                        "Recovery Tracker is already open with this file, in another window or command. Close it, then try again."
                    }
                    Problem::TooNew => {
                        "This file was saved by a newer version of Recovery Tracker. Install that version to open it; this one will not change it."
                    }
                    Problem::ForeignLog => {
                        "Nothing was changed. Setting the log aside (it is kept, renamed, beside the file) opens your data as it was last saved whole."
                    }
                    Problem::Other => "Check that the disk is connected and has space, then try again.",
                };
                ui.label(advice);
                if let Some(waiting) = &self.pending_import {
                    let name = waiting
                        .file_name()
                        .map_or_else(|| waiting.display().to_string(), |n| n.to_string_lossy().into_owned());
                    ui.label(
                        RichText::new(format!(
                            "{name} is waiting to be shown for import: it opens here as soon as your data does. Or import it in the window that is already open (Settings → Import from another computer)."
                        ))
                        .strong(),
                    );
                }
                ui.label(RichText::new(format!("File: {}", self.db.display())).monospace());
                ui.add_space(theme::GAP_M);
                if self.problem == Problem::Damaged {
                    match &self.backup {
                        Some((file, check)) => {
                            ui.label(format!(
                                "The newest good backup ({}, {}) holds {} and {}.",
                                file.kind.words(),
                                file.when(),
                                crate::words::plural(check.patients as i64, "patient", "patients"),
                                crate::words::plural(check.check_ins as i64, "check-in", "check-ins")
                            ));
                            let restore = egui::Button::new(
                                RichText::new("Restore the newest good backup").strong().color(colors.on_accent),
                            )
                            .fill(colors.accent);
                            if ui.add(restore).clicked() {
                                match backup::replace_damaged(&self.db, &file.path, self.clock.now()) {
                                    Ok(aside) => {
                                        self.message = Some(format!(
                                            "The damaged file was kept as {}.",
                                            aside.display()
                                        ));
                                        opened = self.try_open(ui.ctx());
                                    }
                                    Err(e) => self.message = Some(format!("Could not restore: {e}")),
                                }
                            }
                            widgets::hint(ui, "The damaged file is moved aside, not deleted, so nothing is lost.");
                        }
                        None => {
                            ui.label("No good backup was found beside the file.");
                        }
                    }
                }
                if self.problem == Problem::ForeignLog && ui.button("Set the log aside and open").clicked() {
                    match backup::set_log_aside(&self.db, self.clock.now()) {
                        Ok(aside) => {
                            self.message = Some(format!("The log was kept as {}.", aside.display()));
                            opened = self.try_open(ui.ctx());
                        }
                        Err(e) => self.message = Some(format!("Could not set it aside: {e}")),
                    }
                }
                if ui.button("Try again").clicked() {
                    opened = self.try_open(ui.ctx());
                }
                if let Some(message) = &self.message {
                    ui.add_space(theme::GAP_S);
                    ui.label(RichText::new(message).strong());
                }
            });
        opened
    }

    fn try_open(&mut self, ctx: &egui::Context) -> Option<App> {
        let opened = if self.checked {
            Store::open_checked(&self.db)
        } else {
            Store::open(&self.db)
        };
        match opened {
            Ok(store) => {
                let mut app = App::with_prefs(
                    ctx,
                    self.prefs.clone(),
                    store,
                    self.protocol.clone(),
                    self.clock,
                );
                if let Some(path) = self.pending_import.take() {
                    app.preview_import(path);
                }
                Some(app)
            }
            Err(e) => {
                let (message, checked) = (self.message.take(), self.checked);
                let pending_import = self.pending_import.take();
                *self = DatabaseProblem::new(
                    self.db.clone(),
                    self.prefs.clone(),
                    self.protocol.clone(),
                    self.clock,
                    &e,
                );
                self.message = message;
                self.checked = checked;
                self.pending_import = pending_import;
                None
            }
        }
    }
}

impl eframe::App for Root {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        if let Root::Running(app) = self {
            app.logic(ctx, frame);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        match self {
            Root::Running(app) => {
                app.ui(ui, frame);
                if let Some((db, prefs, protocol, clock)) = app.recovery_wanted() {
                    let found = StoreError::Damaged(format!(
                        "{}: the day's check found damage in it",
                        db.display()
                    ));
                    // Replacing the app closes its store and its lock.
                    let mut problem = DatabaseProblem::new(db, prefs, protocol, clock, &found);
                    problem.checked = true;
                    *self = Root::Problem(Box::new(problem));
                    ui.ctx().request_repaint();
                }
            }
            Root::Problem(problem) => {
                if let Some(app) = problem.ui(ui) {
                    *self = Root::Running(Box::new(app));
                    ui.ctx().request_repaint();
                }
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Root::Running(app) = self {
            app.save(storage);
        }
    }
}
