use super::*;
use crate::analysis::trajectory::interpolate;
use strum::VariantArray;

fn protocol() -> Protocol {
    match Protocol::embedded() {
        Ok(p) => p,
        Err(e) => panic!("the embedded protocol is broken: {e}"),
    }
}

#[test]
fn the_embedded_protocol_loads_with_every_metric_and_approach() {
    let p = protocol();
    for &key in MetricKey::VARIANTS {
        let metric = p.metric(key).expect("metric present");
        for &approach in Approach::VARIANTS {
            assert!(metric.curve(approach).is_some(), "{key:?} {approach:?}");
        }
    }
}

#[test]
fn every_curve_number_has_a_source() {
    let p = protocol();
    for metric in &p.metrics {
        for curve in &metric.curves {
            assert!(!curve.source.trim().is_empty());
            for point in &curve.points {
                let source = point.source.as_deref().unwrap_or(&curve.source);
                assert!(
                    source.trim().len() > 10,
                    "{:?} day {} has no real source",
                    metric.key,
                    point.day
                );
                if point.assumption {
                    assert!(point.source.is_some(), "an assumption explains itself");
                }
            }
        }
        for spread in &metric.spread {
            assert!(spread.source.trim().len() > 10, "{:?} spread", metric.key);
        }
        if let Some(mcid) = &metric.mcid {
            assert!(!mcid.source.trim().is_empty());
        }
    }
}

/// The embedded file with the first line that starts with `prefix` replaced.
fn with_line_replaced(prefix: &str, replacement: &str) -> String {
    let mut done = false;
    let lines: Vec<&str> = EMBEDDED_TOML
        .lines()
        .map(|line| {
            if !done && line.starts_with(prefix) {
                done = true;
                replacement
            } else {
                line
            }
        })
        .collect();
    assert!(done, "no line starts with {prefix:?}");
    lines.join("\n")
}

#[test]
fn a_protocol_with_a_point_without_source_is_refused() {
    // A curve without its source line does not parse at all.
    let no_source = with_line_replaced("source = \"Percutaneous TLIF", "");
    assert!(matches!(
        Protocol::from_toml(&no_source),
        Err(ProtocolError::Parse(_))
    ));
    // An empty source parses but is refused.
    let empty_source = with_line_replaced("source = \"Change at 12 months", "source = \" \"");
    assert!(matches!(
        Protocol::from_toml(&empty_source),
        Err(ProtocolError::Invalid(_))
    ));
    // An assumed point must say what it assumes.
    let bare_assumption = with_line_replaced(
        "    { day = 7, value = 5.1, assumption = true",
        "    { day = 7, value = 5.1, assumption = true },",
    );
    assert!(matches!(
        Protocol::from_toml(&bare_assumption),
        Err(ProtocolError::Invalid(_))
    ));
    // Unchanged, it loads.
    assert!(Protocol::from_toml(&with_line_replaced("name = ", "name = \"Same\"")).is_ok());
}

#[test]
fn curves_reproduce_every_source_value_at_its_own_day() {
    let p = protocol();
    for metric in &p.metrics {
        for curve in &metric.curves {
            let points: Vec<(f64, f64)> = curve
                .points
                .iter()
                .map(|p| (f64::from(p.day), p.value))
                .collect();
            for point in &curve.points {
                let got = interpolate(&points, f64::from(point.day));
                assert!(
                    (got - point.value).abs() < 1e-9,
                    "{:?} {:?} day {}: {got} ≠ {}",
                    metric.key,
                    curve.approach,
                    point.day,
                    point.value
                );
            }
        }
    }
}

#[test]
fn interpolation_is_monotone_between_monotone_points() {
    let p = protocol();
    for metric in &p.metrics {
        for curve in &metric.curves {
            let points: Vec<(f64, f64)> = curve
                .points
                .iter()
                .map(|p| (f64::from(p.day), p.value))
                .collect();
            for pair in points.windows(2) {
                let ((d0, v0), (d1, v1)) = (pair[0], pair[1]);
                let rising = v1 >= v0;
                let mut previous = v0;
                let mut day = d0;
                while day <= d1 {
                    let v = interpolate(&points, day);
                    let ok = if rising {
                        v >= previous - 1e-9
                    } else {
                        v <= previous + 1e-9
                    };
                    assert!(ok, "{:?} not monotone at day {day}", metric.key);
                    assert!(v >= v0.min(v1) - 1e-9 && v <= v0.max(v1) + 1e-9);
                    previous = v;
                    day += 0.5;
                }
            }
        }
    }
}

