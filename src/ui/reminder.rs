//! The daily reminder: at the time the person chose (Settings, off until
//! then), a desktop notification "How was today?" if today's check-in is
//! missing. It is sent through the computer's own notification service
//! (D-Bus on Linux) and nothing else: no network.
//!
//! It runs on a thread of its own, because a minimised window draws no
//! frames to check the time in. While the window has the focus the person
//! is using the app, and the reminder waits until they leave it. The thread starts the first time a reminder
//! is set, wakes about twice a minute (or when the setting changes), reads
//! the file only when a reminder is due, and ends with the app.

use crate::clock::Clock;
use crate::model::PatientId;
use crate::store::Store;
use chrono::{NaiveDate, NaiveTime, TimeDelta};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

/// The notification's words.
pub const TITLE: &str = "How was today?";
pub const BODY: &str = "It takes a minute.";

/// A computer asleep at the reminder's time still reminds when it wakes
/// within this long; later, the evening has moved on and it keeps quiet.
const LATE_BY_AT_MOST: TimeDelta = TimeDelta::hours(2);

/// How often the thread looks at the clock.
const LOOK_EVERY: Duration = Duration::from_secs(30);

/// What the reminder should do, as the window last said.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wanted {
    at: Option<NaiveTime>,
    patient: Option<PatientId>,
    db: PathBuf,
}

#[derive(Default)]
struct Shared {
    wanted: Mutex<Option<Wanted>>,
    changed: Condvar,
    /// The person clicked the notification: the window opens Today.
    open_today: AtomicBool,
    /// The window has the keyboard focus: the person is using the app, and
    /// a notification would only interrupt them (it waits until they leave).
    window_focused: AtomicBool,
    /// The window that started the thread is gone (the app quit, or a
    /// recovery window replaced it): the thread ends.
    stop: AtomicBool,
}

/// The window's handle on the reminder thread.
#[derive(Default)]
pub struct Reminder {
    shared: Arc<Shared>,
    /// What was last handed to the thread (compared each frame without a lock).
    told: Option<Wanted>,
    running: bool,
}

impl Reminder {
    /// Tells the thread what is wanted now; starts it the first time a
    /// reminder is set. Cheap when nothing changed (one comparison).
    pub fn want(
        &mut self,
        ctx: &egui::Context,
        clock: Clock,
        at: Option<NaiveTime>,
        patient: Option<PatientId>,
        db: &std::path::Path,
    ) {
        let focused = ctx.input(|i| i.viewport().focused.unwrap_or(false));
        self.shared.window_focused.store(focused, Ordering::Relaxed);
        let same = self
            .told
            .as_ref()
            .is_some_and(|w| w.at == at && w.patient == patient && w.db == db);
        if same || (at.is_none() && !self.running) {
            return;
        }
        let wanted = Wanted {
            at,
            patient,
            db: db.to_owned(),
        };
        *self
            .shared
            .wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(wanted.clone());
        self.shared.changed.notify_all();
        self.told = Some(wanted);
        if !self.running {
            self.running = true;
            let shared = Arc::clone(&self.shared);
            let ctx = ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("reminder".to_owned())
                .spawn(move || watch(&shared, &ctx, clock));
            // Without a thread there is no reminder, and nothing else is lost.
            self.running = spawned.is_ok();
        }
    }

    /// Whether the person clicked the notification since last asked.
    pub fn take_open_today(&self) -> bool {
        self.shared.open_today.swap(false, Ordering::Relaxed)
    }
}

impl Drop for Reminder {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.changed.notify_all();
    }
}

/// Whether a reminder set for `at` is due at `now`.
pub fn is_due(at: NaiveTime, now: NaiveTime) -> bool {
    let late = now.signed_duration_since(at);
    late >= TimeDelta::zero() && late < LATE_BY_AT_MOST
}

