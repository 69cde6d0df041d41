//! The GUI, driven headless through `egui_kittest`: widgets are found by
//! their labels, as a screen reader would find them, and every test checks
//! what the database holds afterwards.

mod common;

use common::*;
use egui::{Key, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use recovery_tracker::clock::Clock;
use recovery_tracker::model::{PatientId, UseMode, WarningSymptom};
use recovery_tracker::protocol::Protocol;
use recovery_tracker::store::Store;
use recovery_tracker::ui::App;
use recovery_tracker::ui::file_dialog::{Chosen, FileChooser, FileRequest};
use std::path::Path;

fn harness(path: &Path) -> Harness<'static, App> {
    let store = store_for_window(path);
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| App::new(cc, store, protocol(), Clock::fixed_on(today())))
}

fn protocol() -> Protocol {
    Protocol::embedded().expect("the built-in protocol loads")
}

/// Scrolls a button into view and clicks it, as a person would.
fn press<S: eframe::App>(harness: &mut Harness<'static, S>, role: Role, label: &str) {
    harness.get_by_role_and_label(role, label).scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(role, label).click();
    harness.run();
}

/// Back pain, leg pain and sleep, set as a screen reader sets sliders.
fn choose_scores(harness: &mut Harness<'static, App>, [back, leg, sleep]: [f64; 3]) {
    for (label, value) in [
        ("Back pain", back),
        ("Leg pain", leg),
        ("Sleep quality", sleep),
    ] {
        harness
            .get_by_role_and_label(Role::Slider, label)
            .set_value_accesskit(value);
    }
    harness.run();
}

/// Reads what is stored now, through a second connection.
fn stored(path: &Path, patient: PatientId, on: &str) -> Option<recovery_tracker::model::CheckIn> {
    Store::open_read_only(path)
        .expect("reopen")
        .check_in(patient, day(on))
        .expect("read")
}

#[test]
fn todays_check_in_is_saved_from_its_labelled_controls() {
    let dir = temp_dir();
    let path = file_in(&dir, "ui.db");
    let (mut store, id) = store_with_patient(&path);
    // Yesterday's walking and sitting prefill today's form.
    store
        .save_check_in(id, &check_in("2026-11-24", 5))
        .expect("seed");
    drop(store);
    let mut harness = harness(&path);
    harness.run();

    harness
        .get_by_role_and_label(Role::Slider, "Back pain")
        .click();
    harness.run();
    harness.key_press(Key::Num4);
    harness.run();
    harness
        .get_by_role_and_label(Role::Slider, "Leg pain")
        .set_value_accesskit(2.0);
    harness
        .get_by_role_and_label(Role::Slider, "Sleep quality")
        .set_value_accesskit(7.0);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Walking: 5 minutes more")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .type_text("Walked to the post box");
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();

    let saved = stored(&path, id, TODAY).expect("today's check-in is stored");
    assert_eq!(saved.back_pain, 4);
    assert_eq!(saved.leg_pain, 2);
    assert_eq!(saved.sleep_quality, 7);
    assert_eq!(saved.walking_minutes, 35, "prefilled 30 + 5");
    assert_eq!(saved.sitting_minutes, 40, "prefilled");
    assert_eq!(saved.note, "Walked to the post box");
    assert!(
        harness
            .query_by_label_contains("Saved: today's check-in")
            .is_some()
    );
    // The form now edits the stored day.
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Save changes")
            .is_some()
    );
}

#[test]
fn two_weeks_before_surgery_today_counts_down_and_the_check_in_is_saved() {
    let dir = temp_dir();
    let path = file_in(&dir, "before.db");
    let mut store = Store::open(&path).expect("a new database");
    let details = recovery_tracker::model::PatientDetails {
        surgery_date: day("2026-12-09"),
        ..details("Ruth Okafor")
    };
    let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
    let id = store
        .create_patient(&details, Some(&baseline()), now)
        .expect("a patient set up before the operation");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Before surgery: surgery in 14 days")
            .is_some()
    );
    press(&mut harness, Role::Button, "Read what to expect");
    assert!(
        harness
            .query_by_label_contains("become your starting point")
            .is_some(),
        "the patient is told what the days before surgery are for"
    );
    assert!(
        harness
            .query_by_label_contains("Your operation is in 14 days")
            .is_some()
    );
    press(&mut harness, Role::Button, "Today");
    choose_scores(&mut harness, [8.0, 6.0, 4.0]);
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();
    let saved = stored(&path, id, TODAY).expect("a check-in before surgery is stored");
    assert_eq!(saved.back_pain, 8);
    // Progress says where things stand before surgery: no expected range,
    // no verdict yet.
    press(&mut harness, Role::Button, "Progress");
    assert!(
        harness
            .query_by_label_contains(
                "Surgery in 14 days · back pain this week 8.0 · your starting point so far 7.0"
            )
            .is_some(),
        "the sentence before surgery"
    );
    assert!(harness.query_by_label_contains("(expected").is_none());
}

#[test]
fn enter_saves_and_missing_scores_are_named_not_stored() {
    let dir = temp_dir();
    let path = file_in(&dir, "enter.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Please choose a number for back pain and leg pain and sleep")
            .is_some()
    );
    assert_eq!(stored(&path, id, TODAY), None);

    choose_scores(&mut harness, [6.0, 3.0, 5.0]);
    harness.key_press(Key::Enter);
    harness.run();
    let saved = stored(&path, id, TODAY).expect("stored after Enter");
    assert_eq!(
        (saved.back_pain, saved.leg_pain, saved.sleep_quality),
        (6, 3, 5)
    );
}

#[test]
fn a_past_day_is_edited_from_history() {
    let dir = temp_dir();
    let path = file_in(&dir, "hist.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-20", 5))
        .expect("seed");
    store
        .save_check_in(id, &check_in("2026-11-21", 4))
        .expect("seed");
    drop(store);
    let mut harness = harness(&path);
    harness.run();

    harness
        .get_by_role_and_label(Role::Button, "History")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Edit Friday 20 November 2026")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label("Check-in for an earlier day")
            .is_some()
    );
    harness
        .get_by_role_and_label(Role::Slider, "Back pain")
        .focus();
    harness.run();
    harness.key_press(Key::Num8);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save changes")
        .click();
    harness.run();

    assert_eq!(
        stored(&path, id, "2026-11-20").map(|c| c.back_pain),
        Some(8)
    );
    assert_eq!(
        stored(&path, id, "2026-11-21").map(|c| c.back_pain),
        Some(4)
    );
    assert_eq!(stored(&path, id, TODAY), None, "today was not touched");
}

#[test]
fn delete_asks_first_and_can_be_undone() {
    let dir = temp_dir();
    let path = file_in(&dir, "del.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-21", 4))
        .expect("seed");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "History")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Delete Saturday 21 November 2026")
        .click();
    harness.run();
    assert!(
        stored(&path, id, "2026-11-21").is_some(),
        "nothing deleted before confirming"
    );
    harness
        .get_by_role_and_label(Role::Button, "Keep it")
        .click();
    harness.run();
    assert!(stored(&path, id, "2026-11-21").is_some());

    harness
        .get_by_role_and_label(Role::Button, "Delete Saturday 21 November 2026")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Delete check-in")
        .click();
    harness.run();
    assert_eq!(stored(&path, id, "2026-11-21"), None);
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run();
    assert_eq!(
        stored(&path, id, "2026-11-21"),
        Some(check_in("2026-11-21", 4))
    );
}

#[test]
fn the_delete_dialog_answers_the_keyboard() {
    let dir = temp_dir();
    let path = file_in(&dir, "del-keys.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-21", 4))
        .expect("seed");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "History")
        .click();
    harness.run();
    let open = |harness: &mut Harness<'static, App>| {
        harness
            .get_by_role_and_label(Role::Button, "Delete Saturday 21 November 2026")
            .click();
        harness.run();
        harness.run();
        assert!(
            harness.query_by_label("Delete check-in").is_some(),
            "the dialog is open"
        );
    };

    open(&mut harness);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Delete check-in").is_none(),
        "Escape closes"
    );
    assert!(
        stored(&path, id, "2026-11-21").is_some(),
        "Escape deletes nothing"
    );

    open(&mut harness);
    harness.key_press(Key::Tab);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.query_by_label("Delete check-in").is_none());
    assert!(
        stored(&path, id, "2026-11-21").is_some(),
        "Tab to Keep it, Enter keeps"
    );

    open(&mut harness);
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(stored(&path, id, "2026-11-21"), None, "Enter confirms");
}

#[test]
fn ticking_an_emergency_symptom_shows_what_to_do_and_is_stored() {
    let dir = temp_dir();
    let path = file_in(&dir, "warn.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Call an ambulance now")
            .is_none()
    );
    press(
        &mut harness,
        Role::CheckBox,
        WarningSymptom::SaddleNumbness.label(),
    );
    assert!(
        harness
            .query_by_label_contains("Call an ambulance now")
            .is_some()
    );
    for label in ["Back pain", "Leg pain", "Sleep quality"] {
        harness
            .get_by_role_and_label(Role::Slider, label)
            .set_value_accesskit(3.0);
    }
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();
    let saved = stored(&path, id, TODAY).expect("stored");
    assert!(
        saved
            .warning_symptoms
            .contains(WarningSymptom::SaddleNumbness)
    );
}

