//! Time zones: naming them (IANA, Windows, custom VTIMEZONEs), finding a calendar's own zone
//! from the cities its locations name, and choosing the zone times are shown in.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::{TZ_VARIANTS, Tz};

/// Windows time zone names (Outlook, Exchange) → the IANA zone CLDR maps them to (territory 001).
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Almaty"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

/// Areas whose zones are named after a city (`Europe/Paris`), for finding zones by city.
const CITY_AREAS: &[&str] = &[
    "Africa",
    "America",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// Last parts of zone names that are not cities but ordinary words a location may hold.
const NOT_CITIES: &[&str] = &[
    "north",
    "south",
    "west",
    "east",
    "center",
    "central",
    "act",
    "nsw",
    "lhi",
    "general",
    "eastern",
    "western",
    "mountain",
    "pacific",
    "atlantic",
    "continental",
    "yancowinna",
];

struct Names {
    /// Lower-cased IANA names (and aliases) → zone.
    iana: HashMap<String, Tz>,
    /// Lower-cased city names (`new york`, `paris`) → zone.
    cities: HashMap<String, Tz>,
    /// Lower-cased Windows names → zone.
    windows: HashMap<String, Tz>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut iana = HashMap::with_capacity(TZ_VARIANTS.len());
        let mut cities = HashMap::new();
        for tz in TZ_VARIANTS {
            let name = tz.name();
            iana.insert(name.to_ascii_lowercase(), tz);
            let mut parts = name.split('/');
            if let (Some(area), Some(city)) = (parts.next(), parts.next_back())
                && CITY_AREAS.contains(&area)
            {
                let city = city.replace('_', " ").to_lowercase();
                if !NOT_CITIES.contains(&city.as_str()) {
                    cities.entry(city).or_insert(tz);
                }
            }
        }
        let windows = WINDOWS_ZONES
            .iter()
            .filter_map(|(win, iana_name)| {
                Some((win.to_ascii_lowercase(), Tz::from_str(iana_name).ok()?))
            })
            .collect();
        Names {
            iana,
            cities,
            windows,
        }
    })
}

/// Longer than any zone or city name: not looked up.
const LONGEST_NAME: usize = 64;

/// An IANA zone by name, ignoring case (`europe/paris`).
pub fn by_iana_name(name: &str) -> Option<Tz> {
    let name = name.trim();
    if name.len() > LONGEST_NAME {
        return None;
    }
    // Spelled as the database spells it, as it mostly is: no table of every name to build.
    if let Ok(tz) = Tz::from_str(name) {
        return Some(tz);
    }
    names().iana.get(&name.to_ascii_lowercase()).copied()
}

/// A zone whose city is `name` (`Paris` → `Europe/Paris`), ignoring case.
pub fn by_city(name: &str) -> Option<Tz> {
    let name = name.trim();
    if name.len() > LONGEST_NAME {
        return None;
    }
    names().cities.get(&name.to_lowercase()).copied()
}

/// Whether `tz` is UTC under any of its names.
pub fn is_utc(tz: Tz) -> bool {
    matches!(
        tz.name(),
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Etc/Universal" | "Universal" | "Zulu" | "Etc/Zulu"
    )
}

/// What a VTIMEZONE says about itself, for names that are neither IANA nor Windows.
#[derive(Debug, Clone, Default)]
pub struct VTimezone {
    pub tzid: String,
    /// `X-LIC-LOCATION`, an IANA name some exporters add.
    pub location: Option<String>,
    /// Offset east of UTC, in seconds, in standard time.
    pub standard: Option<i32>,
    /// Offset east of UTC, in seconds, in daylight time, and the month daylight time starts.
    pub daylight: Option<(i32, u32)>,
}

