//! A thin Chrome DevTools Protocol (CDP) client for the browser tests: starts a
//! headless Chromium with `--remote-debugging-port=0`, connects to it over a
//! plain `ws://` WebSocket (the `tungstenite` crate, synchronous), opens one
//! tab and drives it with a handful of CDP commands.
//!
//! Why not the `headless_chrome` crate: it maps the whole protocol onto typed
//! Rust structs, and those break (fail to deserialise, or drop the connection)
//! when a newer Chromium adds a field, an enum value or an event, which
//! Chromium does all the time; the version a distribution ships is not the one
//! the crate was generated from. This client speaks the protocol as
//! `serde_json::Value`: it reads only the few fields it needs and ignores the
//! rest, so a newer Chromium does not break it, and it pulls in one small
//! dependency instead of a large tree.
//!
//! Every wait has a deadline ([`TIMEOUT`] unless told otherwise) and fails with
//! a message that says what it waited for; Chromium is killed (and its profile
//! removed) when the [`Browser`] is dropped, also when a test panics.

use std::io::{BufRead, BufReader, ErrorKind};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// Something the page reported that a test of a well-behaved page treats as a
/// failure: an uncaught exception, `console.error`/`console.warn`, or a
/// browser log entry of level error or warning.
#[derive(Debug, Clone)]
pub struct ConsoleProblem {
    /// Where it came from: "exception", "console.error", "log warning", ...
    pub kind: String,
    /// The message (with its source URL and line where Chromium gives them).
    pub text: String,
}

/// What a [`Browser::click`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Click {
    /// The element was there, enabled, and clicked with the mouse.
    Clicked,
    /// The element is a disabled control: a user cannot click it.
    Disabled,
    /// No element matches the selector.
    Missing,
}

