//! The PDF report a physiotherapist keeps: who, what operation, how the
//! chosen period went against the expected recovery (vector charts), the
//! weekly table, milestones, exercises, flags, visit notes, and how the
//! expected range is built. Text is real text (Helvetica, `WinAnsi`), so it
//! can be selected, searched and read back.

use crate::analysis::body_map::{self as figure, HeatMap, place_words};
use crate::analysis::chart::{ChartSeries, chart_series};
use crate::analysis::patient_status;
use crate::analysis::program::{adherence, milestone_statuses, prescribed_on};
use crate::analysis::review::{Flag, WeekSummary, compare_with_previous, flags, weekly_summaries};
use crate::model::{MetricKey, PatientRecord};
use crate::protocol::Protocol;
use chrono::{DateTime, Days, NaiveDate, Utc};

pub(crate) mod fonts;
mod writer;

use writer::{BODY, MARGIN, SMALL, Writer, rgb};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Paper {
    A4,
    Letter,
}

/// Where Letter paper is the norm (the United States, Canada, Mexico and
/// a few others); A4 everywhere else.
const LETTER_COUNTRIES: [&str; 10] = ["US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PR"];

impl Paper {
    /// The paper a locale ("en-US", "fr_CA.UTF-8") uses.
    pub fn for_locale(locale: &str) -> Self {
        let country = locale
            .split(['-', '_', '.', '@'])
            .nth(1)
            .unwrap_or_default()
            .to_ascii_uppercase();
        if LETTER_COUNTRIES.contains(&country.as_str()) {
            Paper::Letter
        } else {
            Paper::A4
        }
    }

    /// The paper of this computer's locale.
    pub fn of_this_computer() -> Self {
        sys_locale::get_locale().map_or(Paper::A4, |l| Self::for_locale(&l))
    }

    pub fn label(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "Letter",
        }
    }

    /// Width and height in points.
    fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub paper: Paper,
    pub made_at: DateTime<Utc>,
}

fn one(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

fn whole(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.0}"))
}

/// A chart of one metric over the period: the expected band and median,
/// daily values, and the 7-day average.
fn chart(w: &mut Writer, series: &ChartSeries) {
    let height = 120.0;
    w.need(height + 40.0);
    w.y -= 16.0;
    w.text_at(
        MARGIN,
        w.y,
        &series.axis_title(),
        BODY,
        true,
        &rgb(20, 20, 20),
    );
    let top = w.y - 6.0;
    let bottom = top - height;
    let left = MARGIN + 30.0;
    let right = w.width - MARGIN;
    let first_day = series.first_day;
    let last_day = series.last_day.max(first_day + 1);
    let y_max = series.y_max;
    // Round axes: pain in steps of 2, other scales in quarters of their
    // round maximum.
    let steps = if y_max <= 10.0 { 5 } else { 4 };
    let x = |day: f64| {
        left + (right - left) * ((day - first_day as f64) / (last_day - first_day) as f64) as f32
    };
    let y = |v: f64| bottom + (height * (v / y_max).clamp(0.0, 1.0) as f32);
    // The band, then its median, dashed.
    let band = &series.band;
    let mut outline: Vec<(f32, f32)> = band.iter().map(|b| (x(b.day as f64), y(b.high))).collect();
    outline.extend(band.iter().rev().map(|b| (x(b.day as f64), y(b.low))));
    w.filled(outline, rgb(204, 226, 240));
    let median: Vec<(f32, f32)> = band
        .iter()
        .map(|b| (x(b.day as f64), y(b.median)))
        .collect();
    w.polyline(&median, rgb(0, 94, 150), 1.2, true);
    // Axes with a few labels.
    w.rect(
        left,
        bottom,
        right - left,
        height,
        rgb(120, 120, 120),
        false,
    );
    for step in 0..=steps {
        let v = y_max * f64::from(step) / f64::from(steps);
        w.text_at(
            MARGIN,
            y(v) - 3.0,
            &format!("{v:.0}"),
            SMALL,
            false,
            &rgb(90, 90, 90),
        );
    }
    let weeks = (first_day.div_euclid(7)..=last_day.div_euclid(7)).collect::<Vec<_>>();
    let every = (weeks.len() / 10).max(1);
    for week in weeks.iter().step_by(every) {
        let day = (week * 7) as f64;
        if day >= first_day as f64 {
            w.text_at(
                x(day) - 4.0,
                bottom - 10.0,
                &format!("wk {week}"),
                SMALL - 1.0,
                false,
                &rgb(90, 90, 90),
            );
        }
    }
    // Daily values as small squares, the 7-day average as a line.
    for (d, v) in &series.values {
        let (px, py) = (x(*d as f64), y(*v));
        w.rect(px - 1.2, py - 1.2, 2.4, 2.4, rgb(100, 100, 100), true);
    }
    let average: Vec<(f32, f32)> = series
        .average
        .iter()
        .map(|(d, v)| (x(*d as f64), y(*v)))
        .collect();
    w.polyline(&average, rgb(213, 94, 0), 1.8, false);
    for (day, _) in &series.milestones {
        let (px, py) = (x(*day as f64), top - 6.0);
        w.filled(
            vec![
                (px, py + 4.0),
                (px + 4.0, py),
                (px, py - 4.0),
                (px - 4.0, py),
            ],
            rgb(0, 158, 115),
        );
    }
    w.y = bottom - 16.0;
}