/// The safety question is answered without scrolling: the button that
/// asks it is pinned at the foot of Today, its dialog and every sign in it
/// lie inside a 1280×800 window, and nobody has to scroll to reach them.
#[test]
fn a_warning_sign_is_ticked_without_scrolling() {
    let dir = temp_dir();
    let path = file_in(&dir, "warn-dialog.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    let ask = harness.get_by_role_and_label(Role::Button, "Any warning signs today?");
    assert!(
        window.contains_rect(ask.rect()),
        "asked at {:?}",
        ask.rect()
    );
    ask.click();
    harness.run();
    harness.run();
    let sign = WarningSymptom::SaddleNumbness.label();
    let in_dialog = harness
        .query_all_by_role_and_label(Role::CheckBox, sign)
        .last()
        .expect("the dialog lists the sign");
    assert!(
        window.contains_rect(in_dialog.rect()),
        "the sign is at {:?}",
        in_dialog.rect()
    );
    in_dialog.click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Done").click();
    harness.run();

    assert!(
        harness
            .query_by_label_contains("Call an ambulance now")
            .is_some()
    );
    for label in ["Back pain", "Leg pain", "Sleep quality"] {
        harness
            .get_by_role_and_label(Role::Slider, label)
            .set_value_accesskit(3.0);
    }
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();
    let saved = stored(&path, id, TODAY).expect("stored");
    assert!(
        saved
            .warning_symptoms
            .contains(WarningSymptom::SaddleNumbness)
    );
}

/// A warning sign recorded on a past day is told as past, with what to do
/// if it is happening now, not as an order to call an ambulance.
#[test]
fn a_past_warning_sign_is_told_as_past() {
    let dir = temp_dir();
    let path = file_in(&dir, "past-warning.db");
    let (mut store, _) = store_with_patient(&path);
    let mut past = check_in("2026-11-03", 4);
    past.warning_symptoms.set(WarningSymptom::Fever, true);
    store.save_check_in(PatientId(1), &past).expect("seed");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "History");
    press(&mut harness, Role::Button, "Edit Tuesday 3 November 2026");
    let banner = harness.get_by_label_contains("On 3 Nov 2026 you recorded: fever");
    assert!(banner.rect().width() > 0.0);
    assert!(
        harness
            .query_by_label_contains("If it is happening now: call your surgical team today.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("☎  Call your surgical team today")
            .is_none(),
        "no order to call as if it were today"
    );
}

/// The team's own number comes first for a same-day sign.
#[test]
fn the_surgical_teams_number_leads_the_same_day_banner() {
    let dir = temp_dir();
    let path = file_in(&dir, "team-phone.db");
    let (mut store, id) = store_with_patient(&path);
    let mut details = details("Ada Lovelace");
    details.team_phone = Some("020 7946 0142".to_owned());
    store
        .update_patient(id, &details, Some(&baseline()), today(), chrono::Utc::now())
        .expect("phone");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "Any warning signs today?");
    harness
        .query_all_by_role_and_label(Role::CheckBox, WarningSymptom::Fever.label())
        .last()
        .expect("the sign in the dialog")
        .click();
    harness.run();
    press(&mut harness, Role::Button, "Done");
    assert!(
        harness
            .query_by_label_contains("Today: Call Riverside: 020 7946 0142.")
            .is_some()
    );
}

#[test]
fn first_run_creates_the_patient() {
    let dir = temp_dir();
    let path = file_in(&dir, "first.db");
    let mut harness = harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label("Welcome to Recovery Tracker")
            .is_some()
    );
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Grace Hopper");
    harness.run();
    press(&mut harness, Role::Button, "Create patient");
    assert!(
        harness
            .query_by_label_contains("Please choose a number")
            .is_some(),
        "the baseline is asked for"
    );
    harness
        .get_by_role_and_label(Role::Slider, "Back pain before surgery")
        .set_value_accesskit(7.0);
    harness
        .get_by_role_and_label(Role::Slider, "Leg pain before surgery")
        .set_value_accesskit(5.0);
    harness.run();
    press(&mut harness, Role::Button, "Create patient");

    let store = Store::open_read_only(&path).expect("reopen");
    let patients = store.patients().expect("patients");
    assert_eq!(patients.len(), 1);
    assert_eq!(patients[0].details.name, "Grace Hopper");
    let baseline = store
        .baseline(patients[0].id)
        .expect("read")
        .expect("baseline");
    assert_eq!((baseline.back_pain, baseline.leg_pain), (7, 5));
    assert!(harness.query_by_label("How are you today?").is_some());
}

/// Under the field, focused, gone once fixed; the ODI starts empty and a
/// wrong one is refused with what to do.
#[test]
fn setup_errors_sit_under_their_field_and_go_when_fixed() {
    let dir = temp_dir();
    let path = file_in(&dir, "setup-errors.db");
    let mut harness = harness(&path);
    harness.run();
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "ODI before surgery")
            .value()
            .as_deref(),
        Some(""),
        "nothing is filled in for the ODI"
    );
    press(&mut harness, Role::Button, "Create patient");
    harness.run();
    let name = harness.get_by_role_and_label(Role::TextInput, "Name");
    let error = harness.get_by_label("Name is required.");
    let gap = error.rect().top() - name.rect().bottom();
    assert!(
        (0.0..60.0).contains(&gap),
        "the error is {gap} points under the name field"
    );
    assert!(name.is_focused(), "the name field has the focus");
    assert!(harness.query_by_label("Please check Name above.").is_some());

    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Grace Hopper");
    harness.run();
    assert!(
        harness.query_by_label("Name is required.").is_none(),
        "the error goes as soon as the name is typed"
    );

    press(&mut harness, Role::Button, "Create patient");
    let back = harness.get_by_role_and_label(Role::Slider, "Back pain before surgery");
    let choose = harness.get_by_label_contains("Please choose a number");
    assert!(choose.rect().top() >= back.rect().bottom() - 0.5);
    harness
        .get_by_role_and_label(Role::Slider, "Back pain before surgery")
        .set_value_accesskit(7.0);
    harness.run();
    harness
        .get_by_role_and_label(Role::Slider, "Leg pain before surgery")
        .set_value_accesskit(5.0);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Please choose a number")
            .is_none()
    );

    harness
        .get_by_role_and_label(Role::TextInput, "ODI before surgery")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "ODI before surgery")
        .type_text("140");
    harness.run();
    press(&mut harness, Role::Button, "Create patient");
    assert!(
        harness
            .query_by_label_contains("The ODI is a whole number from 0 to 100")
            .is_some()
    );
    assert!(
        Store::open_read_only(&path)
            .expect("read")
            .patients()
            .expect("patients")
            .is_empty(),
        "nothing is created while a field is wrong"
    );
    harness
        .get_by_role_and_label(Role::TextInput, "ODI before surgery")
        .focus();
    harness.run();
    harness.key_press(Key::Backspace);
    harness.key_press(Key::Backspace);
    harness.key_press(Key::Backspace);
    harness
        .get_by_role_and_label(Role::TextInput, "ODI before surgery")
        .type_text("38");
    harness.run();
    assert!(harness.query_by_label_contains("The ODI is").is_none());
    press(&mut harness, Role::Button, "Create patient");
    let store = Store::open_read_only(&path).expect("reopen");
    let patients = store.patients().expect("patients");
    assert_eq!(patients.len(), 1);
    let baseline = store
        .baseline(patients[0].id)
        .expect("read")
        .expect("baseline");
    assert_eq!(baseline.odi, Some(38));
}

#[test]
fn a_date_is_picked_from_the_calendar_in_plain_words() {
    let dir = temp_dir();
    let path = file_in(&dir, "calendar.db");
    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "Surgery date: 25 Nov 2026");
    press(&mut harness, Role::Button, "◀ Previous month");
    press(&mut harness, Role::Button, "Saturday 10 October 2026");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Surgery date: 10 Oct 2026")
            .is_some(),
        "the field shows the day picked"
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Next month ▶")
            .is_none(),
        "the calendar closed"
    );
}

/// First run: the person says who the app is for, and gets those screens.
fn first_run_as(path: &Path, mode: &str) -> Harness<'static, App> {
    let mut harness = harness(path);
    harness.run();
    press(&mut harness, Role::RadioButton, mode);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Grace Hopper");
    harness.run();
    press(
        &mut harness,
        Role::CheckBox,
        "I can say how I was before surgery",
    );
    press(&mut harness, Role::Button, "Create patient");
    harness
}

/// The clinic's tools a patient at home should never see.
const CLINIC_TOOLS: [&str; 3] = ["Patients", "Review", "Add patient"];

#[test]
fn a_patient_at_home_sees_only_their_own_screens() {
    let dir = temp_dir();
    let path = file_in(&dir, "own.db");
    let harness = first_run_as(&path, "This is my own recovery");
    assert!(harness.query_by_label("How are you today?").is_some());
    for tool in CLINIC_TOOLS {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, tool)
                .is_none(),
            "{tool} is shown to a patient"
        );
    }
    for screen in [
        "Today",
        "Progress",
        "Exercises",
        "Milestones",
        "History",
        "Settings",
    ] {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, screen)
                .is_some()
        );
    }
}

#[test]
fn a_clinic_gets_its_tools_and_the_choice_is_kept_and_changed_in_settings() {
    let dir = temp_dir();
    let path = file_in(&dir, "clinic.db");
    let harness = first_run_as(&path, "I am a physiotherapist or a clinic");
    for tool in CLINIC_TOOLS {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, tool)
                .is_some(),
            "{tool} is missing for a clinic"
        );
    }
    drop(harness);

    // Opened again: still a clinic, though it has one patient, at home on
    // the patient list.
    let mut harness = self::harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Most urgent first")
            .is_some()
    );
    press(&mut harness, Role::Button, "Settings");
    press(&mut harness, Role::RadioButton, "This is my own recovery");
    for tool in CLINIC_TOOLS {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, tool)
                .is_none()
        );
    }
    drop(harness);
    assert_eq!(
        Store::open_read_only(&path)
            .expect("read")
            .chosen_use_mode()
            .expect("mode"),
        Some(UseMode::Own),
        "the change is stored with the data"
    );
    let harness = self::harness(&path);
    assert!(harness.query_by_label("How are you today?").is_some());
}

