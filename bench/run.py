#!/usr/bin/env python3
"""Time lgs as whole processes against the interpreter and parse floors.

    .venv/bin/python bench/run.py                      # bundled + N = 100, 1,000, 10,000
    .venv/bin/python bench/run.py --sizes 100,1000 --reps 3
    .venv/bin/python bench/run.py --write              # also write bench/RESULTS.md

For each archive (the bundled ``minutes/`` and generated ones of N meetings,
made by ``bench/generate.py`` and kept in ``--work`` between runs), every
repetition runs, one after another, the two baselines and every command:

* ``python -c pass`` — the interpreter floor;
* ``python bench/floor.py ARCHIVE`` — the parse floor: read every file and
  load its front matter with PyYAML's CSafeLoader;
* ``lgs --help`` (bundled archive only), ``lgs actions --open``,
  ``lgs decisions``, ``lgs attendance``, ``lgs check`` — each cold (a fresh,
  empty cache directory: the first run) and warm (the cache filled by an
  earlier run); ``actions --open`` also with ``LGS_NO_CACHE=1``.

Runs are interleaved (round after round through the whole list), so a noisy
machine slows baselines and commands alike and the ratios hold. Commands that
do not exist in this build are marked missing. Peak memory is the child's
maximum resident set size (``os.wait4``). The operating system's page cache
is warm in every run (each archive is read once before timing), and lgs's
modules are compiled to bytecode first, as an installed lgs has them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "generate.py"
FLOOR = HERE / "floor.py"
RESULTS = HERE / "RESULTS.md"

COMMANDS = [
    ("actions --open", ["actions", "--open"]),
    ("decisions", ["decisions"]),
    ("attendance", ["attendance"]),
    ("check", ["check"]),
]

BUDGETS_TEXT = """\
| budget | limit |
|---|---|
| `lgs --help` | ≤ 6 × `python -c pass` |
| `lgs actions --open`, bundled archive | ≤ 12 × `python -c pass` |
| N = 1,000, no cache (cold) | ≤ 1.5 × parse floor |
| N = 10,000, no cache (cold) | ≤ 1.5 × parse floor |
| N = 10,000, warm cache | ≤ 40 × `python -c pass` |
| peak memory, N = 10,000 | ≤ 200 MB |
| time grows linearly with N | cost per meeting at 10,000 ≈ at 1,000 |
"""


@dataclass
class Task:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cold: bool = False  # a fresh empty cache directory for every run
    times: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    rcs: set[int] = field(default_factory=set)
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def lgs_executable() -> str:
    beside = Path(sys.executable).with_name("lgs")
    if beside.exists():
        return str(beside)
    found = shutil.which("lgs")
    if not found:
        sys.exit("bench/run.py: no 'lgs' beside this Python or on PATH; run it with the venv's python")
    return found


def run_once(task: Task, base_env: dict[str, str], scratch: Path) -> None:
    env = {**base_env, **task.env}
    cold_dir = None
    if task.cold:
        cold_dir = Path(tempfile.mkdtemp(prefix="cold-", dir=scratch))
        env["LGS_CACHE_DIR"] = str(cold_dir)
    with tempfile.TemporaryFile(dir=scratch) as err:
        start = time.perf_counter()
        proc = subprocess.Popen(task.argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            task.error = lines[-1] if lines else f"exit {proc.returncode}"
    if cold_dir is not None:
        shutil.rmtree(cold_dir, ignore_errors=True)
    task.times.append(elapsed)
    task.rss_kb.append(usage.ru_maxrss)
    task.rcs.add(proc.returncode)


def clean_env() -> dict[str, str]:
    """The environment for timed runs: no LGS_* settings, and bytecode allowed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LGS_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_package() -> None:
    """Compile lgs's modules to bytecode, as ``pip install`` does. An editable install
    run with PYTHONDONTWRITEBYTECODE=1 (as in CI) would otherwise compile every
    module from source on every run (+30-40 ms), which no installed lgs does."""
    code = "import lgs_cli, os; print(os.path.dirname(lgs_cli.__file__))"
    folder = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], env=clean_env(), check=False,
                   stdout=subprocess.DEVNULL)


def available_commands(lgs: str, env: dict[str, str]) -> dict[str, bool]:
    found = {}
    for label, args in COMMANDS:
        proc = subprocess.run([lgs, args[0], "--help"], env=env, capture_output=True)
        found[label] = proc.returncode == 0
    return found


