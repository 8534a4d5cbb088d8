//! Calendars from the web: a blocking HTTP(S) fetch (ureq with rustls) with timeouts, an
//! offline copy of each URL in the cache directory with its ETag and Last-Modified, and
//! conditional requests (304 Not Modified → the copy). When the server cannot be reached, the
//! copy is used and its age told.
//!
//! A body becomes the offline copy only once it has loaded whole (the caller says how a body
//! loads), so a login page or a truncated answer never replaces a good copy; a copy that no
//! longer loads is dropped and the URL asked again without conditions.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::{MAX_INPUT, io_reason};
use super::{Problem, text};

/// How long to wait for a connection, and for the whole transfer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(60);
/// With an offline copy to fall back on, how long to wait for a connection and then for the
/// answer to begin: a server that takes longer (a captive portal, an overloaded network at
/// the venue) costs a command seconds, not a minute. A body that has begun still has
/// [`TOTAL_TIMEOUT`].
const WITH_COPY_TIMEOUT: Duration = Duration::from_secs(4);

/// What is kept beside the copy of a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Meta {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    /// When the server last confirmed the copy (sent it, or said it had not changed).
    fetched_at: String,
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub cache_dir: PathBuf,
    /// Never touch the network.
    pub offline: bool,
    pub now: DateTime<Utc>,
}

/// What a URL gave once loaded, and a note when it is not fresh from the server.
#[derive(Debug, Clone)]
pub struct Fetched<T> {
    pub value: T,
    /// Why this is the offline copy and how old it is (or why no copy could be kept);
    /// `None` when the server sent it or confirmed it just now.
    pub stale: Option<String>,
}

/// Why a URL gave no calendar.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// `--offline`, and nothing was fetched before.
    #[error("--offline, and no copy of it has been fetched yet")]
    OfflineWithoutCopy,
    /// `--offline`, and the copy does not load (it has been dropped).
    #[error("--offline, and the offline copy does not load ({0}); it was dropped")]
    OfflineCopyBroken(Box<Problem>),
    /// The server gave no calendar, and there is no copy that loads.
    #[error("{0} (and no offline copy yet)")]
    NoCopy(Failure),
}

impl FetchError {
    /// Whether the URL gave a web page (or, offline, nothing yet): a conference's page may
    /// still stand for an export ([`pretalx_export`]).
    pub fn is_web_page(&self) -> bool {
        match self {
            Self::OfflineWithoutCopy => true,
            Self::NoCopy(Failure::NotACalendar(problem)) => matches!(**problem, Problem::Html),
            _ => false,
        }
    }
}

/// Why the server gave no calendar: no answer, or an answer that is not one. Text from the
/// server is cleaned before it is kept here.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("connection refused")]
    Refused,
    #[error("timed out")]
    TimedOut,
    #[error("host not found")]
    HostNotFound,
    #[error("larger than {} MB", MAX_INPUT >> 20)]
    TooLarge,
    /// An HTTP status other than success or 304 (`404 Not Found`).
    #[error("the server answered {0}")]
    Status(String),
    #[error("the server said 'not modified' but there is no copy")]
    NotModifiedWithoutCopy,
    /// The body did not load as a calendar.
    #[error("{0}")]
    NotACalendar(Box<Problem>),
    /// Any other transport error, as the HTTP library words it.
    #[error("{0}")]
    Network(String),
}

/// How a URL's copy ends, by its format: iCalendar (and every copy kept before formats
/// were told apart), schedule.xml, schedule.json.
const COPY_ENDINGS: [&str; 3] = ["ics", "schedule.xml", "schedule.json"];

/// The files that may keep a URL's copy (one per ending in [`COPY_ENDINGS`]), and its
/// metadata.
fn paths(cache_dir: &Path, url: &str) -> ([PathBuf; 3], PathBuf) {
    let key = format!("{:016x}", super::fnv1a(url.as_bytes()));
    (
        COPY_ENDINGS.map(|ending| cache_dir.join(format!("{key}.{ending}"))),
        cache_dir.join(format!("{key}.json")),
    )
}

/// Which of [`COPY_ENDINGS`] a body's copy takes, by its format.
fn ending_of(bytes: &[u8]) -> usize {
    match super::sniff(bytes) {
        super::Format::ICalendar => 0,
        super::Format::ScheduleXml => 1,
        super::Format::ScheduleJson => 2,
    }
}

