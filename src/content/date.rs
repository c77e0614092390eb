//! Dates as front matter writes them: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339, read in
//! the site's time zone, and the hint for a date written in another common form.

/// A date or date-time as written in front matter, read in `tz` when it has no offset.
/// Returns the zoned time and whether a time of day was given. The time is in the zone it was
/// written in: the zone of an annotation (`[America/New_York]`), else its offset (`-04:00`),
/// else `tz`; an offset that is `tz`'s at that moment is `tz` (it is the site's local time).
pub fn parse_date(
    value: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<(jiff::ZonedDateTime, bool), String> {
    let written = value.trim();
    // A time zone annotation (RFC 9557, `2022-05-24T09:30:00[Asia/Bangkok]`): a local time
    // is read in that zone rather than the site's, and stays in it, as a time with only an
    // offset stays at that offset: a meeting abroad keeps its own day and time.
    let (value, zone) = match written.find('[') {
        Some(at) if written.ends_with(']') => {
            let name = &written[at + 1..written.len() - 1];
            let zone = jiff::tz::TimeZone::get(name).map_err(|_| {
                format!("`{written}` names the time zone `{name}`, which does not exist")
            })?;
            (written[..at].trim_end(), Some(zone))
        }
        Some(_) => return Err(format!("`{written}` is not a valid date and time")),
        None => (written, None),
    };
    let bytes = value.as_bytes();
    let looks_like_date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if !looks_like_date {
        return Err(format!("`{written}` is not a date"));
    }
    let date: jiff::civil::Date = value[..10]
        .parse()
        .map_err(|_| format!("`{}` is not a real date", &value[..10]))?;
    // The day after is worked out for calendars and lists: it must exist too.
    if date >= jiff::civil::date(9999, 12, 31) {
        return Err(format!(
            "`{}` is past the last date that can be placed, 9999-12-30",
            &value[..10]
        ));
    }
    if value.len() == 10 {
        let zoned = date
            .to_zoned_datetime(zone.unwrap_or_else(|| tz.clone()))
            .map_err(|e| format!("`{written}` cannot be placed in the time zone: {e}"))?;
        return Ok((zoned, false));
    }
    let rest = &value[10..];
    let offset_at = rest.rfind(['+', '-']).filter(|&index| index > 3);
    if let Some(at) = offset_at {
        let hours: u32 = (rest[at + 1..].get(..2))
            .and_then(|hours| hours.parse().ok())
            .unwrap_or(0);
        if hours > 23 {
            return Err(format!(
                "`{written}` has an offset of {hours} hours; RFC 3339 allows at most 23:59"
            ));
        }
    }
    let has_offset = rest.ends_with('Z') || rest.ends_with('z') || offset_at.is_some();
    if has_offset {
        at_offset(written, value, zone, tz)
    } else {
        local_time(written, value, zone.as_ref().unwrap_or(tz))
    }
}

/// [`parse_date`] of a date-time `value` with an offset (as `written`), in the zone of its
/// annotation when it has one, else at its offset (`tz` when that is `tz`'s offset then).
fn at_offset(
    written: &str,
    value: &str,
    zone: Option<jiff::tz::TimeZone>,
    tz: &jiff::tz::TimeZone,
) -> Result<(jiff::ZonedDateTime, bool), String> {
    let timestamp: jiff::Timestamp = value
        .parse()
        .map_err(|_| format!("`{written}` is not a valid RFC 3339 date-time"))?;
    let written_in = zone.unwrap_or_else(|| {
        let offset = jiff::fmt::temporal::Pieces::parse(value)
            .ok()
            .and_then(|pieces| pieces.to_numeric_offset())
            .unwrap_or(jiff::tz::Offset::UTC);
        if offset == tz.to_offset(timestamp) {
            tz.clone()
        } else {
            jiff::tz::TimeZone::fixed(offset)
        }
    });
    Ok((timestamp.to_zoned_datetime(written_in), true))
}

/// [`parse_date`] of a local date-time `value` (as `written`) in the zone `local`: an error
/// when the clocks skipped it there.
fn local_time(
    written: &str,
    value: &str,
    local: &jiff::tz::TimeZone,
) -> Result<(jiff::ZonedDateTime, bool), String> {
    let datetime: jiff::civil::DateTime = value
        .parse()
        .map_err(|_| format!("`{written}` is not a valid date and time"))?;
    let placed = local.to_ambiguous_zoned_datetime(datetime);
    if let jiff::tz::AmbiguousOffset::Gap { before, after } = placed.offset() {
        let minutes = (after.seconds() - before.seconds()).unsigned_abs() / 60;
        let skipped = match minutes {
            60 => "an hour".to_string(),
            m if m % 60 == 0 => format!("{} hours", m / 60),
            m => format!("{m} minutes"),
        };
        return Err(format!(
            "`{written}` is a time that did not happen in {}: the clocks went forward {skipped} there, over it",
            local.iana_name().unwrap_or("the site's time zone")
        ));
    }
    let zoned = placed
        .compatible()
        .map_err(|e| format!("`{written}` cannot be placed in the time zone: {e}"))?;
    Ok((zoned, true))
}

pub const DATE_HINT: &str = "write `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or an RFC 3339 date-time such as `2022-05-24T09:30:00+07:00`";

/// The hint for a date that could not be read: what `value` most likely meant, written as a
/// date must be, when it is a date in another common form, then [`DATE_HINT`].
pub fn date_hint(value: &str) -> String {
    match meant_date(value) {
        Some(meant) => {
            format!("did you mean {meant}? Dates are written `YYYY-MM-DD` (year, month, day)")
        }
        None => DATE_HINT.to_string(),
    }
}

/// `24/05/2022`, `05/24/2022`, `24.05.2022`, `2022/05/24`, `24 May 2022`, `May 24, 2022`,
/// each with an optional time `HH:MM` after it, as `YYYY-MM-DD` in backticks; both readings
/// of a day and month that could be either (`05/06/2022`).
fn meant_date(value: &str) -> Option<String> {
    let value = value.trim();
    // A time after the date is kept as it is.
    let (date, time) = match value.rsplit_once([' ', 'T']) {
        Some((date, time))
            if time.len() >= 4
                && time.contains(':')
                && time.chars().all(|c| c.is_ascii_digit() || c == ':') =>
        {
            (date.trim_end_matches(',').trim(), format!(" {time}"))
        }
        _ => (value, String::new()),
    };
    // Written as it should be already, it is wrong for another reason (a time of 25:00).
    let written = |y: i16, m: i8, d: i8| -> Option<String> {
        let date = jiff::civil::Date::new(y, m, d).ok()?;
        let meant = format!("{date}{time}");
        (meant != value).then(|| format!("`{meant}`"))
    };
    let parts: Vec<&str> = date
        .split(|c: char| matches!(c, '/' | '.' | '-' | ' ' | ',') || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let number = |p: &str| -> Option<i16> {
        (p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let day = |p: &str| -> Option<i8> {
        let digits = p.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &p[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        number(digits)
            .filter(|&n| (1..=31).contains(&n))
            .map(|n| n as i8)
    };
    let year = |p: &str| number(p).filter(|_| p.len() == 4);
    let month_name = |p: &str| -> Option<i8> {
        const MONTHS: [&str; 12] = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        let p = p.trim_end_matches('.').to_lowercase();
        (p.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(&p)))
            .flatten()
            .map(|i| i as i8 + 1)
    };
    // A month by its name: `24 May 2022`, `May 24, 2022`.
    if let (Some(d), Some(m), Some(y)) = (day(a), month_name(b), year(c)) {
        return written(y, m, d);
    }
    if let (Some(m), Some(d), Some(y)) = (month_name(a), day(b), year(c)) {
        return written(y, m, d);
    }
    let small = |p: &str| {
        number(p)
            .filter(|&n| (1..=31).contains(&n))
            .map(|n| n as i8)
    };
    // The year first: `2022/05/24`.
    if let (Some(y), Some(m), Some(d)) = (year(a), small(b), small(c)) {
        return written(y, m, d);
    }
    // The year last: day and month in either order, `24/05/2022` or `05/24/2022`.
    let (Some(first), Some(second), Some(y)) = (small(a), small(b), year(c)) else {
        return None;
    };
    match (written(y, second, first), written(y, first, second)) {
        (Some(day_first), Some(month_first)) if first != second => {
            // Dots are not used for month first.
            if date.contains('.') {
                Some(day_first)
            } else {
                Some(format!(
                    "{day_first} (day first) or {month_first} (month first)"
                ))
            }
        }
        (Some(one), _) | (None, Some(one)) => Some(one),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_a_zone_a_large_offset_or_a_skipped_time() {
        let bangkok = jiff::tz::TimeZone::get("Asia/Bangkok").unwrap();
        let utc = jiff::tz::TimeZone::UTC;
        // The annotation's zone places the moment, and the time stays in it.
        let (z, t) = parse_date("2022-05-24T09:30:00[Asia/Bangkok]", &utc).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T09:30:00+07:00[Asia/Bangkok]");
        assert!(t);
        let (z, _) = parse_date("2022-05-24T14:00:00[America/New_York]", &bangkok).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T14:00:00-04:00[America/New_York]");
        assert_eq!(z.timestamp().to_string(), "2022-05-24T18:00:00Z");
        let (z, _) = parse_date("2022-05-24 09:30:00+07:00[Asia/Bangkok]", &bangkok).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T09:30:00+07:00[Asia/Bangkok]");
        assert_eq!(
            parse_date("2022-05-24T09:30:00[Mars/Olympus]", &utc),
            Err("`2022-05-24T09:30:00[Mars/Olympus]` names the time zone `Mars/Olympus`, which does not exist".to_string())
        );
        // A date alone stays the day written; a skipped time in the named zone is an error.
        let (z, t) = parse_date("2022-05-24[Asia/Bangkok]", &utc).unwrap();
        assert_eq!((z.date().to_string(), t), ("2022-05-24".to_string(), false));
        assert_eq!(
            parse_date("2024-03-10T02:30:00[America/New_York]", &utc),
            Err("`2024-03-10T02:30:00[America/New_York]` is a time that did not happen in America/New_York: the clocks went forward an hour there, over it".to_string())
        );
        assert_eq!(
            parse_date("2022-05-24T09:30:00+25:00", &utc),
            Err(
                "`2022-05-24T09:30:00+25:00` has an offset of 25 hours; RFC 3339 allows at most 23:59"
                    .to_string()
            )
        );
        assert!(parse_date("2022-05-24T09:30:00-23:59", &utc).is_ok());
        let new_york = jiff::tz::TimeZone::get("America/New_York").unwrap();
        assert_eq!(
            parse_date("2024-03-10 02:30", &new_york),
            Err("`2024-03-10 02:30` is a time that did not happen in America/New_York: the clocks went forward an hour there, over it".to_string())
        );
        // A time that happened twice is the first of the two.
        let (z, _) = parse_date("2024-11-03 01:30", &new_york).unwrap();
        assert_eq!(z.to_string(), "2024-11-03T01:30:00-04:00[America/New_York]");
        assert_eq!(
            parse_date("9999-12-31", &utc),
            Err("`9999-12-31` is past the last date that can be placed, 9999-12-30".to_string())
        );
        assert!(parse_date("9999-12-30", &utc).is_ok());
    }

    /// The parser's words for the usual mistakes, and what a person reads instead.
    #[test]
    fn a_date_in_another_form_gets_a_suggestion() {
        for (written, meant) in [
            ("24/05/2022", "`2022-05-24`"),
            ("05/24/2022", "`2022-05-24`"),
            ("24.05.2022", "`2022-05-24`"),
            ("5.6.2022", "`2022-06-05`"),
            ("24-05-2022", "`2022-05-24`"),
            ("2022/05/24", "`2022-05-24`"),
            ("2022.5.24", "`2022-05-24`"),
            ("24 May 2022", "`2022-05-24`"),
            ("24th May 2022", "`2022-05-24`"),
            ("24 Sept. 2022", "`2022-09-24`"),
            ("May 24, 2022", "`2022-05-24`"),
            ("24/05/2022 14:00", "`2022-05-24 14:00`"),
            (
                "05/06/2022",
                "`2022-06-05` (day first) or `2022-05-06` (month first)",
            ),
            ("07/07/2022", "`2022-07-07`"),
        ] {
            assert_eq!(meant_date(written).as_deref(), Some(meant), "{written}");
        }
        for nothing in [
            "31/02/2022",
            "24/05/22",
            "May 2022",
            "yesterday",
            "32/13/2022",
            "2022-05-24 25:00",
        ] {
            assert_eq!(meant_date(nothing), None, "{nothing}");
        }
        assert_eq!(
            date_hint("24/05/2022"),
            "did you mean `2022-05-24`? Dates are written `YYYY-MM-DD` (year, month, day)"
        );
        assert_eq!(date_hint("soon"), DATE_HINT);
    }

    #[test]
    fn dates() {
        let tz = jiff::tz::TimeZone::get("Asia/Bangkok").unwrap();
        let (z, t) = parse_date("2022-05-24", &tz).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T00:00:00+07:00[Asia/Bangkok]");
        assert!(!t);
        let (z, t) = parse_date("2022-05-24 09:30", &tz).unwrap();
        assert_eq!(z.hour(), 9);
        assert!(t);
        // A time with an offset stays at it; one with the site's offset is in the site's zone.
        let (z, _) = parse_date("2022-05-24T23:30:00Z", &tz).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T23:30:00+00:00[UTC]");
        let (z, _) = parse_date("2022-05-24T14:00:00-04:00", &tz).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T14:00:00-04:00[-04:00]");
        let (z, _) = parse_date("2022-05-24T09:30:00+07:00", &tz).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T09:30:00+07:00[Asia/Bangkok]");
        assert_eq!(
            parse_date("2022-02-30", &tz).unwrap_err(),
            "`2022-02-30` is not a real date"
        );
        assert!(parse_date("May 2022", &tz).is_err());
        assert!(parse_date("2022-05-24 25:00", &tz).is_err());
    }
}
