//! What time it is. Injected everywhere "now" matters, so tests fix it: `HALLWAY_NOW`
//! (RFC 3339) pins the clock for a whole process.

use chrono::{DateTime, Utc};

/// The source of "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// `HALLWAY_NOW` when set to an RFC 3339 time, else the system clock.
    ///
    /// # Errors
    /// `HALLWAY_NOW` is set but not a time.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var("HALLWAY_NOW") {
            Ok(value) if !value.is_empty() => DateTime::parse_from_rfc3339(&value)
                .map(|t| Self::Fixed(t.to_utc()))
                .map_err(|e| format!("HALLWAY_NOW '{value}' is not an RFC 3339 time ({e})")),
            _ => Ok(Self::System),
        }
    }

    pub fn now(self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Fixed(t) => t,
        }
    }
}
