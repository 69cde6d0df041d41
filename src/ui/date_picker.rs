//! A date field: the date in words on a button that opens a calendar in a
//! dialog. The dialog is sized to the window (the days scroll in a tiny
//! one), moves by "Previous month" and "Next month", jumps by a month and
//! a year menu (a date of birth is decades back), and names every day in
//! full for screen readers.

use crate::words;
use chrono::{Datelike, Days, Months, NaiveDate};
use egui::{Response, RichText, Ui, WidgetInfo};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// The years the menu offers: far enough back for a date of birth, a
/// little ahead for an operation being planned.
const FIRST_YEAR: i32 = 1900;
const YEARS_AHEAD: i32 = 2;

/// A button showing `date` (in `format`); a click opens the calendar.
/// Named "`label`: 25 Nov 2026" for screen readers.
pub fn date_field(
    ui: &mut Ui,
    id: &str,
    label: &str,
    date: &mut NaiveDate,
    format: &str,
) -> Response {
    let id = ui.make_persistent_id(("date-field", id));
    let mut response = ui.button(date.format(format).to_string());
    let shown_date = *date;
    response.widget_info(|| {
        WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("{label}: {}", words::date(shown_date)),
        )
    });
    // The month on show while the calendar is open.
    let mut month: Option<NaiveDate> = ui.data(|d| d.get_temp(id));
    if response.clicked() {
        month = Some(first_of_month(*date));
    }
    let Some(mut shown) = month else {
        return response;
    };
    let mut close = false;
    let modal = egui::Modal::new(id.with("calendar")).show(ui.ctx(), |ui| {
        let screen = ui.ctx().content_rect();
        ui.set_max_width((screen.width() - 40.0).clamp(200.0, 420.0));
        ui.label(
            RichText::new(label)
                .text_style(super::theme::title_style())
                .strong(),
        );
        navigation(ui, id, &mut shown);
        let days_height = (screen.height() - 230.0).max(80.0);
        egui::ScrollArea::vertical()
            .max_height(days_height)
            .min_scrolled_height(days_height.min(280.0))
            .show(ui, |ui| {
                if let Some(day) = days(ui, shown, *date) {
                    *date = day;
                    response.mark_changed();
                    close = true;
                }
            });
        ui.add_space(super::theme::GAP_S);
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    if close || modal.should_close() {
        ui.data_mut(|d| d.remove::<NaiveDate>(id));
    } else {
        ui.data_mut(|d| d.insert_temp(id, shown));
    }
    response
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// "Previous month", the month and year menus, "Next month".
fn navigation(ui: &mut Ui, id: egui::Id, shown: &mut NaiveDate) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("◀ Previous month").clicked()
            && let Some(previous) = shown.checked_sub_months(Months::new(1))
        {
            *shown = previous;
        }
        if ui.button("Next month ▶").clicked()
            && let Some(next) = shown.checked_add_months(Months::new(1))
        {
            *shown = next;
        }
    });
    ui.horizontal_wrapped(|ui| {
        let mut month = shown.month0() as usize;
        let month_label = ui.label("Month");
        egui::ComboBox::from_id_salt(id.with("month"))
            .width(140.0)
            .selected_text(MONTHS[month])
            .show_ui(ui, |ui| {
                for (i, name) in MONTHS.iter().enumerate() {
                    ui.selectable_value(&mut month, i, *name);
                }
            })
            .response
            .labelled_by(month_label.id);
        let mut year = shown.year();
        let last_year = chrono::Local::now().year() + YEARS_AHEAD;
        let year_label = ui.label("Year");
        egui::ComboBox::from_id_salt(id.with("year"))
            .width(90.0)
            .selected_text(year.to_string())
            .height(300.0)
            .show_ui(ui, |ui| {
                for y in (FIRST_YEAR..=last_year.max(year)).rev() {
                    ui.selectable_value(&mut year, y, y.to_string());
                }
            })
            .response
            .labelled_by(year_label.id);
        if let Some(picked) = NaiveDate::from_ymd_opt(year, month as u32 + 1, 1) {
            *shown = picked;
        }
    });
}

/// The month's days under their weekdays, Monday first; the chosen one
/// marked. Returns the day clicked.
fn days(ui: &mut Ui, month: NaiveDate, chosen: NaiveDate) -> Option<NaiveDate> {
    let mut picked = None;
    let lead = month.weekday().num_days_from_monday() as usize;
    let days_in_month = month
        .checked_add_months(Months::new(1))
        .and_then(|next| next.checked_sub_days(Days::new(1)))
        .map_or(28, |last| last.day() as usize);
    let cell = egui::vec2(44.0, 36.0);
    egui::Grid::new(("calendar-days", month))
        .spacing(egui::vec2(4.0, 4.0))
        .show(ui, |ui| {
            for name in WEEKDAYS {
                ui.add_sized(cell, egui::Label::new(RichText::new(name).strong()));
            }
            ui.end_row();
            for slot in 0..(lead + days_in_month).div_ceil(7) * 7 {
                let day = slot
                    .checked_sub(lead)
                    .filter(|d| *d < days_in_month)
                    .and_then(|d| month.checked_add_days(Days::new(d as u64)));
                match day {
                    Some(day) => {
                        let button = ui.add_sized(
                            cell,
                            egui::Button::selectable(day == chosen, day.day().to_string()),
                        );
                        button.widget_info(|| {
                            WidgetInfo::selected(
                                egui::Role::Button,
                                true,
                                day == chosen,
                                words::long_date(day),
                            )
                        });
                        if button.clicked() {
                            picked = Some(day);
                        }
                    }
                    None => {
                        ui.allocate_space(cell);
                    }
                }
                if slot % 7 == 6 {
                    ui.end_row();
                }
            }
        });
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn a_month_starts_on_the_first() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        assert_eq!(
            first_of_month(day),
            NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
        );
        assert_eq!(Weekday::Sun, first_of_month(day).weekday());
    }
}
