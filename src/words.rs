//! Numbers and dates in plain words, the same in the window, the CLI and
//! the PDF: "1 check-in", "3 check-ins", "Tuesday 24 November 2026".

use chrono::NaiveDate;

/// `count` with the noun in the right number: `plural(1, "dose", "doses")`
/// is "1 dose", `plural(0, …)` "0 doses".
pub fn plural(count: impl Into<i64>, one: &str, many: &str) -> String {
    let count = count.into();
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// "Tuesday 24 November 2026".
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// "24 Nov 2026".
pub fn date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// "Tue 24 Nov 2026".
pub fn weekday_date(day: NaiveDate) -> String {
    day.format("%a %-d %b %Y").to_string()
}

/// "24 Nov".
pub fn short_date(day: NaiveDate) -> String {
    day.format("%-d %b").to_string()
}

/// A span of days as short as it reads: "21–26 Nov", "30 Oct–5 Nov".
pub fn short_span(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        short_date(first)
    } else if first.format("%b %Y").to_string() == last.format("%b %Y").to_string() {
        format!("{}–{}", first.format("%-d"), short_date(last))
    } else {
        format!("{}–{}", short_date(first), short_date(last))
    }
}

/// At most `max` characters of `text`, with "…" where it was cut: for
/// echoing what a file held in a message without echoing all of it.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Text as it may be printed to a terminal: control characters (which a
/// crafted name could use to clear the screen or retitle the window) and
/// direction overrides are shown as `\u{1b}`, never sent. New lines and
/// tabs stay.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if unsafe_char(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(plural(1, "check-in", "check-ins"), "1 check-in");
        assert_eq!(plural(0, "check-in", "check-ins"), "0 check-ins");
        assert_eq!(plural(2u8, "patient", "patients"), "2 patients");
        assert_eq!(plural(-1, "day", "days"), "-1 days");
    }

    #[test]
    fn a_span_names_its_month_once_when_it_can() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("day");
        assert_eq!(short_span(day(11, 21), day(11, 26)), "21–26 Nov");
        assert_eq!(short_span(day(10, 30), day(11, 5)), "30 Oct–5 Nov");
        assert_eq!(short_span(day(11, 3), day(11, 3)), "3 Nov");
    }

    #[test]
    fn an_excerpt_cuts_on_a_character_boundary() {
        assert_eq!(excerpt("ŁódźŁódź", 4), "Łódź…");
        assert_eq!(excerpt("short", 10), "short");
    }

    #[test]
    fn terminal_escapes_are_shown_not_sent() {
        assert_eq!(
            terminal_safe("Ann\u{1b}]0;owned\u{7}\u{1b}[2J"),
            "Ann\\u{1b}]0;owned\\u{7}\\u{1b}[2J"
        );
        assert_eq!(terminal_safe("line one\nline two"), "line one\nline two");
        assert_eq!(terminal_safe("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn dates_read_as_words() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap_or_default();
        assert_eq!(long_date(day), "Tuesday 3 November 2026");
        assert_eq!(short_date(day), "3 Nov");
    }
}
