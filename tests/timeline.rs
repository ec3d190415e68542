//! Integration tests of `quoth timeline`: its buckets add up to the search's count for every
//! interval and filter (on the samples and on a generated corpus), its bars on a pipe, its
//! JSON, exit codes and one-line errors.

mod testenv;

use testenv::TestEnv;

const INTERVALS: &[Option<&str>] = &[None, Some("year"), Some("month"), Some("day")];

/// Checks, for each filter and interval, that `quoth timeline --json` counts as many
/// quotations as `quoth query --count`, bucket by bucket as well: each bucket's count is the
/// count of the same search narrowed to the bucket's days (checked on `narrowed` filters).
fn buckets_add_up(env: &TestEnv, filters: &[(&str, &[&str])], narrowed: usize) -> usize {
    let mut checked = 0;
    for (name, args) in filters {
        let mut count_args = vec!["query", "--count"];
        count_args.extend_from_slice(args);
        let count = env.run(&count_args);
        let total: u64 =
            count.stdout.trim().parse().unwrap_or_else(|_| panic!("{name}: {}", count.stderr));
        for by in INTERVALS {
            let mut t_args = vec!["timeline", "--json"];
            t_args.extend_from_slice(args);
            if let Some(by) = by {
                t_args.extend(["--by", by]);
            }
            let run = env.run(&t_args);
            run.expect_code(if total > 0 { 0 } else { 1 });
            let v = &run.json_lines()[0];
            let case = format!("case {name} by {by:?}");
            assert_eq!(v["total"].as_u64(), Some(total), "{case}: total");
            let buckets = v["buckets"].as_array().unwrap();
            let sum: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
            assert_eq!(sum + v["undated"].as_u64().unwrap(), total, "{case}: buckets + undated");
            if let Some(by) = by {
                assert_eq!(v["by"], *by, "{case}");
            }
            // Intervals follow each other without a gap.
            for pair in buckets.windows(2) {
                let until: quoth::article::Date =
                    pair[0]["until"].as_str().unwrap().parse().unwrap();
                let since: quoth::article::Date =
                    pair[1]["since"].as_str().unwrap().parse().unwrap();
                assert_eq!(until.tomorrow().unwrap(), since, "{case}: gap");
            }
            // A few buckets, counted again as a search narrowed to their days.
            if checked < narrowed && by.is_some() {
                for b in buckets.iter().filter(|b| b["count"].as_u64() > Some(0)).take(2) {
                    let mut a = count_args.clone();
                    let (s, u) = (b["since"].as_str().unwrap(), b["until"].as_str().unwrap());
                    // The filters' own dates, if any, are narrower or equal: keep the later
                    // since and the earlier until by asking with both.
                    a.retain(|x| !x.starts_with("--since") && !x.starts_with("--until"));
                    let run = env.run(&[&a[..], &["--since", s, "--until", u]].concat());
                    let own = bounds(args);
                    if own.0.is_none_or(|o| o <= s) && own.1.is_none_or(|o| o >= u) {
                        assert_eq!(
                            run.stdout.trim(),
                            b["count"].to_string(),
                            "{case}: bucket {}",
                            b["label"]
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    checked
}

/// The `--since` and `--until` values among `args`, if given as separate words.
fn bounds<'a>(args: &[&'a str]) -> (Option<&'a str>, Option<&'a str>) {
    let after =
        |flag: &str| args.iter().position(|a| *a == flag).and_then(|i| args.get(i + 1)).copied();
    (after("--since"), after("--until"))
}

#[test]
fn samples_timelines_add_up() {
    let env = TestEnv::new().with_samples();
    env.write(
        "undated-note.txt",
        "“The ferry will run all winter,” said Harbourmaster Ines Varga.\n",
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let filters: &[(&str, &[&str])] = &[
        ("everything", &[]),
        ("a word", &["tariff"]),
        ("a phrase", &["\"trade deal\""]),
        ("a speaker", &["--speaker", "okafor"]),
        ("two speakers", &["--speaker", "okafor", "--speaker", "sanchez"]),
        ("excluded speaker", &["--exclude-speaker", "okafor"]),
        ("no speaker", &["--no-speaker"]),
        ("dates", &["--since", "2022-06", "--until", "2024-06"]),
        ("one year", &["--on", "2023"]),
        ("words, speaker and dates", &["tariff", "--speaker", "okafor", "--since", "2023"]),
        ("fuzzy", &["tarif", "--fuzzy"]),
        ("nothing (negative)", &["zeppelin"]),
    ];
    let narrowed = buckets_add_up(&env, filters, 12);
    assert!(narrowed >= 6, "only {narrowed} buckets were counted again");
    // The undated quotation is counted apart.
    let v = &env.run(&["timeline", "--json", "ferry"]).json_lines()[0];
    assert_eq!((v["total"].as_u64(), v["undated"].as_u64()), (Some(1), Some(1)));
    assert_eq!(v["buckets"].as_array().unwrap().len(), 0);
}

#[test]
fn generated_corpus_timelines_add_up() {
    let env = TestEnv::new();
    gen_corpus::write_corpus(&env.articles(), 600, 11).unwrap();
    env.write("zz/undated.txt", "“The budget will hold,” said Treasurer Ola Brandt.\n");
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let filters: &[(&str, &[&str])] = &[
        ("everything", &[]),
        ("a common word", &["budget"]),
        ("two words", &["harbour", "council"]),
        ("a speaker prefix", &["--speaker", "ka*"]),
        ("dates", &["--since", "2017-03", "--until", "2019"]),
        ("one month", &["--on", "2020-02"]),
        ("excluded", &["council", "--exclude-speaker", "lo*"]),
    ];
    let narrowed = buckets_add_up(&env, filters, 10);
    assert!(narrowed >= 6, "only {narrowed} buckets were counted again");
    // Automatic intervals: eleven years of articles are drawn by year, one month by day.
    let v = &env.run(&["timeline", "--json"]).json_lines()[0];
    assert_eq!(v["by"], "year");
    assert_eq!(v["buckets"].as_array().unwrap().len(), 11);
    assert_eq!(v["undated"], 1);
    let v = &env.run(&["timeline", "--json", "--on", "2020-02"]).json_lines()[0];
    assert_eq!(v["by"], "day");
    let v = &env.run(&["timeline", "--json", "--since", "2020", "--until", "2022"]).json_lines()[0];
    assert_eq!(v["by"], "month");
    assert_eq!(v["buckets"].as_array().unwrap().len(), 36);
}

#[test]
fn bars_and_errors() {
    let env = TestEnv::new().with_samples();
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    // On a pipe: one line per interval, label, count and a bar of #, the largest filling 80
    // columns but one.
    let run = env.run(&["timeline", "--by", "year"]);
    run.expect_code(0);
    let v = &env.run(&["timeline", "--by", "year", "--json"]).json_lines()[0];
    let lines: Vec<&str> = run.stdout.lines().collect();
    let buckets = v["buckets"].as_array().unwrap();
    assert_eq!(lines.len(), buckets.len(), "{}", run.stdout);
    let most = buckets.iter().map(|b| b["count"].as_u64().unwrap()).max().unwrap();
    for (line, b) in lines.iter().zip(buckets) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], b["label"].as_str().unwrap());
        assert_eq!(words[1], b["count"].to_string());
        assert!(words.get(2).is_none_or(|w| w.chars().all(|c| c == '#')), "{line}");
        assert!(line.len() <= 80, "{line}");
        if b["count"].as_u64() == Some(most) {
            assert_eq!(line.len(), 79, "{line}: the largest bar fills the line");
        }
    }
    // (name, arguments, exit code, stderr)
    let cases: &[(&str, &[&str], i32, &str)] = &[
        ("nothing found", &["timeline", "zeppelin"], 1, ""),
        (
            "unknown speaker",
            &["timeline", "--speaker", "okafur"],
            1,
            "quoth: no quotes by 'okafur'; did you mean",
        ),
        (
            "bad interval",
            &["timeline", "--by", "week"],
            2,
            "invalid value 'week' for '--by <INTERVAL>'",
        ),
        (
            "bad date",
            &["timeline", "--since", "2023-13"],
            2,
            "quoth: invalid date '2023-13' for --since",
        ),
        ("too many days", &["timeline", "--by", "day", "--since", "1900"], 0, ""),
    ];
    for (name, args, code, stderr) in cases {
        let run = env.run(args);
        assert_eq!(run.code, *code, "case {name}: {}", run.stderr);
        assert!(run.stderr.contains(stderr), "case {name}: {}", run.stderr);
    }
    // A day-by-day timeline over centuries is refused with one line.
    env.write(
        "old.txt",
        "date 1850-01-01\n\n“The lighthouse will stand,” said Keeper Amos Vell.\n",
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let run = env.run(&["timeline", "--by", "day"]);
    run.expect_code(2);
    assert!(
        run.stderr.starts_with("quoth: a timeline by day from 1850-01-01 to "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
    env.run(&["timeline", "--by", "month"]).expect_code(0);
}