/// A wrong surgery date is corrected on "My operation": the weeks, the
/// expected band and the verdict follow at once, the change is logged,
/// and Undo puts everything back.
#[test]
fn correcting_the_surgery_date_moves_everything_and_undo_restores_it() {
    let dir = temp_dir();
    let path = file_in(&dir, "correct.db");
    let (mut store, id) = store_with_patient(&path);
    for (day, pain) in [("2026-11-20", 5), ("2026-11-22", 5), ("2026-11-24", 5)] {
        store.save_check_in(id, &check_in(day, pain)).expect("seed");
    }
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    let week_of = |h: &Harness<'static, App>| {
        h.query_all_by_label_contains("since surgery")
            .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
            .find(|l| l.starts_with("week ") || l.starts_with("Week "))
            .unwrap_or_default()
    };
    assert!(
        week_of(&harness).contains("week 7"),
        "{}",
        week_of(&harness)
    );
    press(&mut harness, Role::Button, "Progress");
    let verdict = |h: &Harness<'static, App>| {
        h.query_all_by_label_contains("back pain this week")
            .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
            .next()
            .unwrap_or_default()
    };
    let before = verdict(&harness);
    assert!(before.starts_with("Week 7"), "{before}");

    press(&mut harness, Role::Button, "My operation");
    press(&mut harness, Role::Button, "Surgery date: 1 Oct 2026");
    press(&mut harness, Role::Button, "Next month ▶");
    press(&mut harness, Role::Button, "Sunday 1 November 2026");
    press(&mut harness, Role::Button, "Save changes");
    assert!(
        harness
            .query_by_label_contains("Surgery date 2026-10-01 → 2026-11-01")
            .is_some(),
        "the change is in the log"
    );
    assert!(
        week_of(&harness).contains("week 3"),
        "{}",
        week_of(&harness)
    );
    press(&mut harness, Role::Button, "Progress");
    let after = verdict(&harness);
    assert!(after.starts_with("Week 3"), "{after}");
    assert_ne!(before, after, "the expected range moved with the date");

    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run();
    assert_eq!(verdict(&harness), before);
    assert_eq!(
        Store::open_read_only(&path)
            .expect("read")
            .patient(id)
            .expect("read")
            .map(|p| p.details.surgery_date),
        Some(day("2026-10-01"))
    );
}

#[test]
fn demo_data_is_explored_in_its_own_file() {
    let dir = temp_dir();
    let path = file_in(&dir, "own.db");
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Explore with demo data")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("You are exploring demo data")
            .is_some()
    );
    assert_eq!(
        Store::open_read_only(&path)
            .expect("own")
            .counts()
            .expect("counts")
            .patients,
        0
    );
    let demo = Store::open_read_only(&file_in(&dir, "own-demo.db")).expect("demo file");
    assert_eq!(demo.counts().expect("counts").patients, 4);
    harness
        .get_by_role_and_label(Role::Button, "Back to my own data")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label("Welcome to Recovery Tracker")
            .is_some()
    );
}

#[test]
fn the_progress_screen_switches_metric_and_states_the_verdict() {
    let dir = temp_dir();
    let path = file_in(&dir, "progress.db");
    let (mut store, id) = store_with_patient(&path);
    // Surgery 2026-10-01; a steady week of back pain 3 and leg pain 1 up to today.
    for offset in 0..7 {
        let day = today() - chrono::Days::new(offset);
        let mut c = check_in(&day.to_string(), 3);
        c.leg_pain = 1;
        store.save_check_in(id, &c).expect("seed");
    }
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Progress")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Week 7 · back pain this week 3.0 (expected")
            .is_some(),
        "the back pain summary is shown first"
    );
    harness
        .get_by_role_and_label(Role::Button, "Leg pain")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Week 7 · leg pain this week 1.0 (expected")
            .is_some()
    );
    assert!(
        ["on track", "ahead of", "behind the"]
            .iter()
            .any(|v| harness
                .query_by_label_contains(&format!("): {v}"))
                .is_some()),
        "the summary states a verdict"
    );
    assert!(
        harness
            .query_by_label_contains("Realistic expectations")
            .is_some()
    );

    // ODI: record a total and find it in the store.
    harness
        .get_by_role_and_label(Role::Button, "Disability (ODI)")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::SpinButton, "ODI total")
        .set_value_accesskit(28.0);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save ODI")
        .click();
    harness.run();
    let entries = Store::open_read_only(&path)
        .expect("reopen")
        .odi_entries(id)
        .expect("read");
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].day, entries[0].total), (today(), 28));
    assert!(
        harness
            .query_by_label_contains("disability (odi) 28 on the latest total")
            .is_some()
    );
}

#[test]
fn a_milestone_is_ticked_by_its_label_and_can_be_undone() {
    let dir = temp_dir();
    let path = file_in(&dir, "milestones.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Milestones")
        .click();
    harness.run();
    press(
        &mut harness,
        Role::Button,
        "Reached: Drive again (after the surgeon's clearance)",
    );
    let stored = Store::open_read_only(&path)
        .expect("reopen")
        .milestones(id)
        .expect("read");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].key.as_str(), stored[0].achieved_on),
        ("drive", Some(today()))
    );
    // Day 55 after MIS surgery is later than the usual 14–42.
    assert!(harness.query_by_label("✔ later than usual").is_some());

    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run();
    assert!(
        Store::open_read_only(&path)
            .expect("reopen")
            .milestones(id)
            .expect("read")
            .is_empty()
    );
}

#[test]
fn an_exercise_session_is_marked_done_and_stored() {
    let dir = temp_dir();
    let path = file_in(&dir, "exercises.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Exercises")
        .click();
    harness.run();
    // Day 55: the stabilisation phase prescribes bridges once a day.
    assert!(
        harness
            .query_by_label_contains("Stabilisation phase")
            .is_some()
    );
    press(&mut harness, Role::Button, "Did one session: Bridge");
    let logs = Store::open_read_only(&path)
        .expect("reopen")
        .exercise_logs(id)
        .expect("read");
    assert_eq!(logs.len(), 1);
    assert_eq!(
        (logs[0].exercise_key.as_str(), logs[0].sessions, logs[0].day),
        ("bridge", 1, today())
    );
    assert!(
        harness
            .query_by_label_contains("Done today: 1 of 1")
            .is_some()
    );
    // Once a day is prescribed: the button stops there.
    let again = harness.get_by_role_and_label(Role::Button, "Did one session: Bridge");
    assert!(
        again.accesskit_node().is_disabled(),
        "no more sessions than prescribed"
    );
    again.click();
    harness.run();
    assert_eq!(
        Store::open_read_only(&path)
            .expect("reopen")
            .exercise_logs(id)
            .expect("read")[0]
            .sessions,
        1
    );

    press(
        &mut harness,
        Role::Button,
        "✔ I did all of today's exercises",
    );
    let logs = Store::open_read_only(&path)
        .expect("reopen")
        .exercise_logs(id)
        .expect("read");
    assert_eq!(
        logs.len(),
        4,
        "walk, bridge, mini squats and hamstring stretch"
    );
    assert!(harness.query_by_label_contains("Last 7 days:").is_some());
}

/// "I did all of today's exercises" is one action: its Undo puts every
/// exercise log back as it was, not just the last one.
#[test]
fn i_did_all_is_undone_as_one() {
    let dir = temp_dir();
    let path = file_in(&dir, "did-all.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "Exercises");
    press(&mut harness, Role::Button, "Did one session: Bridge");
    let logs = || {
        Store::open_read_only(&path)
            .expect("reopen")
            .exercise_logs(id)
            .expect("read")
    };
    let before = logs();
    assert_eq!(before.len(), 1);

    press(
        &mut harness,
        Role::Button,
        "✔ I did all of today's exercises",
    );
    let after = logs();
    assert_eq!(
        after.len(),
        4,
        "walk, bridge, mini squats, hamstring stretch"
    );
    let logged: u32 = after.iter().map(|l| u32::from(l.sessions)).sum::<u32>()
        - before.iter().map(|l| u32::from(l.sessions)).sum::<u32>();
    assert!(
        harness
            .query_by_label_contains(&format!("Logged {logged} sessions of 3 exercises"))
            .is_some(),
        "the confirmation counts what was logged"
    );
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run();
    assert_eq!(logs(), before, "every exercise as it was");
}

#[test]
fn a_dose_change_keeps_what_was_prescribed_before() {
    let dir = temp_dir();
    let path = file_in(&dir, "plan.db");
    let (mut store, id) = store_with_patient(&path);
    // Changing a plan is the physiotherapist's tool.
    store.set_use_mode(Some(UseMode::Clinic)).expect("clinic");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Exercises")
        .click();
    harness.run();
    let header = "Change the plan (for the physiotherapist)";
    harness.get_by_label(header).scroll_to_me();
    harness.run();
    harness.get_by_label(header).click();
    harness.run();
    press(
        &mut harness,
        Role::Button,
        "Make this the patient's own plan",
    );
    let plan = Store::open_read_only(&path)
        .expect("reopen")
        .plan(id)
        .expect("read");
    assert_eq!(plan.len(), 4);
    assert!(plan.iter().all(|i| i.start_day == today()));
    press(&mut harness, Role::Button, "Stop Bridge");
    let plan = Store::open_read_only(&path)
        .expect("reopen")
        .plan(id)
        .expect("read");
    assert_eq!(
        plan.len(),
        3,
        "an item started today and stopped today is removed"
    );
    assert!(
        harness
            .query_by_label_contains("Did one session: Bridge")
            .is_none()
    );
}

#[test]
fn a_full_disk_keeps_the_form_and_stores_nothing() {
    let dir = temp_dir();
    let path = file_in(&dir, "full.db");
    let (store, id) = store_with_patient(&path);
    drop(store);
    let store = store_for_window(&path);
    let pages = (std::fs::metadata(&path).expect("size").len() / 4096) as u32;
    store.limit_pages_for_testing(pages).expect("limit");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| App::new(cc, store, protocol(), Clock::fixed_on(today())));
    harness.run();
    choose_scores(&mut harness, [4.0, 2.0, 6.0]);
    let note = "n".repeat(4900);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .type_text(&note);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains(
                "Not saved: the disk is full: nothing was saved. Your entries are still here."
            )
            .is_some()
    );
    assert_eq!(stored(&path, id, TODAY), None);
    let kept = harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .value();
    assert_eq!(
        kept.map(|v| v.len()),
        Some(4900),
        "the note is still in the form"
    );
    // Saving again fails the same way: the whole form is still there.
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Not saved: the disk is full")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Please choose a number")
            .is_none(),
        "the scores are kept"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_database_shows_why_and_cannot_save() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let path = file_in(&dir, "ro.db");
    drop(store_with_patient(&path));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let mut harness = harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Read-only: the database file is marked read-only")
            .is_some()
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Please choose a number")
            .is_none(),
        "Enter does nothing"
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod back");
}

