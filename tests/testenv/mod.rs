//! A small harness for integration tests: a temporary folder of articles and an index, and a
//! way to run the built `quoth` binary in it and compare its output, showing a diff on failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary working folder with an `articles/` folder and an index location.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

/// A running `quoth serve`, killed (and waited for) when dropped.
pub struct Serving {
    child: std::process::Child,
    pub addr: std::net::SocketAddr,
}

impl Serving {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// One request on a new connection: the status code and the body, or `None` when no
    /// answer came within `timeout`.
    pub fn get(&self, path: &str, timeout: std::time::Duration) -> Option<(u16, String)> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect_timeout(&self.addr, timeout).ok()?;
        s.set_read_timeout(Some(timeout)).ok()?;
        s.set_write_timeout(Some(timeout)).ok()?;
        write!(s, "GET {path} HTTP/1.1\r\nHost: quoth\r\nConnection: close\r\n\r\n").ok()?;
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).ok()?;
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.split(' ').nth(1)?.parse().ok()?;
        let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        Some((status, body))
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, printing both streams when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code {} (wanted {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// The stdout as JSON values, one per line.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("articles")).unwrap();
        TestEnv { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn articles(&self) -> PathBuf {
        self.root().join("articles")
    }

    /// Writes an article (path relative to `articles/`).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.articles().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Copies the repository's `samples/` into `articles/`.
    pub fn with_samples(self) -> TestEnv {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        for e in std::fs::read_dir(samples).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), self.articles().join(e.file_name())).unwrap();
        }
        self
    }

    /// A command for the binary, run in the temp folder with colours off.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_quoth"));
        c.args(args).current_dir(self.root()).env_remove("QUOTH_INDEX").env("NO_COLOR", "1");
        c
    }

    /// Runs the binary with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        Self::output(self.cmd(args).output().expect("run quoth"))
    }

    /// Starts `quoth serve` on a free loopback port (the command `setup` may change first),
    /// killed when the returned guard is dropped, even by a failing test's panic.
    pub fn serve(&self, setup: impl FnOnce(&mut Command)) -> Serving {
        use std::io::BufRead;
        let mut cmd = self.cmd(&["serve", "--addr", "127.0.0.1:0"]);
        cmd.stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null());
        setup(&mut cmd);
        let child = cmd.spawn().expect("start quoth serve");
        let mut serving = Serving { child, addr: ([127, 0, 0, 1], 0).into() };
        let mut line = String::new();
        let stderr = serving.child.stderr.take().expect("stderr");
        std::io::BufReader::new(stderr).read_line(&mut line).expect("read quoth serve's stderr");
        match line.trim().strip_prefix("quoth: listening on http://") {
            Some(addr) => serving.addr = addr.parse().unwrap_or_else(|e| panic!("{e}: {line}")),
            None => panic!("quoth serve did not start: {line}"),
        }
        serving
    }

    pub fn output(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Asserts two texts are equal, printing a line diff when they are not.
pub fn assert_text_eq(got: &str, want: &str) {
    if got == want {
        return;
    }
    let mut diff = String::new();
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    for i in 0..g.len().max(w.len()) {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => diff.push_str(&format!("  {a}\n")),
            (a, b) => {
                if let Some(a) = a {
                    diff.push_str(&format!("- {a}\n"));
                }
                if let Some(b) = b {
                    diff.push_str(&format!("+ {b}\n"));
                }
            }
        }
    }
    panic!("output differs (- wanted, + got):\n{diff}");
}
