//! Calendars from the web: a blocking HTTP(S) fetch (ureq with rustls) with timeouts, an
//! offline copy of each URL in the cache directory with its ETag and Last-Modified, and
//! conditional requests (304 Not Modified → the copy). When the server cannot be reached, the
//! copy is used and its age told.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::io_reason;

/// Longest a calendar may be.
const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// How long to wait for a connection, and for the whole transfer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

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

/// A calendar's bytes, and a note when they are not fresh from the server.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// Why this is the offline copy and how old it is; `None` when the server sent it or
    /// confirmed it just now.
    pub stale: Option<String>,
}

/// The two files that keep a URL's copy.
fn paths(cache_dir: &Path, url: &str) -> (PathBuf, PathBuf) {
    let key = format!("{:016x}", super::fnv1a(url.as_bytes()));
    (
        cache_dir.join(format!("{key}.ics")),
        cache_dir.join(format!("{key}.json")),
    )
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
    Some((std::fs::read(data).ok()?, meta))
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
    crate::atomic::write(&data, bytes)?;
    let json = serde_json::to_vec_pretty(meta).map_err(std::io::Error::other)?;
    crate::atomic::write(&meta_path, &json)
}

/// Fetches `url`: conditionally when a copy exists; the copy when offline or when the server
/// cannot be reached.
///
/// # Errors
/// A one-line message saying what went wrong, when there is no copy to fall back on.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched, String> {
    let copy = cached(&options.cache_dir, url);
    if options.offline {
        return match copy {
            Some((bytes, meta)) => Ok(Fetched {
                bytes,
                stale: Some(format!(
                    "offline: the copy of {url} fetched {}",
                    age_of(&meta, options.now)
                )),
            }),
            None => Err("--offline, and no copy of it has been fetched yet".to_owned()),
        };
    }
    match request(url, copy.as_ref().map(|(_, m)| m)) {
        Ok(Some((bytes, etag, last_modified))) => {
            let meta = Meta {
                url: url.to_owned(),
                etag,
                last_modified,
                fetched_at: crate::plan::store::rfc3339(options.now),
            };
            let stale = store(&options.cache_dir, url, &bytes, &meta)
                .err()
                .map(|e| {
                    format!(
                        "could not keep an offline copy in {}: {}",
                        options.cache_dir.display(),
                        io_reason(&e)
                    )
                });
            Ok(Fetched { bytes, stale })
        }
        Ok(None) => {
            // 304: the copy is current.
            let (bytes, mut meta) = copy
                .ok_or_else(|| "the server said 'not modified' but there is no copy".to_owned())?;
            meta.fetched_at = crate::plan::store::rfc3339(options.now);
            let _ = store(&options.cache_dir, url, &bytes, &meta);
            Ok(Fetched { bytes, stale: None })
        }
        Err(why) => match copy {
            Some((bytes, meta)) => Ok(Fetched {
                bytes,
                stale: Some(format!(
                    "{url}: {why}; using the copy fetched {}",
                    age_of(&meta, options.now)
                )),
            }),
            None => Err(format!("{why} (and no offline copy yet)")),
        },
    }
}

/// One GET. `Ok(None)` is 304 Not Modified.
type Body = (Vec<u8>, Option<String>, Option<String>);

/// The error is why no calendar came: no answer (network, DNS, refused, timed out), or an
/// answer that is not a calendar.
fn request(url: &str, meta: Option<&Meta>) -> Result<Option<Body>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(TOTAL_TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("hallway/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut req = agent.get(url).header("Accept", "text/calendar, */*;q=0.5");
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
        return Ok(None);
    }
    if !status.is_success() {
        return Err(format!(
            "the server answered {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_owned());
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
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| describe(&e))?;
    // A login page or an error page is not a calendar: never keep it as the offline copy.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if !String::from_utf8_lossy(head)
        .to_ascii_uppercase()
        .contains("BEGIN:VCALENDAR")
    {
        return Err("the server sent something that is not an iCalendar file".into());
    }
    Ok(Some((bytes, etag, last_modified)))
}

/// A transport error as a short phrase.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            std::io::ErrorKind::TimedOut => "timed out".into(),
            _ => io_reason(io),
        },
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::BodyExceedsLimit(_) => format!("larger than {} MB", MAX_BYTES >> 20),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        let m = chrono::Duration::minutes;
        assert_eq!(age_text(m(0)), "just now");
        assert_eq!(age_text(m(5)), "5 min ago");
        assert_eq!(age_text(m(150)), "3 h ago");
        assert_eq!(age_text(m(60 * 24 * 3)), "3 days ago");
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
        assert!(fetch(url, &options).unwrap_err().contains("no copy"));
        let meta = Meta {
            url: url.into(),
            etag: None,
            last_modified: None,
            fetched_at: "2026-04-07T10:00:00Z".into(),
        };
        store(dir.path(), url, b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", &meta).unwrap();
        let got = fetch(url, &options).unwrap();
        assert_eq!(got.bytes, b"BEGIN:VCALENDAR\nEND:VCALENDAR\n");
        assert_eq!(
            got.stale.unwrap(),
            "offline: the copy of https://example.invalid/all.ics fetched 2 h ago"
        );
    }
}