/// `3 min`, `2 h`, `5 days`.
pub fn age_text(age: chrono::Duration) -> String {
    let minutes = age.num_minutes().max(0);
    match minutes {
        0 => "just now".to_owned(),
        1..=89 => format!("{minutes} min ago"),
        90..=2159 => format!("{} h ago", (minutes + 30) / 60),
        _ => format!("{} days ago", (minutes + 720) / 1440),
    }
}

/// The copy of `url`, if any, with its metadata.
fn cached(cache_dir: &Path, url: &str) -> Option<(Vec<u8>, Meta)> {
    let (data, meta) = paths(cache_dir, url);
    let meta: Meta = serde_json::from_slice(&std::fs::read(meta).ok()?).ok()?;
    (meta.url == url).then_some(())?;
    let bytes = data.iter().find_map(|path| std::fs::read(path).ok())?;
    Some((bytes, meta))
}

fn age_of(meta: &Meta, now: DateTime<Utc>) -> String {
    DateTime::parse_from_rfc3339(&meta.fetched_at).map_or_else(
        |_| "at an unknown time".to_owned(),
        |t| age_text(now - t.to_utc()),
    )
}

fn store(cache_dir: &Path, url: &str, bytes: &[u8], meta: &Meta) -> std::io::Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    let (data, meta_path) = paths(cache_dir, url);
    let ending = ending_of(bytes);
    crate::atomic::write(&data[ending], bytes)?;
    // A copy in another format (the conference changed its export) is no longer it.
    for (i, other) in data.iter().enumerate() {
        if i != ending {
            let _ = std::fs::remove_file(other);
        }
    }
    store_meta(&meta_path, meta)
}

fn store_meta(path: &Path, meta: &Meta) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(meta).map_err(std::io::Error::other)?;
    crate::atomic::write(path, &json)
}

/// Forgets the copy of `url` (it no longer loads).
fn drop_copy(cache_dir: &Path, url: &str) {
    let (data, meta) = paths(cache_dir, url);
    let _ = std::fs::remove_file(meta);
    for path in data {
        let _ = std::fs::remove_file(path);
    }
}

/// What a body loads as: the value, and why it is not fit to be the offline copy (a
/// calendar cut short), if it is not.
pub type LoadedBody<T> = Result<(T, Option<Problem>), Problem>;

/// Fetches `url` and loads it with `load`: conditionally when a copy exists; the copy when
/// offline or when the server gives no calendar. A body is kept as the copy only once it
/// has loaded fit to keep; a copy that does not is dropped.
///
/// # Errors
/// When there is no calendar to be had: not from the server, and no copy that loads.
pub fn fetch<T>(
    url: &str,
    options: &FetchOptions,
    load: impl Fn(&[u8]) -> LoadedBody<T>,
) -> Result<Fetched<T>, FetchError> {
    let fetcher = Fetcher { url, options, load };
    let copy = cached(&options.cache_dir, url);
    if options.offline {
        let Some((bytes, meta)) = copy else {
            return Err(FetchError::OfflineWithoutCopy);
        };
        return match fetcher.load_copy(&bytes) {
            Ok(value) => Ok(Fetched {
                value,
                stale: Some(format!(
                    "offline: the copy of {} fetched {}",
                    text::sanitize_line(url),
                    age_of(&meta, options.now)
                )),
            }),
            Err(problem) => Err(FetchError::OfflineCopyBroken(Box::new(problem))),
        };
    }
    match request(url, copy.as_ref().map(|(_, m)| m)) {
        Ok(Answer::Body(body)) => fetcher.take(body, copy),
        Ok(Answer::NotModified) => {
            if let Some((bytes, mut meta)) = copy
                && let Ok(value) = fetcher.load_copy(&bytes)
            {
                meta.fetched_at = crate::plan::store::rfc3339(options.now);
                let _ = store_meta(&paths(&options.cache_dir, url).1, &meta);
                return Ok(Fetched { value, stale: None });
            }
            // The copy is gone or no longer loads: ask again, without conditions.
            match request(url, None) {
                Ok(Answer::Body(body)) => fetcher.take(body, None),
                Ok(Answer::NotModified) => Err(FetchError::NoCopy(Failure::NotModifiedWithoutCopy)),
                Err(failure) => Err(FetchError::NoCopy(failure)),
            }
        }
        Err(failure) => fetcher.fall_back(copy, failure),
    }
}

