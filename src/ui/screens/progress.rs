//! Recovery against the expected course: one metric at a time, a summary
//! in plain words above the chart, the realistic expectations beside it,
//! and how the expected range is calculated below.

use super::ReceivesOutcome;
use crate::analysis::series::WeaknessCourse;
use crate::analysis::{BaselineOrigin, MetricStatus, Verdict};
use crate::model::OdiEntry;
use crate::model::{Approach, MetricKey, PatientId};
use crate::protocol::Metric;
use crate::session::{Edit, Outcome};
use crate::ui::cache::{MetricChart, PatientData};
use crate::ui::{AppView, Command, Screen, theme, widgets};
use chrono::{Days, NaiveDate};
use egui::{Color32, RichText, Ui};
use egui_plot::{FilledArea, HLine, Line, LineStyle, Plot, PlotPoints, Points, VLine};
use strum::VariantArray;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    SinceSurgery,
    LastEightWeeks,
}

pub struct ProgressScreen {
    metric: MetricKey,
    /// The tab open: a measure's, weakness's or the PSFS's.
    tab: Tab,
    psfs: crate::ui::psfs::PsfsPanel,
    /// The weakness course and the data version and patient it is of.
    weakness: Option<(u64, PatientId, WeaknessCourse)>,
    span: Span,
    odi_day: NaiveDate,
    odi_total: u8,
    odi_error: Option<String>,
}

impl ReceivesOutcome for ProgressScreen {
    fn receive(&mut self, outcome: &Outcome) {
        if outcome.form == crate::session::Form::Psfs {
            self.psfs.receive(outcome);
        } else {
            self.odi_error = outcome.error.as_ref().map(|e| e.message.clone());
        }
    }
}

/// The tabs of Progress besides the measures: weakness has no expected
/// course, the PSFS is the physiotherapist's own measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Measure,
    Weakness,
    Psfs,
}

