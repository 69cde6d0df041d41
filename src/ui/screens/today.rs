//! The daily check-in: pain, getting about, sleep, medicine, warning signs
//! and a note, for today or any past day picked from History.

use super::ReceivesOutcome;
use crate::analysis::body_map::{numbness_spread, place_words};
use crate::model::{
    BodyMap, CheckIn, MAX_MINUTES, MAX_OPIOID_DOSES, MapSymptom, Mark, NerveSymptoms, PatientId,
    Region, Side, Urgency, WarningSymptom, WarningSymptoms, Weakness,
};
use crate::session::{Edit, EditKind, Outcome};
use crate::ui::cache::PatientData;
use crate::ui::widgets::{self, ScorePicker};
use crate::ui::{AppView, theme};
use chrono::{Days, NaiveDate};
use egui::{Key, RichText, Ui};
use strum::VariantArray;

/// The check-in as the person is filling it in. Scores start unset, so
/// nothing is saved that the person did not choose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Form {
    back_pain: Option<u8>,
    leg_pain: Option<u8>,
    walking_minutes: u16,
    sitting_minutes: u16,
    sleep_quality: Option<u8>,
    opioid_doses: u8,
    warning_symptoms: WarningSymptoms,
    note: String,
    numbness: Option<u8>,
    tingling: Option<u8>,
    weakness: Weakness,
    weakness_side: Option<Side>,
    body_map: BodyMap,
}

impl Form {
    fn set_nerves(&mut self, nerves: Option<NerveSymptoms>) {
        self.numbness = nerves.map(|n| n.numbness);
        self.tingling = nerves.map(|n| n.tingling);
        self.weakness = nerves.map_or(Weakness::None, |n| n.weakness);
        self.weakness_side = nerves.and_then(|n| n.weakness_side);
    }

    /// Whether any nerve question was answered (they are optional).
    fn nerves_answered(&self) -> bool {
        self.numbness.is_some() || self.tingling.is_some() || self.weakness != Weakness::None
    }

    fn from_check_in(c: &CheckIn) -> Self {
        Self {
            back_pain: Some(c.back_pain),
            leg_pain: Some(c.leg_pain),
            walking_minutes: c.walking_minutes,
            sitting_minutes: c.sitting_minutes,
            sleep_quality: Some(c.sleep_quality),
            opioid_doses: c.opioid_doses,
            warning_symptoms: c.warning_symptoms,
            note: c.note.clone(),
            body_map: c.body_map,
            ..Self::default()
        }
        .with_nerves(c.nerves)
    }

    fn with_nerves(mut self, nerves: Option<NerveSymptoms>) -> Self {
        self.set_nerves(nerves);
        self
    }

    /// A new day starts from the tolerances of the last entry: they change
    /// slowly, and retyping them each day is what makes people stop.
    fn prefilled_from(previous: Option<&CheckIn>) -> Self {
        Self {
            walking_minutes: previous.map_or(10, |c| c.walking_minutes),
            sitting_minutes: previous.map_or(15, |c| c.sitting_minutes),
            // Where things are changes slowly too; the saddle area is never
            // carried over, since marking it there is an emergency of its day.
            body_map: previous.map_or_else(BodyMap::default, |c| {
                c.body_map
                    .marks()
                    .filter(|m| m.region != Region::Saddle)
                    .collect()
            }),
            ..Self::default()
        }
        // Nerve symptoms change slowly too.
        .with_nerves(previous.and_then(|c| c.nerves))
    }

