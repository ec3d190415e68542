#!/usr/bin/env python3
"""Peak memory of `quoth index` on one file of each costly shape, by file size.

Usage: bench/memory.py QUOTH [SIZE_MB...]   (bench/memory.sh builds quoth and passes it)

The shapes are those of tests/hostile.rs (a_file_costs_memory_in_proportion_to_its_size): the
ones that cost most per byte. Each file is indexed alone into a fresh index with one thread
and --max-file-size just above its size; the peak resident memory of the process is read from
the kernel (ru_maxrss of the child), and the same run on an empty folder gives the baseline
(the process, tantivy's writer). Figures in BENCHMARKS.md, *Memory per file*.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

QUOTH = sys.argv[1]
SIZES = [float(s) for s in sys.argv[2:]] or [1, 4, 16]
HEAD = "date 2023-01-01\n\n"


def repeated(head, unit, size):
    return head + unit * ((size - len(head)) // len(unit))


def shapes(size):
    names = "".join(f"“No,” said Mara Ve{i * 7919:x}ko.\n\n" for i in range(size // 36))
    role = "minister" * (size // 32)
    return {
        "one-paragraph.txt": repeated(HEAD, "“We will not back down,” Okafor said. ", size),
        "paragraphs.txt": repeated(HEAD, "“No,” Okafor said.\n\n", size),
        "names.txt": HEAD + names,
        "unclosed.txt": repeated(HEAD, "“a\n\n", size),
        "long-role.txt": repeated(f"{HEAD}“Yes,” said Adaeze Okafor, a {role} of things. ",
                                  "“No,” she said. ", size),
        "long-title.json": json.dumps({"title": "T" * (size // 2), "date": "2023-01-01",
                                       "text": "“No,” Okafor said. " * (size // 50)}),
        "numbers.json": "[" + "1," * (size // 2) + "1]",
        "lines.jsonl": repeated("", "{\"text\": \"“No,” Okafor said.\"}\n", size),
    }


def peak(folder, max_size):
    """Peak resident memory in MB of one `quoth index` run on `folder`, as /usr/bin/time reads
    it from the kernel for that process alone (a child forked from this Python process would
    count the pages it shares with it)."""
    with tempfile.TemporaryDirectory() as idx:
        run = subprocess.run(
            ["/usr/bin/time", "-f", "%M", QUOTH, "--index", idx + "/i", "index", folder,
             "--quiet", "--threads", "1", "--max-file-size", str(max_size)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert run.returncode in (0, 1, 3), run.stderr
        return int(run.stderr.strip().splitlines()[-1]) / 1024


def main():
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        base = peak(empty, 1 << 20)
        print(f"baseline (empty folder): {base:.0f} MB")
        print("| shape | " + " | ".join(f"{s:g} MB file" for s in SIZES) + " |")
        print("| --- |" + " --- |" * len(SIZES))
        rows = {}
        for size_mb in SIZES:
            size = int(size_mb * 1024 * 1024)
            for name, text in shapes(size).items():
                folder = os.path.join(tmp, "one")
                shutil.rmtree(folder, ignore_errors=True)
                os.mkdir(folder)
                data = text.encode()
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(data)
                mb = peak(folder, len(data) + 64)
                # Times the file's size, over the baseline.
                rows.setdefault(name, []).append(f"{mb:.0f} MB ({(mb - base) / (len(data) / 2**20):.0f}x)")
        for name, cells in rows.items():
            print(f"| {name} | " + " | ".join(cells) + " |")


main()
