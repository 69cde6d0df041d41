//! Every screen holds at every window size and text size: no interactive
//! widget is drawn over another, and every widget and label lies across
//! the window, never cut off at its right edge. Checked on the real `App`
//! through AccessKit's bounds, with demo data ten days and two years after
//! surgery, at 800×600, 1024×768, 1280×800 and 1920×1080, at 100 %, 150 %
//! and 200 % text (a text size of s on a window of w × h pixels lays out
//! like w/s × h/s points, which is what the harness is given).

mod common;

use common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::Node;
use egui_kittest::kittest::{NodeT, Queryable};
use recovery_tracker::clock::Clock;
use recovery_tracker::protocol::Protocol;
use recovery_tracker::ui::{App, Prefs, Root};
use std::path::Path;

const SIZES: [(f32, f32); 4] = [
    (800.0, 600.0),
    (1024.0, 768.0),
    (1280.0, 800.0),
    (1920.0, 1080.0),
];
const TEXT_SCALES: [f32; 3] = [1.0, 1.5, 2.0];

/// A clinic's screens (the demo has four patients), by their keyboard
/// shortcut.
const SCREENS: [(&str, egui::Key); 9] = [
    ("Patients", egui::Key::Num1),
    ("Review", egui::Key::Num2),
    ("Today", egui::Key::Num3),
    ("Progress", egui::Key::Num4),
    ("Exercises", egui::Key::Num5),
    ("Milestones", egui::Key::Num6),
    ("History", egui::Key::Num7),
    ("Details", egui::Key::Num8),
    ("Settings", egui::Key::Num9),
];

fn harness(path: &Path, size: egui::Vec2) -> Harness<'static, App> {
    let store = store_for_window(path);
    let protocol = Protocol::embedded().expect("protocol");
    Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| App::new(cc, store, protocol, Clock::fixed_on(today())))
}

fn demo(dir: &tempfile::TempDir, name: &str, days: &str) -> std::path::PathBuf {
    let path = file_in(dir, name);
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "4",
        "--days",
        days,
    ]);
    path
}

fn is_interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::RadioButton
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::SpinButton
            | Role::Slider
            | Role::ComboBox
            | Role::Switch
            | Role::Link
            | Role::Tab
            | Role::MenuItem
    )
}

fn describe(node: &Node<'_>) -> String {
    format!(
        "{:?} {:?} at {:?}",
        node.accesskit_node().role(),
        node.accesskit_node().label().unwrap_or_default(),
        node.rect()
    )
}

/// What is wrong with the current frame: widgets or labels reaching past
/// the window's right edge (or left of it), and interactive widgets drawn
/// over each other.
fn problems<S>(harness: &Harness<'static, S>, width: f32, check_overlaps: bool) -> Vec<String> {
    let mut found = Vec::new();
    let nodes: Vec<Node<'_>> = harness
        .query_all(
            egui_kittest::kittest::By::new()
                .predicate(|node| is_interactive(node.role()) || node.role() == Role::Label),
        )
        .collect();
    for node in &nodes {
        let rect = node.rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            continue;
        }
        // Half a point of rounding is not a cut-off.
        if rect.min.x < -0.5 || rect.max.x > width + 0.5 {
            found.push(format!("outside the window: {}", describe(node)));
        }
    }
    if check_overlaps {
        let interactive: Vec<&Node<'_>> = nodes
            .iter()
            .filter(|n| is_interactive(n.accesskit_node().role()) && n.rect().area() > 0.0)
            .collect();
        for (i, a) in interactive.iter().enumerate() {
            for b in &interactive[i + 1..] {
                let overlap = a.rect().intersect(b.rect());
                // Touching edges are fine; a real overlap covers an area.
                if overlap.width() > 1.0 && overlap.height() > 1.0 {
                    found.push(format!("{} over {}", describe(a), describe(b)));
                }
            }
        }
    }
    found
}