    /// The scores not chosen yet, by field name.
    fn missing(&self) -> Vec<&'static str> {
        let nerves = self.nerves_answered();
        [
            ("back_pain", self.back_pain, true),
            ("leg_pain", self.leg_pain, true),
            ("sleep_quality", self.sleep_quality, true),
            // Optional, but answered whole once begun.
            ("numbness", self.numbness, nerves),
            ("tingling", self.tingling, nerves),
        ]
        .into_iter()
        .filter(|(_, v, asked)| *asked && v.is_none())
        .map(|(name, _, _)| name)
        .collect()
    }

    fn to_check_in(&self, day: NaiveDate) -> Result<CheckIn, String> {
        let missing: Vec<&str> = self
            .missing()
            .into_iter()
            .map(|field| match field {
                "back_pain" => "back pain",
                "leg_pain" => "leg pain",
                "numbness" => "numbness",
                "tingling" => "tingling",
                _ => "sleep",
            })
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "Please choose a number for {} before saving.",
                missing.join(" and ")
            ));
        }
        if self.weakness != Weakness::None && self.weakness_side.is_none() {
            return Err("Please say which leg is weak before saving.".to_owned());
        }
        Ok(CheckIn {
            day,
            back_pain: self.back_pain.unwrap_or_default(),
            leg_pain: self.leg_pain.unwrap_or_default(),
            walking_minutes: self.walking_minutes,
            sitting_minutes: self.sitting_minutes,
            sleep_quality: self.sleep_quality.unwrap_or_default(),
            opioid_doses: self.opioid_doses,
            warning_symptoms: self.warning_symptoms,
            note: self.note.trim().to_owned(),
            nerves: self.nerves_answered().then(|| NerveSymptoms {
                numbness: self.numbness.unwrap_or_default(),
                tingling: self.tingling.unwrap_or_default(),
                weakness: self.weakness,
                weakness_side: self
                    .weakness_side
                    .filter(|_| self.weakness != Weakness::None),
            }),
            body_map: self.body_map,
        })
    }
}

pub struct TodayScreen {
    day: NaiveDate,
    form: Form,
    /// What the form was filled from; the form reloads when this changes
    /// and the person has not typed anything.
    loaded_from: Option<(PatientId, NaiveDate, Option<CheckIn>)>,
    pristine: Form,
    error: Option<String>,
    note_focused: bool,
    /// Put the keyboard on the first score when a new day's form opens, so
    /// a check-in takes a handful of key presses.
    focus_first: bool,
    /// Scores a save found missing: said beside each, cleared when chosen.
    missing: Vec<&'static str>,
    /// Bring the first missing score into view, once.
    scroll_to_missing: bool,
    /// Walking and sitting came from the last check-in, not from the person.
    prefilled: bool,
    /// The warning-sign list, opened from the bar at the foot.
    symptoms_open: bool,
    /// Worse weakness than at the last check-in ticked the warning sign.
    weakness_ticked: bool,
    /// What a tap on the body map marks.
    marking: MapSymptom,
    /// Places newly numb since the last check-in, as last seen.
    spread_ticked: Vec<String>,
    /// The map ticked "new or worse … numbness" (not the person).
    spread_auto: bool,
    /// Saddle numbness marked on the map ticked the emergency sign.
    saddle_ticked: bool,
}

impl ReceivesOutcome for TodayScreen {
    /// A saved form is no longer "unsaved"; a refused one keeps every
    /// entry and says why.
    fn receive(&mut self, outcome: &Outcome) {
        if outcome.succeeded() && outcome.kind == EditKind::SaveCheckIn {
            self.pristine = self.form.clone();
        }
        self.error = outcome.error.as_ref().map(|e| e.message.clone());
    }
}

