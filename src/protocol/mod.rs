//! The recovery protocol as data: expected curves with their spread and
//! sources, meaningful-change thresholds, the early watch and the realistic
//! expectations, read from `assets/protocols/lumbar-fusion.toml`. A change
//! of numbers is a change of that file, never of code.

use crate::model::{Approach, Cohort, MetricKey};
use serde::Deserialize;
use std::path::Path;
use strum::VariantArray;

/// The protocol built into the binary.
pub const EMBEDDED_TOML: &str = include_str!("../../assets/protocols/lumbar-fusion.toml");

#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("cannot read the protocol file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the protocol file is not valid: {0}")]
    Parse(String),
    #[error("the protocol file is not usable: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
}

/// Which approach a curve describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveApproach {
    Open,
    Mis,
    Lateral,
    Anterior,
    /// Sources do not differ by approach.
    Any,
}

impl CurveApproach {
    fn cohort(self) -> Option<Cohort> {
        match self {
            CurveApproach::Open => Some(Cohort::Open),
            CurveApproach::Mis => Some(Cohort::Mis),
            CurveApproach::Lateral => Some(Cohort::Lateral),
            CurveApproach::Anterior => Some(Cohort::Anterior),
            CurveApproach::Any => None,
        }
    }
}

/// The protocol file format this build writes. Version 2 added numbness and
/// tingling, lateral and anterior curves, starting points and milestone
/// windows, per-approach thresholds and expectations.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format still read: a version-1 file has no nerve metrics (no
/// expectation is drawn for them) and no lateral or anterior data (those
/// patients get the minimally invasive and open figures).
pub const OLDEST_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    pub name: String,
    pub version: u32,
    pub method: String,
    pub band: Band,
    pub early_watch: EarlyWatch,
    pub acceptable_state: AcceptableState,
    pub expectations: Vec<Expectation>,
    pub metrics: Vec<Metric>,
    pub milestones: Vec<MilestoneSpec>,
    pub phases: Vec<Phase>,
    /// When the clinic's outcome questionnaires are asked; none in a
    /// protocol file that lists none.
    #[serde(default)]
    pub check_ups: Vec<CheckUpSpec>,
}

/// An outcome check-up: its day since surgery (negative before it) and the
/// window of days in which an answer counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckUpSpec {
    pub key: String,
    /// "3-month", as in "Your 3-month check-up questions are due".
    pub label: String,
    pub day: i32,
    pub window: [i32; 2],
    pub source: String,
}

/// A milestone with its expected window in days since surgery.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneSpec {
    pub key: String,
    pub label: String,
    pub mis: [u16; 2],
    pub open: [u16; 2],
    /// Without a source of its own, a lateral fusion takes the minimally
    /// invasive window and an anterior one the open window, as assumptions.
    pub lateral: Option<[u16; 2]>,
    pub anterior: Option<[u16; 2]>,
    pub source: String,
    /// The whole milestone is an assumption.
    #[serde(default)]
    pub assumption: bool,
    /// The windows of these approaches are assumptions (the source says why).
    #[serde(default)]
    pub assumed: Vec<CurveApproach>,
}

impl MilestoneSpec {
    pub fn window(&self, approach: Approach) -> [u16; 2] {
        match approach.cohort() {
            Cohort::Open => self.open,
            Cohort::Mis => self.mis,
            Cohort::Lateral => self.lateral.unwrap_or(self.mis),
            Cohort::Anterior => self.anterior.unwrap_or(self.open),
        }
    }

    /// Whether the window for this approach is an assumption rather than a
    /// published figure for it.
    pub fn window_is_assumed(&self, approach: Approach) -> bool {
        let cohort = approach.cohort();
        let borrowed = match cohort {
            Cohort::Open | Cohort::Mis => false,
            Cohort::Lateral => self.lateral.is_none(),
            Cohort::Anterior => self.anterior.is_none(),
        };
        self.assumption
            || approach == Approach::NotSure
            || borrowed
            || self.assumed.iter().any(|a| a.cohort() == Some(cohort))
    }

