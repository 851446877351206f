//! A real Radicale CardDAV/CalDAV server for the sync tests (never a mock).
//!
//! Include it with `#[path = "support/radicale.rs"] mod radicale;` (from a
//! file in tests/) or `#[path = "../tests/support/radicale.rs"]` (examples).
//!
//! The first use builds a Python virtual environment at
//! `target/sync-venv` (under a file lock, so parallel test binaries never
//! race) with pinned Radicale, vdirsyncer, khard, icalendar and vobject from
//! PyPI. When it cannot be built the caller panics with pip's output: the
//! sync tests are never skipped silently.
//!
//! `Radicale::start()` runs a server on 127.0.0.1 at a free port with a
//! private storage folder, htpasswd (plain) authentication for
//! `alice`/`secret`, and one address book (`/alice/contacts/`) and one
//! calendar (`/alice/calendar/`, VEVENT and VTODO) already created. Its log
//! goes to a file ([`Radicale::log`]). Dropping it kills the server.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The PyPI packages of the venv, pinned to versions that install here.
pub const PACKAGES: &[&str] = &[
    "radicale==3.9.0",
    "vdirsyncer==0.21.0",
    "khard==0.22.0",
    "icalendar==7.3.2",
    "vobject==0.9.9",
];

/// The user every test server knows.
pub const USER: &str = "alice";
/// Alice's password.
pub const PASSWORD: &str = "secret";
/// The address book's path on the server.
pub const ADDRESSBOOK: &str = "/alice/contacts/";
/// The calendar's path on the server.
pub const CALENDAR: &str = "/alice/calendar/";

/// The target folder the tests were built into (shared by all parts).
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = option_env!("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

/// The venv folder (`KITH_SYNC_VENV` overrides `target/sync-venv`).
pub fn venv_dir() -> PathBuf {
    std::env::var_os("KITH_SYNC_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("sync-venv"))
}

/// A program of the venv (`radicale`, `vdirsyncer`, `khard`, `python`),
/// building the venv first when it is not ready.
pub fn venv_bin(name: &str) -> PathBuf {
    ensure_venv().join("bin").join(name)
}

/// Builds the venv once (under `target/sync-venv.lock`) and returns its
/// folder. Panics with pip's output when it cannot be built.
pub fn ensure_venv() -> PathBuf {
    let venv = venv_dir();
    let marker = venv.join(".kith-ready");
    let wanted = PACKAGES.join("\n");
    if fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return venv;
    }
    if let Some(parent) = venv.parent() {
        fs::create_dir_all(parent).expect("create the target folder");
    }
    let lock_path = venv.with_extension("lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("open {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("lock {}: {e}", lock_path.display()));
    // Another binary may have built it while we waited for the lock.
    if fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return venv;
    }
    if venv.exists() {
        fs::remove_dir_all(&venv).unwrap_or_else(|e| panic!("remove {}: {e}", venv.display()));
    }
    let python = std::env::var("KITH_PYTHON").unwrap_or_else(|_| "python3".into());
    run_or_panic(
        Command::new(&python).arg("-m").arg("venv").arg(&venv),
        "python3 -m venv (on Debian: apt-get install python3-venv)",
    );
    let pip = venv.join("bin").join("pip");
    run_or_panic(
        Command::new(&pip)
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PACKAGES),
        "pip install of the sync test tools",
    );
    fs::write(&marker, wanted).expect("write the venv marker");
    drop(lock);
    venv
}

