//! Hostile input, end to end: every way a user, a file or a disk was found to make quoth panic,
//! blow up, answer wrongly or hang (issue #19), each run against the built binary. The server's
//! share is in `src/server/tests.rs` (router level) and at the end of this file (a real socket).

mod testenv;

use testenv::{Run, TestEnv};

/// An archive of a few dated articles, indexed.
fn archive() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "tariffs.txt",
        "date 2023-05-01\n\n“Tariffs are a tax on our own farmers,” said Adaeze Okafor.\n\n“The steel tariffs stay until the talks end,” Okafor added.\n",
    );
    env.write(
        "harbour.txt",
        "date 2024-02-10\n\n“The harbour wall will hold,” said Mayor Tomás Sánchez.\n",
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    env
}

/// Asserts that a run ended by itself, without a panic.
fn no_panic(name: &str, run: &Run) {
    assert_ne!(run.code, 101, "{name}: panicked\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{name}: panicked\n{}", run.stderr);
}

#[test]
fn date_filters_at_the_last_year_never_panic() {
    let env = archive();
    // (name, arguments, exit code, stdout)
    let cases: &[(&str, &[&str], i32, &str)] = &[
        ("count until the last year", &["query", "--until", "9999", "--count"], 0, "3\n"),
        (
            "count since the last year (negative)",
            &["query", "--since", "9999", "--count"],
            1,
            "0\n",
        ),
        ("count on the last day (negative)", &["query", "--on", "9999-12-31", "--count"], 1, "0\n"),
        ("query until the last year", &["query", "--until", "9999", "--count"], 0, "3\n"),
        ("export until the last year", &["export", "--until", "9999"], 0, ""),
        ("speakers until the last year", &["speakers", "--until", "9999", "--json"], 0, ""),
        ("query since the first year", &["query", "--since", "0000", "--count"], 0, "3\n"),
        (
            "check until the last year",
            &["check", "Tariffs are a tax on our own farmers", "--until", "9999"],
            0,
            "",
        ),
        (
            "check since the last year (negative)",
            &["check", "Tariffs are a tax on our own farmers", "--since", "9999"],
            1,
            "not-found: no quotation in the index shares enough words with the claim\n",
        ),
    ];
    for (name, args, code, stdout) in cases {
        let run = env.run(args);
        no_panic(name, &run);
        assert_eq!(run.code, *code, "{name}: {}", run.stderr);
        if !stdout.is_empty() {
            assert_eq!(run.stdout, *stdout, "{name}");
        }
    }
}

#[test]
fn huge_limits_and_offsets_never_panic() {
    let env = archive();
    let huge = usize::MAX.to_string();
    // (name, arguments, exit code, quotations printed)
    let cases: &[(&str, &[&str], i32, usize)] = &[
        ("huge limit", &["query", "tariff", "--limit", &huge, "--json"], 0, 2),
        ("huge offset (negative)", &["query", "tariff", "--offset", &huge, "--json"], 1, 0),
        (
            "huge limit and offset (negative)",
            &["query", "--limit", &huge, "--offset", &huge, "--json"],
            1,
            0,
        ),
        ("huge limit by date", &["query", "--sort", "oldest", "--limit", &huge, "--json"], 0, 3),
        (
            "huge limit, every occurrence",
            &["query", "--all-occurrences", "--limit", &huge, "--json"],
            0,
            3,
        ),
    ];
    for (name, args, code, n) in cases {
        let run = env.run(args);
        no_panic(name, &run);
        assert_eq!(run.code, *code, "{name}: {}", run.stderr);
        assert_eq!(run.stdout.lines().count(), *n, "{name}");
    }
}

