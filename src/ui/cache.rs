//! What the screens read instead of the database. Rebuilt only when the
//! store's data version or the selected patient changes, never per frame.

use crate::model::{Baseline, CheckIn, Patient, PatientId};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

/// One patient's data, as the screens show it.
pub struct PatientData {
    pub patient: Patient,
    pub baseline: Option<Baseline>,
    /// Oldest first.
    pub check_ins: Vec<CheckIn>,
}

impl PatientData {
    pub fn check_in_on(&self, day: NaiveDate) -> Option<&CheckIn> {
        self.check_ins
            .binary_search_by_key(&day, |c| c.day)
            .ok()
            .and_then(|i| self.check_ins.get(i))
    }

    /// The latest check-in before `day`, which a new one is prefilled from.
    pub fn check_in_before(&self, day: NaiveDate) -> Option<&CheckIn> {
        let end = self.check_ins.partition_point(|c| c.day < day);
        end.checked_sub(1).and_then(|i| self.check_ins.get(i))
    }
}

#[derive(Default)]
pub struct Cache {
    built_from: Option<(u64, Option<PatientId>)>,
    pub patients: Vec<Patient>,
    pub current: Option<PatientData>,
}

impl Cache {
    /// Rebuilds if the data or the selection changed; returns whether it did.
    pub fn refresh(
        &mut self,
        store: &Store,
        selected: Option<PatientId>,
    ) -> Result<bool, StoreError> {
        let key = (store.data_version(), selected);
        if self.built_from == Some(key) {
            return Ok(false);
        }
        self.patients = store.patients()?;
        self.current = match selected.filter(|id| self.patients.iter().any(|p| p.id == *id)) {
            Some(id) => {
                let record = store.patient_record(id)?;
                Some(PatientData {
                    patient: record.patient,
                    baseline: record.baseline,
                    check_ins: record.check_ins,
                })
            }
            None => None,
        };
        self.built_from = Some(key);
        Ok(true)
    }

    /// Forces the next refresh to reload, e.g. after another file was opened.
    pub fn invalidate(&mut self) {
        self.built_from = None;
    }

    pub fn active_patients(&self) -> impl Iterator<Item = &Patient> {
        self.patients.iter().filter(|p| !p.archived)
    }
}
