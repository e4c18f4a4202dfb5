#!/usr/bin/env python3
"""Spikeforge against PyTorch on spiking inference (issue 15): CIFAR ResNet-20 and ResNet-56 at several T.

Each round runs, for every configuration (depth and T, batch 128 by default), three sides one after
the other, their order rotating from round to round: ``./spikeforge bench infer`` (which steps a
spiking model through time), and ``tools/pytorch-reference/bench_infer.py`` under
``/usr/bin/python3`` (Debian's python3-torch 1.13) once per PyTorch way: ``--mode step`` (one
time-step at a time with state) and ``--mode all`` (all T*B rows at once). Each run is a fresh
process under ``/usr/bin/time -v``, read as compare_train.py reads it (whose code this shares):
each tool's last line, the peak resident memory of the whole process, the threads, the load
average before the run. At the end it prints per configuration the median over the rounds of
each side's median pass and peak memory, and Spikeforge's ratios to the faster PyTorch way (by
time) and to each way's peak memory.

Only a quiet machine gives numbers worth quoting (docs/engine.md, "Measuring against PyTorch").

Example (issue 15's target, ResNet-56 at T=64, three rounds)::

    python3 tools/bench/compare_infer.py --depths 56 --timesteps 64 --rounds 3 --steps 3 --warmup 1

The batch whole against parts of 32 rows (``bench infer --rows-per-part 32``, each a side of its own;
0 is the whole batch)::

    python3 tools/bench/compare_infer.py --depths 56 --timesteps 64 --rows-per-part 0,32 --rounds 3 --steps 2

All six configurations, one round::

    python3 tools/bench/compare_infer.py --rounds 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

from compare_train import (ROOT, Run, add_environment_options, describe_environment, environment, load_average,
                           prepare_spikeforge, timed_run, write_csv)

PYTORCH_BENCH = os.path.join(ROOT, "tools", "pytorch-reference", "bench_infer.py")
PYTORCH_SIDES = ["pytorch-step", "pytorch-all"]


def int_list(text: str) -> list[int]:
    return [int(v) for v in text.split(",") if v]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depths", type=int_list, default=[20, 56], help="CIFAR ResNet depths; default 20,56")
    p.add_argument("--timesteps", type=int_list, default=[4, 16, 64], help="T values; default 4,16,64")
    p.add_argument("--rounds", type=int, default=3, help="runs of each side per configuration; default 3")
    p.add_argument("--batch", type=int, default=128, help="default 128")
    p.add_argument("--steps", type=int, default=3, help="measured passes per run; default 3")
    p.add_argument("--warmup", type=int, default=1,
                   help="unmeasured passes first, each side (a pass of a deep model at a large T is long); default 1")
    p.add_argument("--threads", type=int, default=2,
                   help="OMP_NUM_THREADS for both, and bench_infer.py --threads; default 2")
    add_environment_options(p)
    p.add_argument("--spikeforge", default=os.path.join(ROOT, "spikeforge"), help="default: this tree's ./spikeforge")
    p.add_argument("--python", default="/usr/bin/python3", help="the Python with torch; default /usr/bin/python3")
    p.add_argument("--rows-per-part", type=int_list, default=[0],
                   help="Spikeforge's --rows-per-part, a side per value (0: the whole batch at once); default 0")
    p.add_argument("--csv", help="also write every run to this new file")
    args = p.parse_args(argv)
    if args.rounds < 1 or args.steps < 1 or args.batch < 1 or args.warmup < 0:
        p.error("--rounds, --steps and --batch must be at least 1, --warmup at least 0")
    if not args.depths or not args.timesteps or min(args.timesteps) < 1:
        p.error("--depths and --timesteps need at least one value, T at least 1")
    if not args.rows_per_part or min(args.rows_per_part) < 0 or len(set(args.rows_per_part)) < len(args.rows_per_part):
        p.error("--rows-per-part needs distinct values of at least 0 (0: the whole batch)")
    if args.csv and os.path.exists(args.csv):
        p.error(f"--csv {args.csv}: the file exists; give a new file")
    args.configs = [(d, t) for d in args.depths for t in sorted(args.timesteps)]
    return args


def config_name(depth: int, timesteps: int) -> str:
    return f"resnet{depth}-T{timesteps}"


def spikeforge_side(rows_per_part: int) -> str:
    return "spikeforge" if rows_per_part == 0 else f"spikeforge-r{rows_per_part}"


def command(side: str, depth: int, timesteps: int, args) -> list[str]:
    model = ["--arch", "spiking-resnet", "--depth", str(depth), "--timesteps", str(timesteps), "--batch",
             str(args.batch), "--steps", str(args.steps), "--warmup", str(args.warmup)]
    if side.startswith("spikeforge"):
        parts = ["--rows-per-part", side.split("-r")[1]] if "-r" in side else []
        return [args.spikeforge, "bench", "infer", *model, *parts]
    return [args.python, PYTORCH_BENCH, *model, "--threads", str(args.threads), "--mode", side.split("-")[1]]


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"{len(args.configs)} configurations x {args.rounds} rounds, batch {args.batch}, {args.warmup} warm-up and"
          f" {args.steps} measured passes, {args.threads} threads; {os.cpu_count()} CPUs; load average"
          f" {load_average()}", flush=True)
    print(f"environment of both sides: {describe_environment(args)}", flush=True)
    prepare_spikeforge(args.spikeforge)
    ours = [spikeforge_side(rows) for rows in args.rows_per_part]
    all_sides = ours + PYTORCH_SIDES
    runs: list[Run] = []
    for r in range(args.rounds):
        sides = all_sides[r % len(all_sides):] + all_sides[:r % len(all_sides)]
        for depth, timesteps in args.configs:
            name = config_name(depth, timesteps)
            for side in sides:
                first_pytorch = all(x.side.startswith("spikeforge") for x in runs)
                run = timed_run(side, name, command(side, depth, timesteps, args), r, args.threads, args.python,
                                first_pytorch, environment(args))
                runs.append(run)
                print(f"round {run.round} {name:14s} {side:12s} median {run.median_ms:9.1f} ms, peak"
                      f" {run.tool_peak_mb:6d} MB (time -v: {run.time_peak_mb} MB), load {run.load_before},"
                      f" {run.seconds:.0f} s", flush=True)
    print()
    print("config         side            | Spikeforge ms  PyTorch step ms  all ms  SF/faster | Spikeforge MB"
          "  PyTorch step MB  all MB  SF/step  SF/all")
    for depth, timesteps in args.configs:
        name = config_name(depth, timesteps)

        def median(side: str, field: str) -> float:
            return statistics.median(getattr(x, field) for x in runs if x.config == name and x.side == side)

        step_ms, all_ms = (median(s, "median_ms") for s in PYTORCH_SIDES)
        step_mb, all_mb = (median(s, "time_peak_mb") for s in PYTORCH_SIDES)
        for side in ours:
            sf_ms = median(side, "median_ms")
            sf_mb = median(side, "time_peak_mb")
            print(f"{name:14s} {side:15s} | {sf_ms:13.1f} {step_ms:16.1f} {all_ms:7.1f}"
                  f" {sf_ms / min(step_ms, all_ms):9.2f} | {sf_mb:13.0f} {step_mb:16.0f} {all_mb:7.0f}"
                  f" {sf_mb / step_mb:8.2f} {sf_mb / all_mb:7.2f}")
    print("ms: median over the rounds of each run's median pass; MB: median of the peak resident memory of the"
          " whole process (/usr/bin/time -v); SF/faster: Spikeforge's time over the faster PyTorch way's")
    if args.csv:
        write_csv(args.csv, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