/// Renders the report of `record` over `options.from..=options.to`.
pub fn render(protocol: &Protocol, record: &PatientRecord, options: ReportOptions) -> Vec<u8> {
    let (from, to) = (options.from, options.to);
    let mut w = Writer::new(options.paper.size());
    // Page 1 carries what needs attention first: who, the flags (most
    // urgent first), where they stand.
    let sections: [Section; 11] = [
        about_section,
        flags_section,
        summary_section,
        psfs_section,
        trends_section,
        weekly_section,
        body_map_section,
        milestones_section,
        exercise_section,
        notes_section,
        method_section,
    ];
    for section in sections {
        section(&mut w, protocol, record, from, to);
    }
    let made = options.made_at.format("%-d %b %Y %H:%M UTC").to_string();
    w.finish(
        &format!("Recovery report: {}", record.patient.details.name),
        &format!(
            "Made {made} by Recovery Tracker. A patient's self-report, not a clinical document."
        ),
        options.made_at,
    )
}

/// The summary's sentence per metric: its recent value against the
/// expected range, the verdict and the meaningful improvement.
pub fn summary_lines(protocol: &Protocol, record: &PatientRecord, on: NaiveDate) -> Vec<String> {
    let status = patient_status(
        protocol,
        &record.patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        on,
    );
    status
        .metrics
        .iter()
        .map(|m| {
            let recent = m.recent.map_or_else(
                || "no recent values".to_owned(),
                |r| format!("{:.1}", r.average),
            );
            let expected = m.expected.map_or_else(String::new, |e| {
                format!(" (expected {:.1} to {:.1})", e.low, e.high)
            });
            let mcid = match m.mcid_reached {
                Some(true) => "; meaningful improvement reached",
                Some(false) => "; meaningful improvement not yet reached",
                None => "",
            };
            format!(
                "{}: {recent}{expected}: {}{mcid}",
                m.label,
                m.verdict.words()
            )
        })
        .collect()
}

/// One section of the report, written in page order.
type Section = fn(&mut Writer, &Protocol, &PatientRecord, NaiveDate, NaiveDate);

