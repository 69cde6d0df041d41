//! Realistic, reproducible demo data: patients whose check-ins follow a
//! plausible recovery after fusion (pain falling fast early and levelling
//! off, walking and sitting tolerance growing, opioids tapering), with
//! day-to-day noise, missed days and the occasional warning symptom.
//! The same seed and day give the same data.

use crate::analysis::program::{plan_from_protocol, prescribed_on};
use crate::model::{
    Approach, Baseline, BodyMap, BodySide, CheckIn, Dose, ExerciseLog, MapSymptom, Mark,
    MilestoneRecord, NerveSymptoms, OdiEntry, Patient, PatientDetails, PatientId, PatientRecord,
    PlanItem, Procedure, PsfsActivity, PsfsRating, Region, Side, VisitNote, WarningSymptom,
    WarningSymptoms, Weakness,
};
use crate::protocol::Protocol;
use chrono::{DateTime, Days, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub patients: usize,
    /// Days since surgery of every demo patient on `today`.
    pub days: u32,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            patients: 3,
            days: 120,
            seed: 7,
        }
    }
}

const NAMES: [&str; 12] = [
    "Margaret Ellis",
    "Tomás Okafor",
    "Ingrid Johansson",
    "Robert Nguyen",
    "Aisha Rahman",
    "Peter Walsh",
    "Helen Moreau",
    "David Kowalski",
    "Grace Adeyemi",
    "Frank Müller",
    "Susan Park",
    "Luis Ortega",
];
const LEVELS: [&str; 4] = ["L4–L5", "L5–S1", "L4–S1", "L3–L4"];
const NOTES: [&str; 8] = [
    "Walked to the end of the street.",
    "Bad night, could not get comfortable.",
    "Physio exercises done, felt stiff after.",
    "Sat through a whole meal today.",
    "Drove to the shops as a passenger.",
    "Wound looks clean, itching a bit.",
    "Tired but in good spirits.",
    "Climbed the stairs twice.",
];

const VISIT_NOTES: [&str; 5] = [
    "Wound healed well. Walking with good posture; reminded about log roll and no bending.",
    "Sitting tolerance improving. Progressed abdominal bracing; bridges next visit.",
    "Some stiffness in the mornings. Reassured; keep walking twice a day.",
    "Good progress. Started mini squats; discussed return to desk work.",
    "Pain settled after a busy week. Review lifting technique next time.",
];

/// A seeded generator with the one distribution fastrand lacks.
struct Noise(fastrand::Rng);

impl Noise {
    fn normal(&mut self, sd: f64) -> f64 {
        // Box–Muller; 1 - f64() keeps the logarithm finite.
        let u1 = 1.0 - self.0.f64();
        let u2 = self.0.f64();
        sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.0.f64()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }
}

fn score(value: f64) -> u8 {
    value.round().clamp(0.0, 10.0) as u8
}

fn minutes(value: f64) -> u16 {
    // People report tolerance in round numbers.
    ((value / 5.0).round() * 5.0).clamp(0.0, 600.0) as u16
}

