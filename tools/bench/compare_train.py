#!/usr/bin/env python3
"""Spikeforge against PyTorch on the training-step configurations of issue 15's table, in alternating runs.

Each round runs, for every configuration, ``./spikeforge bench train`` and
``tools/pytorch-reference/bench_train.py`` (under ``/usr/bin/python3``: Debian's python3-torch 1.13,
the fastest PyTorch on this kind of machine) one after the other, the side that goes first
alternating from round to round. Every run is a fresh process wrapped in ``/usr/bin/time -v``; the
script reads each tool's own last line (``median_step_ms=<x> peak_rss_mb=<y>``), the peak resident
memory that ``time`` saw (the whole process tree: the JVM with its native memory, Python with
torch), the threads each side says it uses, and the load average before each run. At the end it
prints per configuration the median over the rounds of each side's median step and peak memory
and their ratios, with every round's values, and optionally writes all runs as CSV.

Only a quiet machine gives numbers worth quoting: run nothing else, use at least three rounds,
and quote the load averages with the medians (docs/engine.md, "Measuring against PyTorch").

Example (all four configurations, three rounds)::

    python3 tools/bench/compare_train.py --rounds 3 --csv /tmp/compare.csv

One round of the smallest configuration, to check that both sides run::

    python3 tools/bench/compare_train.py --rounds 1 --configs small
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTORCH_BENCH = os.path.join(ROOT, "tools", "pytorch-reference", "bench_train.py")


@dataclass(frozen=True)
class Config:
    """One row of the issue's table: spiking ResNet, basic block, BN over T*B, lif tau=2, batch 32."""

    name: str
    widths: str
    blocks: int
    timesteps: int

    def model_args(self, batch: int) -> list[str]:
        return ["--arch", "spiking-resnet", "--widths", self.widths, "--blocks-per-stage", str(self.blocks),
                "--timesteps", str(self.timesteps), "--batch", str(batch)]


CONFIGS = {c.name: c for c in [
    Config("small", "16,32,64", 1, 4),
    Config("medium", "32,64,128", 1, 4),
    Config("small-t8", "16,32,64", 1, 8),
    Config("large", "64,128,256", 2, 4),
]}

SUMMARY = re.compile(r"^median_step_ms=([0-9.]+) peak_rss_mb=([0-9]+)$", re.M)
MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): ([0-9]+)")
SPIKEFORGE_THREADS = re.compile(r"^  backend .*, ([0-9]+) threads$", re.M)
PYTORCH_THREADS = re.compile(r"^  ([0-9]+) threads, ", re.M)
PYTORCH_VERSION = re.compile(r"^bench (?:train|infer) \(PyTorch ([^)]+)\)", re.M)


@dataclass
class Run:
    round: int
    config: str
    side: str
    median_ms: float
    tool_peak_mb: int
    time_peak_mb: int
    threads: int
    load_before: str
    seconds: float


