//! Focus and scrolling as a keyboard user meets them, on the real `App`:
//! every Tab on Today lands on a widget that can be seen (inside the
//! window, and for the page's own widgets between the header and the
//! pinned foot bar), and a screen opened from another starts at its top.

mod common;

use common::*;
use egui::accesskit::Role;
use egui::{Key, Modifiers, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use recovery_tracker::clock::Clock;
use recovery_tracker::protocol::Protocol;
use recovery_tracker::ui::App;
use std::path::Path;

/// Widgets that live outside Today's scrolling page.
const FOOT_BAR: [&str; 3] = ["Any warning signs today?", "Save changes", "Save check-in"];

fn harness(path: &Path, size: egui::Vec2) -> Harness<'static, App> {
    let store = store_for_window(path);
    let protocol = Protocol::embedded().expect("protocol");
    Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| App::new(cc, store, protocol, Clock::fixed_on(today())))
}

fn demo(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = file_in(dir, "focus.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "4",
        "--days",
        "730",
    ]);
    path
}

fn rect_of(harness: &Harness<'static, App>, role: Role, label: &str) -> Rect {
    harness.get_by_role_and_label(role, label).rect()
}

/// The focused widget's label and rectangle, if any widget has focus.
fn focused(harness: &Harness<'static, App>) -> Option<(String, Rect)> {
    harness
        .query_all(By::new().predicate(|node| node.is_focused()))
        .next()
        .map(|node| {
            (
                node.accesskit_node().label().unwrap_or_default(),
                node.rect(),
            )
        })
}

fn tab_through_today(size: egui::Vec2) {
    let dir = temp_dir();
    let path = demo(&dir);
    let mut harness = harness(&path, size);
    harness.run();
    // The demo is a clinic's: its home is the patient list; Today is third.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    let window = Rect::from_min_size(egui::Pos2::ZERO, size);
    // The page scrolls between the header (whose last widget is the
    // screen or patient switcher row) and the foot bar.
    let foot_top = FOOT_BAR
        .iter()
        .filter_map(|label| harness.query_by_role_and_label(Role::Button, label))
        .map(|node| node.rect().top())
        .fold(f32::INFINITY, f32::min);
    let page_top = rect_of(&harness, Role::Label, "How are you today?").top();
    assert!(foot_top.is_finite() && foot_top > page_top);
    // The header and side bar never scroll: whatever starts above the page
    // or left of it is theirs.
    let page_left = rect_of(&harness, Role::Label, "How are you today?").left();
    let outside_page: Vec<String> = harness
        .query_all(By::new().predicate(|node| node.label().is_some()))
        .filter(|node| node.rect().bottom() <= page_top || node.rect().right() <= page_left)
        .filter_map(|node| node.accesskit_node().label())
        .collect();

    let mut seen = Vec::new();
    for tab in 1..=60 {
        harness.key_press(Key::Tab);
        harness.run();
        let Some((label, rect)) = focused(&harness) else {
            panic!("Tab {tab} left nothing focused");
        };
        assert!(
            window.contains_rect(rect),
            "Tab {tab} focused {label:?} at {rect:?}, outside the {size:?} window"
        );
        let in_page = !FOOT_BAR.contains(&label.as_str()) && !outside_page.contains(&label);
        if in_page {
            assert!(
                rect.top() >= page_top - 0.5 && rect.bottom() <= foot_top + 0.5,
                "Tab {tab} focused {label:?} at {rect:?}, hidden under the header \
                 (page from y = {page_top}) or the foot bar (from y = {foot_top})"
            );
        }
        seen.push(label);
    }
    // The walk reached the warning signs, far below the fold.
    assert!(
        seen.iter().any(|l| l.starts_with("Loss of bladder")),
        "Tab never reached the warning signs: {seen:?}"
    );
    // Tab from nowhere starts in the page, not in the header or side bar.
    assert_eq!(seen.first().map(String::as_str), Some("Back pain"));
}

#[test]
fn every_tab_on_today_lands_in_view_at_1280_by_800() {
    tab_through_today(egui::vec2(1280.0, 800.0));
}

#[test]
fn every_tab_on_today_lands_in_view_at_800_by_600() {
    tab_through_today(egui::vec2(800.0, 600.0));
}

#[test]
fn a_screen_opened_from_another_starts_at_its_top() {
    let dir = temp_dir();
    let path = demo(&dir);
    let mut harness = harness(&path, egui::vec2(1280.0, 800.0));
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    let title_top = rect_of(&harness, Role::Label, "How are you today?").top();

    // Scroll Today down by walking focus to a warning sign.
    for _ in 0..60 {
        harness.key_press(Key::Tab);
        harness.run();
        if focused(&harness).is_some_and(|(label, _)| label.starts_with("Loss of bladder")) {
            break;
        }
    }
    let scrolled = harness
        .query_by_role_and_label(Role::Label, "How are you today?")
        .map_or(f32::NEG_INFINITY, |n| n.rect().top());
    assert!(
        scrolled < title_top - 100.0,
        "Today did not scroll: title at {scrolled}, first at {title_top}"
    );

    for (key, title) in [
        (Key::Num7, "History"),
        (Key::Num9, "Settings"),
        (Key::Num3, "How are you today?"),
    ] {
        harness.key_press_modifiers(Modifiers::COMMAND, key);
        harness.run();
        let top = rect_of(&harness, Role::Label, title).top();
        assert!(
            (top - title_top).abs() < 1.0,
            "{title} opened with its title at y = {top}, not at its top (y = {title_top})"
        );
    }
}