impl ProgressScreen {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            metric: MetricKey::BackPain,
            tab: Tab::Measure,
            psfs: crate::ui::psfs::PsfsPanel::new(today),
            weakness: None,
            span: Span::SinceSurgery,
            odi_day: today,
            odi_total: 30,
            odi_error: None,
        }
    }

    /// The ODI tab with its form on today, for a check-up's answer.
    pub fn show_odi(&mut self, today: NaiveDate) {
        self.metric = MetricKey::Odi;
        self.tab = Tab::Measure;
        self.odi_day = today;
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        // Title, the measures as tabs, and the span: each row wraps, so a
        // narrow window or large text moves them down, never over each other.
        self.measure_picker(ui, app);
        // The PSFS is answered at visits: its chart always shows them all.
        if self.tab != Tab::Psfs {
            ui.horizontal_wrapped(|ui| {
                ui.label("Show:");
                ui.radio_value(&mut self.span, Span::SinceSurgery, "Since surgery");
                ui.radio_value(&mut self.span, Span::LastEightWeeks, "Last 8 weeks");
            });
        }
        // Measured outside the scroll area, where the height is the window's.
        let chart_height = (ui.available_height() * 0.55).clamp(240.0, 460.0);
        match self.tab {
            Tab::Measure => {}
            Tab::Weakness => {
                self.weakness_view(ui, app, data, chart_height);
                return;
            }
            Tab::Psfs => {
                self.psfs.ui(ui, app, data, chart_height);
                return;
            }
        }
        let (Some(metric), Some(status), Some(chart)) = (
            app.protocol.metric(self.metric),
            data.status.metric(self.metric),
            data.chart(self.metric),
        ) else {
            return;
        };

        widgets::page(ui, app.page, "progress", |ui| {
            self.summary(ui, data, metric, status);
            if data.patient.details.approach == Approach::NotSure {
                widgets::hint(ui, &data.patient.details.approach.comparison());
            }
            for sentence in &data.status.watch {
                ui.label(RichText::new(format!("ℹ {sentence}")).strong());
            }
            if self.metric == MetricKey::Odi {
                self.odi_form(ui, app, data);
            }
            ui.add_space(theme::GAP_S);
            let side = 330.0;
            let wide = ui.available_width() > 1000.0;
            ui.horizontal_top(|ui| {
                let chart_width = if wide {
                    ui.available_width() - side - theme::GAP_M
                } else {
                    ui.available_width()
                };
                ui.vertical(|ui| {
                    ui.set_width(chart_width);
                    self.chart(ui, app, data, chart, chart_height);
                });
                if wide {
                    ui.vertical(|ui| expectations(ui, app, data));
                }
            });
            if !wide {
                expectations(ui, app, data);
            }
            if ui.button("What to expect, week by week").clicked() {
                app.push(Command::Show(Screen::Expect));
            }
            ui.add_space(theme::GAP_S);
            method(ui, app, data, metric);
        });
    }

    /// The measures as tabs, then weakness, which has no expected course,
    /// and the PSFS; a list instead where the tabs would not fit on one row.
    fn measure_picker(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let current = self.metric;
        let choices: Vec<((Tab, MetricKey), &str)> = MetricKey::VARIANTS
            .iter()
            .filter_map(|&key| {
                app.protocol
                    .metric(key)
                    .map(|m| ((Tab::Measure, key), m.label.as_str()))
            })
            .chain([
                ((Tab::Weakness, current), "Leg weakness"),
                ((Tab::Psfs, current), "Activities"),
            ])
            .collect();
        let chosen = (self.tab, current);
        let mut picked = chosen;
        // Tabs on a row of their own under the title where they fit on
        // one; a list beside the title where they would fill the screen (a
        // small window, large text).
        let spacing = ui.spacing().button_padding.x * 2.0 + ui.spacing().item_spacing.x;
        let needed: f32 = choices
            .iter()
            .map(|(_, label)| {
                let galley = ui.painter().layout_no_wrap(
                    (*label).to_owned(),
                    egui::TextStyle::Button.resolve(ui.style()),
                    egui::Color32::PLACEHOLDER,
                );
                galley.size().x + spacing
            })
            .sum();
        if needed <= ui.available_width() {
            ui.heading("Progress");
            ui.horizontal_wrapped(|ui| {
                for (key, label) in &choices {
                    let tab = ui.add(egui::Button::selectable(chosen == *key, *label));
                    app.first_control(tab.id);
                    if tab.clicked() {
                        picked = *key;
                    }
                }
            });
        } else {
            ui.horizontal_wrapped(|ui| {
                ui.heading("Progress");
                ui.add_space(theme::GAP_M);
                let label = ui.label("Measure:");
                let shown = choices
                    .iter()
                    .find(|(key, _)| *key == chosen)
                    .map_or("", |(_, l)| *l);
                let combo = egui::ComboBox::from_id_salt("progress-measure")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (key, label) in &choices {
                            ui.selectable_value(&mut picked, *key, *label);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                app.first_control(combo.id);
            });
        }
        if picked != chosen {
            (self.tab, self.metric) = picked;
        }
    }

    /// Weakness as the patient rated it, as a step line: no expected course
    /// is drawn, since no published curve fits a four-level self-rating.
    fn weakness_view(
        &mut self,
        ui: &mut Ui,
        app: &AppView<'_>,
        data: &PatientData,
        chart_height: f32,
    ) {
        let key = (app.data_version, data.patient.id);
        if self
            .weakness
            .as_ref()
            .is_none_or(|(v, p, _)| (*v, *p) != key)
        {
            let course = WeaknessCourse::of(&data.patient, &data.check_ins);
            self.weakness = Some((key.0, key.1, course));
        }
        let Some((_, _, course)) = &self.weakness else {
            return;
        };
        let today_day = data.patient.days_since_surgery(app.today);
        let from_day = match self.span {
            Span::SinceSurgery => 0,
            Span::LastEightWeeks => (today_day - 56).max(0),
        };
        widgets::page(ui, app.page, "progress-weakness", |ui| {
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(weakness_sentence(course)).text_style(theme::title_style()));
                widgets::hint(
                    ui,
                    "Weakness from a pressed nerve often recovers over weeks to months after the \
                     operation; some people keep some. There is no expected range to draw: no \
                     published course fits a rating of none, mild, moderate or severe.",
                );
                widgets::hint(
                    ui,
                    "New weakness, or weakness that gets worse, needs a call to your surgical team \
                     the same day: recording it on Today ticks that warning sign for you.",
                );
            });
            ui.add_space(theme::GAP_S);
            weakness_chart(
                ui,
                course,
                (from_day, today_day.max(from_day + 7)),
                chart_height,
            );
        });
    }

    fn summary(&self, ui: &mut Ui, data: &PatientData, metric: &Metric, status: &MetricStatus) {
        let colors = theme::palette(ui.visuals());
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                verdict_chip(ui, status.verdict);
                ui.label(
                    RichText::new(summary_sentence(data, status))
                        .text_style(theme::title_style()),
                );
            });
            if let Some(reached) = status.mcid_reached {
                let threshold = metric
                    .mcid_for(data.patient.details.approach)
                    .map_or(0.0, |m| m.points);
                let text = if reached {
                    format!(
                        "✔ Meaningful improvement reached: better by at least {} since before surgery.",
                        self.metric.value_words(threshold)
                    )
                } else {
                    format!(
                        "Meaningful improvement (at least {} better than before surgery) not reached yet.",
                        self.metric.value_words(threshold)
                    )
                };
                ui.label(RichText::new(text).color(if reached { colors.good } else { colors.muted_text }));
            }
            if let (Some(value), Some(origin)) = (status.baseline, status.baseline_origin) {
                widgets::hint(ui, &baseline_words(self.metric, value, origin, data));
            }
        });
    }

    fn odi_form(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData) {
        ui.add_space(theme::GAP_S);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Record an ODI total:").strong());
            widgets::date_field(ui, "odi-day", "ODI date", &mut self.odi_day);
            let response = ui.add(egui::DragValue::new(&mut self.odi_total).range(0..=100));
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "ODI total"));
            if ui.button("Save ODI").clicked() {
                let entry = OdiEntry {
                    day: self.odi_day,
                    total: self.odi_total,
                };
                match entry.validate_for(&data.patient, app.today) {
                    Ok(()) => app.edit(Edit::SaveOdi(data.patient.id, entry)),
                    Err(e) => self.odi_error = Some(format!("Not saved: {e}.")),
                }
            }
            if let Some(latest) = data.odi_entries.last()
                && ui
                    .button(format!("Delete ODI of {}", crate::words::short_date(latest.day)))
                    .clicked()
            {
                app.edit(Edit::DeleteOdi(data.patient.id, latest.day));
            }
            widgets::hint(ui, "The total score (0–100) from the Oswestry questionnaire your physiotherapist uses.");
        });
        if let Some(error) = &self.odi_error {
            widgets::error_line(ui, error);
        }
    }

    fn chart(
        &self,
        ui: &mut Ui,
        app: &AppView<'_>,
        data: &PatientData,
        chart: &MetricChart,
        height: f32,
    ) {
        let today_week = data.patient.days_since_surgery(app.today) as f64 / 7.0;
        let x_range = match self.span {
            // The days before surgery too, where there are any.
            Span::SinceSurgery => (chart.first_week.min(0.0) - 0.5, chart.last_week + 1.0),
            Span::LastEightWeeks => (
                (today_week - 8.0).max(chart.first_week.min(0.0) - 0.5),
                today_week + 0.5,
            ),
        };
        chart_legend(ui, chart);
        metric_chart(
            ui,
            app.today,
            data,
            chart,
            &ChartView {
                x_range,
                height,
                id_salt: "progress-chart",
                axis_labels: true,
            },
        );
    }
}

