//! The body map drawn with egui's painter: for marking on Today (tap a
//! place to mark or unmark what is chosen), as a heat map in Review, and as
//! a list of named checkboxes for the keyboard and screen readers. The
//! figure's geometry is `analysis::body_map::layout`, shared with the PDF.

use super::theme;
use crate::analysis::body_map::{self as figure, HeatMap, RegionBox};
use crate::model::{BodyMap, MapSymptom, Mark, Region, View};
use egui::{Align2, Color32, CornerRadius, FontId, Rect, Sense, Stroke, StrokeKind, Ui};
use strum::VariantArray;

/// Widest the figure is drawn; it shrinks with the window.
const MAX_WIDTH: f32 = 480.0;

/// The colour of a symptom, always shown with its letter.
pub fn symptom_color(symptom: MapSymptom, dark: bool) -> Color32 {
    match (symptom, dark) {
        (MapSymptom::Pain, false) => Color32::from_rgb(190, 60, 20),
        (MapSymptom::Pain, true) => Color32::from_rgb(240, 120, 80),
        (MapSymptom::Numbness, false) => Color32::from_rgb(0, 90, 170),
        (MapSymptom::Numbness, true) => Color32::from_rgb(100, 170, 240),
        (MapSymptom::Tingling, false) => Color32::from_rgb(120, 50, 150),
        (MapSymptom::Tingling, true) => Color32::from_rgb(200, 140, 230),
    }
}

/// Where the figure goes, and a function from layout units to the screen.
fn place_figure(ui: &mut Ui) -> (Rect, impl Fn([f32; 4]) -> Rect + use<>) {
    let width = ui.available_width().clamp(200.0, MAX_WIDTH);
    let height = width * figure::HEIGHT / figure::WIDTH;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), Sense::hover());
    let scale = width / figure::WIDTH;
    let origin = rect.min;
    let to_screen = move |[x0, y0, x1, y1]: [f32; 4]| {
        Rect::from_min_max(
            origin + egui::vec2(x0 * scale, y0 * scale),
            origin + egui::vec2(x1 * scale, y1 * scale),
        )
    };
    (rect, to_screen)
}

/// The outlines of the legs, "Front" and "Back", and which side is which.
fn draw_outlines(ui: &Ui, to_screen: &impl Fn([f32; 4]) -> Rect) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let ink = visuals.text_color();
    let outline = Stroke::new(1.5, visuals.weak_text_color());
    let small = FontId::proportional(13.0);
    for leg in figure::legs() {
        let [x0, y0, x1, y1] = leg.rect;
        let shape = to_screen([x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0]);
        painter.rect_stroke(shape, CornerRadius::same(10), outline, StrokeKind::Outside);
        let label = to_screen([x0, 7.0, x1, 11.0]);
        painter.text(
            label.center(),
            Align2::CENTER_CENTER,
            leg.side.words(),
            small.clone(),
            ink,
        );
    }
    for (view, x0, x1) in [(View::Front, 4.0, 44.0), (View::Back, 54.0, 98.0)] {
        let title = to_screen([x0, 0.0, x1, 6.0]);
        let words = match view {
            View::Front => "Front",
            View::Back => "Back",
        };
        painter.text(
            title.center(),
            Align2::CENTER_CENTER,
            words,
            FontId::proportional(15.0),
            ink,
        );
    }
}

/// The letters of the symptoms marked in a place, in their colours.
fn draw_letters(ui: &Ui, rect: Rect, symptoms: &[MapSymptom]) {
    if symptoms.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    let size = (rect.width().min(rect.height()) * 0.42).clamp(9.0, 18.0);
    let font = FontId::proportional(size);
    let chip = size * 1.25;
    // Side by side where they fit, else one above the other.
    let across = rect.width() >= chip * symptoms.len() as f32;
    for (i, symptom) in symptoms.iter().enumerate() {
        let offset = (i as f32 - (symptoms.len() as f32 - 1.0) / 2.0) * chip;
        let center = if across {
            rect.center() + egui::vec2(offset, 0.0)
        } else {
            rect.center() + egui::vec2(0.0, offset)
        };
        let circle = Rect::from_center_size(center, egui::vec2(chip * 0.9, chip * 0.9));
        ui.painter()
            .circle_filled(circle.center(), chip * 0.45, symptom_color(*symptom, dark));
        ui.painter().text(
            center,
            Align2::CENTER_CENTER,
            symptom.letter(),
            font.clone(),
            if dark { Color32::BLACK } else { Color32::WHITE },
        );
    }
}

/// The region's name inside it, across when it fits, else up its length
/// (the thigh strips are narrow and tall); nothing when neither fits.
fn draw_name(ui: &Ui, rect: Rect, region: Region) {
    let color = ui.visuals().weak_text_color();
    let font = FontId::proportional(12.0);
    let galley = ui
        .painter()
        .layout_no_wrap(region.short_words().to_owned(), font, color);
    let size = galley.size();
    let room = rect.shrink(3.0);
    if size.x <= room.width() && size.y <= room.height() {
        let at = rect.center() - size / 2.0;
        ui.painter().galley(at, galley, color);
    } else if size.x <= room.height() && size.y <= room.width() {
        // Turned a quarter left, reading upwards, centred in the strip.
        let at = egui::pos2(
            rect.center().x - size.y / 2.0,
            rect.center().y + size.x / 2.0,
        );
        ui.painter().add(
            egui::epaint::TextShape::new(at, galley, color)
                .with_angle(-std::f32::consts::FRAC_PI_2),
        );
    }
}

