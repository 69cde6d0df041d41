//! Where symptoms are: regions of the legs, buttocks and saddle area, per
//! side, each marked with pain, numbness or tingling. The regions follow
//! the dermatomes a physiotherapist reads (the sensory key points of the
//! International Standards for Neurological Classification of Spinal Cord
//! Injury, ASIA/ISCoS, revised 2019: L2 mid-front thigh, L3 inner knee, L4
//! inner ankle, L5 top of the foot, S1 outer heel, S2 back of the knee,
//! S3–S5 the saddle area); a region's dermatomes are approximate, since
//! they overlap from person to person.

use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use strum::VariantArray;

/// Whether a region is seen from the front or from the back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Front,
    Back,
}

/// A region of the map. Its code in files and in the database is the strum
/// name (`back_of_thigh`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Region {
    Buttock,
    BackOfThigh,
    FrontOfThigh,
    OuterThigh,
    InnerThigh,
    FrontOfShin,
    OuterShin,
    Calf,
    TopOfFoot,
    Sole,
    BigToe,
    LittleToe,
    /// Between the legs: buttocks, genitals and the inner upper thighs that
    /// touch a saddle. Numbness here is an emergency (cauda equina).
    Saddle,
}

impl Region {
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The region in plain words ("back of the thigh").
    pub fn words(self) -> &'static str {
        match self {
            Region::Buttock => "buttock",
            Region::BackOfThigh => "back of the thigh",
            Region::FrontOfThigh => "front of the thigh",
            Region::OuterThigh => "outer thigh",
            Region::InnerThigh => "inner thigh",
            Region::FrontOfShin => "front of the shin",
            Region::OuterShin => "outer shin",
            Region::Calf => "calf",
            Region::TopOfFoot => "top of the foot",
            Region::Sole => "sole and heel",
            Region::BigToe => "big toe",
            Region::LittleToe => "little toe",
            Region::Saddle => "saddle area (between the legs)",
        }
    }

    /// A word or two to write inside the region on the map.
    pub fn short_words(self) -> &'static str {
        match self {
            Region::Buttock => "buttock",
            Region::BackOfThigh => "back of thigh",
            Region::FrontOfThigh => "front of thigh",
            Region::OuterThigh => "outer thigh",
            Region::InnerThigh => "inner thigh",
            Region::FrontOfShin => "shin",
            Region::OuterShin => "outer shin",
            Region::Calf => "calf",
            Region::TopOfFoot => "foot",
            Region::Sole => "sole",
            Region::BigToe => "big toe",
            Region::LittleToe => "little toe",
            Region::Saddle => "saddle",
        }
    }

    /// The nerve roots that usually supply it, for the physiotherapist.
    pub fn dermatomes(self) -> &'static str {
        match self {
            Region::Buttock => "L1–L3, S1–S3",
            Region::BackOfThigh | Region::Calf => "S1–S2",
            Region::FrontOfThigh | Region::OuterThigh | Region::InnerThigh => "L2–L3",
            Region::FrontOfShin => "L4",
            Region::OuterShin | Region::TopOfFoot | Region::BigToe => "L5",
            Region::Sole | Region::LittleToe => "S1",
            Region::Saddle => "S3–S5",
        }
    }

    pub fn view(self) -> View {
        match self {
            Region::Buttock
            | Region::BackOfThigh
            | Region::Calf
            | Region::Sole
            | Region::Saddle => View::Back,
            Region::FrontOfThigh
            | Region::OuterThigh
            | Region::InnerThigh
            | Region::FrontOfShin
            | Region::OuterShin
            | Region::TopOfFoot
            | Region::BigToe
            | Region::LittleToe => View::Front,
        }
    }

    /// The saddle area is one region in the middle; every other has a left
    /// and a right.
    pub fn sides(self) -> &'static [BodySide] {
        match self {
            Region::Saddle => &[BodySide::Middle],
            _ => &[BodySide::Left, BodySide::Right],
        }
    }
}

/// The side a region is on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BodySide {
    Left,
    Right,
    /// The saddle area.
    Middle,
}

impl BodySide {
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn words(self) -> &'static str {
        match self {
            BodySide::Left => "Left",
            BodySide::Right => "Right",
            BodySide::Middle => "Middle",
        }
    }
}