fn run_or_panic(command: &mut Command, what: &str) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {command:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// One HTTP answer of [`Radicale::request`].
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running Radicale server with its own storage.
pub struct Radicale {
    dir: tempfile::TempDir,
    port: u16,
    child: Mutex<Option<Child>>,
}

impl Radicale {
    /// Starts a server on a free port with a fresh storage holding alice's
    /// address book and calendar, and waits until it answers.
    pub fn start() -> Radicale {
        ensure_venv();
        let dir = tempfile::Builder::new()
            .prefix("kith-radicale-")
            .tempdir()
            .expect("temp folder for Radicale");
        fs::write(
            dir.path().join("users"),
            format!("{USER}:{PASSWORD}\nbob:hunter2\n"),
        )
        .expect("write htpasswd");
        let root = dir.path().join("collections").join("collection-root");
        write_props(
            &root.join(USER).join("contacts"),
            r#"{"tag": "VADDRESSBOOK", "D:displayname": "Contacts"}"#,
        );
        write_props(
            &root.join(USER).join("calendar"),
            r#"{"tag": "VCALENDAR", "D:displayname": "Calendar", "C:supported-calendar-component-set": "VEVENT,VTODO"}"#,
        );
        let mut last = String::new();
        let mut dir = dir;
        for _ in 0..5 {
            let port = free_port();
            let server = Radicale {
                dir,
                port,
                child: Mutex::new(None),
            };
            match server.spawn() {
                Ok(()) => return server,
                Err(e) => {
                    last = e;
                    dir = server.into_dir();
                }
            }
        }
        panic!("Radicale did not start: {last}");
    }

    fn into_dir(mut self) -> tempfile::TempDir {
        self.kill();
        let placeholder = tempfile::tempdir().expect("temp folder");
        let dir = std::mem::replace(&mut self.dir, placeholder);
        drop(self);
        dir
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn write_config(&self) {
        let dir = self.dir.path();
        let config = format!(
            "[server]\nhosts = 127.0.0.1:{port}\nmax_connections = 20\ntimeout = 30\n\
             [auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\ndelay = 0\n\
             [rights]\ntype = owner_only\n\
             [storage]\nfilesystem_folder = {storage}\n\
             [web]\ntype = none\n\
             [logging]\nlevel = info\nmask_passwords = True\n",
            port = self.port,
            users = dir.join("users").display(),
            storage = dir.join("collections").display(),
        );
        fs::write(self.config_path(), config).expect("write Radicale config");
    }

    fn spawn(&self) -> Result<(), String> {
        self.write_config();
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(|e| e.to_string())?;
        let child = Command::new(venv_dir().join("bin").join("python"))
            .arg("-m")
            .arg("radicale")
            .arg("--config")
            .arg(self.config_path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("spawn radicale: {e}"))?;
        *self.child.lock().unwrap() = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self
                .child
                .lock()
                .unwrap()
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                *self.child.lock().unwrap() = None;
                return Err(format!("Radicale exited ({status}):\n{}", self.log()));
            }
            if let Ok(r) = self.try_request("OPTIONS", "/", &[], "")
                && r.status < 500
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(format!("Radicale did not answer in 30 s:\n{}", self.log()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's base URL (`http://127.0.0.1:<port>/`), for discovery.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The user name (`alice`).
    pub fn user(&self) -> &'static str {
        USER
    }

    /// Alice's password (`secret`).
    pub fn password(&self) -> &'static str {
        PASSWORD
    }

    /// The address book's full URL.
    pub fn addressbook_url(&self) -> String {
        format!("http://127.0.0.1:{}{ADDRESSBOOK}", self.port)
    }

    /// The calendar's full URL.
    pub fn calendar_url(&self) -> String {
        format!("http://127.0.0.1:{}{CALENDAR}", self.port)
    }

    /// The storage folder (`collections/collection-root/...`).
    pub fn storage(&self) -> PathBuf {
        self.dir.path().join("collections")
    }

    /// The folder of a collection in the storage (`/alice/contacts/`).
    pub fn collection_dir(&self, path: &str) -> PathBuf {
        let mut dir = self.storage().join("collection-root");
        for part in path.split('/').filter(|p| !p.is_empty()) {
            dir.push(part);
        }
        dir
    }

    /// The items of a collection as stored (file name, text), sorted by name.
    pub fn items(&self, path: &str) -> Vec<(String, String)> {
        let mut items: Vec<(String, String)> = fs::read_dir(self.collection_dir(path))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        if name.starts_with(".Radicale") {
                            return None;
                        }
                        let text = fs::read_to_string(e.path()).ok()?;
                        Some((name, text))
                    })
                    .collect()
            })
            .unwrap_or_default();
        items.sort();
        items
    }

    /// The address book's cards as stored (file name, text).
    pub fn cards(&self) -> Vec<(String, String)> {
        self.items(ADDRESSBOOK)
    }

    /// The calendar's objects as stored (file name, text).
    pub fn calendar_items(&self) -> Vec<(String, String)> {
        self.items(CALENDAR)
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("radicale.log")
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Kills the server (SIGKILL) and waits for it; a no-op when stopped.
    pub fn kill(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether the server process is running.
    pub fn running(&self) -> bool {
        self.child
            .lock()
            .unwrap()
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Starts the server again on the same port with the same storage (after
    /// [`kill`](Self::kill); kills it first if it still runs).
    pub fn restart(&self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.spawn() {
                Ok(()) => return,
                Err(e) if Instant::now() > deadline => panic!("Radicale did not restart: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// A raw HTTP/1.1 request as alice (`path` from the root, e.g.
    /// `/alice/contacts/x.vcf`); panics when the server cannot be reached.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log()))
    }

    /// [`request`](Self::request) that reports a connection failure.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<Response, String> {
        raw_request(self.port, USER, PASSWORD, method, path, headers, body)
    }

    /// PUTs a vCard "from the phone" into the address book as `name`
    /// (`None` etag: create or overwrite without a precondition). Returns the
    /// status and the new ETag.
    pub fn put_card(&self, name: &str, card: &str, etag: Option<&str>) -> (u16, Option<String>) {
        self.put_item(ADDRESSBOOK, name, card, "text/vcard; charset=utf-8", etag)
    }

    /// PUTs an iCalendar object into the calendar as `name`.
    pub fn put_event(&self, name: &str, ics: &str, etag: Option<&str>) -> (u16, Option<String>) {
        self.put_item(CALENDAR, name, ics, "text/calendar; charset=utf-8", etag)
    }

    fn put_item(
        &self,
        collection: &str,
        name: &str,
        text: &str,
        content_type: &str,
        etag: Option<&str>,
    ) -> (u16, Option<String>) {
        let path = format!("{collection}{name}");
        let mut headers = vec![("Content-Type", content_type)];
        if let Some(etag) = etag {
            headers.push(("If-Match", etag));
        }
        let r = self.request("PUT", &path, &headers, text);
        let etag = r.header("etag").map(str::to_owned);
        (r.status, etag)
    }

    /// GETs an item by its path; `None` when it does not exist.
    pub fn get(&self, path: &str) -> Option<String> {
        let r = self.request("GET", path, &[], "");
        (r.status == 200).then_some(r.body)
    }

    /// DELETEs an item by its path (no precondition); returns the status.
    pub fn delete(&self, path: &str) -> u16 {
        self.request("DELETE", path, &[], "").status
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        self.kill();
    }
}

fn write_props(dir: &Path, props: &str) {
    fs::create_dir_all(dir).expect("create a Radicale collection");
    fs::write(dir.join(".Radicale.props"), props).expect("write .Radicale.props");
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// One HTTP/1.1 request with Basic authentication and `Connection: close`.
pub fn raw_request(
    port: u16,
    user: &str,
    password: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Response, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {auth}\r\n\
         Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers in the answer")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("bad chunk size: {e}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("short chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or_default();
    }
}

/// Writes `text` to a new file `name` in `dir` and returns its path (for
/// configs of vdirsyncer/khard).
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    let mut f = File::create(&path).expect("create a file");
    f.write_all(text.as_bytes()).expect("write a file");
    path
}