impl TodayScreen {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            day: today,
            form: Form::default(),
            loaded_from: None,
            pristine: Form::default(),
            error: None,
            note_focused: false,
            focus_first: true,
            missing: Vec::new(),
            scroll_to_missing: false,
            prefilled: false,
            symptoms_open: false,
            weakness_ticked: false,
            marking: MapSymptom::Numbness,
            spread_ticked: Vec::new(),
            spread_auto: false,
            saddle_ticked: false,
        }
    }

    /// Opens the form on another day, dropping unsaved entries of the old one.
    pub fn show_day(&mut self, day: NaiveDate) {
        self.day = day;
        self.loaded_from = None;
        self.error = None;
        self.missing.clear();
        self.focus_first = true;
        self.weakness_ticked = false;
        self.spread_ticked.clear();
        self.spread_auto = false;
        self.saddle_ticked = false;
    }

    fn sync(&mut self, data: &PatientData) {
        let stored = data.check_in_on(self.day);
        let same_patient_and_day = self
            .loaded_from
            .as_ref()
            .is_some_and(|(p, d, _)| (*p, *d) == (data.patient.id, self.day));
        // Compared by reference first: the common case, nothing changed,
        // costs no copy.
        if same_patient_and_day
            && self
                .loaded_from
                .as_ref()
                .is_some_and(|(_, _, c)| c.as_ref() == stored)
        {
            return;
        }
        let stored = stored.cloned();
        let key = (data.patient.id, self.day, stored.clone());
        // Never overwrite what the person typed because the data changed
        // underneath (e.g. an undo in another screen).
        if same_patient_and_day && self.form != self.pristine {
            self.loaded_from = Some(key);
            return;
        }
        let previous = data.check_in_before(self.day);
        self.prefilled = stored.is_none() && previous.is_some();
        self.form = match &stored {
            Some(c) => Form::from_check_in(c),
            None => Form::prefilled_from(previous),
        };
        self.pristine = self.form.clone();
        self.loaded_from = Some(key);
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        self.sync(data);
        let today = app.today;
        let existing = data.check_in_on(self.day).is_some();
        // Read before any widget draws: a focused score would take Enter
        // as a click on itself, and Enter means "save" everywhere on this
        // page but in the note.
        let (enter, ctrl_enter) = ui.input(|i| {
            (
                i.key_pressed(Key::Enter),
                i.modifiers.command && i.key_pressed(Key::Enter),
            )
        });

        if let Some(urgency) = self.form.warning_symptoms.urgency() {
            let past = (self.day < today).then(|| {
                let what: Vec<&str> = self
                    .form
                    .warning_symptoms
                    .iter()
                    .map(|s| s.label())
                    .collect();
                (self.day, what.join("; ").to_lowercase())
            });
            widgets::warning_banner(
                ui,
                urgency,
                &data.patient.details,
                past.as_ref().map(|(d, w)| (*d, w.as_str())),
            );
            ui.add_space(theme::GAP_S);
        }

        // Pinned at the foot, always in view: saving, and the one
        // safety-critical question of the form.
        egui::Panel::bottom("today-save")
            .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(0, 10)))
            .show(ui, |ui| {
                // A small window or a large text size: shorter words, so the
                // bar stays one row and leaves the page room.
                let compact = ui.available_width() < 560.0;
                ui.horizontal_wrapped(|ui| {
                    self.warning_question(ui, compact);
                    self.save_row(ui, app, data, (existing, compact));
                });
            });
        self.symptom_dialog(ui);

        widgets::page(ui, app.page, "today", |ui| {
            // Inside the scroll area, so that at a large text size the
            // form is not squeezed under a fixed title.
            self.title(ui, app, data, existing);
            let wide = ui.available_width() >= 1000.0;
            if wide {
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(600.0);
                        let first = self.scores(ui);
                        app.first_control(first);
                    });
                    ui.vertical(|ui| self.amounts(ui));
                });
            } else {
                let first = self.scores(ui);
                app.first_control(first);
                self.amounts(ui);
            }
            ui.add_space(theme::GAP_M);
            let before = data.check_in_before(self.day);
            self.nerves(ui, before.and_then(|c| c.nerves));
            ui.add_space(theme::GAP_M);
            self.where_felt(ui, before.map(|c| &c.body_map));
            ui.add_space(theme::GAP_M);
            self.symptoms(ui);
            ui.add_space(theme::GAP_M);
        });

        if (ctrl_enter || (enter && !self.note_focused)) && app.read_only.is_none() {
            self.save(app, data, today);
        }
    }

    fn title(&mut self, ui: &mut Ui, app: &mut AppView<'_>, data: &PatientData, existing: bool) {
        let today = app.today;
        let heading = if self.day == today {
            "How are you today?"
        } else {
            "Check-in for an earlier day"
        };
        ui.heading(heading);
        ui.horizontal_wrapped(|ui| {
            let week = data.patient.week_since_surgery(self.day);
            if ui
                .button("◀ Day before")
                .on_hover_text("Fill in or change the day before")
                .clicked()
                && let Some(previous) = self.day.checked_sub_days(Days::new(1))
            {
                self.show_day(previous);
            }
            let mut day = self.day;
            widgets::date_field(ui, "check-in-day", "Day of this check-in", &mut day);
            if day != self.day {
                self.show_day(day.min(today));
            }
            if self.day < today {
                if ui.button("Day after ▶").clicked() {
                    self.show_day(self.day + Days::new(1));
                }
                if ui.button("Back to today").clicked() {
                    self.show_day(today);
                }
            }
            match data.patient.days_to_surgery(self.day) {
                None => {
                    widgets::hint(ui, &format!("Week {week} since surgery"));
                }
                Some(days) => {
                    widgets::hint(
                        ui,
                        &format!(
                            "Before surgery: surgery in {}",
                            crate::words::plural(days, "day", "days")
                        ),
                    )
                    .on_hover_text(
                        "Your check-ins in the two weeks before the operation become the \
                         starting point your recovery is compared with.",
                    );
                    if self.day == today && ui.button("Read what to expect").clicked() {
                        app.push(crate::ui::Command::Show(crate::ui::Screen::Expect));
                    }
                }
            }
        });
        if self.day == today
            && let Some(check_up) = crate::analysis::check_ups::open_check_up(&data.check_ups)
        {
            check_up_card(ui, app, check_up);
        }

        let status = if existing {
            "Already saved for this day: change anything and save again."
        } else if self.day == today {
            "Not filled in yet today. It takes under a minute."
        } else {
            "No check-in for this day yet."
        };
        widgets::hint(ui, status);
        if self.day == today {
            self.habit(ui, data, today);
        }
        ui.add_space(theme::GAP_S);
    }

    /// Days missed since the last check-in, offered for catch-up, and a
    /// word on consistency that encourages without nagging.
    fn habit(&mut self, ui: &mut Ui, data: &PatientData, today: NaiveDate) {
        let missed = missed_days(data, today);
        if !missed.is_empty() {
            let names: Vec<String> = missed.iter().map(|d| d.format("%A").to_string()).collect();
            let sentence = match names.as_slice() {
                [one] => format!("You missed {one}: add it?"),
                [first @ .., last] if names.len() <= 3 => {
                    format!("You missed {} and {last}: add them?", first.join(", "))
                }
                _ => format!(
                    "You missed {} days this week: add the ones you remember?",
                    names.len()
                ),
            };
            let colors = theme::palette(ui.visuals());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(sentence).strong().color(colors.accent));
                for day in &missed {
                    let label = format!("Add {}", day.format("%A %-d %b"));
                    if ui.button(&label).clicked() {
                        self.show_day(*day);
                    }
                }
            });
        }
        let window = 14;
        let since = (today - Days::new(window - 1)).max(data.tracking_start);
        let span = (today - since).num_days() + 1;
        if span >= 3 {
            let done = data
                .check_ins
                .iter()
                .filter(|c| c.day >= since && c.day <= today)
                .count();
            // At least three days, so "days" is always right here.
            let words = if done as i64 == span {
                format!("Every day of the last {span} days checked in. Well done.")
            } else {
                format!("{done} of the last {span} days checked in.")
            };
            widgets::hint(ui, &words);
        }
    }

    /// The three scores; returns the first one's id (where Tab starts).
    fn scores(&mut self, ui: &mut Ui) -> egui::Id {
        let form = &mut self.form;
        let focus_first = &mut self.focus_first;
        let missing = &mut self.missing;
        let scroll = &mut self.scroll_to_missing;
        let mut first = None;
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Back pain");
            let back = ui.add(ScorePicker::new("Back pain", &mut form.back_pain));
            if std::mem::take(focus_first) && form.back_pain.is_none() {
                back.request_focus();
            }
            first = Some(back.id);
            missing_note(ui, &back, form.back_pain, "back_pain", missing, scroll);
            ui.add_space(theme::GAP_M);
            widgets::section_title(ui, "Leg pain");
            let leg = ui.add(ScorePicker::new("Leg pain", &mut form.leg_pain));
            missing_note(ui, &leg, form.leg_pain, "leg_pain", missing, scroll);
            ui.add_space(theme::GAP_M);
            widgets::section_title(ui, "Sleep last night");
            let sleep = ui.add(
                ScorePicker::new("Sleep quality", &mut form.sleep_quality)
                    .anchors("Very poor", "Very good"),
            );
            missing_note(
                ui,
                &sleep,
                form.sleep_quality,
                "sleep_quality",
                missing,
                scroll,
            );
        });
        first.unwrap_or(egui::Id::NULL)
    }

    fn amounts(&mut self, ui: &mut Ui) {
        let (walking_before, sitting_before) =
            (self.pristine.walking_minutes, self.pristine.sitting_minutes);
        let form = &mut self.form;
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Getting about");
            if self.prefilled && form.walking_minutes == walking_before && form.sitting_minutes == sitting_before {
                widgets::hint(
                    ui,
                    "Walking and sitting are filled in from your last check-in: change them if today was different.",
                );
            }
            widgets::hint(ui, "How long could you walk at one time?");
            widgets::minutes_field(ui, "Walking", &mut form.walking_minutes, MAX_MINUTES);
            widgets::hint(ui, "How long could you sit at one time?");
            widgets::minutes_field(ui, "Sitting", &mut form.sitting_minutes, MAX_MINUTES);
            ui.add_space(theme::GAP_S);
            widgets::section_title(ui, "Pain medicine");
            widgets::hint(
                ui,
                "Doses of opioid pain medicine today (for example oxycodone, tramadol)",
            );
            ui.horizontal(|ui| {
                let mut doses = form.opioid_doses;
                if ui.add_sized([44.0, 36.0], egui::Button::new("−")).clicked() {
                    doses = doses.saturating_sub(1);
                }
                let response = ui.add(
                    egui::DragValue::new(&mut doses)
                        .range(0..=MAX_OPIOID_DOSES)
                        .suffix(" doses"),
                );
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Opioid doses")
                });
                if ui.add_sized([44.0, 36.0], egui::Button::new("+")).clicked() {
                    doses = (doses + 1).min(MAX_OPIOID_DOSES);
                }
                form.opioid_doses = doses;
            });
            ui.add_space(theme::GAP_S);
            let label = widgets::section_title(ui, "Note");
            let response = ui.add(
                egui::TextEdit::multiline(&mut form.note)
                    .hint_text("Anything you want to remember or tell your physiotherapist")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            );
            let response = response.labelled_by(label.id);
            self.note_focused = response.has_focus();
        });
    }

    /// Numbness, tingling and weakness in the legs: optional, filled in
    /// from the last check-in, or "none" in one click.
    fn nerves(&mut self, ui: &mut Ui, before: Option<NerveSymptoms>) {
        let prefilled = self.prefilled && self.form.nerves_answered();
        let form = &mut self.form;
        let missing = &mut self.missing;
        let scroll = &mut self.scroll_to_missing;
        let weakness_before = form.weakness;
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Numbness, tingling, weakness in the legs");
            widgets::hint(
                ui,
                if prefilled {
                    "Optional. Filled in from your last check-in: change anything that is different today."
                } else {
                    "Optional. Answer for the worse leg."
                },
            );
            if ui.button("No numbness, tingling or weakness").clicked() {
                form.set_nerves(Some(NerveSymptoms::NONE));
                let marks: Vec<Mark> = form.body_map.marks().collect();
                for mark in marks.into_iter().filter(|m| m.symptom != MapSymptom::Pain) {
                    form.body_map.set(mark, false);
                }
                missing.retain(|f| !matches!(*f, "numbness" | "tingling"));
            }
            ui.add_space(theme::GAP_S);
            widgets::section_title(ui, "Numbness");
            let numbness = ui.add(
                ScorePicker::new("Numbness", &mut form.numbness)
                    .anchors("No numbness", "Completely numb"),
            );
            missing_note(ui, &numbness, form.numbness, "numbness", missing, scroll);
            ui.add_space(theme::GAP_S);
            widgets::section_title(ui, "Tingling (pins and needles)");
            let tingling = ui.add(
                ScorePicker::new("Tingling", &mut form.tingling)
                    .anchors("No tingling", "Worst imaginable"),
            );
            missing_note(ui, &tingling, form.tingling, "tingling", missing, scroll);
            ui.add_space(theme::GAP_S);
            widgets::section_title(ui, "Weakness");
            for level in Weakness::VARIANTS {
                ui.radio_value(
                    &mut form.weakness,
                    *level,
                    format!("{}: {}", level.words(), level.example()),
                );
            }
            if form.weakness == Weakness::None {
                form.weakness_side = None;
            } else {
                ui.horizontal_wrapped(|ui| {
                    ui.label("Which leg?");
                    for side in Side::VARIANTS {
                        ui.radio_value(&mut form.weakness_side, Some(*side), side.words());
                    }
                });
            }
        });
        // New or worse weakness than at the last check-in is a warning
        // sign: ticked for the person (who can untick it), so the banner
        // says whom to call.
        let last_level = before.map_or(0, |n| n.weakness.level());
        if form.weakness != weakness_before && form.weakness.level() > last_level {
            form.warning_symptoms.set(WarningSymptom::LegWeakness, true);
            self.weakness_ticked = true;
        }
        if self.weakness_ticked && form.warning_symptoms.contains(WarningSymptom::LegWeakness) {
            widgets::hint(
                ui,
                "Weaker than at your last check-in: \"New or worse weakness or numbness in a leg\" is ticked under warning signs. Untick it there if this is not new.",
            );
        }
    }

    /// Where pain, numbness and tingling are: a tap on the map, or the
    /// same as named checkboxes. Saddle numbness ticks the emergency sign
    /// at once; numbness in a new place ticks "new or worse … numbness".
    fn where_felt(&mut self, ui: &mut Ui, before: Option<&BodyMap>) {
        let carried = self.prefilled && !self.form.body_map.is_empty();
        let form = &mut self.form;
        let marking = &mut self.marking;
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Where do you feel it?");
            widgets::hint(
                ui,
                if carried {
                    "Optional. Marked as at your last check-in: tap a place to change it."
                } else {
                    "Optional. Choose what you feel, then tap each place on the legs."
                },
            );
            ui.horizontal_wrapped(|ui| {
                ui.label("Marking:");
                for symptom in MapSymptom::VARIANTS {
                    let chosen = *marking == *symptom;
                    if ui
                        .add(egui::Button::selectable(chosen, symptom.words()))
                        .clicked()
                    {
                        *marking = *symptom;
                    }
                }
            });
            crate::ui::body_map::key(ui);
            crate::ui::body_map::editor(ui, &mut form.body_map, *marking);
            egui::CollapsingHeader::new("Mark from a list instead")
                .id_salt("body-map-list")
                .show(ui, |ui| {
                    crate::ui::body_map::checklist(ui, &mut form.body_map);
                });
        });
        self.warn_from_map(ui, before);
    }

    /// The map's warning signs, judged against what the form opened with
    /// (so editing a saved day ticks nothing again): saddle numbness newly
    /// marked ticks the emergency sign; numbness in a place that was not
    /// numb at the last check-in ticks "new or worse … numbness". A sign
    /// the map ticked is unticked when its mark goes again; one the person
    /// ticked is left alone.
    fn warn_from_map(&mut self, ui: &mut Ui, before: Option<&BodyMap>) {
        let form = &mut self.form;
        let opened_with = &self.pristine.body_map;
        let saddle = Mark::SADDLE_NUMBNESS;
        let saddle_new = form.body_map.contains(saddle) && !opened_with.contains(saddle);
        let saddle_sign = WarningSymptom::SaddleNumbness;
        if saddle_new && !self.saddle_ticked && !form.warning_symptoms.contains(saddle_sign) {
            form.warning_symptoms.set(saddle_sign, true);
            self.saddle_ticked = true;
            ui.ctx().request_repaint();
        } else if !saddle_new && self.saddle_ticked {
            form.warning_symptoms.set(saddle_sign, false);
            self.saddle_ticked = false;
            ui.ctx().request_repaint();
        }
        let numb_before = opened_with.places(MapSymptom::Numbness);
        let spread: Vec<String> = before
            .map(|b| numbness_spread(b, &form.body_map))
            .unwrap_or_default()
            .into_iter()
            .filter(|place| !numb_before.contains(place))
            .map(|(side, region)| place_words(side, region).to_lowercase())
            .collect();
        let leg_sign = WarningSymptom::LegWeakness;
        let grew = spread.iter().any(|p| !self.spread_ticked.contains(p));
        if grew && !form.warning_symptoms.contains(leg_sign) {
            form.warning_symptoms.set(leg_sign, true);
            self.spread_auto = true;
            ui.ctx().request_repaint();
        } else if spread.is_empty() && self.spread_auto {
            if !self.weakness_ticked {
                form.warning_symptoms.set(leg_sign, false);
            }
            self.spread_auto = false;
            ui.ctx().request_repaint();
        }
        self.spread_ticked = spread;
        if self.saddle_ticked && form.warning_symptoms.contains(saddle_sign) {
            widgets::hint(
                ui,
                "Numbness in the saddle area is ticked under warning signs: it is an emergency sign. Untick it there if you marked it by mistake.",
            );
        }
        if !self.spread_ticked.is_empty() && form.warning_symptoms.contains(leg_sign) {
            widgets::hint(
                ui,
                &format!(
                    "Numbness in a new place since your last check-in ({}): \"New or worse weakness or numbness in a leg\" is ticked under warning signs. Untick it there if this is not new.",
                    self.spread_ticked.join(", ")
                ),
            );
        }
    }

    fn symptoms(&mut self, ui: &mut Ui) {
        let form = &mut self.form;
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Warning signs");
            symptom_list(ui, &mut form.warning_symptoms, "page");
        });
    }

    /// "Any warning signs today?": in the bar at the foot, so it is in view
    /// without scrolling; it opens the list, or says what is ticked.
    fn warning_question(&mut self, ui: &mut Ui, compact: bool) {
        let ticked = self.form.warning_symptoms.iter().count();
        let question = if ticked == 0 {
            "Any warning signs today?".to_owned()
        } else {
            format!(
                "Warning signs: {} ticked",
                crate::words::plural(ticked as i64, "sign", "signs")
            )
        };
        let shown = match (compact, ticked) {
            (false, _) => question.clone(),
            (true, 0) => "Warning signs?".to_owned(),
            (true, n) => format!("Warning signs: {n}"),
        };
        let button = egui::Button::new(shown).min_size(egui::vec2(0.0, 48.0));
        let response = ui.add(button);
        // Screen readers hear the whole question, whatever fits on screen.
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &question));
        if response.clicked() {
            self.symptoms_open = true;
        }
    }

    fn symptom_dialog(&mut self, ui: &mut Ui) {
        if !self.symptoms_open {
            return;
        }
        let form = &mut self.form;
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("warning-signs")).show(ui.ctx(), |ui| {
            ui.set_width(widgets::dialog_width(ui.ctx(), 640.0));
            widgets::section_title(ui, "Warning signs");
            let height = (ui.ctx().content_rect().height() - 200.0).max(120.0);
            egui::ScrollArea::vertical()
                .max_height(height)
                .min_scrolled_height(height)
                .show(ui, |ui| {
                    symptom_list(ui, &mut form.warning_symptoms, "dialog");
                });
            ui.add_space(theme::GAP_S);
            if ui.button("Done").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                close = true;
            }
        });
        if close || modal.should_close() {
            self.symptoms_open = false;
        }
    }

    /// The save button and what became of the last try, on the foot
    /// bar's row.
    fn save_row(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        data: &PatientData,
        (existing, compact): (bool, bool),
    ) {
        let colors = theme::palette(ui.visuals());
        let label = if existing {
            "Save changes"
        } else {
            "Save check-in"
        };
        let mut text = RichText::new(if compact { "Save" } else { label })
            .color(colors.on_accent)
            .strong();
        if !compact {
            text = text.size(20.0);
        }
        let button = egui::Button::new(text)
            .fill(colors.accent)
            .min_size(egui::vec2(if compact { 96.0 } else { 200.0 }, 48.0));
        let response = ui.add_enabled(app.read_only.is_none(), button);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
        let response = match app.read_only {
            Some(reason) => response.on_disabled_hover_text(format!("Saving is off: {reason}.")),
            None => response.on_hover_text("Save (Enter)"),
        };
        if response.clicked() {
            self.save(app, data, app.today);
        }
        if let Some(error) = &self.error {
            widgets::error_line(ui, error);
        } else if self.form != self.pristine {
            widgets::hint(ui, "Not saved yet.");
        }
    }

    fn save(&mut self, app: &mut AppView<'_>, data: &PatientData, today: NaiveDate) {
        let result = self.form.to_check_in(self.day).and_then(|c| {
            c.validate_for(&data.patient, today)
                .map(|()| c)
                .map_err(|e| format!("Not saved: {e}."))
        });
        self.missing = self.form.missing();
        self.scroll_to_missing = !self.missing.is_empty();
        match result {
            Ok(check_in) => {
                self.error = None;
                app.edit(Edit::SaveCheckIn(data.patient.id, check_in));
            }
            Err(message) => self.error = Some(message),
        }
    }
}