def add_environment_options(p: argparse.ArgumentParser) -> None:
    """--wait-policy and --malloc-threshold: what both sides run with, besides the threads."""
    p.add_argument("--wait-policy", default="PASSIVE", choices=["PASSIVE", "ACTIVE"],
                   help="OMP_WAIT_POLICY for both sides; default PASSIVE, what Spikeforge's launcher sets. "
                        "libgomp's default (spinning) makes PyTorch 2-10x slower whenever another process "
                        "holds a core (docs/engine.md, Profiling a step)")
    p.add_argument("--malloc-threshold", type=int, metavar="BYTES",
                   help="MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ for both sides (glibc); default: "
                        "unset, glibc's own (fresh pages for every tensor above 32 MB)")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3, help="runs of each side per configuration; default 3")
    p.add_argument("--configs", default=",".join(CONFIGS),
                   help="comma-separated, of " + ", ".join(CONFIGS) + "; default all")
    p.add_argument("--batch", type=int, default=32, help="default 32, as the issue's table")
    p.add_argument("--steps", type=int, default=30, help="measured steps per run; default 30")
    p.add_argument("--spikeforge-warmup", type=int, default=20,
                   help="Spikeforge's warm-up steps (its JIT compiles the Java kernels); default 20, the bench's")
    p.add_argument("--pytorch-warmup", type=int, default=5, help="PyTorch's warm-up steps; default 5, bench_train.py's")
    p.add_argument("--threads", type=int, default=2,
                   help="OMP_NUM_THREADS for both, and bench_train.py --threads; default 2")
    add_environment_options(p)
    p.add_argument("--spikeforge", default=os.path.join(ROOT, "spikeforge"), help="default: this tree's ./spikeforge")
    p.add_argument("--python", default="/usr/bin/python3", help="the Python with torch; default /usr/bin/python3")
    p.add_argument("--csv", help="also write every run to this new file")
    args = p.parse_args(argv)
    names = [n for n in args.configs.split(",") if n]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        p.error(f"--configs: unknown {', '.join(unknown)}; known: {', '.join(CONFIGS)}")
    if args.rounds < 1 or args.steps < 1 or args.batch < 1:
        p.error("--rounds, --steps and --batch must be at least 1")
    if args.csv and os.path.exists(args.csv):
        p.error(f"--csv {args.csv}: the file exists; give a new file")
    args.configs = [CONFIGS[n] for n in names]
    return args


def command(side: str, config: Config, args) -> list[str]:
    if side == "spikeforge":
        return [args.spikeforge, "bench", "train", *config.model_args(args.batch), "--steps", str(args.steps),
                "--warmup", str(args.spikeforge_warmup)]
    return [args.python, PYTORCH_BENCH, *config.model_args(args.batch), "--steps", str(args.steps),
            "--warmup", str(args.pytorch_warmup), "--threads", str(args.threads)]


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def environment(args) -> dict[str, str]:
    """The variables both sides run with: the same threads, OpenMP wait policy and malloc thresholds."""
    env = {"OMP_NUM_THREADS": str(args.threads), "OMP_WAIT_POLICY": args.wait_policy}
    if args.malloc_threshold is not None:
        env["MALLOC_MMAP_THRESHOLD_"] = env["MALLOC_TRIM_THRESHOLD_"] = str(args.malloc_threshold)
    return env


def describe_environment(args) -> str:
    return " ".join(f"{k}={v}" for k, v in environment(args).items())


def prepare_spikeforge(launcher: str) -> None:
    """Runs ``launcher --version`` once, untimed: the source tree's launcher rebuilds the distribution
    when sources changed, and that Maven build would otherwise land in the first run's time and peak."""
    proc = subprocess.run([launcher, "--version"], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"{launcher} --version failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr[-4000:]}")
    lines = proc.stdout.strip().splitlines()
    print(f"{lines[0] if lines else 'spikeforge ?'} ({launcher})", flush=True)


def timed_run(side: str, config_name: str, cmd: list[str], round_index: int, threads_wanted: int,
              python: str, first: bool, extra_env: dict[str, str]) -> Run:
    """Runs one side's bench under /usr/bin/time -v with OMP_NUM_THREADS and reads its figures.

    ``side`` starting with ``spikeforge`` reads Spikeforge's thread line, any other PyTorch's;
    ``first`` prints the PyTorch version once."""
    cmd = ["/usr/bin/time", "-v", *cmd]
    env = dict(os.environ, **extra_env)
    for unset in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        if unset not in extra_env:
            env.pop(unset, None)
    load = load_average()
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"{side} failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr[-4000:]}")
    summary = SUMMARY.findall(proc.stdout)
    rss = MAX_RSS.search(proc.stderr)
    spikeforge = side.startswith("spikeforge")
    threads = (SPIKEFORGE_THREADS if spikeforge else PYTORCH_THREADS).search(proc.stdout)
    if not summary or not rss or not threads:
        sys.exit(f"{side}: could not read the summary line, the threads or time's peak from:\n{proc.stdout}\n"
                 f"{proc.stderr[-4000:]}")
    if int(threads.group(1)) != threads_wanted:
        if not spikeforge:
            sys.exit(f"PyTorch runs {threads.group(1)} threads, not {threads_wanted}:\n{proc.stdout}")
        # Spikeforge prints the processors Java sees; libnd4j follows OMP_NUM_THREADS
        print(f"note: Spikeforge sees {threads.group(1)} processors; OMP_NUM_THREADS={threads_wanted}", flush=True)
    if not spikeforge and first:
        version = PYTORCH_VERSION.search(proc.stdout)
        print(f"PyTorch {version.group(1) if version else '?'} ({python})", flush=True)
    median_ms, tool_peak = summary[-1]
    return Run(round_index + 1, config_name, side, float(median_ms), int(tool_peak), int(rss.group(1)) // 1024,
               int(threads.group(1)), load, seconds)


