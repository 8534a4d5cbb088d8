//! A calendar server on 127.0.0.1 that the test starts itself: serves one body with an ETag,
//! answers If-None-Match with 304, and records what it was asked.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// What the server serves and what it saw.
#[derive(Default)]
pub struct State {
    pub body: Vec<u8>,
    pub etag: String,
    pub status: u16,
    /// The If-None-Match header of each request, if any.
    pub requests: Vec<Option<String>>,
    /// Take requests and never answer them (a stalled server).
    pub stall: bool,
    /// The Accept header of each request, if any.
    pub accepts: Vec<Option<String>>,
}

pub struct Server {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    http: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(body: &str) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            body: body.as_bytes().to_vec(),
            etag: "\"v1\"".into(),
            status: 200,
            requests: Vec::new(),
            stall: false,
            accepts: Vec::new(),
        }));
        let (s, st) = (Arc::clone(&server), Arc::clone(&state));
        let thread = std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let inm = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("If-None-Match"))
                    .map(|h| h.value.as_str().to_owned());
                let accept = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Accept"))
                    .map(|h| h.value.as_str().to_owned());
                let mut state = st.lock().unwrap();
                state.requests.push(inm.clone());
                state.accepts.push(accept);
                if state.stall {
                    drop(state);
                    // Hold the connection open, answering nothing, until the test ends.
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                    continue;
                }
                let etag = tiny_http::Header::from_bytes("ETag", state.etag.as_bytes()).unwrap();
                let response = if inm.as_deref() == Some(state.etag.as_str()) && state.status == 200
                {
                    tiny_http::Response::from_data(Vec::new())
                        .with_status_code(304)
                        .with_header(etag)
                } else {
                    tiny_http::Response::from_data(state.body.clone())
                        .with_status_code(state.status)
                        .with_header(etag)
                };
                drop(state);
                let _ = request.respond(response);
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}/all.ics"),
            state,
            http: server,
            thread: Some(thread),
        }
    }

    /// Serves a new version.
    pub fn publish(&self, body: &str, etag: &str) {
        let mut state = self.state.lock().unwrap();
        state.body = body.as_bytes().to_vec();
        etag.clone_into(&mut state.etag);
    }

    /// Stops: the port refuses connections from now on.
    pub fn stop(mut self) {
        self.http.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.http.unblock();
    }
}

/// A small conference, version 1.
pub const V1: &str = "BEGIN:VCALENDAR
X-WR-CALNAME:livecon
X-WR-TIMEZONE:UTC
BEGIN:VEVENT
UID:keynote
SUMMARY:Opening Keynote - Ada Lovelace, Analytical Engines
DTSTART:20260407T070000Z
DTEND:20260407T073000Z
LOCATION:Main Hall, Paris, France
END:VEVENT
BEGIN:VEVENT
UID:move-me
SUMMARY:Moving Talk - Bob Brown, ACME
DTSTART:20260407T090000Z
DTEND:20260407T093000Z
LOCATION:Room A, Paris, France
END:VEVENT
BEGIN:VEVENT
UID:cancel-me
SUMMARY:Doomed Talk - Cy Cole, ACME
DTSTART:20260407T100000Z
DTEND:20260407T103000Z
LOCATION:Room B, Paris, France
END:VEVENT
BEGIN:VEVENT
UID:old-uid
SUMMARY:Republished Talk - Di Dee, ACME
DTSTART:20260407T110000Z
DTEND:20260407T113000Z
LOCATION:Room A, Paris, France
END:VEVENT
BEGIN:VEVENT
UID:stay
SUMMARY:Steady Talk - Ed Eno, ACME
DTSTART:20260407T120000Z
DTEND:20260407T123000Z
LOCATION:Room B, Paris, France
END:VEVENT
END:VCALENDAR
";

/// V1 with "Moving Talk" moved onto "Steady Talk" in another room, "Doomed Talk" cancelled
/// and "Republished Talk" under a new UID.
pub fn v2() -> String {
    V1.replace(
        "DTSTART:20260407T090000Z\nDTEND:20260407T093000Z\nLOCATION:Room A",
        "DTSTART:20260407T121500Z\nDTEND:20260407T124500Z\nLOCATION:Room C",
    )
    .replace(
        "SUMMARY:Doomed Talk - Cy Cole, ACME",
        "SUMMARY:Doomed Talk - Cy Cole, ACME\nSTATUS:CANCELLED",
    )
    .replace("UID:old-uid", "UID:new-uid")
}

/// [`V1`] as the schedule.json a pretalx instance would export for it: the same titles,
/// speakers, rooms and times, guids for UIDs.
pub fn v1_json() -> String {
    let event = |guid: &str, title: &str, person: &str, start: &str, room: &str| {
        format!(
            r#"{{"guid": "{guid}", "id": 1, "date": "2026-04-07T{start}:00+00:00", "start": "{start}", "duration": "00:30", "room": "{room}", "title": "{title}", "persons": [{{"public_name": "{person}"}}]}}"#
        )
    };
    let room = |name: &str, events: &[String]| format!(r#""{name}": [{}]"#, events.join(", "));
    format!(
        r#"{{"schedule": {{"conference": {{"title": "livecon", "time_zone_name": "UTC", "days": [{{"index": 1, "date": "2026-04-07", "rooms": {{{}, {}, {}}}}}]}}}}}}"#,
        room(
            "Main Hall",
            &[event(
                "g-keynote",
                "Opening Keynote",
                "Ada Lovelace, Analytical Engines",
                "07:00",
                "Main Hall"
            )]
        ),
        room(
            "Room A",
            &[
                event(
                    "g-move",
                    "Moving Talk",
                    "Bob Brown, ACME",
                    "09:00",
                    "Room A"
                ),
                event(
                    "g-repub",
                    "Republished Talk",
                    "Di Dee, ACME",
                    "11:00",
                    "Room A"
                ),
            ]
        ),
        room(
            "Room B",
            &[
                event(
                    "g-cancel",
                    "Doomed Talk",
                    "Cy Cole, ACME",
                    "10:00",
                    "Room B"
                ),
                event("g-stay", "Steady Talk", "Ed Eno, ACME", "12:00", "Room B"),
            ]
        ),
    )
}

/// A server on 127.0.0.1 that answers every request with the same raw bytes (status line,
/// headers and body as given, however malformed), for hostile answers `tiny_http` would not
/// send. It serves at most `max_requests` and stops by itself after 20 seconds.
pub struct RawServer {
    pub url: String,
    thread: Option<JoinHandle<()>>,
}

impl RawServer {
    pub fn start(response: Vec<u8>, max_requests: usize) -> Self {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let thread = std::thread::spawn(move || {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            let mut served = 0;
            while served < max_requests && std::time::Instant::now() < deadline {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                served += 1;
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = stream.write_all(&response);
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}/all.ics"),
            thread: Some(thread),
        }
    }

    /// Waits for the server to stop (after its last request, or its 20 seconds).
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