/// A metric's chart against its expected band, between `x_range` weeks.
/// How a chart is framed where it is shown.
pub(super) struct ChartView<'a> {
    /// Weeks since surgery at the left and right edges.
    pub x_range: (f64, f64),
    pub height: f32,
    pub id_salt: &'a str,
    /// Axis titles; small charts leave them to their heading.
    pub axis_labels: bool,
}

pub(super) fn metric_chart(
    ui: &mut Ui,
    today: NaiveDate,
    data: &PatientData,
    chart: &MetricChart,
    view: &ChartView<'_>,
) {
    let ChartView {
        x_range: (x_min, x_max),
        height,
        id_salt,
        axis_labels,
    } = *view;
    let today_week = data.patient.days_since_surgery(today) as f64 / 7.0;
    let surgery = data.patient.details.surgery_date;
    let visuals = ui.visuals().clone();
    Plot::new((
        id_salt,
        chart.key.code(),
        (x_min * 10.0) as i64,
        (x_max * 10.0) as i64,
    ))
    .height(height)
    .allow_drag(false)
    .allow_zoom(false)
    .allow_scroll(false)
    .allow_boxed_zoom(false)
    .allow_double_click_reset(false)
    .default_x_bounds(x_min, x_max)
    .default_y_bounds(0.0, chart.y_max)
    .x_axis_label(if axis_labels {
        "Weeks since surgery"
    } else {
        ""
    })
    .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
        // Round steps a reader can count: whole points of pain, five or
        // ten minutes of walking.
        match input.bounds.1 - input.bounds.0 {
            span if span <= 12.0 => [1.0, 2.0, 10.0],
            span if span <= 60.0 => [5.0, 10.0, 50.0],
            span if span <= 200.0 => [10.0, 20.0, 100.0],
            _ => [50.0, 100.0, 500.0],
        }
    }))
    // Week lines people can count: every week up to four months, then
    // every four weeks.
    .x_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
        if input.bounds.1 - input.bounds.0 <= 20.0 {
            [1.0, 2.0, 4.0]
        } else {
            [4.0, 12.0, 52.0]
        }
    }))
    .y_axis_label(if axis_labels {
        chart.axis_title.clone()
    } else {
        String::new()
    })
    .label_formatter(move |hover| {
        let x = match hover {
            egui_plot::HoverPosition::NearDataPoint { position, .. }
            | egui_plot::HoverPosition::Elsewhere { position } => position.x,
        };
        hover_text(chart, surgery, x)
    })
    .show(ui, |plot| draw_series(plot, chart, today_week, &visuals));
}