/// One fetch of one URL, with how its bodies load.
struct Fetcher<'a, L> {
    url: &'a str,
    options: &'a FetchOptions,
    load: L,
}

impl<T, L: Fn(&[u8]) -> LoadedBody<T>> Fetcher<'_, L> {
    /// The offline copy's value, if it loads fit to keep; else it is dropped.
    fn load_copy(&self, bytes: &[u8]) -> Result<T, Problem> {
        let loaded = match (self.load)(bytes) {
            Ok((value, None)) => return Ok(value),
            Ok((_, Some(unfit))) => unfit,
            Err(problem) => problem,
        };
        drop_copy(&self.options.cache_dir, self.url);
        Err(loaded)
    }

    /// A body the server sent: kept as the copy when it loads fit to keep. One that loads
    /// but is unfit (cut short) gives way to a copy that loads, else is shown without
    /// being kept; one that does not load at all gives way to the copy.
    fn take(&self, body: Body, copy: Option<(Vec<u8>, Meta)>) -> Result<Fetched<T>, FetchError> {
        let (value, unfit) = match (self.load)(&body.bytes) {
            Ok(loaded) => loaded,
            Err(problem) => {
                return self.fall_back(copy, Failure::NotACalendar(Box::new(problem)));
            }
        };
        let shown_url = text::sanitize_line(self.url);
        if let Some(unfit) = unfit {
            if let Some((bytes, meta)) = copy
                && let Ok(value) = self.load_copy(&bytes)
            {
                return Ok(Fetched {
                    value,
                    stale: Some(format!(
                        "{shown_url}: {unfit}; using the copy fetched {}",
                        age_of(&meta, self.options.now)
                    )),
                });
            }
            return Ok(Fetched {
                value,
                stale: Some(format!("{shown_url}: {unfit}; not kept for offline use")),
            });
        }
        let meta = Meta {
            url: self.url.to_owned(),
            etag: body.etag,
            last_modified: body.last_modified,
            fetched_at: crate::plan::store::rfc3339(self.options.now),
        };
        let cache_dir = &self.options.cache_dir;
        let stale = store(cache_dir, self.url, &body.bytes, &meta)
            .err()
            .map(|e| {
                format!(
                    "could not keep an offline copy in {}: {}",
                    text::sanitize_line(&cache_dir.display().to_string()),
                    io_reason(&e)
                )
            });
        Ok(Fetched { value, stale })
    }

    /// The copy, since the server gave no calendar; dropped if it does not load either.
    fn fall_back(
        &self,
        copy: Option<(Vec<u8>, Meta)>,
        failure: Failure,
    ) -> Result<Fetched<T>, FetchError> {
        if let Some((bytes, meta)) = copy
            && let Ok(value) = self.load_copy(&bytes)
        {
            return Ok(Fetched {
                value,
                stale: Some(format!(
                    "{}: {failure}; using the copy fetched {}",
                    text::sanitize_line(self.url),
                    age_of(&meta, self.options.now)
                )),
            });
        }
        Err(FetchError::NoCopy(failure))
    }
}

/// A body the server sent, with its validators.
struct Body {
    bytes: Vec<u8>,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// What one GET gave.
enum Answer {
    Body(Body),
    NotModified,
}

/// The formats hallway reads, in the order it prefers them.
pub const ACCEPT: &str =
    "text/calendar, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.5";

/// A URL without query or fragment: its scheme, host (with any port), lower-case host
/// name, and path segments.
fn url_parts(url: &str) -> Option<(&str, &str, String, Vec<&str>)> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if path.contains(['?', '#']) {
        return None;
    }
    let host_name = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host_name = host_name
        .split(':')
        .next()
        .unwrap_or(host_name)
        .to_ascii_lowercase();
    let segments = path.split('/').filter(|s| !s.is_empty()).collect();
    Some((scheme, host, host_name, segments))
}

/// The export a conference page's URL stands for: a pretalx event's root or schedule page
/// on a host named pretalx (`https://pretalx.example.org/democon/`) → its
/// `schedule/export/schedule.json`; a Sched event (`https://X.sched.com/`) → its `all.ics`.
/// Any other URL is fetched as given (and, if it is a web page, see [`pretalx_export`]).
pub fn export_url(url: &str) -> String {
    let Some((scheme, host, host_name, segments)) = url_parts(url) else {
        return url.to_owned();
    };
    if host_name.ends_with(".sched.com") && segments.is_empty() {
        return format!("{scheme}://{host}/all.ics");
    }
    if host_name.split('.').any(|label| label == "pretalx") {
        return pretalx_export(url).unwrap_or_else(|| url.to_owned());
    }
    url.to_owned()
}

