#!/usr/bin/env python3
"""PyTorch's side of ``spikeforge bench infer``: the same model and data, inference timed the same way.

Model, data and options as bench_train.py (spikeforge_models.ResNet, random images uniform in
[0, 1), one batch reused by every pass), in eval mode under ``torch.no_grad()``. A spiking model
is timed two ways, each after its own warm-up:

* ``all``: ``model(images)``, all T*B rows at once (the training layout; what SpikingJelly's
  multi-step mode does);
* ``step``: ``model.forward_steps(images)``, one time-step at a time on ``[B, ...]`` with each
  LIF carrying its state, the stem once and the time mean as a running sum (what Spikeforge's
  ``bench infer`` does).

Each mode's peak resident memory is the process's high-water mark during that mode (reset before
it through ``/proc/self/clear_refs`` where Linux allows, else the peak since the start). ``--mode``
picks one; the default times both and reports each and the faster. The last line is
machine-readable, as Spikeforge's: ``median_step_ms=<x> peak_rss_mb=<y>`` (of the faster mode,
or of the one mode asked for), preceded by ``mode=<all|step>``-tagged lines per mode.

Example (issue 15's inference target)::

    /usr/bin/python3 tools/pytorch-reference/bench_infer.py --depth 56 --timesteps 64 --batch 128 \\
        --warmup 1 --steps 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_train import add_model_args, build, describe  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Time inference passes of Spikeforge's models in PyTorch on CPU.")
    add_model_args(p)
    p.add_argument("--mode", default="both", choices=["both", "all", "step"],
                   help="spiking model: all T at once, one step at a time, or both (default)")
    p.set_defaults(steps=5, warmup=2)
    args = p.parse_args(argv)
    if args.steps < 1 or args.warmup < 0 or args.batch < 1:
        p.error("--steps and --batch must be at least 1, --warmup at least 0")
    if args.arch != "spiking-resnet" and args.mode == "step":
        p.error("--mode step is for a spiking model")
    return args


def reset_peak() -> bool:
    """Sets the high-water mark of the resident memory to the current value (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_mb() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure(forward, images, args) -> tuple[float, float, int, bool]:
    """Median and min milliseconds of ``args.steps`` passes after ``args.warmup``, and the mode's peak MB."""
    reset = reset_peak()
    with torch.no_grad():
        for _ in range(args.warmup):
            forward(images)
        millis = []
        for _ in range(args.steps):
            start = time.perf_counter()
            forward(images)
            millis.append((time.perf_counter() - start) * 1000)
    return statistics.median(millis), min(millis), peak_mb(), reset


def main(argv=None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = build(args)
    model.eval()
    images = torch.rand(args.batch, 3, args.image_size, args.image_size)
    spiking = args.arch == "spiking-resnet"
    modes = (["step", "all"] if args.mode == "both" else [args.mode]) if spiking else ["all"]
    print("\n".join(describe(args, model, "infer")))
    print(f"  {args.warmup} warm-up passes, {args.steps} measured, per mode")
    results = {}
    for mode in modes:
        forward = model.forward_steps if mode == "step" else model
        results[mode] = measure(forward, images, args)
        median, low, peak, reset = results[mode]
        what = "one time-step at a time" if mode == "step" else "all T*B rows at once"
        print(f"mode={mode} ({what}): median step {median:.1f} ms, min {low:.1f} ms, "
              f"{args.batch / (median / 1000):.1f} images/s, peak {peak} MB resident"
              f"{'' if reset else ' (peak since the start: this system cannot reset it)'}")
    faster = min(results, key=lambda m: results[m][0])
    median, _, peak, _ = results[faster]
    if len(results) > 1:
        print(f"faster: {faster}")
    print(f"median_step_ms={median:.1f} peak_rss_mb={peak}")


if __name__ == "__main__":
    main()