/// Checks every screen of `path` at one size: widths at the real height,
/// overlaps in a window tall enough that nothing scrolls (a widget scrolled
/// under a pinned bar is hidden, not drawn over).
fn check_screens(path: &Path, size: (f32, f32), scale: f32, report: &mut Vec<String>) {
    let points = egui::vec2(size.0 / scale, size.1 / scale);
    for (height, overlaps) in [(points.y, false), (6000.0, true)] {
        let mut harness = harness(path, egui::vec2(points.x, height));
        harness.run();
        for (screen, key) in SCREENS {
            harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
            harness.run();
            for problem in problems(&harness, points.x, overlaps) {
                report.push(format!(
                    "{screen} at {}×{} and {:.0} %: {problem}",
                    size.0,
                    size.1,
                    scale * 100.0
                ));
            }
        }
    }
}

fn assert_none(report: &[String]) {
    // The whole list, for reading; the failure shows the first lines.
    let test = std::thread::current()
        .name()
        .unwrap_or("layout")
        .replace("::", "-");
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{test}.txt"));
    std::fs::write(&file, report.join("\n")).ok();
    assert!(
        report.is_empty(),
        "{} layout problems (all in {}):\n{}",
        report.len(),
        file.display(),
        report
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_screen_fits_ten_days_after_surgery() {
    let dir = temp_dir();
    let path = demo(&dir, "day10.db", "10");
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            check_screens(&path, size, scale, &mut report);
        }
    }
    assert_none(&report);
}

#[test]
fn every_screen_fits_two_years_after_surgery() {
    let dir = temp_dir();
    let path = demo(&dir, "year2.db", "730");
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            check_screens(&path, size, scale, &mut report);
        }
    }
    assert_none(&report);
}

/// One patient's own file: the patient's screens, without the clinic's.
const OWN_SCREENS: [(&str, egui::Key); 8] = [
    ("Today", egui::Key::Num1),
    ("Progress", egui::Key::Num2),
    ("What to expect", egui::Key::Num3),
    ("Exercises", egui::Key::Num4),
    ("Milestones", egui::Key::Num5),
    ("History", egui::Key::Num6),
    ("My operation", egui::Key::Num7),
    ("Settings", egui::Key::Num8),
];

#[test]
fn a_patients_own_screens_fit_ten_days_after_surgery() {
    let dir = temp_dir();
    let path = file_in(&dir, "own.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "1",
        "--days",
        "10",
    ]);
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            let points = egui::vec2(size.0 / scale, size.1 / scale);
            for (height, overlaps) in [(points.y, false), (6000.0, true)] {
                let mut harness = harness(&path, egui::vec2(points.x, height));
                harness.run();
                for (screen, key) in OWN_SCREENS {
                    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
                    harness.run();
                    assert!(
                        harness.query_by_label("Patients").is_none(),
                        "a patient's own file has no patient list"
                    );
                    for problem in problems(&harness, points.x, overlaps) {
                        report.push(format!(
                            "own {screen} at {}×{} and {:.0} %: {problem}",
                            size.0,
                            size.1,
                            scale * 100.0
                        ));
                    }
                }
            }
        }
    }
    assert_none(&report);
}

#[test]
fn first_run_setup_fits_at_every_size() {
    let dir = temp_dir();
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            let points = egui::vec2(size.0 / scale, size.1 / scale);
            let path = file_in(&dir, &format!("new-{}-{scale}.db", size.0));
            for (height, overlaps) in [(points.y, false), (6000.0, true)] {
                let mut harness = harness(&path, egui::vec2(points.x, height));
                harness.run();
                for problem in problems(&harness, points.x, overlaps) {
                    report.push(format!(
                        "setup at {}×{} and {:.0} %: {problem}",
                        size.0,
                        size.1,
                        scale * 100.0
                    ));
                }
            }
        }
    }
    assert_none(&report);
}

/// A dialog's own widgets: the nodes that were not there, at that place,
/// before it opened.
fn dialog_nodes<'t>(
    before: &[(Role, String, egui::Rect)],
    harness: &'t Harness<'static, App>,
) -> Vec<Node<'t>> {
    harness
        .query_all(
            egui_kittest::kittest::By::new()
                .predicate(|node| is_interactive(node.role()) || node.role() == Role::Label),
        )
        .filter(|node| {
            let (role, label) = (
                node.accesskit_node().role(),
                node.accesskit_node().label().unwrap_or_default(),
            );
            // A page may settle by a point when a dialog opens over it.
            !before.iter().any(|(r, l, rect)| {
                *r == role && *l == label && rect.center().distance(node.rect().center()) < 2.0
            })
        })
        .collect()
}