/// What is felt in a region.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MapSymptom {
    Pain,
    Numbness,
    Tingling,
}

impl MapSymptom {
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn words(self) -> &'static str {
        match self {
            MapSymptom::Pain => "Pain",
            MapSymptom::Numbness => "Numbness",
            MapSymptom::Tingling => "Tingling",
        }
    }

    /// One letter for the map, so a mark never depends on colour alone.
    pub fn letter(self) -> &'static str {
        match self {
            MapSymptom::Pain => "P",
            MapSymptom::Numbness => "N",
            MapSymptom::Tingling => "T",
        }
    }
}

/// One symptom in one region on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    pub side: BodySide,
    pub region: Region,
    pub symptom: MapSymptom,
}

/// A place in words: "Left calf", "Saddle area (between the legs)".
pub fn place_words(side: BodySide, region: Region) -> String {
    match side {
        BodySide::Middle => capitalised(region.words()),
        side => format!("{} {}", side.words(), region.words()),
    }
}

impl Mark {
    /// Numbness in the saddle area: an emergency sign wherever it is marked.
    pub const SADDLE_NUMBNESS: Mark = Mark {
        side: BodySide::Middle,
        region: Region::Saddle,
        symptom: MapSymptom::Numbness,
    };

    /// "Left calf: numbness".
    pub fn words(self) -> String {
        format!(
            "{}: {}",
            place_words(self.side, self.region),
            self.symptom.words().to_lowercase()
        )
    }

    /// Every mark the map can hold, in map order.
    pub fn all() -> impl Iterator<Item = Mark> {
        Region::VARIANTS.iter().flat_map(|&region| {
            region.sides().iter().flat_map(move |&side| {
                MapSymptom::VARIANTS.iter().map(move |&symptom| Mark {
                    side,
                    region,
                    symptom,
                })
            })
        })
    }

    fn validate(self) -> Result<(), ValidationError> {
        if self.region.sides().contains(&self.side) {
            Ok(())
        } else {
            Err(ValidationError::new(
                "body_map",
                format!(
                    "the {} has no side \"{}\"",
                    self.region.words(),
                    self.side.code()
                ),
            ))
        }
    }
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A day's marks. Stored in the check-in's row as `side.region.symptom`
/// codes joined by commas, in a fixed order, so a day is saved, replaced
/// and deleted as one.
///
/// A set of marks, one bit per mark: reading a day's map allocates nothing
/// (a clinic's patient list reads over a hundred thousand of them). Bits
/// are in [`Mark`]'s order, so marks come out as a sorted set's would.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct BodyMap(u128);

// Every (side, region, symptom) has a bit.
const _: () =
    assert!(BodySide::VARIANTS.len() * Region::VARIANTS.len() * MapSymptom::VARIANTS.len() <= 128);

impl Mark {
    /// This mark's bit in a [`BodyMap`]: ordered as marks are.
    fn bit(self) -> u32 {
        ((self.side as u32 * Region::VARIANTS.len() as u32) + self.region as u32)
            * MapSymptom::VARIANTS.len() as u32
            + self.symptom as u32
    }

    fn from_bit(bit: u32) -> Mark {
        let bit = bit as usize;
        let symptoms = MapSymptom::VARIANTS.len();
        let regions = Region::VARIANTS.len();
        Mark {
            side: BodySide::VARIANTS[bit / symptoms / regions],
            region: Region::VARIANTS[bit / symptoms % regions],
            symptom: MapSymptom::VARIANTS[bit % symptoms],
        }
    }
}

impl std::fmt::Debug for BodyMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.marks()).finish()
    }
}

/// A list of marks, as the set it replaced was written.
impl Serialize for BodyMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.marks())
    }
}

impl<'de> Deserialize<'de> for BodyMap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Mark>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

impl BodyMap {
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn contains(&self, mark: Mark) -> bool {
        self.0 & (1 << mark.bit()) != 0
    }

    pub fn set(&mut self, mark: Mark, present: bool) {
        if present {
            self.0 |= 1 << mark.bit();
        } else {
            self.0 &= !(1 << mark.bit());
        }
    }