#[test]
fn a_backup_is_restored_from_settings_after_confirmation() {
    let dir = temp_dir();
    let path = file_in(&dir, "restore.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-20", 4))
        .expect("seed");
    store.daily_backup(day("2026-11-21")).expect("backup");
    store
        .save_check_in(id, &check_in("2026-11-22", 9))
        .expect("after the backup");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    press(
        &mut harness,
        Role::Button,
        "Restore the backup of Sat 21 Nov 2026",
    );
    assert!(
        stored(&path, id, "2026-11-22").is_some(),
        "nothing happens before confirming"
    );
    harness
        .get_by_role_and_label(Role::Button, "Restore backup")
        .click();
    harness.run();
    assert_eq!(stored(&path, id, "2026-11-22"), None);
    assert!(stored(&path, id, "2026-11-20").is_some());
    assert!(
        harness
            .query_by_label_contains("What was there before is kept in")
            .is_some()
    );
}

#[test]
fn a_damaged_database_is_set_aside_and_the_backup_restored_from_the_window() {
    let dir = temp_dir();
    let path = file_in(&dir, "damaged.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-20", 4))
        .expect("seed");
    store.daily_backup(day("2026-11-24")).expect("backup");
    // Today's too: the restored file then needs no background backup.
    store.daily_backup(today()).expect("backup");
    drop(store);
    for suffix in ["-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", path_str(&path))).ok();
    }
    std::fs::write(&path, b"not a database any more").expect("damage");
    let db = path.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            recovery_tracker::ui::Root::open(
                &cc.egui_ctx,
                db,
                Default::default(),
                protocol(),
                Clock::fixed_on(today()),
            )
        });
    harness.run();
    assert!(
        harness
            .query_by_label_contains("not a recovery-tracker database")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("holds 1 patient and 1 check-in.")
            .is_some()
    );
    harness
        .get_by_role_and_label(Role::Button, "Restore the newest good backup")
        .click();
    harness.run();
    assert!(
        harness.query_by_label("How are you today?").is_some(),
        "the app opens"
    );
    assert!(stored(&path, id, "2026-11-20").is_some());
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("damaged.db.damaged-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read(kept[0].path()).expect("read"),
        b"not a database any more"
    );
}

fn demo_harness(
    dir: &tempfile::TempDir,
    patients: &str,
    days: &str,
) -> (Harness<'static, App>, std::path::PathBuf) {
    let path = demo_clinic(dir, patients, days);
    (harness(&path), path)
}

#[test]
fn the_patients_list_puts_the_demo_flare_and_gap_first() {
    let dir = temp_dir();
    let (mut harness, _) = demo_harness(&dir, "6", "60");
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Patients")
        .click();
    harness.run();
    // The demo's second patient has a five-day gap, the third a pain
    // flare: both to discuss at the visit, so the one waiting longest (the
    // gap, days older) comes first; then the patients without flags.
    let order: Vec<String> = ["Tomás Okafor", "Ingrid Johansson", "Aisha Rahman"]
        .iter()
        .map(|n| {
            let y = harness
                .get_by_role_and_label(Role::Button, &format!("Review {n}"))
                .rect()
                .top();
            format!("{y:08.1} {n}")
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "gap, then flare, then the rest: {order:?}");
    assert!(harness.query_by_label_contains("Pain rising").is_some());
    assert!(
        harness
            .query_by_label_contains("Missed check-ins")
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains("● Discuss: ")
            .next()
            .is_some(),
        "the tier is said in words"
    );
}

/// A large clinic's list is read on a thread of its own: the window opens
/// on the Patients view saying it is reading (or, once read, with the
/// rows; never "no patients"), shows the rows most urgent first, as
/// computed from the file, and then stays idle. (That no frame waits for
/// the reading is `ui::patient_list`'s own test.)
#[test]
fn a_large_clinics_patient_list_is_read_off_the_frame() {
    let dir = temp_dir();
    let (mut harness, path) = demo_harness(&dir, "240", "40");
    assert!(
        harness
            .query_by_label_contains("No patients match")
            .is_none()
    );
    for _ in 0..500 {
        if harness.query_by_label_contains("Reading 240").is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    assert!(
        harness.query_by_label_contains("Reading 240").is_none(),
        "the rows come"
    );
    let store = Store::open_read_only(&path).expect("open");
    let rows =
        recovery_tracker::ui::patient_list::rows(&store, &protocol(), today()).expect("rows");
    assert_eq!(rows.len(), 240);
    let first = &rows[0];
    assert!(!first.open_flags.is_empty(), "someone needs attention");
    let first_button = harness
        .get_by_role_and_label(Role::Button, &format!("Review {}", first.name))
        .rect()
        .top();
    let tops: Vec<f32> = harness
        .query_all(
            egui_kittest::kittest::By::new()
                .role(Role::Button)
                .label_contains("Review "),
        )
        .map(|n| n.rect().top())
        .collect();
    assert!(tops.len() > 3, "{tops:?}");
    assert!(
        tops.iter().all(|t| *t >= first_button),
        "the most urgent is the top row"
    );
    harness.run();
    for _ in 0..3 {
        harness.step();
        assert_eq!(
            repaint_delay(&harness),
            Some(std::time::Duration::MAX),
            "idle once read"
        );
    }
}

/// A large clinic's list that cannot be read says so, and stays said,
/// without reading again and again while nobody does anything.
#[test]
fn a_large_clinics_list_that_cannot_be_read_says_so_once_and_rests() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "240", "40");
    // A weakness the app does not know, on one recent day, written past
    // the file's CHECK as a foreign program could: reading the day fails.
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "ignore_check_constraints", true)
        .expect("checks off");
    let changed = conn
        .execute(
            "UPDATE check_in SET numbness = 3, tingling = 3, weakness = 'wobbly', \
             weakness_side = 'left' WHERE patient_id = 7 AND day = ?1",
            [TODAY],
        )
        .expect("written");
    assert_eq!(changed, 1);
    drop(conn);
    let mut harness = harness(&path);
    assert!(
        wait_for(&mut harness, "Could not read the patients"),
        "the error is said"
    );
    harness.run();
    for _ in 0..3 {
        harness.step();
        assert_eq!(
            repaint_delay(&harness),
            Some(std::time::Duration::MAX),
            "idle, not reading again"
        );
        assert!(
            harness
                .query_by_label_contains("Could not read the patients")
                .is_some(),
            "still said"
        );
    }
}

#[test]
fn a_review_marks_a_flag_writes_a_note_and_saves_a_pdf() {
    let dir = temp_dir();
    let (mut harness, path) = demo_harness(&dir, "3", "60");
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Patients")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Review Tomás Okafor")
        .click();
    harness.run();
    assert!(harness.query_by_label("Review: Tomás Okafor").is_some());
    assert!(
        !harness
            .query_all_by_label_contains("No check-in for 5 days")
            .collect::<Vec<_>>()
            .is_empty()
    );

    harness
        .get_by_role_and_label(Role::TextInput, "Your name (for reviews and notes):")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Your name (for reviews and notes):")
        .type_text("J. Patel");
    harness.run();
    harness
        .get_by_label_contains("Mark reviewed: No check-in for 5 days")
        .click();
    harness.run();
    let store = Store::open_read_only(&path).expect("read");
    let reviews = store.flag_reviews(PatientId(2)).expect("reviews");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].reviewed_by, "J. Patel");
    assert!(reviews[0].flag_key.starts_with("missed:"));
    assert!(
        harness
            .query_by_label_contains("reviewed by J. Patel")
            .is_some()
    );

    let notes_before = store.visit_notes(PatientId(2)).expect("notes").len();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note:")
        .scroll_to_me();
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note:")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note:")
        .type_text("Discussed the missed week; back on track.");
    harness.run();
    press(&mut harness, Role::Button, "Add note");
    let notes = Store::open_read_only(&path)
        .expect("read")
        .visit_notes(PatientId(2))
        .expect("notes");
    assert_eq!(notes.len(), notes_before + 1);
    assert!(
        notes.iter().any(
            |n| n.text == "Discussed the missed week; back on track." && n.author == "J. Patel"
        )
    );

    // The report, written off the UI thread.
    let pdf = file_in(&dir, "visit.pdf");
    // The export buttons scroll with the page: back up to them.
    press(&mut harness, Role::Button, "Save PDF report…");
    let field = harness.get_by_role_and_label(Role::TextInput, "Save to:");
    field.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Save to:")
        .type_text(path_str(&pdf));
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Save").click();
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label_contains("Saved ").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        harness.query_by_label_contains("Saved ").is_some(),
        "the report was written"
    );
    assert!(std::fs::read(&pdf).expect("the PDF").starts_with(b"%PDF-"));
}

