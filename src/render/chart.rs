//! Bar charts as plain numbers for an inline SVG: entries per month (a row of twelve months
//! per year) and per year.
//!
//! Every position and font size is worked out here, in SVG user units with the origin at the
//! top left, so that templates only write the shapes out. The drawings carry no links: a chart
//! is one image (`role="img"`) for assistive technology, and its numbers are linked from the
//! table under it.

use std::sync::Arc;

use super::context::{Bar, Chart, CountLink, Line, Tick};
use crate::config::Config;
use crate::model::{Entry, month_name};

// Entries per month: a row per year, newest year on top, a column per month.
/// The year labels' column.
const GRID_LEFT: u32 = 34;
/// One month's column.
const GRID_COLUMN: u32 = 23;
const GRID_BAR: u32 = 15;
/// The month names above the rows.
const GRID_HEADER: u32 = 17;
/// Room for the count above the tallest bar.
const GRID_VALUE: u32 = 13;
/// The tallest bar.
const GRID_BAR_HEIGHT: u32 = 26;
/// Between a row's axis and the next row.
const GRID_GAP: u32 = 6;
const GRID_ROW: u32 = GRID_VALUE + GRID_BAR_HEIGHT + GRID_GAP;

// Entries per year: one bar per year, years left to right.
const BARS_WIDTH: u32 = 36;
const BARS_STEP: u32 = 46;
const BARS_TOP: u32 = 18;
const BARS_HEIGHT: u32 = 150;
const BARS_LABELS: u32 = 22;

/// Entries per month: one row of twelve months per year, from the newest year down to the
/// oldest, with the month names on top, the year at the left of its row and each month's
/// count over its bar; every bar is drawn to one scale.
pub fn per_month(config: &Config, entries: &[Arc<Entry>]) -> Chart {
    let title = "Entries per month";
    let (Some(newest), Some(oldest)) = (entries.first(), entries.last()) else {
        return empty(title);
    };
    let (first_year, last_year) = (oldest.date.year, newest.date.year);
    let years = (last_year - first_year + 1).max(1) as usize;
    // counts[year offset][month - 1]
    let mut counts = vec![[0usize; 12]; years];
    for entry in entries {
        let year = (entry.date.year - first_year) as usize;
        let month = (entry.date.month - 1) as usize;
        if let Some(slot) = counts.get_mut(year).and_then(|row| row.get_mut(month)) {
            *slot += 1;
        }
    }
    let max = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let width = GRID_LEFT + 12 * GRID_COLUMN + 4;
    let mut chart = Chart {
        title: title.to_string(),
        description: String::new(),
        legend: format!(
            "Each row is a year and each bar a month; the number over a bar is its entries, and every bar is drawn to one scale (the tallest, {max}).",
        ),
        layout: "grid",
        width,
        height: GRID_HEADER + years as u32 * GRID_ROW,
        value_size: 10,
        bars: Vec::new(),
        ticks: Vec::new(),
        lines: Vec::new(),
        rows: Vec::new(),
    };
    for month in 1..=12i8 {
        let column = GRID_LEFT + (month as u32 - 1) * GRID_COLUMN;
        chart.ticks.push(Tick {
            x: column + GRID_COLUMN / 2,
            y: GRID_HEADER - 5,
            label: short_month(month).to_string(),
            anchor: "middle",
            size: 11,
            class: "month",
        });
    }
    // Newest year on top, as on the timeline below the chart.
    for (row, year_offset) in (0..years).rev().enumerate() {
        let year = i32::from(first_year) + year_offset as i32;
        year_row(
            config,
            &mut chart,
            row as u32,
            year,
            &counts[year_offset],
            max,
        );
    }
    let from = (oldest.date.month, newest.date.month);
    month_table(config, &mut chart, &counts, first_year, from);
    chart
}

/// The row of [`per_month`]'s grid at `row` from the top: `year` at its left, a bar for each
/// month with entries in `counts`, drawn to the scale of `max`.
fn year_row(
    config: &Config,
    chart: &mut Chart,
    row: u32,
    year: i32,
    counts: &[usize; 12],
    max: usize,
) {
    let top = GRID_HEADER + row * GRID_ROW;
    let axis = top + GRID_VALUE + GRID_BAR_HEIGHT;
    chart.ticks.push(Tick {
        x: 0,
        y: axis - 8,
        label: year.to_string(),
        anchor: "start",
        size: 12,
        class: "year",
    });
    chart.lines.push(Line {
        x1: GRID_LEFT,
        y1: axis,
        x2: GRID_LEFT + 12 * GRID_COLUMN,
        y2: axis,
    });
    for (m, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let month = m as i8 + 1;
        let height = scaled(count, max, GRID_BAR_HEIGHT);
        chart.bars.push(Bar {
            x: GRID_LEFT + m as u32 * GRID_COLUMN + (GRID_COLUMN - GRID_BAR) / 2,
            y: axis - height,
            width: GRID_BAR,
            height,
            label: format!("{} {year}", month_name(month)),
            count,
            url: config.url(&format!("timeline/#{year}-{month:02}")),
        });
    }
}