/// Resolves a `TZID` to an IANA zone, in order: the IANA name itself (any case, or as the tail
/// of a path such as `/mozilla.org/20050126_1/Europe/London`), a Windows name, `Area-City`
/// spellings, the VTIMEZONE's `X-LIC-LOCATION`, a city named in it (`(UTC+01:00) Brussels,
/// Copenhagen`), a `GMT+01:00` offset, and last the zone whose offsets match the VTIMEZONE's.
pub fn resolve_tzid(tzid: &str, vtimezone: Option<&VTimezone>, year: i32) -> Option<Tz> {
    let names = names();
    let tzid = tzid.trim().trim_matches('"');
    if let Some(tz) = by_iana_name(tzid) {
        return Some(tz);
    }
    // A path's tail: zone names have at most three parts, so only the last three '/'
    // matter, tried longest first.
    let mut slashes: Vec<usize> = tzid.rmatch_indices('/').take(3).map(|(at, _)| at).collect();
    slashes.reverse();
    for at in slashes {
        if let Some(tz) = by_iana_name(&tzid[at + 1..]) {
            return Some(tz);
        }
    }
    if let Some(tz) = names.windows.get(&tzid.to_ascii_lowercase()) {
        return Some(*tz);
    }
    if let Some(tz) = by_iana_name(&tzid.replacen('-', "/", 1)) {
        return Some(tz);
    }
    if let Some(tz) = vtimezone
        .and_then(|v| v.location.as_deref())
        .and_then(by_iana_name)
    {
        return Some(tz);
    }
    if let Some(tz) = tzid
        .split(|c: char| !(c.is_alphabetic() || c == ' ' || c == '.' || c == '\''))
        .find_map(by_city)
    {
        return Some(tz);
    }
    if let Some(tz) = fixed_offset_zone(tzid) {
        return Some(tz);
    }
    vtimezone.and_then(|v| by_offsets(v, year))
}

/// `GMT+01:00`, `UTC-5`, `(UTC+02:00)` → the `Etc/GMT∓N` zone, for whole hours.
fn fixed_offset_zone(s: &str) -> Option<Tz> {
    let upper = s.to_ascii_uppercase();
    let at = upper.find("UTC").or_else(|| upper.find("GMT"))?;
    let rest = &upper[at + 3..];
    let sign = match rest.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = rest[1..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        None => (digits.parse().ok()?, 0),
    };
    if minutes != 0 {
        return None;
    }
    if hours == 0 {
        return Some(Tz::UTC);
    }
    // POSIX-style names: Etc/GMT-1 is one hour east of UTC.
    Tz::from_str(&format!(
        "Etc/GMT{}{hours}",
        if sign > 0 { '-' } else { '+' }
    ))
    .ok()
}

/// The zone whose offsets in January and July of `year` are the VTIMEZONE's: the zones the
/// Windows table names first (the usual choice for a region), then every other zone.
fn by_offsets(v: &VTimezone, year: i32) -> Option<Tz> {
    let standard = v.standard.or(v.daylight.map(|d| d.0))?;
    let (winter, summer) = match v.daylight {
        // Daylight time starting in the second half of the year: southern hemisphere.
        Some((daylight, month)) if month >= 7 => (daylight, standard),
        Some((daylight, _)) => (standard, daylight),
        None => (standard, standard),
    };
    offsets_index(year).get(&(winter, summer)).copied()
}

/// Zones by their January and July offsets (seconds east of UTC).
type OffsetIndex = HashMap<(i32, i32), Tz>;

/// For a year (kept within 1900–2200), the first zone in order of preference with each pair
/// of January and July offsets: built once per year, so a calendar of a thousand custom
/// VTIMEZONEs costs a thousand lookups, not a thousand scans of every zone.
fn offsets_index(year: i32) -> Arc<OffsetIndex> {
    static INDEX: OnceLock<Mutex<HashMap<i32, Arc<OffsetIndex>>>> = OnceLock::new();
    let year = year.clamp(1900, 2200);
    let mut years = INDEX
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let index = years.entry(year).or_insert_with(|| {
        let offset_at = |tz: Tz, month: u32| {
            let date = NaiveDate::from_ymd_opt(year, month, 15)?.and_hms_opt(12, 0, 0)?;
            Some(tz.offset_from_utc_datetime(&date).fix().local_minus_utc())
        };
        let preferred = WINDOWS_ZONES
            .iter()
            .filter_map(|(_, name)| Tz::from_str(name).ok());
        let others = TZ_VARIANTS.iter().copied().filter(|tz| {
            tz.name()
                .split('/')
                .next()
                .is_some_and(|a| CITY_AREAS.contains(&a))
        });
        let mut index = HashMap::new();
        for tz in preferred.chain(others) {
            if let (Some(winter), Some(summer)) = (offset_at(tz, 1), offset_at(tz, 7)) {
                index.entry((winter, summer)).or_insert(tz);
            }
        }
        Arc::new(index)
    });
    Arc::clone(index)
}

/// The zone a city in these locations lies in, weighted by how many sessions name it: each
/// comma-separated part of a location is tried as a city (`75013 Paris` too).
pub fn infer_from_locations<'a>(locations: impl Iterator<Item = (&'a str, usize)>) -> Option<Tz> {
    let mut votes: HashMap<Tz, usize> = HashMap::new();
    for (location, weight) in locations {
        let found = location.split(',').rev().find_map(|part| {
            let part = part.trim();
            by_city(part).or_else(|| {
                let without_numbers: Vec<&str> = part
                    .split_whitespace()
                    .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
                    .collect();
                by_city(&without_numbers.join(" "))
            })
        });
        if let Some(tz) = found {
            *votes.entry(tz).or_default() += weight;
        }
    }
    votes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.name().cmp(a.0.name())))
        .map(|(tz, _)| tz)
}

