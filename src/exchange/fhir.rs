//! HL7 FHIR R4 export of one patient's recovery record, and import of the
//! app's own bundles. Standard codes are used where they exist (LOINC,
//! SNOMED CT, UCUM; see docs/FHIR.md for each with its source); the rest use
//! the app's own code systems under `urn:recovery-tracker:`. Every resource
//! carries a stable identifier, so a transaction bundle sent twice creates
//! nothing new (conditional create).

use super::ExchangeError;
use crate::model::{
    Approach, Baseline, BodyMap, CheckIn, CustomMilestone, Dose, ExerciseLog, MilestoneRecord,
    NerveSymptoms, OdiEntry, Patient, PatientDetails, PatientId, PatientRecord, PlanItem,
    Procedure, Side, VisitNote, WarningSymptom, WarningSymptoms, Weakness,
};
use crate::words::excerpt;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const UCUM: &str = "http://unitsofmeasure.org";
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
pub const GOAL_ACHIEVEMENT: &str = "http://terminology.hl7.org/CodeSystem/goal-achievement";
/// The app's own code systems and identifier namespaces.
pub const MEASURE: &str = "urn:recovery-tracker:codesystem:measure";
pub const SYMPTOM: &str = "urn:recovery-tracker:codesystem:warning-symptom";
pub const PROCEDURE_KIND: &str = "urn:recovery-tracker:codesystem:procedure";
pub const APPROACH: &str = "urn:recovery-tracker:codesystem:approach";
pub const EXERCISE: &str = "urn:recovery-tracker:codesystem:exercise";
pub const MILESTONE: &str = "urn:recovery-tracker:codesystem:milestone";
/// Leg weakness (none, mild, moderate, severe) and its side (left, right,
/// both): no verified standard code, so the app's own with their words.
pub const WEAKNESS: &str = "urn:recovery-tracker:codesystem:weakness";
pub const SIDE: &str = "urn:recovery-tracker:codesystem:side";
/// The body map: what is felt (pain, numbness, tingling) and where
/// (`left.calf`): the app's own regions, which no standard code set has.
pub const MAP_SYMPTOM: &str = "urn:recovery-tracker:codesystem:map-symptom";
pub const BODY_REGION: &str = "urn:recovery-tracker:codesystem:body-region";
pub const IDENTIFIER: &str = "urn:recovery-tracker:identifier";
pub const EXTENSION: &str = "urn:recovery-tracker:extension";

/// The kinds of resource this app writes for a patient besides the
/// Patient itself; each names the patient as its `subject`.
pub const KINDS_BESIDES_PATIENT: [&str; 6] = [
    "Procedure",
    "Observation",
    "Goal",
    "CarePlan",
    "Communication",
    "QuestionnaireResponse",
];

const PAIN_0_10: &str = "72514-3";
const ODI_SCORE: &str = "97909-6";
const LOW_BACK: &str = "37822005";
const LOWER_LIMB: &str = "61685007";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BundleKind {
    /// For files
    Collection,
    /// For a FHIR server: conditional creates on stable identifiers, so sending twice adds nothing
    Transaction,
}

/// The namespace of this app's name-based (version 5) UUIDs: itself the
/// v5 UUID of the identifier system's URL, so it never changes.
fn namespace() -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, IDENTIFIER.as_bytes())
}

/// A deterministic `urn:uuid:` for an identifier value (RFC 9562 version 5),
/// so the same record always gives the same bundle.
fn urn(key: &str) -> String {
    format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&namespace(), key.as_bytes())
    )
}

/// The PSFS as a questionnaire: the app's own canonical name for it (the
/// scale's items are the patient's own activities).
const PSFS_QUESTIONNAIRE: &str = "urn:recovery-tracker:questionnaire:psfs";

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "system": system, "code": code, "display": display })
}

fn identifier(kind: &str, value: &str) -> Value {
    json!([{ "system": format!("{IDENTIFIER}:{kind}"), "value": value }])
}

/// The part of a record whose content alone decides a resource's, so that
/// a sync can build again only the resources of rows that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin<'a> {
    /// The patient, operation, baseline, ODI totals, PSFS, milestones,
    /// plan and visit notes: a few dozen resources, always built.
    Record,
    /// One day's check-in (with its identifier, the patient's number).
    CheckIn(&'a crate::model::CheckIn),
    /// One exercise log.
    ExerciseLog(&'a crate::model::ExerciseLog),
}

struct Builder<'a> {
    kind: BundleKind,
    entries: Vec<(Origin<'a>, Value)>,
    patient_ref: String,
    /// Where the resources added now come from.
    origin: Origin<'a>,
}

impl Builder<'_> {
    fn add(&mut self, resource_type: &str, key: &str, kind: &str, mut resource: Value) {
        let full_url = urn(&format!("{kind}|{key}"));
        resource["resourceType"] = json!(resource_type);
        resource["identifier"] = identifier(kind, key);
        // A QuestionnaireResponse has one identifier, not a list.
        if resource_type == "QuestionnaireResponse" {
            resource["identifier"] = resource["identifier"][0].take();
        }
        let mut entry = json!({ "fullUrl": full_url, "resource": resource });
        if self.kind == BundleKind::Transaction {
            entry["request"] = json!({
                "method": "POST",
                "url": resource_type,
                "ifNoneExist": format!("identifier={IDENTIFIER}:{kind}|{key}"),
            });
        }
        self.entries.push((self.origin, entry));
    }

    fn observation(
        &mut self,
        key: &str,
        code: Value,
        effective: NaiveDate,
        value: Value,
        extra: Value,
    ) {
        let mut resource = json!({
            "status": "final",
            "category": [{ "coding": [coding(OBSERVATION_CATEGORY, "survey", "Survey")] }],
            "subject": { "reference": self.patient_ref },
            "effectiveDateTime": effective.to_string(),
        });
        resource["code"] = code;
        for part in [value, extra] {
            if let (Some(obj), Value::Object(part)) = (resource.as_object_mut(), part) {
                obj.extend(part);
            }
        }
        self.add("Observation", key, "observation", resource);
    }
}

fn measure(code: &str, display: &str) -> Value {
    json!({ "coding": [coding(MEASURE, code, display)], "text": display })
}

fn pain_code(display: &str) -> Value {
    json!({
        "coding": [coding(LOINC, PAIN_0_10, "Pain severity - 0-10 verbal numeric rating [Score] - Reported")],
        "text": display,
    })
}

fn site(code: &str, display: &str) -> Value {
    json!({ "bodySite": { "coding": [coding(SNOMED, code, display)], "text": display } })
}

fn score(v: u8) -> Value {
    json!({ "valueInteger": v })
}

fn minutes(v: u16) -> Value {
    json!({ "valueQuantity": { "value": v, "unit": "min", "system": UCUM, "code": "min" } })
}

