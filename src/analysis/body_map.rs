//! The body map as a figure, and what a period of marks adds up to. The
//! window and the PDF draw the same figure from [`layout`]; the heat map's
//! numbers come from [`HeatMap::of`] and nowhere else.

use crate::model::{BodyMap, BodySide, CheckIn, MapSymptom, Region, View};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The figure's size in layout units: 100 wide, 90 high.
pub const WIDTH: f32 = 100.0;
pub const HEIGHT: f32 = 90.0;

/// A rectangle in layout units: left, top, right, bottom.
pub type Box4 = [f32; 4];

/// A region of one side, where it is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionBox {
    pub side: BodySide,
    pub region: Region,
    pub rect: Box4,
}

/// A leg's outline and the words above it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegOutline {
    pub view: View,
    pub side: BodySide,
    pub rect: Box4,
}

/// Front on the left, back on the right, as a physiotherapist's chart: in
/// the front view the patient's right leg is on the viewer's left, in the
/// back view their left leg is.
pub fn legs() -> [LegOutline; 4] {
    [
        LegOutline {
            view: View::Front,
            side: BodySide::Right,
            rect: [4.0, 12.0, 22.0, 86.0],
        },
        LegOutline {
            view: View::Front,
            side: BodySide::Left,
            rect: [26.0, 12.0, 44.0, 86.0],
        },
        LegOutline {
            view: View::Back,
            side: BodySide::Left,
            rect: [54.0, 12.0, 71.0, 86.0],
        },
        LegOutline {
            view: View::Back,
            side: BodySide::Right,
            rect: [81.0, 12.0, 98.0, 86.0],
        },
    ]
}

/// Where each region of each side is drawn. No two overlap.
pub fn layout() -> Vec<RegionBox> {
    const GAP: f32 = 0.5;
    let mut boxes = Vec::new();
    for leg in legs() {
        let [x0, _, x1, _] = leg.rect;
        let width = x1 - x0;
        // Columns from the leg's outer edge inwards, as fractions of its
        // width; the outer edge is on the viewer's left for the right leg
        // seen from the front and for the left leg seen from the back.
        let outer_on_left = matches!(
            (leg.view, leg.side),
            (View::Front, BodySide::Right) | (View::Back, BodySide::Left)
        );
        let mut row = |y0: f32, y1: f32, columns: &[(Region, f32)]| {
            let mut from = 0.0;
            for &(region, share) in columns {
                let (a, b) = (from, from + share);
                from = b;
                let (mut left, mut right) = if outer_on_left {
                    (x0 + a * width, x0 + b * width)
                } else {
                    (x1 - b * width, x1 - a * width)
                };
                // A gap between neighbours, none at the leg's edges.
                if left > x0 + 0.01 {
                    left += GAP / 2.0;
                }
                if right < x1 - 0.01 {
                    right -= GAP / 2.0;
                }
                boxes.push(RegionBox {
                    side: leg.side,
                    region,
                    rect: [left, y0, right, y1],
                });
            }
        };
        match leg.view {
            View::Front => {
                row(
                    12.0,
                    40.0,
                    &[
                        (Region::OuterThigh, 0.3),
                        (Region::FrontOfThigh, 0.4),
                        (Region::InnerThigh, 0.3),
                    ],
                );
                row(
                    41.0,
                    65.0,
                    &[(Region::OuterShin, 0.4), (Region::FrontOfShin, 0.6)],
                );
                row(66.0, 75.0, &[(Region::TopOfFoot, 1.0)]);
                row(
                    76.0,
                    86.0,
                    &[(Region::LittleToe, 0.5), (Region::BigToe, 0.5)],
                );
            }
            View::Back => {
                row(12.0, 26.0, &[(Region::Buttock, 1.0)]);
                row(27.0, 50.0, &[(Region::BackOfThigh, 1.0)]);
                row(51.0, 72.0, &[(Region::Calf, 1.0)]);
                row(73.0, 86.0, &[(Region::Sole, 1.0)]);
            }
        }
    }
    boxes.push(RegionBox {
        side: BodySide::Middle,
        region: Region::Saddle,
        rect: [72.0, 14.0, 80.0, 34.0],
    });
    boxes
}

/// How many days of a period each place was marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeatMap {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Check-ins in the period, and how many of them marked anything.
    pub check_ins: u32,
    pub mapped: u32,
    counts: BTreeMap<(BodySide, Region, MapSymptom), u32>,
    /// Days a place was marked with anything.
    places: BTreeMap<(BodySide, Region), u32>,
}

impl HeatMap {
    /// The marks of the check-ins from `from` to `to`, both included.
    pub fn of(check_ins: &[CheckIn], from: NaiveDate, to: NaiveDate) -> Self {
        let mut heat = HeatMap {
            from: Some(from),
            to: Some(to),
            ..HeatMap::default()
        };
        for c in check_ins.iter().filter(|c| c.day >= from && c.day <= to) {
            heat.check_ins += 1;
            heat.mapped += u32::from(!c.body_map.is_empty());
            let mut places = std::collections::BTreeSet::new();
            for m in c.body_map.marks() {
                *heat
                    .counts
                    .entry((m.side, m.region, m.symptom))
                    .or_default() += 1;
                places.insert((m.side, m.region));
            }
            for place in places {
                *heat.places.entry(place).or_default() += 1;
            }
        }
        heat
    }

    /// The period as long as `from..=to` that ends the day before `from`:
    /// what Review and the PDF set a period against.
    pub fn before(check_ins: &[CheckIn], from: NaiveDate, to: NaiveDate) -> Self {
        let length = chrono::Days::new(u64::try_from((to - from).num_days() + 1).unwrap_or(1));
        Self::of(check_ins, from - length, from - chrono::Days::new(1))
    }