/// What the chart says where the pointer is: the nearest recorded day's
/// value, its 7-day average and the expected range that day, never the
/// pointer's own coordinates.
fn hover_text(chart: &MetricChart, surgery: NaiveDate, x: f64) -> Option<String> {
    let nearest = |points: &[egui_plot::PlotPoint]| {
        let i = points.partition_point(|p| p.x < x);
        [i.checked_sub(1), Some(i)]
            .into_iter()
            .flatten()
            .filter_map(|i| points.get(i))
            .min_by(|a, b| (a.x - x).abs().total_cmp(&(b.x - x).abs()))
            .copied()
    };
    // Within half a week of a recorded value; otherwise the day under the
    // pointer, with what was expected then.
    let value = nearest(&chart.values).filter(|p| (p.x - x).abs() <= 0.5);
    let week = value.map_or(x, |p| p.x);
    let day = (week * 7.0).round() as i64;
    let date = u64::try_from(day)
        .ok()
        .and_then(|d| surgery.checked_add_days(Days::new(d)))
        .or_else(|| {
            u64::try_from(-day)
                .ok()
                .and_then(|d| surgery.checked_sub_days(Days::new(d)))
        })?;
    let mut lines = vec![format!("{} · day {day}", crate::words::weekday_date(date))];
    match value {
        Some(p) => lines.push(format!("{}: {}", chart.label, chart.key.value_words(p.y))),
        None => lines.push("No value recorded near here".to_owned()),
    }
    if let Some(avg) = nearest(&chart.average).filter(|p| (p.x - week).abs() < 0.01) {
        lines.push(format!("7-day average: {}", chart.key.value_words(avg.y)));
    }
    let band = chart.band_weeks.partition_point(|w| *w < week);
    if let (Some(low), Some(high), Some(median)) = (
        chart.band_low.get(band),
        chart.band_high.get(band),
        chart.median.get(band),
    ) {
        lines.push(format!(
            "Expected: {} to {} (typical {})",
            chart.key.value_words(*low),
            chart.key.value_words(*high),
            chart.key.value_words(median.y)
        ));
    }
    if let Some(i) = chart
        .milestones
        .iter()
        .position(|m| (m.x - x).abs() <= 0.25)
        && let Some(label) = chart.milestone_labels.get(i)
    {
        lines.push(format!("Milestone reached: {label}"));
    }
    Some(lines.join("\n"))
}