/// The bundle of one patient's record (only the dated rows of `from..=to`).
pub fn export(record: &PatientRecord, kind: BundleKind, made_at: DateTime<Utc>) -> Value {
    let entries: Vec<Value> = entries(record, kind, made_at, |_| true)
        .into_iter()
        .map(|(_, entry)| entry)
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": match kind { BundleKind::Collection => "collection", BundleKind::Transaction => "transaction" },
        "timestamp": made_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "entry": entries,
    })
}

/// The bundle's entries, each with where it comes from: all of
/// [`Origin::Record`]'s, and those of the check-ins and exercise logs
/// `wanted` picks.
pub fn entries<'a>(
    record: &'a PatientRecord,
    kind: BundleKind,
    made_at: DateTime<Utc>,
    wanted: impl Fn(Origin<'a>) -> bool,
) -> Vec<(Origin<'a>, Value)> {
    let patient_key = record.patient.id.0.to_string();
    let mut b = Builder {
        kind,
        entries: Vec::new(),
        patient_ref: urn(&format!("patient|{patient_key}")),
        origin: Origin::Record,
    };
    add_patient(&mut b, record);
    add_surgery(&mut b, record, made_at.date_naive());
    add_baseline(&mut b, record);
    for c in &record.check_ins {
        b.origin = Origin::CheckIn(c);
        if wanted(b.origin) {
            add_check_in(&mut b, record.patient.id.0, c);
        }
    }
    b.origin = Origin::Record;
    add_odi_totals(&mut b, record);
    add_psfs(&mut b, record);
    add_milestones(&mut b, record);
    add_plan(&mut b, record);
    for log in &record.exercise_logs {
        b.origin = Origin::ExerciseLog(log);
        if wanted(b.origin) {
            add_exercise_log(&mut b, record.patient.id.0, log);
        }
    }
    b.origin = Origin::Record;
    add_notes(&mut b, record);
    b.entries
}

/// The Patient resource.
fn add_patient(b: &mut Builder<'_>, record: &PatientRecord) {
    let d = &record.patient.details;
    let p = &record.patient;
    let patient_key = p.id.0.to_string();
    let mut patient = json!({
        "active": !p.archived,
        "name": [{ "text": d.name }],
        "extension": [{ "url": format!("{EXTENSION}:created-at"), "valueDateTime": p.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true) }],
    });
    if let Some(born) = d.date_of_birth {
        patient["birthDate"] = json!(born.to_string());
    }
    if let Some(list) = patient["extension"].as_array_mut() {
        if let Some(phone) = &d.team_phone {
            list.push(json!({ "url": format!("{EXTENSION}:team-phone"), "valueString": phone }));
        }
        if let Some(home) = d.discharged_on {
            list.push(json!({ "url": format!("{EXTENSION}:discharged-on"), "valueDate": home.to_string() }));
        }
        if let Some(first) = p.first_used_on {
            list.push(json!({ "url": format!("{EXTENSION}:first-used-on"), "valueDate": first.to_string() }));
        }
    }
    b.add("Patient", &patient_key, "patient", patient);
}

/// The operation, as a Procedure.
/// The operation: "completed" once its day has come, "preparation" while
/// it is still ahead (a patient set up before surgery).
fn add_surgery(b: &mut Builder<'_>, record: &PatientRecord, today: chrono::NaiveDate) {
    let pid = record.patient.id.0;
    let d = &record.patient.details;
    let status = if d.surgery_date > today {
        "preparation"
    } else {
        "completed"
    };
    let mut surgery = json!({
        "status": status,
        "code": {
            "coding": [coding(PROCEDURE_KIND, d.procedure.code(), d.procedure.label())],
            "text": format!("Lumbar spinal fusion: {}", d.procedure.label()),
        },
        "subject": { "reference": b.patient_ref },
        "performedDateTime": d.surgery_date.to_string(),
        "bodySite": [{ "coding": [coding(SNOMED, LOW_BACK, "Lower back structure")], "text": "Lumbar spine" }],
        "extension": [
            { "url": format!("{EXTENSION}:approach"), "valueCoding": coding(APPROACH, d.approach.code(), d.approach.label()) },
        ],
    });
    if !d.levels.is_empty()
        && let Some(list) = surgery["extension"].as_array_mut()
    {
        list.push(json!({ "url": format!("{EXTENSION}:levels"), "valueString": d.levels }));
    }
    let mut performers = Vec::new();
    if let Some(surgeon) = &d.surgeon {
        performers.push(json!({ "actor": { "display": surgeon } }));
    }
    if let Some(clinic) = &d.clinic {
        surgery["location"] = json!({ "display": clinic });
    }
    if !performers.is_empty() {
        surgery["performer"] = json!(performers);
    }
    b.add("Procedure", &format!("{pid}-surgery"), "procedure", surgery);
}

/// The values before surgery, as Observations on the day of surgery.
fn add_baseline(b: &mut Builder<'_>, record: &PatientRecord) {
    let pid = record.patient.id.0;
    let d = &record.patient.details;
    if let Some(base) = &record.baseline {
        let day = d.surgery_date;
        let baseline = json!({ "category": [
            { "coding": [coding(OBSERVATION_CATEGORY, "survey", "Survey")] },
            { "coding": [coding(MEASURE, "pre-operative", "Before surgery")] },
        ]});
        b.observation(
            &format!("{pid}-baseline-back_pain"),
            pain_code("Back pain before surgery"),
            day,
            score(base.back_pain),
            merge(site(LOW_BACK, "Lower back structure"), &baseline),
        );
        b.observation(
            &format!("{pid}-baseline-leg_pain"),
            pain_code("Leg pain before surgery"),
            day,
            score(base.leg_pain),
            merge(site(LOWER_LIMB, "Lower limb structure"), &baseline),
        );
        b.observation(
            &format!("{pid}-baseline-walking"),
            measure(
                "walking-tolerance",
                "Walking tolerance, minutes at one time",
            ),
            day,
            minutes(base.walking_minutes),
            baseline.clone(),
        );
        b.observation(
            &format!("{pid}-baseline-sitting"),
            measure(
                "sitting-tolerance",
                "Sitting tolerance, minutes at one time",
            ),
            day,
            minutes(base.sitting_minutes),
            baseline.clone(),
        );
        for (key, code, display, value) in [
            (
                "numbness",
                "leg-numbness",
                "Leg numbness before surgery, 0-10 self-rating",
                base.numbness,
            ),
            (
                "tingling",
                "leg-tingling",
                "Leg tingling before surgery, 0-10 self-rating",
                base.tingling,
            ),
        ] {
            if let Some(value) = value {
                b.observation(
                    &format!("{pid}-baseline-{key}"),
                    measure(code, display),
                    day,
                    score(value),
                    baseline.clone(),
                );
            }
        }
        if let Some(odi) = base.odi {
            b.observation(
                &format!("{pid}-baseline-odi"),
                odi_code(),
                day,
                score(odi),
                baseline,
            );
        }
    }
}