fn all_nodes(harness: &Harness<'static, App>) -> Vec<(Role, String, egui::Rect)> {
    harness
        .query_all(
            egui_kittest::kittest::By::new()
                .predicate(|node| is_interactive(node.role()) || node.role() == Role::Label),
        )
        .map(|node| {
            (
                node.accesskit_node().role(),
                node.accesskit_node().label().unwrap_or_default(),
                node.rect(),
            )
        })
        .collect()
}

/// Clicks the first button whose name starts with `prefix`, scrolled into
/// view first; returns the nodes as they were just before the click.
fn click_starting_with(
    harness: &mut Harness<'static, App>,
    prefix: &str,
) -> Vec<(Role, String, egui::Rect)> {
    fn button<'t>(harness: &'t Harness<'static, App>, prefix: &'t str) -> Node<'t> {
        harness
            .query_all(egui_kittest::kittest::By::new().predicate(move |node| {
                node.role() == Role::Button && node.label().is_some_and(|l| l.starts_with(prefix))
            }))
            .next()
            .unwrap_or_else(|| panic!("no button named {prefix}…"))
    }
    button(harness, prefix).scroll_to_me();
    harness.run();
    let before = all_nodes(harness);
    button(harness, prefix).click();
    before
}

/// The dialogs, each opened from its screen by a button.
const DIALOGS: [(&str, egui::Key, &str); 5] = [
    ("warning signs", egui::Key::Num3, "Any warning signs today?"),
    ("calendar", egui::Key::Num3, "Day of this check-in"),
    ("delete a check-in", egui::Key::Num7, "Delete "),
    ("export", egui::Key::Num2, "Save PDF report"),
    (
        "restore a backup",
        egui::Key::Num9,
        "Restore the backup of ",
    ),
];

#[test]
fn every_dialog_fits_at_every_size() {
    let dir = temp_dir();
    let path = demo(&dir, "dialogs.db", "730");
    run_ok(&["backup", "--db", path_str(&path)]);
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            let points = egui::vec2(size.0 / scale, size.1 / scale);
            for (name, key, opener) in DIALOGS {
                // At the real height its buttons are in the window; in a
                // tall one (nothing scrolls) nothing is drawn over anything.
                for (height, tall) in [(points.y, false), (6000.0, true)] {
                    let mut harness = harness(&path, egui::vec2(points.x, height));
                    harness.run();
                    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
                    harness.run();
                    let before = click_starting_with(&mut harness, opener);
                    harness.run();
                    let nodes = dialog_nodes(&before, &harness);
                    let mut found = Vec::new();
                    if nodes
                        .iter()
                        .all(|n| n.accesskit_node().role() != Role::Button)
                    {
                        found.push("no dialog opened".to_owned());
                    }
                    let mut out_of_view = Vec::new();
                    for node in &nodes {
                        let rect = node.rect();
                        if rect.min.x < -0.5 || rect.max.x > points.x + 0.5 {
                            found.push(format!("outside the window: {}", describe(node)));
                        }
                        if !tall
                            && node.accesskit_node().role() == Role::Button
                            && (rect.min.y < -0.5 || rect.max.y > height + 0.5)
                        {
                            out_of_view.push(node.accesskit_node().label().unwrap_or_default());
                        }
                    }
                    if tall {
                        let interactive: Vec<&Node<'_>> = nodes
                            .iter()
                            .filter(|n| {
                                is_interactive(n.accesskit_node().role()) && n.rect().area() > 0.0
                            })
                            .collect();
                        for (i, a) in interactive.iter().enumerate() {
                            for b in &interactive[i + 1..] {
                                let overlap = a.rect().intersect(b.rect());
                                if overlap.width() > 1.0 && overlap.height() > 1.0 {
                                    found.push(format!("{} over {}", describe(a), describe(b)));
                                }
                            }
                        }
                    }
                    drop(nodes);
                    // A button below the fold is fine if the dialog scrolls
                    // it into view.
                    for label in out_of_view {
                        harness
                            .get_by_role_and_label(Role::Button, &label)
                            .scroll_to_me();
                        harness.run();
                        let node = harness.get_by_role_and_label(Role::Button, &label);
                        let rect = node.rect();
                        if rect.min.y < -0.5 || rect.max.y > height + 0.5 {
                            found.push(format!("out of reach: {}", describe(&node)));
                        }
                    }
                    for problem in found {
                        report.push(format!(
                            "{name} dialog at {}×{} and {:.0} %: {problem}",
                            size.0,
                            size.1,
                            scale * 100.0
                        ));
                    }
                }
            }
        }
    }
    assert_none(&report);
}