def ensure_archive(n: int, work: Path, seed: int) -> Path:
    """Generate (or reuse) the archive of N meetings."""
    target = work / f"archive-{n}-seed{seed}"
    stamp = target / ".generated"
    generator_id = f"{n} {seed} {GENERATOR.stat().st_size} {GENERATOR.stat().st_mtime_ns}"
    if stamp.exists() and stamp.read_text() == generator_id:
        return target
    if target.exists():
        shutil.rmtree(target)
    print(f"generating {n:,} meetings in {target} …", file=sys.stderr)
    subprocess.run([sys.executable, str(GENERATOR), str(n), str(target), "--seed", str(seed)], check=True)
    stamp.write_text(generator_id)
    # lgs does not cache files modified in the last two seconds (their timestamps
    # may not yet tell a later change apart); let the newest ones age.
    time.sleep(2.5)
    return target


def warm_page_cache(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as fh:
                fh.read()


def bench_archive(name: str, root: Path, lgs: str, present: dict[str, bool], reps: int, work: Path,
                  with_help: bool) -> list[Task]:
    scratch = work / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    warm_dir = scratch / f"warm-{name}"
    shutil.rmtree(warm_dir, ignore_errors=True)
    warm_dir.mkdir()
    base_env = clean_env()
    base_env.update({"LGS_ARCHIVE": str(root), "NO_COLOR": "1", "COLUMNS": "100", "LC_ALL": "C.UTF-8"})
    py = sys.executable
    tasks = [
        Task("python -c pass", [py, "-c", "pass"]),
        Task("parse floor", [py, str(FLOOR), str(root)]),
    ]
    if with_help:
        tasks.append(Task("lgs --help", [lgs, "--help"], {"LGS_CACHE_DIR": str(warm_dir)}))
    for label, args in COMMANDS:
        if not present[label]:
            continue
        tasks.append(Task(f"{label} (cold)", [lgs, *args], cold=True))
        tasks.append(Task(f"{label} (warm)", [lgs, *args], {"LGS_CACHE_DIR": str(warm_dir)}))
        if label == "actions --open":
            tasks.append(Task(f"{label} (LGS_NO_CACHE=1)", [lgs, *args], {"LGS_NO_CACHE": "1"}))
    warm_page_cache(root)
    # fill the warm cache (and warm the interpreter's own files)
    for label, args in COMMANDS:
        if present[label]:
            subprocess.run([lgs, *args], env={**base_env, "LGS_CACHE_DIR": str(warm_dir)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for rep in range(reps):
        order = tasks[rep % len(tasks):] + tasks[: rep % len(tasks)]  # rotate: no fixed position
        for task in order:
            run_once(task, base_env, scratch)
        print(f"  {name}: round {rep + 1}/{reps} done", file=sys.stderr)
    shutil.rmtree(warm_dir, ignore_errors=True)
    return tasks


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def table(name: str, tasks: list[Task], missing: list[str]) -> list[str]:
    base = tasks[0].median
    floor = tasks[1].median
    lines = [
        f"### {name}",
        "",
        "| run | median ms | min–max ms | × python -c pass | × parse floor | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in tasks:
        note = ""
        if t.error:
            note = f" (exit {sorted(t.rcs)}: {t.error[:60]})"
        elif t.rcs - {0}:
            note = f" (exit {','.join(map(str, sorted(t.rcs)))})"
        lines.append(
            f"| {t.label}{note} | {fmt_ms(t.median)} | {fmt_ms(min(t.times))}–{fmt_ms(max(t.times))} "
            f"| {t.median / base:.1f} | {t.median / floor:.2f} | {max(t.rss_kb) / 1024:.0f} |"
        )
    for label in missing:
        lines.append(f"| {label} | missing | | | | |")
    return [*lines, ""]


def find(tasks: list[Task], label: str) -> Task | None:
    return next((t for t in tasks if t.label == label), None)


def verdicts(results: dict[str, list[Task]]) -> list[str]:
    rows: list[tuple[str, str, str, bool | None]] = []

    def ratio(group: str, label: str, base_index: int) -> tuple[float, Task] | None:
        tasks = results.get(group)
        if not tasks:
            return None
        t = find(tasks, label)
        if t is None:
            return None
        return t.median / tasks[base_index].median, t

    r = ratio("bundled", "lgs --help", 0)
    if r:
        rows.append(("`lgs --help`", "≤ 6 × pass", f"{r[0]:.1f} ×", r[0] <= 6))
    for mode in ("cold", "warm"):
        r = ratio("bundled", f"actions --open ({mode})", 0)
        if r:
            rows.append((f"`actions --open`, bundled, {mode}", "≤ 12 × pass", f"{r[0]:.1f} ×", r[0] <= 12))
    for n in ("1,000", "10,000"):
        group = f"N = {n}"
        for label, _ in COMMANDS:
            r = ratio(group, f"{label} (cold)", 1)
            if r:
                rows.append((f"`{label}`, N = {n}, no cache (cold)", "≤ 1.5 × floor", f"{r[0]:.2f} ×", r[0] <= 1.5))
        if n == "10,000":
            for label, _ in COMMANDS:
                r = ratio(group, f"{label} (warm)", 0)
                if r:
                    rows.append((f"`{label}`, N = {n}, warm cache", "≤ 40 × pass", f"{r[0]:.1f} ×", r[0] <= 40))
            tasks = results.get(group)
            if tasks:
                lgs_tasks = [t for t in tasks[2:]]
                peak = max(max(t.rss_kb) for t in lgs_tasks) / 1024
                worst = max(lgs_tasks, key=lambda t: max(t.rss_kb))
                rows.append(("peak memory, N = 10,000", "≤ 200 MB", f"{peak:.0f} MB ({worst.label})", peak <= 200))
    small, large = results.get("N = 1,000"), results.get("N = 10,000")
    if small and large:
        for label in ("actions --open (cold)", "actions --open (warm)"):
            a, b = find(small, label), find(large, label)
            if a and b:
                per_small = (a.median - small[0].median) / 1000 * 1e6
                per_large = (b.median - large[0].median) / 10000 * 1e6
                ok = per_large <= 1.5 * per_small
                rows.append((f"linear in N: `{label}`", "µs per meeting at 10,000 ≤ 1.5 × at 1,000",
                             f"{per_small:.0f} → {per_large:.0f} µs", ok))
    out = ["| budget | limit | measured | met |", "|---|---|---|---|"]
    for what, limit, measured, met in rows:
        out.append(f"| {what} | {limit} | {measured} | {'yes' if met else '**no**'} |")
    return out


def versions(lgs: str) -> list[str]:
    code = (
        "import importlib.metadata as m, json, yaml\n"
        "out = {}\n"
        "for p in ('lgs-cli','typer','click','rich','PyYAML','dateparser','pydantic'):\n"
        "    try: out[p] = m.version(p)\n"
        "    except m.PackageNotFoundError: out[p] = None\n"
        "out['libyaml'] = getattr(yaml, '__with_libyaml__', False)\n"
        "print(json.dumps(out))\n"
    )
    info = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True,
                               text=True).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except OSError:
        commit = "?"
    pkgs = ", ".join(f"{k} {v}" for k, v in info.items() if k != "libyaml" and v)
    absent = ", ".join(k for k, v in info.items() if k != "libyaml" and not v)
    return [
        f"- Machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- Packages: {pkgs}; libyaml (CSafeLoader): {'yes' if info['libyaml'] else 'NO'}"
        + (f"; not installed: {absent}" if absent else ""),
        f"- lgs commit: {commit}",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="generated archive sizes (default 100,1000,10000)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions per archive (default 5)")
    parser.add_argument("--reps-large", type=int, default=3, help="repetitions for N >= 10,000 (default 3)")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled archive")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lgs-bench",
                        help="where generated archives are kept between runs")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(REPO)}")
    args = parser.parse_args(argv)
    sizes = [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    lgs = lgs_executable()
    compile_package()
    present = available_commands(lgs, clean_env())
    missing = [label for label, ok in present.items() if not ok]
    results: dict[str, list[Task]] = {}
    archives: list[tuple[str, Path]] = []
    if not args.no_bundled:
        archives.append(("bundled", REPO / "minutes"))
    for n in sizes:
        archives.append((f"N = {n:,}", ensure_archive(n, args.work, args.seed)))
    for i, (name, root) in enumerate(archives):
        reps = args.reps_large if name.startswith("N = ") and int(name[4:].replace(",", "")) >= 10000 else args.reps
        results[name] = bench_archive(f"{i}", root, lgs, present, reps, args.work, with_help=i == 0)
    report = ["## Results", ""]
    for name, tasks in results.items():
        report += table(name if name == "bundled" else f"{name} meetings", tasks, [f"{m} (cold, warm)" for m in missing])
    report += ["## Budgets", "", *verdicts(results), ""]
    text = "\n".join(report)
    print(text)
    if args.write:
        header = RESULTS.read_text(encoding="utf-8").split("<!-- results -->")[0] if RESULTS.exists() else ""
        if not header:
            header = "# Benchmark results\n\n"
        body = [
            "<!-- results -->",
            "",
            f"Written by `bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`.".replace("  ", " "),
            "",
            *versions(lgs),
            "",
            text,
        ]
        RESULTS.write_text(header + "\n".join(body) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