#[test]
fn dates_beyond_tantivys_years_are_kept_exactly() {
    let env = TestEnv::new();
    // (file, contents): the years news archives and typos reach, in every dated format.
    let files: &[(&str, &str)] = &[
        ("early.txt", "date 1500-06-01\n\n“We sailed at dawn,” said Captain Ilse Varnham.\n"),
        ("edge.txt", "date 1677-09-20\n\n“We sailed at noon,” said Captain Ilse Varnham.\n"),
        ("late.json", r#"{"date": "2300-01-01", "text": "“We sailed at dusk,” said Captain Ilse Varnham."}"#),
        ("last.md", "---\ndate: 9999-12-31\n---\n\n“We sailed at night,” said Captain Ilse Varnham.\n"),
        ("seconds.jsonl", "{\"date\": -15000000000, \"text\": \"“We sailed in the rain,” said Captain Ilse Varnham.\"}\n"),
        ("today.txt", "date 2023-05-01\n\n“We sailed at all,” said Captain Ilse Varnham.\n"),
    ];
    for (name, text) in files {
        env.write(name, text);
    }
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let dates = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["query", "sailed", "--sort", "oldest", "--json"];
        all.extend_from_slice(args);
        let run = env.run(&all);
        no_panic(&format!("{args:?}"), &run);
        run.json_lines().iter().map(|v| v["date"].as_str().unwrap_or("null").to_string()).collect()
    };
    // (name, filters, dates found)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "every date as written",
            &[],
            &["1500-06-01", "1677-09-20", "1494-09-01", "2023-05-01", "2300-01-01", "9999-12-31"],
        ),
        (
            "until tantivy's last year",
            &["--until", "2262"],
            &["1500-06-01", "1677-09-20", "1494-09-01", "2023-05-01"],
        ),
        ("since after tantivy's last year", &["--since", "2300"], &["2300-01-01", "9999-12-31"]),
        ("until before tantivy's first year", &["--until", "1600"], &["1500-06-01", "1494-09-01"]),
        ("on the last day", &["--on", "9999-12-31"], &["9999-12-31"]),
        ("on a year of none (negative)", &["--on", "1800"], &[]),
    ];
    for (name, args, want) in cases {
        let mut got = dates(args);
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}");
    }
    let stats = env.run(&["stats", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(
        (v["first_date"].as_str(), v["last_date"].as_str()),
        (Some("1494-09-01"), Some("9999-12-31"))
    );
}

#[test]
fn an_index_of_another_format_says_so_and_rebuilds() {
    let env = archive();
    // An index made before the format was written down has no format file.
    std::fs::remove_file(env.root().join("index/quoth-format")).unwrap();
    let run = env.run(&["query", "tariff"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "quoth: ./index was made by another version of quoth (index format 1, this one reads format 3): rebuild it with 'quoth index --rebuild'\n"
    );
    env.run(&["index", "--rebuild", "--quiet"]).expect_code(0);
    assert_eq!(env.run(&["query", "tariff", "--count"]).stdout, "2\n");
}

/// Quotations of one mayor, each holding a word that some prefix search must find or not.
const WORDS: &[&str] = &[
    "The steel tariffs stay for now,",
    "A tariff is a tax on us all,",
    "The negotiations went well today,",
    "We will negotiate again next week,",
    "The president spoke to us at length,",
    "Presidential power has limits here,",
    "The car broke down on the bridge,",
    "The cart broke down on the bridge,",
    "The economy grew this year again,",
    "Economics is harder than it looks,",
];

#[test]
fn prefix_words_find_the_words_they_begin() {
    let env = TestEnv::new();
    let text: String =
        WORDS.iter().map(|q| format!("“{q}” said Mayor Ilse Varnham.\n\n")).collect();
    env.write("words.txt", format!("date 2023-05-01\n\n{text}"));
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    // (name, query, numbers of the quotations found)
    let cases: &[(&str, &str, &[usize])] = &[
        ("a word", "tarif*", &[0, 1]),
        ("capitals", "Tarif*", &[0, 1]),
        ("the whole word", "tariffs*", &[0, 1]),
        ("cut inside a stemmed ending", "negotiat*", &[2, 3]),
        ("a stem shorter than the prefix", "presiden*", &[4, 5]),
        ("another", "econom*", &[8, 9]),
        ("a shorter word is not a completion (negative)", "cart*", &[7]),
        ("with an exclusion", "tarif* -steel", &[1]),
        ("or another word", "tarif* OR car", &[0, 1, 6]),
        ("last word of a phrase", "\"steel tarif*\"", &[0]),
        ("tantivy's phrase prefix", "\"steel tarif\"*", &[0]),
        ("inside a phrase", "\"steel tarif* stay\"", &[0]),
        ("a phrase in another order (negative)", "\"tarif* steel\"", &[]),
        ("no such beginning (negative)", "zeppel*", &[]),
    ];
    for (name, query, want) in cases {
        let run = env.run(&["query", query, "--json"]);
        no_panic(name, &run);
        assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
        let mut got: Vec<usize> = run
            .json_lines()
            .iter()
            .map(|v| {
                let q = v["quote"].as_str().unwrap();
                WORDS.iter().position(|w| *w == q).unwrap()
            })
            .collect();
        got.sort();
        assert_eq!(got, *want, "{name}");
    }
}

#[test]
fn a_prefix_that_begins_too_many_words_says_so() {
    let env = TestEnv::new();
    let words: String = (0..17_000).map(|i| format!("zq{i:05} ")).collect();
    env.write(
        "many.txt",
        format!("date 2023-05-01\n\n“{words}and more,” said Mayor Ilse Varnham.\n"),
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    env.run(&["query", "zq*", "--count"]).expect_code(0);
    let run = env.run(&["query", "\"zq* and\""]);
    no_panic("phrase", &run);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "quoth: a prefix* word in a phrase begins more than 16384 words: make it longer\n"
    );
}

/// `n` copies of `unit` after `head`, about `size` bytes in all.
fn repeated(head: &str, unit: &str, size: usize) -> String {
    let mut s = head.to_string();
    while s.len() + unit.len() <= size {
        s.push_str(unit);
    }
    s
}

/// Runs `quoth` with `args` in `env` and returns its exit code and peak resident memory in
/// bytes.
///
/// The kernel's count from `wait4` is no more than that while this test process is small: Linux
/// carries the resident peak of the process that made the child across `exec`, so while other
/// tests of this binary hold large strings the count is theirs (one run failed so, its child
/// far below the bound). It is taken when above this process's own peak, as then it can only
/// be the child's; otherwise the child's peak as sampled from `/proc/PID/status` every
/// millisecond while it ran.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, which also reports its memory
fn peak_memory(env: &TestEnv, args: &[&str]) -> (i32, u64) {
    let child = env.cmd(args).stdout(std::process::Stdio::null()).spawn().unwrap();
    let pid = child.id() as i32;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut sampled = 0;
    loop {
        // Read before asking whether it ended: a reaped child's file is gone.
        if let Some(peak) = resident_peak(&format!("/proc/{pid}/status")) {
            sampled = sampled.max(peak);
        }
        // SAFETY: waits for our own child, filling the two values it is given.
        let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if got == pid {
            break;
        }
        assert_eq!(got, 0, "wait4");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let counted = usage.ru_maxrss as u64 * 1024;
    let ours = resident_peak("/proc/self/status").unwrap_or(u64::MAX);
    (libc::WEXITSTATUS(status), if counted > ours { counted } else { sampled })
}

/// The resident peak (`VmHWM`) in a `/proc/PID/status` file, in bytes.
#[cfg(target_os = "linux")]
fn resident_peak(path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_costs_memory_in_proportion_to_its_size() {
    const SIZE: usize = 256 * 1024;
    let names: String =
        (0..SIZE / 36).map(|i| format!("“No,” said Mara Ve{:x}ko.\n\n", i * 7919)).collect();
    let head = "date 2023-01-01\n\n";
    // (file, contents): the shapes that cost most per byte.
    let files: Vec<(&str, String)> = vec![
        ("one-paragraph.txt", repeated(head, "“We will not back down,” Okafor said. ", SIZE)),
        ("paragraphs.txt", repeated(head, "“No,” Okafor said.\n\n", SIZE)),
        ("names.txt", format!("{head}{names}")),
        ("unclosed.txt", repeated(head, "“a\n\n", SIZE)),
        (
            "long-role.txt",
            repeated(
                &format!(
                    "{head}“Yes,” said Adaeze Okafor, a {} of things. ",
                    "minister".repeat(SIZE / 32)
                ),
                "“No,” she said. ",
                SIZE,
            ),
        ),
        (
            "long-title.json",
            format!(
                r#"{{"title": "{}", "date": "2023-01-01", "text": "{}"}}"#,
                "T".repeat(SIZE / 2),
                "“No,” Okafor said. ".repeat(SIZE / 50)
            ),
        ),
        ("numbers.json", format!("[{}1]", "1,".repeat(SIZE / 2))),
        ("lines.jsonl", repeated("", "{\"text\": \"“No,” Okafor said.\"}\n", SIZE)),
    ];
    // What README and `quoth index --help` promise: a file costs at most about 110 times its
    // size. The bound is generous (150 times, and 100 MB for the process and tantivy's writer),
    // and far below what these files cost before (1 to 13 GB at this size).
    let bound = 150 * SIZE as u64 + 100_000_000;
    for (name, text) in files {
        let env = TestEnv::new();
        env.write(name, &text);
        assert!(text.len() <= SIZE + 64, "{name}: {} bytes", text.len());
        let max = (SIZE + 64).to_string();
        let (code, peak) = peak_memory(
            &env,
            &["index", "articles", "--quiet", "--threads", "1", "--max-file-size", &max],
        );
        assert!(code == 0 || code == 3, "{name}: exit code {code}");
        assert!(peak < bound, "{name}: {} MB at the peak, over {} MB", peak >> 20, bound >> 20);
        println!("{name}: {} MB", peak >> 20);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn json_that_is_no_article_is_refused_as_it_is_read() {
    const SIZE: usize = 8_000_000;
    let numbers = format!("[{}1]", "1,".repeat(SIZE / 2));
    // (file, contents, exit code)
    let files: &[(&str, String, i32)] = &[
        ("numbers.json", numbers.clone(), 3),
        ("junk.json", format!(r#"{{"junk": {numbers}, "text": "“No,” Okafor said."}}"#), 0),
        ("numbers.jsonl", format!("{numbers}\n"), 0),
    ];
    // As a JSON value, the array took 43 times its size before being refused.
    let bound = 4 * SIZE as u64 + 60_000_000;
    for (name, text, want) in files {
        let env = TestEnv::new();
        env.write(name, text);
        let (code, peak) = peak_memory(&env, &["index", "articles", "--quiet"]);
        assert_eq!(code, *want, "{name}");
        assert!(peak < bound, "{name}: {} MB at the peak, over {} MB", peak >> 20, bound >> 20);
    }
    let env = TestEnv::new();
    env.write("numbers.json", &numbers);
    let run = env.run(&["index", "articles", "--quiet"]);
    assert!(run.stderr.ends_with("numbers.json: not a JSON object\n"), "{}", run.stderr);
}

/// Runs `quoth` with `args`, failing the test (and killing it) if it runs for a minute: a run
/// that opens a named pipe waits for a writer that never comes.
fn run_within_a_minute(env: &TestEnv, args: &[&str]) -> Run {
    let mut child = env
        .cmd(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() >= 60 {
            let _ = child.kill();
            let _ = child.wait();
            panic!("quoth {args:?} still running after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    TestEnv::output(child.wait_with_output().unwrap())
}

#[cfg(unix)]
#[test]
fn odd_file_names_and_file_types_are_indexed_or_reported() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let quote = |words: &str| format!("date 2023-05-01\n\n“{words},” said Mayor Ilse Varnham.\n");
    // Two names in Latin-1, not UTF-8, that differ only in their invalid byte.
    let latin1 = |b: u8| {
        env.articles().join(OsStr::from_bytes(&[b'c', b'a', b'f', b, b'.', b't', b'x', b't']))
    };
    std::fs::write(latin1(0xe9), quote("The harbour wall will hold")).unwrap();
    std::fs::write(latin1(0xe8), quote("The harbour road will flood")).unwrap();
    env.write("plain.txt", quote("The harbour bell will ring"));
    let fifo = env.articles().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());

    let run = run_within_a_minute(&env, &["index", "articles"]);
    no_panic("index", &run);
    run.expect_code(3);
    assert!(
        run.stdout.starts_with("indexed 4 files: 3 new, 0 changed, 0 unchanged, 0 removed, 1 failed (1 not a regular file)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("pipe.txt: not a regular file (a named pipe); skipped"),
        "{}",
        run.stderr
    );
    let hits = env.run(&["query", "harbour", "--json"]);
    let mut files: Vec<String> = hits
        .json_lines()
        .iter()
        .map(|v| v["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["caf\\xe8.txt", "caf\\xe9.txt", "plain.txt"]);
    // Indexing again changes nothing; deleting one of the two removes its quotation only.
    let again = env.run(&["index", "articles"]);
    assert!(
        again.stdout.starts_with("indexed 4 files: 0 new, 0 changed, 3 unchanged"),
        "{}",
        again.stdout
    );
    std::fs::remove_file(latin1(0xe8)).unwrap();
    let gone = env.run(&["index", "articles"]);
    assert!(gone.stdout.contains("1 removed"), "{}", gone.stdout);
    assert_eq!(env.run(&["query", "harbour", "--count"]).stdout, "2\n");

    // Named directly, a pipe or a device is reported too, and nothing waits on it.
    // (name, arguments, exit code, message)
    let cases: &[(&str, &[&str], i32, &str)] = &[
        (
            "a pipe named",
            &["index", "articles/pipe.txt"],
            3,
            "pipe.txt: not a regular file (a named pipe); skipped",
        ),
        (
            "a device named",
            &["index", "/dev/null"],
            3,
            "/dev/null: not a regular file (a device); skipped",
        ),
        (
            "a pipe extracted",
            &["extract", "articles/pipe.txt"],
            2,
            "pipe.txt: not a regular file (a named pipe); skipped",
        ),
        (
            "no extension at all",
            &["index", "articles", "--ext", ""],
            2,
            "invalid --ext '': it names no extension (e.g. --ext txt,md)",
        ),
        (
            "only commas",
            &["extract", "articles", "--ext", ",,"],
            2,
            "invalid --ext ',,': it names no extension (e.g. --ext txt,md)",
        ),
    ];
    for (name, args, code, message) in cases {
        let run = run_within_a_minute(&env, args);
        no_panic(name, &run);
        assert_eq!(run.code, *code, "{name}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
    }
}

#[test]
fn control_characters_are_escaped_on_a_terminal_and_exact_elsewhere() {
    let env = TestEnv::new();
    let quote = "Clear \u{1b}[2J the \u{1b}]0;owned\u{7} screen \u{9b}31m now";
    let name = "evil\u{1b}[31m.txt";
    env.write(name, format!("date 2023-05-01\n\n“{quote},” said Mayor Ilse Varnham.\n"));
    env.write("binary\u{1b}[5m.txt", b"\0\0\0");
    let index = env.run(&["index", "articles"]);
    index.expect_code(3);
    assert!(!index.stderr.contains('\u{1b}'), "stderr: {:?}", index.stderr);
    assert!(index.stderr.contains("binary\\x1b[5m.txt: not a text file"), "{}", index.stderr);
    let escaped = "Clear \\x1b[2J the \\x1b]0;owned\\x07 screen \\u{9b}31m now";
    // (name, arguments)
    let tables: &[(&str, &[&str])] = &[
        ("plain", &["query", "screen"]),
        ("coloured", &["query", "screen", "--color", "always"]),
        ("with context", &["query", "screen", "--context"]),
        ("extract", &["extract", "articles"]),
    ];
    for (name, args) in tables {
        let run = env.run(args);
        run.expect_code(0);
        let own_colours = run.stdout.replace("\u{1b}[0m", "").replace("\u{1b}[1;31m", "");
        let own_colours = (1..=35).fold(own_colours, |s, n| s.replace(&format!("\u{1b}[{n}m"), ""));
        assert!(!own_colours.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{name}: {:?}", run.stdout);
        assert!(run.stdout.contains("evil\\x1b[31m.txt"), "{name}: {}", run.stdout);
        if *name == "plain" {
            assert!(run.stdout.contains(escaped), "{name}: {}", run.stdout);
        }
    }
    // JSON and CSV keep the text exactly.
    let json = env.run(&["query", "screen", "--json"]);
    let v = &json.json_lines()[0];
    assert_eq!(v["quote"], format!("{quote},"));
    assert!(v["file"].as_str().unwrap().ends_with(name));
    let csv = env.run(&["export", "--format", "csv"]);
    assert!(csv.stdout.contains(&format!("{quote},")), "{:?}", csv.stdout);
}

/// Runs `script` (sh) in a new user and mount namespace, where it may mount a small tmpfs: a
/// disk that fills up, without being root. `None` when this machine cannot make namespaces
/// (and the test is then not run, except under CI, where it must be).
#[cfg(target_os = "linux")]
fn in_namespace(env: &TestEnv, script: &str) -> Option<std::process::Output> {
    let works = std::process::Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        assert!(std::env::var_os("CI").is_none(), "CI must allow `unshare -rm` (a full disk)");
        eprintln!("skipped: `unshare -rm` does not work here");
        return None;
    }
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", script, "sh", env!("CARGO_BIN_EXE_quoth")])
        .current_dir(env.root())
        .output()
        .unwrap();
    Some(out)
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_named_and_leaves_nothing_behind() {
    let env = TestEnv::new();
    gen_corpus::write_corpus(&env.articles(), 3000, 7).unwrap();
    // On a 2 MB disk: a run too big for it, then (most articles gone) a run that fits, a
    // rebuild, and a query. Before, the first run's orphan segment files kept the disk full
    // and every later run failed in turn.
    let script = r#"
        q="$1"
        mkdir -p disk && mount -t tmpfs -o size=2m none disk || exit 90
        "$q" --index disk/index index articles --quiet 2>first.err; echo $? >first.code
        find articles -name '*.txt' | sort | tail -n +31 | xargs rm -f
        "$q" --index disk/index index articles --quiet 2>second.err; echo $? >second.code
        "$q" --index disk/index index --rebuild --quiet 2>rebuild.err; echo $? >rebuild.code
        "$q" --index disk/index query --count >count.out 2>count.err
    "#;
    let Some(out) = in_namespace(&env, script) else { return };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(env.root().join(name)).unwrap_or_default();
    // (name, exit code, stderr begins with)
    let runs = [
        ("too big for the disk", "2", "quoth: the disk holding ./disk/index is full"),
        ("fits once the orphans are gone", "0", ""),
        ("rebuild", "0", ""),
    ];
    for ((name, code, err), step) in runs.iter().zip(["first", "second", "rebuild"]) {
        let stderr = read(&format!("{step}.err"));
        assert_eq!(read(&format!("{step}.code")).trim(), *code, "{name}: {stderr}");
        assert!(stderr.starts_with(err), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), usize::from(!err.is_empty()), "{name}: {stderr}");
    }
    assert!(read("count.out").trim().parse::<u64>().unwrap_or(0) > 0, "{}", read("count.err"));
}

#[test]
fn a_damaged_index_names_the_file_and_rebuilds() {
    let env = archive();
    let file = |ext: &str| {
        std::fs::read_dir(env.root().join("index"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap()
    };
    let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
    // (name, extension of the file damaged, damage, what is said of it)
    type Damage = fn(&std::path::Path);
    let cases: Vec<(&str, &str, Damage, &str)> = vec![
        ("a cut file", "store", |p| std::fs::write(p, b"cut").unwrap(), "is damaged"),
        ("a missing file", "idx", |p| std::fs::remove_file(p).unwrap(), "is missing"),
    ];
    for (case, ext, damage, said) in cases {
        // Segment names change with every rebuild: the file is found anew each time.
        let path = file(ext);
        damage(&path);
        let what = format!("its file {} {said}", name(&path));
        for args in [&["query", "tariff"][..], &["stats"], &["speakers"]] {
            let run = env.run(args);
            no_panic(case, &run);
            run.expect_code(2);
            assert_eq!(
                run.stderr,
                format!("quoth: cannot read the index at ./index: {what}: rebuild it with 'quoth index --rebuild'\n"),
                "{case}: {args:?}"
            );
        }
        let run = env.run(&["index", "--rebuild", "--quiet"]);
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        assert_eq!(env.run(&["query", "tariff", "--count"]).stdout, "2\n", "{case}");
    }
    // A sound index (negative): nothing said.
    assert_eq!(env.run(&["stats"]).stderr, "");
}

/// Opens `n` connections to `addr` that never finish a request: every other one sends half
/// a request head, the rest nothing.
fn idle_connections(addr: std::net::SocketAddr, n: usize) -> Vec<std::net::TcpStream> {
    use std::io::Write;
    (0..n)
        .filter_map(|i| {
            let mut s = std::net::TcpStream::connect(addr).ok()?;
            if i % 2 == 0 {
                let _ = s.write_all(b"GET /api/search?q=tariff HTTP/1.1\r\nHost: qu");
            }
            Some(s)
        })
        .collect()
}

/// Raises this test process's open-file limit to its hard limit, for the attacker's side.
#[cfg(target_os = "linux")]
fn raise_own_file_limit() -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: reads and sets this process's own limit from valid values.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
    }
    lim.rlim_cur
}

#[cfg(target_os = "linux")]
#[test]
fn idle_connections_never_keep_healthy_clients_out() {
    use std::os::unix::process::CommandExt;
    use std::time::{Duration, Instant};
    const ATTACK: usize = 1100;
    assert!(raise_own_file_limit() > ATTACK as u64 + 100, "this test needs {ATTACK} sockets");
    let env = archive();
    // The server gets 1 024 file descriptors, fewer than the attack's connections.
    let server = env.serve(|cmd| {
        // SAFETY: only setrlimit, async-signal-safe, between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                let lim = libc::rlimit { rlim_cur: 1024, rlim_max: 1024 };
                match libc::setrlimit(libc::RLIMIT_NOFILE, &lim) {
                    0 => Ok(()),
                    _ => Err(std::io::Error::last_os_error()),
                }
            });
        }
    });
    let attack = idle_connections(server.addr, ATTACK);
    assert!(attack.len() >= ATTACK - 10, "{} connections opened", attack.len());
    // Healthy clients, one after another, each answered quickly while the attack holds on.
    for i in 0..30 {
        let started = Instant::now();
        let got = server.get("/healthz", Duration::from_secs(5));
        assert_eq!(got.as_ref().map(|g| g.0), Some(200), "request {i}: {got:?}");
        let got = server.get("/api/search?q=tariff", Duration::from_secs(5));
        assert!(got.as_ref().is_some_and(|g| g.0 == 200 && g.1.contains("\"total\":2")), "{got:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "request {i}");
    }
    drop(attack);
}

#[test]
fn a_request_head_must_arrive_in_time() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let env = archive();
    let server = env.serve(|_| {});
    // (name, bytes sent, closed by the server)
    let cases: &[(&str, &[u8], bool)] = &[
        ("nothing sent", b"", true),
        ("half a head", b"GET /healthz HTTP/1.1\r\nHost: q", true),
        ("a whole request (negative)", b"GET /healthz HTTP/1.1\r\nHost: q\r\n\r\n", false),
    ];
    let started = Instant::now();
    let mut conns: Vec<_> = cases
        .iter()
        .map(|(_, sent, _)| {
            let mut s = std::net::TcpStream::connect(server.addr).unwrap();
            s.write_all(sent).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            s
        })
        .collect();
    for ((name, _, closed), s) in cases.iter().zip(&mut conns) {
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        let answered = String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200");
        assert_eq!(!answered, *closed, "{name}: {}", String::from_utf8_lossy(&got));
    }
    // The whole request's connection is kept alive for the next head, then closed too: all
    // within the timeout (10 s) and some slack, not for ever.
    assert!(started.elapsed() < Duration::from_secs(25), "{:?}", started.elapsed());
}