    fn windows(&self) -> impl Iterator<Item = [u16; 2]> {
        [Some(self.mis), Some(self.open), self.lateral, self.anterior]
            .into_iter()
            .flatten()
    }
}

/// A rehabilitation phase: its days, restrictions and exercises.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub key: String,
    pub label: String,
    /// First day of the phase, days since surgery.
    pub from_day: u32,
    /// First day after the phase.
    pub to_day: u32,
    pub restrictions: Vec<String>,
    pub source: String,
    pub exercises: Vec<ExerciseSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseSpec {
    pub key: String,
    pub name: String,
    pub instructions: Vec<String>,
    pub sets: u8,
    pub reps: Option<u8>,
    pub hold_seconds: Option<u16>,
    pub minutes: Option<u16>,
    pub times_per_day: u8,
    pub cautions: Vec<String>,
}

impl ExerciseSpec {
    pub fn dose(&self) -> crate::model::Dose {
        crate::model::Dose {
            sets: self.sets,
            reps: self.reps,
            hold_seconds: self.hold_seconds,
            minutes: self.minutes,
            times_per_day: self.times_per_day,
        }
    }
}

/// How wide the expected band is drawn.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Standard deviations either side of the median (0.674: the middle half).
    pub z: f64,
    pub label: String,
    pub source: String,
}

/// At 6–12 weeks, pain above these predicts missing the one-year
/// improvement; shown as "worth discussing", never as a diagnosis.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlyWatch {
    pub from_day: u32,
    pub to_day: u32,
    pub back_pain_above: f64,
    pub leg_pain_above: f64,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptableState {
    pub odi_below: f64,
    pub at_day: u32,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub text: String,
    pub source: String,
    /// The approaches it is about; empty for every approach.
    #[serde(default)]
    pub approaches: Vec<CurveApproach>,
}

impl Expectation {
    pub fn applies_to(&self, approach: Approach) -> bool {
        let cohort = approach.cohort();
        self.approaches.is_empty() || self.approaches.iter().any(|a| a.cohort() == Some(cohort))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub key: MetricKey,
    pub label: String,
    /// Unit for axes and text, e.g. "points" or "minutes".
    pub unit: String,
    pub better: Better,
    pub min: f64,
    pub max: f64,
    pub mcid: Option<Mcid>,
    /// Where an approach has its own published threshold.
    #[serde(default)]
    pub mcid_by_approach: Vec<ApproachMcid>,
    /// Where a patient without a recorded baseline starts; `None` when no
    /// source gives one (the metric then has no expectation for them).
    pub cohort_baseline: Option<CohortBaseline>,
    pub curves: Vec<Curve>,
    pub spread: Vec<SpreadPoint>,
}

/// The smallest change that patients notice as meaningful.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mcid {
    /// Improvement in the metric's own units.
    pub points: f64,
    /// Or, where a relative threshold is also used, this fraction of baseline.
    pub fraction: Option<f64>,
    pub source: String,
    /// No threshold was published for this case; `source` says what stands in.
    #[serde(default)]
    pub assumption: bool,
}

/// A meaningful-change threshold of one approach.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachMcid {
    pub approach: CurveApproach,
    pub points: f64,
    pub fraction: Option<f64>,
    pub source: String,
    #[serde(default)]
    pub assumption: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortBaseline {
    pub open: f64,
    pub mis: f64,
    /// Required from format 2 on.
    pub lateral: Option<f64>,
    pub anterior: Option<f64>,
    pub source: String,
}