/// City names that are also ordinary words or names in conference titles: never read as
/// the city of a calendar's name.
const AMBIGUOUS_CITIES: &[&str] = &[
    "phoenix",
    "victoria",
    "wake",
    "midway",
    "troll",
    "casey",
    "davis",
    "palmer",
    "regina",
    "easter",
    "chatham",
    "mawson",
    "vostok",
    "macquarie",
    "rothera",
    "syowa",
    "faroe",
    "man",
    "jersey",
    "guernsey",
    "monterrey",
    "marengo",
    "knox",
    "tell city",
    "petersburg",
    "vevay",
    "winamac",
    "center",
    "salem",
    "beulah",
    "new salem",
    "creston",
    "hermosillo",
    "eucla",
];

/// The zone of a city named in a calendar's name (`PyCon Berlin 2024`, `Rust Meetup New
/// York`): a word, or two or three in a row, that is a zone's city. The first 32 words only.
pub fn city_in_name(name: &str) -> Option<Tz> {
    let words: Vec<&str> = name
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '.'))
        .filter(|w| !w.is_empty())
        .take(32)
        .collect();
    for len in [3, 2, 1] {
        for run in words.windows(len) {
            if !run[0].starts_with(char::is_uppercase) {
                continue;
            }
            let candidate = run.join(" ");
            if AMBIGUOUS_CITIES.contains(&candidate.to_lowercase().as_str()) {
                continue;
            }
            if let Some(tz) = by_city(&candidate) {
                return Some(tz);
            }
        }
    }
    None
}

/// Most coordinates looked up: a calendar's events are in one place.
const GEO_SAMPLE: usize = 32;

/// The zone most of these coordinates (latitude, longitude) lie in, from the time zone
/// boundaries `tzf-rs` ships (no network). Coordinates out of range are ignored.
pub fn by_coordinates(points: impl Iterator<Item = (f64, f64)>) -> Option<Tz> {
    static FINDER: OnceLock<tzf_rs::DefaultFinder> = OnceLock::new();
    let points: Vec<(f64, f64)> = points
        .filter(|(lat, lon)| lat.abs() <= 90.0 && lon.abs() <= 180.0)
        .take(GEO_SAMPLE)
        .collect();
    if points.is_empty() {
        return None;
    }
    let finder = FINDER.get_or_init(tzf_rs::DefaultFinder::new);
    let mut votes: HashMap<Tz, usize> = HashMap::new();
    for (lat, lon) in points {
        // The polygons themselves, not the tile index in front of them (whose Web Mercator
        // arithmetic is the only use of libm in hallway: without it the library is not
        // loaded at every start). Where zones overlap (disputed land), the first by name.
        let names = finder.get_tz_names(lon, lat);
        if let Some(tz) = names.first().and_then(|name| by_iana_name(name)) {
            *votes.entry(tz).or_default() += 1;
        }
    }
    votes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.name().cmp(a.0.name())))
        .map(|(tz, _)| tz)
}

/// The fixed-offset zone (`Etc/GMT-1`) for an offset of whole hours east of UTC, in seconds.
pub fn fixed_offset(seconds: i32) -> Option<Tz> {
    if seconds % 3600 != 0 {
        return None;
    }
    let hours = seconds / 3600;
    if hours == 0 {
        return Some(Tz::UTC);
    }
    Tz::from_str(&format!(
        "Etc/GMT{}{}",
        if hours > 0 { '-' } else { '+' },
        hours.abs()
    ))
    .ok()
}

/// Whether `tz` is `offset` seconds east of UTC at `at`.
pub fn has_offset(tz: Tz, at: chrono::DateTime<chrono::Utc>, offset: i32) -> bool {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
        == offset
}

/// The machine's zone: `TZ` when it names a zone, else the system setting, else UTC.
pub fn system_zone() -> Tz {
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':');
        if let Some(zone) = by_iana_name(tz).or_else(|| {
            tz.split_once("zoneinfo/")
                .and_then(|(_, name)| by_iana_name(name))
        }) {
            return zone;
        }
    }
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| by_iana_name(&name))
        .filter(|tz| !is_utc(*tz))
        .unwrap_or(Tz::UTC)
}

