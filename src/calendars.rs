//! Saved calendars: `calendars.json` in the data directory names the calendars a user follows
//! (a file by its absolute path, or a URL) and which one is current. The bundled calendar is
//! always there and is current until another is chosen.
//!
//! Saved with the star file's discipline: every change takes an advisory lock
//! (`calendars.json.lock`, never followed if it is a link), re-reads the file, applies the
//! change and replaces the file atomically ([`crate::atomic::write`]). A file that cannot be
//! read is an error naming it, and is never overwritten.
//!
//! For a picker: [`Calendars::open`], [`Calendars::list`] (name, source, whether current),
//! [`Calendars::set_current`].

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::calendar::source::{Source, io_reason};
use crate::calendar::text::sanitize_line;

/// The file's name in the data directory.
pub const FILE_NAME: &str = "calendars.json";
/// The format version this hallway writes and reads.
pub const VERSION: u64 = 1;
/// How long a change waits for another hallway's.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);
/// What the bundled calendar is also called (`hallway use bundled`).
pub const BUNDLED_ALIAS: &str = "bundled";

/// One saved calendar, as kept in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// What the user calls it: the calendar's name, or `--name`.
    pub name: String,
    /// An absolute file path, or an http(s) URL.
    pub source: String,
    /// The calendar's key in the star file, as it was when added.
    pub key: String,
    /// When it was added (RFC 3339).
    pub added: String,
}

impl Saved {
    /// Where to read it from.
    pub fn source(&self) -> Source {
        Source::from_arg(Some(&self.source))
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Data {
    version: u64,
    /// The current calendar's name; none means the bundled one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current: Option<String>,
    #[serde(default)]
    calendars: Vec<Saved>,
}

/// A calendar as [`Calendars::list`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub source: Source,
    /// Its key in the star file (none for the bundled calendar, whose key is its own).
    pub key: Option<String>,
    pub is_current: bool,
}

/// Why the saved calendars cannot be used or changed. One line each, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum CalendarsError {
    #[error(
        "{}: not a valid list of calendars ({detail}); hallway will not overwrite it: repair it, or move it aside (mv {} {}.bad)",
        path.display(), path.display(), path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{}: written by a newer hallway (format version {version}, this one reads {VERSION}); upgrade hallway",
        path.display()
    )]
    Newer { path: PathBuf, version: u64 },
    #[error("{}: {}", path.display(), io_reason(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: another hallway is still changing the saved calendars; try again", lock.display())]
    Busy { lock: PathBuf },
    #[error("no saved calendar is called '{query}' (saved: {names})")]
    NotFound { query: String, names: String },
    #[error("'{query}' could be any of: {names}; give more of the name")]
    Ambiguous { query: String, names: String },
    #[error(
        "a calendar called '{name}' is already saved ({source_text}); choose another name with --name"
    )]
    NameTaken { name: String, source_text: String },
    #[error("{source_text} is already saved as '{name}' (hallway use '{name}' switches to it)")]
    AlreadySaved { name: String, source_text: String },
    #[error("the bundled calendar is always there; it cannot be removed")]
    Bundled,
}

/// The bundled calendar's name and star key (read from it once).
fn bundled() -> &'static (String, String) {
    static BUNDLED: OnceLock<(String, String)> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        let calendar = crate::calendar::Calendar::bundled(None, chrono_tz::Tz::UTC);
        (calendar.name, calendar.key)
    })
}

/// The bundled calendar's name.
pub fn bundled_name() -> &'static str {
    &bundled().0
}

/// The bundled calendar's star key.
pub fn bundled_key() -> &'static str {
    &bundled().1
}

/// What a name given by the user stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Bundled,
    Saved(Saved),
}

impl Found {
    pub fn name(&self) -> &str {
        match self {
            Self::Bundled => bundled_name(),
            Self::Saved(s) => &s.name,
        }
    }