/// [`per_month`]'s description and table: the months from the oldest entry's month to the
/// newest's (`months`, each counted from 1 in its year), the table listing those with entries,
/// oldest first.
fn month_table(
    config: &Config,
    chart: &mut Chart,
    counts: &[[usize; 12]],
    first_year: i16,
    (oldest, newest): (i8, i8),
) {
    let mut months = Vec::new();
    for (year_offset, row) in counts.iter().enumerate() {
        let year = i32::from(first_year) + year_offset as i32;
        for (m, &count) in row.iter().enumerate() {
            let month = m as i8 + 1;
            months.push((format!("{} {year}", month_name(month)), year, month, count));
        }
    }
    // From the oldest entry's month to the newest's.
    let from = (oldest - 1) as usize;
    let to = months.len() - (12 - newest as usize);
    let months = &months[from..to];
    chart.description = describe(
        months
            .iter()
            .map(|(label, _, _, count)| (label.as_str(), *count)),
        months.first().map_or("", |m| m.0.as_str()),
        months.last().map_or("", |m| m.0.as_str()),
    );
    chart.rows = months
        .iter()
        .filter(|m| m.3 > 0)
        .map(|(label, year, month, count)| CountLink {
            name: label.clone(),
            url: config.url(&format!("timeline/#{year}-{month:02}")),
            count: *count,
        })
        .collect();
}

/// Entries per year for one partner, every year from its first to its last entry.
pub fn per_year(config: &Config, entries: &[Arc<Entry>], positions: &[usize], name: &str) -> Chart {
    let title = format!("Entries with {name} per year");
    let (Some(&newest), Some(&oldest)) = (positions.first(), positions.last()) else {
        return empty(&title);
    };
    let first = entries[oldest].date.year;
    let last = entries[newest].date.year;
    let years = (last - first + 1).max(1) as usize;
    let mut counts = vec![0usize; years];
    for &i in positions {
        if let Some(slot) = counts.get_mut((entries[i].date.year - first) as usize) {
            *slot += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let axis = BARS_TOP + BARS_HEIGHT;
    let width = (years as u32 * BARS_STEP).max(BARS_STEP);
    let mut chart = Chart {
        title: title.clone(),
        description: String::new(),
        legend: String::new(),
        layout: "bars",
        width,
        height: axis + BARS_LABELS,
        value_size: 12,
        bars: Vec::new(),
        ticks: Vec::new(),
        lines: vec![Line {
            x1: 0,
            y1: axis,
            x2: width,
            y2: axis,
        }],
        rows: Vec::new(),
    };
    for (i, &count) in counts.iter().enumerate() {
        let year = i32::from(first) + i as i32;
        let x = i as u32 * BARS_STEP;
        let url = config.url(&format!("timeline/{year}/"));
        chart.ticks.push(Tick {
            x: x + BARS_WIDTH / 2,
            y: axis + 16,
            label: year.to_string(),
            anchor: "middle",
            size: 12,
            class: "tick",
        });
        if count > 0 {
            let height = scaled(count, max, BARS_HEIGHT);
            chart.bars.push(Bar {
                x,
                y: axis - height,
                width: BARS_WIDTH,
                height,
                label: year.to_string(),
                count,
                url: url.clone(),
            });
        }
        chart.rows.push(CountLink {
            name: year.to_string(),
            url,
            count,
        });
    }
    let labels: Vec<String> = (0..years)
        .map(|i| (i32::from(first) + i as i32).to_string())
        .collect();
    chart.description = describe(
        labels
            .iter()
            .map(String::as_str)
            .zip(counts.iter().copied()),
        labels.first().map_or("", String::as_str),
        labels.last().map_or("", String::as_str),
    );
    chart
}

/// The height of a bar of `count` when `max` is `full` tall; never less than 2 for a count.
fn scaled(count: usize, max: usize, full: u32) -> u32 {
    ((count as u64 * u64::from(full) / max as u64) as u32).max(2)
}

/// `Jan` … `Dec`.
fn short_month(month: i8) -> &'static str {
    let name = month_name(month);
    name.get(..3).unwrap_or(name)
}

/// "45 entries from March 2019 to June 2025; the most was 5 in May 2022."
fn describe<'a>(periods: impl Iterator<Item = (&'a str, usize)>, from: &str, to: &str) -> String {
    let mut total = 0;
    let mut busiest: Option<(&str, usize)> = None;
    for (label, count) in periods {
        total += count;
        // The first of equals: the earliest period.
        if busiest.is_none_or(|(_, most)| count > most) {
            busiest = Some((label, count));
        }
    }
    let busiest = busiest
        .map(|(label, count)| format!("; the most was {count} in {label}"))
        .unwrap_or_default();
    format!("{total} entries from {from} to {to}{busiest}.")
}

fn empty(title: &str) -> Chart {
    Chart {
        title: title.to_string(),
        description: "No entries yet.".into(),
        legend: String::new(),
        layout: "bars",
        width: 0,
        height: 0,
        value_size: 12,
        bars: Vec::new(),
        ticks: Vec::new(),
        lines: Vec::new(),
        rows: Vec::new(),
    }
}
