//! Today's exercises: one tap per session done, the phase's restrictions,
//! a hold timer, weekly adherence, and the physiotherapist's plan editor.

use super::ReceivesOutcome;
use crate::analysis::program::{Prescription, plan_from_protocol};
use crate::model::UseMode;
use crate::model::{CUSTOM_PREFIX, Dose, ExerciseLog, PlanItem};
use crate::session::{Edit, ExerciseEntry, Outcome};
use crate::store::PlanChange;
use crate::ui::cache::PatientData;
use crate::ui::{AppView, theme, widgets};
use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

/// A running hold/rest countdown. Only while one runs does the screen ask
/// for repaints.
/// A hold being counted: which exercise, which hold of how many, and when
/// this one started.
struct Timer {
    exercise: String,
    started: f64,
    seconds: f64,
    hold: u32,
    holds: u32,
}

pub struct ExercisesScreen {
    timer: Option<Timer>,
    library_choice: Option<String>,
    custom_name: String,
    custom_steps: String,
    custom_dose: Dose,
    dose_edits: std::collections::HashMap<i64, Dose>,
    error: Option<String>,
}

impl ReceivesOutcome for ExercisesScreen {
    fn receive(&mut self, outcome: &Outcome) {
        self.error = outcome.error.as_ref().map(|e| e.message.clone());
    }
}

