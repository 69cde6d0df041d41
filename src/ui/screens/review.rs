//! One patient over a chosen period, as a physiotherapist sees it at a
//! visit: flags with their reasons, the trends, this period against the one
//! before, the weekly table, visit notes, and the report and exports.

use super::ReceivesOutcome;
use super::progress::{ChartView, chart_legend, metric_chart};
use crate::analysis::body_map::{HeatMap, place_words};
use crate::analysis::review::{
    Flag, PeriodSummary, WeekSummary, compare_with_previous, flags, weekly_summaries,
};
use crate::exchange::ExportFormat;
use crate::model::MetricKey;
use crate::model::{FlagReview, MapSymptom, PatientId, VisitNote};
use crate::report::Paper;
use crate::session::{Edit, EditKind, Outcome};
use crate::ui::cache::PatientData;
use crate::ui::file_dialog::{Chosen, FileRequest, PendingChoice, split};
use crate::ui::{AppView, Command, ExportRequest, PrefChange, theme, widgets};
use chrono::{Days, NaiveDate};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use strum::VariantArray;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range {
    LastTwoWeeks,
    SinceLastVisit,
    SinceSurgery,
    Custom,
}

/// What the screen shows for one patient and period, rebuilt only when the
/// data, the patient or the period changes.
struct Computed {
    key: (u64, PatientId, NaiveDate, NaiveDate),
    flags: Vec<Flag>,
    weeks: Vec<WeekSummary>,
    now: PeriodSummary,
    before: PeriodSummary,
    /// The body map over the period and over the one as long before it.
    heat: HeatMap,
    heat_before: HeatMap,
    /// "Check-ups: before-surgery answered 20 Dec; …"
    check_ups: Option<String>,
    /// "PSFS 6.0 on 2 Mar, up 3.0 since 1 Feb: …", once answered.
    psfs: Option<String>,
}

impl Computed {
    /// Where the expected courses start, the check-ups, the PSFS.
    fn summary_lines(&self, ui: &mut Ui, data: &PatientData) {
        widgets::hint(ui, &data.starting_points);
        for line in [&self.check_ups, &self.psfs].into_iter().flatten() {
            widgets::hint(ui, line);
        }
    }

