//! Widgets shared by the screens. Each has a visible text label that is
//! also its accessible name, so screen readers and tests find it by name.

use super::theme::{self, GAP_S, SCORE_CELL};
use crate::model::{PatientDetails, Urgency};
use crate::words;
use chrono::NaiveDate;
use egui::{
    Align2, Color32, Key, Response, RichText, Sense, Stroke, Ui, Widget, WidgetInfo, accesskit,
    vec2,
};

/// A 0–10 score chosen with one click, or with the keyboard once focused
/// (digits, arrow keys, Home/End). One stop in the Tab order.
pub struct ScorePicker<'a> {
    label: &'a str,
    value: &'a mut Option<u8>,
    low_word: &'a str,
    high_word: &'a str,
}

impl<'a> ScorePicker<'a> {
    pub fn new(label: &'a str, value: &'a mut Option<u8>) -> Self {
        Self {
            label,
            value,
            low_word: "No pain",
            high_word: "Worst imaginable",
        }
    }

    /// The words under 0 and under 10.
    pub fn anchors(mut self, low_word: &'a str, high_word: &'a str) -> Self {
        self.low_word = low_word;
        self.high_word = high_word;
        self
    }
}

impl Widget for ScorePicker<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let Self {
            label,
            value,
            low_word,
            high_word,
        } = self;
        ui.vertical(|ui| {
            ui.spacing_mut().item_spacing.y = GAP_S;
            let gap = 4.0;
            // One row of full-size cells when there is room; narrower cells
            // (never below a finger's width) in a small window or at a large
            // text size; two rows (0–5, 6–10) when even those do not fit.
            let grid = CellGrid::fitting(ui.available_width(), gap);
            // An id from the label, not from the widget's place in the
            // page: a hint appearing above must not make the picker a new
            // widget, or it would lose focus and a screen reader's action.
            let (rect, _) = ui.allocate_exact_size(grid.size(), Sense::hover());
            let mut response = ui.interact(rect, ui.make_persistent_id(label), Sense::click());

            let mut new_value = *value;
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
            {
                new_value = Some(grid.score_at(pos - rect.min));
                response.request_focus();
            }
            if response.has_focus() {
                new_value = keyboard_score(ui, new_value);
            }
            if let Some(requested) = accesskit_set_value(ui, response.id) {
                new_value = Some(requested.round().clamp(0.0, 10.0) as u8);
            }
            if new_value != *value {
                *value = new_value;
                response.mark_changed();
            }

            let current = *value;
            response.widget_info(|| match current {
                Some(v) => WidgetInfo::slider(true, f64::from(v), label),
                None => WidgetInfo::labeled(egui::Role::Slider, true, label),
            });
            ui.ctx().accesskit_node_builder(response.id, |node| {
                node.set_min_numeric_value(0.0);
                node.set_max_numeric_value(10.0);
                node.set_numeric_value_step(1.0);
                node.add_action(accesskit::Action::SetValue);
            });

            if ui.is_rect_visible(rect) {
                paint_cells(ui, rect, &grid, current, response.has_focus());
            }
            let muted = theme::palette(ui.visuals()).muted_text;
            let (low, high) = (format!("0 = {low_word}"), format!("10 = {high_word}"));
            if grid.per_row == 11 {
                ui.horizontal(|ui| {
                    ui.set_width(grid.size().x);
                    ui.label(RichText::new(low).color(muted));
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(RichText::new(high).color(muted));
                    });
                });
            } else {
                ui.label(RichText::new(format!("{low} · {high}")).color(muted));
            }
            response
        })
        .inner
    }
}

fn keyboard_score(ui: &Ui, value: Option<u8>) -> Option<u8> {
    ui.input(|i| {
        let mut v = value;
        for event in &i.events {
            if let egui::Event::Key {
                key, pressed: true, ..
            } = event
            {
                v = match key {
                    Key::ArrowRight | Key::ArrowUp => Some(v.map_or(0, |v| (v + 1).min(10))),
                    Key::ArrowLeft | Key::ArrowDown => Some(v.map_or(0, |v| v.saturating_sub(1))),
                    Key::Home => Some(0),
                    Key::End => Some(10),
                    other => digit(*other).or(v),
                };
            }
        }
        v
    })
}