impl ExercisesScreen {
    pub fn new() -> Self {
        Self {
            timer: None,
            library_choice: None,
            custom_name: String::new(),
            custom_steps: String::new(),
            custom_dose: Dose {
                sets: 1,
                reps: Some(10),
                times_per_day: 1,
                ..Dose::default()
            },
            dose_edits: std::collections::HashMap::new(),
            error: None,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        let days = data.patient.days_since_surgery(app.today);
        let phase = app.protocol.phase_on(days);
        ui.horizontal_wrapped(|ui| {
            ui.heading("Exercises");
            if let Some(phase) = phase {
                ui.label(
                    RichText::new(format!(
                        "{} · weeks {}–{}",
                        phase.label,
                        phase.from_day / 7,
                        (phase.to_day / 7).min(52)
                    ))
                    .text_style(theme::title_style()),
                );
            }
            if let Some(start) = data.plan.iter().map(|i| i.start_day).min()
                && start <= app.today
            {
                widgets::hint(
                    ui,
                    &format!(
                        "· own plan from the physiotherapist since {}",
                        crate::words::date(start)
                    ),
                );
            }
        });
        if let Some(error) = &self.error {
            widgets::error_line(ui, error);
        }
        widgets::page(ui, app.page, "exercises", |ui| {
            if let Some(phase) = phase.filter(|_| days >= 0) {
                let colors = theme::palette(ui.visuals());
                theme::card(ui).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    widgets::section_title(ui, "For now, please remember");
                    for r in &phase.restrictions {
                        ui.label(RichText::new(format!("⚠ {r}")).color(colors.caution));
                    }
                });
            }
            ui.add_space(theme::GAP_S);
            let wide = ui.available_width() > 1000.0;
            ui.horizontal_top(|ui| {
                let width = if wide {
                    ui.available_width() - 360.0
                } else {
                    ui.available_width()
                };
                ui.vertical(|ui| {
                    ui.set_width(width);
                    self.todays_plan(ui, app, data);
                });
                if wide {
                    ui.vertical(|ui| adherence_card(ui, data));
                }
            });
            if !wide {
                adherence_card(ui, data);
            }
            // Plans are the physiotherapist's to change.
            if app.use_mode == UseMode::Clinic {
                ui.add_space(theme::GAP_M);
                self.plan_editor(ui, app, data);
            }
        });
    }

    fn todays_plan(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        if data.todays_plan.is_empty() {
            ui.label("Nothing is prescribed for today.");
            return;
        }
        ui.horizontal(|ui| {
            widgets::section_title(ui, "Today");
            let all_done = data
                .todays_plan
                .iter()
                .all(|p| done_today(data, app, p) >= p.dose.times_per_day);
            let did_all = (!all_done).then(|| ui.button("✔ I did all of today's exercises"));
            if let Some(button) = &did_all {
                app.first_control(button.id);
            }
            if did_all.is_some_and(|b| b.clicked()) {
                // One edit for all of them, so one Undo takes it all back.
                let entries = data
                    .todays_plan
                    .iter()
                    .filter(|p| done_today(data, app, p) < p.dose.times_per_day)
                    .map(|p| ExerciseEntry {
                        key: p.exercise_key.clone(),
                        name: p.name.clone(),
                        log: Some(ExerciseLog {
                            day: app.today,
                            exercise_key: p.exercise_key.clone(),
                            sessions: p.dose.times_per_day,
                            pain: data
                                .exercise_log(app.today, &p.exercise_key)
                                .and_then(|l| l.pain),
                        }),
                    })
                    .collect();
                app.edit(Edit::SetExerciseLogs {
                    patient: data.patient.id,
                    day: app.today,
                    entries,
                });
            }
        });
        for p in &data.todays_plan {
            self.exercise_card(ui, app, data, p);
            ui.add_space(theme::GAP_S);
        }
    }

    fn exercise_card(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        data: &PatientData,
        p: &Prescription,
    ) {
        let colors = theme::palette(ui.visuals());
        let done = done_today(data, app, p);
        let wanted = p.dose.times_per_day;
        let existing = data.exercise_log(app.today, &p.exercise_key);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(&p.name)
                        .text_style(theme::title_style())
                        .strong(),
                );
                ui.label(p.dose.describe());
            });
            // Every control is always there, in the same place, enabled
            // or not: a click never makes another appear under the pointer.
            ui.horizontal_wrapped(|ui| {
                let progress = if done >= wanted {
                    RichText::new(format!("✔ Done today: {done} of {wanted}"))
                        .color(colors.good)
                        .strong()
                } else {
                    RichText::new(format!("Done today: {done} of {wanted}")).strong()
                };
                ui.label(progress);
                let add = ui
                    .add_enabled(done < wanted, egui::Button::new("Did one session"))
                    .on_disabled_hover_text(format!(
                        "All {} done today.",
                        crate::words::plural(i64::from(wanted), "session", "sessions")
                    ));
                add.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        done < wanted,
                        format!("Did one session: {}", p.name),
                    )
                });
                if add.clicked() {
                    let log = ExerciseLog {
                        day: app.today,
                        exercise_key: p.exercise_key.clone(),
                        sessions: done + 1,
                        pain: existing.and_then(|l| l.pain),
                    };
                    log_sessions(app, data, p, Some(log));
                }
                let remove = ui.add_enabled(done > 0, egui::Button::new("One less"));
                remove.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        done > 0,
                        format!("One less: {}", p.name),
                    )
                });
                if remove.clicked() {
                    let log = (done > 1).then(|| ExerciseLog {
                        day: app.today,
                        exercise_key: p.exercise_key.clone(),
                        sessions: done - 1,
                        pain: existing.and_then(|l| l.pain),
                    });
                    log_sessions(app, data, p, log);
                }
            });
            pain_row(ui, app, data, p, existing);
            if let Some(hold) = p.dose.hold_seconds {
                ui.horizontal_wrapped(|ui| self.timer_ui(ui, p, f64::from(hold)));
            }
            egui::CollapsingHeader::new("How to do it")
                .id_salt(("how", &p.exercise_key))
                .show(ui, |ui| {
                    for (i, step) in p.instructions.iter().enumerate() {
                        ui.label(format!("{}. {step}", i + 1));
                    }
                });
            for caution in &p.cautions {
                ui.label(RichText::new(format!("⚠ {caution}")).color(colors.caution));
            }
        });
    }

    /// The hold timer, counting the holds of a session ("Hold 3 of 10").
    /// Its button keeps its place; only the words beside it change.
    fn timer_ui(&mut self, ui: &mut Ui, p: &Prescription, seconds: f64) {
        let now = ui.input(|i| i.time);
        let holds = u32::from(p.dose.sets) * u32::from(p.dose.reps.unwrap_or(1));
        let start = |hold: u32| Timer {
            exercise: p.exercise_key.clone(),
            started: now,
            seconds,
            hold,
            holds,
        };
        let running = self.timer.as_ref().filter(|t| t.exercise == p.exercise_key);
        let (button, words, next) = match running {
            None => (
                format!("Start {seconds:.0} s hold"),
                format!(
                    "{} of {seconds:.0} s each",
                    crate::words::plural(i64::from(holds), "hold", "holds")
                ),
                Some(1),
            ),
            Some(t) => {
                let left = t.seconds - (now - t.started);
                if left > 0.0 {
                    // Tick while counting, and only then.
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(200));
                    (
                        "Stop".to_owned(),
                        format!("Hold {} of {}: {:.0} s", t.hold, t.holds, left.ceil()),
                        None,
                    )
                } else if t.hold < t.holds {
                    (
                        format!("Next hold ({} of {})", t.hold + 1, t.holds),
                        format!("Hold {} of {} done: relax", t.hold, t.holds),
                        Some(t.hold + 1),
                    )
                } else {
                    (
                        "Start again".to_owned(),
                        format!(
                            "All {} done: log the session above",
                            crate::words::plural(i64::from(t.holds), "hold", "holds")
                        ),
                        Some(1),
                    )
                }
            }
        };
        let response = ui.add(egui::Button::new(&button).min_size(egui::vec2(190.0, 0.0)));
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{button}: {}", p.name))
        });
        let clicked = response.clicked();
        ui.label(RichText::new(words).strong());
        if clicked {
            self.timer = next.map(start);
        }
    }

    fn plan_editor(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        egui::CollapsingHeader::new(
            RichText::new("Change the plan (for the physiotherapist)").strong(),
        )
        .id_salt("plan-editor")
        .show(ui, |ui| {
            if data.plan.is_empty() {
                widgets::hint(
                    ui,
                    "The plan follows the protocol's phases. The first change makes it this patient's own plan from today; earlier days keep what was prescribed then.",
                );
                if ui.button("Make this the patient's own plan").clicked() {
                    adopt_first(app, data);
                }
            } else {
                self.current_items(ui, app, data);
            }
            ui.add_space(theme::GAP_S);
            self.add_from_library(ui, app, data);
            ui.add_space(theme::GAP_S);
            self.add_custom(ui, app, data);
        });
    }

    /// Today's items of the patient's own plan: dose, save, stop.
    fn current_items(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        let patient = data.patient.id;
        let today = app.today;
        egui::Grid::new("plan-items")
            .num_columns(3)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                for item in data.plan.iter().filter(|i| i.active_on(today)) {
                    let Some(id) = item.id else { continue };
                    ui.label(RichText::new(&item.name).strong());
                    let dose = self.dose_edits.entry(id).or_insert(item.dose);
                    dose_fields(ui, &item.name, dose);
                    ui.horizontal(|ui| {
                        if *dose != item.dose && ui.button("Save dose").clicked() {
                            match dose.validate() {
                                Ok(()) => app.edit(Edit::ChangePlan(
                                    patient,
                                    PlanChange::ChangeDose {
                                        item: id,
                                        dose: *dose,
                                        day: today,
                                    },
                                )),
                                Err(e) => self.error = Some(format!("Not saved: {e}.")),
                            }
                        }
                        let end = ui.button("Stop this exercise");
                        end.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                true,
                                format!("Stop {}", item.name),
                            )
                        });
                        if end.clicked() {
                            app.edit(Edit::ChangePlan(
                                patient,
                                PlanChange::End {
                                    item: id,
                                    day: today,
                                },
                            ));
                        }
                    });
                    ui.end_row();
                }
            });
    }

    fn add_from_library(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        let patient = data.patient.id;
        let today = app.today;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Add from the library:");
            let library = app.protocol.exercise_library();
            let chosen = self
                .library_choice
                .as_deref()
                .and_then(|k| library.iter().find(|e| e.key == k))
                .map_or("choose…", |e| e.name.as_str());
            egui::ComboBox::from_id_salt("library")
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    for e in &library {
                        ui.selectable_value(
                            &mut self.library_choice,
                            Some(e.key.clone()),
                            e.name.as_str(),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(spec) = self
                .library_choice
                .as_deref()
                .and_then(|k| app.protocol.exercise(k))
                && ui.button("Add exercise").clicked()
            {
                if data.todays_plan.iter().any(|p| p.exercise_key == spec.key) {
                    self.error = Some(format!(
                        "{} is already in today's plan: change its dose instead.",
                        spec.name
                    ));
                    return;
                }
                adopt_first(app, data);
                app.edit(Edit::ChangePlan(
                    patient,
                    PlanChange::Add(PlanItem {
                        id: None,
                        exercise_key: spec.key.clone(),
                        name: spec.name.clone(),
                        instructions: String::new(),
                        dose: spec.dose(),
                        start_day: today,
                        end_day: None,
                    }),
                ));
                self.library_choice = None;
            }
        });
    }

    fn add_custom(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        let patient = data.patient.id;
        let today = app.today;
        ui.label(RichText::new("Add an exercise of your own").strong());
        ui.horizontal(|ui| {
            let label = ui.label("Name:");
            ui.text_edit_singleline(&mut self.custom_name)
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label("Steps:");
            ui.add(
                egui::TextEdit::multiline(&mut self.custom_steps)
                    .desired_rows(2)
                    .hint_text("One step per line"),
            )
            .labelled_by(label.id);
        });
        dose_fields(ui, "New exercise", &mut self.custom_dose);
        if ui.button("Add my exercise").clicked() {
            let key = format!("{CUSTOM_PREFIX}{}", slug(&self.custom_name));
            let item = PlanItem {
                id: None,
                exercise_key: key,
                name: self.custom_name.trim().to_owned(),
                instructions: self.custom_steps.trim().to_owned(),
                dose: self.custom_dose,
                start_day: today,
                end_day: None,
            };
            match item.validate() {
                Ok(()) => {
                    adopt_first(app, data);
                    app.edit(Edit::ChangePlan(patient, PlanChange::Add(item)));
                    self.custom_name.clear();
                    self.custom_steps.clear();
                    self.error = None;
                }
                Err(e) => self.error = Some(format!("Not added: {e}.")),
            }
        }
    }
}