/// One daily check-in: one Observation per measure.
fn add_check_in(b: &mut Builder<'_>, pid: i64, c: &CheckIn) {
    let key = |m: &str| format!("{pid}-{}-{m}", c.day);
    let with_note = |extra: Value| {
        if c.note.is_empty() {
            extra
        } else {
            merge(extra, &json!({ "note": [{ "text": c.note }] }))
        }
    };
    // The note rides on the back pain observation, which every check-in has.
    b.observation(
        &key("back_pain"),
        pain_code("Back pain"),
        c.day,
        score(c.back_pain),
        with_note(site(LOW_BACK, "Lower back structure")),
    );
    b.observation(
        &key("leg_pain"),
        pain_code("Leg pain"),
        c.day,
        score(c.leg_pain),
        site(LOWER_LIMB, "Lower limb structure"),
    );
    b.observation(
        &key("walking"),
        measure(
            "walking-tolerance",
            "Walking tolerance, minutes at one time",
        ),
        c.day,
        minutes(c.walking_minutes),
        json!({}),
    );
    b.observation(
        &key("sitting"),
        measure(
            "sitting-tolerance",
            "Sitting tolerance, minutes at one time",
        ),
        c.day,
        minutes(c.sitting_minutes),
        json!({}),
    );
    b.observation(
        &key("sleep"),
        measure("sleep-quality", "Sleep quality, 0-10 self-rating"),
        c.day,
        score(c.sleep_quality),
        json!({}),
    );
    b.observation(
        &key("opioids"),
        measure("opioid-doses", "Opioid doses taken in the day"),
        c.day,
        score(c.opioid_doses),
        json!({}),
    );
    let symptoms: Vec<Value> = c
        .warning_symptoms
        .iter()
        .map(|s| json!({ "coding": [coding(SYMPTOM, s.code(), s.label())], "text": s.label() }))
        .collect();
    let symptoms_value = if symptoms.is_empty() {
        json!({ "valueCodeableConcept": { "coding": [coding(SYMPTOM, "none", "No warning symptom")], "text": "None" } })
    } else {
        json!({ "valueCodeableConcept": { "text": "See components" }, "component": symptoms.iter().map(|s| json!({ "code": measure("warning-symptom", "Warning symptom"), "valueCodeableConcept": s })).collect::<Vec<_>>() })
    };
    b.observation(
        &key("warning_symptoms"),
        measure("warning-symptoms", "Warning symptoms"),
        c.day,
        symptoms_value,
        json!({}),
    );
    if let Some(n) = c.nerves {
        add_nerves(b, &key, c.day, n);
    }
    if !c.body_map.is_empty() {
        add_body_map(b, &key, c.day, &c.body_map);
    }
}

/// A day's body map: one Observation, a component per place and symptom.
fn add_body_map(b: &mut Builder<'_>, key: &dyn Fn(&str) -> String, day: NaiveDate, map: &BodyMap) {
    let components: Vec<Value> = map
        .marks()
        .map(|m| {
            let place = format!("{}.{}", m.side.code(), m.region.code());
            let words = crate::analysis::body_map::place_words(m.side, m.region);
            json!({
                "code": { "coding": [coding(MAP_SYMPTOM, m.symptom.code(), m.symptom.words())], "text": m.symptom.words() },
                "valueCodeableConcept": { "coding": [coding(BODY_REGION, &place, &words)], "text": words },
            })
        })
        .collect();
    b.observation(
        &key("body_map"),
        measure(
            "symptom-map",
            "Where pain, numbness and tingling are (body map)",
        ),
        day,
        json!({ "valueCodeableConcept": { "text": "See components" }, "component": components }),
        json!({}),
    );
}

/// The marks of a day's body map; a second map for the same day, a mark
/// without its codes or with codes the app does not know is refused.
fn read_body_map(
    r: &Value,
    where_: &str,
    day: NaiveDate,
    map: &mut BodyMap,
) -> Result<(), ExchangeError> {
    if !map.is_empty() {
        return Err(bad(format!("{where_}: a second body map for {day}")));
    }
    let components = r
        .get("component")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| bad(format!("{where_}: a body map without marks")))?;
    for component in components {
        let symptom = component
            .get("code")
            .and_then(|c| first_code(c, MAP_SYMPTOM));
        let place = component
            .get("valueCodeableConcept")
            .and_then(|c| first_code(c, BODY_REGION));
        let (Some(symptom), Some(place)) = (symptom, place) else {
            return Err(bad(format!(
                "{where_}: a mark without its symptom or place"
            )));
        };
        let parsed = BodyMap::from_code(&format!("{place}.{symptom}"))
            .map_err(|e| bad(format!("{where_}: {e}")))?;
        if parsed.len() != 1 {
            return Err(bad(format!(
                "{where_}: \"{}\" is not one place",
                excerpt(place, 40)
            )));
        }
        for mark in parsed.marks() {
            map.set(mark, true);
        }
    }
    Ok(())
}

/// A day's nerve symptoms: numbness and tingling as scores, weakness as a
/// coded value with its side as a component.
fn add_nerves(b: &mut Builder<'_>, key: &dyn Fn(&str) -> String, day: NaiveDate, n: NerveSymptoms) {
    b.observation(
        &key("numbness"),
        measure("leg-numbness", "Leg numbness, 0-10 self-rating (worse leg)"),
        day,
        score(n.numbness),
        json!({}),
    );
    b.observation(
        &key("tingling"),
        measure(
            "leg-tingling",
            "Leg tingling (pins and needles), 0-10 self-rating (worse leg)",
        ),
        day,
        score(n.tingling),
        json!({}),
    );
    let side = n.weakness_side.map_or_else(Vec::new, |side| {
        vec![json!({
            "code": measure("leg-weakness-side", "Which leg is weak"),
            "valueCodeableConcept": { "coding": [coding(SIDE, side.code(), side.words())], "text": side.words() },
        })]
    });
    b.observation(
        &key("weakness"),
        measure("leg-weakness", "Leg weakness, as the patient rates it"),
        day,
        json!({ "valueCodeableConcept": { "coding": [coding(WEAKNESS, n.weakness.code(), n.weakness.words())], "text": n.weakness.words() } }),
        if side.is_empty() { json!({}) } else { json!({ "component": side }) },
    );
}

/// ODI totals typed from the paper questionnaire.
fn add_odi_totals(b: &mut Builder<'_>, record: &PatientRecord) {
    let pid = record.patient.id.0;
    for e in &record.odi_entries {
        b.observation(
            &format!("{pid}-{}-odi", e.day),
            odi_code(),
            e.day,
            score(e.total),
            json!({}),
        );
    }
}