#[test]
fn the_recovery_window_fits_at_every_size() {
    let dir = temp_dir();
    let path = file_in(&dir, "damaged.db");
    std::fs::write(&path, b"this is not a database, but it is somebody's file").expect("write");
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            let points = egui::vec2(size.0 / scale, size.1 / scale);
            for (height, overlaps) in [(points.y, false), (6000.0, true)] {
                let db = path.clone();
                let mut harness = Harness::builder()
                    .with_size(egui::vec2(points.x, height))
                    .build_eframe(move |cc| {
                        Root::open(
                            &cc.egui_ctx,
                            db,
                            Prefs::default(),
                            Protocol::embedded().expect("protocol"),
                            Clock::fixed_on(today()),
                        )
                    });
                harness.run();
                assert!(
                    harness
                        .query_all_by_label_contains("damaged")
                        .next()
                        .is_some(),
                    "the recovery window is shown"
                );
                for problem in problems(&harness, points.x, overlaps) {
                    report.push(format!(
                        "recovery window at {}×{} and {:.0} %: {problem}",
                        size.0,
                        size.1,
                        scale * 100.0
                    ));
                }
            }
        }
    }
    assert_none(&report);
}

/// The import preview, opened as a double-click opens it (`recovery-tracker
/// FILE`), over the clinic's home screen: it lies across the window at
/// every size and text size, and its buttons are in view.
#[test]
fn the_import_preview_fits_at_every_size() {
    let dir = temp_dir();
    let path = demo(&dir, "clinic.db", "60");
    let home = file_in(&dir, "home.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&home),
        "--patients",
        "1",
        "--days",
        "30",
    ]);
    let file = file_in(&dir, "A-patient-with-a-long-name.recovery.json");
    run_ok(&[
        "export",
        "--db",
        path_str(&home),
        "--format",
        "json",
        "-o",
        path_str(&file),
    ]);
    let mut report = Vec::new();
    for size in SIZES {
        for scale in TEXT_SCALES {
            let points = egui::vec2(size.0 / scale, size.1 / scale);
            let store = store_for_window(&path);
            let opened = file.clone();
            let mut harness = Harness::builder()
                .with_size(points)
                .build_eframe(move |cc| {
                    let protocol = Protocol::embedded().expect("protocol");
                    let mut app = App::new(cc, store, protocol, Clock::fixed_on(today()));
                    app.preview_import(opened);
                    app
                });
            harness.run();
            let mut found = Vec::new();
            let title = harness.query_by_label_contains("Import A-patient-with-a-long-name");
            match title {
                None => found.push("no dialog".to_owned()),
                Some(title) if title.rect().min.x < -0.5 || title.rect().max.x > points.x + 0.5 => {
                    found.push(format!("outside the window: {}", describe(&title)));
                }
                Some(_) => {}
            }
            for label in ["Import now", "Cancel import"] {
                let node = harness.get_by_role_and_label(Role::Button, label);
                let rect = node.rect();
                if rect.min.x < -0.5
                    || rect.max.x > points.x + 0.5
                    || rect.min.y < -0.5
                    || rect.max.y > points.y + 0.5
                {
                    found.push(format!("out of view: {}", describe(&node)));
                }
            }
            for problem in found {
                report.push(format!(
                    "import preview at {}×{} and {:.0} %: {problem}",
                    size.0,
                    size.1,
                    scale * 100.0
                ));
            }
        }
    }
    assert_none(&report);
}
