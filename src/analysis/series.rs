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
}