/// The band, the typical course, the meaningful-improvement line, the
/// daily values, their average, reached milestones and today.
fn draw_series<'a>(
    plot: &mut egui_plot::PlotUi<'a>,
    chart: &'a MetricChart,
    today_week: f64,
    visuals: &egui::Visuals,
) {
    let colors = theme::palette(visuals);
    let chart_colors = theme::chart_palette(visuals);
    if !chart.band_weeks.is_empty() {
        plot.add(
            FilledArea::new(
                "Expected range",
                &chart.band_weeks,
                &chart.band_low,
                &chart.band_high,
            )
            .fill_color(chart_colors.band),
        );
        plot.line(
            Line::new("Expected (typical)", PlotPoints::Borrowed(&chart.median))
                .color(chart_colors.expected)
                .style(LineStyle::dashed_loose())
                .width(2.0),
        );
    }
    if let Some(y) = chart.mcid_line {
        plot.hline(
            HLine::new("Meaningful improvement", y)
                .color(colors.good)
                .style(LineStyle::dotted_loose())
                .width(2.0),
        );
    }
    let is_odi = chart.key == MetricKey::Odi;
    plot.points(
        Points::new(
            if is_odi { "ODI totals" } else { "Daily values" },
            PlotPoints::Borrowed(&chart.values),
        )
        .radius(if is_odi { 6.0 } else { 3.0 })
        .color(chart_colors.daily),
    );
    if !is_odi {
        plot.line(
            Line::new("7-day average", PlotPoints::Borrowed(&chart.average))
                .color(chart_colors.average)
                .width(3.0),
        );
    }
    if !chart.milestones.is_empty() {
        plot.points(
            Points::new("Milestone reached", PlotPoints::Borrowed(&chart.milestones))
                .shape(egui_plot::MarkerShape::Diamond)
                .filled(true)
                .radius(7.0)
                .color(colors.good),
        );
    }
    plot.vline(
        VLine::new("Today", today_week)
            .color(colors.muted_text)
            .width(1.5),
    );
}

#[derive(Clone, Copy)]
enum Mark {
    Dot,
    Line,
    Dashed,
    Dotted,
    Band,
    Today,
    Diamond,
}

/// The chart's key, above it, in body text: the plot's own legend would
/// cover the data and use small type.
pub(super) fn chart_legend(ui: &mut Ui, chart: &MetricChart) {
    let colors = theme::palette(ui.visuals());
    let chart_colors = theme::chart_palette(ui.visuals());
    let mut items = vec![(
        Mark::Dot,
        chart_colors.daily,
        if chart.key == MetricKey::Odi {
            "ODI totals"
        } else {
            "Daily values"
        },
    )];
    if chart.key != MetricKey::Odi {
        items.push((Mark::Line, chart_colors.average, "7-day average"));
    }
    if !chart.band_weeks.is_empty() {
        items.push((Mark::Dashed, chart_colors.expected, "Expected (typical)"));
        items.push((
            Mark::Band,
            chart_colors.band,
            "Expected range (middle half)",
        ));
    }
    if chart.mcid_line.is_some() {
        items.push((Mark::Dotted, colors.good, "Meaningful improvement"));
    }
    items.push((Mark::Diamond, colors.good, "Milestone"));
    items.push((Mark::Today, colors.muted_text, "Today"));
    ui.horizontal_wrapped(|ui| {
        for (mark, color, text) in items {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(28.0, 18.0), egui::Sense::hover());
            let painter = ui.painter();
            let (left, right) = (rect.left_center(), rect.right_center());
            match mark {
                Mark::Dot => {
                    painter.circle_filled(rect.center(), 4.5, color);
                }
                Mark::Line => {
                    painter.line_segment([left, right], egui::Stroke::new(3.0, color));
                }
                Mark::Dashed | Mark::Dotted => {
                    let (dash, gap) = if matches!(mark, Mark::Dashed) {
                        (6.0, 4.0)
                    } else {
                        (2.0, 4.0)
                    };
                    painter.add(egui::Shape::dashed_line(
                        &[left, right],
                        egui::Stroke::new(2.5, color),
                        dash,
                        gap,
                    ));
                }
                Mark::Band => {
                    painter.rect_filled(rect.shrink2(egui::vec2(0.0, 2.0)), 2.0, color);
                }
                Mark::Diamond => {
                    let c = rect.center();
                    painter.add(egui::Shape::convex_polygon(
                        vec![
                            c + egui::vec2(0.0, -6.0),
                            c + egui::vec2(6.0, 0.0),
                            c + egui::vec2(0.0, 6.0),
                            c + egui::vec2(-6.0, 0.0),
                        ],
                        color,
                        egui::Stroke::NONE,
                    ));
                }
                Mark::Today => {
                    painter.line_segment(
                        [rect.center_top(), rect.center_bottom()],
                        egui::Stroke::new(2.0, color),
                    );
                }
            }
            ui.label(text);
            ui.add_space(theme::GAP_S);
        }
    });
}