    /// The symptoms marked in a place on at least one day of the period.
    pub fn symptoms_at(&self, side: BodySide, region: Region) -> Vec<MapSymptom> {
        use strum::VariantArray;
        MapSymptom::VARIANTS
            .iter()
            .copied()
            .filter(|s| self.days(side, region, Some(*s)) > 0)
            .collect()
    }

    /// Days a place was marked with `symptom`, or with anything when
    /// `None` (a day with two symptoms in one place counts once).
    pub fn days(&self, side: BodySide, region: Region, symptom: Option<MapSymptom>) -> u32 {
        match symptom {
            Some(s) => self.counts.get(&(side, region, s)).copied().unwrap_or(0),
            None => self.places.get(&(side, region)).copied().unwrap_or(0),
        }
    }

    /// The places marked at least once, most days first.
    pub fn ranked(&self, symptom: Option<MapSymptom>) -> Vec<(BodySide, Region, u32)> {
        let mut places: Vec<(BodySide, Region, u32)> = layout()
            .into_iter()
            .map(|b| (b.side, b.region, self.days(b.side, b.region, symptom)))
            .filter(|(_, _, n)| *n > 0)
            .collect();
        places.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        places
    }
}

/// Places newly numb since an earlier map: numbness that spreads. Nothing
/// when the earlier day marked nothing, since a first map is not a change.
pub fn numbness_spread(earlier: &BodyMap, now: &BodyMap) -> Vec<(BodySide, Region)> {
    if earlier.is_empty() {
        return Vec::new();
    }
    let before = earlier.places(MapSymptom::Numbness);
    now.places(MapSymptom::Numbness)
        .into_iter()
        .filter(|p| p.1 != Region::Saddle && !before.contains(p))
        .collect()
}

pub use crate::model::place_words;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mark;

    fn overlaps(a: Box4, b: Box4) -> bool {
        a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
    }

    #[test]
    fn every_place_is_drawn_once_and_none_overlap() {
        let boxes = layout();
        assert_eq!(boxes.len(), 12 * 2 + 1);
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.rect[0] < a.rect[2] && a.rect[1] < a.rect[3], "{a:?}");
            assert!(a.rect[2] <= WIDTH && a.rect[3] <= HEIGHT);
            for b in &boxes[i + 1..] {
                assert!(!overlaps(a.rect, b.rect), "{a:?} overlaps {b:?}");
                assert!((a.side, a.region) != (b.side, b.region));
            }
        }
        // The outer thigh is on the outside of each leg.
        let outer = |side| {
            boxes
                .iter()
                .find(|b| b.side == side && b.region == Region::OuterThigh)
                .map(|b| b.rect[0])
        };
        let inner = |side| {
            boxes
                .iter()
                .find(|b| b.side == side && b.region == Region::InnerThigh)
                .map(|b| b.rect[0])
        };
        // Front view: the right leg is on the viewer's left, outer edge first.
        assert!(outer(BodySide::Right) < inner(BodySide::Right));
        assert!(outer(BodySide::Left) > inner(BodySide::Left));
    }

    #[test]
    fn a_heat_map_counts_days_per_place() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("day");
        let mark = |side, region, symptom| Mark {
            side,
            region,
            symptom,
        };
        let calf_numb = mark(BodySide::Left, Region::Calf, MapSymptom::Numbness);
        let calf_pain = mark(BodySide::Left, Region::Calf, MapSymptom::Pain);
        let with = |d, marks: &[Mark]| CheckIn {
            day: day(d),
            back_pain: 3,
            leg_pain: 3,
            walking_minutes: 10,
            sitting_minutes: 10,
            sleep_quality: 5,
            opioid_doses: 0,
            warning_symptoms: crate::model::WarningSymptoms::default(),
            note: String::new(),
            nerves: None,
            body_map: marks.iter().copied().collect(),
        };
        let check_ins = vec![
            with(1, &[calf_numb, calf_pain]),
            with(2, &[calf_numb]),
            with(3, &[]),
            with(4, &[calf_pain]),
            with(9, &[calf_pain]),
        ];
        let heat = HeatMap::of(&check_ins, day(1), day(5));
        assert_eq!((heat.check_ins, heat.mapped), (4, 3));
        assert_eq!(
            heat.days(BodySide::Left, Region::Calf, Some(MapSymptom::Numbness)),
            2
        );
        assert_eq!(
            heat.days(BodySide::Left, Region::Calf, Some(MapSymptom::Pain)),
            2
        );
        // Days with anything there: 1, 2 and 4, each once.
        assert_eq!(heat.days(BodySide::Left, Region::Calf, None), 3);
        assert_eq!(heat.days(BodySide::Right, Region::Calf, None), 0);
        assert_eq!(heat.ranked(None), vec![(BodySide::Left, Region::Calf, 3)]);
    }

    #[test]
    fn numbness_spreads_only_to_new_places_after_an_earlier_map() {
        let numb = |region| Mark {
            side: BodySide::Right,
            region,
            symptom: MapSymptom::Numbness,
        };
        let earlier: BodyMap = [numb(Region::Calf)].into_iter().collect();
        let now: BodyMap = [numb(Region::Calf), numb(Region::Sole)]
            .into_iter()
            .collect();
        assert_eq!(
            numbness_spread(&earlier, &now),
            vec![(BodySide::Right, Region::Sole)]
        );
        assert!(numbness_spread(&BodyMap::default(), &now).is_empty());
        assert!(
            numbness_spread(&now, &earlier).is_empty(),
            "less is not a spread"
        );
    }
}