/// A file dialog that answers at once, as a person would have.
struct Answer(Chosen);

impl FileChooser for Answer {
    fn choose(&self, _request: FileRequest, done: Box<dyn FnOnce(Chosen) + Send>) {
        done(self.0.clone());
    }
}

/// A clinic's demo file opened on Review, with `answer` for every file
/// dialog.
fn review_with_dialog(dir: &tempfile::TempDir, answer: Chosen) -> Harness<'static, App> {
    let path = file_in(dir, "dialog.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "2",
        "--days",
        "60",
    ]);
    let store = store_for_window(&path);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            App::new(cc, store, protocol(), Clock::fixed_on(today()))
                .with_file_chooser(std::sync::Arc::new(Answer(answer)))
        });
    harness.run();
    press(&mut harness, Role::Button, "Review");
    press(&mut harness, Role::Button, "Save PDF report…");
    harness
}

fn wait_for(harness: &mut Harness<'static, App>, text: &str) -> bool {
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label_contains(text).is_some() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

#[test]
fn a_pdf_is_saved_where_the_file_dialog_says_on_the_paper_chosen() {
    let dir = temp_dir();
    let pdf = file_in(&dir, "chosen.pdf");
    let mut harness = review_with_dialog(&dir, Chosen::File(pdf.clone()));
    press(&mut harness, Role::Button, "Browse…");
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "Save to:")
            .value()
            .as_deref(),
        Some(path_str(&pdf))
    );
    press(&mut harness, Role::RadioButton, "Letter");
    // The report is written off the UI thread: step while it runs.
    harness.get_by_role_and_label(Role::Button, "Save").click();
    assert!(wait_for(&mut harness, "Saved "), "the report was written");
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.windows(16).any(|w| w == b"MediaBox[0 0 612"),
        "US Letter, as chosen"
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Open")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Show in folder")
            .is_some()
    );
}

#[test]
fn without_a_system_file_dialog_the_path_is_typed() {
    let dir = temp_dir();
    let mut harness = review_with_dialog(
        &dir,
        Chosen::NoDialog("This computer's file dialog did not open.".to_owned()),
    );
    press(&mut harness, Role::Button, "Browse…");
    assert!(
        harness
            .query_by_label_contains("file dialog did not open")
            .is_some(),
        "the dialog says so"
    );
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Save to:")
            .is_some(),
        "and the path can be typed"
    );
    // Escape closes the dialog, writing nothing.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Save to:")
            .is_none()
    );
}

#[test]
fn a_full_check_in_by_keyboard_takes_at_most_ten_key_presses() {
    let dir = temp_dir();
    let path = file_in(&dir, "keys.db");
    let (_, id) = store_with_patient(&path);
    let mut harness = harness(&path);
    harness.run();
    let keys = [
        Key::Num4,
        Key::Tab,
        Key::Num2,
        Key::Tab,
        Key::Num7,
        Key::Enter,
    ];
    for key in keys {
        harness.key_press(key);
        harness.run();
    }
    assert!(keys.len() <= 10);
    let saved = stored(&path, id, TODAY).expect("saved by keyboard alone");
    assert_eq!(
        (saved.back_pain, saved.leg_pain, saved.sleep_quality),
        (4, 2, 7)
    );
}

#[test]
fn two_missed_days_are_offered_for_catch_up() {
    let dir = temp_dir();
    let path = file_in(&dir, "missed.db");
    let (mut store, id) = store_with_patient(&path);
    // Today is Wednesday 25 November; the last check-in was Sunday.
    store
        .save_check_in(id, &check_in("2026-11-22", 3))
        .expect("seed");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label("You missed Monday and Tuesday: add them?")
            .is_some()
    );
    harness
        .get_by_role_and_label(Role::Button, "Add Monday 23 Nov")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label("Check-in for an earlier day")
            .is_some()
    );
    choose_scores(&mut harness, [3.0, 1.0, 6.0]);
    harness
        .get_by_role_and_label(Role::Button, "Save check-in")
        .click();
    harness.run();
    assert!(stored(&path, id, "2026-11-23").is_some());
    harness
        .get_by_role_and_label(Role::Button, "Back to today")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label("You missed Tuesday: add it?")
            .is_some()
    );
}

/// Every screen of the navigation, by its button's label.
const SCREENS: [&str; 9] = [
    "Today",
    "Progress",
    "What to expect",
    "Exercises",
    "Milestones",
    "History",
    "Patients",
    "Review",
    "Settings",
];

/// Opens a screen as a person would: by its side-bar button, or, for "What
/// to expect" in a clinic's window, from Progress.
fn open_screen(harness: &mut Harness<'static, App>, screen: &str) {
    if screen == "What to expect" {
        harness
            .get_by_role_and_label(Role::Button, "Progress")
            .click();
        harness.run();
        press(harness, Role::Button, "What to expect, week by week");
    } else {
        harness.get_by_role_and_label(Role::Button, screen).click();
        harness.run();
    }
}

/// Roles a person acts on, each of which must have a name.
fn is_interactive(role: egui::accesskit::Role) -> bool {
    use egui::accesskit::Role as R;
    matches!(
        role,
        R::Button
            | R::CheckBox
            | R::RadioButton
            | R::TextInput
            | R::MultilineTextInput
            | R::SpinButton
            | R::Slider
            | R::ComboBox
            | R::Switch
            | R::Link
            | R::Tab
            | R::MenuItem
    )
}

#[test]
fn every_interactive_widget_on_every_screen_has_a_label() {
    let dir = temp_dir();
    let (mut harness, _) = demo_harness(&dir, "3", "60");
    harness.run();
    for screen in SCREENS {
        open_screen(&mut harness, screen);
        let unlabelled: Vec<String> = harness
            .query_all(egui_kittest::kittest::By::new().predicate(|node| {
                is_interactive(node.role()) && node.label().is_none_or(|l| l.trim().is_empty())
            }))
            .map(|n| {
                format!("{n:?}")
                    .lines()
                    .take(12)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert!(
            unlabelled.is_empty(),
            "{screen}: {} unlabelled widgets: {unlabelled:#?}",
            unlabelled.len()
        );
        // The walk really sees the widgets: every screen has several.
        let labelled = harness
            .query_all(egui_kittest::kittest::By::new().predicate(|node| {
                is_interactive(node.role()) && node.label().is_some_and(|l| !l.trim().is_empty())
            }))
            .count();
        assert!(
            labelled >= 8,
            "{screen}: only {labelled} interactive widgets found"
        );
    }
    // The body map's list of checkboxes, opened: every place and symptom
    // is a named checkbox.
    harness.get_by_role_and_label(Role::Button, "Today").click();
    harness.run();
    press(
        &mut harness,
        Role::DisclosureTriangle,
        "Mark from a list instead",
    );
    let unlabelled = harness
        .query_all(egui_kittest::kittest::By::new().predicate(|node| {
            is_interactive(node.role()) && node.label().is_none_or(|l| l.trim().is_empty())
        }))
        .count();
    assert_eq!(unlabelled, 0, "the body map's list");
    let places = harness
        .query_all(egui_kittest::kittest::By::new().predicate(|node| {
            node.role() == Role::CheckBox
                && node.label().is_some_and(|l| {
                    ["pain", "numbness", "tingling"]
                        .iter()
                        .any(|s| l.ends_with(s))
                })
        }))
        .count();
    assert_eq!(places, 12 * 2 * 3 + 3, "a checkbox per place and symptom");
    // The first-run screen too.
    let empty = temp_dir();
    let mut first = harness_for(&file_in(&empty, "new.db"));
    first.run();
    let unlabelled = first
        .query_all(egui_kittest::kittest::By::new().predicate(|node| {
            is_interactive(node.role()) && node.label().is_none_or(|l| l.trim().is_empty())
        }))
        .count();
    assert_eq!(unlabelled, 0, "first run");
}

fn harness_for(path: &Path) -> Harness<'static, App> {
    harness(path)
}

fn repaint_delay(harness: &Harness<'static, App>) -> Option<std::time::Duration> {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|v| v.repaint_delay)
}

#[test]
fn an_idle_window_does_not_repaint() {
    let dir = temp_dir();
    let (mut harness, _) = demo_harness(&dir, "3", "60");
    harness.run();
    for screen in SCREENS {
        open_screen(&mut harness, screen);
        // Frames with no input at all: none asks for another.
        for _ in 0..3 {
            harness.step();
            assert_eq!(
                repaint_delay(&harness),
                Some(std::time::Duration::MAX),
                "{screen} repaints while idle"
            );
        }
    }
}

#[test]
fn the_hold_timer_ticks_only_while_it_runs() {
    let dir = temp_dir();
    let path = file_in(&dir, "timer.db");
    drop(store_with_patient(&path));
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Exercises")
        .click();
    harness.run();
    press(&mut harness, Role::Button, "Start 20 s hold: Bridge");
    harness.step();
    let ticking = repaint_delay(&harness).expect("output");
    assert!(
        ticking <= std::time::Duration::from_millis(200),
        "{ticking:?}"
    );
    harness
        .get_by_role_and_label(Role::Button, "Stop: Bridge")
        .click();
    harness.run();
    harness.step();
    assert_eq!(repaint_delay(&harness), Some(std::time::Duration::MAX));
}

/// Ten bridges held 20 s each: the timer says which hold it is, and the
/// next one starts from the same button.
#[test]
fn the_hold_timer_counts_the_holds() {
    let dir = temp_dir();
    let path = file_in(&dir, "holds.db");
    drop(store_with_patient(&path));
    let mut harness = harness(&path);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Exercises")
        .click();
    harness.run();
    assert!(harness.query_by_label("10 holds of 20 s each").is_some());
    press(&mut harness, Role::Button, "Start 20 s hold: Bridge");
    let button_at = harness
        .get_by_role_and_label(Role::Button, "Stop: Bridge")
        .rect();
    assert!(harness.query_by_label("Hold 1 of 10: 20 s").is_some());
    // The harness advances a quarter of a second a step.
    for _ in 0..84 {
        harness.step();
    }
    harness.run();
    assert!(harness.query_by_label("Hold 1 of 10 done: relax").is_some());
    let next = harness.get_by_role_and_label(Role::Button, "Next hold (2 of 10): Bridge");
    assert_eq!(next.rect().min, button_at.min, "the button kept its place");
    next.click();
    harness.run();
    assert!(harness.query_by_label("Hold 2 of 10: 20 s").is_some());
}

#[test]
fn a_file_from_another_computer_is_previewed_then_imported() {
    let dir = temp_dir();
    let source = file_in(&dir, "patient.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&source),
        "--patients",
        "2",
        "--days",
        "30",
    ]);
    let file = file_in(&dir, "from-home.json");
    run_ok(&[
        "export",
        "--db",
        path_str(&source),
        "--format",
        "fhir",
        "--patient",
        "1",
        "-o",
        path_str(&file),
    ]);
    let clinic = file_in(&dir, "clinic.db");
    let (_, _) = store_with_patient(&clinic);
    let mut harness = harness(&clinic);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Or type its path:")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Or type its path:")
        .type_text(path_str(&file));
    harness.run();
    press(&mut harness, Role::Button, "Preview import");
    assert!(
        harness
            .query_by_label_contains("of the file: new patient with")
            .is_some()
    );
    assert_eq!(
        Store::open_read_only(&clinic)
            .expect("read")
            .counts()
            .expect("counts")
            .patients,
        1,
        "nothing before the go-ahead"
    );
    press(&mut harness, Role::Button, "Import now");
    assert!(
        harness
            .query_by_label_contains("Imported 1 patient.")
            .is_some()
    );
    let store = Store::open_read_only(&clinic).expect("read");
    assert_eq!(store.counts().expect("counts").patients, 2);
}