/// "Surgery in 12 days · back pain this week 5.7 · your starting point so
/// far 6.0": no expected range yet, nor a verdict.
fn before_surgery_sentence(days: i64, status: &MetricStatus) -> String {
    let key = status.metric;
    let name = status.label.to_lowercase();
    let mut parts = vec![format!(
        "Surgery in {}",
        crate::words::plural(days, "day", "days")
    )];
    match status.recent {
        Some(r) if key == MetricKey::Odi => {
            parts.push(format!(
                "{name} {} on the latest total",
                key.value_words(r.average)
            ));
        }
        Some(r) => parts.push(format!("{name} this week {}", key.value_words(r.average))),
        None => parts.push(format!("no {name} in the last 7 days")),
    }
    if let Some(start) = status.baseline {
        parts.push(format!(
            "your starting point so far {}",
            key.value_words(start)
        ));
    }
    parts.join(" · ")
}

/// "Week 6 · back pain this week 3.1 (expected 2.2–4.0): on track · down 0.8 from last week"
fn summary_sentence(data: &PatientData, status: &MetricStatus) -> String {
    let key = status.metric;
    let name = status.label.to_lowercase();
    if let Some(days) = data.status.days_to_surgery {
        return before_surgery_sentence(days, status);
    }
    let mut parts = vec![format!("Week {}", data.status.week)];
    let expected = status.expected.map(|e| {
        format!(
            "expected {}–{}",
            key.value_words(e.low),
            key.value_words(e.high)
        )
    });
    match (status.recent, key) {
        (Some(r), MetricKey::Odi) => parts.push(format!(
            "{name} {} on the latest total{}",
            key.value_words(r.average),
            expected.map(|e| format!(" ({e})")).unwrap_or_default()
        )),
        (Some(r), _) if r.count >= crate::analysis::status::MIN_ENTRIES => parts.push(format!(
            "{name} this week {}{}",
            key.value_words(r.average),
            expected.map(|e| format!(" ({e})")).unwrap_or_default()
        )),
        (recent, _) => parts.push(format!(
            "{name}: {} in the last 7 days, too few to tell{}",
            crate::words::plural(
                recent.map_or(0, |r| r.count) as i64,
                "check-in",
                "check-ins"
            ),
            expected.map(|e| format!(" ({e} now)")).unwrap_or_default()
        )),
    }
    let mut sentence = parts.join(" · ");
    match status.verdict {
        Verdict::Ahead | Verdict::OnTrack | Verdict::Behind => {
            sentence.push_str(&format!(": {}", status.verdict.words()));
        }
        _ => {}
    }
    if let Some(change) = status.change_from_previous() {
        let since = if key == MetricKey::Odi {
            "the total before"
        } else {
            "last week"
        };
        let direction = if change < 0.0 { "down" } else { "up" };
        if change.abs() < 0.05 {
            sentence.push_str(&format!(" · same as {since}"));
        } else {
            sentence.push_str(&format!(
                " · {direction} {} from {since}",
                key.value_words(change.abs())
            ));
        }
    }
    sentence
}