    pub fn source(&self) -> Source {
        match self {
            Self::Bundled => Source::Bundled,
            Self::Saved(s) => s.source(),
        }
    }
}

/// The saved calendars of one data directory.
#[derive(Debug)]
pub struct Calendars {
    path: PathBuf,
    data: Data,
}

impl Calendars {
    /// Reads `calendars.json` in `dir`; a missing file (or directory) is no saved calendar.
    ///
    /// # Errors
    /// A file that exists but cannot be read or understood.
    pub fn open(dir: &Path) -> Result<Self, CalendarsError> {
        let path = dir.join(FILE_NAME);
        let data = read(&path)?;
        Ok(Self { path, data })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved calendars, in the order they were added.
    pub fn saved(&self) -> &[Saved] {
        &self.data.calendars
    }

    /// The current calendar, when it is a saved one (else the bundled one is).
    pub fn current(&self) -> Option<&Saved> {
        let name = self.data.current.as_deref()?;
        self.data.calendars.iter().find(|s| s.name == name)
    }

    /// Every calendar to choose from: the bundled one first, then the saved ones.
    pub fn list(&self) -> Vec<Listed> {
        let current = self.current().map(|s| s.name.as_str());
        let mut out = vec![Listed {
            name: bundled_name().to_owned(),
            source: Source::Bundled,
            key: None,
            is_current: current.is_none(),
        }];
        out.extend(self.data.calendars.iter().map(|s| Listed {
            name: s.name.clone(),
            source: s.source(),
            key: Some(s.key.clone()),
            is_current: current == Some(s.name.as_str()),
        }));
        out
    }

    /// The calendar `query` names: a name (any case), `bundled`, or the unique start of one.
    ///
    /// # Errors
    /// No calendar, or several, have such a name.
    pub fn find(&self, query: &str) -> Result<Found, CalendarsError> {
        let q = query.trim().to_lowercase();
        let mut all: Vec<Found> = vec![Found::Bundled];
        all.extend(self.data.calendars.iter().cloned().map(Found::Saved));
        let exact = |f: &Found| {
            f.name().to_lowercase() == q || (*f == Found::Bundled && q == BUNDLED_ALIAS)
        };
        if let Some(found) = all.iter().find(|f| exact(f)) {
            return Ok(found.clone());
        }
        let starting: Vec<&Found> = all
            .iter()
            .filter(|f| !q.is_empty() && f.name().to_lowercase().starts_with(&q))
            .collect();
        let names = |list: &[&Found]| {
            list.iter()
                .map(|f| format!("'{}'", f.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match starting.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(CalendarsError::NotFound {
                query: sanitize_line(query),
                names: names(&all.iter().collect::<Vec<_>>()),
            }),
            many => Err(CalendarsError::Ambiguous {
                query: sanitize_line(query),
                names: names(many),
            }),
        }
    }

    /// Saves `saved` and makes it current. The same source under the same name only becomes
    /// current again.
    ///
    /// # Errors
    /// The name is taken by another calendar (the bundled one too), the source is saved
    /// under another name, or the file cannot be written.
    pub fn add(&mut self, saved: &Saved) -> Result<(), CalendarsError> {
        self.update(|data| {
            let same_name = |n: &str| n.to_lowercase() == saved.name.to_lowercase();
            if same_name(bundled_name()) || same_name(BUNDLED_ALIAS) {
                return Err(CalendarsError::NameTaken {
                    name: saved.name.clone(),
                    source_text: "the bundled calendar".into(),
                });
            }
            if let Some(old) = data.calendars.iter().find(|s| same_name(&s.name)) {
                if old.source != saved.source {
                    return Err(CalendarsError::NameTaken {
                        name: old.name.clone(),
                        source_text: old.source.clone(),
                    });
                }
            } else if let Some(old) = data.calendars.iter().find(|s| s.source == saved.source) {
                return Err(CalendarsError::AlreadySaved {
                    name: old.name.clone(),
                    source_text: saved.source.clone(),
                });
            } else {
                data.calendars.push(saved.clone());
            }
            data.current = Some(saved.name.clone());
            Ok(())
        })
    }

    /// Makes the calendar called `name` (exactly, or `bundled`) current.
    ///
    /// # Errors
    /// No such calendar, or the file cannot be written.
    pub fn set_current(&mut self, name: &str) -> Result<(), CalendarsError> {
        self.update(|data| {
            if name == bundled_name() || name == BUNDLED_ALIAS {
                data.current = None;
                return Ok(());
            }
            if !data.calendars.iter().any(|s| s.name == name) {
                return Err(CalendarsError::NotFound {
                    query: sanitize_line(name),
                    names: names_of(data),
                });
            }
            data.current = Some(name.to_owned());
            Ok(())
        })
    }

    /// Forgets the calendar called `name` (exactly); the bundled one becomes current if it was.
    /// The forgotten entry is returned.
    ///
    /// # Errors
    /// The bundled calendar, no such calendar, or the file cannot be written.
    pub fn remove(&mut self, name: &str) -> Result<Saved, CalendarsError> {
        self.update(|data| {
            if name == bundled_name() || name == BUNDLED_ALIAS {
                return Err(CalendarsError::Bundled);
            }
            let at = data
                .calendars
                .iter()
                .position(|s| s.name == name)
                .ok_or_else(|| CalendarsError::NotFound {
                    query: sanitize_line(name),
                    names: names_of(data),
                })?;
            if data.current.as_deref() == Some(name) {
                data.current = None;
            }
            Ok(data.calendars.remove(at))
        })
    }

    /// Under the lock: re-reads the file, applies `change`, and writes the result (only when
    /// `change` succeeds).
    fn update<T>(
        &mut self,
        change: impl FnOnce(&mut Data) -> Result<T, CalendarsError>,
    ) -> Result<T, CalendarsError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CalendarsError::Io { path, source }
        };
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let _lock = lock(&lock_path(&self.path))?;
        let mut data = read(&self.path)?;
        let result = change(&mut data)?;
        data.version = VERSION;
        let mut json = serde_json::to_string_pretty(&data).unwrap_or_default();
        json.push('\n');
        crate::atomic::write(&self.path, json.as_bytes()).map_err(io(&self.path))?;
        self.data = data;
        Ok(result)
    }
}

fn names_of(data: &Data) -> String {
    let mut names = vec![format!("'{}'", bundled_name())];
    names.extend(data.calendars.iter().map(|s| format!("'{}'", s.name)));
    names.join(", ")
}

/// `calendars.json.lock`, beside the file `path` is or links to.
fn lock_path(path: &Path) -> PathBuf {
    let target = crate::atomic::resolve(path);
    let name = target
        .file_name()
        .map_or_else(|| FILE_NAME.into(), |n| n.to_string_lossy());
    target.with_file_name(format!("{name}.lock"))
}

/// Takes the lock, waiting up to [`LOCK_WAIT`]; never follows a link where the lock is.
fn lock(path: &Path) -> Result<File, CalendarsError> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let io = |source| CalendarsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = options.open(path).map_err(io)?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(CalendarsError::Busy {
                    lock: path.to_path_buf(),
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
}

/// Reads and checks the file; missing is empty. Text is cleaned before anything shows it.
fn read(path: &Path) -> Result<Data, CalendarsError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Data {
                version: VERSION,
                ..Data::default()
            });
        }
        Err(e) => {
            return Err(CalendarsError::Io {
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    let mut data: Data = serde_json::from_slice(&bytes).map_err(|e| CalendarsError::Corrupt {
        path: path.to_path_buf(),
        detail: sanitize_line(&e.to_string()),
    })?;
    if data.version > VERSION {
        return Err(CalendarsError::Newer {
            path: path.to_path_buf(),
            version: data.version,
        });
    }
    for s in &mut data.calendars {
        s.name = sanitize_line(&s.name);
        s.added = sanitize_line(&s.added);
    }
    if let Some(current) = &mut data.current {
        *current = sanitize_line(current);
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(name: &str, source: &str) -> Saved {
        Saved {
            name: name.into(),
            source: source.into(),
            key: name.to_lowercase(),
            added: "2026-04-01T08:00:00Z".into(),
        }
    }

    #[test]
    fn add_use_remove_round_trip_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let mut cals = Calendars::open(dir.path()).unwrap();
        assert_eq!(cals.list().len(), 1);
        assert!(cals.list()[0].is_current);
        cals.add(&saved("FOSDEM 2026", "https://fosdem.org/all.ics"))
            .unwrap();
        cals.add(&saved("PyCon US", "/tmp/pycon.ics")).unwrap();
        let again = Calendars::open(dir.path()).unwrap();
        assert_eq!(again.current().unwrap().name, "PyCon US");
        let listed = again.list();
        assert_eq!(listed.len(), 3);
        assert_eq!(
            listed
                .iter()
                .map(|l| (l.name.as_str(), l.is_current))
                .collect::<Vec<_>>(),
            [
                (bundled_name(), false),
                ("FOSDEM 2026", false),
                ("PyCon US", true)
            ]
        );
        assert_eq!(
            listed[1].source,
            Source::Url("https://fosdem.org/all.ics".into())
        );
        cals.set_current("FOSDEM 2026").unwrap();
        assert_eq!(
            Calendars::open(dir.path()).unwrap().current().unwrap().name,
            "FOSDEM 2026"
        );
        assert_eq!(cals.remove("FOSDEM 2026").unwrap().name, "FOSDEM 2026");
        assert!(Calendars::open(dir.path()).unwrap().current().is_none());
        assert!(matches!(
            cals.remove("bundled"),
            Err(CalendarsError::Bundled)
        ));
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["calendars.json", "calendars.json.lock"]);
    }

    #[test]
    fn names_are_found_by_unique_prefix_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let mut cals = Calendars::open(dir.path()).unwrap();
        cals.add(&saved("PyCon US", "/a.ics")).unwrap();
        cals.add(&saved("PyCon DE", "/b.ics")).unwrap();
        cals.add(&saved("FOSDEM", "/c.ics")).unwrap();
        assert_eq!(cals.find("fos").unwrap().name(), "FOSDEM");
        assert_eq!(cals.find("pycon de").unwrap().name(), "PyCon DE");
        assert_eq!(cals.find("bundled").unwrap(), Found::Bundled);
        assert_eq!(cals.find("pyt").unwrap(), Found::Bundled);
        let err = cals.find("pycon").unwrap_err().to_string();
        assert_eq!(
            err,
            "'pycon' could be any of: 'PyCon US', 'PyCon DE'; give more of the name"
        );
        assert!(matches!(
            cals.find("zzz"),
            Err(CalendarsError::NotFound { .. })
        ));
        assert!(matches!(
            cals.add(&saved("pycon us", "/other.ics")),
            Err(CalendarsError::NameTaken { .. })
        ));
        assert!(matches!(
            cals.add(&saved("Another", "/a.ics")),
            Err(CalendarsError::AlreadySaved { .. })
        ));
        assert!(matches!(
            cals.add(&saved(bundled_name(), "/d.ics")),
            Err(CalendarsError::NameTaken { .. })
        ));
    }

    #[test]
    fn a_corrupt_file_is_named_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, "{ not json").unwrap();
        let err = Calendars::open(dir.path()).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: not a valid list", path.display())),
            "{err}"
        );
        let mut cals = Calendars {
            path: path.clone(),
            data: Data::default(),
        };
        assert!(cals.add(&saved("X", "/x.ics")).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "{ not json");
        fs::write(&path, r#"{"version": 9, "calendars": []}"#).unwrap();
        assert!(matches!(
            Calendars::open(dir.path()),
            Err(CalendarsError::Newer { version: 9, .. })
        ));
    }
}