/// The PSFS: one `QuestionnaireResponse` per day (an item per activity, its
/// text the activity's name, its answer the rating) and an Observation of
/// the day's score (the average) derived from it.
fn add_psfs(b: &mut Builder<'_>, record: &PatientRecord) {
    let pid = record.patient.id.0;
    for answer in crate::model::psfs::answers(&record.psfs_ratings) {
        let key = format!("{pid}-{}-psfs", answer.day);
        let items: Vec<Value> = answer
            .ratings
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "linkId": format!("activity-{}", i + 1),
                    "text": r.activity,
                    "answer": [{ "valueInteger": r.score }],
                })
            })
            .collect();
        b.add(
            "QuestionnaireResponse",
            &key,
            "questionnaire-response",
            json!({
                "status": "completed",
                "questionnaire": PSFS_QUESTIONNAIRE,
                "subject": { "reference": b.patient_ref },
                "authored": answer.day.to_string(),
                "item": items,
            }),
        );
        let response = urn(&format!("questionnaire-response|{key}"));
        b.observation(
            &format!("{key}-score"),
            measure(
                "psfs-score",
                "Patient-Specific Functional Scale score (average, 0-10)",
            ),
            answer.day,
            json!({ "valueQuantity": {
                "value": (answer.score() * 100.0).round() / 100.0,
                "unit": "{score}",
                "system": UCUM,
                "code": "{score}",
            } }),
            json!({ "derivedFrom": [{ "reference": response }] }),
        );
    }
}

/// Milestones, as Goals.
fn add_milestones(b: &mut Builder<'_>, record: &PatientRecord) {
    let pid = record.patient.id.0;
    for m in &record.milestones {
        let (lifecycle, achievement) = match m.achieved_on {
            Some(_) => (
                "completed",
                coding(GOAL_ACHIEVEMENT, "achieved", "Achieved"),
            ),
            None => (
                "active",
                coding(GOAL_ACHIEVEMENT, "in-progress", "In Progress"),
            ),
        };
        let label = m.custom.as_ref().map_or(m.key.clone(), |c| c.label.clone());
        let mut goal = json!({
            "lifecycleStatus": lifecycle,
            "achievementStatus": { "coding": [achievement] },
            "description": { "coding": [coding(MILESTONE, &m.key, &label)], "text": label },
            "subject": { "reference": b.patient_ref },
        });
        if let Some(day) = m.achieved_on {
            goal["statusDate"] = json!(day.to_string());
        }
        if let Some(c) = &m.custom {
            goal["extension"] = json!([
                { "url": format!("{EXTENSION}:window-from-day"), "valueInteger": c.window_from },
                { "url": format!("{EXTENSION}:window-to-day"), "valueInteger": c.window_to },
            ]);
        }
        b.add("Goal", &format!("{pid}-{}", m.key), "goal", goal);
    }
}

/// The exercise plan with its history, as one `CarePlan`.
fn add_plan(b: &mut Builder<'_>, record: &PatientRecord) {
    let pid = record.patient.id.0;
    if !record.plan.is_empty() {
        let activities: Vec<Value> = record
            .plan
            .iter()
            .map(|i| {
                let mut period = json!({ "start": i.start_day.to_string() });
                // FHIR strings may not be empty: an absent value is left out.
                let instructions = (!i.instructions.is_empty())
                    .then(|| json!({ "url": format!("{EXTENSION}:instructions"), "valueString": i.instructions }));
                if let Some(end) = i.end_day {
                    period["end"] = json!(end.to_string());
                }
                let mut activity = json!({ "detail": {
                    "status": if i.end_day.is_some() { "stopped" } else { "in-progress" },
                    "code": { "coding": [coding(EXERCISE, &i.exercise_key, &i.name)], "text": i.name },
                    "scheduledPeriod": period,
                    "description": if i.instructions.is_empty() { i.dose.describe() } else { format!("{}\n{}", i.dose.describe(), i.instructions) },
                    "extension": [
                        { "url": format!("{EXTENSION}:sets"), "valueInteger": i.dose.sets },
                        { "url": format!("{EXTENSION}:reps"), "valueInteger": i.dose.reps.unwrap_or(0) },
                        { "url": format!("{EXTENSION}:hold-seconds"), "valueInteger": i.dose.hold_seconds.unwrap_or(0) },
                        { "url": format!("{EXTENSION}:minutes"), "valueInteger": i.dose.minutes.unwrap_or(0) },
                        { "url": format!("{EXTENSION}:times-per-day"), "valueInteger": i.dose.times_per_day },
                    ],
                }});
                if let (Some(extra), Some(list)) = (instructions, activity["detail"]["extension"].as_array_mut()) {
                    list.push(extra);
                }
                activity
            })
            .collect();
        b.add(
            "CarePlan",
            &format!("{pid}-exercise-plan"),
            "careplan",
            json!({
                "status": "active",
                "intent": "plan",
                "title": "Rehabilitation exercises",
                "subject": { "reference": b.patient_ref },
                "activity": activities,
            }),
        );
    }
}

/// Exercise sessions as Observations, visit notes as Communications.
fn add_exercise_log(b: &mut Builder<'_>, pid: i64, log: &crate::model::ExerciseLog) {
    let mut extra = json!({ "category": [{ "coding": [coding(OBSERVATION_CATEGORY, "activity", "Activity")] }],
        "component": [{ "code": { "coding": [coding(EXERCISE, &log.exercise_key, &log.exercise_key)], "text": "Exercise" }, "valueString": log.exercise_key }] });
    if let Some(pain) = log.pain
        && let Some(components) = extra["component"].as_array_mut()
    {
        components
            .push(json!({ "code": pain_code("Pain during the exercise"), "valueInteger": pain }));
    }
    b.observation(
        &format!("{pid}-{}-exercise-{}", log.day, log.exercise_key),
        measure("exercise-sessions", "Exercise sessions done"),
        log.day,
        score(log.sessions),
        extra,
    );
}

/// Visit notes, each named by its day and a digest of its author and
/// text (not its place in the list, which a deleted or backdated note
/// would shift, so that a sync would replace every later note); a second
/// note the same as another on the same day gets `-2`, and so on.
fn add_notes(b: &mut Builder<'_>, record: &PatientRecord) {
    let pid = record.patient.id.0;
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for note in &record.visit_notes {
        let digest = uuid::Uuid::new_v5(
            &namespace(),
            format!("{}\u{0}{}", note.author, note.text).as_bytes(),
        )
        .simple()
        .to_string();
        let mut key = format!("{pid}-{}-note-{}", note.day, &digest[..16]);
        let copies = seen.entry(key.clone()).or_insert(0);
        *copies += 1;
        if *copies > 1 {
            key = format!("{key}-{copies}");
        }
        b.add(
            "Communication",
            &key,
            "communication",
            json!({
                "status": "completed",
                "subject": { "reference": b.patient_ref },
                "sent": format!("{}T00:00:00Z", note.day),
                "sender": { "display": note.author },
                "payload": [{ "contentString": note.text }],
            }),
        );
    }
}