    fn of(
        key: (u64, PatientId, NaiveDate, NaiveDate),
        app: &AppView<'_>,
        data: &PatientData,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Self {
        let record = data.to_record();
        let (now, before) = compare_with_previous(app.protocol, &record, from, to);
        Computed {
            key,
            flags: flags(app.protocol, &record, from, to),
            weeks: weekly_summaries(app.protocol, &record, from, to),
            now,
            before,
            heat: HeatMap::of(&data.check_ins, from, to),
            heat_before: HeatMap::before(&data.check_ins, from, to),
            check_ups: crate::analysis::check_ups::check_up_sentence(&data.check_ups),
            psfs: (!data.psfs.average.is_empty()).then(|| data.psfs.sentence()),
        }
    }
}

pub struct ReviewScreen {
    range: Range,
    custom_from: NaiveDate,
    custom_to: NaiveDate,
    computed: Option<Computed>,
    note_text: String,
    note_day: NaiveDate,
    export: Option<ExportDialog>,
    error: Option<String>,
    /// Which symptom the heat map shows; `None` for any.
    heat_symptom: Option<MapSymptom>,
}

impl ReceivesOutcome for ReviewScreen {
    fn receive(&mut self, outcome: &Outcome) {
        if outcome.succeeded() && outcome.kind == EditKind::AddVisitNote {
            self.note_text.clear();
        }
        self.error = outcome.error.as_ref().map(|e| e.message.clone());
    }
}

impl ReviewScreen {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            range: Range::LastTwoWeeks,
            custom_from: today - Days::new(27),
            custom_to: today,
            computed: None,
            note_text: String::new(),
            note_day: today,
            export: None,
            error: None,
            heat_symptom: None,
        }
    }

    fn period(&self, data: &PatientData, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let surgery = data.patient.details.surgery_date;
        match self.range {
            Range::LastTwoWeeks => ((today - Days::new(13)).max(surgery), today),
            Range::SinceLastVisit => {
                let last = data
                    .visit_notes
                    .iter()
                    .map(|n| n.day)
                    .filter(|d| *d < today)
                    .max();
                (last.unwrap_or(surgery), today)
            }
            Range::SinceSurgery => (surgery, today),
            Range::Custom => (
                self.custom_from.min(self.custom_to),
                self.custom_to.max(self.custom_from),
            ),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        let (from, to) = self.period(data, app.today);
        let key = (app.data_version, data.patient.id, from, to);
        if self.computed.as_ref().is_none_or(|c| c.key != key) {
            self.computed = Some(Computed::of(key, app, data, (from, to)));
        }
        let Some(computed) = self.computed.take() else {
            return;
        };
        // Everything scrolls, the title and the exports too: at a large
        // text size in a small window a fixed top would push the export
        // buttons out of reach.
        widgets::page(ui, app.page, "review", |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading(format!("Review: {}", data.patient.details.name));
                ui.add_space(theme::GAP_M);
                for (range, label) in [
                    (Range::LastTwoWeeks, "Last 2 weeks"),
                    (Range::SinceLastVisit, "Since last visit"),
                    (Range::SinceSurgery, "Since surgery"),
                    (Range::Custom, "Custom"),
                ] {
                    let radio = ui.radio_value(&mut self.range, range, label);
                    app.first_control(radio.id);
                }
                if self.range == Range::Custom {
                    widgets::short_date_field(ui, "review-from", "From", &mut self.custom_from);
                    ui.label("to");
                    widgets::short_date_field(ui, "review-to", "To", &mut self.custom_to);
                }
            });
            widgets::hint(
                ui,
                &format!(
                    "{} to {} · week {} to {} since surgery",
                    crate::words::date(from),
                    crate::words::date(to),
                    data.patient.week_since_surgery(from).max(0),
                    data.patient.week_since_surgery(to)
                ),
            );
            if let Some(error) = &self.error {
                widgets::error_line(ui, error);
            }
            self.actions(ui, app, data, from, to);
            self.flags_card(ui, app, data, &computed.flags);
            ui.add_space(theme::GAP_S);
            computed.summary_lines(ui, data);
            ui.add_space(theme::GAP_S);
            let x_range = (
                data.patient.days_since_surgery(from) as f64 / 7.0 - 0.2,
                data.patient.days_since_surgery(to) as f64 / 7.0 + 0.2,
            );
            if let Some(chart) = data.chart(MetricKey::BackPain) {
                chart_legend(ui, chart);
            }
            // Side by side when there is room, one under another when not.
            let across = if ui.available_width() >= theme::CARDS_BELOW {
                3
            } else {
                1
            };
            let charts = [
                MetricKey::BackPain,
                MetricKey::LegPain,
                MetricKey::WalkingMinutes,
            ];
            for row in charts.chunks(across) {
                ui.columns(across, |columns| {
                    for (column, &key) in columns.iter_mut().zip(row) {
                        if let Some(chart) = data.chart(key) {
                            column.label(RichText::new(&chart.label).strong());
                            metric_chart(
                                column,
                                app.today,
                                data,
                                chart,
                                &ChartView {
                                    x_range,
                                    height: 200.0,
                                    id_salt: "review-chart",
                                    axis_labels: false,
                                },
                            );
                        }
                    }
                });
            }
            ui.add_space(theme::GAP_S);
            comparison(ui, &computed.now, &computed.before);
            ui.add_space(theme::GAP_S);
            body_map_card(ui, &computed, &mut self.heat_symptom);
            ui.add_space(theme::GAP_S);
            weekly_table(ui, &computed.weeks);
            ui.add_space(theme::GAP_S);
            self.notes_card(ui, app, data);
            ui.add_space(theme::GAP_S);
            // Corrections of the surgery date or baseline change every
            // expected curve: the clinician sees that they happened.
            crate::ui::patient_form::change_log(ui, &data.changes);
        });
        self.computed = Some(computed);
    }

    fn actions(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        data: &PatientData,
        from: NaiveDate,
        to: NaiveDate,
    ) {
        ui.horizontal_wrapped(|ui| {
            for (kind, label) in [
                (ExportFormat::Pdf, "Save PDF report…"),
                (ExportFormat::Json, "Export JSON…"),
                (ExportFormat::Csv, "Export CSV…"),
                (ExportFormat::Fhir, "Export FHIR…"),
            ] {
                if ui.button(label).clicked() {
                    let stamp = app.today.format("%Y-%m-%d");
                    let name: String = data
                        .patient
                        .details
                        .name
                        .chars()
                        .map(|c| if c.is_alphanumeric() { c } else { '-' })
                        .collect();
                    let folder = app.export_folder.to_path_buf();
                    let file = folder.join(format!("{name}-{stamp}.{}", kind.extension()));
                    self.export = Some(ExportDialog {
                        kind,
                        path: file.display().to_string(),
                        paper: Paper::of_this_computer(),
                        browsing: None,
                        no_dialog: None,
                    });
                }
            }
            if let Some(progress) = app.job_status {
                ui.spinner();
                ui.label(progress);
            }
        });
        let Some(dialog) = self.export.as_mut() else {
            return;
        };
        if dialog.export_dialog(ui, app, data.patient.id, (from, to)) {
            self.export = None;
        }
    }

    fn flags_card(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        data: &PatientData,
        found: &[Flag],
    ) {
        let colors = theme::palette(ui.visuals());
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                widgets::section_title(ui, &format!("Flags ({})", found.len()));
                ui.add_space(theme::GAP_L);
                let label = ui.label("Your name (for reviews and notes):");
                let mut name = app.prefs.reviewer.clone();
                let width = ui.available_width().clamp(120.0, 220.0);
                if ui
                    .add(egui::TextEdit::singleline(&mut name).desired_width(width))
                    .labelled_by(label.id)
                    .changed()
                {
                    app.push(Command::Pref(PrefChange::Reviewer(name)));
                }
            });
            if found.is_empty() {
                ui.label("Nothing flagged in this period.");
            }
            let reviewer = app.prefs.reviewer.trim().to_owned();
            for flag in found {
                ui.horizontal_wrapped(|ui| {
                    widgets::tier_label(ui, flag.tier);
                    ui.label(RichText::new(flag.kind.title()).strong());
                    ui.label(&flag.reason);
                    match data.flag_reviews.iter().find(|r| r.flag_key == flag.key) {
                        Some(r) => {
                            ui.label(
                                RichText::new(format!(
                                    "✔ reviewed by {} on {}",
                                    r.reviewed_by,
                                    crate::words::date(
                                        r.reviewed_at.with_timezone(&chrono::Local).date_naive()
                                    )
                                ))
                                .color(colors.good),
                            );
                        }
                        None => {
                            let button = ui.add_enabled(
                                !reviewer.is_empty(),
                                egui::Button::new("Mark reviewed"),
                            );
                            button.widget_info(|| {
                                egui::WidgetInfo::labeled(
                                    egui::Role::Button,
                                    true,
                                    format!("Mark reviewed: {}", flag.reason),
                                )
                            });
                            if button.clicked() {
                                app.edit(Edit::ReviewFlag(
                                    data.patient.id,
                                    FlagReview {
                                        flag_key: flag.key.clone(),
                                        reviewed_by: reviewer.clone(),
                                        reviewed_at: app.now,
                                    },
                                ));
                            }
                        }
                    }
                });
            }
        });
    }

    fn notes_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Visit notes");
            for note in data.visit_notes.iter().rev() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} · {}",
                            crate::words::date(note.day),
                            note.author
                        ))
                        .strong(),
                    );
                    if let Some(id) = note.id {
                        let delete = ui.small_button("Delete");
                        delete.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                true,
                                format!("Delete the note of {}", crate::words::long_date(note.day)),
                            )
                        });
                        if delete.clicked() {
                            app.edit(Edit::DeleteVisitNote(data.patient.id, id));
                        }
                    }
                });
                ui.label(&note.text);
                ui.add_space(theme::GAP_S);
            }
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("New note for");
                widgets::short_date_field(ui, "note-day", "Note date", &mut self.note_day);
            });
            let label = ui.label("Note:");
            ui.add(
                egui::TextEdit::multiline(&mut self.note_text)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("What you found and agreed at this visit"),
            )
            .labelled_by(label.id);
            if ui.button("Add note").clicked() {
                let note = VisitNote {
                    id: None,
                    day: self.note_day,
                    author: app.prefs.reviewer.trim().to_owned(),
                    text: self.note_text.trim().to_owned(),
                };
                match note.validate() {
                    Ok(()) => app.edit(Edit::AddVisitNote(data.patient.id, note)),
                    Err(e) if e.field == "author" => {
                        self.error =
                            Some("Please write your name above the notes first.".to_owned());
                    }
                    Err(e) => self.error = Some(format!("Not added: {e}.")),
                }
            }
        });
    }
}