fn digit(key: Key) -> Option<u8> {
    const DIGITS: [Key; 10] = [
        Key::Num0,
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    DIGITS.iter().position(|k| *k == key).map(|d| d as u8)
}

fn accesskit_set_value(ui: &Ui, id: egui::Id) -> Option<f64> {
    ui.input(|i| {
        i.accesskit_action_requests(id, accesskit::Action::SetValue)
            .filter_map(|request| match request.data {
                Some(accesskit::ActionData::NumericValue(v)) => Some(v),
                _ => None,
            })
            .last()
    })
}

/// How the eleven cells of a score are laid out.
struct CellGrid {
    per_row: u8,
    cell: f32,
    gap: f32,
}

impl CellGrid {
    const SMALLEST_CELL: f32 = 30.0;

    fn fitting(width: f32, gap: f32) -> Self {
        let cell_for = |n: f32| (width - (n - 1.0) * gap) / n;
        let per_row = if cell_for(11.0) >= Self::SMALLEST_CELL {
            11
        } else {
            6
        };
        Self {
            per_row,
            cell: cell_for(f32::from(per_row)).clamp(Self::SMALLEST_CELL, SCORE_CELL),
            gap,
        }
    }

    fn rows(&self) -> u8 {
        11_u8.div_ceil(self.per_row)
    }

    fn size(&self) -> egui::Vec2 {
        let n = f32::from(self.per_row);
        let rows = f32::from(self.rows());
        vec2(
            n * self.cell + (n - 1.0) * self.gap,
            rows * SCORE_CELL + (rows - 1.0) * self.gap,
        )
    }

    /// The rectangle of score `n`, relative to the grid's top left.
    fn cell_rect(&self, n: u8) -> egui::Rect {
        let (row, col) = (n / self.per_row, n % self.per_row);
        egui::Rect::from_min_size(
            egui::pos2(
                f32::from(col) * (self.cell + self.gap),
                f32::from(row) * (SCORE_CELL + self.gap),
            ),
            vec2(self.cell, SCORE_CELL),
        )
    }

    /// The score under a point relative to the grid's top left.
    fn score_at(&self, at: egui::Vec2) -> u8 {
        let col = (at.x / (self.cell + self.gap)).floor().clamp(0.0, 10.0) as u8;
        let row = (at.y / (SCORE_CELL + self.gap)).floor().max(0.0) as u8;
        (row * self.per_row + col.min(self.per_row - 1)).min(10)
    }
}

fn paint_cells(ui: &Ui, rect: egui::Rect, grid: &CellGrid, value: Option<u8>, focused: bool) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let colors = theme::palette(visuals);
    let font = egui::TextStyle::Button.resolve(ui.style());
    for n in 0..=10u8 {
        let cell = grid.cell_rect(n).translate(rect.min.to_vec2());
        let selected = value == Some(n);
        let hovered = ui.rect_contains_pointer(cell);
        let (fill, text, stroke) = if selected {
            (
                colors.accent,
                colors.on_accent,
                Stroke::new(2.0, colors.accent),
            )
        } else if hovered {
            (
                visuals.widgets.hovered.weak_bg_fill,
                visuals.text_color(),
                visuals.widgets.hovered.bg_stroke,
            )
        } else {
            (
                visuals.widgets.inactive.weak_bg_fill,
                visuals.text_color(),
                visuals.widgets.inactive.bg_stroke,
            )
        };
        painter.rect(
            cell,
            theme::CORNER_RADIUS,
            fill,
            stroke,
            egui::StrokeKind::Inside,
        );
        painter.text(
            cell.center(),
            Align2::CENTER_CENTER,
            n.to_string(),
            font.clone(),
            text,
        );
    }
    if focused {
        // The same ring as every other focused widget.
        painter.rect_stroke(
            rect.expand(3.0),
            theme::CORNER_RADIUS,
            egui::Stroke::new(theme::FOCUS_RING_WIDTH, theme::palette(visuals).accent),
            egui::StrokeKind::Outside,
        );
    }
}

