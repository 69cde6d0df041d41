//! Day-by-day series for charts.

/// The average of the values in the `window` days ending on each day that
/// has a value, given `(day, value)` pairs sorted by day. Days whose window
/// holds fewer than `min_values` values are left out, so a sparse stretch
/// does not draw a confident line.
pub fn rolling_average(values: &[(i64, f64)], window: i64, min_values: usize) -> Vec<(i64, f64)> {
    let mut out = Vec::with_capacity(values.len());
    let mut start = 0;
    let mut sum = 0.0;
    for (end, &(day, value)) in values.iter().enumerate() {
        sum += value;
        while let Some(&(first_day, first_value)) = values.get(start) {
            if first_day > day - window {
                break;
            }
            sum -= first_value;
            start += 1;
        }
        let count = end + 1 - start;
        if count >= min_values {
            out.push((day, sum / count as f64));
        }
    }
    out
}

/// Weakness over time, as a patient rated it on the days they answered
/// the nerve questions: the steps of a step line, and in how many weeks
/// since surgery it was present. It has no expected course: no published
/// curve fits a four-level self-rating.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeaknessCourse {
    /// (days since surgery, level 0–3), one per answered day, oldest first.
    pub steps: Vec<(i64, u8)>,
    /// Weeks since surgery with any weakness, in order.
    pub weeks_present: Vec<i64>,
    /// The latest answered day, its weakness and side.
    pub latest: Option<(
        chrono::NaiveDate,
        crate::model::Weakness,
        Option<crate::model::Side>,
    )>,
}

impl WeaknessCourse {
    pub fn of(patient: &crate::model::Patient, check_ins: &[crate::model::CheckIn]) -> Self {
        let mut course = WeaknessCourse::default();
        for c in check_ins {
            let Some(n) = c.nerves else { continue };
            course
                .steps
                .push((patient.days_since_surgery(c.day), n.weakness.level()));
            let week = patient.week_since_surgery(c.day);
            if n.weakness.level() > 0 && course.weeks_present.last() != Some(&week) {
                course.weeks_present.push(week);
            }
            course.latest = Some((c.day, n.weakness, n.weakness_side));
        }
        course
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seven_day_window_ignores_older_days_and_gaps() {
        let values = [(1, 4.0), (2, 6.0), (3, 5.0), (9, 1.0), (10, 3.0), (11, 2.0)];
        let averages = rolling_average(&values, 7, 3);
        // Day 3: days 1–3. Day 9: days 3–9 has only 2 values. Day 10: 9, 10
        // plus nothing older than day 4. Day 11: 9, 10, 11.
        assert_eq!(averages, vec![(3, 5.0), (11, 2.0)]);
        let loose = rolling_average(&values, 7, 1);
        assert_eq!(loose[3], (9, 3.0), "day 9 averages days 3 and 9");
    }

    #[test]
    fn an_empty_series_has_no_average() {
        assert!(rolling_average(&[], 7, 1).is_empty());
    }

    #[test]
    fn weakness_is_a_step_per_answered_day_and_its_weeks_are_counted() {
        use crate::model::{CheckIn, NerveSymptoms, Patient, Side, Weakness};
        let surgery = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("day");
        let patient = Patient {
            id: crate::model::PatientId(1),
            details: crate::model::PatientDetails {
                name: "A".to_owned(),
                date_of_birth: None,
                surgery_date: surgery,
                procedure: crate::model::Procedure::Tlif,
                approach: crate::model::Approach::Open,
                levels: String::new(),
                surgeon: None,
                clinic: None,
                team_phone: None,
                discharged_on: None,
            },
            archived: false,
            created_at: chrono::DateTime::UNIX_EPOCH,
            first_used_on: None,
        };
        let day = |n: u64, nerves: Option<NerveSymptoms>| CheckIn {
            day: surgery + chrono::Days::new(n),
            back_pain: 3,
            leg_pain: 3,
            walking_minutes: 10,
            sitting_minutes: 10,
            sleep_quality: 5,
            opioid_doses: 0,
            warning_symptoms: crate::model::WarningSymptoms::default(),
            note: String::new(),
            nerves,
            body_map: crate::model::BodyMap::default(),
        };
        let weak = |w| {
            Some(NerveSymptoms {
                weakness: w,
                weakness_side: Some(Side::Left),
                ..NerveSymptoms::NONE
            })
        };
        let check_ins = vec![
            day(2, weak(Weakness::Moderate)),
            day(3, None),
            day(9, weak(Weakness::Mild)),
            day(20, Some(NerveSymptoms::NONE)),
        ];
        let course = WeaknessCourse::of(&patient, &check_ins);
        assert_eq!(
            course.steps,
            vec![(2, 2), (9, 1), (20, 0)],
            "skipped days are no step"
        );
        assert_eq!(course.weeks_present, vec![0, 1]);
        assert_eq!(
            course.latest.map(|(d, w, _)| (d, w)),
            Some((surgery + chrono::Days::new(20), Weakness::None))
        );
    }
}