fn comparison(ui: &mut Ui, now: &PeriodSummary, before: &PeriodSummary) {
    let one = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
    let whole = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.0}"));
    let adherence = |p: &PeriodSummary| {
        p.adherence
            .percent()
            .map_or_else(|| "–".to_owned(), |v| format!("{v:.0}%"))
    };
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(ui, "This period against the one before");
        // A measure per row: three columns fit any window.
        egui::Grid::new("comparison")
            .num_columns(3)
            .spacing([16.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                for h in ["", "This period", "Before"] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                let rows: [(&str, String, String); 5] = [
                    (
                        "Check-ins",
                        now.check_ins.to_string(),
                        before.check_ins.to_string(),
                    ),
                    ("Back pain", one(now.back_pain), one(before.back_pain)),
                    ("Leg pain", one(now.leg_pain), one(before.leg_pain)),
                    (
                        "Walking (min)",
                        whole(now.walking_minutes),
                        whole(before.walking_minutes),
                    ),
                    ("Exercise", adherence(now), adherence(before)),
                ];
                for (label, this, that) in rows {
                    ui.label(label);
                    ui.label(this);
                    ui.label(that);
                    ui.end_row();
                }
            });
    });
}

/// Where the patient marked symptoms: how many days of the period each
/// place was marked, and how that changed from the period before.
fn body_map_card(ui: &mut Ui, computed: &Computed, symptom: &mut Option<MapSymptom>) {
    let (heat, before) = (&computed.heat, &computed.heat_before);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(ui, "Where: the body map");
        if heat.mapped == 0 && before.mapped == 0 {
            widgets::hint(
                ui,
                "No places were marked in this period or the one before.",
            );
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("Show:");
            ui.radio_value(symptom, None, "Any symptom");
            for s in MapSymptom::VARIANTS {
                ui.radio_value(symptom, Some(*s), s.words());
            }
        });
        widgets::hint(
            ui,
            &format!(
                "Days each place was marked, of {} in this period ({} with a map).",
                crate::words::plural(i64::from(heat.check_ins), "check-in", "check-ins"),
                heat.mapped
            ),
        );
        let list = |ui: &mut Ui| {
            widgets::section_title(ui, "Most marked, against the period before");
            let ranked = heat.ranked(*symptom);
            if ranked.is_empty() {
                widgets::hint(ui, "Nothing marked with this symptom in this period.");
            }
            for (side, region, days) in ranked.into_iter().take(8) {
                let earlier = before.days(side, region, *symptom);
                let what: Vec<String> = heat
                    .symptoms_at(side, region)
                    .into_iter()
                    .filter(|_| symptom.is_none())
                    .map(|s| s.words().to_lowercase())
                    .collect();
                let place = if what.is_empty() {
                    place_words(side, region)
                } else {
                    format!("{} ({})", place_words(side, region), what.join(", "))
                };
                ui.label(format!(
                    "{place}: {days} of {} ({})",
                    heat.check_ins,
                    match before.check_ins {
                        0 => "no check-ins before".to_owned(),
                        n => format!("before: {earlier} of {n}"),
                    }
                ));
            }
            let gone: Vec<String> = before
                .ranked(*symptom)
                .into_iter()
                .filter(|(side, region, _)| heat.days(*side, *region, *symptom) == 0)
                .map(|(side, region, _)| place_words(side, region).to_lowercase())
                .collect();
            if !gone.is_empty() {
                ui.label(format!("No longer marked: {}.", gone.join(", ")));
            }
        };
        if ui.available_width() >= 900.0 {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(520.0);
                    crate::ui::body_map::heat(ui, heat, *symptom);
                });
                ui.vertical(list);
            });
        } else {
            crate::ui::body_map::heat(ui, heat, *symptom);
            list(ui);
        }
    });
}