/// The warning signs by urgency, each a named checkbox. `place` keeps the
/// page's list and the dialog's apart.
fn symptom_list(ui: &mut Ui, symptoms: &mut WarningSymptoms, place: &str) {
    widgets::hint(
        ui,
        "Tick any that you have today. Most days you will tick none.",
    );
    for (urgency, heading) in [
        (Urgency::Emergency, "🚑 Call an ambulance if you have:"),
        (
            Urgency::SameDay,
            "☎ Call your surgical team today if you have:",
        ),
    ] {
        ui.add_space(theme::GAP_S);
        ui.label(RichText::new(heading).strong());
        for &symptom in WarningSymptom::VARIANTS
            .iter()
            .filter(|s| s.urgency() == urgency)
        {
            let mut ticked = symptoms.contains(symptom);
            ui.push_id((place, symptom.code()), |ui| {
                if ui.checkbox(&mut ticked, symptom.label()).changed() {
                    symptoms.set(symptom, ticked);
                }
            });
        }
    }
}

/// Under a score that a save found missing: what to do, until it is
/// chosen; the first such score is scrolled into view once.
fn missing_note(
    ui: &mut Ui,
    picker: &egui::Response,
    value: Option<u8>,
    field: &'static str,
    missing: &mut Vec<&'static str>,
    scroll: &mut bool,
) {
    if value.is_some() {
        missing.retain(|f| *f != field);
        return;
    }
    if missing.contains(&field) {
        widgets::error_line(ui, "Please choose a number here.");
        if std::mem::take(scroll) {
            picker.scroll_to_me(Some(egui::Align::Center));
        }
    }
}