/// A minutes value with − and + buttons in steps of 5, and a typed value.
pub fn minutes_field(ui: &mut Ui, label: &str, value: &mut u16, max: u16) -> Response {
    ui.horizontal(|ui| {
        let step = 5;
        let minus = ui
            .add_sized(vec2(44.0, 36.0), egui::Button::new("−"))
            .on_hover_text("5 minutes less");
        minus.widget_info(|| {
            WidgetInfo::labeled(egui::Role::Button, true, format!("{label}: 5 minutes less"))
        });
        if minus.clicked() {
            *value = value.saturating_sub(step);
        }
        let mut response = ui.add(
            egui::DragValue::new(value)
                .range(0..=max)
                .speed(1.0)
                .suffix(" min"),
        );
        response.widget_info(|| WidgetInfo::labeled(egui::Role::SpinButton, true, label));
        let plus = ui
            .add_sized(vec2(44.0, 36.0), egui::Button::new("+"))
            .on_hover_text("5 minutes more");
        plus.widget_info(|| {
            WidgetInfo::labeled(egui::Role::Button, true, format!("{label}: 5 minutes more"))
        });
        if plus.clicked() {
            *value = (*value + step).min(max);
        }
        if minus.clicked() || plus.clicked() {
            response.mark_changed();
        }
        response
    })
    .inner
}

/// A date chosen from a calendar, written in full ("Wednesday 25 November
/// 2026").
pub fn date_field(ui: &mut Ui, id: &str, label: &str, date: &mut NaiveDate) -> Response {
    super::date_picker::date_field(ui, id, label, date, "%A %-d %B %Y")
}

/// As [`date_field`], written short ("25 Nov 2026") for tables.
pub fn short_date_field(ui: &mut Ui, id: &str, label: &str, date: &mut NaiveDate) -> Response {
    super::date_picker::date_field(ui, id, label, date, "%-d %b %Y")
}

/// A screen's scrolling page: it starts at the top when the screen opens,
/// and scrolls a widget that just took the keyboard focus into view.
pub fn page<R>(
    ui: &mut Ui,
    page: super::app::PageView,
    id: &str,
    add_contents: impl FnOnce(&mut Ui) -> R,
) -> R {
    let mut area = egui::ScrollArea::vertical()
        .id_salt(("page", id))
        .auto_shrink([false, false]);
    if page.fresh {
        area = area.vertical_scroll_offset(0.0);
    }
    let layer = ui.layer_id();
    let widgets_so_far =
        |ctx: &egui::Context| ctx.viewport(|v| v.this_pass.widgets.get_layer(layer).count());
    area.show(ui, |ui| {
        let first = widgets_so_far(ui.ctx());
        let inner = add_contents(ui);
        let end = widgets_so_far(ui.ctx());
        bring_focus_into_view(ui, layer, first..end);
        inner
    })
    .inner
}

/// When a widget of this page (its widgets are `mine`, by their order in
/// the layer) has just taken the keyboard focus and is not wholly in
/// view, scrolls it into view: a Tab never lands out of sight. Only on
/// the change of focus, so scrolling away with the wheel stays put.
fn bring_focus_into_view(ui: &Ui, layer: egui::LayerId, mine: std::ops::Range<usize>) {
    let ctx = ui.ctx();
    let Some(focused) = ctx.memory(|m| m.focused()) else {
        return;
    };
    let seen = ui.scope_id().with("focus-seen");
    if ctx.data(|d| d.get_temp::<egui::Id>(seen)) == Some(focused) {
        return;
    }
    ctx.data_mut(|d| d.insert_temp(seen, focused));
    let Some((rect, order)) = ctx.viewport(|v| {
        let widgets = &v.this_pass.widgets;
        Some((widgets.get(focused)?.rect, widgets.order(focused)?))
    }) else {
        return;
    };
    if order.0 == layer && mine.contains(&order.1) && !ui.clip_rect().contains_rect(rect) {
        ui.scroll_to_rect(rect.expand(8.0), None);
    }
}

/// A flag's tier in its colour: red for an emergency, amber for the same
/// day, the accent for the visit, quiet for a note.
pub fn tier_color(ui: &Ui, tier: crate::analysis::review::Tier) -> Color32 {
    use crate::analysis::review::Tier;
    let colors = theme::palette(ui.visuals());
    match tier {
        Tier::Emergency => colors.urgent,
        Tier::SameDay => colors.caution,
        Tier::Discuss => colors.accent,
        Tier::Note => colors.muted_text,
    }
}

/// A flag's tier as sign and word, in its colour: "🚑 Emergency".
pub fn tier_label(ui: &mut Ui, tier: crate::analysis::review::Tier) -> Response {
    let color = tier_color(ui, tier);
    ui.label(
        RichText::new(format!("{} {}", tier.sign(), tier.words()))
            .strong()
            .color(color),
    )
}