def run_once(side: str, config: Config, round_index: int, args) -> Run:
    return timed_run(side, config.name, command(side, config, args), round_index, args.threads, args.python,
                     round_index == 0 and config == args.configs[0], environment(args))


def write_csv(path: str, runs: list[Run]) -> None:
    with open(path, "x", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["round", "config", "side", "median_step_ms", "tool_peak_rss_mb", "time_peak_rss_mb",
                         "threads", "load_before", "seconds"])
        for x in runs:
            writer.writerow([x.round, x.config, x.side, x.median_ms, x.tool_peak_mb, x.time_peak_mb, x.threads,
                             x.load_before, f"{x.seconds:.1f}"])
    print(f"wrote {path}")


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"{len(args.configs)} configurations x {args.rounds} rounds, batch {args.batch}, {args.steps} steps,"
          f" {args.threads} threads; {os.cpu_count()} CPUs; load average {load_average()}", flush=True)
    print(f"environment of both sides: {describe_environment(args)}", flush=True)
    prepare_spikeforge(args.spikeforge)
    runs: list[Run] = []
    for r in range(args.rounds):
        sides = ["spikeforge", "pytorch"] if r % 2 == 0 else ["pytorch", "spikeforge"]
        for config in args.configs:
            for side in sides:
                run = run_once(side, config, r, args)
                runs.append(run)
                print(f"round {run.round} {config.name:9s} {side:10s} median {run.median_ms:8.1f} ms, peak"
                      f" {run.tool_peak_mb:5d} MB (time -v: {run.time_peak_mb} MB), load {run.load_before},"
                      f" {run.seconds:.0f} s", flush=True)
    print()
    print("config     widths      blocks  T  | Spikeforge ms  PyTorch ms  ratio | Spikeforge MB  PyTorch MB  ratio"
          " | rounds (Spikeforge / PyTorch ms)")
    for config in args.configs:
        mine = [x for x in runs if x.config == config.name and x.side == "spikeforge"]
        theirs = [x for x in runs if x.config == config.name and x.side == "pytorch"]
        sf_ms = statistics.median(x.median_ms for x in mine)
        pt_ms = statistics.median(x.median_ms for x in theirs)
        sf_mb = statistics.median(x.time_peak_mb for x in mine)
        pt_mb = statistics.median(x.time_peak_mb for x in theirs)
        rounds = ", ".join(f"{a.median_ms:.0f}/{b.median_ms:.0f}" for a, b in zip(mine, theirs))
        print(f"{config.name:10s} {config.widths:11s} {config.blocks:6d} {config.timesteps:2d} |"
              f" {sf_ms:13.1f} {pt_ms:11.1f} {sf_ms / pt_ms:6.2f} | {sf_mb:13.0f} {pt_mb:11.0f} {sf_mb / pt_mb:6.2f}"
              f" | {rounds}")
    print("ms: median over the rounds of each run's median step; MB: median of the peak resident memory of"
          " the whole process (/usr/bin/time -v)")
    if args.csv:
        write_csv(args.csv, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