/// The `schedule.json` export of what may be a pretalx event's root or schedule page on any
/// host (`https://talks.mrmcd.net/2024/`, `…/2024/schedule/`), to try once when the page
/// itself is HTML.
pub fn pretalx_export(url: &str) -> Option<String> {
    let (scheme, host, _, segments) = url_parts(url)?;
    match segments.as_slice() {
        [event] | [event, "schedule"] => Some(format!(
            "{scheme}://{host}/{event}/schedule/export/schedule.json"
        )),
        _ => None,
    }
}

/// One GET, conditional on `meta`'s validators when given (a copy exists: shorter waits).
fn request(url: &str, meta: Option<&Meta>) -> Result<Answer, Failure> {
    let (connect, answer) = match meta {
        Some(_) => (WITH_COPY_TIMEOUT, Some(WITH_COPY_TIMEOUT)),
        None => (CONNECT_TIMEOUT, None),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(connect))
        .timeout_recv_response(answer)
        .timeout_global(Some(TOTAL_TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("hallway/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut req = agent.get(url).header("Accept", ACCEPT);
    if let Some(meta) = meta {
        if let Some(etag) = &meta.etag {
            req = req.header("If-None-Match", etag);
        }
        if let Some(modified) = &meta.last_modified {
            req = req.header("If-Modified-Since", modified);
        }
    }
    let response = req.call().map_err(|e| describe(&e))?;
    let status = response.status();
    if status.as_u16() == 304 {
        return Ok(Answer::NotModified);
    }
    if !status.is_success() {
        // The reason is the standard phrase for the code, never the server's own text.
        let reason = status.canonical_reason().unwrap_or("");
        return Err(Failure::Status(
            format!("{} {reason}", status.as_u16())
                .trim_end()
                .to_owned(),
        ));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let bytes = response
        .into_body()
        .with_config()
        .limit(MAX_INPUT)
        .read_to_vec()
        .map_err(|e| describe(&e))?;
    Ok(Answer::Body(Body {
        bytes,
        etag,
        last_modified,
    }))
}

/// A transport error as a short phrase, cleaned: it may quote what the server sent (a
/// redirect's Location, a header).
fn describe(e: &ureq::Error) -> Failure {
    match e {
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => Failure::Refused,
            std::io::ErrorKind::TimedOut => Failure::TimedOut,
            _ => Failure::Network(text::sanitize_line(&io_reason(io))),
        },
        ureq::Error::Timeout(_) => Failure::TimedOut,
        ureq::Error::HostNotFound => Failure::HostNotFound,
        ureq::Error::BodyExceedsLimit(_) => Failure::TooLarge,
        other => Failure::Network(text::sanitize_line(&other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conference_pages_resolve_to_their_exports() {
        for (given, fetched) in [
            (
                "https://pretalx.example.org/democon/",
                "https://pretalx.example.org/democon/schedule/export/schedule.json",
            ),
            (
                "https://pretalx.example.org/democon",
                "https://pretalx.example.org/democon/schedule/export/schedule.json",
            ),
            (
                "https://pretalx.example.org/democon/schedule/",
                "https://pretalx.example.org/democon/schedule/export/schedule.json",
            ),
            (
                "https://pytorcheu2026.sched.com/",
                "https://pytorcheu2026.sched.com/all.ics",
            ),
            (
                "https://pytorcheu2026.sched.com",
                "https://pytorcheu2026.sched.com/all.ics",
            ),
            // Exports and other sites are fetched as given.
            (
                "https://pretalx.example.org/democon/schedule/export/schedule.xml",
                "https://pretalx.example.org/democon/schedule/export/schedule.xml",
            ),
            (
                "https://pretalx.example.org/democon/?lang=de",
                "https://pretalx.example.org/democon/?lang=de",
            ),
            (
                "https://fosdem.org/2026/schedule/",
                "https://fosdem.org/2026/schedule/",
            ),
            (
                "https://x.sched.com/event/abc",
                "https://x.sched.com/event/abc",
            ),
            (
                "http://127.0.0.1:8080/democon/",
                "http://127.0.0.1:8080/democon/",
            ),
        ] {
            assert_eq!(export_url(given), fetched, "{given}");
        }
    }

    #[test]
    fn event_pages_on_any_host_have_an_export_to_try() {
        for (page, export) in [
            (
                "https://talks.mrmcd.net/2024/",
                Some("https://talks.mrmcd.net/2024/schedule/export/schedule.json"),
            ),
            (
                "http://127.0.0.1:8080/democon/schedule",
                Some("http://127.0.0.1:8080/democon/schedule/export/schedule.json"),
            ),
            ("https://talks.mrmcd.net/", None),
            ("https://talks.mrmcd.net/2024/talk/ABC/", None),
            ("https://talks.mrmcd.net/2024/?lang=de", None),
        ] {
            assert_eq!(pretalx_export(page).as_deref(), export, "{page}");
        }
    }

    #[test]
    fn ages_read_naturally() {
        let m = chrono::Duration::minutes;
        assert_eq!(age_text(m(0)), "just now");
        assert_eq!(age_text(m(5)), "5 min ago");
        assert_eq!(age_text(m(150)), "3 h ago");
        assert_eq!(age_text(m(60 * 24 * 3)), "3 days ago");
    }

    fn as_text(bytes: &[u8]) -> LoadedBody<String> {
        if bytes.starts_with(b"BEGIN:VCALENDAR") {
            Ok((String::from_utf8_lossy(bytes).into_owned(), None))
        } else {
            Err(Problem::NotICalendar)
        }
    }

    #[test]
    fn offline_without_a_copy_is_an_error_and_with_one_says_its_age() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.invalid/all.ics";
        let now: DateTime<Utc> = "2026-04-07T12:00:00Z".parse().unwrap();
        let options = FetchOptions {
            cache_dir: dir.path().to_path_buf(),
            offline: true,
            now,
        };
        assert!(matches!(
            fetch(url, &options, as_text),
            Err(FetchError::OfflineWithoutCopy)
        ));
        let meta = Meta {
            url: url.into(),
            etag: None,
            last_modified: None,
            fetched_at: "2026-04-07T10:00:00Z".into(),
        };
        store(dir.path(), url, b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", &meta).unwrap();
        let got = fetch(url, &options, as_text).unwrap();
        assert_eq!(got.value, "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
        assert_eq!(
            got.stale.unwrap(),
            "offline: the copy of https://example.invalid/all.ics fetched 2 h ago"
        );
    }

    #[test]
    fn a_copy_ends_as_its_format_and_an_old_ics_copy_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.invalid/schedule.json";
        let meta = Meta {
            url: url.into(),
            etag: None,
            last_modified: None,
            fetched_at: "2026-04-07T10:00:00Z".into(),
        };
        let files = || {
            let mut names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter_map(|n| n.split_once('.').map(|(_, ending)| ending.to_owned()))
                .collect();
            names.sort();
            names
        };
        let json = br#"{"schedule": {"conference": {}}}"#;
        store(dir.path(), url, json, &meta).unwrap();
        assert_eq!(files(), ["json", "schedule.json"]);
        assert_eq!(cached(dir.path(), url).unwrap().0, json);
        store(dir.path(), url, b"<schedule/>", &meta).unwrap();
        assert_eq!(files(), ["json", "schedule.xml"]);
        store(dir.path(), url, b"BEGIN:VCALENDAR", &meta).unwrap();
        assert_eq!(files(), ["ics", "json"]);
        // A copy kept before formats were told apart ends in .ics whatever it holds.
        std::fs::write(&paths(dir.path(), url).0[0], json).unwrap();
        assert_eq!(cached(dir.path(), url).unwrap().0, json);
        drop_copy(dir.path(), url);
        assert!(files().is_empty());
    }

    #[test]
    fn an_offline_copy_that_does_not_load_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.invalid/all.ics";
        let options = FetchOptions {
            cache_dir: dir.path().to_path_buf(),
            offline: true,
            now: Utc::now(),
        };
        let meta = Meta {
            url: url.into(),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            fetched_at: "2026-04-07T10:00:00Z".into(),
        };
        store(dir.path(), url, b"<html>login</html>", &meta).unwrap();
        let err = fetch(url, &options, as_text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--offline, and the offline copy does not load (not a calendar (iCalendar, schedule.xml or schedule.json)); it was dropped"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(matches!(
            fetch(url, &options, as_text),
            Err(FetchError::OfflineWithoutCopy)
        ));
    }
}