    /// In [`Mark`]'s order.
    pub fn marks(&self) -> impl Iterator<Item = Mark> + '_ {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Mark::from_bit(bit)
            })
        })
    }

    /// Whether any region has this symptom.
    pub fn has(&self, symptom: MapSymptom) -> bool {
        self.marks().any(|m| m.symptom == symptom)
    }

    /// The (side, region) places marked with this symptom.
    pub fn places(&self, symptom: MapSymptom) -> BTreeSet<(BodySide, Region)> {
        self.marks()
            .filter(|m| m.symptom == symptom)
            .map(|m| (m.side, m.region))
            .collect()
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        self.marks().try_for_each(|m| m.validate())
    }

    /// The stored form; `None` for an empty map.
    pub fn to_code(&self) -> Option<String> {
        (!self.is_empty()).then(|| {
            self.marks()
                .map(|m| format!("{}.{}.{}", m.side.code(), m.region.code(), m.symptom.code()))
                .collect::<Vec<_>>()
                .join(",")
        })
    }

    /// Reads the stored form; names the first part it does not know.
    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        let mut map = BodyMap::default();
        for part in code.split(',').filter(|p| !p.is_empty()) {
            let bad = || {
                ValidationError::new(
                    "body_map",
                    format!(
                        "\"{}\" is not side.region.symptom",
                        crate::words::excerpt(part, 60)
                    ),
                )
            };
            let mut pieces = part.split('.');
            let (Some(side), Some(region), Some(symptom), None) =
                (pieces.next(), pieces.next(), pieces.next(), pieces.next())
            else {
                return Err(bad());
            };
            let mark = Mark {
                side: side.parse().map_err(|_unknown| bad())?,
                region: region.parse().map_err(|_unknown| bad())?,
                symptom: symptom.parse().map_err(|_unknown| bad())?,
            };
            mark.validate()?;
            map.set(mark, true);
        }
        Ok(map)
    }
}

impl FromIterator<Mark> for BodyMap {
    fn from_iter<I: IntoIterator<Item = Mark>>(marks: I) -> Self {
        let mut map = BodyMap::default();
        for mark in marks {
            map.set(mark, true);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_come_out_sorted_and_are_written_as_a_list() {
        let all: BodyMap = Mark::all().collect();
        let mut sorted: Vec<Mark> = Mark::all().collect();
        sorted.sort();
        assert_eq!(all.marks().collect::<Vec<_>>(), sorted);
        let mut map = BodyMap::default();
        map.set(Mark::SADDLE_NUMBNESS, true);
        let calf = Mark {
            side: BodySide::Right,
            region: Region::Calf,
            symptom: MapSymptom::Tingling,
        };
        map.set(calf, true);
        assert!(map.contains(calf) && map.len() == 2);
        let json = serde_json::to_string(&map).expect("json");
        assert_eq!(
            json,
            r#"[{"side":"right","region":"calf","symptom":"tingling"},{"side":"middle","region":"saddle","symptom":"numbness"}]"#
        );
        assert_eq!(serde_json::from_str::<BodyMap>(&json).expect("read"), map);
        map.set(calf, false);
        assert_eq!(map.marks().collect::<Vec<_>>(), [Mark::SADDLE_NUMBNESS]);
    }

    #[test]
    fn the_stored_form_round_trips_and_refuses_what_it_does_not_know() {
        let all: BodyMap = Mark::all().collect();
        assert_eq!(all.len(), 12 * 2 * 3 + 3);
        let code = all.to_code().expect("marks");
        assert_eq!(BodyMap::from_code(&code), Ok(all));
        assert_eq!(BodyMap::default().to_code(), None);
        assert_eq!(BodyMap::from_code(""), Ok(BodyMap::default()));
        for bad in [
            "left.calf",
            "left.calf.itching",
            "middle.calf.pain",
            "left.saddle.numbness",
            "left.calf.pain.extra",
            "up.calf.pain",
        ] {
            assert!(BodyMap::from_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn marks_read_as_words() {
        let mark = Mark {
            side: BodySide::Left,
            region: Region::Calf,
            symptom: MapSymptom::Numbness,
        };
        assert_eq!(mark.words(), "Left calf: numbness");
        assert_eq!(
            Mark::SADDLE_NUMBNESS.words(),
            "Saddle area (between the legs): numbness"
        );
    }
}