/// "Call …" becomes "call …" inside a sentence; names keep their capitals.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// What to do about warning symptoms, in plain words, impossible to miss.
/// An emergency and a same-day symptom look different (colour, sign and
/// words); a symptom recorded on a past day is told as past, with what to
/// do if it is happening now.
pub fn warning_banner(
    ui: &mut Ui,
    urgency: Urgency,
    team: &PatientDetails,
    recorded_on: Option<(NaiveDate, &str)>,
) {
    let colors = theme::palette(ui.visuals());
    // The team's own number, when it is known, is the first thing to read
    // for a same-day sign, and what to tell after the ambulance.
    let who = team.clinic.as_deref().unwrap_or("your surgical team");
    let call_team = team
        .team_phone
        .as_deref()
        .map(|phone| format!("Call {who}: {phone}."));
    let (fill, ink, sign, title, advice) = match urgency {
        Urgency::Emergency => (
            colors.urgent,
            colors.on_urgent,
            "🚑",
            "Call an ambulance now".to_owned(),
            format!(
                "Call your local emergency number (999 in the UK, 911 in the US, 112 in Europe) \
                 and say you recently had spinal fusion surgery.{}",
                team.team_phone
                    .as_deref()
                    .map(|phone| format!(" Then tell {who}: {phone}."))
                    .unwrap_or_default()
            ),
        ),
        Urgency::SameDay => (
            colors.caution,
            Color32::WHITE,
            "☎",
            call_team.clone().map_or_else(
                || "Call your surgical team today".to_owned(),
                |c| format!("Today: {c}"),
            ),
            format!(
                "This should be checked by your surgeon's team today. {}If you cannot reach \
                 them, call your doctor or an urgent care service.",
                if call_team.is_some() {
                    ""
                } else {
                    "Call the number on your discharge letter. "
                }
            ),
        ),
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(theme::CORNER_RADIUS)
        .inner_margin(egui::Margin::same(14))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            match recorded_on {
                None => {
                    ui.label(
                        RichText::new(format!("{sign}  {title}"))
                            .text_style(theme::title_style())
                            .strong()
                            .color(ink),
                    );
                    ui.label(RichText::new(advice).color(ink));
                }
                Some((day, what)) => {
                    ui.label(
                        RichText::new(format!("On {} you recorded: {what}.", words::date(day)))
                            .strong()
                            .color(ink),
                    );
                    ui.label(
                        RichText::new(format!(
                            "If it is happening now: {}. {advice}",
                            lower_first(&title)
                        ))
                        .color(ink),
                    );
                }
            }
        });
}

/// Why something was not done, in the urgent colour, bold.
pub fn error_line(ui: &mut Ui, text: &str) -> Response {
    let colors = theme::palette(ui.visuals());
    ui.label(RichText::new(text).color(colors.urgent).strong())
}

/// A heading for a group of fields.
pub fn section_title(ui: &mut Ui, text: &str) -> Response {
    ui.label(
        RichText::new(text)
            .text_style(theme::title_style())
            .strong(),
    )
}

/// A line of help under a field, in a quieter colour.
pub fn hint(ui: &mut Ui, text: &str) -> Response {
    let muted = theme::palette(ui.visuals()).muted_text;
    ui.label(RichText::new(text).color(muted))
}

/// The confirming button of a dialog takes the keyboard when the dialog
/// opens, so Enter confirms and Tab reaches Cancel (Enter there cancels).
/// `dialog` is the dialog's id; the focus is given once per opening.
pub fn focus_on_open(ui: &Ui, dialog: egui::Id, confirm: &Response) {
    let key = dialog.with("focused-on-open");
    let first = ui.ctx().data_mut(|d| {
        let seen = d.get_temp::<bool>(key).unwrap_or(false);
        d.insert_temp(key, true);
        !seen
    });
    if first {
        confirm.request_focus();
    }
}

/// The width of a dialog's content: `preferred` where the window has room,
/// else the window's width less the dialog's frame, so that nothing runs
/// off a small window or at a large text size.
pub fn dialog_width(ctx: &egui::Context, preferred: f32) -> f32 {
    (ctx.content_rect().width() - 60.0).clamp(200.0, preferred)
}

/// The dialog closed: its next opening focuses its confirming button again.
pub fn dialog_closed(ctx: &egui::Context, dialog: egui::Id) {
    ctx.data_mut(|d| d.remove::<bool>(dialog.with("focused-on-open")));
}