/// The thread: once a day at most, when due and today has no check-in.
fn watch(shared: &Arc<Shared>, ctx: &egui::Context, clock: Clock) {
    let mut reminded_on: Option<NaiveDate> = None;
    let mut wanted = shared.wanted.lock().unwrap_or_else(PoisonError::into_inner);
    while !shared.stop.load(Ordering::Relaxed) {
        let today = clock.today();
        let focused = shared.window_focused.load(Ordering::Relaxed);
        let moment = (today, clock.time_of_day());
        if let Some((db, patient)) = wanted
            .as_ref()
            .and_then(|w| to_remind(w, reminded_on, moment, focused))
        {
            reminded_on = Some(today);
            // The file is read without the lock, so a save is never kept waiting.
            drop(wanted);
            if check_in_missing(&db, patient, today) {
                notify(shared, ctx);
            }
            wanted = shared.wanted.lock().unwrap_or_else(PoisonError::into_inner);
        }
        wanted = shared
            .changed
            .wait_timeout(wanted, LOOK_EVERY)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// Whose check-in to look for now, if a reminder is set, due at `moment`
/// (the local day and time), not yet given today, and the person is not
/// using the window.
fn to_remind(
    wanted: &Wanted,
    reminded_on: Option<NaiveDate>,
    (today, now): (NaiveDate, NaiveTime),
    window_focused: bool,
) -> Option<(PathBuf, PatientId)> {
    let (at, patient) = (wanted.at?, wanted.patient?);
    (reminded_on != Some(today) && is_due(at, now) && !window_focused)
        .then(|| (wanted.db.clone(), patient))
}

/// Only a check-in known to be missing is reminded of: a file that cannot
/// be read now says nothing either way.
fn check_in_missing(db: &std::path::Path, patient: PatientId, today: NaiveDate) -> bool {
    Store::open_read_only(db)
        .and_then(|store| store.check_in(patient, today))
        .is_ok_and(|found| found.is_none())
}

fn notify(shared: &Arc<Shared>, ctx: &egui::Context) {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Recovery Tracker")
        .summary(TITLE)
        .body(BODY)
        .icon(crate::APP_ID)
        .action("default", "Open Today");
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        notification.hint(notify_rust::Hint::DesktopEntry(crate::APP_ID.to_owned()));
        if let Ok(handle) = notification.show() {
            // Waiting for the click blocks, so it has a thread of its own.
            let shared = Arc::clone(shared);
            let ctx = ctx.clone();
            let waited = std::thread::Builder::new()
                .name("reminder-click".to_owned())
                .spawn(move || {
                    handle.wait_for_action(|action| {
                        if action == "default" {
                            shared.open_today.store(true, Ordering::Relaxed);
                            ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
                            ctx.request_repaint();
                        }
                    });
                });
            drop(waited);
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = (shared, ctx);
        drop(notification.show());
    }
}

#[cfg(test)]
mod tests {
    use super::{Wanted, is_due, to_remind};
    use crate::model::PatientId;
    use chrono::{NaiveDate, NaiveTime};

    fn at(text: &str) -> NaiveTime {
        NaiveTime::parse_from_str(text, "%H:%M").expect("a time")
    }

    #[test]
    fn due_from_the_time_set_for_two_hours_of_the_same_day() {
        assert!(!is_due(at("19:30"), at("19:29")));
        assert!(is_due(at("19:30"), at("19:30")));
        assert!(is_due(at("19:30"), at("21:29")));
        assert!(
            !is_due(at("19:30"), at("21:30")),
            "the evening has moved on"
        );
        assert!(!is_due(at("23:30"), at("00:10")), "not into the next day");
        assert!(is_due(at("23:30"), at("23:59")));
    }

    #[test]
    fn reminded_once_a_day_and_never_while_the_window_is_in_use() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a day");
        let wanted = Wanted {
            at: Some(at("19:30")),
            patient: Some(PatientId(1)),
            db: "mine.db".into(),
        };
        let evening = (day, at("19:45"));
        assert!(to_remind(&wanted, None, evening, false).is_some());
        assert!(to_remind(&wanted, None, evening, true).is_none(), "in use");
        assert!(
            to_remind(&wanted, Some(day), evening, false).is_none(),
            "given"
        );
        let yesterday = day.pred_opt();
        assert!(to_remind(&wanted, yesterday, evening, false).is_some());
        let off = Wanted {
            at: None,
            ..wanted.clone()
        };
        assert!(to_remind(&off, None, evening, false).is_none(), "off");
        let nobody = Wanted {
            patient: None,
            ..wanted
        };
        assert!(
            to_remind(&nobody, None, evening, false).is_none(),
            "no patient"
        );
    }
}