/// Days without a check-in between the last one (within a week) and today.
fn missed_days(data: &PatientData, today: NaiveDate) -> Vec<NaiveDate> {
    let earliest = (today - Days::new(7))
        .max(data.patient.details.surgery_date + Days::new(1))
        .max(data.tracking_start);
    let Some(last) = data
        .check_in_before(today)
        .map(|c| c.day)
        .filter(|d| *d >= earliest - Days::new(1))
    else {
        return Vec::new();
    };
    (last + Days::new(1))
        .iter_days()
        .take_while(|d| *d < today)
        .filter(|d| data.check_in_on(*d).is_none())
        .collect()
}

/// "Your 3-month check-up questions are due": the clinic's questionnaire,
/// whose total the patient types in Progress.
fn check_up_card(
    ui: &mut Ui,
    app: &mut AppView<'_>,
    check_up: &crate::analysis::check_ups::CheckUp,
) {
    use crate::analysis::check_ups::CheckUpState;
    let text = if check_up.state == CheckUpState::Due {
        format!(
            "Your {} questions are due (until {}): fill in your clinic's disability \
             questionnaire (ODI) and record its total.",
            check_up.name(),
            crate::words::short_date(check_up.to)
        )
    } else {
        format!(
            "Your {} questions are still to do: fill in your clinic's disability \
             questionnaire (ODI) when you can and record its total.",
            check_up.name()
        )
    };
    ui.add_space(theme::GAP_S);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(text).strong());
            if ui.button("Record the ODI total").clicked() {
                app.push(crate::ui::Command::RecordOdi);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_without_scores_names_what_is_missing() {
        let form = Form::prefilled_from(None);
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default();
        let err = form.to_check_in(day).expect_err("scores missing");
        assert!(err.contains("back pain and leg pain and sleep"), "{err}");
        let full = Form {
            back_pain: Some(3),
            leg_pain: Some(1),
            sleep_quality: Some(7),
            note: "  fine  ".into(),
            ..form
        };
        let c = full.to_check_in(day).expect("complete");
        assert_eq!((c.back_pain, c.note.as_str()), (3, "fine"));
    }
}
