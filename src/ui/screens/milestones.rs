//! Mobility milestones on a timeline of their usual windows: what has been
//! reached (early, at the usual time, later than usual), what to aim for
//! next, and custom milestones a physiotherapist adds.

use super::ReceivesOutcome;
use crate::analysis::program::{MilestoneState, MilestoneStatus};
use crate::model::{CustomMilestone, MilestoneRecord};
use crate::session::{Edit, Outcome};
use crate::ui::cache::PatientData;
use crate::ui::{AppView, theme, widgets};
use chrono::NaiveDate;
use egui::{Color32, RichText, Sense, Stroke, Ui, vec2};
use std::collections::HashMap;

/// The timeline's scale: log-time like the expected curves, so the first
/// weeks, where most milestones fall, get most of the width.
const TIMELINE_LAST_DAY: f64 = 730.0;

pub struct MilestonesScreen {
    /// The date each not-yet-reached milestone will be ticked with.
    pending_dates: HashMap<String, NaiveDate>,
    new_label: String,
    new_from_week: u16,
    new_to_week: u16,
    error: Option<String>,
}

impl ReceivesOutcome for MilestonesScreen {
    fn receive(&mut self, outcome: &Outcome) {
        self.error = outcome.error.as_ref().map(|e| e.message.clone());
    }
}

impl MilestonesScreen {
    pub fn new() -> Self {
        Self {
            pending_dates: HashMap::new(),
            new_label: String::new(),
            new_from_week: 4,
            new_to_week: 8,
            error: None,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        let program = &data.program;
        ui.heading("Milestones");
        widgets::hint(
            ui,
            &format!(
                "{} of {} reached · {} later than usual. The bars show when people usually manage each one; the dot is when you did.",
                program.milestones_reached,
                program.milestones_total,
                program.milestones_later_than_usual
            ),
        );
        if let Some(error) = &self.error {
            widgets::error_line(ui, error);
        }
        widgets::page(ui, app.page, "milestones", |ui| {
            self.next_up(ui, data);
            ui.add_space(theme::GAP_S);
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                // Wide: one line per milestone, in columns. Narrow: the
                // same parts, each line wrapping onto the next.
                let wide = ui.available_width() >= theme::CARDS_BELOW;
                for (i, m) in program.milestones.iter().enumerate() {
                    if i > 0 {
                        ui.separator();
                    }
                    self.row(ui, app, data, m, wide);
                }
            });
            ui.add_space(theme::GAP_M);
            self.add_custom(ui, app, data);
        });
    }

    fn next_up(&self, ui: &mut Ui, data: &PatientData) {
        let next: Vec<&MilestoneStatus> = data
            .program
            .milestones
            .iter()
            .filter(|m| matches!(m.state, MilestoneState::DueNow | MilestoneState::NotYetLate))
            .chain(
                data.program
                    .milestones
                    .iter()
                    .filter(|m| m.state == MilestoneState::Upcoming),
            )
            .take(3)
            .collect();
        if next.is_empty() {
            return;
        }
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Next to aim for");
            for m in next {
                ui.label(format!(
                    "• {} (usually {})",
                    m.label,
                    window_words(m.window)
                ));
            }
        });
    }

    fn row(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        data: &PatientData,
        m: &MilestoneStatus,
        wide: bool,
    ) {
        let patient = &data.patient;
        let today_day = patient.days_since_surgery(app.today);
        let achieved_day = m.achieved_on.map(|d| patient.days_since_surgery(d));
        let name = |ui: &mut Ui| {
            let label = ui.add(egui::Label::new(RichText::new(&m.label).strong()).wrap());
            if let Some(source) = &m.source {
                label.on_hover_text(source.as_str());
            }
        };
        if wide {
            let width = ui.available_width();
            ui.horizontal(|ui| {
                ui.allocate_ui(vec2(width * 0.28, 0.0), |ui| {
                    ui.set_width(width * 0.28);
                    name(ui);
                });
                timeline(ui, m.window, achieved_day, today_day, m.state);
                ui.allocate_ui(vec2(width * 0.16, 0.0), |ui| {
                    ui.set_width(width * 0.16);
                    state_label(ui, m.state);
                });
                ui.horizontal_wrapped(|ui| self.controls(ui, app, data, m));
            });
        } else {
            name(ui);
            ui.horizontal_wrapped(|ui| {
                state_label(ui, m.state);
                timeline(ui, m.window, achieved_day, today_day, m.state);
            });
            ui.horizontal_wrapped(|ui| self.controls(ui, app, data, m));
        }
    }

    /// Reached on a day, or not yet: the date and the button to change it.
    fn controls(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        data: &PatientData,
        m: &MilestoneStatus,
    ) {
        let patient = &data.patient;
        {
            let record = |achieved_on| MilestoneRecord {
                key: m.key.clone(),
                custom: data
                    .milestones
                    .iter()
                    .find(|r| r.key == m.key)
                    .and_then(|r| r.custom.clone()),
                achieved_on,
            };
            match m.achieved_on {
                Some(day) => {
                    ui.label(crate::words::date(day));
                    let undo = ui
                        .button("Unmark")
                        .on_hover_text("Not reached after all: take the date off");
                    undo.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("Unmark: {}", m.label),
                        )
                    });
                    if undo.clicked() {
                        app.edit(Edit::SaveMilestone {
                            patient: patient.id,
                            record: record(None),
                            label: m.label.clone(),
                        });
                    }
                }
                None => {
                    let date = self.pending_dates.entry(m.key.clone()).or_insert(app.today);
                    widgets::short_date_field(
                        ui,
                        &format!("milestone-{}", m.key),
                        &format!("Date for {}", m.label),
                        date,
                    );
                    let tick = ui.button("✔ Reached");
                    tick.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("Reached: {}", m.label),
                        )
                    });
                    if tick.clicked() {
                        let candidate = record(Some(*date));
                        match candidate.validate_for(patient.details.surgery_date, app.today) {
                            Ok(()) => {
                                self.error = None;
                                app.edit(Edit::SaveMilestone {
                                    patient: patient.id,
                                    record: candidate,
                                    label: m.label.clone(),
                                });
                            }
                            Err(e) => {
                                self.error =
                                    Some(format!("{}: not saved, {}.", m.label, e.message));
                            }
                        }
                    }
                }
            }
            if m.custom {
                let delete = ui.button("Remove");
                delete.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Remove {}", m.label),
                    )
                });
                if delete.clicked() {
                    app.edit(Edit::DeleteMilestone(patient.id, m.key.clone()));
                }
            }
        }
    }

    fn add_custom(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Add a milestone of your own");
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("What:");
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_label)
                        .hint_text("For example: walk the dog"),
                )
                .labelled_by(label.id);
                ui.label("usually between week");
                let from = ui.add(egui::DragValue::new(&mut self.new_from_week).range(0..=104));
                from.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "From week")
                });
                ui.label("and week");
                let to = ui.add(egui::DragValue::new(&mut self.new_to_week).range(0..=104));
                to.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "To week")
                });
                if ui.button("Add milestone").clicked() {
                    let custom = CustomMilestone {
                        label: self.new_label.trim().to_owned(),
                        window_from: self.new_from_week * 7,
                        window_to: self.new_to_week * 7,
                    };
                    let check = MilestoneRecord {
                        key: "custom-new".into(),
                        custom: Some(custom.clone()),
                        achieved_on: None,
                    }
                    .validate();
                    match check {
                        Ok(()) => {
                            self.error = None;
                            self.new_label.clear();
                            app.edit(Edit::AddMilestone(data.patient.id, custom));
                        }
                        Err(e) => {
                            let what = match e.field {
                                "label" => "say what the milestone is".to_owned(),
                                "window_to" => {
                                    "the last week must not be before the first".to_owned()
                                }
                                _ => e.to_string(),
                            };
                            self.error = Some(format!("Not added: {what}."));
                        }
                    }
                }
            });
        });
    }
}

