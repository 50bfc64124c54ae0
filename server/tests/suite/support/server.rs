//! `broadsheet-server` as a process of its own (the debug binary cargo built for the tests),
//! on a database the test names: for what only processes show — two servers on one database,
//! a server killed outright, the database going away.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_broadsheet-server");

/// An HTTP client that returns every status as a response, and gives up after 5 s.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

/// A port nobody listens on, and one this test process has not handed out before: tests run
/// side by side, and a server only binds its port some milliseconds after it was chosen, so
/// the kernel may offer that port again in between.
pub fn free_port() -> u16 {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        if GIVEN.lock().expect("the port list").insert(port) {
            return port;
        }
    }
}

/// A running server, SIGKILLed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    port: u16,
    db: String,
    extra: Vec<String>,
}

impl Server {
    /// Starts a server on `db` with these extra arguments, and waits until it answers.
    pub fn start(db: &str, extra: &[&str]) -> Server {
        let port = free_port();
        let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        let mut server = Server {
            child: spawn(db, port, &extra),
            base: format!("http://127.0.0.1:{port}"),
            port,
            db: db.to_owned(),
            extra,
        };
        server.wait_until_ready();
        server
    }

    /// Waits until the port answers, while this server runs: one that has exited (its port
    /// taken, its database missing) fails the test here, not in what the test checks next.
    fn wait_until_ready(&mut self) {
        let agent = agent();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            assert!(self.running(), "the server on {} exited", self.base);
            if agent
                .get(format!("{}/api/sections", self.base))
                .call()
                .is_ok_and(|r| r.status() == 200)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server on {} did not come up", self.base);
    }

    /// Whether the process is still running (it has not exited or crashed).
    pub fn running(&mut self) -> bool {
        self.child.try_wait().is_ok_and(|status| status.is_none())
    }

    /// SIGKILL: no graceful anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server and starts it again on the same port.
    pub fn restart(&mut self) {
        self.kill();
        self.child = spawn(&self.db, self.port, &self.extra);
        self.wait_until_ready();
    }

    /// `GET path` as JSON, or the status when it is not a 200.
    pub fn get_json(&self, path: &str) -> Result<serde_json::Value, u16> {
        let mut r = agent()
            .get(format!("{}{path}", self.base))
            .call()
            .map_err(|_| 0u16)?;
        if r.status() != 200 {
            return Err(r.status().as_u16());
        }
        Ok(r.body_mut().read_json().expect("JSON"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn(db: &str, port: u16, extra: &[String]) -> Child {
    Command::new(BIN)
        .args(["--addr", &format!("127.0.0.1:{port}"), "--dist", "no-dist"])
        .args(["--db", db])
        .args(extra)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

/// Runs the binary with these arguments (a CLI command) and returns what it printed.
pub fn cli(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .output()
        .expect("the CLI runs")
}
