//! Bar charts as plain numbers for an inline SVG: entries per month and per year.

use std::sync::Arc;

use super::context::{Bar, Chart, CountLink, Tick};
use crate::config::Config;
use crate::model::{Entry, month_name};

const HEIGHT: u32 = 120;
const AXIS: u32 = 20;

/// Entries per month over the whole time line, oldest month on the left.
pub fn per_month(config: &Config, entries: &[Arc<Entry>]) -> Chart {
    let (Some(newest), Some(oldest)) = (entries.first(), entries.last()) else {
        return empty("Entries per month");
    };
    let start = i32::from(oldest.date.year) * 12 + i32::from(oldest.date.month) - 1;
    let end = i32::from(newest.date.year) * 12 + i32::from(newest.date.month) - 1;
    let months = (end - start + 1).max(1) as usize;
    let mut counts = vec![0usize; months];
    for entry in entries {
        let m = i32::from(entry.date.year) * 12 + i32::from(entry.date.month) - 1;
        if let Some(slot) = counts.get_mut((m - start) as usize) {
            *slot += 1;
        }
    }
    let labels: Vec<(String, String, bool)> = (0..months)
        .map(|i| {
            let m = start + i as i32;
            let (year, month) = (m / 12, (m % 12 + 1) as i8);
            (
                format!("{} {year}", month_name(month)),
                config.url(&format!("timeline/#{year}-{month:02}")),
                month == 1 || i == 0,
            )
        })
        .collect();
    let ticks_every_year: Vec<Option<String>> = (0..months)
        .map(|i| {
            let m = start + i as i32;
            (m % 12 == 0 || i == 0).then(|| (m / 12).to_string())
        })
        .collect();
    let mut chart = draw(
        "Entries per month",
        &counts,
        &labels,
        &ticks_every_year,
        6,
        36,
    );
    chart.rows.retain(|r| r.count > 0);
    chart
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
    let labels: Vec<(String, String, bool)> = (0..years)
        .map(|i| {
            let year = i32::from(first) + i as i32;
            (
                year.to_string(),
                config.url(&format!("timeline/{year}/")),
                true,
            )
        })
        .collect();
    let ticks: Vec<Option<String>> = labels.iter().map(|l| Some(l.0.clone())).collect();
    draw(&title, &counts, &labels, &ticks, 24, 0)
}

fn empty(title: &str) -> Chart {
    Chart {
        title: title.to_string(),
        description: "No entries yet.".into(),
        width: 0,
        height: 0,
        bars: Vec::new(),
        ticks: Vec::new(),
        rows: Vec::new(),
    }
}

fn draw(
    title: &str,
    counts: &[usize],
    labels: &[(String, String, bool)],
    ticks: &[Option<String>],
    bar_width: u32,
    min_tick_gap: u32,
) -> Chart {
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let step = bar_width + if bar_width > 8 { 6 } else { 2 };
    let mut bars = Vec::new();
    let mut tick_list = Vec::new();
    for (i, &count) in counts.iter().enumerate() {
        let x = i as u32 * step;
        let height = (count as u64 * u64::from(HEIGHT) / max as u64) as u32;
        let height = if count > 0 { height.max(2) } else { 0 };
        if count > 0 {
            bars.push(Bar {
                x,
                y: HEIGHT - height,
                width: bar_width,
                height,
                label: labels[i].0.clone(),
                count,
                url: labels[i].1.clone(),
            });
        }
        if let Some(Some(label)) = ticks.get(i) {
            tick_list.push(Tick {
                x: x + bar_width / 2,
                label: label.clone(),
            });
        }
    }
    // Keep labels from overlapping: at most one every `min_tick_gap` px.
    let mut last_x: Option<u32> = None;
    tick_list.retain(|t| {
        let keep = last_x.is_none_or(|l| t.x >= l + min_tick_gap);
        if keep {
            last_x = Some(t.x);
        }
        keep
    });
    let total: usize = counts.iter().sum();
    let busiest = counts
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(i, &c)| format!("; the most was {c} in {}", labels[i].0))
        .unwrap_or_default();
    Chart {
        title: title.to_string(),
        description: format!(
            "{total} entries from {} to {}{busiest}.",
            labels.first().map_or("", |l| l.0.as_str()),
            labels.last().map_or("", |l| l.0.as_str()),
        ),
        width: (counts.len() as u32 * step).max(step),
        height: HEIGHT + AXIS,
        bars,
        ticks: tick_list,
        rows: counts
            .iter()
            .zip(labels)
            .map(|(&count, (label, url, _))| CountLink {
                name: label.clone(),
                url: url.clone(),
                count,
            })
            .collect(),
    }
}
