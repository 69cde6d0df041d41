//! Every screen as pixels: the real `App` on demo data two years after
//! surgery, rendered by egui's wgpu renderer (in CI on Mesa's software
//! Vulkan, lavapipe) at 1280×800 and 800×600, at 100 % and 200 % text, in
//! light and dark, compared with `tests/snapshots/*.png`. A changed pixel
//! fails the test until the pictures are updated on purpose:
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo test --test snapshots
//! ```
//!
//! and the new PNGs are looked at and committed. A failure leaves
//! `*.new.png` and `*.diff.png` beside the stored picture.

mod common;

use common::*;
use egui_kittest::{Harness, SnapshotResults};
use recovery_tracker::clock::Clock;
use recovery_tracker::protocol::Protocol;
use recovery_tracker::ui::{Prefs, Root, ThemeChoice};

/// A clinic's screens (the demo has four patients) by their shortcut.
const SCREENS: [(&str, egui::Key); 9] = [
    ("patients", egui::Key::Num1),
    ("review", egui::Key::Num2),
    ("today", egui::Key::Num3),
    ("progress", egui::Key::Num4),
    ("exercises", egui::Key::Num5),
    ("milestones", egui::Key::Num6),
    ("history", egui::Key::Num7),
    ("details", egui::Key::Num8),
    ("settings", egui::Key::Num9),
];

fn snapshots_at(size: (u32, u32), text: u32, theme: ThemeChoice, results: &mut SnapshotResults) {
    // A fixed place: the Settings screen shows where the data lives.
    let dir = std::path::Path::new("/tmp/recovery-tracker-snapshots")
        .join(format!("{}x{}-{text}-{theme:?}", size.0, size.1));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("a folder for the database");
    let path = dir.join("snap.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "4",
        "--days",
        "730",
    ]);
    // Today's backups made beforehand: otherwise the window makes them in
    // the background and "Backing up…" shows in some pictures, not others.
    run_ok(&["backup", "--daily", "--db", path_str(&path)]);
    let scale = text as f32 / 100.0;
    // A text size of s on w × h pixels is w/s × h/s points at s pixels
    // per point: the picture has the window's real pixels.
    let points = egui::vec2(size.0 as f32 / scale, size.1 as f32 / scale);
    let prefs = Prefs {
        theme,
        ..Prefs::default()
    };
    let mut harness = Harness::builder()
        // The harness sets its own theme on the context; it must agree.
        .with_theme(match theme {
            ThemeChoice::Dark => egui::Theme::Dark,
            _ => egui::Theme::Light,
        })
        .with_size(points)
        .with_pixels_per_point(scale)
        .wgpu()
        // Through the window's own start, fonts included.
        .build_eframe(move |cc| {
            Root::open(
                &cc.egui_ctx,
                path,
                prefs,
                Protocol::embedded().expect("protocol"),
                Clock::fixed_on(today()),
            )
        });
    harness.run();
    let theme_name = match theme {
        ThemeChoice::Dark => "dark",
        _ => "light",
    };
    for (screen, key) in SCREENS {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
        harness.run();
        results.add(harness.try_snapshot(format!(
            "{screen}-{}x{}-{text}-{theme_name}",
            size.0, size.1
        )));
    }
}

#[test]
fn every_screen_looks_as_it_did() {
    let mut results = SnapshotResults::new();
    for size in [(1280, 800), (800, 600)] {
        for text in [100, 200] {
            for theme in [ThemeChoice::Light, ThemeChoice::Dark] {
                snapshots_at(size, text, theme, &mut results);
            }
        }
    }
}