fn odi_code() -> Value {
    json!({ "coding": [coding(LOINC, ODI_SCORE, "Oswestry disability index score ODI")], "text": "Oswestry Disability Index total" })
}

fn merge(mut a: Value, b: &Value) -> Value {
    if let (Some(a), Some(b)) = (a.as_object_mut(), b.as_object()) {
        a.extend(b.clone());
    }
    a
}

// ------------------------------------------------------------------ import

fn bad(message: impl Into<String>) -> ExchangeError {
    ExchangeError::Document(message.into())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_str)
}

fn first_code<'a>(concept: &'a Value, system: &str) -> Option<&'a str> {
    concept
        .get("coding")?
        .as_array()?
        .iter()
        .find(|c| c.get("system").and_then(Value::as_str) == Some(system))?
        .get("code")?
        .as_str()
}

fn extension<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    let url = format!("{EXTENSION}:{name}");
    v.get("extension")?
        .as_array()?
        .iter()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(url.as_str()))
}

/// A date extension, when present; one that is not a date is an error.
fn ext_day(v: &Value, name: &str, where_: &str) -> Result<Option<NaiveDate>, ExchangeError> {
    extension(v, name)
        .map(|e| {
            day_of(
                e.get("valueDate").and_then(Value::as_str),
                &format!("{where_}, {name}"),
            )
        })
        .transpose()
}

fn ext_int(v: &Value, name: &str) -> Option<i64> {
    extension(v, name)?.get("valueInteger")?.as_i64()
}

/// A date, or the date part of a date and time (`2026-11-03T00:00:00Z`).
fn day_of(text: Option<&str>, what: &str) -> Result<NaiveDate, ExchangeError> {
    let text = text.ok_or_else(|| bad(format!("{what} has no date")))?;
    // `get`, not slicing: the tenth byte may fall inside a character.
    let date = text.get(..10).filter(|_| text.len() > 10).unwrap_or(text);
    crate::model::parse_day(date).map_err(|e| bad(format!("{what}: {}", excerpt(&e, 80))))
}

fn int<T: TryFrom<i64>>(v: Option<&Value>, what: &str) -> Result<T, ExchangeError> {
    let value = v.ok_or_else(|| bad(format!("{what} has no number")))?;
    value
        .as_i64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| {
            bad(format!(
                "{what}: {} is not a whole number in range",
                excerpt(&value.to_string(), 40)
            ))
        })
}

/// An optional whole-number extension: absent or 0 means none; anything
/// else must fit.
fn optional_int<T: TryFrom<i64>>(
    v: &Value,
    name: &str,
    where_: &str,
) -> Result<Option<T>, ExchangeError> {
    match extension(v, name).and_then(|e| e.get("valueInteger")) {
        None => Ok(None),
        Some(value) if value.as_i64() == Some(0) => Ok(None),
        Some(value) => int(Some(value), &format!("{where_}, {name}")).map(Some),
    }
}

/// The app's identifier's value: the first of a list, or the one.
fn key_of(resource: &Value) -> Option<&str> {
    let identifier = resource.get("identifier")?;
    identifier
        .as_array()
        .map_or(Some(identifier), |list| list.first())?
        .get("value")?
        .as_str()
}

fn resource(index: usize, entry: &Value) -> Result<&Value, ExchangeError> {
    entry
        .get("resource")
        .ok_or_else(|| bad(format!("entry {index} has no resource")))
}

/// One patient's resources, gathered before they become a record.
struct PatientParts {
    /// The Patient resource's `fullUrl`, which the others' subjects name.
    url: String,
    surgery: Option<Surgery>,
    baseline: BaselineParts,
    days: std::collections::BTreeMap<NaiveDate, CheckInParts>,
    record: PatientRecord,
}

impl PatientParts {
    fn finish(self) -> Result<PatientRecord, ExchangeError> {
        let PatientParts {
            surgery,
            baseline,
            days,
            mut record,
            ..
        } = self;
        let name = record.patient.details.name.clone();
        let (surgery_date, procedure, approach, levels, surgeon, clinic) =
            surgery.ok_or_else(|| bad(format!("the patient {name} has no surgery Procedure")))?;
        record.patient.details = PatientDetails {
            surgery_date,
            procedure,
            approach,
            levels,
            surgeon,
            clinic,
            ..record.patient.details
        };
        record.baseline = baseline.finish()?;
        for (day, parts) in days {
            record.check_ins.push(parts.finish(day)?);
        }
        record.odi_entries.sort_by_key(|e| e.day);
        record.milestones.sort_by(|a, b| a.key.cmp(&b.key));
        record
            .exercise_logs
            .sort_by(|a, b| (a.day, &a.exercise_key).cmp(&(b.day, &b.exercise_key)));
        record.visit_notes.sort_by_key(|n| n.day);
        record
            .psfs_ratings
            .sort_by(|a, b| (a.day, &a.activity).cmp(&(b.day, &b.activity)));
        record.psfs_activities = psfs_activities(&record.psfs_ratings);
        Ok(record)
    }
}

/// The activities as the ratings show them: each asked from its first
/// rating, and no longer from the first answer after its last rating.
fn psfs_activities(ratings: &[crate::model::PsfsRating]) -> Vec<crate::model::PsfsActivity> {
    let days: Vec<NaiveDate> = crate::model::psfs::answers(ratings)
        .iter()
        .map(|a| a.day)
        .collect();
    let mut activities: Vec<crate::model::PsfsActivity> = Vec::new();
    for r in ratings {
        if !activities.iter().any(|a| a.is_named(&r.activity)) {
            let last = ratings
                .iter()
                .filter(|o| o.is_of(&r.activity))
                .map(|o| o.day)
                .max()
                .unwrap_or(r.day);
            activities.push(crate::model::PsfsActivity {
                name: r.activity.clone(),
                added_on: r.day,
                retired_on: days.iter().find(|d| **d > last).copied(),
            });
        }
    }
    activities
}

/// A day's PSFS ratings from its `QuestionnaireResponse`.
fn read_psfs(r: &Value, where_: &str) -> Result<Vec<crate::model::PsfsRating>, ExchangeError> {
    if r.get("questionnaire").and_then(Value::as_str) != Some(PSFS_QUESTIONNAIRE) {
        return Err(bad(format!("{where_}: not the app's PSFS questionnaire")));
    }
    let day = day_of(r.get("authored").and_then(Value::as_str), where_)?;
    let items = r
        .get("item")
        .and_then(Value::as_array)
        .filter(|items| !items.is_empty())
        .ok_or_else(|| bad(format!("{where_}: no items")))?;
    items
        .iter()
        .map(|item| {
            let activity = item
                .get("text")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(format!("{where_}: an item without its activity")))?;
            let score = int::<u8>(
                item.get("answer")
                    .and_then(|a| a.get(0))
                    .and_then(|a| a.get("valueInteger")),
                &format!("{where_}, \"{}\"", excerpt(activity, 40)),
            )?;
            let rating = crate::model::PsfsRating {
                day,
                activity: activity.to_owned(),
                score,
            };
            rating
                .validate()
                .map_err(|e| bad(format!("{where_}, {}: {}", e.field, e.message)))?;
            Ok(rating)
        })
        .collect()
}