/// One cohort's values over time, in that source's own scale.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curve {
    pub approach: CurveApproach,
    /// What the values are, e.g. "NRS 0–10, cohort mean".
    pub scale: String,
    pub source: String,
    pub points: Vec<CurvePoint>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurvePoint {
    pub day: u32,
    pub value: f64,
    /// Where this point comes from when it is not the curve's source
    /// (another paper, or an assumption and its reasoning).
    pub source: Option<String>,
    #[serde(default)]
    pub assumption: bool,
}

/// Standard deviation of the change from baseline at a day, in the scale of
/// the curves of the same approach.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpreadPoint {
    pub day: u32,
    pub sd: f64,
    pub source: String,
    #[serde(default)]
    pub assumption: bool,
}

impl Protocol {
    /// The built-in protocol. It is checked by the tests, so failure here
    /// means a broken build, but it is still reported rather than panicking.
    pub fn embedded() -> Result<Self, ProtocolError> {
        Self::from_toml(EMBEDDED_TOML)
    }

    pub fn from_file(path: &Path) -> Result<Self, ProtocolError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProtocolError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_toml(&text)
    }

    pub fn from_toml(text: &str) -> Result<Self, ProtocolError> {
        let protocol: Protocol =
            toml::from_str(text).map_err(|e| ProtocolError::Parse(e.to_string()))?;
        protocol.check()?;
        Ok(protocol)
    }

    pub fn metric(&self, key: MetricKey) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.key == key)
    }

    pub fn milestone(&self, key: &str) -> Option<&MilestoneSpec> {
        self.milestones.iter().find(|m| m.key == key)
    }

    /// The phase a day since surgery falls in (the first before surgery).
    pub fn phase_on(&self, days_since_surgery: i64) -> Option<&Phase> {
        let day = u32::try_from(days_since_surgery.max(0)).unwrap_or(u32::MAX);
        self.phases
            .iter()
            .find(|p| p.from_day <= day && day < p.to_day)
            .or_else(|| self.phases.last())
    }

    /// An exercise of the library by key, with its latest description.
    pub fn exercise(&self, key: &str) -> Option<&ExerciseSpec> {
        self.phases
            .iter()
            .rev()
            .flat_map(|p| p.exercises.iter())
            .find(|e| e.key == key)
    }

    /// Every exercise of every phase, once each, for the plan editor.
    pub fn exercise_library(&self) -> Vec<&ExerciseSpec> {
        let mut seen = std::collections::HashSet::new();
        self.phases
            .iter()
            .flat_map(|p| p.exercises.iter())
            .filter(|e| seen.insert(e.key.as_str()))
            .collect()
    }

    /// Every number must be traceable: a protocol with a value and no
    /// source, or curves that cannot be interpolated, is refused.
    fn check(&self) -> Result<(), ProtocolError> {
        let invalid = |m: String| Err(ProtocolError::Invalid(m));
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&self.version) {
            return invalid(format!(
                "it is format version {}, and this version of the app reads versions \
                 {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}",
                self.version
            ));
        }
        if self.band.z.is_nan() || self.band.z <= 0.0 || self.band.source.trim().is_empty() {
            return invalid("the band needs a positive z and a source".into());
        }
        for (what, source) in [
            ("early_watch", &self.early_watch.source),
            ("acceptable_state", &self.acceptable_state.source),
        ] {
            if source.trim().is_empty() {
                return invalid(format!("{what} has no source"));
            }
        }
        if let Some(e) = self
            .expectations
            .iter()
            .find(|e| e.source.trim().is_empty())
        {
            return invalid(format!("the expectation \"{}\" has no source", e.text));
        }
        // "any" would show an expectation to nobody: leave `approaches` out.
        if let Some(e) = self
            .expectations
            .iter()
            .find(|e| e.approaches.contains(&CurveApproach::Any))
        {
            return invalid(format!(
                "the expectation \"{}\" names \"any\": leave approaches out for every approach",
                e.text
            ));
        }
        for &key in MetricKey::VARIANTS {
            match self.metric(key) {
                Some(metric) => metric.check(self.version)?,
                None if self.version < 2
                    && matches!(key, MetricKey::Numbness | MetricKey::Tingling) => {}
                None => return invalid(format!("no metric \"{}\"", key.code())),
            }
        }
        let mut keys = std::collections::HashSet::new();
        for m in &self.milestones {
            if m.source.trim().is_empty() {
                return invalid(format!("the milestone {} has no source", m.key));
            }
            if !keys.insert(m.key.as_str()) || m.key.starts_with(crate::model::CUSTOM_PREFIX) {
                return invalid(format!(
                    "the milestone key {} is used twice or reserved",
                    m.key
                ));
            }
            if m.windows().any(|[from, to]| from > to) {
                return invalid(format!(
                    "the milestone {} has a window that ends before it starts",
                    m.key
                ));
            }
        }
        if self.phases.is_empty() || self.phases.first().map(|p| p.from_day) != Some(0) {
            return invalid("the exercise phases must start at day 0".into());
        }
        for pair in self.phases.windows(2) {
            if pair[0].to_day != pair[1].from_day {
                return invalid(format!(
                    "the phase {} must end where {} starts",
                    pair[0].key, pair[1].key
                ));
            }
        }
        self.check_check_ups()?;
        for phase in &self.phases {
            if phase.source.trim().is_empty() {
                return invalid(format!("the phase {} has no source", phase.key));
            }
            for e in &phase.exercises {
                e.dose()
                    .validate()
                    .map_err(|err| ProtocolError::Invalid(format!("exercise {}: {err}", e.key)))?;
                if e.key.starts_with(crate::model::CUSTOM_PREFIX) {
                    return invalid(format!("the exercise key {} is reserved", e.key));
                }
            }
        }
        Ok(())
    }
}

