//! Writing files safely.
//!
//! [`write`] replaces a file so that a crash at any moment leaves the old version or the new
//! one, never a truncated mix: write a temporary file beside it, flush it to disk, rename it
//! over the old one, then flush the directory so the rename itself is durable. Through a
//! symbolic link, the file the link points to is replaced and the link kept.
//!
//! [`write_output`] is what `-o FILE` does: the same for a regular file (refusing to replace
//! a read-only one unless forced), and a plain write into anything else — a device, a FIFO,
//! `/dev/stdout` — which must never be renamed over.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Symbolic links followed at most, as the kernel does.
const MAX_LINKS: usize = 40;

/// The file `path` names once symbolic links at its end are followed (the path itself when
/// it is no link). The target need not exist; a loop stops after 40 links.
pub fn resolve(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Ok(target) = fs::read_link(&current) else {
            break;
        };
        current = if target.is_absolute() {
            target
        } else {
            current
                .parent()
                .map_or_else(|| target.clone(), |dir| dir.join(&target))
        };
    }
    current
}

/// Writes `bytes` to `path` atomically and durably, keeping the old file's permissions (and,
/// where allowed, its owner); a new file gets rw-r--r--. When `path` is a symbolic link, the
/// file it points to is replaced and the link stays. The directory must exist.
///
/// # Errors
/// Any IO error; the file is then untouched (the temporary file is removed).
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = resolve(path);
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    let old = fs::metadata(&target).ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = old
            .as_ref()
            .map_or(0o644, |m| m.permissions().mode() & 0o7777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    #[cfg(unix)]
    if let Some(old) = &old {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; for anyone else this keeps what it can.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(old.uid()), Some(old.gid()));
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    // The rename is durable once the directory's entry is on disk.
    File::open(dir)?.sync_all()
}

/// Why `-o` did not write.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: the file is read-only; hallway will not replace it (--force replaces it)", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{}: a directory", path.display())]
    Directory { path: PathBuf },
    #[error("{}: no such directory to write into", dir.display())]
    NoDirectory { dir: PathBuf },
    #[error("writing {}: {}", path.display(), crate::calendar::source::io_reason(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path` as `-o` does. A regular file (or a link to one) is replaced by
/// [`write`], unless it is read-only and `force` is not given. Anything else that exists —
/// a character or block device, a FIFO, a socket, a terminal, `/dev/stdout` and the like —
/// is opened and written into: renaming over it would replace the device with a file.
///
/// # Errors
/// A read-only file without `force`, a directory, or any IO error.
pub fn write_output(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    let io = |source: std::io::Error| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            if !dir.is_dir() {
                return Err(OutputError::NoDirectory {
                    dir: dir.to_path_buf(),
                });
            }
            return write(path, bytes).map_err(io);
        }
        Err(e) => return Err(io(e)),
    };
    if meta.is_dir() {
        return Err(OutputError::Directory {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() || is_process_file(path) {
        // `/dev/stdout` reached through `/proc/self/fd/1` may be a regular file the shell
        // opened (`> out`, `>> log`): append, as a write to standard output would.
        let mut file = OpenOptions::new()
            .append(meta.is_file())
            .write(true)
            .open(path)
            .map_err(io)?;
        return file
            .write_all(bytes)
            .and_then(|()| file.flush())
            .map_err(io);
    }
    if meta.permissions().readonly() && !force {
        return Err(OutputError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    write(path, bytes).map_err(io)
}

/// A path into `/dev` or `/proc` (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`): it stands
/// for an open file of this process, whatever file that is.
fn is_process_file(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), vec!["out.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_and_old_ones_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.html");
        write(&path, b"one").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o644);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("out.json");
        assert!(write(&path, b"x").is_err());
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn through_a_link_the_target_is_replaced_and_the_link_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        fs::write(real_dir.join("stars.json"), "old").unwrap();
        let link = dir.path().join("link.json");
        // A relative link, then a link to that link.
        std::os::unix::fs::symlink("real/stars.json", &link).unwrap();
        let second = dir.path().join("second.json");
        std::os::unix::fs::symlink(&link, &second).unwrap();
        assert_eq!(resolve(&second), dir.path().join("real/stars.json"));
        write(&second, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(&second)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(real_dir.join("stars.json")).unwrap(), b"new");
        assert_eq!(names(&real_dir), vec!["stars.json"]);
        // A dangling link: the file it names is made.
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("real/new.json", &dangling).unwrap();
        write(&dangling, b"made").unwrap();
        assert_eq!(fs::read(real_dir.join("new.json")).unwrap(), b"made");
        // A loop is not followed forever.
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let _ = resolve(&a);
    }

    #[cfg(unix)]
    #[test]
    fn output_refuses_a_read_only_file_unless_forced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locked.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_output(&path, b"new", false).unwrap_err();
        assert!(matches!(err, OutputError::ReadOnly { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        write_output(&path, b"new", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o444);
        assert!(matches!(
            write_output(dir.path(), b"x", true),
            Err(OutputError::Directory { .. })
        ));
    }
}