#[test]
fn the_daily_backup_is_made_in_the_background_after_the_first_frame() {
    let dir = temp_dir();
    let path = file_in(&dir, "daily.db");
    let (store, _) = store_with_patient(&path);
    drop(store);
    let daily = |path: &Path| {
        recovery_tracker::store::backup::list(path)
            .into_iter()
            .filter(|b| b.kind == recovery_tracker::store::backup::BackupKind::Daily)
            .count()
    };
    assert_eq!(daily(&path), 0, "none before the window");
    let store = Store::open(&path).expect("open");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| App::new(cc, store, protocol(), Clock::fixed_on(today())));
    let mut frames = 0;
    while daily(&path) == 0 && frames < 500 {
        harness.run();
        std::thread::sleep(std::time::Duration::from_millis(10));
        frames += 1;
    }
    assert_eq!(daily(&path), 1, "today's backup after {frames} frames");
    // Settings lists it once the window has its answer.
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    let today_label = format!(
        "Restore the backup of {}",
        recovery_tracker::words::weekday_date(today())
    );
    assert!(
        harness.query_by_label(&today_label).is_some(),
        "{today_label}"
    );
}

#[test]
fn nerve_symptoms_are_optional_one_click_when_none_and_worse_weakness_warns() {
    use recovery_tracker::model::{NerveSymptoms, Side, Weakness};
    let dir = temp_dir();
    let path = file_in(&dir, "nerves.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-20", 4))
        .expect("a day without nerve answers");
    drop(store);
    let mut harness = harness(&path);
    harness.run();
    // Skipped: the check-in saves without them.
    choose_scores(&mut harness, [3.0, 2.0, 6.0]);
    press(&mut harness, Role::Button, "Save check-in");
    let saved = stored(&path, id, TODAY).expect("saved");
    assert_eq!(saved.nerves, None, "not answered, not invented");

    // None of them, in one click.
    press(
        &mut harness,
        Role::Button,
        "No numbness, tingling or weakness",
    );
    press(&mut harness, Role::Button, "Save changes");
    assert_eq!(
        stored(&path, id, TODAY).and_then(|c| c.nerves),
        Some(NerveSymptoms::NONE)
    );

    // Worse weakness than at the last check-in ticks the warning sign, and
    // a weak leg must be named before saving.
    press(
        &mut harness,
        Role::RadioButton,
        "Moderate: my foot slaps or catches when I walk",
    );
    assert!(
        harness
            .query_by_label_contains("New or worse weakness or numbness in a leg\" is ticked")
            .is_some(),
        "the person is told the warning sign was ticked"
    );
    press(&mut harness, Role::Button, "Save changes");
    assert!(
        harness
            .query_by_label_contains("Please say which leg is weak")
            .is_some()
    );
    press(&mut harness, Role::RadioButton, "Right leg");
    harness
        .get_by_role_and_label(Role::Slider, "Numbness")
        .set_value_accesskit(5.0);
    harness.run();
    press(&mut harness, Role::Button, "Save changes");
    let saved = stored(&path, id, TODAY).expect("saved");
    assert_eq!(
        saved.nerves,
        Some(NerveSymptoms {
            numbness: 5,
            tingling: 0,
            weakness: Weakness::Moderate,
            weakness_side: Some(Side::Right),
        })
    );
    assert!(
        saved
            .warning_symptoms
            .contains(recovery_tracker::model::WarningSymptom::LegWeakness)
    );
}

#[test]
fn the_review_shows_corrections_of_the_details() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "3", "60");
    run_ok(&[
        "patient",
        "set",
        "--db",
        path_str(&path),
        "--patient",
        "1",
        "--team-phone",
        "555 0100",
    ]);
    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "Review");
    assert!(
        harness.query_by_label_contains("→ 555 0100").is_some(),
        "the correction is listed on the review"
    );
}

/// An ALIF answers the approach by itself; a patient who does not know the
/// approach says so and is told what they are compared with.
#[test]
fn the_approach_follows_the_procedure_and_not_sure_is_a_choice() {
    let dir = temp_dir();
    let path = file_in(&dir, "approach.db");
    let mut harness = harness(&path);
    harness.run();
    let checked = |harness: &Harness<'static, App>, label: &str| {
        harness
            .get_by_role_and_label(Role::RadioButton, label)
            .accesskit_node()
            .toggled()
            == Some(egui::accesskit::Toggled::True)
    };
    assert!(checked(&harness, "Open, from the back"));
    press(&mut harness, Role::ComboBox, "Procedure");
    press(
        &mut harness,
        Role::Button,
        "ALIF (anterior interbody fusion)",
    );
    assert!(checked(&harness, "From the front (anterior)"));
    press(&mut harness, Role::RadioButton, "Not sure");
    assert!(checked(&harness, "Not sure"));
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Grace Hopper");
    harness.run();
    harness
        .get_by_role_and_label(Role::Slider, "Back pain before surgery")
        .set_value_accesskit(7.0);
    harness
        .get_by_role_and_label(Role::Slider, "Leg pain before surgery")
        .set_value_accesskit(5.0);
    harness.run();
    press(&mut harness, Role::Button, "Create patient");
    let store = Store::open_read_only(&path).expect("reopen");
    let patients = store.patients().expect("patients");
    assert_eq!(
        patients[0].details.approach,
        recovery_tracker::model::Approach::NotSure
    );
    press(&mut harness, Role::Button, "Progress");
    assert!(
        harness
            .query_by_label_contains("compared with open surgery from the back")
            .is_some(),
        "Progress says what a patient who is not sure is compared with"
    );
}

/// The day's check runs after the first frame. When it finds the file
/// damaged, the open window stops writing to it (nothing more can be lost
/// into a broken file) and offers the recovery window with the newest good
/// backup.
#[test]
fn damage_found_by_the_days_check_stops_writes_and_offers_the_good_backup() {
    let dir = temp_dir();
    let (pristine, damaged) = demo_with_a_damaged_page();
    let path = file_in(&dir, "d.db");
    std::fs::write(&path, &damaged).expect("write");
    let good = recovery_tracker::store::backup::backups_dir(&path).join("d-daily-2026-11-20.db");
    std::fs::create_dir_all(good.parent().expect("folder")).expect("folder");
    std::fs::write(&good, &pristine).expect("a good backup");
    let db = path.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            recovery_tracker::ui::Root::open(
                &cc.egui_ctx,
                db,
                Default::default(),
                protocol(),
                Clock::fixed_on(today()),
            )
        });
    let offer = "Restore the newest good backup…";
    for _ in 0..200 {
        harness.run();
        if harness.query_by_label(offer).is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        harness
            .query_by_label_contains("the day's check found damage in the file")
            .is_some(),
        "the header says why nothing can be saved"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        damaged,
        "not a byte written into the damaged file"
    );
    // A visit to the demo file and back opens the damaged file again: it
    // stays refused.
    press(&mut harness, Role::Button, "Settings");
    press(&mut harness, Role::Button, "Explore with demo data");
    assert!(
        harness.query_by_label(offer).is_none(),
        "the demo file is not damaged"
    );
    press(&mut harness, Role::Button, "Back to my own data");
    assert!(
        harness.query_by_label(offer).is_some(),
        "the own file is still refused after the demo"
    );
    press(&mut harness, Role::Button, offer);
    // "Try again" does not open a damaged file for writing.
    press(&mut harness, Role::Button, "Try again");
    assert!(
        harness
            .query_by_label("Your data could not be opened")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("Your data could not be opened")
            .is_some()
    );
    press(&mut harness, Role::Button, "Restore the newest good backup");
    assert!(
        harness.query_by_label(offer).is_none(),
        "the restored file opens for writing"
    );
    assert!(run(&["check", "--db", path_str(&path)]).status.success());
}