fn weekly_table(ui: &mut Ui, weeks: &[WeekSummary]) {
    let one = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
    let whole = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.0}"));
    let exercise = |w: &WeekSummary| {
        w.adherence
            .percent()
            .map_or_else(|| "–".to_owned(), |p| format!("{p:.0}%"))
    };
    let weakness = |w: &WeekSummary| {
        w.weakness
            .map_or_else(|| "–".to_owned(), |k| k.words().to_lowercase())
    };
    let warnings = |w: &WeekSummary| {
        if w.warning_days > 0 {
            format!("⚠ {}", w.warning_days)
        } else {
            "0".to_owned()
        }
    };
    let days = |w: &WeekSummary| crate::words::short_span(w.first_day, w.last_day);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(ui, "Week by week");
        if ui.available_width() < theme::CARDS_BELOW {
            // Too narrow for eleven columns: each week in three short lines.
            for w in weeks.iter().rev() {
                ui.label(
                    RichText::new(format!(
                        "Week {} · {} · {}",
                        w.week,
                        days(w),
                        crate::words::plural(w.check_ins as i64, "check-in", "check-ins")
                    ))
                    .strong(),
                );
                ui.label(format!(
                    "Back {} · Leg {} · Sleep {} · Walk {} · Sit {} min",
                    one(w.back_pain),
                    one(w.leg_pain),
                    one(w.sleep_quality),
                    whole(w.walking_minutes),
                    whole(w.sitting_minutes)
                ));
                ui.label(format!(
                    "Numbness {} · Tingling {} · Weakness {}",
                    one(w.numbness),
                    one(w.tingling),
                    weakness(w)
                ));
                ui.label(format!(
                    "Opioids {} · Exercise {} · Warning days {}",
                    w.opioid_doses,
                    exercise(w),
                    warnings(w)
                ));
                ui.add_space(theme::GAP_S);
            }
            return;
        }
        egui::Grid::new("weekly")
            .num_columns(14)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for h in [
                    "Week",
                    "Days",
                    "Check-ins",
                    "Back",
                    "Leg",
                    "Walk",
                    "Sit",
                    "Sleep",
                    "Numb",
                    "Tingle",
                    "Weak",
                    "Opioids",
                    "Exercise",
                    "Warnings",
                ] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for w in weeks.iter().rev() {
                    ui.label(w.week.to_string());
                    ui.label(days(w));
                    ui.label(w.check_ins.to_string());
                    ui.label(one(w.back_pain));
                    ui.label(one(w.leg_pain));
                    ui.label(whole(w.walking_minutes));
                    ui.label(whole(w.sitting_minutes));
                    ui.label(one(w.sleep_quality));
                    ui.label(one(w.numbness));
                    ui.label(one(w.tingling));
                    ui.label(weakness(w));
                    ui.label(w.opioid_doses.to_string());
                    ui.label(exercise(w));
                    ui.label(warnings(w));
                    ui.end_row();
                }
            });
    });
}

