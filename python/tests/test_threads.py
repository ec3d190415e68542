"""Threads: every call releases the GIL while quoth works, calls from several Python threads run
in parallel, and concurrent calls on one Index give what the same calls give one at a time."""

import concurrent.futures
import hashlib
import os
import sys
import threading
import time

import pytest

import quoth
from conftest import invented_article, write_articles


class Spinner:
    """A Python thread that counts while it holds the GIL and offers it back after each count.

    With a switch interval far longer than the test, the interpreter never takes the GIL from
    the thread holding it: the spinner counts only while the main thread has released the GIL
    itself, as a call that detaches from Python does while Rust works. A call that keeps the
    GIL lets it count nothing at all.
    """

    def __enter__(self):
        self.count, self.stop = 0, False
        self.interval = sys.getswitchinterval()
        self.thread = threading.Thread(target=self._spin)
        self.thread.start()
        while self.count == 0:
            time.sleep(0.001)  # releases the GIL until the spinner runs
        sys.setswitchinterval(1000)
        return self

    def _spin(self):
        while not self.stop:
            self.count += 1
            time.sleep(0)  # hands the GIL to a thread waiting for it

    def counted_during(self, call):
        """How often the spinner counted while `call()` ran in this thread."""
        # Taking the GIL back from the spinner (it hands it over at its next sleep)...
        time.sleep(0)
        before = self.count
        call()
        return self.count - before

    def __exit__(self, *exc):
        self.stop = True
        self.thread.join()
        sys.setswitchinterval(self.interval)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = write_articles(tmp_path_factory.mktemp("corpus"), 1500, paragraphs=6)
    index = quoth.Index(tmp_path_factory.mktemp("idx") / "index")
    index.add(folder)
    return folder, index


BIG_TEXT = "\n\n".join(invented_article(i, 30) for i in range(40))


def gil_held_calls(corpus):
    """Each call of the binding, repeated to last some 50 ms or more."""
    folder, index = corpus
    return [
        ("extract", lambda: [quoth.extract(BIG_TEXT) for _ in range(10)]),
        ("extract_files", lambda: list(quoth.extract_files(folder, threads=1))),
        ("Index.add", lambda: [index.add(folder) for _ in range(5)]),
        ("Index.search", lambda: [index.search("ferry", limit=100) for _ in range(20)]),
        ("Index.count", lambda: [index.count("ferry OR harbour OR school", speaker="q*") for _ in range(100)]),
        ("Index.speakers", lambda: index.speakers(top=50)),
        ("Index.stats", lambda: [index.stats() for _ in range(10)]),
    ]


def test_every_call_releases_the_gil(corpus):
    with Spinner() as spinner:
        counted = {name: spinner.counted_during(call) for name, call in gil_held_calls(corpus)}
        # The control: pure Python work, which keeps the GIL, lets the spinner count nothing.
        counted["control: Python arithmetic (negative)"] = spinner.counted_during(
            lambda: sum(i * i for i in range(300_000))
        )
    control = counted.pop("control: Python arithmetic (negative)")
    assert control <= 1, counted
    assert all(n >= 5 for n in counted.values()), counted


def parallelism(work) -> float:
    """CPU time over wall time while two Python threads run `work()`: about 1 when one thread
    runs at a time, up to 2 when both run at once on two cores."""
    work()  # warm up
    t0, c0 = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (time.process_time() - c0) / (time.perf_counter() - t0)


def test_calls_from_two_threads_run_in_parallel():
    texts = [invented_article(i, 40) for i in range(120)]
    chunk = os.urandom(1 << 20)
    ratios = {
        # What this machine allows now: hashing releases the GIL, so its threads run at once.
        "hashlib (calibration)": parallelism(lambda: [hashlib.sha256(chunk * 4).digest() for _ in range(60)]),
        "quoth.extract": parallelism(lambda: [quoth.extract(t) for t in texts]),
        # Pure Python holds the GIL: one thread at a time, whatever the cores.
        "Python (negative)": parallelism(lambda: sum(i * i for i in range(1_500_000))),
    }
    room = ratios["hashlib (calibration)"] - 1
    if room < 0.3:
        pytest.skip(f"no second core free to measure parallelism: {ratios}")
    assert ratios["quoth.extract"] > 1 + room / 2, ratios
    assert ratios["Python (negative)"] < 1 + room / 2, ratios


def test_concurrent_calls_on_one_index_agree_with_sequential_ones(corpus):
    folder, index = corpus
    calls = [
        lambda: index.search("ferry"),
        lambda: index.search(speaker="quill", sort="newest", limit=50),
        lambda: index.search("harbour", since="2015", until="2020-06"),
        lambda: index.count("bridge"),
        lambda: index.speakers(top=5),
        lambda: [r["id"] for r in quoth.extract_files(folder / "003", threads=2)],
        lambda: quoth.extract(invented_article(99, 12)),
    ]
    want = [call() for call in calls]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            futures = [pool.submit(call) for call in calls for _ in range(4)]
            got = [f.result() for f in futures]
            assert got == [w for w in want for _ in range(4)]


def test_one_iterator_shared_by_threads_hands_out_each_row_once(tmp_path):
    write_articles(tmp_path, 200, paragraphs=3)
    it = quoth.extract_files(tmp_path, threads=2)
    seen = []

    def drain():
        for row in it:
            seen.append(row["id"])

    threads = [threading.Thread(target=drain) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == len(set(seen)) == 600