/// The first edit adopts today's protocol plan, so that each change applies
/// to a stored item.
fn adopt_first(app: &mut AppView<'_>, data: &PatientData) {
    if data.plan.is_empty() {
        let plan = plan_from_protocol(app.protocol, &data.patient, app.today);
        app.edit(Edit::ChangePlan(data.patient.id, PlanChange::Adopt(plan)));
    }
}

/// Sets today's sessions of one exercise.
fn log_sessions(
    app: &mut AppView<'_>,
    data: &PatientData,
    p: &Prescription,
    log: Option<ExerciseLog>,
) {
    app.edit(Edit::SetExerciseLogs {
        patient: data.patient.id,
        day: app.today,
        entries: vec![ExerciseEntry {
            key: p.exercise_key.clone(),
            name: p.name.clone(),
            log,
        }],
    });
}

fn done_today(data: &PatientData, app: &AppView<'_>, p: &Prescription) -> u8 {
    data.exercise_log(app.today, &p.exercise_key)
        .map_or(0, |l| l.sessions)
}

fn slug(name: &str) -> String {
    let slug: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    if slug.is_empty() {
        "exercise".to_owned()
    } else {
        slug
    }
}

fn dose_fields(ui: &mut Ui, name: &str, dose: &mut Dose) {
    ui.horizontal_wrapped(|ui| {
        let spin = |ui: &mut Ui,
                    label: &str,
                    value: &mut u16,
                    range: std::ops::RangeInclusive<u16>| {
            ui.label(label);
            let r = ui.add(egui::DragValue::new(value).range(range));
            r.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::SpinButton, true, format!("{name}: {label}"))
            });
        };
        let mut sets = u16::from(dose.sets);
        spin(ui, "sets", &mut sets, 1..=20);
        dose.sets = u8::try_from(sets).unwrap_or(1);
        let mut reps = u16::from(dose.reps.unwrap_or(0));
        spin(ui, "reps", &mut reps, 0..=200);
        dose.reps = u8::try_from(reps).ok().filter(|r| *r > 0);
        let mut hold = dose.hold_seconds.unwrap_or(0);
        spin(ui, "hold s", &mut hold, 0..=600);
        dose.hold_seconds = (hold > 0).then_some(hold);
        let mut minutes = dose.minutes.unwrap_or(0);
        spin(ui, "minutes", &mut minutes, 0..=240);
        dose.minutes = (minutes > 0).then_some(minutes);
        let mut times = u16::from(dose.times_per_day);
        spin(ui, "times a day", &mut times, 1..=10);
        dose.times_per_day = u8::try_from(times).unwrap_or(1);
    });
}