pub(crate) fn window_words(window: [u16; 2]) -> String {
    let [from, to] = window;
    if to < 21 {
        format!("day {from}–{to}")
    } else {
        format!("week {}–{}", from / 7, to.div_ceil(7))
    }
}

fn x_of(day: f64, width: f32) -> f32 {
    let t = (day.max(0.0).ln_1p() / TIMELINE_LAST_DAY.ln_1p()).min(1.0);
    t as f32 * width
}

/// The usual window as a bar, today as a line, the day reached as a dot.
fn timeline(
    ui: &mut Ui,
    window: [u16; 2],
    achieved_day: Option<i64>,
    today_day: i64,
    state: MilestoneState,
) {
    let width = ui.available_width().clamp(120.0, 200.0);
    let (rect, response) = ui.allocate_exact_size(vec2(width, 26.0), Sense::hover());
    let colors = theme::palette(ui.visuals());
    let painter = ui.painter();
    let x = |day: f64| rect.left() + x_of(day, width);
    let mid = rect.center().y;
    painter.line_segment(
        [egui::pos2(rect.left(), mid), egui::pos2(rect.right(), mid)],
        Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color),
    );
    let bar = egui::Rect::from_x_y_ranges(
        x(f64::from(window[0]))..=x(f64::from(window[1])).max(x(f64::from(window[0])) + 4.0),
        (mid - 6.0)..=(mid + 6.0),
    );
    painter.rect_filled(
        bar,
        3.0,
        theme::chart_palette(ui.visuals()).band.gamma_multiply(2.0),
    );
    let today_x = x(today_day as f64);
    painter.line_segment(
        [
            egui::pos2(today_x, rect.top()),
            egui::pos2(today_x, rect.bottom()),
        ],
        Stroke::new(1.5, colors.muted_text),
    );
    if let Some(day) = achieved_day {
        let color = state_color(ui, state);
        painter.circle(
            egui::pos2(x(day as f64), mid),
            7.0,
            color,
            Stroke::new(1.5, Color32::WHITE),
        );
    }
    response.on_hover_text(format!(
        "Usually {}; the grey line is today (day {today_day}).",
        window_words(window)
    ));
}

fn state_color(ui: &Ui, state: MilestoneState) -> Color32 {
    let colors = theme::palette(ui.visuals());
    match state {
        MilestoneState::Early => colors.good,
        MilestoneState::InWindow => colors.accent,
        MilestoneState::Late | MilestoneState::NotYetLate => colors.caution,
        MilestoneState::Upcoming | MilestoneState::DueNow | MilestoneState::Ask => {
            colors.muted_text
        }
    }
}

fn state_label(ui: &mut Ui, state: MilestoneState) {
    // Glyphs the bundled fonts have; the words carry the meaning.
    let mark = if state.reached() { "✔" } else { "○" };
    ui.label(
        RichText::new(format!("{mark} {}", state.words()))
            .color(state_color(ui, state))
            .strong(),
    );
}
