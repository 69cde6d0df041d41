//! Importing a JSON document into an installation that may already know
//! the patient (a physiotherapist's laptop): rows it lacks are added, rows
//! it has are kept, and every day where the two differ is reported. Nothing
//! here writes; [`apply`] does, in one transaction.

use super::ExchangeError;
use super::json::Document;
use crate::model::{CheckIn, PatientId, PatientRecord};
use crate::store::{ImportAction, Store};
use chrono::NaiveDate;

/// Where a patient of the document goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    New,
    Existing(PatientId),
}

/// A row present on both sides with different values; the installation's
/// value is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub what: String,
    pub day: Option<NaiveDate>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientPlan {
    pub from_file: PatientId,
    pub name: String,
    pub target: Target,
    /// What will be stored: everything for a new patient, only the missing
    /// rows for an existing one.
    pub to_add: PatientRecord,
    pub identical: usize,
    pub conflicts: Vec<Conflict>,
    pub source: Source,
}

/// Where the document came from, as the plan says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A file the person chose.
    File,
    /// A clinic's FHIR server (`sync pull`).
    Server,
}

impl Source {
    /// "file", "server".
    pub fn name(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Server => "server",
        }
    }

    /// Both values of a conflict: "3 here, 1 on the server".
    fn both(self, here: impl std::fmt::Display, there: impl std::fmt::Display) -> String {
        let place = match self {
            Self::File => "in the file",
            Self::Server => "on the server",
        };
        format!("{here} here, {there} {place}")
    }
}

/// How the document's patients are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Merge into a patient with the same name and surgery date, else new.
    ByNameAndSurgery,
    /// Always add as new patients.
    AllNew,
    /// A one-patient document merged into this patient.
    Into(PatientId),
}

fn check_in_differences(here: &CheckIn, there: &CheckIn, source: Source) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name} {}", source.both(a, b)));
        }
    };
    field(
        "back pain",
        here.back_pain.to_string(),
        there.back_pain.to_string(),
    );
    field(
        "leg pain",
        here.leg_pain.to_string(),
        there.leg_pain.to_string(),
    );
    field(
        "walking minutes",
        here.walking_minutes.to_string(),
        there.walking_minutes.to_string(),
    );
    field(
        "sitting minutes",
        here.sitting_minutes.to_string(),
        there.sitting_minutes.to_string(),
    );
    field(
        "sleep quality",
        here.sleep_quality.to_string(),
        there.sleep_quality.to_string(),
    );
    field(
        "opioid doses",
        here.opioid_doses.to_string(),
        there.opioid_doses.to_string(),
    );
    field(
        "warning symptoms",
        here.warning_symptoms.to_codes(),
        there.warning_symptoms.to_codes(),
    );
    field(
        "note",
        format!("{:?}", here.note),
        format!("{:?}", there.note),
    );
    let nerves = |c: &CheckIn| {
        c.nerves.map_or_else(
            || "not answered".to_owned(),
            |n| {
                format!(
                    "numbness {}, tingling {}, weakness {}{}",
                    n.numbness,
                    n.tingling,
                    n.weakness.code(),
                    n.weakness_side
                        .map_or_else(String::new, |side| format!(" ({})", side.code()))
                )
            },
        )
    };
    field("nerves", nerves(here), nerves(there));
    let map = |c: &CheckIn| {
        c.body_map
            .to_code()
            .unwrap_or_else(|| "nothing marked".to_owned())
    };
    field("body map", map(here), map(there));
    out
}

/// "from 2026-01-05", "from 2026-01-05 to 2026-03-01".
fn asked(from: chrono::NaiveDate, to: Option<chrono::NaiveDate>) -> String {
    to.map_or_else(
        || format!("from {from}"),
        |to| format!("from {from} to {to}"),
    )
}

/// The PSFS part of [`diff`]: activities by name, ratings by day and
/// activity, added under the name as this installation spells it.
fn diff_psfs(
    existing: &PatientRecord,
    incoming: &PatientRecord,
    add: &mut PatientRecord,
    identical: &mut usize,
    conflicts: &mut Vec<Conflict>,
    source: Source,
) {
    for a in &incoming.psfs_activities {
        match existing
            .psfs_activities
            .iter()
            .find(|e| e.is_named(&a.name))
        {
            None => add.psfs_activities.push(a.clone()),
            Some(e) if e.added_on == a.added_on && e.retired_on == a.retired_on => *identical += 1,
            Some(e) => conflicts.push(Conflict {
                what: format!("PSFS activity \"{}\"", a.name),
                day: Some(a.added_on),
                detail: format!(
                    "asked {}",
                    source.both(
                        asked(e.added_on, e.retired_on),
                        asked(a.added_on, a.retired_on)
                    )
                ),
            }),
        }
    }
    for r in &incoming.psfs_ratings {
        // Under the name as this installation spells it.
        let name = existing
            .psfs_activities
            .iter()
            .find(|e| e.is_named(&r.activity))
            .map_or_else(|| r.activity.clone(), |e| e.name.clone());
        match existing
            .psfs_ratings
            .iter()
            .find(|e| e.day == r.day && e.activity == name)
        {
            None => add.psfs_ratings.push(crate::model::PsfsRating {
                activity: name,
                ..r.clone()
            }),
            Some(e) if e.score == r.score => *identical += 1,
            Some(e) => conflicts.push(Conflict {
                what: format!("PSFS rating of \"{name}\""),
                day: Some(r.day),
                detail: source.both(e.score, r.score),
            }),
        }
    }
}