fn adherence_card(ui: &mut Ui, data: &PatientData) {
    theme::card(ui).show(ui, |ui| {
        ui.set_width(320.0);
        widgets::section_title(ui, "Sessions done");
        let week = &data.program.adherence_this_week;
        match week.percent() {
            Some(p) => ui.label(
                RichText::new(format!(
                    "Last 7 days: {p:.0}% ({} of {})",
                    week.done_sessions,
                    crate::words::plural(
                        i64::from(week.prescribed_sessions),
                        "session",
                        "sessions"
                    )
                ))
                .strong(),
            ),
            None => ui.label("Nothing prescribed in the last 7 days."),
        };
        let colors = theme::chart_palette(ui.visuals());
        let bars: Vec<Bar> = data
            .weekly_adherence
            .iter()
            .filter_map(|(week, a)| {
                Some(
                    Bar::new(*week as f64, a.percent()?)
                        .width(0.7)
                        .fill(colors.expected),
                )
            })
            .collect();
        let first = data
            .weekly_adherence
            .first()
            .map_or(0.0, |(w, _)| *w as f64);
        let last = data.weekly_adherence.last().map_or(0.0, |(w, _)| *w as f64);
        Plot::new("adherence")
            .height(160.0)
            .default_x_bounds(first - 0.6, last + 0.6)
            .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
            .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [25.0, 50.0, 100.0]))
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .default_y_bounds(0.0, 100.0)
            .x_axis_label("Week since surgery")
            .y_axis_label("% done")
            .show(ui, |plot| {
                plot.bar_chart(BarChart::new("Sessions done", bars).color(colors.expected));
            });
        widgets::hint(
            ui,
            "Each bar is one week: the share of prescribed sessions you did.",
        );
    });
}

/// How painful the exercise was, once a session is logged (before, the
/// menu is there but off, so nothing appears under the pointer later).
fn pain_row(
    ui: &mut Ui,
    app: &mut AppView<'_>,
    data: &PatientData,
    p: &Prescription,
    existing: Option<&ExerciseLog>,
) {
    ui.horizontal_wrapped(|ui| {
        let mut pain = existing.and_then(|l| l.pain);
        let label = ui.label("Pain during it:");
        ui.add_enabled_ui(existing.is_some(), |ui| {
            egui::ComboBox::from_id_salt(("exercise-pain", &p.exercise_key))
                .width(110.0)
                .selected_text(pain.map_or("not said".to_owned(), |v| v.to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut pain, None, "not said");
                    for v in 0..=10u8 {
                        ui.selectable_value(&mut pain, Some(v), v.to_string());
                    }
                })
                .response
                .labelled_by(label.id)
                .on_disabled_hover_text("Log a session first.");
        });
        if pain != existing.and_then(|l| l.pain)
            && let Some(log) = existing
        {
            let log = ExerciseLog {
                pain,
                ..log.clone()
            };
            log_sessions(app, data, p, Some(log));
        }
    });
}
