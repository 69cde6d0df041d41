//! Every colour, size and spacing the views use. Views ask this module
//! rather than writing literal colours, so both themes and the text-size
//! setting stay consistent.

use egui::{Color32, FontFamily, FontId, TextStyle, Visuals};
use serde::{Deserialize, Serialize};

/// Small, medium and large gaps between elements.
pub const GAP_S: f32 = 6.0;
pub const GAP_M: f32 = 12.0;
pub const GAP_L: f32 = 24.0;
/// Side of one cell of a 0–10 score: large enough for an unsteady hand.
pub const SCORE_CELL: f32 = 44.0;
pub const CORNER_RADIUS: u8 = 8;
/// Width of the navigation on the left.
pub const NAV_WIDTH: f32 = 190.0;
/// The navigation's width in a narrow window or at a large text size.
pub const NAV_WIDTH_NARROW: f32 = 150.0;
/// Below this width (in points: a small window, or a large text size) the
/// side bar gives its room to the page and the screens are a menu in the
/// header.
pub const COMPACT_BELOW: f32 = 760.0;
/// Below this width the side bar and margins are narrower.
pub const NARROW_BELOW: f32 = 1000.0;
/// Below this width of a page, tables become one card per row.
pub const CARDS_BELOW: f32 = 900.0;

pub const MIN_TEXT_SCALE: f32 = 1.0;
pub const MAX_TEXT_SCALE: f32 = 2.0;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    strum::VariantArray,
    clap::ValueEnum,
)]
pub enum ThemeChoice {
    /// As the computer is set
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Follow the computer",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Adds fallback fonts after egui's own (the report's `DejaVu` Sans for
/// the accents, Greek and Cyrillic they lack, Droid Sans Fallback for
/// Chinese and Japanese), so a name shows as written, not as boxes. Once,
/// at start-up; fonts are read lazily, glyph by glyph.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    for (name, bytes) in [
        ("dejavu-fallback", crate::report::fonts::DEJAVU),
        ("cjk-fallback", crate::report::fonts::CJK),
    ] {
        fonts.font_data.insert(
            name.to_owned(),
            std::sync::Arc::new(egui::FontData::from_static(bytes)),
        );
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    ctx.set_fonts(fonts);
}

/// Applies the theme and text size. Called when they change, not per frame.
/// The outline of a focused (or pressed) widget, in points.
pub const FOCUS_RING_WIDTH: f32 = 2.5;

pub fn apply(ctx: &egui::Context, theme: ThemeChoice, text_scale: f32) {
    ctx.set_theme(theme.preference());
    ctx.set_zoom_factor(text_scale.clamp(MIN_TEXT_SCALE, MAX_TEXT_SCALE));
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(28.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Name("Title".into()),
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(18.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(18.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(17.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 10.0);
        style.spacing.button_padding = egui::vec2(14.0, 8.0);
        style.spacing.interact_size = egui::vec2(48.0, 36.0);
        style.spacing.combo_width = 260.0;
        style.spacing.text_edit_width = 320.0;
        style.spacing.icon_width = 22.0;
        style.spacing.icon_width_inner = 12.0;
        style.spacing.scroll.bar_width = 12.0;
        // Body text at full contrast: the default grey is hard to read for
        // tired eyes.
        let strong_text = if style.visuals.dark_mode {
            Color32::from_gray(235)
        } else {
            Color32::from_gray(20)
        };
        style.visuals.widgets.noninteractive.fg_stroke.color = strong_text;
        style.visuals.widgets.inactive.fg_stroke.color = strong_text;
        // egui draws a focused widget as an active (pressed) one: a thick
        // outline in the accent colour makes the keyboard focus plain in
        // both themes.
        let ring = palette(&style.visuals).accent;
        style.visuals.widgets.active.bg_stroke = egui::Stroke::new(FOCUS_RING_WIDTH, ring);
        // Tooltips are how shortcuts are discovered: show them promptly.
        style.interaction.tooltip_delay = 0.3;
    });
}

/// A named text style for section titles, between body and heading.
pub fn title_style() -> TextStyle {
    TextStyle::Name("Title".into())
}

/// Colours with meaning. Taken from the Okabe–Ito palette, which stays
/// distinct for the common kinds of colour blindness; every use is paired
/// with words.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub accent: Color32,
    pub on_accent: Color32,
    pub good: Color32,
    pub caution: Color32,
    pub urgent: Color32,
    pub on_urgent: Color32,
    pub muted_text: Color32,
    pub card: Color32,
}

pub fn palette(visuals: &Visuals) -> Palette {
    if visuals.dark_mode {
        Palette {
            accent: Color32::from_rgb(86, 180, 233),
            on_accent: Color32::from_rgb(10, 20, 30),
            good: Color32::from_rgb(0, 170, 125),
            caution: Color32::from_rgb(230, 159, 0),
            urgent: Color32::from_rgb(200, 40, 30),
            on_urgent: Color32::WHITE,
            muted_text: Color32::from_gray(175),
            card: Color32::from_gray(38),
        }
    } else {
        Palette {
            accent: Color32::from_rgb(0, 94, 150),
            on_accent: Color32::WHITE,
            good: Color32::from_rgb(0, 120, 90),
            caution: Color32::from_rgb(160, 95, 0),
            urgent: Color32::from_rgb(180, 30, 20),
            on_urgent: Color32::WHITE,
            muted_text: Color32::from_gray(85),
            card: Color32::from_gray(246),
        }
    }
}

/// The frame around a group of related fields.
pub fn card(ui: &egui::Ui) -> egui::Frame {
    let visuals = ui.visuals();
    egui::Frame::new()
        .fill(palette(visuals).card)
        .stroke(visuals.widgets.noninteractive.bg_stroke)
        .corner_radius(CORNER_RADIUS)
        .inner_margin(egui::Margin::same(16))
}

/// Chart colours (Okabe–Ito): the expected course in blue, the patient's
/// own average in vermillion, daily values in grey.
pub struct ChartPalette {
    pub band: Color32,
    pub expected: Color32,
    pub average: Color32,
    pub daily: Color32,
}

pub fn chart_palette(visuals: &Visuals) -> ChartPalette {
    if visuals.dark_mode {
        ChartPalette {
            band: Color32::from_rgba_unmultiplied(86, 180, 233, 60),
            expected: Color32::from_rgb(86, 180, 233),
            average: Color32::from_rgb(240, 120, 40),
            daily: Color32::from_gray(170),
        }
    } else {
        ChartPalette {
            band: Color32::from_rgba_unmultiplied(0, 114, 178, 50),
            expected: Color32::from_rgb(0, 94, 150),
            average: Color32::from_rgb(213, 94, 0),
            daily: Color32::from_gray(110),
        }
    }
}
