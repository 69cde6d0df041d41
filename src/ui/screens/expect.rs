//! "What to expect": what a patient needs to know before the operation,
//! and can come back to after it. Their own expected course from their
//! starting point, the realistic-expectation figures with their sources,
//! the usual milestone windows for their approach, and the restrictions
//! of the first six weeks.

use crate::analysis::trajectory::CourseRow;
use crate::model::MetricKey;
use crate::ui::cache::{COURSE_POINTS, PatientData};
use crate::ui::screens::milestones::window_words;
use crate::ui::screens::progress::expectations_card;
use crate::ui::{AppView, theme, widgets};
use egui::{RichText, Ui};

#[derive(Default)]
pub struct ExpectScreen;

impl ExpectScreen {
    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        let details = &data.patient.details;
        widgets::page(ui, app.page, "expect", |ui| {
            ui.set_max_width(ui.available_width().min(1000.0));
            let title = ui.heading("What to expect");
            app.first_control(title.id);
            let when = match data.patient.days_to_surgery(app.today) {
                Some(days) => format!(
                    "Your operation is in {}. ",
                    crate::words::plural(days, "day", "days")
                ),
                None => String::new(),
            };
            widgets::hint(
                ui,
                &format!(
                    "{when}{}. {}",
                    details.procedure.label(),
                    details.approach.comparison()
                ),
            );
            ui.add_space(theme::GAP_S);
            course_card(ui, data);
            ui.add_space(theme::GAP_S);
            expectations_card(ui, app.protocol, details.approach, f32::INFINITY);
            ui.add_space(theme::GAP_S);
            milestones_card(ui, app, data);
            ui.add_space(theme::GAP_S);
            first_weeks_card(ui, app);
        });
    }
}

/// The patient's expected course: where people like them typically are at
/// the usual check-up times, from their own starting point.
fn course_card(ui: &mut Ui, data: &PatientData) {
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(ui, "Your expected recovery");
        widgets::hint(
            ui,
            "Where people who had the same operation typically are, started from your own \
             values before surgery: the typical value, and in brackets the range of the middle \
             half of people. Half of all people are outside that range at any time, so being \
             outside it is not in itself a problem.",
        );
        ui.add_space(theme::GAP_S);
        if data.expected_course.is_empty() {
            widgets::hint(ui, "No expected course: no starting point is known yet.");
            return;
        }
        // A table where it fits; one wrapped line per measure where not.
        if ui.available_width() >= 900.0 {
            course_table(ui, &data.expected_course);
        } else {
            for row in &data.expected_course {
                course_lines(ui, row);
            }
        }
        ui.add_space(theme::GAP_S);
        widgets::hint(ui, &data.starting_points);
        if data.patient.days_to_surgery(data.status.on).is_some() {
            widgets::hint(
                ui,
                "Check in every day until the operation: five or more check-ins in the two weeks \
                 before it become your starting point, in place of the values typed at setup.",
            );
        }
    });
}

/// "2.9 (1.4–4.5)", "18 min (14–23)": the unit once, on the typical value.
fn at(row: &CourseRow, index: usize) -> String {
    row.points.get(index).map_or_else(String::new, |(_, p)| {
        let plain = |v: f64| match row.metric {
            MetricKey::Odi | MetricKey::WalkingMinutes => format!("{v:.0}"),
            _ => format!("{v:.1}"),
        };
        format!(
            "{} ({}–{})",
            row.metric.value_words(p.median),
            plain(p.low),
            plain(p.high)
        )
    })
}

fn course_table(ui: &mut Ui, rows: &[CourseRow]) {
    egui::Grid::new("expected-course")
        .striped(true)
        .spacing(egui::vec2(theme::GAP_M, theme::GAP_S))
        .show(ui, |ui| {
            ui.label(RichText::new("Measure").strong());
            ui.label(RichText::new("Before surgery").strong());
            for (_, words) in COURSE_POINTS {
                ui.label(RichText::new(words).strong());
            }
            ui.end_row();
            for row in rows {
                ui.label(&row.label);
                ui.label(row.metric.value_words(row.baseline))
                    .on_hover_text(row.origin.words());
                for index in 0..COURSE_POINTS.len() {
                    ui.label(at(row, index));
                }
                ui.end_row();
            }
        });
}

fn course_lines(ui: &mut Ui, row: &CourseRow) {
    let mut parts = vec![format!(
        "before surgery {}",
        row.metric.value_words(row.baseline)
    )];
    for (index, (_, words)) in COURSE_POINTS.iter().enumerate() {
        parts.push(format!("{words}: {}", at(row, index)));
    }
    ui.label(RichText::new(&row.label).strong());
    ui.label(parts.join(" · "));
    ui.add_space(theme::GAP_S);
}

/// The usual window of each milestone for the patient's approach.
fn milestones_card(ui: &mut Ui, app: &AppView<'_>, data: &PatientData) {
    let approach = data.patient.details.approach;
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(ui, "When people usually reach each step");
        widgets::hint(
            ui,
            "Counted from the day of the operation. Everyone's pace differs; hover a line to \
             see its source.",
        );
        for m in &app.protocol.milestones {
            ui.label(format!(
                "• {}: {}",
                m.label,
                window_words(m.window(approach))
            ))
            .on_hover_text(m.source.as_str());
        }
    });
}

/// What to avoid in the first six weeks, from the first exercise phase.
fn first_weeks_card(ui: &mut Ui, app: &AppView<'_>) {
    let Some(phase) = app.protocol.phase_on(0) else {
        return;
    };
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(
            ui,
            &format!("The first {} weeks after the operation", phase.to_day / 7),
        );
        for r in &phase.restrictions {
            ui.label(format!("• {r}"))
                .on_hover_text(phase.source.as_str());
        }
        widgets::hint(
            ui,
            "Your surgical team's own instructions come first where they differ.",
        );
    });
}
