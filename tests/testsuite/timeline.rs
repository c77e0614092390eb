//! The timeline: order and grouping by year and month, year pages, previous/next links on
//! entry pages, and dates placed in the zone they were written in or the site's.

use crate::support::{Site, attributes, count, hrefs};

/// The years (`year 2022`), months (`month 2022-05`) and entry links of a timeline page, in
/// document order. Years and months are found by their `id`s, entries by their `href`s.
fn outline(main: &str, entry_urls: &[&str]) -> Vec<String> {
    let mut items: Vec<(usize, String)> = Vec::new();
    for (at, id) in attributes(main, "id") {
        let is_year = id.len() == 4 && id.bytes().all(|b| b.is_ascii_digit());
        let is_month = id.len() == 7
            && id[..4].bytes().all(|b| b.is_ascii_digit())
            && &id[4..5] == "-"
            && id[5..].bytes().all(|b| b.is_ascii_digit());
        if is_year {
            items.push((at, format!("year {id}")));
        } else if is_month {
            items.push((at, format!("month {id}")));
        }
    }
    for (at, href) in attributes(main, "href") {
        if entry_urls.contains(&href.as_str()) {
            items.push((at, href));
        }
    }
    items.sort();
    items.into_iter().map(|(_, item)| item).collect()
}

const ENTRIES: &[&str] = &[
    "/morning-briefing/",
    "/a-visit/",
    "/b-visit/",
    "/early-may-call/",
    "/january-meeting/",
    "/march-talks/",
    "/december-workshop/",
];

#[test]
fn timeline_groups_by_year_and_month_newest_first_with_url_tie_break() {
    let site = Site::fixture("timeline-order");
    site.build_ok(&[]);
    let main = site.main_of("/timeline/");
    assert_eq!(
        outline(&main, ENTRIES),
        [
            "year 2022",
            "month 2022-05",
            // 09:30 on the 24th is later than the all-day entries of that date.
            "/morning-briefing/",
            // Same date: ordered by URL.
            "/a-visit/",
            "/b-visit/",
            "/early-may-call/",
            "month 2022-01",
            "/january-meeting/",
            "year 2021",
            "month 2021-03",
            "/march-talks/",
            "year 2020",
            "month 2020-12",
            "/december-workshop/",
        ]
    );
    for heading in ["May 2022", "January 2022", "March 2021", "December 2020"] {
        assert!(main.contains(heading), "no heading {heading}");
    }
    // Every entry is listed exactly once.
    for url in ENTRIES {
        assert_eq!(count(&main, &format!("href=\"{url}\"")), 1, "{url}");
    }
    // The year navigation links each year.
    let links = hrefs(&main);
    for year in ["2022", "2021", "2020"] {
        assert!(
            links.iter().any(|h| h == &format!("/timeline/{year}/")),
            "no link to /timeline/{year}/"
        );
    }
}

#[test]
fn year_page_lists_only_that_year_by_month() {
    let site = Site::fixture("timeline-order");
    site.build_ok(&[]);
    let main = site.main_of("/timeline/2022/");
    let months: Vec<String> = outline(&main, ENTRIES)
        .into_iter()
        .filter(|i| !i.starts_with("year"))
        .collect();
    assert_eq!(
        months,
        [
            "month 2022-05",
            "/morning-briefing/",
            "/a-visit/",
            "/b-visit/",
            "/early-may-call/",
            "month 2022-01",
            "/january-meeting/",
        ]
    );
    assert!(site.has_page("/timeline/2021/"));
    assert!(site.has_page("/timeline/2020/"));
    assert!(!site.has_page("/timeline/2019/"));
    assert!(!site.has_page("/timeline/2022/page/2/"));
}

/// The `href` of the link with `rel="<rel>"` in `html`, if any.
fn rel_link(html: &str, rel: &str) -> Option<String> {
    let marker = format!(" rel=\"{rel}\"");
    let at = html.find(&marker)?;
    let start = html[..at].rfind("<a ")?;
    attributes(&html[start..at + marker.len()], "href")
        .into_iter()
        .map(|(_, v)| v)
        .next()
}

