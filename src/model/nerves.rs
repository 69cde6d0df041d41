//! Nerve symptoms in the legs, the third benefit fusion with decompression
//! promises: numbness, tingling ("pins and needles") and weakness.

use super::ValidationError;
use serde::{Deserialize, Serialize};
use strum::VariantArray;

/// How weak a leg is, in the patient's own terms. Its code in files and in
/// the database is the strum name (`mild`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Weakness {
    #[default]
    None,
    Mild,
    Moderate,
    Severe,
}

impl Weakness {
    /// How it is stored and exported.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The choice as the patient sees it.
    pub fn words(self) -> &'static str {
        match self {
            Weakness::None => "None",
            Weakness::Mild => "Mild",
            Weakness::Moderate => "Moderate",
            Weakness::Severe => "Severe",
        }
    }

    /// One plain example, so the levels mean the same to everyone.
    pub fn example(self) -> &'static str {
        match self {
            Weakness::None => "my legs feel as strong as usual",
            Weakness::Mild => "tired or heavy on a longer walk",
            Weakness::Moderate => "my foot slaps or catches when I walk",
            Weakness::Severe => "my knee gives way, or I cannot stand on tiptoe or heel",
        }
    }

    /// 0 (none) … 3 (severe), for charts.
    pub fn level(self) -> u8 {
        match self {
            Weakness::None => 0,
            Weakness::Mild => 1,
            Weakness::Moderate => 2,
            Weakness::Severe => 3,
        }
    }
}

/// Which leg; coded as the strum name (`left`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Side {
    Left,
    Right,
    Both,
}

impl Side {
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn words(self) -> &'static str {
        match self {
            Side::Left => "Left leg",
            Side::Right => "Right leg",
            Side::Both => "Both legs",
        }
    }
}

/// A day's nerve symptoms: numbness and tingling 0–10 in the worse leg,
/// and weakness with the leg it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NerveSymptoms {
    pub numbness: u8,
    pub tingling: u8,
    pub weakness: Weakness,
    /// Which leg is weak; none when there is no weakness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weakness_side: Option<Side>,
}

impl NerveSymptoms {
    /// "No numbness, tingling or weakness", in one click.
    pub const NONE: NerveSymptoms = NerveSymptoms {
        numbness: 0,
        tingling: 0,
        weakness: Weakness::None,
        weakness_side: None,
    };

    pub fn validate(&self) -> Result<(), ValidationError> {
        super::check_range("numbness", self.numbness, 0, 10)?;
        super::check_range("tingling", self.tingling, 0, 10)?;
        match (self.weakness, self.weakness_side) {
            (Weakness::None, Some(_)) => Err(ValidationError::new(
                "weakness_side",
                "a side is given only for weakness".to_owned(),
            )),
            (Weakness::Mild | Weakness::Moderate | Weakness::Severe, None) => {
                Err(ValidationError::new(
                    "weakness_side",
                    "say which leg is weak: left, right or both".to_owned(),
                ))
            }
            _ => Ok(()),
        }
    }
}