/// Reads back a bundle this app wrote: one record per Patient resource,
/// each resource given to the patient its subject names. Resources of
/// other kinds, codes it does not know, numbers out of range and a value
/// given twice are refused with a message naming the entry and field.
pub fn import(bundle: &Value) -> Result<Vec<PatientRecord>, ExchangeError> {
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(bad("this is not a FHIR Bundle"));
    }
    let entries = bundle
        .get("entry")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("the bundle has no entries"))?;
    let mut patients: Vec<PatientParts> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let r = resource(index, entry)?;
        if r.get("resourceType").and_then(Value::as_str) == Some("Patient") {
            let key = key_of(r).unwrap_or("");
            let where_ = format!("entry {index} (Patient {})", excerpt(key, 40));
            let url = entry
                .get("fullUrl")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(format!("{where_}: no fullUrl")))?;
            if patients.iter().any(|p| p.url == url) {
                return Err(bad(format!(
                    "{where_}: a second Patient with the same fullUrl"
                )));
            }
            patients.push(PatientParts {
                url: url.to_owned(),
                surgery: None,
                baseline: BaselineParts::default(),
                days: std::collections::BTreeMap::new(),
                record: PatientRecord::empty(read_patient(r, key, &where_)?),
            });
        }
    }
    if patients.is_empty() {
        return Err(bad("the bundle has no Patient"));
    }
    for (index, entry) in entries.iter().enumerate() {
        let r = resource(index, entry)?;
        let kind = r.get("resourceType").and_then(Value::as_str).unwrap_or("");
        if kind == "Patient" {
            continue;
        }
        if !KINDS_BESIDES_PATIENT.contains(&kind) {
            return Err(bad(format!(
                "entry {index}: a \"{}\" resource is not something this app writes or reads",
                excerpt(kind, 40)
            )));
        }
        let key = key_of(r).unwrap_or("");
        let where_ = format!("entry {index} ({kind} {})", excerpt(key, 40));
        let subject = str_at(r, &["subject", "reference"]).unwrap_or("");
        let parts = patients
            .iter_mut()
            .find(|p| p.url == subject)
            .ok_or_else(|| {
                bad(format!(
                    "{where_}: its subject is not a Patient in this bundle"
                ))
            })?;
        match kind {
            "Procedure" => {
                if parts.surgery.is_some() {
                    return Err(bad(format!(
                        "{where_}: a second surgery for the same patient"
                    )));
                }
                parts.surgery = Some(read_surgery(r, &where_)?);
            }
            "Observation" => read_observation(r, &where_, parts)?,
            "Goal" => parts.record.milestones.push(read_goal(r, &where_)?),
            "CarePlan" => parts.record.plan.extend(read_care_plan(r, &where_)?),
            "QuestionnaireResponse" => parts.record.psfs_ratings.extend(read_psfs(r, &where_)?),
            _ => parts.record.visit_notes.push(read_note(r, &where_)?),
        }
    }
    patients.into_iter().map(PatientParts::finish).collect()
}

/// Details to fill in from the Patient and Procedure resources.
fn empty_details() -> PatientDetails {
    PatientDetails {
        name: String::new(),
        date_of_birth: None,
        surgery_date: NaiveDate::MIN,
        procedure: Procedure::Other,
        approach: Approach::Open,
        levels: String::new(),
        surgeon: None,
        clinic: None,
        team_phone: None,
        discharged_on: None,
    }
}