/// The map for marking: tapping a place marks it with `marking`, or
/// unmarks it. Returns whether anything changed. The places are not in
/// the Tab order: the checklist below gives the keyboard the same marks.
pub fn editor(ui: &mut Ui, map: &mut BodyMap, marking: MapSymptom) -> bool {
    let (_, to_screen) = place_figure(ui);
    draw_outlines(ui, &to_screen);
    let fill = ui.visuals().extreme_bg_color;
    let edge = Stroke::new(1.0, ui.visuals().widgets.inactive.bg_stroke.color);
    let hover_edge = Stroke::new(2.0, ui.visuals().widgets.hovered.fg_stroke.color);
    let mut changed = false;
    for RegionBox { side, region, rect } in figure::layout() {
        let rect = to_screen(rect);
        let id = ui.make_persistent_id(("body-map", side, region));
        let response = ui.interact(rect, id, Sense::CLICK);
        let mark = Mark {
            side,
            region,
            symptom: marking,
        };
        let place = figure::place_words(side, region);
        let marked = map.contains(mark);
        let action = if marked { "unmark" } else { "mark" };
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!("{place}: {action} {}", marking.words().to_lowercase()),
            )
        });
        let response = response.on_hover_text(format!(
            "{place} ({}): click to {action} {}",
            region.dermatomes(),
            marking.words().to_lowercase()
        ));
        if response.clicked() {
            map.set(mark, !marked);
            changed = true;
        }
        let stroke = if response.hovered() { hover_edge } else { edge };
        ui.painter().rect(
            rect,
            CornerRadius::same(4),
            fill,
            stroke,
            StrokeKind::Inside,
        );
        let symptoms: Vec<MapSymptom> = MapSymptom::VARIANTS
            .iter()
            .copied()
            .filter(|&symptom| {
                map.contains(Mark {
                    side,
                    region,
                    symptom,
                })
            })
            .collect();
        if symptoms.is_empty() {
            draw_name(ui, rect, region);
        }
        draw_letters(ui, rect, &symptoms);
    }
    changed
}

/// The same marks as named checkboxes, one row per place. Returns whether
/// anything changed.
pub fn checklist(ui: &mut Ui, map: &mut BodyMap) -> bool {
    let mut changed = false;
    for region in Region::VARIANTS {
        for side in region.sides() {
            let place = figure::place_words(*side, *region);
            ui.horizontal_wrapped(|ui| {
                ui.add_sized(
                    [ui.available_width().min(240.0), 28.0],
                    egui::Label::new(&place).wrap(),
                );
                for symptom in MapSymptom::VARIANTS {
                    let mark = Mark {
                        side: *side,
                        region: *region,
                        symptom: *symptom,
                    };
                    let mut on = map.contains(mark);
                    let response = ui.checkbox(&mut on, symptom.words());
                    // Heard as "Left calf: numbness", seen as "Numbness".
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, mark.words())
                    });
                    if response.changed() {
                        map.set(mark, on);
                        changed = true;
                    }
                }
            });
        }
    }
    changed
}

/// The heat map: each place shaded by how many of the period's check-ins
/// marked it, with the number of days written in it.
pub fn heat(ui: &mut Ui, heat: &HeatMap, symptom: Option<MapSymptom>) {
    let (_, to_screen) = place_figure(ui);
    draw_outlines(ui, &to_screen);
    let colors = theme::palette(ui.visuals());
    let base = match symptom {
        Some(s) => symptom_color(s, ui.visuals().dark_mode),
        None => colors.accent,
    };
    let fill = ui.visuals().extreme_bg_color;
    let edge = Stroke::new(1.0, ui.visuals().widgets.inactive.bg_stroke.color);
    let total = heat.check_ins.max(1) as f32;
    for RegionBox { side, region, rect } in figure::layout() {
        let rect = to_screen(rect);
        let days = heat.days(side, region, symptom);
        let share = days as f32 / total;
        let shade = if days == 0 {
            fill
        } else {
            fill.lerp_to_gamma(base, 0.25 + 0.75 * share)
        };
        ui.painter()
            .rect(rect, CornerRadius::same(4), shade, edge, StrokeKind::Inside);
        if days == 0 {
            draw_name(ui, rect, region);
        } else {
            let ink = if share > 0.5 {
                Color32::WHITE
            } else {
                ui.visuals().text_color()
            };
            ui.painter().text(
                rect.center(),
                Align2::CENTER_CENTER,
                days.to_string(),
                FontId::proportional((rect.width().min(rect.height()) * 0.45).clamp(9.0, 16.0)),
                ink,
            );
        }
        let place = figure::place_words(side, region);
        let id = ui.make_persistent_id(("heat", side, region));
        ui.interact(rect, id, Sense::hover()).on_hover_text(format!(
            "{place} ({}): {}",
            region.dermatomes(),
            crate::words::plural(i64::from(days), "day", "days")
        ));
    }
}

/// A small key: which colour and letter is which symptom.
pub fn key(ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        let dark = ui.visuals().dark_mode;
        for symptom in MapSymptom::VARIANTS {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 22.0), Sense::hover());
            ui.painter()
                .circle_filled(rect.center(), 10.0, symptom_color(*symptom, dark));
            ui.painter().text(
                rect.center(),
                Align2::CENTER_CENTER,
                symptom.letter(),
                FontId::proportional(13.0),
                if dark { Color32::BLACK } else { Color32::WHITE },
            );
            ui.label(symptom.words());
            ui.add_space(8.0);
        }
    });
}