/// The body map by mouse (a tap on the drawn place) and by keyboard (a
/// named checkbox, ticked with Space); saddle numbness raises the
/// emergency banner at once, in view without scrolling.
#[test]
fn the_body_map_works_by_mouse_and_keyboard_and_saddle_numbness_is_an_emergency() {
    let dir = temp_dir();
    let path = file_in(&dir, "map.db");
    let (store, id) = store_with_patient(&path);
    drop(store);
    let store = store_for_window(&path);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| App::new(cc, store, protocol(), Clock::fixed_on(today())));
    harness.run();
    choose_scores(&mut harness, [4.0, 5.0, 6.0]);
    // Numbness is what a tap marks unless another symptom is chosen.
    press(&mut harness, Role::Button, "Left calf: mark numbness");
    assert!(
        harness
            .query_by_label("Left calf: unmark numbness")
            .is_some()
    );
    press(&mut harness, Role::Button, "Tingling");
    press(
        &mut harness,
        Role::Button,
        "Right outer thigh: mark tingling",
    );
    // The keyboard's way: the list, a checkbox, Space.
    press(
        &mut harness,
        Role::DisclosureTriangle,
        "Mark from a list instead",
    );
    let checkbox = "Right sole and heel: pain";
    harness
        .get_by_role_and_label(Role::CheckBox, checkbox)
        .scroll_to_me();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, checkbox)
        .focus();
    harness.run();
    harness.key_press(Key::Space);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Call an ambulance now")
            .is_none(),
        "nothing urgent yet"
    );
    press(&mut harness, Role::Button, "Numbness");
    press(
        &mut harness,
        Role::Button,
        "Saddle area (between the legs): mark numbness",
    );
    let banner = harness.get_by_label_contains("Call an ambulance now");
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    assert!(
        window.contains_rect(banner.rect()),
        "the emergency banner is in view: {:?}",
        banner.rect()
    );
    press(&mut harness, Role::Button, "Save check-in");
    let saved = stored(&path, id, TODAY).expect("saved");
    let marks: Vec<String> = saved.body_map.marks().map(|m| m.words()).collect();
    assert_eq!(
        marks,
        vec![
            "Left calf: numbness",
            "Right outer thigh: tingling",
            "Right sole and heel: pain",
            "Saddle area (between the legs): numbness",
        ]
    );
    assert!(
        saved
            .warning_symptoms
            .contains(WarningSymptom::SaddleNumbness)
    );
}

/// Numbness marked in a place that was not numb at the last check-in is
/// "new or worse numbness": the same-day sign is ticked, and the banner
/// says whom to call.
#[test]
fn numbness_that_spreads_on_the_map_raises_the_same_day_banner() {
    let dir = temp_dir();
    let path = file_in(&dir, "spread.db");
    let (mut store, id) = store_with_patient(&path);
    let mut yesterday = check_in("2026-11-24", 4);
    yesterday.body_map.set(
        recovery_tracker::model::Mark {
            side: recovery_tracker::model::BodySide::Left,
            region: recovery_tracker::model::Region::Calf,
            symptom: recovery_tracker::model::MapSymptom::Numbness,
        },
        true,
    );
    store.save_check_in(id, &yesterday).expect("yesterday");
    drop(store);
    let store = store_for_window(&path);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| App::new(cc, store, protocol(), Clock::fixed_on(today())));
    harness.run();
    assert!(
        harness
            .query_by_label("Left calf: unmark numbness")
            .is_some(),
        "yesterday's marks are carried over"
    );
    assert!(
        harness
            .query_by_label_contains("checked by your surgeon's team today")
            .is_none()
    );
    press(
        &mut harness,
        Role::Button,
        "Left sole and heel: mark numbness",
    );
    assert!(
        harness
            .query_by_label_contains("checked by your surgeon's team today")
            .is_some(),
        "numbness in a new place is a same-day sign"
    );
    assert!(
        harness
            .query_by_label_contains(
                "Numbness in a new place since your last check-in (left sole and heel)"
            )
            .is_some()
    );
    // A mistake taken back takes its sign back too.
    press(
        &mut harness,
        Role::Button,
        "Left sole and heel: unmark numbness",
    );
    assert!(
        harness
            .query_by_label_contains("checked by your surgeon's team today")
            .is_none(),
        "the map's own tick goes with its mark"
    );
    // A saved day opened again ticks nothing for marks it already had.
    press(
        &mut harness,
        Role::Button,
        "Left sole and heel: mark numbness",
    );
    press(
        &mut harness,
        Role::CheckBox,
        "New or worse weakness or numbness in a leg",
    );
    choose_scores(&mut harness, [4.0, 5.0, 6.0]);
    press(&mut harness, Role::Button, "Save check-in");
    press(&mut harness, Role::Button, "◀ Day before");
    press(&mut harness, Role::Button, "Day after ▶");
    press(&mut harness, Role::Button, "Pain");
    press(&mut harness, Role::Button, "Right calf: mark pain");
    assert!(
        harness
            .query_by_label_contains("checked by your surgeon's team today")
            .is_none(),
        "the person's untick stands when the saved day is edited"
    );
}

/// Review shows where the first demo patient marked their symptoms: the
/// most marked places with days against the period before, and one symptom
/// at a time.
#[test]
fn the_review_shows_the_body_map_as_a_heat_map() {
    let dir = temp_dir();
    let (mut harness, _) = demo_harness(&dir, "3", "40");
    harness.run();
    press(&mut harness, Role::Button, "Review");
    assert!(harness.query_by_label("Where: the body map").is_some());
    // Patient 1: L5 in the left leg, numb in the big toe every day.
    assert!(
        harness
            .query_by_label_contains("Left big toe (numbness, tingling): 14 of 14")
            .is_some()
    );
    press(&mut harness, Role::RadioButton, "Pain");
    assert!(
        harness.query_by_label_contains("Left big toe:").is_none(),
        "the big toe is numb, not painful"
    );
    assert!(harness.query_by_label_contains("Left buttock:").is_some());
}

/// Weakness has a tab of its own: a step line with the weeks it was
/// present, and no expected range (none is published for it).
#[test]
fn progress_charts_weakness_as_steps_with_the_weeks_present() {
    let dir = temp_dir();
    let (mut harness, _) = demo_harness(&dir, "3", "40");
    harness.run();
    press(&mut harness, Role::Button, "Progress");
    press(&mut harness, Role::Button, "Leg weakness");
    // The first demo patient had mild weakness of the left leg for four weeks.
    assert!(
        harness
            .query_by_label_contains("Weakness was recorded in 5 weeks (weeks 0 to 4)")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("no expected range")
            .is_some()
    );
}

/// A store whose patients had surgery `days_ago` each (and were set up
/// the day after), without an ODI total since.
fn store_with_operations_ago(path: &Path, patients: &[(&str, u64)]) -> Vec<PatientId> {
    let mut store = Store::open(path).expect("a new database");
    patients
        .iter()
        .map(|(name, days_ago)| {
            let surgery = today() - chrono::Days::new(*days_ago);
            let details = recovery_tracker::model::PatientDetails {
                surgery_date: surgery,
                ..details(name)
            };
            let set_up = (surgery + chrono::Days::new(1))
                .and_hms_opt(10, 0, 0)
                .expect("time")
                .and_utc();
            store
                .create_patient(&details, Some(&baseline()), set_up)
                .expect("a patient")
        })
        .collect()
}

#[test]
fn on_day_85_today_says_the_three_month_check_up_is_due_and_leads_to_the_odi() {
    let dir = temp_dir();
    let path = file_in(&dir, "check-up.db");
    let ids = store_with_operations_ago(&path, &[("Ruth Okafor", 85)]);
    let mut harness = harness(&path);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Your 3-month check-up questions are due")
            .is_some(),
        "day 85 is in the 3-month window"
    );
    press(&mut harness, Role::Button, "Record the ODI total");
    harness
        .get_by_role_and_label(Role::SpinButton, "ODI total")
        .set_value_accesskit(28.0);
    harness.run();
    press(&mut harness, Role::Button, "Save ODI");
    let store = Store::open_read_only(&path).expect("open");
    let entries = store.odi_entries(ids[0]).expect("ODI totals");
    assert_eq!(
        entries.iter().map(|e| (e.day, e.total)).collect::<Vec<_>>(),
        [(today(), 28)],
        "the total is stored on today"
    );
    drop(store);
    press(&mut harness, Role::Button, "Today");
    assert!(
        harness
            .query_by_label_contains("check-up questions are")
            .is_none(),
        "answered, the card goes"
    );
}

