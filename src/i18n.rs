//! Dates and times as a language writes them, from CLDR data (ICU4X), not from hand tables:
//! Thai gets Thai month names and the Buddhist era (`24 พฤษภาคม 2565`), and a new language needs
//! no code, only its tag. Machine-readable values stay ISO 8601 and are not made here.
//! A theme's words per language are in [`strings`].

pub mod strings;

use icu::datetime::fieldsets::{M, T, YM, YMD};
use icu::datetime::input::{Date, Time};
use icu::datetime::{DateTimeFormatter, NoCalendarFormatter};
use icu::locale::Locale;

/// The formatters of one language, made once per build and shared by every page in it.
pub struct Dates {
    day: DateTimeFormatter<YMD>,
    month_year: DateTimeFormatter<YM>,
    month: DateTimeFormatter<M>,
    time: NoCalendarFormatter<T>,
}

impl std::fmt::Debug for Dates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Dates { .. }")
    }
}

impl Dates {
    /// The formatters for a BCP 47 tag (`en-GB`, `th`, `lo`). The calendar is the one CLDR
    /// gives the language (Buddhist for `th`). A tag that does not parse is an error with the
    /// parser's reason; a well-formed tag CLDR has no data for falls back along CLDR's chain
    /// (`en-XY` → `en`), and in the end to the root locale, as ICU does.
    pub fn for_tag(tag: &str) -> Result<Dates, String> {
        let locale: Locale = tag
            .parse()
            .map_err(|e| format!("`{tag}` is not a language tag ({e})"))?;
        let prefs = || locale.clone().into();
        let failed = |e: icu::datetime::DateTimeFormatterLoadError| {
            format!("no date formats for `{tag}` ({e})")
        };
        Ok(Dates {
            day: DateTimeFormatter::try_new(prefs(), YMD::long()).map_err(failed)?,
            month_year: DateTimeFormatter::try_new(prefs(), YM::long()).map_err(failed)?,
            month: DateTimeFormatter::try_new(prefs(), M::long()).map_err(failed)?,
            time: NoCalendarFormatter::try_new(prefs(), T::hm()).map_err(failed)?,
        })
    }

    /// `24 May 2022` (en-GB), `24 พฤษภาคม 2565` (th).
    pub fn day(&self, date: jiff::civil::Date) -> String {
        iso(date).map_or_else(|| date.to_string(), |d| self.day.format(&d).to_string())
    }

    /// `May 2022` (en-GB), `พฤษภาคม 2565` (th).
    pub fn month_year(&self, date: jiff::civil::Date) -> String {
        iso(date).map_or_else(
            || date.strftime("%Y-%m").to_string(),
            |d| self.month_year.format(&d).to_string(),
        )
    }

    /// `May` (en-GB), `พฤษภาคม` (th): the month of `date`, standing alone.
    pub fn month(&self, date: jiff::civil::Date) -> String {
        iso(date).map_or_else(
            || date.month().to_string(),
            |d| self.month.format(&d).to_string(),
        )
    }

    /// `14:00` in the language's own way of writing hours and minutes.
    pub fn time(&self, time: jiff::civil::Time) -> String {
        let hm = Time::try_new(time.hour() as u8, time.minute() as u8, 0, 0);
        hm.map_or_else(
            |_| time.strftime("%H:%M").to_string(),
            |t| self.time.format(&t).to_string(),
        )
    }
}

/// jiff's civil date as ICU's ISO date. jiff's range (years -9999 to 9999) is inside ICU's, so
/// `None` cannot happen; the callers still answer with the ISO form rather than panic.
fn iso(date: jiff::civil::Date) -> Option<Date<icu::calendar::Iso>> {
    Date::try_new_iso(i32::from(date.year()), date.month() as u8, date.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn may_24() -> jiff::civil::Date {
        jiff::civil::date(2022, 5, 24)
    }

    #[test]
    fn thai_dates_have_thai_months_and_the_buddhist_era() {
        let th = Dates::for_tag("th").unwrap();
        assert_eq!(th.day(may_24()), "24 พฤษภาคม 2565");
        assert_eq!(th.month_year(may_24()), "พฤษภาคม 2565");
        assert_eq!(th.month(may_24()), "พฤษภาคม");
        assert_eq!(th.time(jiff::civil::time(14, 0, 0, 0)), "14:00");
    }

    #[test]
    fn british_english_dates_are_day_month_year() {
        let en = Dates::for_tag("en-GB").unwrap();
        assert_eq!(en.day(may_24()), "24 May 2022");
        assert_eq!(en.month_year(may_24()), "May 2022");
        assert_eq!(en.time(jiff::civil::time(9, 5, 0, 0)), "09:05");
    }

    #[test]
    fn a_third_language_needs_only_its_tag() {
        let lo = Dates::for_tag("lo").unwrap();
        assert_eq!(lo.day(may_24()), "24 ພຶດສະພາ 2022");
        let km = Dates::for_tag("km").unwrap();
        assert_eq!(km.month(may_24()), "ឧសភា");
    }

    #[test]
    fn a_tag_that_does_not_parse_is_refused_with_the_reason() {
        let err = Dates::for_tag("not a tag").unwrap_err();
        assert!(
            err.starts_with("`not a tag` is not a language tag ("),
            "{err}"
        );
    }

    #[test]
    fn the_first_and_last_days_jiff_knows_are_formatted() {
        let en = Dates::for_tag("en-GB").unwrap();
        assert_eq!(en.day(jiff::civil::date(9999, 12, 31)), "31 December 9999");
        assert!(!en.day(jiff::civil::date(-9999, 1, 1)).is_empty());
    }
}
