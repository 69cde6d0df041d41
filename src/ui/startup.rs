//! Opening the window: the viewport, the remembered preferences, the
//! command line's choices, and the first-frame timer used to measure
//! start-up.

use super::database_problem::Root;
use super::prefs::Prefs;
use super::theme::{self, ThemeChoice};
use crate::clock::Clock;
use crate::protocol::Protocol;
use std::path::PathBuf;

/// The folder of the remembered preferences (eframe's storage), the data
/// folder's name.
const PREFS_FOLDER: &str = "recovery-tracker";

/// Choices given on the command line, which win over remembered ones.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub theme: Option<ThemeChoice>,
    /// 1.0 is 100 %.
    pub text_scale: Option<f32>,
    /// For measuring start-up: print the time from this instant to the end
    /// of the first frame, then close.
    pub exit_after_first_frame: Option<std::time::Instant>,
    /// A file to open in the import preview.
    pub open_file: Option<PathBuf>,
    /// The daily reminder: `Some(None)` turns it off.
    pub reminder: Option<Option<chrono::NaiveTime>>,
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

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// eframe's error holds platform handles that cannot cross threads, so
    /// only its words are kept.
    #[error("cannot open the window: {0}")]
    Window(String),
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
            .with_app_id(crate::APP_ID)
            .with_icon(window_icon())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 600.0]),
        // Preferences stay where they have always been, beside the database
        // in its private folder: eframe would otherwise keep them in a
        // folder named after the application id (public, and new, so every
        // remembered choice would be lost).
        persistence_path: eframe::storage_dir(PREFS_FOLDER).map(|dir| dir.join("app.ron")),
        ..Default::default()
    };
    eframe::run_native(
        PREFS_FOLDER,
        options,
        Box::new(move |cc| {
            let mut prefs = Prefs::load(cc);
            if let Some(theme) = start.theme {
                prefs.theme = theme;
            }
            if let Some(scale) = start.text_scale {
                prefs.text_scale = scale.clamp(theme::MIN_TEXT_SCALE, theme::MAX_TEXT_SCALE);
            }
            if let Some(reminder) = start.reminder {
                prefs.reminder = reminder;
            }
            let mut root = Root::open(&cc.egui_ctx, db, prefs, protocol, clock);
            if let Some(file) = start.open_file {
                root.preview_import(file);
            }
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

/// The application icon, for window managers that show one (the package
/// installs the same picture for the menu).
fn window_icon() -> egui::IconData {
    const PNG: &[u8] = include_bytes!(
        "../../assets/icons/hicolor/128x128/apps/io.github.recovery_tracker.RecoveryTracker.png"
    );
    eframe::icon_data::from_png_bytes(PNG).unwrap_or_default()
}