/// Generates the demo patients; ids start at 1.
pub fn generate(
    protocol: &Protocol,
    options: DemoOptions,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<PatientRecord> {
    (0..options.patients)
        .map(|index| generate_patient(protocol, options, index, today, now))
        .collect()
}

/// How one demo patient recovers: where they start, how much of their pain
/// they lose, how fast.
struct Course {
    baseline: Baseline,
    /// How much of the starting pain this person loses by a year.
    relief: f64,
    /// 1.0 after minimally invasive surgery, slower after open surgery.
    pace: f64,
    walking_goal: f64,
    sitting_goal: f64,
    last_opioid_day: f64,
    surgery_date: NaiveDate,
    /// Lateral fusion: thigh numbness on the side of the approach for the
    /// first weeks.
    lateral: bool,
}

/// A day's nerve symptoms along the cohorts' course: numbness falls fast at
/// first and then slowly, keeping about a third of its starting level at a
/// year (the fourth demo patient keeps more); tingling eases by a quarter
/// and settles by about three months; the first patient has mild weakness of the left leg for
/// the first four weeks.
fn demo_nerves(c: &Course, index: usize, t: f64, noise: &mut Noise) -> NerveSymptoms {
    let start = |v: Option<u8>| f64::from(v.unwrap_or_default());
    let kept = if index == 3 { 0.6 } else { 0.36 };
    let numbness =
        start(c.baseline.numbness) * (kept + (1.0 - kept) * (-t / 70.0).exp()) + noise.normal(0.5);
    let tingling =
        start(c.baseline.tingling) * (0.76 + 0.24 * (-t / 20.0).exp()) + noise.normal(0.5);
    let weak = index == 0 && t <= 28.0;
    NerveSymptoms {
        numbness: score(numbness),
        tingling: score(tingling),
        weakness: if weak { Weakness::Mild } else { Weakness::None },
        weakness_side: weak.then_some(Side::Left),
    }
}

/// Daily check-ins along the course, with noise and missed days.
fn demo_check_ins(c: &Course, days: u32, index: usize, rng: &mut Noise) -> Vec<CheckIn> {
    let mut check_ins = Vec::new();
    // So that a physiotherapist's view has something to find: the second
    // patient stopped checking in for five days last week, the third has
    // had a pain flare for the last three days.
    let gap = (index == 1 && days >= 20).then(|| days - 9..=days - 5);
    let flare_from = if index == 2 && days >= 14 {
        days - 2
    } else {
        u32::MAX
    };
    // Nerve symptoms draw on noise of their own, so the other measures stay
    // the same for a seed as before they were added.
    let mut nerve_noise = Noise(fastrand::Rng::with_seed(0x4e45_5256 ^ index as u64));
    for day_number in 1..=days {
        if rng.chance(0.05) || gap.as_ref().is_some_and(|g| g.contains(&day_number)) {
            continue;
        }
        let flare = if day_number >= flare_from { 3.5 } else { 0.0 };
        let t = f64::from(day_number);
        let healed = 1.0 - (-t / (25.0 * c.pace)).exp();
        let leg_healed = 1.0 - (-t / (6.0 * c.pace)).exp();
        let wound_pain = 2.0 * (-t / 5.0).exp();
        let walking_start = (f64::from(c.baseline.walking_minutes) * 0.3).max(5.0);
        let mut warning_symptoms = WarningSymptoms::default();
        if rng.chance(0.01) {
            let minor = [
                WarningSymptom::Fall,
                WarningSymptom::UncontrolledPain,
                WarningSymptom::NoBowelMovement,
            ];
            warning_symptoms.set(minor[rng.0.usize(..minor.len())], true);
        }
        let opioid_doses = if t <= c.last_opioid_day {
            (4.0 * (-t / 10.0).exp() + rng.normal(0.4))
                .round()
                .clamp(0.0, 6.0) as u8
        } else {
            0
        };
        check_ins.push(CheckIn {
            day: c.surgery_date + Days::new(u64::from(day_number)),
            back_pain: score(
                f64::from(c.baseline.back_pain) * (1.0 - c.relief * healed)
                    + wound_pain
                    + flare
                    + rng.normal(0.7),
            ),
            leg_pain: score(
                f64::from(c.baseline.leg_pain) * (1.0 - (c.relief + 0.1) * leg_healed)
                    + rng.normal(0.7),
            ),
            walking_minutes: minutes(
                c.walking_goal - (c.walking_goal - walking_start) * (-t / (20.0 * c.pace)).exp()
                    + rng.normal(5.0),
            ),
            sitting_minutes: minutes(
                c.sitting_goal - (c.sitting_goal - 10.0) * (-t / (25.0 * c.pace)).exp()
                    + rng.normal(5.0),
            ),
            sleep_quality: score(4.0 + 3.5 * healed + rng.normal(1.0)),
            opioid_doses,
            warning_symptoms,
            note: if rng.chance(0.08) {
                NOTES[rng.0.usize(..NOTES.len())].to_owned()
            } else {
                String::new()
            },
            nerves: Some(demo_nerves(c, index, t, &mut nerve_noise)),
            body_map: BodyMap::default(),
        });
        if let Some(day) = check_ins.last_mut() {
            day.body_map = demo_body_map(c, index, t, day);
        }
    }
    check_ins
}

/// Where the day's symptoms are, following its scores: leg pain, numbness
/// and tingling along one nerve root (L5 in the left leg for even patients,
/// S1 in the right for odd ones), fewer places as they ease; after a
/// lateral fusion, numbness of the front and outer thigh on the left (the
/// side of the approach) for six weeks, tingling for three.
fn demo_body_map(c: &Course, index: usize, t: f64, day: &CheckIn) -> BodyMap {
    let (side, root) = if index.is_multiple_of(2) {
        (
            BodySide::Left,
            [Region::OuterShin, Region::TopOfFoot, Region::BigToe],
        )
    } else {
        (
            BodySide::Right,
            [Region::Calf, Region::Sole, Region::LittleToe],
        )
    };
    let mark = |region, symptom| Mark {
        side,
        region,
        symptom,
    };
    let mut marks = Vec::new();
    if day.leg_pain >= 3 {
        marks.push(mark(Region::Buttock, MapSymptom::Pain));
        marks.push(mark(root[0], MapSymptom::Pain));
    }
    let (numbness, tingling) = day.nerves.map_or((0, 0), |n| (n.numbness, n.tingling));
    // The further down the leg, the longer numbness stays.
    let numb_places = match numbness {
        0..=1 => 0,
        2..=3 => 1,
        4..=5 => 2,
        _ => 3,
    };
    marks.extend(
        root.iter()
            .rev()
            .take(numb_places)
            .map(|r| mark(*r, MapSymptom::Numbness)),
    );
    if tingling >= 3 {
        marks.push(mark(root[2], MapSymptom::Tingling));
    }
    if c.lateral {
        let thigh = |region, symptom| Mark {
            side: BodySide::Left,
            region,
            symptom,
        };
        if t <= 42.0 {
            marks.push(thigh(Region::FrontOfThigh, MapSymptom::Numbness));
            marks.push(thigh(Region::OuterThigh, MapSymptom::Numbness));
        }
        if t <= 21.0 {
            marks.push(thigh(Region::FrontOfThigh, MapSymptom::Tingling));
        }
    }
    marks.into_iter().collect()
}

/// How a demo patient was before surgery: real pain, little walking.
fn demo_baseline(rng: &mut Noise) -> Baseline {
    let baseline = Baseline {
        back_pain: score(rng.between(5.5, 8.5)),
        leg_pain: score(rng.between(4.0, 8.0)),
        walking_minutes: minutes(rng.between(5.0, 30.0)),
        sitting_minutes: minutes(rng.between(15.0, 45.0)),
        odi: Some(rng.between(32.0, 56.0).round() as u8),
        numbness: None,
        tingling: None,
        clinician_reason: None,
    };
    // Numbness and tingling that go with the leg pain: no draw from the
    // noise, so the other measures stay those of the seed.
    let leg = f64::from(baseline.leg_pain);
    Baseline {
        numbness: Some(score(0.7 * leg)),
        tingling: Some(score(0.5 * leg)),
        ..baseline
    }
}

/// Every approach and the usual procedures, in turn: the fourth patient
/// had a lateral fusion, the seventh an anterior one.
fn operation(index: usize) -> (Procedure, Approach) {
    let procedure = [
        Procedure::Tlif,
        Procedure::Plif,
        Procedure::Posterolateral,
        Procedure::LlifXlif,
        Procedure::Tlif,
        Procedure::Plif,
        Procedure::Alif,
        Procedure::Posterolateral,
    ][index % 8];
    let approach = Approach::implied_by(procedure).unwrap_or(if index.is_multiple_of(2) {
        Approach::MinimallyInvasive
    } else {
        Approach::Open
    });
    (procedure, approach)
}

fn generate_patient(
    protocol: &Protocol,
    options: DemoOptions,
    index: usize,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> PatientRecord {
    let mut rng = Noise(fastrand::Rng::with_seed(
        options
            .seed
            .wrapping_mul(1_000_003)
            .wrapping_add(index as u64),
    ));
    let (procedure, approach) = operation(index);
    let surgery_date = today - Days::new(u64::from(options.days));
    let name = match index / NAMES.len() {
        0 => NAMES[index].to_owned(),
        round => format!("{} ({})", NAMES[index % NAMES.len()], round + 1),
    };
    let baseline = demo_baseline(&mut rng);
    let birth_year = 1948 + (rng.0.u32(0..30) as i32);
    let patient = Patient {
        id: PatientId(index as i64 + 1),
        details: PatientDetails {
            name,
            date_of_birth: NaiveDate::from_ymd_opt(birth_year, rng.0.u32(1..13), rng.0.u32(1..29)),
            surgery_date,
            procedure,
            approach,
            levels: LEVELS[index % LEVELS.len()].to_owned(),
            surgeon: Some("Dr. A. Lindqvist".to_owned()),
            clinic: Some("Riverside Spine Centre".to_owned()),
            team_phone: Some("020 7946 0142".to_owned()),
            discharged_on: None,
        },
        archived: false,
        created_at: now - chrono::Duration::days(i64::from(options.days) + 7),
        first_used_on: None,
    };

    // How much of the starting pain this person loses by a year: most
    // improve a lot, some only a little (see the realistic expectations in
    // the protocol file).
    let relief = rng.between(0.45, 0.85);
    let pace = match approach {
        Approach::MinimallyInvasive | Approach::Lateral => 1.0,
        Approach::Open | Approach::Anterior | Approach::NotSure => 1.4,
    };
    // Most people end up walking further than before surgery, some much further.
    let walking_goal = (f64::from(baseline.walking_minutes) * rng.between(1.0, 2.5)).max(15.0);
    let sitting_goal = rng.between(45.0, 90.0);
    let last_opioid_day = rng.between(7.0, 25.0) * pace;

    let course = Course {
        baseline: baseline.clone(),
        relief,
        pace,
        walking_goal,
        sitting_goal,
        last_opioid_day,
        surgery_date,
        lateral: approach == Approach::Lateral,
    };
    let check_ins = demo_check_ins(&course, options.days, index, &mut rng);
    // ODI totals at the usual clinic visits.
    let odi_start = f64::from(baseline.odi.unwrap_or(45));
    let odi_entries = [42u32, 91, 182, 365, 730]
        .into_iter()
        .filter(|day| *day <= options.days)
        .map(|day_number| {
            let healed = 1.0 - (-f64::from(day_number) / (45.0 * pace)).exp();
            OdiEntry {
                day: surgery_date + Days::new(u64::from(day_number)),
                total: (odi_start * (1.0 - (relief - 0.05) * healed) + rng.normal(4.0))
                    .round()
                    .clamp(0.0, 100.0) as u8,
            }
        })
        .collect();
    let (psfs_activities, psfs_ratings) =
        demo_psfs(surgery_date, index, options.days, (pace, relief));
    let milestones = demo_milestones(protocol, &patient, options.days, pace, &mut rng);
    let plan = demo_plan(protocol, &patient, index, options.days);
    let exercise_logs = demo_exercise_logs(protocol, &patient, &plan, options.days, &mut rng);
    let visit_notes = (1..=options.days / 14)
        .map(|n| VisitNote {
            id: None,
            day: surgery_date + Days::new(u64::from(n * 14)),
            author: "J. Patel, physiotherapist".to_owned(),
            text: VISIT_NOTES[(n as usize + index) % VISIT_NOTES.len()].to_owned(),
        })
        .collect();
    PatientRecord {
        patient,
        baseline: Some(baseline),
        check_ins,
        odi_entries,
        milestones,
        plan,
        exercise_logs,
        visit_notes,
        flag_reviews: Vec::new(),
        changes: Vec::new(),
        psfs_activities,
        psfs_ratings,
    }
}

/// Activities demo patients find hard, three each.
const PSFS_ACTIVITIES: [&str; 5] = [
    "Put on socks",
    "Sit through a film",
    "Walk to the shops",
    "Get in and out of the car",
    "Lift my grandchild",
];

/// Three activities named at the first clinic visit (day 42) and rated at
/// every visit, improving with the patient's pace; no draw from the noise,
/// so the other measures stay those of the seed.
fn demo_psfs(
    surgery: NaiveDate,
    index: usize,
    days: u32,
    (pace, relief): (f64, f64),
) -> (Vec<PsfsActivity>, Vec<PsfsRating>) {
    let visits: Vec<u32> = [42u32, 91, 182, 365, 730]
        .into_iter()
        .filter(|day| *day <= days)
        .collect();
    let Some(&first) = visits.first() else {
        return (Vec::new(), Vec::new());
    };
    let names: Vec<&str> = (0..3)
        .map(|k| PSFS_ACTIVITIES[(index + k) % PSFS_ACTIVITIES.len()])
        .collect();
    let activities = names
        .iter()
        .map(|name| PsfsActivity {
            name: (*name).to_owned(),
            added_on: surgery + Days::new(u64::from(first)),
            retired_on: None,
        })
        .collect();
    let mut ratings = Vec::new();
    for day in visits {
        let healed = 1.0 - (-f64::from(day) / (60.0 * pace)).exp();
        for (k, name) in names.iter().enumerate() {
            let start = 2.0 + ((index + k) % 3) as f64;
            let score = start + (9.0 - start) * (relief + 0.1).min(1.0) * healed;
            ratings.push(PsfsRating {
                day: surgery + Days::new(u64::from(day)),
                activity: (*name).to_owned(),
                score: score.round().clamp(0.0, 10.0) as u8,
            });
        }
    }
    ratings.sort_by(|a, b| (a.day, &a.activity).cmp(&(b.day, &b.activity)));
    (activities, ratings)
}

/// Milestones reached at plausible times, now and then later than usual.
fn demo_milestones(
    protocol: &Protocol,
    patient: &Patient,
    days: u32,
    pace: f64,
    rng: &mut Noise,
) -> Vec<MilestoneRecord> {
    let mut records: Vec<MilestoneRecord> = protocol
        .milestones
        .iter()
        .filter_map(|spec| {
            let [from, to] = spec.window(patient.details.approach);
            let spread = f64::from(to - from).max(1.0);
            let mut day = f64::from(from) + spread * rng.between(0.0, 1.0) * pace.min(1.2);
            if rng.chance(0.15) {
                day += spread * rng.between(0.2, 0.8);
            }
            let day = day.round().max(1.0) as u32;
            (day <= days).then(|| MilestoneRecord {
                key: spec.key.clone(),
                custom: None,
                achieved_on: Some(patient.details.surgery_date + Days::new(u64::from(day))),
            })
        })
        .collect();
    records.sort_by(|a, b| a.key.cmp(&b.key));
    records
}

/// The first patient's physiotherapist takes over the plan at day 21 and
/// raises the walking dose at day 35; the others follow the protocol.
fn demo_plan(protocol: &Protocol, patient: &Patient, index: usize, days: u32) -> Vec<PlanItem> {
    if index != 0 || days < 35 {
        return Vec::new();
    }
    let on = |d: u64| patient.details.surgery_date + Days::new(d);
    let mut plan = plan_from_protocol(protocol, patient, on(21));
    if let Some(walk) = plan.iter_mut().find(|i| i.exercise_key == "walk") {
        walk.end_day = Some(on(35));
        let longer = PlanItem {
            dose: Dose {
                minutes: Some(20),
                times_per_day: 2,
                ..walk.dose
            },
            start_day: on(35),
            end_day: None,
            ..walk.clone()
        };
        plan.push(longer);
    }
    plan.sort_by_key(|i| i.start_day);
    plan
}

/// Sessions done of what was prescribed each day, by a patient who keeps up
/// most but not all of it.
fn demo_exercise_logs(
    protocol: &Protocol,
    patient: &Patient,
    plan: &[PlanItem],
    days: u32,
    rng: &mut Noise,
) -> Vec<ExerciseLog> {
    let keen = rng.between(0.55, 0.95);
    let mut logs = Vec::new();
    for day_number in 1..=days {
        let day = patient.details.surgery_date + Days::new(u64::from(day_number));
        for p in prescribed_on(protocol, patient, plan, day) {
            let sessions = (0..p.dose.times_per_day)
                .filter(|_| rng.chance(keen))
                .count() as u8;
            if sessions > 0 {
                logs.push(ExerciseLog {
                    day,
                    exercise_key: p.exercise_key,
                    sessions,
                    pain: rng.chance(0.3).then(|| rng.0.u8(0..5)),
                });
            }
        }
    }
    logs.sort_by(|a, b| (a.day, &a.exercise_key).cmp(&(b.day, &b.exercise_key)));
    logs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    fn protocol() -> Protocol {
        Protocol::embedded().expect("embedded protocol")
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let options = DemoOptions::default();
        let p = protocol();
        let a = generate(&p, options, today(), DateTime::UNIX_EPOCH);
        let b = generate(&p, options, today(), DateTime::UNIX_EPOCH);
        assert_eq!(a, b);
        let c = generate(
            &p,
            DemoOptions { seed: 8, ..options },
            today(),
            DateTime::UNIX_EPOCH,
        );
        assert_ne!(a, c);
    }

    #[test]
    fn demo_data_is_valid_and_recovers() {
        let p = protocol();
        let records = generate(&p, DemoOptions::default(), today(), DateTime::UNIX_EPOCH);
        assert_eq!(records.len(), 3);
        for r in &records {
            let n = r.check_ins.len();
            assert!((100..=120).contains(&n), "{n} check-ins");
            for c in &r.check_ins {
                assert_eq!(c.validate_for(&r.patient, today()), Ok(()));
            }
            let mean = |cs: &[CheckIn]| {
                cs.iter().map(|c| f64::from(c.back_pain)).sum::<f64>() / cs.len() as f64
            };
            let first_week = mean(&r.check_ins[..6]);
            let last_weeks = mean(&r.check_ins[n - 14..]);
            assert!(last_weeks < first_week - 1.0, "{first_week} → {last_weeks}");
            assert!(!r.milestones.is_empty() && !r.exercise_logs.is_empty());
            for m in &r.milestones {
                assert_eq!(
                    m.validate_for(r.patient.details.surgery_date, today()),
                    Ok(())
                );
            }
            for log in &r.exercise_logs {
                let prescribed = prescribed_on(&p, &r.patient, &r.plan, log.day);
                assert!(
                    prescribed
                        .iter()
                        .any(|e| e.exercise_key == log.exercise_key)
                );
            }
        }
        assert!(
            records[0].plan.len() > 1,
            "the first patient has an edited plan"
        );
    }
}