/// Where and how to save an export: the path (from the computer's file
/// dialog, or typed when it has none), the paper for a PDF.
struct ExportDialog {
    kind: ExportFormat,
    path: String,
    paper: Paper,
    /// The computer's file dialog, while it is open.
    browsing: Option<PendingChoice>,
    /// Why the computer's file dialog did not open, once it did not.
    no_dialog: Option<String>,
}

impl ExportDialog {
    fn filter(&self) -> (String, Vec<String>) {
        let (name, extension) = match self.kind {
            ExportFormat::Pdf => ("PDF report", "pdf"),
            ExportFormat::Json => ("JSON document", "json"),
            ExportFormat::Csv => ("CSV table", "csv"),
            ExportFormat::Fhir => ("FHIR bundle (JSON)", "json"),
        };
        (name.to_owned(), vec![extension.to_owned()])
    }

    /// The dialog; returns whether it should close. Escape or Cancel close
    /// it; Enter or Save (Replace) write the file.
    fn export_dialog(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        patient: crate::model::PatientId,
        (from, to): (NaiveDate, NaiveDate),
    ) -> bool {
        if let Some(answer) = self.browsing.as_ref().and_then(PendingChoice::poll) {
            self.browsing = None;
            match answer {
                Chosen::File(path) => self.path = path.display().to_string(),
                Chosen::Cancelled => {}
                Chosen::NoDialog(why) => self.no_dialog = Some(why),
            }
        }
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("export-dialog")).show(ui.ctx(), |ui| {
            ui.set_max_width(widgets::dialog_width(ui.ctx(), 640.0));
            let what = match self.kind {
                ExportFormat::Pdf => "Save the PDF report",
                ExportFormat::Json => "Export everything about this patient (JSON)",
                ExportFormat::Csv => "Export this patient's check-ins (CSV)",
                ExportFormat::Fhir => "Export for a clinic system (HL7 FHIR R4 bundle)",
            };
            ui.label(
                RichText::new(what)
                    .text_style(theme::title_style())
                    .strong(),
            );
            if self.kind == ExportFormat::Pdf {
                ui.horizontal_wrapped(|ui| {
                    ui.label("Paper:");
                    for paper in [Paper::A4, Paper::Letter] {
                        ui.radio_value(&mut self.paper, paper, paper.label());
                    }
                });
            }
            let label = ui.label("Save to:");
            ui.horizontal_wrapped(|ui| {
                let width = (ui.available_width() - 140.0).clamp(160.0, 480.0);
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(width))
                    .labelled_by(label.id);
                let browse = ui.add_enabled(self.browsing.is_none(), egui::Button::new("Browse…"));
                if browse.clicked() {
                    let (folder, file_name) = split(Path::new(self.path.trim()));
                    self.browsing = Some(PendingChoice::start(
                        app.file_chooser,
                        ui.ctx(),
                        FileRequest {
                            title: what.to_owned(),
                            save: true,
                            folder,
                            file_name,
                            filter: self.filter(),
                        },
                    ));
                }
            });
            if let Some(why) = &self.no_dialog {
                widgets::hint(ui, why);
            }
            widgets::hint(
                ui,
                "The file is written only to this computer, readable by you alone.",
            );
            let target = PathBuf::from(self.path.trim());
            let exists = target.is_file();
            if exists {
                widgets::error_line(
                    ui,
                    "A file of that name already exists. Replace it, or change the name.",
                );
            }
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let save = ui.add_enabled(
                    self.browsing.is_none(),
                    egui::Button::new(if exists { "Replace it" } else { "Save" }),
                );
                if save.clicked() || (enter && self.browsing.is_none()) {
                    app.push(Command::Export(ExportRequest {
                        patient,
                        format: self.kind,
                        path: target.clone(),
                        from,
                        to,
                        replace: exists,
                        paper: self.paper,
                    }));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
        close || modal.should_close()
    }
}