#[test]
fn entry_pages_link_to_the_previous_and_next_entry_in_time() {
    let site = Site::fixture("timeline-order");
    site.build_ok(&[]);
    // Newest first: morning-briefing, a-visit, b-visit, early-may-call, january-meeting, …
    let middle = site.main_of("/a-visit/");
    assert_eq!(rel_link(&middle, "prev").as_deref(), Some("/b-visit/"));
    assert_eq!(
        rel_link(&middle, "next").as_deref(),
        Some("/morning-briefing/")
    );
    assert!(middle.contains("Washington visit"));
    assert!(middle.contains("Morning briefing"));

    let newest = site.main_of("/morning-briefing/");
    assert_eq!(rel_link(&newest, "prev").as_deref(), Some("/a-visit/"));
    assert_eq!(rel_link(&newest, "next"), None);

    let oldest = site.main_of("/december-workshop/");
    assert_eq!(rel_link(&oldest, "prev"), None);
    assert_eq!(rel_link(&oldest, "next").as_deref(), Some("/march-talks/"));
}

const ZONED: &[&str] = &[
    "/tokyo-day/",
    "/offset/",
    "/month-end/",
    "/bangkok-midnight/",
    "/late/",
    "/washington/",
    "/local/",
];

#[test]
fn a_time_abroad_is_shown_and_listed_in_its_own_zone() {
    let site = Site::fixture("timezone");
    site.build_ok(&["--now", "2026-01-01T00:00:00Z"]);
    // Written in New York's zone on a Bangkok site: its own day, time and zone; the
    // machine value keeps the exact moment.
    let washington = site.main_of("/washington/");
    assert!(
        washington
            .contains("<time datetime=\"2022-05-24T14:00:00-04:00\">24 May 2022, 14:00 EDT</time>"),
        "{washington}"
    );
    // With only an offset: the offset from UTC, with a true minus sign.
    let offset = site.main_of("/offset/");
    assert!(
        offset.contains(
            "<time datetime=\"2022-05-31T21:00:00-04:00\">31 May 2022, 21:00 UTC\u{2212}4</time>"
        ),
        "{offset}"
    );
    let late = site.main_of("/late/");
    assert!(
        late.contains("<time datetime=\"2022-05-24T23:30:00+00:00\">24 May 2022, 23:30 UTC</time>"),
        "{late}"
    );
    // The site's own offset is the site's time: no zone is named.
    let midnight = site.main_of("/bangkok-midnight/");
    assert!(
        midnight.contains("<time datetime=\"2022-05-25T00:30:00+07:00\">25 May 2022, 00:30</time>"),
        "{midnight}"
    );
    // A date-time without an offset is read in the site's zone.
    let local = site.main_of("/local/");
    assert!(
        local.contains("<time datetime=\"2022-05-20T23:30:00+07:00\">20 May 2022, 23:30</time>"),
        "{local}"
    );
    // A date alone in another zone is that day, all day.
    let tokyo = site.main_of("/tokyo-day/");
    assert!(
        tokyo.contains("<time datetime=\"2022-06-02\">2 June 2022</time>"),
        "{tokyo}"
    );
    // Each is listed under its local day: 21:00 on 31 May at UTC−4 (1 June in Bangkok) stays
    // in May, and 00:30 on 25 May in Bangkok (earlier than the talks in Washington, which
    // were on the 24th there) comes before them, newest first.
    for url in ["/timeline/", "/timeline/2022/"] {
        let main = site.main_of(url);
        let outline: Vec<String> = outline(&main, ZONED)
            .into_iter()
            .filter(|i| !i.starts_with("year"))
            .collect();
        assert_eq!(
            outline,
            [
                "month 2022-06",
                "/tokyo-day/",
                "month 2022-05",
                "/offset/",
                "/month-end/",
                "/bangkok-midnight/",
                "/late/",
                "/washington/",
                "/local/",
            ],
            "{url}"
        );
    }
    // The exports give the local day and the exact moment.
    let json: serde_json::Value = serde_json::from_str(&site.page("/data/entries.json")).unwrap();
    let washington = (json["entries"].as_array().unwrap().iter())
        .find(|e| e["title"] == "Talks in Washington")
        .unwrap();
    assert_eq!(washington["date"], "2022-05-24");
    assert_eq!(washington["datetime"], "2022-05-24T14:00:00-04:00");
    let csv = site.page("/data/entries.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (title, date, datetime) = (column("title"), column("date"), column("datetime"));
    let rows: Vec<(String, String, String)> = (reader.records())
        .map(|r| {
            let r = r.unwrap();
            (
                r[title].to_string(),
                r[date].to_string(),
                r[datetime].to_string(),
            )
        })
        .collect();
    assert!(
        rows.contains(&(
            "Evening call at an offset".into(),
            "2022-05-31".into(),
            "2022-05-31T21:00:00-04:00".into()
        )),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(
            "Talks in Washington".into(),
            "2022-05-24".into(),
            "2022-05-24T14:00:00-04:00".into()
        )),
        "{rows:?}"
    );
    // The calendar: a timed event at its exact moment (in UTC), a day in Tokyo on its day.
    let ics = site.page("/data/entries.ics").replace("\r\n ", "");
    let event = |title: &str| {
        let at = ics.find(&format!("SUMMARY:{title}\r\n")).unwrap();
        let start = ics[..at].rfind("BEGIN:VEVENT").unwrap();
        ics[start..at].to_string()
    };
    assert!(event("Talks in Washington").contains("DTSTART:20220524T180000Z\r\n"));
    let tokyo = event("A day in Tokyo");
    assert!(tokyo.contains("DTSTART;VALUE=DATE:20220602\r\n"), "{tokyo}");
    assert!(tokyo.contains("DTEND;VALUE=DATE:20220603\r\n"), "{tokyo}");
}

