#!/usr/bin/env python3
"""quoth serve under hostile clients, on loopback, bounded in time (about a minute).

Usage: bench/hostile.py URL PID   (bench/hostile.sh starts the server and passes them)

1. Healthy clients alone: /healthz and /api/search, one request per connection, 10 s.
2. The same while IDLE connections (default 2000; half send half a request head, half
   nothing) are held open and reopened as the server closes them, 20 s.
3. A burst of BURST (2000) distinct searches whose clients go away at once; then the
   server's threads and memory (from /proc) as the burst is drained, and how long until a
   healthy request is answered.
4. /api/speakers: the first request of an index generation and the next ones.
"""
import os
import socket
import sys
import threading
import time

URL, PID = sys.argv[1], int(sys.argv[2])
HOST, PORT = URL.removeprefix("http://").split(":")
PORT = int(PORT)
IDLE = int(os.environ.get("IDLE", "2000"))
BURST = int(os.environ.get("BURST", "2000"))


def get(path, timeout=5.0):
    """One request on a new connection: (status, seconds), status 0 when it failed."""
    start = time.monotonic()
    try:
        with socket.create_connection((HOST, PORT), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: q\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        status = int(data.split(b" ", 2)[1])
    except (OSError, ValueError, IndexError):
        status = 0
    return status, time.monotonic() - start


def healthy(seconds, label):
    """Healthy clients, one after another, for `seconds`; prints latencies and failures."""
    times, failed, end = [], 0, time.monotonic() + seconds
    paths = ["/healthz", "/api/search?q=minister", "/api/search?q=harbour&sort=newest"]
    i = 0
    while time.monotonic() < end:
        status, took = get(paths[i % len(paths)])
        i += 1
        # At most about 300 requests a second: each leaves a closed port behind (TIME_WAIT),
        # and the burst below needs thousands of free ones.
        time.sleep(max(0.0, 1 / 300 - took))
        if status == 200:
            times.append(took)
        else:
            failed += 1
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1e3 if times else float("nan")
    print(f"{label}: {len(times)} answered, {failed} failed; p50 {pct(0.5):.1f} ms, "
          f"p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms")


def proc_status():
    fields = {}
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    fds = len(os.listdir(f"/proc/{PID}/fd"))
    return f"threads {fields['Threads']}, memory {fields['VmRSS']}, open files {fds}"


def attacker(stop, held, conns):
    """Keeps IDLE connections open in `conns`, reopening those the server closes."""
    while not stop.is_set():
        conns[:] = [c for c in conns if not closed(c)]
        while len(conns) < IDLE and not stop.is_set():
            try:
                c = socket.create_connection((HOST, PORT), timeout=2)
                if len(conns) % 2 == 0:
                    c.sendall(b"GET /api/search?q=x HTTP/1.1\r\nHost: q")
                conns.append(c)
            except OSError:
                break
        held.append(len(conns))
        time.sleep(0.5)


def closed(c):
    """Whether the server closed `c` (it reads end of file, or an error), without waiting."""
    try:
        return c.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def main():
    print(f"server: {proc_status()}")
    healthy(10, "1. healthy clients alone")
    stop, held, conns = threading.Event(), [], []
    t = threading.Thread(target=attacker, args=(stop, held, conns), daemon=True)
    t.start()
    time.sleep(3)
    healthy(20, f"2. healthy clients during {IDLE} idle connections")
    print(f"   attacker held {min(held[10:] or held)}..{max(held)} connections; server: {proc_status()}")
    stop.set()
    t.join(timeout=10)
    for c in list(conns):
        c.close()

    # 3. A burst of distinct searches whose clients go away at once.
    socks = []
    for i in range(BURST):
        try:
            s = socket.create_connection((HOST, PORT), timeout=5)
            s.sendall(f"GET /api/search?q=w{i}*+OR+said&facets=1 HTTP/1.1\r\nHost: q\r\n\r\n".encode())
            socks.append(s)
        except OSError:
            break  # the server takes no more
    time.sleep(0.5)
    for s in socks:
        s.close()
    print(f"3. burst of {len(socks)} searches abandoned; 0.5 s later: {proc_status()}")
    start = time.monotonic()
    status, took = get("/api/search?q=minister", timeout=60)
    print(f"   next healthy search: status {status} after {took * 1e3:.0f} ms; "
          f"server then: {proc_status()}")
    time.sleep(5)
    print(f"   5 s later: {proc_status()}")

    # 4. Speakers: the first request counts every speaker of the generation, then filters.
    for label, path in [("first", "/api/speakers?prefix=a&limit=8"),
                        ("another prefix", "/api/speakers?prefix=mi&limit=8"),
                        ("repeated", "/api/speakers?prefix=a&limit=8")]:
        status, took = get(path)
        print(f"4. /api/speakers, {label}: status {status}, {took * 1e3:.1f} ms")


main()