/// A `--tz` value that names no zone (cleaned for display).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone '{0}' (use an IANA name such as Europe/Paris, or 'local')")]
pub struct UnknownZone(pub String);

/// Parses a `--tz` value: an IANA name (any case) or `local`.
///
/// # Errors
/// [`UnknownZone`], naming the value.
pub fn parse_zone_flag(value: &str) -> Result<Tz, UnknownZone> {
    if value.eq_ignore_ascii_case("local") {
        return Ok(system_zone());
    }
    by_iana_name(value).ok_or_else(|| UnknownZone(super::text::sanitize_line(value)))
}

/// Where the display zone came from, for the header and `--help`-style explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    /// `--tz`.
    Flag,
    /// X-WR-TIMEZONE, a schedule's `time_zone_name`, or the events' TZIDs.
    Calendar,
    /// The schedule's city (`<city>`, the venue), agreeing with its UTC offsets.
    City,
    /// A city named in the sessions' locations.
    Locations,
    /// The events' GEO coordinates.
    Coordinates,
    /// A city named in the calendar's name (`PyCon Berlin`).
    Name,
    /// The UTC offset the schedule's times state, with no city to name a zone by
    /// (`Etc/GMT-1`): times as the conference gave them.
    Offset,
    /// Nothing in the calendar says: the machine's zone (or UTC). `print` says so on
    /// stderr and the TUI should in its header ([`crate::calendar::Calendar::zone_note`]).
    Fallback,
}

/// How to name the zone to a reader at `at`: `Europe/Paris (CEST)`; a fixed offset
/// (`Etc/GMT-1`, whose sign reads backwards) as just `UTC+01:00`, UTC as `UTC`.
pub fn label(tz: Tz, at: chrono::DateTime<chrono::Utc>) -> String {
    let abbr = abbreviation(tz, at);
    if tz.name().starts_with("Etc/") || abbr == tz.name() {
        abbr
    } else {
        format!("{} ({abbr})", tz.name())
    }
}