fn verdict_chip(ui: &mut Ui, verdict: Verdict) {
    let colors = theme::palette(ui.visuals());
    let (text, fill) = match verdict {
        Verdict::Ahead => ("✔ Ahead", colors.good),
        Verdict::OnTrack => ("✔ On track", colors.accent),
        Verdict::Behind => ("Behind", colors.caution),
        Verdict::NotEnoughData => ("Not enough data", colors.muted_text),
        Verdict::NoExpectation => ("No expected range", colors.muted_text),
        Verdict::BeforeSurgery => ("Before surgery", colors.muted_text),
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(theme::CORNER_RADIUS)
        .inner_margin(egui::Margin::symmetric(12, 6))
        .show(ui, |ui| {
            // Dark text on the light fills of the dark theme, white on the
            // deep fills of the light theme.
            let ink = if ui.visuals().dark_mode {
                Color32::from_gray(12)
            } else {
                Color32::WHITE
            };
            ui.label(RichText::new(text).strong().color(ink));
        });
}

/// The latest weakness and the weeks it was present, in words.
fn weakness_sentence(course: &WeaknessCourse) -> String {
    let Some((day, weakness, side)) = course.latest else {
        return "No answers about weakness yet: the nerve questions on Today are optional."
            .to_owned();
    };
    let latest = match side {
        Some(side) => format!(
            "{} weakness, {}",
            weakness.words(),
            side.words().to_lowercase()
        ),
        None => "no weakness".to_owned(),
    };
    let weeks = match course.weeks_present.as_slice() {
        [] => "No weakness recorded since the operation.".to_owned(),
        [one] => format!("Weakness was recorded in week {one} only."),
        [first, .., last] => format!(
            "Weakness was recorded in {} (weeks {first} to {last}).",
            crate::words::plural(course.weeks_present.len() as i64, "week", "weeks")
        ),
    };
    format!("Latest ({}): {latest}. {weeks}", crate::words::date(day))
}

/// The step line of weakness levels against weeks since surgery.
fn weakness_chart(ui: &mut Ui, course: &WeaknessCourse, (from, to): (i64, i64), height: f32) {
    let shown: Vec<(f64, f64)> = course
        .steps
        .iter()
        .filter(|(d, _)| *d >= from && *d <= to)
        .map(|(d, level)| (*d as f64 / 7.0, f64::from(*level)))
        .collect();
    // Runs of one level as level lines, each change as a thin riser: one
    // path with right-angled corners draws its joins as wedges.
    let mut runs: Vec<[[f64; 2]; 2]> = Vec::new();
    let mut risers: Vec<[[f64; 2]; 2]> = Vec::new();
    for (i, &(x, level)) in shown.iter().enumerate() {
        let next_x = shown.get(i + 1).map_or(x, |n| n.0);
        match runs.last_mut() {
            Some(run) if run[0][1] == level => run[1][0] = next_x,
            last => {
                if let Some(previous) = last {
                    risers.push([[x, previous[0][1]], [x, level]]);
                }
                runs.push([[x, level], [next_x.max(x + 0.05), level]]);
            }
        }
    }
    let names = ["None", "Mild", "Moderate", "Severe"];
    let colors = theme::palette(ui.visuals());
    Plot::new("weakness-steps")
        .height(height)
        .include_x(from as f64 / 7.0)
        .include_x(to as f64 / 7.0)
        .include_y(-0.2)
        .include_y(3.2)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .y_axis_formatter(move |mark, _range| {
            let v = mark.value;
            if (v - v.round()).abs() < 1e-6 && (0.0..=3.0).contains(&v) {
                names[v.round() as usize].to_owned()
            } else {
                String::new()
            }
        })
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [3.0, 1.0, 1.0]))
        .x_axis_label("weeks since surgery")
        .show(ui, |plot| {
            for run in runs {
                plot.line(
                    Line::new("Weakness", PlotPoints::from(run.to_vec()))
                        .color(colors.accent)
                        .width(3.0),
                );
            }
            for riser in risers {
                plot.line(
                    Line::new("Weakness", PlotPoints::from(riser.to_vec()))
                        .color(colors.accent)
                        .width(1.0),
                );
            }
        });
}

fn expectations(ui: &mut Ui, app: &AppView<'_>, data: &PatientData) {
    expectations_card(ui, app.protocol, data.patient.details.approach, 300.0);
}

/// The realistic-expectation figures for an approach, each with its source
/// on hover: beside the chart here, and on "What to expect".
pub(crate) fn expectations_card(
    ui: &mut Ui,
    protocol: &crate::protocol::Protocol,
    approach: crate::model::Approach,
    max_width: f32,
) {
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width().min(max_width));
        widgets::section_title(ui, "Realistic expectations");
        for e in protocol
            .expectations
            .iter()
            .filter(|e| e.applies_to(approach))
        {
            ui.label(format!("• {}", e.text))
                .on_hover_text(e.source.as_str());
        }
        widgets::hint(ui, "Hover a line to see its source.");
    });
}

