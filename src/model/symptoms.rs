//! Warning symptoms after spinal fusion, from hospital discharge
//! instructions (Albert TJ, Discharge instructions for lumbar fusion
//! surgery, Rothman Institute at Thomas Jefferson University; saddle
//! numbness and loss of bladder control from cauda equina guidance). The
//! app says what to do; it never diagnoses.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use strum::VariantArray;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Contact the surgical team the same day.
    SameDay,
    /// Call emergency services now.
    Emergency,
}

/// Stored as bit positions in declaration order: never reorder, only
/// append. The codes in files are the strum names below.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum WarningSymptom {
    Fever,
    #[strum(serialize = "wound")]
    WoundProblem,
    LegWeakness,
    UncontrolledPain,
    Fall,
    #[strum(serialize = "headache_sitting")]
    HeadacheOnSitting,
    NoBowelMovement,
    #[strum(serialize = "chest_pain_breathless")]
    ChestPainOrBreathless,
    #[strum(serialize = "bladder_bowel_control")]
    BladderOrBowelControl,
    SaddleNumbness,
    CalfSwelling,
}

impl WarningSymptom {
    fn bit(self) -> u16 {
        let index = Self::VARIANTS.iter().position(|s| *s == self).unwrap_or(0);
        1 << index
    }

    /// The code in files (`fever`).
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The symptom in the patient's words.
    pub fn label(self) -> &'static str {
        match self {
            WarningSymptom::Fever => "Fever above 38 °C (100.4 °F) or chills",
            WarningSymptom::WoundProblem => {
                "Wound red, hot, swollen, opening, or leaking cloudy or smelly fluid"
            }
            WarningSymptom::LegWeakness => "New or worse weakness or numbness in a leg",
            WarningSymptom::UncontrolledPain => "Pain not controlled by my prescribed medicines",
            WarningSymptom::Fall => "I had a fall",
            WarningSymptom::HeadacheOnSitting => "Headache on sitting up that does not go away",
            WarningSymptom::NoBowelMovement => "No bowel movement for 4–5 days",
            WarningSymptom::ChestPainOrBreathless => "Chest pain or shortness of breath",
            WarningSymptom::BladderOrBowelControl => {
                "Loss of bladder or bowel control, or cannot pass urine"
            }
            WarningSymptom::SaddleNumbness => "Numbness between the legs (saddle area)",
            WarningSymptom::CalfSwelling => "Pain or swelling in one calf or leg",
        }
    }

    pub fn urgency(self) -> Urgency {
        match self {
            WarningSymptom::ChestPainOrBreathless
            | WarningSymptom::BladderOrBowelControl
            | WarningSymptom::SaddleNumbness
            | WarningSymptom::CalfSwelling => Urgency::Emergency,
            _ => Urgency::SameDay,
        }
    }
}

/// A set of warning symptoms, stored as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WarningSymptoms(u16);

impl WarningSymptoms {
    /// Every bit that names a known symptom.
    pub const MASK: u16 = (1 << WarningSymptom::VARIANTS.len()) - 1;

    pub fn from_bits(bits: u16) -> Option<Self> {
        (bits & !Self::MASK == 0).then_some(Self(bits))
    }

    pub fn bits(self) -> u16 {
        self.0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, symptom: WarningSymptom) -> bool {
        self.0 & symptom.bit() != 0
    }

    pub fn set(&mut self, symptom: WarningSymptom, present: bool) {
        if present {
            self.0 |= symptom.bit();
        } else {
            self.0 &= !symptom.bit();
        }
    }

    pub fn iter(self) -> impl Iterator<Item = WarningSymptom> {
        WarningSymptom::VARIANTS
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }

    /// The most urgent symptom's urgency, if any symptom is present.
    pub fn urgency(self) -> Option<Urgency> {
        self.iter().map(WarningSymptom::urgency).max()
    }

    /// Codes joined by `;`, the form used in CSV files.
    pub fn to_codes(self) -> String {
        self.iter()
            .map(WarningSymptom::code)
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Parses `;`-separated codes; an empty text is no symptom.
    pub fn from_codes(text: &str) -> Result<Self, String> {
        let mut set = Self::default();
        for code in text.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            let symptom = code.parse::<WarningSymptom>().ok().ok_or_else(|| {
                format!(
                    "unknown warning symptom \"{code}\" (known: {})",
                    WarningSymptom::VARIANTS
                        .iter()
                        .map(|s| s.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            set.set(symptom, true);
        }
        Ok(set)
    }
}

impl FromIterator<WarningSymptom> for WarningSymptoms {
    fn from_iter<I: IntoIterator<Item = WarningSymptom>>(iter: I) -> Self {
        let mut set = Self::default();
        for s in iter {
            set.set(s, true);
        }
        set
    }
}

impl Serialize for WarningSymptoms {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(WarningSymptom::code))
    }
}

impl<'de> Deserialize<'de> for WarningSymptoms {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let codes = Vec::<String>::deserialize(deserializer)?;
        codes
            .iter()
            .map(|code| {
                code.parse::<WarningSymptom>().ok().ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown warning symptom \"{code}\""))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text_and_bits() {
        let all: WarningSymptoms = WarningSymptom::VARIANTS.iter().copied().collect();
        assert_eq!(all.bits(), WarningSymptoms::MASK);
        assert_eq!(WarningSymptoms::from_codes(&all.to_codes()), Ok(all));
        let two = WarningSymptoms::from_codes("fever; fall").expect("known codes");
        assert!(two.contains(WarningSymptom::Fever) && two.contains(WarningSymptom::Fall));
        assert_eq!(two.iter().count(), 2);
        assert_eq!(two.to_codes(), "fever;fall");
        assert_eq!(WarningSymptoms::from_bits(two.bits()), Some(two));
        assert_eq!(WarningSymptoms::from_bits(1 << 15), None);
    }

    #[test]
    fn unknown_codes_are_named() {
        let err = WarningSymptoms::from_codes("fever;dizzy").expect_err("unknown");
        assert!(err.contains("dizzy"), "{err}");
        assert_eq!(
            WarningSymptoms::from_codes(""),
            Ok(WarningSymptoms::default())
        );
    }

    #[test]
    fn the_most_urgent_symptom_decides() {
        let mut set = WarningSymptoms::default();
        assert_eq!(set.urgency(), None);
        set.set(WarningSymptom::Fever, true);
        assert_eq!(set.urgency(), Some(Urgency::SameDay));
        set.set(WarningSymptom::SaddleNumbness, true);
        assert_eq!(set.urgency(), Some(Urgency::Emergency));
        set.set(WarningSymptom::SaddleNumbness, false);
        assert_eq!(set.urgency(), Some(Urgency::SameDay));
    }
}