/// The zone's abbreviation at `at` (`CEST`), or its UTC offset where the zone has no letters
/// for it (`UTC+05:30`).
pub fn abbreviation(tz: Tz, at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono_tz::OffsetName;
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    match offset.abbreviation() {
        Some(abbr) if abbr.chars().any(char::is_alphabetic) => abbr.to_owned(),
        _ => {
            let secs = offset.fix().local_minus_utc();
            let sign = if secs < 0 { '-' } else { '+' };
            let secs = secs.abs();
            format!("UTC{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_the_right_way_round() {
        let at = "2026-04-07T09:00:00Z".parse().unwrap();
        assert_eq!(label(Tz::Europe__Paris, at), "Europe/Paris (CEST)");
        assert_eq!(label(fixed_offset(3600).unwrap(), at), "UTC+01:00");
        assert_eq!(label(fixed_offset(-5 * 3600).unwrap(), at), "UTC-05:00");
        assert_eq!(label(Tz::UTC, at), "UTC");
        assert_eq!(label(Tz::Etc__UTC, at), "UTC");
    }

    /// chrono-tz is vendored with its abbreviations named by index (vendor/chrono-tz/PATCHED.md):
    /// the right one comes back, in summer and winter, north and south, and none where the
    /// zone has only numbers.
    #[test]
    fn zone_abbreviations_come_back_from_the_patched_tables() {
        let winter = "2026-01-15T12:00:00Z".parse().unwrap();
        let summer = "2026-07-15T12:00:00Z".parse().unwrap();
        for (tz, in_winter, in_summer) in [
            (Tz::Europe__Paris, "CET", "CEST"),
            (Tz::America__New_York, "EST", "EDT"),
            (Tz::Australia__Sydney, "AEDT", "AEST"),
            (Tz::Asia__Kolkata, "IST", "IST"),
            (Tz::Europe__London, "GMT", "BST"),
            (Tz::UTC, "UTC", "UTC"),
            (Tz::America__Sao_Paulo, "UTC-03:00", "UTC-03:00"),
        ] {
            assert_eq!(abbreviation(tz, winter), in_winter, "{tz}");
            assert_eq!(abbreviation(tz, summer), in_summer, "{tz}");
        }
        // Before railway time: Paris's local mean time, a span of its own.
        let then = "1850-01-01T00:00:00Z".parse().unwrap();
        let lmt = Tz::Europe__Paris
            .offset_from_utc_datetime(&chrono::DateTime::<chrono::Utc>::naive_utc(&then));
        assert_eq!(format!("{lmt}"), "LMT");
    }

    #[test]
    fn resolves_iana_names_in_any_case_and_as_path_tails() {
        assert_eq!(
            resolve_tzid("Europe/Paris", None, 2026),
            Some(Tz::Europe__Paris)
        );
        assert_eq!(
            resolve_tzid("europe/paris", None, 2026),
            Some(Tz::Europe__Paris)
        );
        assert_eq!(
            resolve_tzid("/mozilla.org/20050126_1/Europe/London", None, 2026),
            Some(Tz::Europe__London)
        );
        assert_eq!(
            resolve_tzid("\"America/New_York\"", None, 2026),
            Some(Tz::America__New_York)
        );
    }

    #[test]
    fn coordinates_name_the_zone_most_of_them_lie_in() {
        // (latitude, longitude), as GEO gives them.
        let paris = (48.8566, 2.3522);
        let new_york = (40.7128, -74.0060);
        let tokyo = (35.6762, 139.6503);
        assert_eq!(by_coordinates([paris].into_iter()), Some(Tz::Europe__Paris));
        assert_eq!(
            by_coordinates([new_york, tokyo, new_york].into_iter()),
            Some(Tz::America__New_York)
        );
        assert_eq!(
            by_coordinates([(-33.8688, 151.2093)].into_iter()),
            Some(Tz::Australia__Sydney)
        );
        assert_eq!(
            by_coordinates([(91.0, 0.0), (0.0, 181.0)].into_iter()),
            None
        );
        assert_eq!(by_coordinates(std::iter::empty()), None);
    }

    #[test]
    fn resolves_windows_and_hyphenated_and_display_names() {
        assert_eq!(
            resolve_tzid("W. Europe Standard Time", None, 2020),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(
            resolve_tzid("Pacific Standard Time", None, 2020),
            Some(Tz::America__Los_Angeles)
        );
        assert_eq!(
            resolve_tzid("Europe-Brussels", None, 2012),
            Some(Tz::Europe__Brussels)
        );
        assert_eq!(
            resolve_tzid(
                "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris",
                None,
                2020
            ),
            Some(Tz::Europe__Brussels)
        );
        assert_eq!(
            resolve_tzid("GMT+0200", None, 2020),
            Some(Tz::Etc__GMTMinus2)
        );
    }

    #[test]
    fn resolves_custom_vtimezones_by_location_or_offsets() {
        let lic = VTimezone {
            tzid: "Custom".into(),
            location: Some("Asia/Tokyo".into()),
            ..VTimezone::default()
        };
        assert_eq!(
            resolve_tzid("Custom", Some(&lic), 2020),
            Some(Tz::Asia__Tokyo)
        );
        let us_eastern = VTimezone {
            tzid: "Eastern Custom".into(),
            location: None,
            standard: Some(-5 * 3600),
            daylight: Some((-4 * 3600, 4)),
        };
        assert_eq!(
            resolve_tzid("Eastern Custom", Some(&us_eastern), 2025),
            Some(Tz::America__New_York)
        );
        let aest = VTimezone {
            tzid: "My Sydney".into(),
            location: None,
            standard: Some(10 * 3600),
            daylight: Some((11 * 3600, 10)),
        };
        assert_eq!(
            resolve_tzid("My Sydney", Some(&aest), 2025),
            Some(Tz::Australia__Sydney)
        );
        assert_eq!(resolve_tzid("Nowhere Standard Time", None, 2025), None);
    }

    #[test]
    fn infers_the_zone_of_the_city_most_sessions_name() {
        let locations = [
            ("Master Stage, Paris, France", 30),
            (
                "Biblioteca Room at La Felicità, 5 Parv. Alan Turing, 75013 Paris, France",
                1,
            ),
            ("Somewhere, Berlin", 2),
            ("Room 1", 40),
        ];
        assert_eq!(
            infer_from_locations(locations.into_iter()),
            Some(Tz::Europe__Paris)
        );
        assert_eq!(infer_from_locations([("Room 1", 3)].into_iter()), None);
        assert_eq!(
            infer_from_locations([("75013 Paris", 1)].into_iter()),
            Some(Tz::Europe__Paris)
        );
    }

    #[test]
    fn zone_flag_accepts_iana_and_local_and_rejects_others() {
        assert_eq!(parse_zone_flag("Europe/Paris"), Ok(Tz::Europe__Paris));
        assert!(parse_zone_flag("local").is_ok());
        let err = parse_zone_flag("Mars/\x1b[2JOlympus")
            .unwrap_err()
            .to_string();
        assert!(err.contains("'Mars/[2JOlympus'"), "{err}");
    }
}
