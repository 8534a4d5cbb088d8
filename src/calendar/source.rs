//! Where a calendar comes from: the bundled file, a path, standard input, or a URL.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use super::fetch::{FetchOptions, Fetched};

/// A place to read a calendar from, as given to `-c`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The calendar built into the binary.
    Bundled,
    /// `-c -`.
    Stdin,
    File(PathBuf),
    /// `-c https://…` or `http://…`, with an offline copy.
    Url(String),
}

/// A calendar that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {reason}")]
pub struct SourceError {
    pub source_name: String,
    pub reason: String,
}

impl Source {
    /// From the `-c` argument; none means the bundled calendar.
    pub fn from_arg(arg: Option<&str>) -> Self {
        match arg {
            None => Self::Bundled,
            Some("-") => Self::Stdin,
            Some(url)
                if ["http://", "https://"].iter().any(|scheme| {
                    url.get(..scheme.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                }) =>
            {
                Self::Url(url.to_owned())
            }
            Some(path) => Self::File(PathBuf::from(path)),
        }
    }

    /// How the source is named in messages and output.
    pub fn name(&self) -> String {
        match self {
            Self::Bundled => super::BUNDLED_NAME.to_owned(),
            Self::Stdin => "-".to_owned(),
            Self::File(path) => path.display().to_string(),
            Self::Url(url) => url.clone(),
        }
    }

    /// The calendar's bytes, with a note when they are an offline copy.
    ///
    /// # Errors
    /// A file that cannot be read, standard input that is a terminal (reading it would wait
    /// forever for a calendar nobody is typing), a URL that gives no calendar and has no copy.
    pub fn read(&self, fetch: &FetchOptions) -> Result<Fetched, SourceError> {
        let fail = |reason: String| SourceError {
            source_name: self.name(),
            reason,
        };
        let fresh = |bytes| Fetched { bytes, stale: None };
        match self {
            Self::Bundled => Ok(fresh(super::BUNDLED.to_vec())),
            Self::Stdin => {
                let mut stdin = std::io::stdin();
                if stdin.is_terminal() {
                    return Err(fail(
                        "standard input is a terminal; pipe a calendar in (hallway -c - < schedule.ics)"
                            .into(),
                    ));
                }
                let mut bytes = Vec::new();
                stdin
                    .read_to_end(&mut bytes)
                    .map_err(|e| fail(io_reason(&e)))?;
                Ok(fresh(bytes))
            }
            Self::File(path) => std::fs::read(path)
                .map(fresh)
                .map_err(|e| fail(io_reason(&e))),
            Self::Url(url) => super::fetch::fetch(url, fetch).map_err(fail),
        }
    }
}

/// An IO error as a short phrase, without the `(os error N)` tail.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory, not a file".into(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_lowercase(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> FetchOptions {
        FetchOptions {
            cache_dir: std::env::temp_dir().join("hallway-test-unused"),
            offline: true,
            now: chrono::Utc::now(),
        }
    }

    #[test]
    fn names_and_errors() {
        assert_eq!(Source::from_arg(None), Source::Bundled);
        assert_eq!(
            Source::from_arg(Some("HTTPS://x.org/all.ics")),
            Source::Url("HTTPS://x.org/all.ics".into())
        );
        assert_eq!(
            Source::from_arg(Some("httpdocs/a.ics")),
            Source::File("httpdocs/a.ics".into())
        );
        assert_eq!(Source::from_arg(Some("-")), Source::Stdin);
        let missing = Source::from_arg(Some("/nonexistent/x.ics"));
        let err = missing.read(&options()).unwrap_err().to_string();
        assert_eq!(err, "/nonexistent/x.ics: no such file");
        let dir = Source::from_arg(Some("/"));
        assert_eq!(
            dir.read(&options()).unwrap_err().to_string(),
            "/: is a directory, not a file"
        );
    }

    #[test]
    fn bundled_bytes_are_the_asset() {
        assert_eq!(
            Source::Bundled.read(&options()).unwrap().bytes,
            crate::calendar::BUNDLED
        );
    }
}
