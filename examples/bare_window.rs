//! The floor for start-up: an eframe window of the same size and renderer
//! with one label, timed to its first frame like
//! `recovery-tracker gui --exit-after-first-frame`.

use std::time::Instant;

struct Bare {
    started: Instant,
}

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("Hello");
        });
        println!(
            "first frame after {:.1} ms",
            self.started.elapsed().as_secs_f64() * 1000.0
        );
        std::process::exit(0);
    }
}

fn main() -> eframe::Result {
    let started = Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "bare-window",
        options,
        Box::new(move |_| Ok(Box::new(Bare { started }))),
    )
}