#[test]
fn a_protocol_file_can_be_loaded_from_disk() {
    let dir = std::env::temp_dir().join(format!("rt-protocol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("p.toml");
    std::fs::write(&path, EMBEDDED_TOML.replace("z = 0.674", "z = 1.0")).expect("write");
    let loaded = Protocol::from_file(&path).expect("loads");
    assert_eq!(loaded.band.z, 1.0);
    assert!(matches!(
        Protocol::from_file(&dir.join("missing.toml")),
        Err(ProtocolError::Read { .. })
    ));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn each_approach_has_its_own_cohort_and_not_sure_is_compared_with_open_surgery() {
    let p = protocol();
    let back = p.metric(MetricKey::BackPain).expect("back pain");
    let source = |a: Approach| back.curve(a).map(|c| c.source.clone());
    // Four cohorts, four different curves.
    let cohorts: std::collections::HashSet<_> = [
        Approach::Open,
        Approach::MinimallyInvasive,
        Approach::Lateral,
        Approach::Anterior,
    ]
    .into_iter()
    .map(source)
    .collect();
    assert_eq!(cohorts.len(), 4);
    assert_eq!(source(Approach::NotSure), source(Approach::Open));
    assert_eq!(back.cohort_baseline_for(Approach::Lateral), Some(7.5));
    assert_eq!(
        back.cohort_baseline_for(Approach::NotSure),
        back.cohort_baseline_for(Approach::Open)
    );
    // Lateral and anterior back pain have thresholds of their own; the
    // posterior approaches share the metric's.
    let mcid = |a: Approach| back.mcid_for(a).map(|m| m.points);
    assert_eq!(mcid(Approach::Lateral), Some(4.6));
    assert_eq!(mcid(Approach::Anterior), Some(3.2));
    assert_eq!(mcid(Approach::Open), back.mcid.as_ref().map(|m| m.points));
    assert_eq!(mcid(Approach::NotSure), mcid(Approach::Open));
}

#[test]
fn milestone_windows_fall_back_and_say_when_they_are_assumed() {
    let p = protocol();
    let home = p.milestone("home").expect("home");
    assert_eq!(home.window(Approach::Lateral), [1, 5]);
    assert!(
        !home.window_is_assumed(Approach::Lateral),
        "a published window"
    );
    assert_eq!(home.window(Approach::Anterior), [3, 7]);
    assert!(home.window_is_assumed(Approach::Anterior), "marked assumed");
    assert!(!home.window_is_assumed(Approach::MinimallyInvasive));
    assert_eq!(home.window(Approach::NotSure), home.window(Approach::Open));
    assert!(home.window_is_assumed(Approach::NotSure));
    // A milestone without lateral or anterior windows borrows the posterior
    // ones, and says so.
    let borrowed = p
        .milestones
        .iter()
        .find(|m| m.lateral.is_none() && !m.assumption)
        .expect("a milestone without a lateral window");
    assert_eq!(borrowed.window(Approach::Lateral), borrowed.mis);
    assert_eq!(borrowed.window(Approach::Anterior), borrowed.open);
    assert!(borrowed.window_is_assumed(Approach::Lateral));
    assert!(borrowed.window_is_assumed(Approach::Anterior));
    assert!(!borrowed.window_is_assumed(Approach::Open));
}

#[test]
fn expectations_about_one_approach_are_shown_only_for_it() {
    let p = protocol();
    let thigh = |a: Approach| {
        p.expectations
            .iter()
            .filter(|e| e.applies_to(a))
            .any(|e| e.text.contains("front of the thigh"))
    };
    assert!(thigh(Approach::Lateral));
    assert!(!thigh(Approach::MinimallyInvasive));
    assert!(!thigh(Approach::NotSure));
    let general = p
        .expectations
        .iter()
        .filter(|e| e.approaches.is_empty())
        .count();
    for &a in Approach::VARIANTS {
        assert!(p.expectations.iter().filter(|e| e.applies_to(a)).count() >= general);
    }
}

#[test]
fn a_protocol_of_an_unknown_format_version_is_refused_by_name() {
    let future = with_line_replaced("version = ", "version = 3");
    match Protocol::from_toml(&future) {
        Err(ProtocolError::Invalid(message)) => assert!(message.contains("version 3"), "{message}"),
        other => panic!("refused by version, got {other:?}"),
    }
    // Format 2 needs what format 2 added.
    let without_lateral = with_line_replaced("lateral = 7.5", "");
    assert!(matches!(
        Protocol::from_toml(&without_lateral),
        Err(ProtocolError::Invalid(_))
    ));
}

#[test]
fn a_format_1_protocol_still_loads_and_lends_its_curves_to_the_new_approaches() {
    let old = Protocol::from_toml(include_str!("../../tests/fixtures/protocol-format-1.toml"))
        .expect("a format-1 file loads");
    assert_eq!(old.version, 1);
    assert!(
        old.metric(MetricKey::Numbness).is_none(),
        "no nerve metrics in format 1"
    );
    let back = old.metric(MetricKey::BackPain).expect("back pain");
    let source = |a: Approach| back.curve(a).map(|c| c.source.clone());
    assert_eq!(
        source(Approach::Lateral),
        source(Approach::MinimallyInvasive)
    );
    assert_eq!(source(Approach::Anterior), source(Approach::Open));
    assert_eq!(
        back.cohort_baseline_for(Approach::Lateral),
        back.cohort_baseline_for(Approach::MinimallyInvasive)
    );
}

#[test]
fn an_expectation_for_any_approach_and_a_doubled_threshold_are_refused() {
    let any = with_line_replaced("approaches = [\"lateral\"]", "approaches = [\"any\"]");
    assert!(matches!(
        Protocol::from_toml(&any),
        Err(ProtocolError::Invalid(m)) if m.contains("\"any\"")
    ));
    let doubled = with_line_replaced("approach = \"anterior\"", "approach = \"lateral\"");
    assert!(matches!(
        Protocol::from_toml(&doubled),
        Err(ProtocolError::Invalid(m)) if m.contains("two meaningful changes")
    ));
}