impl Protocol {
    /// Each check-up has a source, lies in its window, and ends before the
    /// next one opens.
    fn check_check_ups(&self) -> Result<(), ProtocolError> {
        let invalid = |m: String| Err(ProtocolError::Invalid(m));
        for c in &self.check_ups {
            if c.source.trim().is_empty() {
                return invalid(format!("the check-up {} has no source", c.key));
            }
            if !(c.window[0] <= c.day && c.day <= c.window[1]) {
                return invalid(format!(
                    "the check-up {} is on day {}, outside its window {} to {}",
                    c.key, c.day, c.window[0], c.window[1]
                ));
            }
        }
        for pair in self.check_ups.windows(2) {
            if pair[0].window[1] >= pair[1].window[0] {
                return invalid(format!(
                    "the check-up {} must end before {} starts",
                    pair[0].key, pair[1].key
                ));
            }
        }
        Ok(())
    }
}

impl Metric {
    fn check(&self, version: u32) -> Result<(), ProtocolError> {
        let name = self.key.code();
        let invalid = |m: String| Err(ProtocolError::Invalid(format!("{name}: {m}")));
        if self
            .mcid
            .as_ref()
            .is_some_and(|m| m.source.trim().is_empty())
        {
            return invalid("the meaningful change has no source".into());
        }
        if let Some(m) = self
            .mcid_by_approach
            .iter()
            .find(|m| m.source.trim().is_empty() || m.approach == CurveApproach::Any)
        {
            return invalid(format!(
                "the {:?} meaningful change needs one approach and a source",
                m.approach
            ));
        }
        let mut seen = Vec::new();
        for m in &self.mcid_by_approach {
            if seen.contains(&m.approach) {
                return invalid(format!(
                    "two meaningful changes for the {:?} approach",
                    m.approach
                ));
            }
            seen.push(m.approach);
        }
        if self
            .cohort_baseline
            .as_ref()
            .is_some_and(|b| b.source.trim().is_empty())
        {
            return invalid("the cohort baseline has no source".into());
        }
        // Format 1 knew two cohorts; the others borrow theirs (see `curve`).
        let required = if version < 2 {
            &[Cohort::Open, Cohort::Mis][..]
        } else {
            Cohort::VARIANTS
        };
        for &cohort in required {
            if self.own_curve(cohort).is_none() {
                return invalid(format!("no curve for {}", cohort.words()));
            }
        }
        if version >= 2
            && self
                .cohort_baseline
                .as_ref()
                .is_some_and(|b| b.lateral.is_none() || b.anterior.is_none())
        {
            return invalid("the cohort baseline needs lateral and anterior values".into());
        }
        for curve in &self.curves {
            if curve.source.trim().is_empty() {
                return invalid(format!("a {:?} curve has no source", curve.approach));
            }
            if curve.points.first().map(|p| p.day) != Some(0) {
                return invalid("every curve starts at day 0 (before surgery)".into());
            }
            if curve.points.first().is_some_and(|p| p.value <= 0.0) {
                return invalid("a curve's day-0 value must be above 0".into());
            }
            if curve.points.windows(2).any(|w| w[0].day >= w[1].day) {
                return invalid("curve points must be in increasing day order".into());
            }
            if let Some(p) = curve
                .points
                .iter()
                .find(|p| p.source.as_ref().is_some_and(|s| s.trim().is_empty()))
            {
                return invalid(format!("the point at day {} has an empty source", p.day));
            }
            if let Some(p) = curve
                .points
                .iter()
                .find(|p| p.assumption && p.source.is_none())
            {
                return invalid(format!(
                    "the assumed point at day {} must say what it assumes",
                    p.day
                ));
            }
        }
        if self.spread.windows(2).any(|w| w[0].day >= w[1].day) {
            return invalid("spread points must be in increasing day order".into());
        }
        if let Some(s) = self
            .spread
            .iter()
            .find(|s| s.source.trim().is_empty() || s.sd < 0.0)
        {
            return invalid(format!(
                "the spread at day {} needs a source and sd ≥ 0",
                s.day
            ));
        }
        Ok(())
    }