/// A running headless Chromium with one tab attached.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Every event of our tab since the last [`Browser::navigate`], in order.
    events: Vec<Value>,
    /// Problems (console errors, exceptions, ...) since the last navigate.
    problems: Vec<ConsoleProblem>,
    /// Every URL the tab requested since the last navigate.
    requests: Vec<String>,
    /// The last lines Chromium wrote to stderr, for messages.
    stderr: Arc<Mutex<Vec<String>>>,
    /// The viewport set with [`Browser::viewport`], if any.
    viewport: Option<(u32, u32)>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("pid", &self.child.id())
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl Drop for Browser {
    /// Asks Chromium to close (so that it ends its helper processes itself),
    /// kills it if it has not exited within 3 s, and removes its profile.
    fn drop(&mut self) {
        self.next_id += 1;
        let close = json!({"id": self.next_id, "method": "Browser.close"});
        let _ = self.ws.send(Message::text(close.to_string()));
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Starts `binary` headless, connects to it and opens a blank tab.
    pub fn start(binary: &Path) -> Browser {
        // A profile of its own for each browser: Chromium locks the profile it uses.
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        let profile =
            std::env::temp_dir().join(format!("book-browser-cdp-{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));

        // Chromium prints "DevTools listening on ws://…" on stderr; keep reading
        // the rest (so that the pipe never fills up) into a short log.
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let pipe = child.stderr.take().expect("stderr is piped");
        let log = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Some(at) = line.find("ws://") {
                    let _ = tx.send(line[at..].trim().to_owned());
                }
                let mut log = log.lock().unwrap();
                if log.len() < 200 {
                    log.push(line);
                }
            }
        });
        let ws_url = match rx.recv_timeout(TIMEOUT) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{} did not print \"DevTools listening on ws://…\" within {} s; its stderr:\n{}",
                    binary.display(),
                    TIMEOUT.as_secs(),
                    stderr.lock().unwrap().join("\n")
                );
            }
        };

        let ws = connect(&ws_url).unwrap_or_else(|e| {
            let _ = child.kill();
            panic!("cannot connect to Chromium's DevTools at {ws_url}: {e}")
        });
        let mut browser = Browser {
            child,
            profile,
            ws,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            problems: Vec::new(),
            requests: Vec::new(),
            stderr,
            viewport: None,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].clone();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("Target.attachToTarget gave no sessionId: {attached}"))
            .to_owned();
        for domain in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            browser.command(domain, json!({}));
        }
        browser
    }

    /// Sends a command to the browser (no session), waits for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, false)
    }

    /// Sends a command to our tab and returns its `result`; fails the test on
    /// a protocol error or when no answer comes within [`TIMEOUT`].
    pub fn command(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, true)
    }

    fn send(&mut self, method: &str, params: Value, in_session: bool) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if in_session {
            message["sessionId"] = json!(self.session);
        }
        if let Err(e) = self.ws.send(Message::text(message.to_string())) {
            panic!(
                "cannot send {method} to Chromium: {e}{}",
                self.stderr_tail()
            );
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.receive(deadline) {
                Some(answer) if answer["id"] == json!(id) => {
                    if let Some(error) = answer.get("error") {
                        panic!("Chromium answered {method} with an error: {error}");
                    }
                    return answer["result"].clone();
                }
                Some(_) => {}
                None => panic!(
                    "Chromium did not answer {method} within {} s{}",
                    TIMEOUT.as_secs(),
                    self.stderr_tail()
                ),
            }
        }
    }

    /// Reads one message (handling events on the way), or `None` at the deadline.
    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            if Instant::now() >= deadline {
                return None;
            }
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    let value: Value = serde_json::from_str(text.as_str())
                        .unwrap_or_else(|e| panic!("Chromium sent invalid JSON ({e}): {text}"));
                    if value.get("method").is_some() {
                        self.record(&value);
                    }
                    return Some(value);
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("lost the connection to Chromium: {e}{}", self.stderr_tail()),
            }
        }
    }

    /// Handles every message already waiting, without blocking longer than `for_`.
    fn pump(&mut self, for_: Duration) {
        let deadline = Instant::now() + for_;
        while self.receive(deadline).is_some() {}
    }

    fn record(&mut self, event: &Value) {
        if event["sessionId"].as_str() != Some(self.session.as_str()) {
            return;
        }
        let params = &event["params"];
        match event["method"].as_str().unwrap_or("") {
            "Runtime.exceptionThrown" => {
                let d = &params["exceptionDetails"];
                let text = d["exception"]["description"]
                    .as_str()
                    .or(d["text"].as_str())
                    .unwrap_or("?");
                self.problems.push(ConsoleProblem {
                    kind: "uncaught exception".into(),
                    text: format!(
                        "{text} (at {}:{})",
                        d["url"].as_str().unwrap_or("?"),
                        d["lineNumber"]
                    ),
                });
            }
            "Runtime.consoleAPICalled" => {
                let kind = params["type"].as_str().unwrap_or("");
                if matches!(kind, "error" | "warning" | "assert") {
                    let text: Vec<String> = params["args"]
                        .as_array()
                        .map(|args| {
                            args.iter()
                                .map(|a| match (&a["value"], a["description"].as_str()) {
                                    (Value::String(s), _) => s.clone(),
                                    (Value::Null, Some(d)) => d.to_owned(),
                                    (v, _) => v.to_string(),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    self.problems.push(ConsoleProblem {
                        kind: format!("console.{kind}"),
                        text: text.join(" "),
                    });
                }
            }
            "Log.entryAdded" => {
                let entry = &params["entry"];
                let level = entry["level"].as_str().unwrap_or("");
                if matches!(level, "error" | "warning") {
                    self.problems.push(ConsoleProblem {
                        kind: format!(
                            "browser log {level} ({})",
                            entry["source"].as_str().unwrap_or("?")
                        ),
                        text: format!(
                            "{} {}",
                            entry["text"].as_str().unwrap_or("?"),
                            entry["url"].as_str().unwrap_or("")
                        ),
                    });
                }
            }
            "Network.requestWillBeSent" => {
                if let Some(url) = params["request"]["url"].as_str() {
                    self.requests.push(url.to_owned());
                }
            }
            _ => {}
        }
        self.events.push(event.clone());
    }

    fn stderr_tail(&self) -> String {
        let log = self.stderr.lock().unwrap();
        let tail: Vec<&String> = log.iter().rev().take(15).collect();
        if tail.is_empty() {
            return String::new();
        }
        let lines: Vec<&str> = tail.into_iter().rev().map(String::as_str).collect();
        format!("; Chromium's stderr ends with:\n{}", lines.join("\n"))
    }

    /// Opens `url` in the tab and waits for its `load` event. Clears the
    /// recorded events, problems and requests first.
    pub fn navigate(&mut self, url: &str) {
        self.pump(Duration::ZERO);
        self.events.clear();
        self.problems.clear();
        self.requests.clear();
        let answer = self.command("Page.navigate", json!({"url": url}));
        if let Some(error) = answer["errorText"].as_str() {
            panic!("cannot open {url}: {error}");
        }
        self.wait_for_event("Page.loadEventFired", &format!("{url} to load"));
    }

    fn wait_for_event(&mut self, method: &str, what: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.events.iter().any(|e| e["method"] == json!(method)) {
            if self.receive(deadline).is_none() {
                panic!(
                    "waited {} s for {what}, it did not happen (no {method} event)",
                    TIMEOUT.as_secs()
                );
            }
        }
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise) and
    /// returns its value as JSON (`null` for `undefined`). Fails the test if it throws.
    pub fn eval(&mut self, expression: &str) -> Value {
        let answer = self.command(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(details) = answer.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or(details["text"].as_str())
                .unwrap_or("?");
            panic!("the page threw while evaluating `{expression}`: {text}");
        }
        answer["result"]["value"].clone()
    }

    /// Evaluates `expression` until it is truthy; fails after `timeout`
    /// saying `what` it waited for and the last value.
    pub fn wait_until(&mut self, expression: &str, timeout: Duration, what: &str) -> Value {
        let deadline = Instant::now() + timeout;
        // A DOM node cannot be returned by value: it counts as `true`.
        let probe = format!(
            "(async () => {{ const v = await ({expression}); return (v && v.nodeType) ? true : v; }})()"
        );
        loop {
            let value = self.eval(&probe);
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            if Instant::now() >= deadline {
                panic!(
                    "waited {} s for {what} (`{expression}`), it did not happen: the last value was {value}",
                    timeout.as_secs_f32()
                );
            }
            self.pump(Duration::from_millis(10));
        }
    }

    /// Clicks the first element matching `selector` with the mouse, at its
    /// centre (scrolled into view first), as a user would; a disabled control
    /// is not clicked ([`Click::Disabled`]).
    pub fn click(&mut self, selector: &str) -> Click {
        let sel = json!(selector);
        // Where the element's centre is, once nothing covers it there. Pages
        // move while they settle (mdBook's sidebar slides away on a narrow
        // window, a quiz grows when it starts), so this asks again until the
        // element is on top or TIMEOUT passes; it never clicks blind.
        let probe = format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return 'missing';
               if (e.disabled) return 'disabled';
               e.scrollIntoView({{block: 'center', inline: 'center', behavior: 'instant'}});
               const r = e.getBoundingClientRect();
               const x = r.left + r.width / 2, y = r.top + r.height / 2;
               const top = document.elementFromPoint(x, y);
               const label = top && top.closest('label');
               const onTop = !!top && (top === e || e.contains(top) || (!!label && label.contains(e)));
               const what = top ? top.tagName.toLowerCase() + (top.id ? '#' + top.id : '')
                   + (top.className && typeof top.className === 'string' ? '.' + top.className.trim().split(/\\s+/).join('.') : '') : 'nothing';
               return [x, y, onTop, what]; }})()"
        );
        let deadline = Instant::now() + TIMEOUT;
        let (x, y) = loop {
            let at = self.eval(&probe);
            match &at {
                Value::String(s) if s == "missing" => return Click::Missing,
                Value::String(s) if s == "disabled" => return Click::Disabled,
                Value::Array(v) if v.len() == 4 => {
                    let (x, y) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
                    if v[2] == json!(true) {
                        break (x, y);
                    }
                    assert!(
                        Instant::now() < deadline,
                        "cannot click {selector}: for {} s something else ({}) stayed on top of its centre ({x}, {y})",
                        TIMEOUT.as_secs(),
                        v[3]
                    );
                }
                other => panic!("cannot find where to click {selector}: {other}"),
            }
            self.pump(Duration::from_millis(50));
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.command(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}),
            );
        }
        Click::Clicked
    }

    /// Presses and releases one key on whatever has the focus: a single
    /// character ("s", "1", "u") or a named key ("Enter", "Backspace", "Escape").
    pub fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Enter" => ("Enter".to_owned(), 13, Some("\r".to_owned())),
            "Backspace" => ("Backspace".to_owned(), 8, None),
            "Escape" => ("Escape".to_owned(), 27, None),
            "Tab" => ("Tab".to_owned(), 9, None),
            _ => {
                let c = key.chars().next().expect("press: empty key");
                assert_eq!(key.chars().count(), 1, "press: unknown key {key:?}");
                let upper = c.to_ascii_uppercase();
                let code = if c.is_ascii_digit() {
                    format!("Digit{c}")
                } else if c.is_ascii_alphabetic() {
                    format!("Key{upper}")
                } else {
                    String::new()
                };
                (code, upper as u32, Some(key.to_owned()))
            }
        };
        let mut down = json!({"type": "keyDown", "key": key, "code": code,
            "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk});
        if let Some(text) = text {
            down["text"] = json!(text);
            down["unmodifiedText"] = json!(text);
        }
        self.command("Input.dispatchKeyEvent", down);
        self.command(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": code,
                "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}),
        );
    }

    /// Types `text` one key at a time.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(&c.to_string());
        }
    }

    /// Sets the viewport (CSS pixels).
    pub fn viewport(&mut self, width: u32, height: u32) {
        self.viewport = Some((width, height));
        self.set_metrics(width, height);
    }

    fn set_metrics(&mut self, width: u32, height: u32) {
        self.command(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
    }

    /// Saves a PNG of the viewport (or of the whole first element matching
    /// `clip`) to `path`.
    pub fn screenshot(&mut self, path: &Path, clip: Option<&str>) {
        let mut params = json!({"format": "png"});
        if let Some(selector) = clip {
            // Make the viewport tall enough to hold the element, measure it
            // there, and capture that part of the viewport: capturing "beyond
            // the viewport" instead relays out the page and misplaces the clip.
            let sel = json!(selector);
            let measure = format!(
                "(() => {{ const e = document.querySelector({sel}); if (!e) return null;
                   const r = e.getBoundingClientRect();
                   return {{x: r.left + window.scrollX, y: r.top + window.scrollY,
                            width: Math.max(1, r.width), height: Math.max(1, r.height), scale: 1,
                            innerWidth: window.innerWidth, innerHeight: window.innerHeight}}; }})()"
            );
            let before = self.eval(&measure);
            assert!(
                !before.is_null(),
                "cannot take a screenshot of {selector}: no such element on the page"
            );
            let width = before["innerWidth"].as_f64().unwrap_or(800.0) as u32;
            let bottom =
                before["y"].as_f64().unwrap_or(0.0) + before["height"].as_f64().unwrap_or(0.0);
            let height = (bottom.ceil() as u32 + 16)
                .max(before["innerHeight"].as_u64().unwrap_or(600) as u32);
            self.set_metrics(width, height.min(16_000));
            let rect = self.eval(&format!(
                "(() => {{ window.scrollTo(0, 0); return {measure}; }})()"
            ));
            params["clip"] = json!({"x": rect["x"], "y": rect["y"], "width": rect["width"],
                                    "height": rect["height"], "scale": 1});
        }
        let shot = self.command("Page.captureScreenshot", params);
        let png = data_encoding::BASE64
            .decode(shot["data"].as_str().unwrap_or("").as_bytes())
            .unwrap_or_else(|e| panic!("Page.captureScreenshot sent data that is not base64: {e}"));
        assert!(
            png.starts_with(b"\x89PNG"),
            "Page.captureScreenshot did not return a PNG for {}",
            path.display()
        );
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        if clip.is_some() {
            match self.viewport {
                Some((width, height)) => self.set_metrics(width, height),
                None => {
                    self.command("Emulation.clearDeviceMetricsOverride", json!({}));
                }
            }
        }
    }

    /// The console errors, warnings and exceptions since the last navigate,
    /// after giving the page `settle` to finish what its scripts started.
    pub fn problems(&mut self, settle: Duration) -> Vec<ConsoleProblem> {
        self.pump(settle);
        self.problems.clone()
    }

    /// Every URL the page requested since the last navigate.
    pub fn requests(&mut self) -> Vec<String> {
        self.pump(Duration::ZERO);
        self.requests.clone()
    }
}

/// Opens the WebSocket with a short read timeout, so that reads can give up
/// at a deadline instead of blocking for ever.
fn connect(ws_url: &str) -> Result<WebSocket<TcpStream>, String> {
    let host = ws_url
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .ok_or_else(|| format!("not a ws:// URL: {ws_url}"))?;
    let stream = TcpStream::connect(host).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    // The handshake itself may see the read timeout: retry it until it completes.
    let deadline = Instant::now() + TIMEOUT;
    let mut attempt = tungstenite::client::client(ws_url, stream);
    loop {
        match attempt {
            Ok((ws, _)) => return Ok(ws),
            Err(tungstenite::HandshakeError::Interrupted(mid)) => {
                if Instant::now() >= deadline {
                    return Err("the WebSocket handshake did not complete".into());
                }
                attempt = mid.handshake();
            }
            Err(tungstenite::HandshakeError::Failure(e)) => return Err(e.to_string()),
        }
    }
}