fn date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// The PSFS up to the end of the period: the score's change and each
/// activity's first and latest rating. Nothing when never answered.
fn psfs_section(
    w: &mut Writer,
    _protocol: &Protocol,
    record: &PatientRecord,
    _from: NaiveDate,
    to: NaiveDate,
) {
    let ratings: Vec<_> = record
        .psfs_ratings
        .iter()
        .filter(|r| r.day <= to)
        .cloned()
        .collect();
    if ratings.is_empty() {
        return;
    }
    let course =
        crate::analysis::psfs::PsfsCourse::of(&record.patient, &record.psfs_activities, &ratings);
    w.heading("Activities (Patient-Specific Functional Scale)");
    w.paragraph(&course.sentence(), BODY, false);
    let surgery = record.patient.details.surgery_date;
    let on = |day: i64| {
        let date = if day < 0 {
            surgery.checked_sub_days(chrono::Days::new(day.unsigned_abs()))
        } else {
            surgery.checked_add_days(chrono::Days::new(day.unsigned_abs()))
        };
        date.map_or_else(String::new, crate::words::date)
    };
    for a in &course.activities {
        let (Some(first), Some(last)) = (a.points.first(), a.points.last()) else {
            continue;
        };
        let mut line = format!("{}: {:.0} on {}", a.name, first.1, on(first.0));
        if let Some(change) = a.change() {
            line.push_str(&format!(
                ", {:.0} on {} ({change:+.0}{})",
                last.1,
                on(last.0),
                if change.abs() >= crate::analysis::psfs::MEANINGFUL_ACTIVITY {
                    ", a meaningful change"
                } else {
                    ""
                }
            ));
        }
        if a.retired_on.is_some_and(|r| r <= to) {
            line.push_str("; no longer asked");
        }
        w.paragraph(&line, BODY, false);
    }
}

/// Who, what operation, and the period.
fn about_section(
    w: &mut Writer,
    _protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    let patient = &record.patient;
    let d = &patient.details;
    w.paragraph(&format!("Recovery report: {}", d.name), 18.0, true);
    w.y -= 4.0;
    let mut about = vec![
        format!(
            "{} ({}), levels {}",
            d.procedure.label(),
            d.approach.short_label().to_lowercase(),
            if d.levels.is_empty() {
                "not recorded"
            } else {
                &d.levels
            }
        ),
        match patient.days_to_surgery(to) {
            Some(days) => format!(
                "Surgery on {}; {} is {} before surgery",
                date(d.surgery_date),
                date(to),
                crate::words::plural(days, "day", "days")
            ),
            None => format!(
                "Surgery on {}; {} is week {} since surgery",
                date(d.surgery_date),
                date(to),
                patient.week_since_surgery(to)
            ),
        },
    ];
    if let Some(born) = d.date_of_birth {
        about.push(format!("Born {}", date(born)));
    }
    if d.surgeon.is_some() || d.clinic.is_some() {
        about.push(
            [d.surgeon.clone(), d.clinic.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    about.push(format!(
        "Period of this report: {} to {}",
        date(from),
        date(to)
    ));
    for line in about {
        w.paragraph(&line, BODY, false);
    }
}

/// Where the patient stands, in words.
fn summary_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    w.heading("Summary");
    for line in summary_lines(protocol, record, to) {
        w.paragraph(&line, BODY, false);
    }
    let status = patient_status(
        protocol,
        &record.patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        to,
    );
    let reason = record
        .baseline
        .as_ref()
        .and_then(|b| b.clinician_reason.as_deref());
    w.paragraph(&status.baseline_sentence(reason), BODY, false);
    let check_ups = crate::analysis::check_ups::check_ups(protocol, record, to);
    if let Some(sentence) = crate::analysis::check_ups::check_up_sentence(&check_ups) {
        w.paragraph(&sentence, BODY, false);
    }
    let (now, before) = compare_with_previous(protocol, record, from, to);
    w.paragraph(
        &format!(
            "This period against the {} before: back pain {} vs {}, leg pain {} vs {}, walking {} vs {} minutes, {} vs {} check-ins.",
            crate::words::plural((to - from).num_days() + 1, "day", "days"),
            one(now.back_pain),
            one(before.back_pain),
            one(now.leg_pain),
            one(before.leg_pain),
            whole(now.walking_minutes),
            whole(before.walking_minutes),
            now.check_ins,
            before.check_ins
        ),
        BODY,
        false,
    );
}

/// A chart per metric against the expected band.
fn trends_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    let patient = &record.patient;
    w.heading("Trends against the expected recovery");
    w.paragraph(
        "Shaded: where the middle half of patients usually are. Dashed: the typical course. Grey squares: daily values. Orange: 7-day average. Green diamonds: milestones reached.",
        SMALL,
        false,
    );
    let reached: Vec<(NaiveDate, String)> = milestone_statuses(protocol, record, to)
        .into_iter()
        .filter_map(|m| Some((m.achieved_on?, m.label)))
        .collect();
    for key in [
        MetricKey::BackPain,
        MetricKey::LegPain,
        MetricKey::WalkingMinutes,
    ] {
        let (first, last) = (
            patient.days_since_surgery(from),
            patient.days_since_surgery(to),
        );
        if let Some(series) = chart_series(protocol, record, &reached, key, first, last) {
            chart(w, &series);
        }
    }
}

/// The week-by-week table.
fn weekly_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    w.heading("Weekly summary");
    let weeks = weekly_summaries(protocol, record, from, to);
    let rows: Vec<Vec<String>> = weeks.iter().map(week_row).collect();
    w.table(
        &[
            ("Week", 0.6),
            ("Days", 1.5),
            ("Check-ins", 0.9),
            ("Back", 0.6),
            ("Leg", 0.6),
            ("Walk min", 0.9),
            ("Sit min", 0.8),
            ("Sleep", 0.6),
            ("Opioids", 0.8),
            ("Exercise", 0.9),
            ("Warnings", 0.9),
            ("Milestones", 2.0),
        ],
        &rows,
    );
    // Nerve symptoms in a table of their own: the page has no room for
    // three more columns above.
    if weeks
        .iter()
        .any(|w| w.numbness.is_some() || w.tingling.is_some() || w.weakness.is_some())
    {
        w.paragraph(
            "Nerve symptoms by week (averages of the days answered, worst weakness)",
            SMALL,
            true,
        );
        let rows: Vec<Vec<String>> = weeks
            .iter()
            .map(|week| {
                vec![
                    week.week.to_string(),
                    crate::words::short_span(week.first_day, week.last_day),
                    one(week.numbness),
                    one(week.tingling),
                    week.weakness
                        .map_or_else(|| "none".to_owned(), |k| k.words().to_lowercase()),
                ]
            })
            .collect();
        w.table(
            &[
                ("Week", 0.6),
                ("Days", 1.5),
                ("Numbness", 1.0),
                ("Tingling", 1.0),
                ("Weakness", 1.2),
            ],
            &rows,
        );
    }
}

