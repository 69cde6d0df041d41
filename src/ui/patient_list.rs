//! The rows of the Patients view: computed in the frame for a small clinic,
//! on a thread of its own for a large one, so that no frame waits for
//! thousands of records.

use crate::analysis::review::{OverviewRow, overview, overview_reads, sort_by_need};
use crate::protocol::Protocol;
use crate::store::Store;
use chrono::NaiveDate;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// From this many patients the list is computed off the frame (200
/// patients take about 10 ms; 5,000 take over 150 ms).
pub const READ_OFF_THE_FRAME_FROM: usize = 200;

/// Every patient's row on `today`, most in need of attention first: each
/// row computed as its record is read, and the record dropped.
pub fn rows(
    store: &Store,
    protocol: &Protocol,
    today: NaiveDate,
) -> crate::store::Result<Vec<OverviewRow>> {
    let reads = overview_reads(today);
    let mut rows = store.map_recent_records(
        reads.check_ins_from,
        reads.exercise_logs_from,
        |record, last| overview(protocol, &record, today, last),
    )?;
    sort_by_need(&mut rows, today);
    Ok(rows)
}

/// The rows of one data version on one day, being read on a thread.
pub(crate) struct Reading {
    pub(crate) version: u64,
    pub(crate) today: NaiveDate,
    /// The frame it started in.
    started_in: u64,
    result: Receiver<Result<Vec<OverviewRow>, String>>,
}

/// What polling a reading found.
pub(crate) enum Polled {
    Reading,
    Done(Result<Vec<OverviewRow>, String>),
}

impl Reading {
    /// Starts reading the rows on a read-only connection of their own.
    pub(crate) fn start(
        ctx: &egui::Context,
        reader: Store,
        protocol: Protocol,
        version: u64,
        today: NaiveDate,
    ) -> Self {
        let (sender, result) = channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let found = reader
                .limit_page_cache(crate::store::LIST_PAGE_CACHE_KIB)
                .and_then(|()| rows(&reader, &protocol, today))
                .map_err(|e| e.to_string());
            // The window may have closed; then nobody needs the rows.
            sender.send(found).ok();
            repaint.request_repaint();
        });
        Self {
            version,
            today,
            started_in: ctx.cumulative_frame_nr(),
            result,
        }
    }

    /// Never done in the frame it started: a frame's passes (egui may lay
    /// a frame out twice) all show the same thing.
    pub(crate) fn poll(&self, ctx: &egui::Context) -> Polled {
        if ctx.cumulative_frame_nr() == self.started_in {
            return Polled::Reading;
        }
        match self.result.try_recv() {
            Ok(found) => Polled::Done(found),
            Err(TryRecvError::Empty) => Polled::Reading,
            Err(TryRecvError::Disconnected) => {
                Polled::Done(Err("reading the patients stopped unexpectedly".to_owned()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows are never taken in the frame that started the reading (its
    /// passes all show "Reading…"), and come whole in a later one.
    #[test]
    fn a_reading_is_done_only_in_a_later_frame_with_every_row() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("clinic.db");
        let mut store = Store::open(&path).expect("open");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("day");
        let protocol = Protocol::embedded().expect("protocol");
        let options = crate::demo::DemoOptions {
            patients: 12,
            days: 30,
            ..crate::demo::DemoOptions::default()
        };
        let now = chrono::Utc::now();
        let records = crate::demo::generate(&protocol, options, today, now);
        store
            .insert_patient_records(&records, today)
            .expect("stored");
        let ctx = egui::Context::default();
        let mut reading = None;
        let mut polls_in_first_frame = Vec::new();
        // One frame of `ctx` running `f` (no painting: its textures are
        // dropped on purpose).
        let frame = |f: &mut dyn FnMut(&mut egui::Ui)| {
            ctx.run_ui(egui::RawInput::default(), |ui| f(ui))
                .textures_delta
                .clear();
        };
        frame(&mut |ui| {
            let started = Reading::start(
                ui.ctx(),
                store.second_reader().expect("reader"),
                protocol.clone(),
                0,
                today,
            );
            std::thread::sleep(std::time::Duration::from_millis(300));
            polls_in_first_frame.push(matches!(started.poll(ui.ctx()), Polled::Reading));
            reading = Some(started);
        });
        assert_eq!(polls_in_first_frame, [true], "not in its own frame");
        let reading = reading.expect("started");
        let mut found = None;
        for _ in 0..200 {
            frame(&mut |ui| {
                if let Polled::Done(rows) = reading.poll(ui.ctx()) {
                    found = Some(rows);
                }
            });
            if found.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let rows = found.expect("done").expect("rows");
        assert_eq!(rows, super::rows(&store, &protocol, today).expect("rows"));
        assert_eq!(rows.len(), 12);
    }
}
