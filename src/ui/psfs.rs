//! The PSFS on Progress: the score and each activity over time against the
//! meaningful-change lines, and the form that names activities and rates
//! them on a day (at a visit, or at home).

use crate::analysis::psfs::{MEANINGFUL_ACTIVITY, MEANINGFUL_AVERAGE, PsfsCourse};
use crate::model::psfs::{MAX_ACTIVE, MIN_ACTIVE};
use crate::model::{PatientId, PsfsActivity, PsfsRating};
use crate::session::{Edit, Outcome};
use crate::ui::cache::PatientData;
use crate::ui::widgets::{self, ScorePicker};
use crate::ui::{AppView, theme};
use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints, Points};

/// What the form holds: the activities as they will be saved, and a
/// score for each one asked on the day.
#[derive(Debug, Clone, PartialEq, Default)]
struct Form {
    activities: Vec<PsfsActivity>,
    scores: Vec<(String, Option<u8>)>,
}

pub struct PsfsPanel {
    day: NaiveDate,
    form: Form,
    /// The form as loaded, to tell whether the person changed anything.
    pristine: Form,
    /// Patient, day and data version the form was loaded from.
    loaded_from: Option<(PatientId, NaiveDate, u64)>,
    new_activity: String,
    error: Option<String>,
}

