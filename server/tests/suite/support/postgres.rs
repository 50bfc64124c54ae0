//! A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary folder, `postgres` on
//! a free port of 127.0.0.1 (as `nobody` when the tests run as root: Postgres refuses root),
//! fsync off (nothing here outlives the machine), and a fresh database per test, copied from a
//! migrated template (`CREATE DATABASE … TEMPLATE`, a few milliseconds).
//!
//! One cluster serves a whole test binary ([`shared`]); a test that stops and starts Postgres
//! makes its own ([`Cluster::start`]). However the binary ends — passing, panicking, killed — a
//! watchdog process stops the cluster and removes its folder: it waits on a pipe that only the
//! test process holds, and the pipe closes when that process is gone.
//!
//! Without Debian's `postgresql` package the tests fail, saying so (`scripts/setup.sh`
//! installs it); they never skip.

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

const NOBODY: u32 = 65_534;
const TEMPLATE: &str = "broadsheet_template";

/// Where `initdb`, `pg_ctl` and `postgres` are: the newest of Debian's
/// `/usr/lib/postgresql/*/bin`, else `pg_config --bindir`.
fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .map(|d| d.path().join("bin"))
                .filter(|b| b.join("initdb").is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(newest) = found.pop() {
        return newest;
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    match from_pg_config {
        Some(dir) if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() => dir,
        _ => panic!(
            "the PostgreSQL tests need PostgreSQL's server programs (initdb, pg_ctl, postgres), \
             found in neither /usr/lib/postgresql/*/bin nor `pg_config --bindir`: install \
             Debian's `postgresql` package (scripts/setup.sh does)"
        ),
    }
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A command run as the cluster's owner: `nobody` when the tests run as root.
fn as_owner(program: &Path) -> Command {
    if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid",
            &NOBODY.to_string(),
            "--regid",
            &NOBODY.to_string(),
            "--clear-groups",
            "--",
        ])
        .arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) {
    let out = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running PostgreSQL cluster of the tests' own.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
    /// Its stdin is the pipe the watchdog waits on.
    watchdog: Mutex<Option<Child>>,
}

impl Cluster {
    /// Initialises a cluster in a new temporary folder and starts it.
    pub fn start() -> Cluster {
        let bin = bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("broadsheet-pg-")
            .tempdir()
            .expect("temp dir")
            .keep();
        if running_as_root() {
            std::os::unix::fs::chown(&dir, Some(NOBODY), Some(NOBODY)).expect("chown");
        }
        let data = dir.join("data");
        let mut initdb = as_owner(&bin.join("initdb"));
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        run(initdb, "initdb");
        let port = super::server::free_port();
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .expect("postgresql.conf");
        writeln!(
            conf,
            "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n\
             max_connections = 300\nshared_buffers = 32MB\nlog_line_prefix = '%m [%p] %d '\n",
            dir.display()
        )
        .expect("write postgresql.conf");
        // The watchdog: when the pipe on its stdin closes (this process ended, however), it
        // stops the cluster at once and removes the folder. Its own process group, so a
        // Ctrl-C meant for the tests does not stop it before it has cleaned up.
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(
                "read _ignored; pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null); \
                 [ -n \"$pid\" ] && kill -QUIT \"$pid\"; sleep 1; rm -rf \"$1\"",
            )
            .arg("watchdog")
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("the cluster's watchdog starts");
        let cluster = Cluster {
            dir,
            bin,
            port,
            watchdog: Mutex::new(Some(watchdog)),
        };
        cluster.resume();
        cluster.sql("postgres", &format!("CREATE DATABASE {TEMPLATE}"));
        migrate(&cluster.url(TEMPLATE));
        cluster
    }

    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// A new database for one test: migrated (from the template), or empty (a server started
    /// on it migrates it and, as for a new SQLite file, imports the demo).
    pub fn database(&self, migrated: bool) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("test_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let template = if migrated { TEMPLATE } else { "template0" };
        self.sql(
            "postgres",
            &format!("CREATE DATABASE {name} TEMPLATE {template}"),
        );
        self.url(&name)
    }

    /// Runs `sql` in database `name` (from any thread, in a runtime of its own).
    pub fn sql(&self, name: &str, sql: &str) -> Vec<Vec<String>> {
        query(&self.url(name), sql)
    }

    /// What the cluster has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// Stops PostgreSQL (fast: sessions are ended, what was committed is kept).
    pub fn pause(&self) {
        let mut stop = as_owner(&self.bin.join("pg_ctl"));
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"]);
        run(stop, "pg_ctl stop");
    }

    /// Starts PostgreSQL (again), waiting until it takes connections.
    pub fn resume(&self) {
        let mut start = as_owner(&self.bin.join("pg_ctl"));
        start
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("log"))
            .args(["-w", "-t", "60", "start"]);
        run(start, "pg_ctl start");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Closing the pipe is the watchdog's signal.
        if let Some(mut watchdog) = self
            .watchdog
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            drop(watchdog.stdin.take());
            let _ = watchdog.wait();
        }
    }
}

/// The cluster this test binary shares, started on first use.
pub fn shared() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(Cluster::start)
}

/// Runs `f` on a runtime of its own on another thread: the harness is called from plain
/// tests and from inside tokio's.
fn on_own_runtime<T: Send + 'static>(
    f: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    })
    .join()
    .expect("the harness thread")
}

fn migrate(url: &str) {
    let url = url.to_owned();
    on_own_runtime(async move {
        broadsheet_server::store::postgres::PgStore::open(&url, Default::default())
            .await
            .expect("the template migrates");
    });
}

/// Runs `sql` (statements separated by `;`) at `url`; the rows it gave, as text.
pub fn query(url: &str, sql: &str) -> Vec<Vec<String>> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    on_own_runtime(async move { query_async(&url, &sql).await })
}

/// [`query`], from async code.
pub async fn query_async(url: &str, sql: &str) -> Vec<Vec<String>> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let driver = tokio::spawn(connection);
    let mut rows = Vec::new();
    for message in client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    {
        match message {
            tokio_postgres::SimpleQueryMessage::Row(row) => rows.push(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or("").to_owned())
                    .collect(),
            ),
            tokio_postgres::SimpleQueryMessage::CommandComplete(_) => {}
            _ => {}
        }
    }
    drop(client);
    let _ = driver.await;
    rows
}
