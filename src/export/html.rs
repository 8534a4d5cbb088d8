//! One self-contained HTML page (inline CSS, no scripts, no external resources) laid out for
//! printing on A4 or Letter: the calendar name and zone in the header, a section per day,
//! clashes highlighted — and named, so the page reads right in black and white.

use std::fmt::Write;

use html_escape::encode_text as esc;

use super::agenda::{self, Agenda, Entry};
use super::{Days, day_heading, range_on_day, time_range};
use crate::calendar::{Calendar, Session};
use crate::plan::Plan;

const STYLE: &str = "
:root { color-scheme: light; }
body { font: 11pt/1.35 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #111; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; }
header { border-bottom: 2px solid #111; margin-bottom: 1rem; }
h1 { font-size: 18pt; margin: 0 0 .2rem; }
header p { margin: 0 0 .5rem; color: #444; }
h2 { font-size: 13pt; margin: 1.5rem 0 .4rem; border-bottom: 1px solid #999; break-after: avoid; }
table { width: 100%; border-collapse: collapse; }
td { padding: .25rem .4rem; vertical-align: top; border-bottom: 1px solid #ddd; }
td.time { white-space: nowrap; width: 7.5rem; font-variant-numeric: tabular-nums; }
td.room { width: 9rem; color: #333; }
td.mark { width: 1.2rem; font-weight: bold; text-align: center; }
.speakers { color: #444; }
.note { display: block; font-size: 9.5pt; margin-top: .15rem; }
tr.clash td { background: #fde2e1; }
tr.clash .note.clash { color: #a00; font-weight: 600; }
tr.starred .title { font-weight: 600; }
tr.cancelled .title { text-decoration: line-through; }
tr.free td { color: #666; font-style: italic; border-bottom: none; }
tr { break-inside: avoid; }
@page { margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
  h1 { font-size: 15pt; }
  h2 { font-size: 11.5pt; }
  tr.clash td { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
";

fn page(cal: &Calendar, subtitle: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{name}{subtitle}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{name}</h1>\n<p>{sub}Times in {zone}.</p>\n</header>\n{body}</body>\n</html>\n",
        name = esc(&cal.name),
        subtitle = esc(subtitle),
        sub = match subtitle.trim_start_matches(" — ").split_at_checked(1) {
            Some((first, rest)) if !first.is_empty() => {
                format!("{}{}. ", esc(&first.to_uppercase()), esc(rest))
            }
            _ => String::new(),
        },
        zone = esc(&super::zone_label(cal)),
    )
}

/// The session's page, when it is an http(s) URL (nothing else becomes a link).
fn web_page(s: &Session) -> Option<&str> {
    let url = s.url.as_deref()?.trim();
    let scheme = url.split_once(':')?.0;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(url)
}

/// The title (a link to the session's page when it has one), the speakers, and whether it
/// was cancelled.
fn title_html(s: &Session) -> String {
    let title = format!("<span class=\"title\">{}</span>", esc(&s.title));
    let mut out = match web_page(s) {
        Some(url) => format!(
            "<a href=\"{}\">{title}</a>",
            html_escape::encode_double_quoted_attribute(url)
        ),
        None => title,
    };
    if let Some(speakers) = &s.speakers {
        let _ = write!(out, " <span class=\"speakers\">— {}</span>", esc(speakers));
    }
    if s.cancelled {
        out.push_str(" <span class=\"note\">cancelled</span>");
    }
    out
}

/// The programme; with a plan, starred sessions in bold with ★ and clashes highlighted.
pub fn programme(days: &Days, plan: Option<&Plan>) -> String {
    let cal = days.calendar;
    let mut body = String::new();
    for (day, sessions) in &days.days {
        let _ = write!(
            body,
            "<section class=\"day\">\n<h2>{}</h2>\n<table>\n",
            day_heading(*day)
        );
        for s in sessions {
            let starred = plan.is_some_and(|p| p.is_starred(&s.id));
            let clash = plan.is_some_and(|p| p.is_clashing(&s.id));
            let row_class = [
                (starred, "starred"),
                (clash, "clash"),
                (s.cancelled, "cancelled"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, c)| *c)
            .collect::<Vec<_>>()
            .join(" ");
            let mark = if clash {
                "★!"
            } else if starred {
                "★"
            } else {
                ""
            };
            let _ = writeln!(
                body,
                "<tr class=\"{row_class}\"><td class=\"mark\">{mark}</td><td class=\"time\">{}</td><td class=\"room\">{}</td><td>{}{}</td></tr>",
                time_range(cal, s),
                esc(&s.room),
                title_html(s),
                if plan.is_some_and(|p| p.is_hidden(&s.id)) {
                    " <span class=\"note\">hidden</span>"
                } else {
                    ""
                }
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    page(cal, "", &body)
}

/// The personal agenda: a section a day, clashes highlighted and named, free time shown.
pub fn agenda(agenda: &Agenda) -> String {
    let cal = agenda.plan.calendar;
    let mut body = String::new();
    if agenda.is_empty() {
        body.push_str("<p>Nothing starred yet.</p>\n");
    }
    for (day, entries) in &agenda.days {
        let _ = write!(
            body,
            "<section class=\"day\">\n<h2>{}</h2>\n<table>\n",
            day_heading(*day)
        );
        for entry in entries {
            match entry {
                Entry::Free { from, to } => {
                    let _ = writeln!(
                        body,
                        "<tr class=\"free\"><td class=\"mark\"></td><td class=\"time\">{}</td><td class=\"room\"></td><td>free ({})</td></tr>",
                        range_on_day(cal, *day, *from, *to),
                        agenda::duration_text(*to - *from)
                    );
                }
                Entry::Session(item) => {
                    let s = item.session;
                    let mut class = String::from("starred");
                    if !item.clashes_with.is_empty() {
                        class.push_str(" clash");
                    }
                    if s.cancelled {
                        class.push_str(" cancelled");
                    }
                    let mut notes = String::new();
                    for (mark, note) in agenda::notes(cal, item) {
                        let kind = match mark {
                            '!' => "clash",
                            'x' => "cancelled",
                            '*' => "changed",
                            _ => "tight",
                        };
                        let _ = write!(
                            notes,
                            "<span class=\"note {kind}\">{mark} {}</span>",
                            esc(&note)
                        );
                    }
                    let _ = writeln!(
                        body,
                        "<tr class=\"{class}\"><td class=\"mark\">{}</td><td class=\"time\">{}</td><td class=\"room\">{}</td><td>{}{notes}</td></tr>",
                        esc(&item.mark().to_string()),
                        time_range(cal, s),
                        esc(&s.room),
                        title_html(s)
                    );
                }
            }
        }
        body.push_str("</table>\n</section>\n");
    }
    if !agenda.gone.is_empty() {
        body.push_str("<section class=\"day\">\n<h2>No longer in the schedule</h2>\n<table>\n");
        for (_, star) in &agenda.gone {
            let _ = writeln!(
                body,
                "<tr class=\"cancelled\"><td class=\"mark\">x</td><td class=\"time\">{}</td><td class=\"room\">{}</td><td><span class=\"title\">{}</span></td></tr>",
                esc(&agenda::old_time(cal, star)),
                esc(&star.room),
                esc(&star.title)
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    page(cal, " — your agenda", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_link_to_http_pages_only_escaped() {
        let cal = Calendar::bundled(None, chrono_tz::Tz::UTC);
        let mut s = cal.sessions[0].clone();
        s.title = "A <b>bold</b> talk".into();
        s.url = Some("https://example.org/t?a=1&b=\"2\"".into());
        assert_eq!(
            title_html(&s),
            "<a href=\"https://example.org/t?a=1&amp;b=&quot;2&quot;\"><span class=\"title\">A &lt;b&gt;bold&lt;/b&gt; talk</span></a>"
        );
        for url in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x.org/",
            "/relative",
        ] {
            s.url = Some(url.into());
            assert!(!title_html(&s).contains("<a "), "{url}");
        }
        s.url = Some("HTTP://EXAMPLE.ORG/".into());
        assert!(title_html(&s).starts_with("<a href=\"HTTP://EXAMPLE.ORG/\">"));
    }
}