#[test]
fn a_year_of_the_buddhist_era_is_warned_about() {
    let site = Site::empty();
    site.write("site.yaml", "base_url: https://example.org/\n");
    site.write(
        "content/a.md",
        "---\ntitle: A meeting\ndate: 2565-05-24\n---\nText.\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: Another\ndate: 2399-12-31\n---\nText.\n",
    );
    // An embargo that would last 543 years.
    site.write(
        "content/c.md",
        "---\ntitle: Later\ndate: 2025-06-01\npublish_at: 2568-06-01\n---\nText.\n",
    );
    let run = site.build_ok(&[]);
    assert_eq!(
        run.stderr,
        "\
warning: the year 2565 looks like one of the Buddhist era
 --> content/a.md:3:7
  |
3 | date: 2565-05-24
  |       ^
  = hint: dates are written in the Common Era: 2565 in the Buddhist era is 2022

warning: the year 2568 looks like one of the Buddhist era
 --> content/c.md:4:13
  |
4 | publish_at: 2568-06-01
  |             ^
  = hint: dates are written in the Common Era: 2568 in the Buddhist era is 2025

"
    );
}

/// The inline chart of a page: from `<svg role="img"` to `</svg>`.
fn chart_svg(main: &str) -> &str {
    let start = main.find("<svg role=\"img\"").expect("a chart");
    let end = start + main[start..].find("</svg>").expect("the chart's end");
    &main[start..end]
}

/// The text of every `<text class="chart__{class}" …>` of a chart, in order.
fn chart_texts(svg: &str, class: &str) -> Vec<String> {
    let open = format!("<text class=\"chart__{class}\"");
    svg.match_indices(&open)
        .map(|(at, _)| {
            let text = &svg[at..];
            let from = text.find('>').unwrap() + 1;
            let to = text.find("</text>").unwrap();
            text[from..to].to_string()
        })
        .collect()
}