/// The body map of the period: each place shaded by the days it was
/// marked, with the number written in it, and the most marked places
/// against the period as long before it.
fn body_map_section(
    w: &mut Writer,
    _protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    let heat = HeatMap::of(&record.check_ins, from, to);
    if heat.mapped == 0 {
        return;
    }
    let before = HeatMap::before(&record.check_ins, from, to);
    let width = 260.0;
    let height = figure::HEIGHT * width / figure::WIDTH;
    w.need(height + 60.0);
    w.heading("Where: the body map");
    w.paragraph(
        &format!(
            "Days each place was marked with pain, numbness or tingling, of {} in this period ({} with a map). Front on the left, back on the right.",
            crate::words::plural(i64::from(heat.check_ins), "check-in", "check-ins"),
            heat.mapped
        ),
        SMALL,
        false,
    );
    let top = w.y - 4.0;
    draw_heat_map(w, &heat, top, width);
    most_marked(w, &heat, &before, MARGIN + width + 24.0, top - 10.0);
    w.y = top - height - 8.0;
}

/// The figure at the left margin from `top` down, `width` wide.
fn draw_heat_map(w: &mut Writer, heat: &HeatMap, top: f32, width: f32) {
    let scale = width / figure::WIDTH;
    let at = |[x0, y0, x1, y1]: [f32; 4]| {
        (
            MARGIN + x0 * scale,
            top - y1 * scale,
            (x1 - x0) * scale,
            (y1 - y0) * scale,
        )
    };
    let ink = rgb(20, 20, 20);
    for leg in figure::legs() {
        let [x0, y0, x1, y1] = leg.rect;
        let (x, y, wd, ht) = at([x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0]);
        w.rect(x, y, wd, ht, rgb(120, 120, 120), false);
        let (lx, ly, lw, _) = at([x0, 7.0, x1, 11.0]);
        w.text_at(
            lx + lw / 2.0 - 8.0,
            ly + 2.0,
            leg.side.words(),
            SMALL,
            false,
            &ink,
        );
    }
    for (words, x0) in [("Front", 4.0), ("Back", 54.0)] {
        let (x, y, _, _) = at([x0, 0.0, x0 + 40.0, 6.0]);
        w.text_at(x + 65.0, y + 2.0, words, BODY, true, &ink);
    }
    let total = heat.check_ins.max(1) as f32;
    for b in figure::layout() {
        let days = heat.days(b.side, b.region, None);
        let (x, y, wd, ht) = at(b.rect);
        // From white to the accent blue by the share of days marked.
        let share = days as f32 / total;
        let shade = |white: f32, blue: f32| (white + (blue - white) * (0.25 + 0.75 * share)) as u8;
        if days > 0 {
            w.rect(
                x,
                y,
                wd,
                ht,
                rgb(shade(255.0, 0.0), shade(255.0, 94.0), shade(255.0, 150.0)),
                true,
            );
            let text = days.to_string();
            let color = if share > 0.5 {
                rgb(255, 255, 255)
            } else {
                ink.clone()
            };
            w.text_at(
                x + wd / 2.0 - 2.5 * text.len() as f32,
                y + ht / 2.0 - 3.0,
                &text,
                SMALL,
                true,
                &color,
            );
        } else {
            // The name where it fits across; the list names the rest.
            let name = b.region.short_words();
            let size = 5.5;
            let name_width = name.chars().count() as f32 * size * 0.5;
            if name_width <= wd - 2.0 {
                w.text_at(
                    x + (wd - name_width) / 2.0,
                    y + ht / 2.0 - 2.0,
                    name,
                    size,
                    false,
                    &rgb(110, 110, 110),
                );
            }
        }
        w.rect(x, y, wd, ht, rgb(170, 170, 170), false);
    }
}