fn method(ui: &mut Ui, app: &AppView<'_>, data: &PatientData, metric: &Metric) {
    let approach = data.patient.details.approach;
    egui::CollapsingHeader::new(RichText::new("How is this calculated?").strong())
        .id_salt("method")
        .show(ui, |ui| {
            ui.label(app.protocol.method.trim());
            ui.add_space(theme::GAP_S);
            ui.label(approach.comparison());
            ui.label(
                RichText::new(format!("Sources for {}", metric.label.to_lowercase())).strong(),
            );
            if let Some(curve) = metric.curve(approach) {
                ui.label(format!("• {}", curve.source));
                for point in curve
                    .points
                    .iter()
                    .filter_map(|p| p.source.as_ref().map(|s| (p.day, s)))
                {
                    widgets::hint(ui, &format!("   day {}: {}", point.0, point.1));
                }
            }
            for spread in &metric.spread {
                widgets::hint(
                    ui,
                    &format!("• Spread at day {}: {}", spread.day, spread.source),
                );
            }
            if let Some(mcid) = metric.mcid_for(approach) {
                ui.label(format!("• Meaningful improvement: {}", mcid.source));
            }
            widgets::hint(ui, &format!("Band: {}", app.protocol.band.source));
        });
}

/// "Starting point 7.4: the average of your 11 check-ins before surgery."
fn baseline_words(
    key: MetricKey,
    value: f64,
    origin: BaselineOrigin,
    data: &PatientData,
) -> String {
    let value = key.value_words(value);
    match origin {
        BaselineOrigin::PreOperativeAverage { check_ins } => format!(
            "Starting point {value}: the average of your {} before surgery.",
            crate::words::plural(check_ins as i64, "check-in", "check-ins")
        ),
        BaselineOrigin::Clinician => {
            let reason = data
                .baseline
                .as_ref()
                .and_then(|b| b.clinician_reason.as_deref())
                .unwrap_or_default();
            format!("Starting point {value}: chosen by your physiotherapist ({reason}).")
        }
        BaselineOrigin::PreOperativeTotal => {
            format!("Starting point {value}: your total recorded before surgery.")
        }
        BaselineOrigin::Entered => format!("Starting point {value}: as entered at setup."),
        BaselineOrigin::Cohort => format!(
            "Your value before surgery is not recorded, so the typical starting point of {value} is used."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::hover_text;
    use crate::analysis::chart::{BandPoint, ChartSeries};
    use crate::model::MetricKey;
    use crate::protocol::Better;
    use crate::ui::cache::MetricChart;
    use chrono::NaiveDate;

    fn surgery() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 5).expect("a real date")
    }

    /// Back pain of 6 on day 7 and 4 on day 14, an average on day 14,
    /// a band of 3–7 (typical 5) throughout and a milestone on day 14.
    fn chart() -> MetricChart {
        MetricChart::new(ChartSeries {
            key: MetricKey::BackPain,
            label: "Back pain".to_owned(),
            unit: "points".to_owned(),
            better: Better::Lower,
            values: vec![(7, 6.0), (14, 4.0)],
            average: vec![(14, 5.0)],
            band: (0..=28)
                .map(|day| BandPoint {
                    day,
                    low: 3.0,
                    median: 5.0,
                    high: 7.0,
                })
                .collect(),
            mcid_line: None,
            milestones: vec![(14, "Walk 30 minutes".to_owned())],
            first_day: 0,
            last_day: 28,
            y_max: 10.0,
        })
    }

    #[test]
    fn the_nearest_days_values_answer_not_the_pointer() {
        // The pointer a little right of day 14 (week 2), anywhere up or
        // down: the answer is day 14's data.
        let text = hover_text(&chart(), surgery(), 2.2).expect("a date");
        assert_eq!(
            text,
            "Mon 19 Jan 2026 · day 14\nBack pain: 4.0\n7-day average: 5.0\n\
             Expected: 3.0 to 7.0 (typical 5.0)\nMilestone reached: Walk 30 minutes"
        );
    }

    #[test]
    fn far_from_any_value_it_says_so_and_gives_the_expected_range() {
        let text = hover_text(&chart(), surgery(), 3.0).expect("a date");
        assert_eq!(
            text,
            "Mon 26 Jan 2026 · day 21\nNo value recorded near here\nExpected: 3.0 to 7.0 (typical 5.0)"
        );
    }
}
