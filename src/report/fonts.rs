//! The report's fonts: `DejaVu` Sans for Latin (every European accent,
//! Vietnamese), Greek, Cyrillic and some emoji, Droid Sans Fallback for
//! Chinese and Japanese, and egui's Noto Emoji for other emoji, so a name
//! prints as it is written. (Korean Hangul is not covered: the fonts that
//! have it are ten times the size of the app.) Each character goes to the first face that has it; each face a
//! report uses is embedded as a subset holding only its characters.

use printpdf::ParsedFont;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Latin, Vietnamese, Greek, Cyrillic; the window falls back on it too.
pub const DEJAVU: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const DEJAVU_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// Chinese and Japanese; the window uses it too, for the characters its
/// own fonts lack.
pub const CJK: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");
const EMOJI: &[u8] = epaint_default_fonts::NOTO_EMOJI_REGULAR;

/// A font face of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Face {
    Regular,
    Bold,
    Cjk,
    Emoji,
}

impl Face {
    pub(super) const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Cjk, Face::Emoji];

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => DEJAVU,
            Face::Bold => DEJAVU_BOLD,
            Face::Cjk => CJK,
            Face::Emoji => EMOJI,
        }
    }

    /// The face parsed once per process: parsing the CJK face's character
    /// map takes a while, and only reports that need it pay for it.
    fn parsed(self) -> Option<&'static ParsedFont> {
        static FACES: [OnceLock<Option<ParsedFont>>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        let index = Face::ALL.iter().position(|f| *f == self).unwrap_or(0);
        FACES
            .get(index)?
            .get_or_init(|| ParsedFont::from_bytes(self.bytes(), 0, &mut Vec::new()))
            .as_ref()
    }

    fn glyph(self, c: char) -> Option<u16> {
        self.parsed()?
            .lookup_glyph_index(u32::from(c))
            .filter(|g| *g != 0)
    }
}

/// Which face draws `c`: the text face (bold or not) if it has the
/// character, else the CJK face, else the emoji face; a character none of
/// them has stays with the text face (it shows as a box, never as "?").
pub(super) fn face_for(c: char, bold: bool) -> Face {
    let text = if bold { Face::Bold } else { Face::Regular };
    if c.is_whitespace() || text.glyph(c).is_some() {
        return text;
    }
    [Face::Cjk, Face::Emoji]
        .into_iter()
        .find(|f| f.glyph(c).is_some())
        .unwrap_or(text)
}

/// `text` cut into runs that one face draws each.
pub(super) fn runs(text: &str, bold: bool) -> Vec<(Face, String)> {
    let mut out: Vec<(Face, String)> = Vec::new();
    for c in text.chars() {
        let face = face_for(c, bold);
        match out.last_mut() {
            Some((f, run)) if *f == face => run.push(c),
            _ => out.push((face, c.to_string())),
        }
    }
    out
}

/// Width of `text` in points at `size`.
pub(super) fn width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars()
        .map(|c| {
            let face = face_for(c, bold);
            let Some(font) = face.parsed() else {
                return 0.6;
            };
            let units = f32::from(font.units_per_em.max(1));
            font.lookup_glyph_index(u32::from(c))
                .and_then(|g| font.get_glyph_width(g))
                .map_or(0.6, |w| f32::from(w) / units)
        })
        .sum::<f32>()
        * size
}

/// The characters each face drew in a document, to subset it to them.
#[derive(Debug, Default)]
pub(super) struct Used(BTreeMap<Face, BTreeSet<char>>);

impl Used {
    pub(super) fn add(&mut self, face: Face, text: &str) {
        self.0.entry(face).or_default().extend(text.chars());
    }

    /// Each used face as a font holding only its used characters' glyphs,
    /// ready to embed.
    pub(super) fn subsets(&self) -> Vec<(Face, ParsedFont)> {
        self.0
            .iter()
            .filter_map(|(face, chars)| Some((*face, subset(*face, chars)?)))
            .collect()
    }
}

fn subset(face: Face, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let full = face.parsed()?;
    // Glyph 0 (.notdef) first, as the subsetter requires; then the used
    // glyphs, each once.
    let glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| full.lookup_glyph_index(u32::from(*c)))
        .filter(|g| *g != 0)
        .collect();
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let data = ReadScope::new(face.bytes()).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let bytes =
        allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_finds_a_face_that_has_it() {
        assert_eq!(face_for('a', false), Face::Regular);
        assert_eq!(face_for('Ł', true), Face::Bold);
        assert_eq!(face_for('Đ', false), Face::Regular);
        assert_eq!(face_for('Ж', false), Face::Regular);
        assert_eq!(face_for('λ', false), Face::Regular);
        assert_eq!(face_for('李', false), Face::Cjk);
        assert_eq!(face_for('あ', false), Face::Cjk);
        assert_eq!(face_for('💊', false), Face::Emoji);
        assert_eq!(
            runs("Ana 李明", false),
            vec![
                (Face::Regular, "Ana ".to_owned()),
                (Face::Cjk, "李明".to_owned())
            ]
        );
    }

    #[test]
    fn a_subset_keeps_its_characters_and_is_small() {
        let chars: BTreeSet<char> = "Łódź".chars().collect();
        let font = subset(Face::Regular, &chars).expect("subset");
        for c in chars {
            assert!(
                font.lookup_glyph_index(u32::from(c))
                    .is_some_and(|g| g != 0),
                "{c}"
            );
        }
        assert!(font.source_bytes().map_or(0, |b| b.len()) < 20_000);
    }
}