/// The most marked places with their symptoms, against the period before.
fn most_marked(w: &mut Writer, heat: &HeatMap, before: &HeatMap, x: f32, top: f32) {
    let ink = rgb(20, 20, 20);
    let mut line_y = top;
    w.text_at(
        x,
        line_y,
        "Most marked (days), against the period before",
        SMALL,
        true,
        &ink,
    );
    for (side, region, days) in heat.ranked(None).into_iter().take(9) {
        let earlier = before.days(side, region, None);
        let symptoms: Vec<&str> = heat
            .symptoms_at(side, region)
            .into_iter()
            .map(|s| s.words())
            .collect();
        line_y -= 13.0;
        let place = place_words(side, region);
        let what = symptoms.join(", ").to_lowercase();
        w.text_at(x, line_y, &format!("{place}: {what}"), SMALL, true, &ink);
        line_y -= 10.0;
        let counts = format!(
            "{days} of {} days; before: {earlier} of {}",
            heat.check_ins, before.check_ins
        );
        w.text_at(x + 8.0, line_y, &counts, SMALL, false, &ink);
    }
}

/// Milestones against their usual windows.
fn milestones_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    _from: NaiveDate,
    to: NaiveDate,
) {
    w.heading("Milestones");
    let milestones = milestone_statuses(protocol, record, to);
    let rows: Vec<Vec<String>> = milestones
        .iter()
        .map(|m| {
            vec![
                m.label.clone(),
                format!("day {}-{}", m.window[0], m.window[1]),
                m.achieved_on.map_or_else(|| "not yet".to_owned(), date),
                m.state.words().to_owned(),
            ]
        })
        .collect();
    w.table(
        &[
            ("Milestone", 3.0),
            ("Usually", 1.2),
            ("Reached", 1.2),
            ("", 1.6),
        ],
        &rows,
    );
}