/// Splits `incoming` into rows `existing` lacks, identical rows, and
/// conflicts.
fn diff(
    existing: &PatientRecord,
    incoming: &PatientRecord,
    source: Source,
) -> (PatientRecord, usize, Vec<Conflict>) {
    let mut identical = 0;
    let mut conflicts = Vec::new();
    let mut add = PatientRecord::empty(existing.patient.clone());
    for c in &incoming.check_ins {
        match existing.check_ins.iter().find(|e| e.day == c.day) {
            None => add.check_ins.push(c.clone()),
            Some(e) if e == c => identical += 1,
            Some(e) => conflicts.push(Conflict {
                what: "check-in".into(),
                day: Some(c.day),
                detail: check_in_differences(e, c, source).join("; "),
            }),
        }
    }
    for o in &incoming.odi_entries {
        match existing.odi_entries.iter().find(|e| e.day == o.day) {
            None => add.odi_entries.push(*o),
            Some(e) if e == o => identical += 1,
            Some(e) => conflicts.push(Conflict {
                what: "ODI total".into(),
                day: Some(o.day),
                detail: source.both(e.total, o.total),
            }),
        }
    }
    for m in &incoming.milestones {
        match existing.milestones.iter().find(|e| e.key == m.key) {
            None => add.milestones.push(m.clone()),
            Some(e) if e == m => identical += 1,
            Some(e) => conflicts.push(Conflict {
                what: format!("milestone {}", m.key),
                day: m.achieved_on,
                detail: format!(
                    "reached {}",
                    source.both(
                        e.achieved_on
                            .map_or("not yet".to_owned(), |d| d.to_string()),
                        m.achieved_on
                            .map_or("not yet".to_owned(), |d| d.to_string())
                    )
                ),
            }),
        }
    }
    for item in &incoming.plan {
        let same = |e: &&crate::model::PlanItem| {
            e.exercise_key == item.exercise_key && e.start_day == item.start_day
        };
        match existing.plan.iter().find(same) {
            None => add.plan.push(item.clone()),
            Some(e) if e.dose == item.dose && e.end_day == item.end_day => identical += 1,
            Some(_) => conflicts.push(Conflict {
                what: format!("plan item {}", item.exercise_key),
                day: Some(item.start_day),
                detail: "a different dose or end here".into(),
            }),
        }
    }
    for log in &incoming.exercise_logs {
        match existing
            .exercise_logs
            .iter()
            .find(|e| e.day == log.day && e.exercise_key == log.exercise_key)
        {
            None => add.exercise_logs.push(log.clone()),
            Some(e) if e == log => identical += 1,
            Some(e) => conflicts.push(Conflict {
                what: format!("exercise log {}", log.exercise_key),
                day: Some(log.day),
                detail: source.both(
                    format!("{} sessions", e.sessions),
                    format!("{} sessions", log.sessions),
                ),
            }),
        }
    }
    add_notes_and_reviews(existing, incoming, &mut add, &mut identical);
    diff_psfs(
        existing,
        incoming,
        &mut add,
        &mut identical,
        &mut conflicts,
        source,
    );
    (add, identical, conflicts)
}

/// The part of [`diff`] that cannot conflict: visit notes and flag
/// reviews are added unless the same one is here.
fn add_notes_and_reviews(
    existing: &PatientRecord,
    incoming: &PatientRecord,
    add: &mut PatientRecord,
    identical: &mut usize,
) {
    for note in &incoming.visit_notes {
        let same = existing
            .visit_notes
            .iter()
            .any(|e| e.day == note.day && e.author == note.author && e.text == note.text);
        if same {
            *identical += 1;
        } else {
            add.visit_notes.push(note.clone());
        }
    }
    for review in &incoming.flag_reviews {
        if existing
            .flag_reviews
            .iter()
            .any(|e| e.flag_key == review.flag_key)
        {
            *identical += 1;
        } else {
            add.flag_reviews.push(review.clone());
        }
    }
}

