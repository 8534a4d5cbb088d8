//! What time it is. Injected everywhere "now" matters, so tests fix it: `HALLWAY_NOW`
//! (RFC 3339) pins the clock for a whole process.

use chrono::{DateTime, Utc};

/// The source of "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

/// A time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("HALLWAY_NOW '{value}' is not an RFC 3339 time ({reason})")]
    NotATime { value: String, reason: String },
}

impl Clock {
    /// `HALLWAY_NOW` when set to an RFC 3339 time, else the system clock.
    ///
    /// # Errors
    /// `HALLWAY_NOW` is set but not a time.
    pub fn from_env() -> Result<Self, ClockError> {
        match std::env::var("HALLWAY_NOW") {
            Ok(value) if !value.is_empty() => Self::parse(&value),
            _ => Ok(Self::System),
        }
    }

    /// A clock fixed at `value`, an RFC 3339 time.
    ///
    /// # Errors
    /// `value` is not one.
    pub fn parse(value: &str) -> Result<Self, ClockError> {
        DateTime::parse_from_rfc3339(value.trim())
            .map(|t| Self::Fixed(t.to_utc()))
            .map_err(|e| ClockError::NotATime {
                value: crate::calendar::text::sanitize_line(value),
                reason: e.to_string(),
            })
    }

    pub fn now(self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Fixed(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_times_and_typed_errors() {
        assert_eq!(
            Clock::parse("2026-04-07T11:00:00+02:00").unwrap().now(),
            "2026-04-07T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        let err = Clock::parse("tuesday\u{1b}[2J").unwrap_err();
        assert!(matches!(&err, ClockError::NotATime { value, .. } if value == "tuesday[2J"));
        assert!(
            err.to_string()
                .starts_with("HALLWAY_NOW 'tuesday[2J' is not an RFC 3339 time (")
        );
    }
}