/// A Patient resource: the number, name, date of birth and archive state.
fn read_patient(r: &Value, key: &str, where_: &str) -> Result<Patient, ExchangeError> {
    let id: i64 = key
        .parse()
        .ok()
        .ok_or_else(|| bad(format!("{where_}: no patient number")))?;
    let created = match extension(r, "created-at").and_then(|e| e.get("valueDateTime")) {
        None => DateTime::UNIX_EPOCH,
        Some(value) => value
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| {
                bad(format!(
                    "{where_}, created-at: {} is not a date and time",
                    excerpt(&value.to_string(), 40)
                ))
            })?,
    };
    Ok(Patient {
        id: PatientId(id),
        details: PatientDetails {
            name: r
                .get("name")
                .and_then(|n| n.get(0))
                .and_then(|n| n.get("text"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            date_of_birth: r
                .get("birthDate")
                .and_then(Value::as_str)
                .map(|d| day_of(Some(d), &format!("{where_}, birthDate")))
                .transpose()?,
            team_phone: extension(r, "team-phone")
                .and_then(|e| e.get("valueString"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            discharged_on: ext_day(r, "discharged-on", where_)?,
            ..empty_details()
        },
        archived: !r.get("active").and_then(Value::as_bool).unwrap_or(true),
        created_at: created,
        first_used_on: ext_day(r, "first-used-on", where_)?,
    })
}

/// The operation's Procedure resource.
fn read_surgery(r: &Value, where_: &str) -> Result<Surgery, ExchangeError> {
    let code = r
        .get("code")
        .and_then(|c| first_code(c, PROCEDURE_KIND))
        .and_then(|c| c.parse::<Procedure>().ok())
        .ok_or_else(|| bad(format!("{where_}: unknown procedure code")))?;
    let approach = extension(r, "approach")
        .and_then(|e| e.get("valueCoding"))
        .and_then(|c| c.get("code"))
        .and_then(Value::as_str)
        .and_then(|c| c.parse::<Approach>().ok())
        .ok_or_else(|| bad(format!("{where_}: unknown approach")))?;
    let levels = extension(r, "levels")
        .and_then(|e| e.get("valueString"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let surgeon = r
        .get("performer")
        .and_then(|p| p.get(0))
        .and_then(|p| str_at(p, &["actor", "display"]))
        .map(str::to_owned);
    let clinic = str_at(r, &["location", "display"]).map(str::to_owned);
    Ok((
        day_of(
            r.get("performedDateTime").and_then(Value::as_str),
            "the surgery",
        )?,
        code,
        approach,
        levels,
        surgeon,
        clinic,
    ))
}

/// A milestone's Goal resource.
fn read_goal(r: &Value, where_: &str) -> Result<MilestoneRecord, ExchangeError> {
    let milestone_key = r
        .get("description")
        .and_then(|c| first_code(c, MILESTONE))
        .ok_or_else(|| bad(format!("{where_}: no milestone code")))?;
    let custom = match (ext_int(r, "window-from-day"), ext_int(r, "window-to-day")) {
        (Some(from), Some(to)) => Some(CustomMilestone {
            label: str_at(r, &["description", "text"]).unwrap_or("").to_owned(),
            window_from: u16::try_from(from)
                .ok()
                .ok_or_else(|| bad(format!("{where_}: window")))?,
            window_to: u16::try_from(to)
                .ok()
                .ok_or_else(|| bad(format!("{where_}: window")))?,
        }),
        _ => None,
    };
    Ok(MilestoneRecord {
        key: milestone_key.to_owned(),
        custom,
        achieved_on: r
            .get("statusDate")
            .and_then(Value::as_str)
            .map(|d| day_of(Some(d), "statusDate"))
            .transpose()?,
    })
}

/// The exercise plan's `CarePlan` resource: one item per activity.
fn read_care_plan(r: &Value, where_: &str) -> Result<Vec<PlanItem>, ExchangeError> {
    let mut plan = Vec::new();
    for activity in r
        .get("activity")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let detail = activity
            .get("detail")
            .ok_or_else(|| bad(format!("{where_}: activity without detail")))?;
        plan.push(PlanItem {
            id: None,
            exercise_key: detail
                .get("code")
                .and_then(|c| first_code(c, EXERCISE))
                .ok_or_else(|| bad(format!("{where_}: activity without exercise code")))?
                .to_owned(),
            name: str_at(detail, &["code", "text"]).unwrap_or("").to_owned(),
            instructions: extension(detail, "instructions")
                .and_then(|e| e.get("valueString"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            dose: Dose {
                sets: int(
                    extension(detail, "sets").and_then(|e| e.get("valueInteger")),
                    &format!("{where_}, sets"),
                )?,
                reps: optional_int(detail, "reps", where_)?,
                hold_seconds: optional_int(detail, "hold-seconds", where_)?,
                minutes: optional_int(detail, "minutes", where_)?,
                times_per_day: int(
                    extension(detail, "times-per-day").and_then(|e| e.get("valueInteger")),
                    &format!("{where_}, times-per-day"),
                )?,
            },
            start_day: day_of(
                str_at(detail, &["scheduledPeriod", "start"]),
                &format!("{where_}, plan start"),
            )?,
            end_day: str_at(detail, &["scheduledPeriod", "end"])
                .map(|d| day_of(Some(d), &format!("{where_}, plan end")))
                .transpose()?,
        });
    }
    Ok(plan)
}

/// A visit note's Communication resource.
fn read_note(r: &Value, where_: &str) -> Result<VisitNote, ExchangeError> {
    Ok(VisitNote {
        id: None,
        day: day_of(
            r.get("sent").and_then(Value::as_str),
            &format!("{where_}, sent"),
        )?,
        author: str_at(r, &["sender", "display"]).unwrap_or("").to_owned(),
        text: r
            .get("payload")
            .and_then(|p| p.get(0))
            .and_then(|p| p.get("contentString"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    })
}

/// The surgery as read from its Procedure: day, procedure, approach,
/// levels, surgeon, clinic.
type Surgery = (
    NaiveDate,
    Procedure,
    Approach,
    String,
    Option<String>,
    Option<String>,
);

#[derive(Default)]
struct CheckInParts {
    symptoms_seen: bool,
    back_pain: Option<u8>,
    leg_pain: Option<u8>,
    walking: Option<u16>,
    sitting: Option<u16>,
    sleep: Option<u8>,
    opioids: Option<u8>,
    symptoms: WarningSymptoms,
    note: String,
    numbness: Option<u8>,
    tingling: Option<u8>,
    weakness: Option<(Weakness, Option<Side>)>,
    body_map: BodyMap,
}

impl CheckInParts {
    fn finish(self, day: NaiveDate) -> Result<CheckIn, ExchangeError> {
        let missing = |what: &str| bad(format!("the check-in of {day} has no {what}"));
        Ok(CheckIn {
            day,
            back_pain: self.back_pain.ok_or_else(|| missing("back pain"))?,
            leg_pain: self.leg_pain.ok_or_else(|| missing("leg pain"))?,
            walking_minutes: self.walking.ok_or_else(|| missing("walking tolerance"))?,
            sitting_minutes: self.sitting.ok_or_else(|| missing("sitting tolerance"))?,
            sleep_quality: self.sleep.ok_or_else(|| missing("sleep quality"))?,
            opioid_doses: self.opioids.ok_or_else(|| missing("opioid doses"))?,
            warning_symptoms: self.symptoms,
            note: self.note,
            nerves: match (self.numbness, self.tingling, self.weakness) {
                (None, None, None) => None,
                (Some(numbness), Some(tingling), Some((weakness, weakness_side))) => {
                    Some(NerveSymptoms {
                        numbness,
                        tingling,
                        weakness,
                        weakness_side,
                    })
                }
                _ => {
                    return Err(bad(format!(
                        "the check-in of {day} has only some of numbness, tingling and weakness"
                    )));
                }
            },
            body_map: self.body_map,
        })
    }
}

/// The values before surgery, each from its own Observation.
#[derive(Default)]
struct BaselineParts {
    back_pain: Option<u8>,
    leg_pain: Option<u8>,
    walking: Option<u16>,
    sitting: Option<u16>,
    odi: Option<u8>,
    numbness: Option<u8>,
    tingling: Option<u8>,
}

impl BaselineParts {
    /// A baseline needs its four daily values; the ODI is optional.
    fn finish(self) -> Result<Option<Baseline>, ExchangeError> {
        match (self.back_pain, self.leg_pain, self.walking, self.sitting) {
            (Some(back_pain), Some(leg_pain), Some(walking_minutes), Some(sitting_minutes)) => {
                Ok(Some(Baseline {
                    back_pain,
                    leg_pain,
                    walking_minutes,
                    sitting_minutes,
                    odi: self.odi,
                    numbness: self.numbness,
                    tingling: self.tingling,
                    // The reason is the app's own note; FHIR carries the values.
                    clinician_reason: None,
                }))
            }
            (None, None, None, None)
                if self.odi.is_none() && self.numbness.is_none() && self.tingling.is_none() =>
            {
                Ok(None)
            }
            _ => Err(bad(
                "the values before surgery are incomplete: back pain, leg pain, walking and sitting come together",
            )),
        }
    }
}

/// Sets a value that may be given only once.
fn once<T>(slot: &mut Option<T>, value: T, where_: &str) -> Result<(), ExchangeError> {
    if slot.is_some() {
        return Err(bad(format!(
            "{where_}: this value is given twice for the same day"
        )));
    }
    *slot = Some(value);
    Ok(())
}

/// An Observation of exercise sessions: the exercise and the pain during
/// it ride as components.
fn read_exercise_log(
    r: &Value,
    day: NaiveDate,
    where_: &str,
    sessions: u8,
) -> Result<ExerciseLog, ExchangeError> {
    let components = r
        .get("component")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let exercise_key = components
        .iter()
        .find_map(|c| c.get("code").and_then(|c| first_code(c, EXERCISE)))
        .ok_or_else(|| bad(format!("{where_}: no exercise")))?;
    let pain = components
        .iter()
        .find(|c| c.get("code").and_then(|c| first_code(c, LOINC)) == Some(PAIN_0_10))
        .map(|c| int::<u8>(c.get("valueInteger"), where_))
        .transpose()?;
    Ok(ExerciseLog {
        day,
        exercise_key: exercise_key.to_owned(),
        sessions,
        pain,
    })
}

/// The warning symptoms of a day: one Observation, a component each.
/// The codes of `system` in an Observation's components, in order; a
/// component without one is an error naming `what` it should hold.
fn component_codes<'a>(
    r: &'a Value,
    system: &str,
    what: &str,
    where_: &str,
) -> Result<Vec<&'a str>, ExchangeError> {
    r.get("component")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|component| {
            component
                .get("valueCodeableConcept")
                .and_then(|c| first_code(c, system))
                .ok_or_else(|| bad(format!("{where_}: {what} without a code")))
        })
        .collect()
}

/// Leg weakness, and its side as a component.
fn read_weakness(r: &Value, where_: &str) -> Result<(Weakness, Option<Side>), ExchangeError> {
    let code = r
        .get("valueCodeableConcept")
        .and_then(|c| first_code(c, WEAKNESS))
        .ok_or_else(|| bad(format!("{where_}: weakness without a code")))?;
    let weakness = code.parse::<Weakness>().map_err(|_unknown| {
        bad(format!(
            "{where_}: unknown weakness \"{}\"",
            excerpt(code, 40)
        ))
    })?;
    let mut side = None;
    for code in component_codes(r, SIDE, "a side", where_)? {
        let found = code
            .parse::<Side>()
            .map_err(|_unknown| bad(format!("{where_}: unknown side \"{}\"", excerpt(code, 40))))?;
        once(&mut side, found, where_)?;
    }
    Ok((weakness, side))
}

fn read_symptoms(
    r: &Value,
    where_: &str,
    day: NaiveDate,
    day_parts: &mut CheckInParts,
) -> Result<(), ExchangeError> {
    if day_parts.symptoms_seen {
        return Err(bad(format!(
            "{where_}: a second list of warning symptoms for {day}"
        )));
    }
    day_parts.symptoms_seen = true;
    for code in component_codes(r, SYMPTOM, "a symptom", where_)? {
        let symptom = code.parse::<WarningSymptom>().map_err(|_unknown| {
            bad(format!(
                "{where_}: unknown symptom \"{}\"",
                excerpt(code, 40)
            ))
        })?;
        day_parts.symptoms.set(symptom, true);
    }
    Ok(())
}

fn read_observation(
    r: &Value,
    where_: &str,
    parts: &mut PatientParts,
) -> Result<(), ExchangeError> {
    let code = r
        .get("code")
        .ok_or_else(|| bad(format!("{where_}: no code")))?;
    let day = day_of(r.get("effectiveDateTime").and_then(Value::as_str), where_)?;
    let is_baseline = r
        .get("category")
        .and_then(Value::as_array)
        .is_some_and(|cats| {
            cats.iter()
                .any(|c| first_code(c, MEASURE) == Some("pre-operative"))
        });
    let integer = || int::<u8>(r.get("valueInteger"), &format!("{where_}, valueInteger"));
    let quantity = || {
        int::<u16>(
            r.get("valueQuantity").and_then(|q| q.get("value")),
            &format!("{where_}, valueQuantity"),
        )
    };
    let site = r.get("bodySite").and_then(|s| first_code(s, SNOMED));
    let measure_code = first_code(code, MEASURE);
    let loinc = first_code(code, LOINC);
    let note = r
        .get("note")
        .and_then(|n| n.get(0))
        .and_then(|n| n.get("text"))
        .and_then(Value::as_str);
    if is_baseline {
        let b = &mut parts.baseline;
        match (loinc, site, measure_code) {
            (Some(PAIN_0_10), Some(LOW_BACK), _) => once(&mut b.back_pain, integer()?, where_)?,
            (Some(PAIN_0_10), Some(LOWER_LIMB), _) => once(&mut b.leg_pain, integer()?, where_)?,
            (_, _, Some("walking-tolerance")) => once(&mut b.walking, quantity()?, where_)?,
            (_, _, Some("sitting-tolerance")) => once(&mut b.sitting, quantity()?, where_)?,
            (Some(ODI_SCORE), _, _) => once(&mut b.odi, integer()?, where_)?,
            (_, _, Some("leg-numbness")) => once(&mut b.numbness, integer()?, where_)?,
            (_, _, Some("leg-tingling")) => once(&mut b.tingling, integer()?, where_)?,
            _ => {
                return Err(bad(format!(
                    "{where_}: an unknown pre-operative observation"
                )));
            }
        }
        return Ok(());
    }
    if loinc == Some(ODI_SCORE) {
        parts.record.odi_entries.push(OdiEntry {
            day,
            total: integer()?,
        });
        return Ok(());
    }
    // The day's score is derived from its QuestionnaireResponse, which
    // carries the ratings; it is checked there, not stored.
    if measure_code == Some("psfs-score") {
        return Ok(());
    }
    if measure_code == Some("exercise-sessions") {
        parts
            .record
            .exercise_logs
            .push(read_exercise_log(r, day, where_, integer()?)?);
        return Ok(());
    }
    let day_parts = parts.days.entry(day).or_default();
    match (loinc, site, measure_code) {
        (Some(PAIN_0_10), Some(LOW_BACK), _) => {
            once(&mut day_parts.back_pain, integer()?, where_)?;
            day_parts.note = note.unwrap_or("").to_owned();
        }
        (Some(PAIN_0_10), Some(LOWER_LIMB), _) => {
            once(&mut day_parts.leg_pain, integer()?, where_)?;
        }
        (_, _, Some("walking-tolerance")) => once(&mut day_parts.walking, quantity()?, where_)?,
        (_, _, Some("sitting-tolerance")) => once(&mut day_parts.sitting, quantity()?, where_)?,
        (_, _, Some("sleep-quality")) => once(&mut day_parts.sleep, integer()?, where_)?,
        (_, _, Some("opioid-doses")) => once(&mut day_parts.opioids, integer()?, where_)?,
        (_, _, Some("warning-symptoms")) => read_symptoms(r, where_, day, day_parts)?,
        (_, _, Some("leg-numbness")) => once(&mut day_parts.numbness, integer()?, where_)?,
        (_, _, Some("leg-tingling")) => once(&mut day_parts.tingling, integer()?, where_)?,
        (_, _, Some("leg-weakness")) => {
            once(&mut day_parts.weakness, read_weakness(r, where_)?, where_)?;
        }
        (_, _, Some("symptom-map")) => read_body_map(r, where_, day, &mut day_parts.body_map)?,
        _ => {
            return Err(bad(format!(
                "{where_}: an observation code this app does not know"
            )));
        }
    }
    Ok(())
}