    /// The curve for an approach: its own if the sources differ, else "any";
    /// in a format-1 file, lateral borrows the minimally invasive curve and
    /// anterior the open one.
    pub fn curve(&self, approach: Approach) -> Option<&Curve> {
        let cohort = approach.cohort();
        self.own_curve(cohort).or_else(|| match cohort {
            Cohort::Lateral => self.own_curve(Cohort::Mis),
            Cohort::Anterior => self.own_curve(Cohort::Open),
            Cohort::Open | Cohort::Mis => None,
        })
    }

    fn own_curve(&self, cohort: Cohort) -> Option<&Curve> {
        self.curves
            .iter()
            .find(|c| c.approach.cohort() == Some(cohort))
            .or_else(|| {
                self.curves
                    .iter()
                    .find(|c| c.approach == CurveApproach::Any)
            })
    }

    pub fn cohort_baseline_for(&self, approach: Approach) -> Option<f64> {
        self.cohort_baseline
            .as_ref()
            .map(|b| match approach.cohort() {
                Cohort::Open => b.open,
                Cohort::Mis => b.mis,
                Cohort::Lateral => b.lateral.unwrap_or(b.mis),
                Cohort::Anterior => b.anterior.unwrap_or(b.open),
            })
    }

    /// The meaningful-change threshold for an approach: its own where one
    /// was published, else the metric's.
    pub fn mcid_for(&self, approach: Approach) -> Option<Mcid> {
        let cohort = Some(approach.cohort());
        self.mcid_by_approach
            .iter()
            .find(|m| m.approach.cohort() == cohort)
            .map(|m| Mcid {
                points: m.points,
                fraction: m.fraction,
                source: m.source.clone(),
                assumption: m.assumption,
            })
            .or_else(|| self.mcid.clone())
    }
}

impl Curve {
    /// The cohort's value before surgery, which the curve is relative to.
    pub fn start(&self) -> f64 {
        self.points.first().map_or(1.0, |p| p.value)
    }
}

#[cfg(test)]
mod tests;