#[test]
fn timeline_chart_has_a_row_per_year_month_names_counts_and_no_links() {
    let site = Site::fixture("timeline-order");
    site.build_ok(&[]);
    let main = site.main_of("/timeline/");
    let svg = chart_svg(&main);
    // One image for assistive technology: nothing inside it to click or tab to.
    assert!(!svg.contains("<a "), "{svg}");
    assert!(!svg.contains("href"), "{svg}");
    // Every month named, once, on top; a row per year, newest first.
    assert_eq!(
        chart_texts(svg, "month"),
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
        ]
    );
    assert_eq!(chart_texts(svg, "year"), ["2022", "2021", "2020"]);
    // Each month with entries has its count written over its bar: January and May 2022,
    // March 2021, December 2020.
    assert_eq!(chart_texts(svg, "value"), ["1", "4", "1", "1"]);
    // The scale, in words, in the caption everyone sees.
    let figure = &main[main.find("<figure class=\"chart").unwrap()..];
    let figure = &figure[..figure.find("</figure>").unwrap()];
    assert!(
        figure.contains("every bar is drawn to one scale (the tallest, 4)"),
        "{figure}"
    );
    assert!(
        figure.contains("7 entries from December 2020 to May 2022; the most was 4 in May 2022."),
        "{figure}"
    );
    // The table of the numbers follows the figure (a `details` may not sit inside it) and
    // links each month.
    assert!(!figure.contains("<details"), "{figure}");
    let table = &main[main.find("<details class=\"chart__data\">").unwrap()..];
    for (month, n) in [
        ("2020-12", 1),
        ("2021-03", 1),
        ("2022-01", 1),
        ("2022-05", 4),
    ] {
        assert_eq!(
            count(table, &format!("href=\"/timeline/#{month}\"")),
            1,
            "{month}"
        );
        assert!(table.contains(&format!("</a></th><td class=\"num\">{n}</td>")));
    }
    // Bars of one row are drawn to one scale: May 2022 (4) is four times January (1).
    let heights: Vec<u32> = attributes(svg, "height")
        .into_iter()
        .skip(1) // the svg's own
        .map(|(_, h)| h.parse().unwrap())
        .collect();
    assert_eq!(heights.len(), 4, "{svg}");
    assert!(heights.contains(&26) && heights.contains(&6), "{heights:?}");
}

#[test]
fn partner_chart_has_counts_years_no_links_inside_and_its_table_follows_the_figure() {
    let site = Site::fixture("pagination");
    for (i, date) in ["2021-02-01", "2023-05-01", "2023-06-01"]
        .iter()
        .enumerate()
    {
        site.write(
            &format!("content/e-{i}.md"),
            format!("---\ntitle: Entry {i}\ndate: {date}\npartners: [iom]\n---\nBody.\n"),
        );
    }
    site.build_ok(&[]);
    let main = site.main_of("/partners/iom/");
    let svg = chart_svg(&main);
    assert!(!svg.contains("<a "), "{svg}");
    assert_eq!(chart_texts(svg, "tick"), ["2021", "2022", "2023"]);
    assert_eq!(chart_texts(svg, "value"), ["1", "2"]);
    let figure = &main[main.find("<figure").unwrap()..main.find("</figure>").unwrap()];
    assert!(!figure.contains("<details"), "{figure}");
    let table = &main[main.find("<details class=\"chart__data\">").unwrap()..];
    assert_eq!(count(table, "href=\"/timeline/2022/\""), 1, "{table}");
}

#[test]
fn timeline_rows_set_the_place_apart_from_the_partners() {
    let site = Site::fixture("data-basic");
    site.build_ok(&[]);
    let css = std::fs::read_to_string(site.out().join("style.css")).unwrap();
    assert!(
        css.contains(".row__partners {\n  flex-basis: 100%;\n}"),
        "a line of their own"
    );
    for url in ["/timeline/", "/timeline/2024/"] {
        let main = site.main_of(url);
        assert!(
            main.contains(
                "<span class=\"row__place\"><span class=\"visually-hidden\">Place: </span>Washington, D.C.; United States</span> <span class=\"row__partners\"><span class=\"label\">With</span> "
            ),
            "{url}: {main}"
        );
    }
}