/// Whether two names are the same person's as typed: spaces around them
/// and letter case (in any script: "ØDEGÅRD" is "Ødegård") aside.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Works out what importing `document` would do; changes nothing.
pub fn plan(
    store: &Store,
    document: &Document,
    matching: Matching,
    source: Source,
) -> Result<Vec<PatientPlan>, ExchangeError> {
    if let Matching::Into(_) = matching
        && document.patients.len() != 1
    {
        return Err(ExchangeError::Document(format!(
            "merging into one patient needs a document with one patient; this one has {}",
            document.patients.len()
        )));
    }
    let patients = store.patients()?;
    document
        .patients
        .iter()
        .map(|incoming| {
            let d = &incoming.patient.details;
            let target = match matching {
                Matching::AllNew => None,
                Matching::Into(id) => Some(
                    patients
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| p.id)
                        .ok_or(crate::store::StoreError::UnknownPatient(id))?,
                ),
                Matching::ByNameAndSurgery => patients
                    .iter()
                    .find(|p| {
                        same_name(&p.details.name, &d.name)
                            && p.details.surgery_date == d.surgery_date
                    })
                    .map(|p| p.id),
            };
            Ok(match target {
                None => PatientPlan {
                    from_file: incoming.patient.id,
                    name: d.name.clone(),
                    target: Target::New,
                    to_add: incoming.clone(),
                    identical: 0,
                    conflicts: Vec::new(),
                    source,
                },
                Some(id) => {
                    let existing = store.patient_record(id)?;
                    let (to_add, identical, conflicts) = diff(&existing, incoming, source);
                    PatientPlan {
                        from_file: incoming.patient.id,
                        name: d.name.clone(),
                        target: Target::Existing(id),
                        to_add,
                        identical,
                        conflicts,
                        source,
                    }
                }
            })
        })
        .collect()
}

/// Carries out a plan in one transaction.
pub fn apply(
    store: &mut Store,
    plans: &[PatientPlan],
    today: NaiveDate,
) -> Result<Vec<PatientId>, ExchangeError> {
    let actions: Vec<ImportAction> = plans
        .iter()
        .map(|p| match p.target {
            Target::New => ImportAction::New(p.to_add.clone()),
            Target::Existing(id) => ImportAction::AddTo(id, p.to_add.clone()),
        })
        .collect();
    Ok(store.apply_import(&actions, today)?)
}

impl PatientPlan {
    /// The plan in a few lines of plain words.
    pub fn describe(&self) -> Vec<String> {
        let source = self.source.name();
        let a = &self.to_add;
        let counts = [
            (a.check_ins.len(), "check-in", "check-ins"),
            (a.odi_entries.len(), "ODI total", "ODI totals"),
            (a.milestones.len(), "milestone", "milestones"),
            (a.plan.len(), "plan item", "plan items"),
            (a.exercise_logs.len(), "exercise log", "exercise logs"),
            (a.visit_notes.len(), "visit note", "visit notes"),
            (a.psfs_activities.len(), "PSFS activity", "PSFS activities"),
            (a.psfs_ratings.len(), "PSFS rating", "PSFS ratings"),
        ]
        .map(|(n, one, many)| crate::words::plural(n as i64, one, many))
        .join(", ");
        let mut lines = vec![match self.target {
            Target::New => format!(
                "patient {} ({}) of the {source}: new patient with {counts}",
                self.from_file, self.name
            ),
            Target::Existing(id) => format!(
                "patient {} ({}) of the {source}: merged into patient {id}: adds {counts}; {} already the same; {} (kept as they are here)",
                self.from_file,
                self.name,
                crate::words::plural(self.identical as i64, "row", "rows"),
                crate::words::plural(self.conflicts.len() as i64, "conflict", "conflicts")
            ),
        }];
        for c in &self.conflicts {
            let day = c.day.map_or_else(String::new, |d| format!(" on {d}"));
            lines.push(format!("  conflict: {}{day}: {}", c.what, c.detail));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::check_in_differences;
    use crate::model::{BodySide, CheckIn, MapSymptom, Mark, Region, WarningSymptoms};

    #[test]
    fn names_match_whatever_their_case_in_any_script() {
        assert!(super::same_name("Åse Ødegård", " ÅSE ØDEGÅRD "));
        assert!(super::same_name("Ζωή Παππά", "ζωή παππά"));
        assert!(!super::same_name("Åse Ødegård", "Ase Odegard"));
    }

    #[test]
    fn a_day_that_differs_only_in_its_body_map_says_so() {
        let here = CheckIn {
            day: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("day"),
            back_pain: 3,
            leg_pain: 3,
            walking_minutes: 10,
            sitting_minutes: 10,
            sleep_quality: 5,
            opioid_doses: 0,
            warning_symptoms: WarningSymptoms::default(),
            note: String::new(),
            nerves: None,
            body_map: crate::model::BodyMap::default(),
        };
        let mut there = here.clone();
        there.body_map.set(
            Mark {
                side: BodySide::Left,
                region: Region::Calf,
                symptom: MapSymptom::Numbness,
            },
            true,
        );
        let differences = check_in_differences(&here, &there, super::Source::File);
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert!(differences[0].contains("body map"), "{differences:?}");
        assert!(
            differences[0].contains("left.calf.numbness"),
            "{differences:?}"
        );
    }
}