impl PsfsPanel {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            day: today,
            form: Form::default(),
            pristine: Form::default(),
            loaded_from: None,
            new_activity: String::new(),
            error: None,
        }
    }

    pub fn receive(&mut self, outcome: &Outcome) {
        match &outcome.error {
            Some(e) => self.error = Some(e.message.clone()),
            None => {
                self.error = None;
                // Saved or undone: show what is stored now.
                self.loaded_from = None;
            }
        }
    }

    /// The stored activities and the day's ratings, unless the person has
    /// changed the form since it was loaded.
    fn sync(&mut self, data: &PatientData, version: u64) {
        let key = (data.patient.id, self.day, version);
        if self.loaded_from == Some(key) {
            return;
        }
        let same_patient_and_day = self
            .loaded_from
            .is_some_and(|(p, d, _)| (p, d) == (key.0, key.1));
        if same_patient_and_day && self.form != self.pristine {
            self.loaded_from = Some(key);
            return;
        }
        let mut form = Form {
            activities: data.psfs_activities.clone(),
            scores: Vec::new(),
        };
        form.scores = asked(&form.activities, self.day)
            .map(|a| {
                let stored = data
                    .psfs_ratings
                    .iter()
                    .find(|r| r.day == self.day && a.is_named(&r.activity))
                    .map(|r| r.score);
                (a.name.clone(), stored)
            })
            .collect();
        self.pristine = form.clone();
        self.form = form;
        self.loaded_from = Some(key);
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData, height: f32) {
        self.sync(data, app.data_version);
        widgets::page(ui, app.page, "progress-psfs", |ui| {
            summary(ui, &data.psfs);
            ui.add_space(theme::GAP_S);
            if data.psfs.average.is_empty() {
                widgets::hint(
                    ui,
                    "The chart appears with the first answer: name 3 to 5 activities below and \
                     rate them.",
                );
            } else {
                let today_week = data.patient.days_since_surgery(app.today) as f64 / 7.0;
                chart(ui, &data.psfs, today_week, height);
            }
            ui.add_space(theme::GAP_S);
            self.form_card(ui, app, data);
        });
    }

    fn form_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Rate the activities");
            widgets::hint(
                ui,
                "Name 3 to 5 activities you find hard because of your back or legs (\"put on \
                 socks\", \"sit through a film\"), then rate each: 0 = unable, 10 = as before \
                 the problem. Later, rate the same ones again.",
            );
            ui.horizontal_wrapped(|ui| {
                let mut day = self.day;
                widgets::date_field(ui, "psfs-day", "Day of these ratings", &mut day);
                if day != self.day {
                    self.day = day.min(app.today);
                    self.loaded_from = None;
                    self.error = None;
                }
            });
            let mut retire = None;
            for (name, score) in &mut self.form.scores {
                ui.add_space(theme::GAP_S);
                ui.add(ScorePicker::new(name, score).anchors("Unable", "As before the problem"));
                let button = ui.button("No longer ask this");
                button.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("No longer ask \"{name}\""),
                    )
                });
                if button.clicked() {
                    retire = Some(name.clone());
                }
            }
            if let Some(name) = retire {
                self.retire(&name);
            }
            ui.add_space(theme::GAP_S);
            self.add_row(ui);
            for a in data
                .psfs_activities
                .iter()
                .filter(|a| a.retired_on.is_some())
            {
                widgets::hint(
                    ui,
                    &format!(
                        "No longer asked: {} (its ratings stay in the chart)",
                        a.name
                    ),
                );
            }
            ui.add_space(theme::GAP_S);
            ui.horizontal_wrapped(|ui| {
                let save = ui.add_enabled(app.read_only.is_none(), egui::Button::new("Save PSFS"));
                if save.clicked() {
                    self.save(app, data.patient.id);
                }
                if let Some(error) = &self.error {
                    widgets::error_line(ui, error);
                }
            });
        });
    }

    fn add_row(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("A new activity:");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.new_activity)
                        .hint_text("For example: put on socks")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Add activity").clicked() || enter {
                self.add();
            }
        });
    }

    fn add(&mut self) {
        let name = self.new_activity.trim().to_owned();
        if name.is_empty() {
            self.error = Some("Type the activity first.".to_owned());
            return;
        }
        if let Some(same) = self.form.activities.iter_mut().find(|a| a.is_named(&name)) {
            // Asked again: an activity retired by mistake comes back.
            if same.retired_on.is_some_and(|r| r <= self.day) && same.added_on <= self.day {
                same.retired_on = None;
                self.form.scores.push((same.name.clone(), None));
                self.new_activity.clear();
                self.error = None;
            } else {
                self.error = Some(format!("\"{name}\" is already on the list."));
            }
            return;
        }
        if self.form.scores.len() >= MAX_ACTIVE {
            self.error = Some(format!(
                "At most {MAX_ACTIVE} activities at a time: choose \"No longer ask this\" for one first."
            ));
            return;
        }
        let activity = PsfsActivity {
            name: name.clone(),
            added_on: self.day,
            retired_on: None,
        };
        if let Err(e) = activity.validate() {
            self.error = Some(format!("The activity {}.", e.message));
            return;
        }
        self.form.activities.push(activity);
        self.form.scores.push((name, None));
        self.new_activity.clear();
        self.error = None;
    }

    fn retire(&mut self, name: &str) {
        let day = self.day;
        self.form.scores.retain(|(n, _)| n != name);
        let Some(index) = self.form.activities.iter().position(|a| a.is_named(name)) else {
            return;
        };
        // Added on this day, so rated on no other: simply not added (a
        // day's ratings are replaced whole when saved).
        if self.form.activities[index].added_on == day {
            self.form.activities.remove(index);
        } else {
            self.form.activities[index].retired_on = Some(day);
        }
    }

    fn save(&mut self, app: &mut AppView<'_>, patient: PatientId) {
        if self.form.scores.len() < MIN_ACTIVE {
            self.error = Some(format!(
                "Name at least {MIN_ACTIVE} activities: the scale needs 3 to 5."
            ));
            return;
        }
        let unrated: Vec<&str> = self
            .form
            .scores
            .iter()
            .filter(|(_, s)| s.is_none())
            .map(|(n, _)| n.as_str())
            .collect();
        if !unrated.is_empty() {
            self.error = Some(format!("Please rate: {}.", unrated.join(", ")));
            return;
        }
        let ratings: Vec<PsfsRating> = self
            .form
            .scores
            .iter()
            .filter_map(|(name, score)| {
                Some(PsfsRating {
                    day: self.day,
                    activity: name.clone(),
                    score: (*score)?,
                })
            })
            .collect();
        self.error = None;
        app.edit(Edit::SavePsfs {
            patient,
            activities: self.form.activities.clone(),
            day: self.day,
            ratings,
        });
    }
}

/// The activities asked on `day`.
fn asked(activities: &[PsfsActivity], day: NaiveDate) -> impl Iterator<Item = &PsfsActivity> {
    activities.iter().filter(move |a| a.is_active_on(day))
}