#[test]
fn the_clinic_list_marks_an_unanswered_check_up_overdue_as_a_note_never_an_alarm() {
    use recovery_tracker::analysis::review::{FlagKind, Tier, overview_rows};
    let dir = temp_dir();
    let path = file_in(&dir, "clinic.db");
    store_with_operations_ago(&path, &[("Ruth Okafor", 120), ("Ingrid Johansson", 85)]);
    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "Patients");
    assert!(
        harness
            .query_by_label_contains("3-month check-up overdue")
            .is_some(),
        "day 120 without an answer is overdue"
    );
    assert!(
        harness
            .query_by_label_contains("3-month check-up due")
            .is_some(),
        "day 85 is due"
    );
    let store = Store::open_read_only(&path).expect("open");
    let reads = recovery_tracker::analysis::review::overview_reads(today());
    let records = store
        .recent_records(reads.check_ins_from, reads.exercise_logs_from)
        .expect("records");
    let rows = overview_rows(&protocol(), &records, today());
    let ruth = rows.iter().find(|r| r.name == "Ruth Okafor").expect("Ruth");
    let missing: Vec<_> = ruth
        .open_flags
        .iter()
        .filter(|f| f.kind == FlagKind::CheckUpMissing)
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", ruth.open_flags);
    assert_eq!(missing[0].tier, Tier::Note);
    // Every flag a check-up raised, in every row, is a note.
    assert!(
        rows.iter()
            .flat_map(|r| &r.open_flags)
            .filter(|f| f.kind == FlagKind::CheckUpMissing)
            .all(|f| f.tier == Tier::Note)
    );
}

#[test]
fn what_to_expect_shows_the_patients_own_course_milestones_and_first_weeks() {
    use recovery_tracker::analysis::trajectory::patient_course;
    let dir = temp_dir();
    let path = file_in(&dir, "expect.db");
    let (mut store, id) = store_with_patient(&path);
    // A starting point far from the cohort's, so the course shows whose it is.
    let mut record = store.patient_record(id).expect("record");
    let mut start = baseline();
    start.back_pain = 10;
    let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
    store
        .update_patient(id, &record.patient.details, Some(&start), today(), now)
        .expect("a baseline of 10");
    record.baseline = Some(start);
    drop(store);
    let course = patient_course(&protocol(), &record, &[91]);
    let back = course
        .iter()
        .find(|c| c.metric == recovery_tracker::model::MetricKey::BackPain)
        .expect("back pain");
    let p = back.points[0].1;
    let cell = format!("{:.1} ({:.1}–{:.1})", p.median, p.low, p.high);

    let mut harness = harness(&path);
    harness.run();
    press(&mut harness, Role::Button, "What to expect");
    assert!(harness.query_by_label("Your expected recovery").is_some());
    assert!(
        harness.query_by_label(&cell).is_some(),
        "back pain at 3 months, {cell}, from the patient's own start"
    );
    assert!(
        harness
            .query_by_label_contains("Drive again (after the surgeon's clearance): week")
            .is_some(),
        "the milestone windows"
    );
    assert!(
        harness
            .query_by_label_contains("No bending forward at the waist")
            .is_some(),
        "the first weeks' restrictions"
    );
    assert!(
        harness
            .query_by_label_contains("improve their disability score")
            .is_some(),
        "the realistic expectations"
    );
}

/// The window on another day.
fn harness_on(path: &Path, on: chrono::NaiveDate) -> Harness<'static, App> {
    let store = Store::open(path).expect("open");
    store.daily_backup(on).expect("the day's backups");
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| App::new(cc, store, protocol(), Clock::fixed_on(on)))
}

/// Opens Progress on its PSFS tab.
fn open_psfs(harness: &mut Harness<'static, App>) {
    press(harness, Role::Button, "Progress");
    press(harness, Role::Button, "Activities");
}

fn rate(harness: &mut Harness<'static, App>, ratings: &[(&str, f64)]) {
    for (activity, score) in ratings {
        harness
            .get_by_role_and_label(Role::Slider, activity)
            .set_value_accesskit(*score);
        harness.run();
    }
    press(harness, Role::Button, "Save PSFS");
}

#[test]
fn psfs_three_activities_rated_a_month_apart_show_the_change() {
    let dir = temp_dir();
    let path = file_in(&dir, "psfs.db");
    let (store, id) = store_with_patient(&path);
    drop(store);
    let month_ago = day("2026-10-26");
    let activities = ["Put on socks", "Sit through a film", "Walk to the shops"];

    // The first visit: three activities named, then rated.
    let mut harness = harness_on(&path, month_ago);
    harness.run();
    open_psfs(&mut harness);
    assert!(
        harness
            .query_by_label_contains("No PSFS answer yet")
            .is_some()
    );
    for name in activities {
        harness
            .get_by_role_and_label(Role::TextInput, "A new activity:")
            .focus();
        harness.run();
        harness
            .get_by_role_and_label(Role::TextInput, "A new activity:")
            .type_text(name);
        harness.run();
        press(&mut harness, Role::Button, "Add activity");
    }
    // Two rated of three: the third is asked for, nothing saved.
    harness
        .get_by_role_and_label(Role::Slider, "Put on socks")
        .set_value_accesskit(2.0);
    harness.run();
    press(&mut harness, Role::Button, "Save PSFS");
    assert!(
        harness
            .query_by_label_contains("Please rate: Sit through a film, Walk to the shops")
            .is_some()
    );
    rate(
        &mut harness,
        &[("Sit through a film", 3.0), ("Walk to the shops", 4.0)],
    );
    assert!(
        harness
            .query_by_label_contains(
                "PSFS 3.0 on 26 Oct 2026: rate the same activities again later"
            )
            .is_some()
    );
    drop(harness);

    // A month later the same activities are asked again.
    let mut harness = harness_on(&path, today());
    harness.run();
    open_psfs(&mut harness);
    rate(
        &mut harness,
        &[
            ("Put on socks", 6.0),
            ("Sit through a film", 5.0),
            ("Walk to the shops", 7.0),
        ],
    );
    assert!(
        harness
            .query_by_label_contains(
                "PSFS 6.0 on 25 Nov 2026, up 3.0 since 26 Oct 2026: a meaningful improvement (2 points or more)."
            )
            .is_some(),
        "the change and whether it is meaningful"
    );
    assert!(
        harness
            .query_by_label_contains("Put on socks: better by 4 points")
            .is_some(),
        "an activity's own meaningful change (3 points)"
    );
    let store = Store::open_read_only(&path).expect("open");
    let ratings = store.psfs_ratings(id).expect("ratings");
    assert_eq!(ratings.len(), 6, "{ratings:?}");
    assert_eq!(
        store.psfs_activities(id).expect("activities").len(),
        3,
        "the same three activities, not new ones"
    );
}

/// A file given on the command line (a double-click on an exported
/// `.recovery.json`) opens in the import preview, over whatever screen is
/// showing; nothing is written until "Import now".
#[test]
fn a_file_opened_with_the_app_is_previewed_and_imported_only_when_asked() {
    let dir = temp_dir();
    let source = file_in(&dir, "home.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&source),
        "--patients",
        "1",
        "--days",
        "30",
    ]);
    let file = file_in(&dir, "Ann.recovery.json");
    run_ok(&[
        "export",
        "--db",
        path_str(&source),
        "--format",
        "json",
        "-o",
        path_str(&file),
    ]);
    let clinic = file_in(&dir, "clinic.db");
    drop(store_with_patient(&clinic));
    let patients = |path: &Path| {
        Store::open_read_only(path)
            .expect("read")
            .counts()
            .expect("counts")
            .patients
    };
    let open = |clinic: &Path, file: &Path| {
        let store = store_for_window(clinic);
        let file = file.to_owned();
        Harness::builder()
            .with_size(egui::vec2(900.0, 600.0))
            .build_eframe(move |cc| {
                let mut app = App::new(cc, store, protocol(), Clock::fixed_on(today()));
                app.preview_import(file);
                app
            })
    };

    let mut harness = open(&clinic, &file);
    harness.run();
    assert!(
        harness
            .query_by_label("Import Ann.recovery.json?")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("new patient with")
            .is_some()
    );
    press(&mut harness, Role::Button, "Cancel import");
    assert!(
        harness
            .query_by_label("Import Ann.recovery.json?")
            .is_none()
    );
    assert_eq!(patients(&clinic), 1, "cancelled: nothing written");
    drop(harness);

    let mut harness = open(&clinic, &file);
    harness.run();
    press(&mut harness, Role::Button, "Import now");
    assert!(
        harness
            .query_by_label_contains("Imported 1 patient.")
            .is_some()
    );
    assert_eq!(patients(&clinic), 2);
}

/// The reminder is off until the patient sets it; Settings keeps the choice.
/// A clinic's file has no reminder.
#[test]
fn the_daily_reminder_is_off_until_set_and_only_in_a_patients_own_app() {
    let dir = temp_dir();
    let own = file_in(&dir, "mine.db");
    drop(store_with_patient(&own));
    let mut harness = harness(&own);
    harness.run();
    press(&mut harness, Role::Button, "Settings");
    let remind = |harness: &Harness<'static, App>| {
        harness
            .get_by_role_and_label(Role::CheckBox, "Remind me at")
            .accesskit_node()
            .toggled()
            == Some(egui::accesskit::Toggled::True)
    };
    assert!(!remind(&harness), "off by default");
    assert!(
        harness
            .query_by_label("Reminder hour")
            .is_some_and(|n| n.accesskit_node().is_disabled())
    );
    press(&mut harness, Role::CheckBox, "Remind me at");
    assert!(remind(&harness), "kept on the next frame");
    let hour = harness.get_by_role_and_label(Role::ComboBox, "Reminder hour");
    assert!(!hour.accesskit_node().is_disabled());
    let minutes = harness.get_by_role_and_label(Role::ComboBox, "Reminder minutes");
    let shown = (
        hour.accesskit_node().value(),
        minutes.accesskit_node().value(),
    );
    assert_eq!(
        shown,
        (Some("19".into()), Some("30".into())),
        "19:30 until changed"
    );
    drop(harness);

    let (mut clinic, _) = demo_harness(&dir, "3", "30");
    clinic.run();
    press(&mut clinic, Role::Button, "Settings");
    assert!(clinic.query_by_label("Daily reminder").is_none());
    assert!(clinic.query_by_label("Remind me at").is_none());
}