/// The plan on the last day, and adherence over the period.
fn exercise_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    let patient = &record.patient;
    w.heading("Exercise plan and adherence");
    let plan = prescribed_on(protocol, patient, &record.plan, to);
    if let Some(phase) = protocol.phase_on(patient.days_since_surgery(to)) {
        w.paragraph(
            &format!("{} (from week {}).", phase.label, phase.from_day / 7),
            BODY,
            false,
        );
    }
    let rows: Vec<Vec<String>> = plan
        .iter()
        .map(|p| vec![p.name.clone(), p.dose.describe()])
        .collect();
    w.table(&[("Exercise", 2.0), ("Dose", 3.0)], &rows);
    let a = adherence(protocol, record, from, to);
    w.paragraph(
        &match a.percent() {
            Some(p) => format!(
                "In this period {p:.0}% of prescribed sessions were done ({} of {}).",
                a.done_sessions, a.prescribed_sessions
            ),
            None => "Nothing was prescribed in this period.".to_owned(),
        },
        BODY,
        false,
    );
}

/// Flags with their reasons and review marks.
fn flags_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    w.heading("Flags");
    let found: Vec<Flag> = flags(protocol, record, from, to);
    if found.is_empty() {
        w.paragraph("No flags in this period.", BODY, false);
    }
    for flag in &found {
        let review = record.flag_reviews.iter().find(|r| r.flag_key == flag.key);
        let reviewed = review.map_or_else(String::new, |r| {
            format!(
                " (reviewed by {} on {})",
                r.reviewed_by,
                date(r.reviewed_at.date_naive())
            )
        });
        w.paragraph(
            &format!(
                "{} · {}: {}{reviewed}",
                flag.tier.words(),
                flag.kind.title(),
                flag.reason
            ),
            BODY,
            false,
        );
    }
}

/// The physiotherapist's visit notes of the period.
fn notes_section(
    w: &mut Writer,
    _protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) {
    w.heading("Visit notes");
    let notes: Vec<_> = record
        .visit_notes
        .iter()
        .filter(|n| n.day >= from - Days::new(0) && n.day <= to)
        .collect();
    if notes.is_empty() {
        w.paragraph("No visit notes in this period.", BODY, false);
    }
    for note in notes {
        w.paragraph(&format!("{}, {}:", date(note.day), note.author), BODY, true);
        w.paragraph(&note.text, BODY, false);
    }
}

/// How the expected range is built, with sources.
fn method_section(
    w: &mut Writer,
    protocol: &Protocol,
    record: &PatientRecord,
    _from: NaiveDate,
    _to: NaiveDate,
) {
    let patient = &record.patient;
    w.heading("How the expected range is built");
    w.paragraph(protocol.method.trim(), SMALL, false);
    w.paragraph(&patient.details.approach.comparison(), SMALL, false);
    for key in [
        MetricKey::BackPain,
        MetricKey::LegPain,
        MetricKey::WalkingMinutes,
    ] {
        if let Some(metric) = protocol.metric(key)
            && let Some(curve) = metric.curve(patient.details.approach)
        {
            w.paragraph(&format!("{}: {}", metric.label, curve.source), SMALL, false);
        }
    }
    w.paragraph(&format!("Band: {}", protocol.band.source), SMALL, false);
}

fn week_row(w: &WeekSummary) -> Vec<String> {
    vec![
        w.week.to_string(),
        format!(
            "{}-{}",
            w.first_day.format("%-d %b"),
            w.last_day.format("%-d %b")
        ),
        w.check_ins.to_string(),
        one(w.back_pain),
        one(w.leg_pain),
        whole(w.walking_minutes),
        whole(w.sitting_minutes),
        one(w.sleep_quality),
        w.opioid_doses.to_string(),
        w.adherence
            .percent()
            .map_or_else(|| "–".to_owned(), |p| format!("{p:.0}%")),
        w.warning_days.to_string(),
        w.milestones_reached.join(", "),
    ]
}

#[cfg(test)]
mod paper_tests {
    use super::Paper;

    #[test]
    fn the_locale_chooses_the_paper() {
        assert_eq!(Paper::for_locale("en-US"), Paper::Letter);
        assert_eq!(Paper::for_locale("fr_CA.UTF-8"), Paper::Letter);
        assert_eq!(Paper::for_locale("en-GB"), Paper::A4);
        assert_eq!(Paper::for_locale("de_DE@euro"), Paper::A4);
        assert_eq!(Paper::for_locale("C"), Paper::A4);
        assert_eq!(Paper::for_locale(""), Paper::A4);
    }
}