fn summary(ui: &mut Ui, course: &PsfsCourse) {
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(course.sentence()).text_style(theme::title_style()));
        for (name, change) in course.meaningful_activities() {
            let direction = if change > 0.0 { "better" } else { "worse" };
            ui.label(format!(
                "• {name}: {direction} by {:.0} points, a meaningful change for one activity (3 or more)",
                change.abs()
            ));
        }
        widgets::hint(
            ui,
            "The Patient-Specific Functional Scale: the average of your ratings. A change of 2 \
             points in the average, or 3 in one activity, is one people notice (Stratford and \
             colleagues, 1995).",
        );
    });
}

/// Colours for the activities' lines, from the Okabe-Ito colour-blind-safe
/// palette and grey (the score takes the theme's accent blue, the
/// meaningful-change line its green).
const ACTIVITY_COLOURS: [egui::Color32; 5] = [
    egui::Color32::from_rgb(230, 159, 0),
    egui::Color32::from_rgb(204, 121, 167),
    egui::Color32::from_rgb(86, 180, 233),
    egui::Color32::from_rgb(213, 94, 0),
    egui::Color32::from_gray(128),
];

/// The score and each activity against weeks since surgery, with the line
/// 2 points above the first score; the key above the chart, in words.
fn chart(ui: &mut Ui, course: &PsfsCourse, today_week: f64, height: f32) {
    let colors = theme::palette(ui.visuals());
    let week = |(day, v): &(i64, f64)| [*day as f64 / 7.0, *v];
    let first = course.average.first().map(|(_, v)| *v);
    let colour = |i: usize| ACTIVITY_COLOURS[i % ACTIVITY_COLOURS.len()];
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("━━ Score (the average)")
                .color(colors.accent)
                .strong(),
        );
        for (i, a) in course.activities.iter().enumerate() {
            ui.label(RichText::new(format!("── {}", a.name)).color(colour(i)));
        }
        if first.is_some() {
            ui.label(
                RichText::new(format!(
                    "┈┈ {MEANINGFUL_AVERAGE:.0} points above the first score"
                ))
                .color(colors.good),
            );
        }
    });
    let earliest = course
        .average
        .first()
        .map_or(0.0, |(d, _)| (*d as f64 / 7.0).min(0.0));
    Plot::new("psfs-chart")
        .height(height)
        .include_x(earliest)
        .include_x(today_week.max(earliest + 1.0))
        .include_y(0.0)
        .include_y(10.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_label("Weeks since surgery")
        .y_axis_label("PSFS, 0 = unable, 10 = as before")
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 2.0, 10.0]))
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
            if input.bounds.1 - input.bounds.0 <= 20.0 {
                [1.0, 2.0, 4.0]
            } else {
                [4.0, 12.0, 52.0]
            }
        }))
        .show(ui, |plot| {
            for (i, a) in course.activities.iter().enumerate() {
                let points: Vec<[f64; 2]> = a.points.iter().map(week).collect();
                plot.line(
                    Line::new(a.name.as_str(), PlotPoints::from(points.clone()))
                        .color(colour(i))
                        .style(LineStyle::dashed_loose())
                        .width(1.5),
                );
                plot.points(
                    Points::new(a.name.as_str(), PlotPoints::from(points))
                        .color(colour(i))
                        .radius(3.5),
                );
            }
            let average: Vec<[f64; 2]> = course.average.iter().map(week).collect();
            plot.line(
                Line::new("Score (average)", PlotPoints::from(average.clone()))
                    .color(colors.accent)
                    .width(3.5),
            );
            plot.points(
                Points::new("Score (average)", PlotPoints::from(average))
                    .color(colors.accent)
                    .radius(5.5),
            );
            if let Some(first) = first.filter(|f| f + MEANINGFUL_AVERAGE <= 10.0) {
                plot.hline(
                    HLine::new("Meaningful change (+2)", first + MEANINGFUL_AVERAGE)
                        .color(colors.good)
                        .style(LineStyle::dotted_loose()),
                );
            }
        });
    widgets::hint(
        ui,
        &format!(
            "A change of {MEANINGFUL_ACTIVITY:.0} points in one activity is meaningful too. \
             Hover the chart for the values."
        ),
    );
}
