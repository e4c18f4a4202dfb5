#!/usr/bin/env python3
"""PyTorch's side of ``spikeforge bench train``: the same model, data and step, timed the same way.

Mirrors framework/cli BenchRun + framework/engine StepBenchmark:

* model: spikeforge_models.ResNet, spiking, IDSNN basic block (``--block spiking-basic``) or
  SEW-ADD, BN on the merged T*B batch in mode ``bn`` (the bench's default ``--batch-norm bn``),
  the lif neuron with the bench's default ``tau=2.0`` (decay 0.5, no input decay, threshold 0.5,
  hard reset to 0, detached reset, fire above the threshold) and the rectangular surrogate of
  width 1; ``--arch resnet`` for the ANN;
* data: one random batch reused by every step, images uniform in [0, 1) ``[batch, 3, size, size]``,
  labels uniform in [0, classes);
* step: ``zero_grad``, forward (train mode), ``F.cross_entropy``, backward, ``SGD(lr 0.01,
  momentum 0.9, weight_decay 1e-4)`` step;
* timing: ``--warmup`` unmeasured steps, then ``--steps`` timed steps (wall clock around the whole
  step); median (mean of the two middle values for an even count) and min; peak RSS from
  ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at the end.

The last line is machine-readable, as Spikeforge's: ``median_step_ms=<x> peak_rss_mb=<y>``.

Example (the first configuration of docs/engine.md's table)::

    python3 tools/pytorch-reference/bench_train.py --arch spiking-resnet --widths 16,32,64 \\
        --blocks-per-stage 1 --timesteps 4 --batch 32 --steps 30
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spikeforge_models import LifConfig, ResNet, SpikingConfig  # noqa: E402

DEPTH_BLOCKS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 20: [3, 3, 3], 32: [5, 5, 5], 44: [7, 7, 7], 56: [9, 9, 9],
                110: [18, 18, 18]}


def int_list(text: str):
    return [int(v) for v in text.split(",")]


def add_model_args(p: argparse.ArgumentParser) -> None:
    """The options that choose the model and data, the bench's (bench_infer.py takes them too)."""
    p.add_argument("--arch", default="spiking-resnet", choices=["resnet", "spiking-resnet"])
    p.add_argument("--depth", type=int, default=18, choices=sorted(DEPTH_BLOCKS))
    p.add_argument("--widths", type=int_list, help="stage widths, e.g. 16,32,64")
    p.add_argument("--blocks-per-stage", type=int_list, help="one value for all stages or one per stage")
    p.add_argument("--timesteps", type=int, default=4)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--classes", type=int, default=10)
    # the bench's words (spiking-basic, sew-add), read as the reference models' names
    p.add_argument("--block", default="spiking_basic", type=lambda word: word.replace("-", "_"),
                   choices=["spiking_basic", "sew_add"])
    p.add_argument("--batch-norm", default="bn", choices=["bn", "tdbn"])
    p.add_argument("--tau", type=float, default=2.0, help="LIF tau (decay = 1 - 1/tau); default 2.0")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads; default 2")
    p.add_argument("--seed", type=int, default=0)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Time full training steps of Spikeforge's models in PyTorch on CPU.")
    add_model_args(p)
    return p.parse_args(argv)


def describe(args, model: ResNet, mode: str) -> list[str]:
    """The lines that say what is timed, as Spikeforge's bench prints them."""
    parameters = sum(p.numel() for p in model.parameters())
    depth = 2 * sum(len(getattr(model, f"layer{s + 1}")) for s in range(model.stages)) + 2
    name = ("spiking-" if args.block == "spiking_basic" else "sew-") if args.arch == "spiking-resnet" else ""
    lines = [f"bench {mode} (PyTorch {torch.__version__}): {name}resnet{depth}, {parameters} parameters, batch "
             f"{args.batch}, {args.image_size}x{args.image_size} images, {args.classes} classes"]
    if args.arch == "spiking-resnet":
        lines.append(f"  T={args.timesteps}, lif tau={args.tau} (hard reset, threshold 0.5, detached reset), rectangular "
                     f"surrogate width 1, block {args.block}, batch norm {args.batch_norm}")
    lines.append(f"  {torch.get_num_threads()} threads, {platform.processor() or platform.machine()}, "
                 f"mkldnn {torch.backends.mkldnn.is_available()}")
    return lines


def build(args) -> ResNet:
    blocks = DEPTH_BLOCKS[args.depth]
    widths = args.widths or ([64, 128, 256, 512] if len(blocks) == 4 else [16, 32, 64])
    if args.blocks_per_stage is not None:
        blocks = args.blocks_per_stage * len(widths) if len(args.blocks_per_stage) == 1 else args.blocks_per_stage
    spiking = None
    if args.arch == "spiking-resnet":
        spiking = SpikingConfig(time_steps=args.timesteps, neuron=LifConfig(tau=args.tau), block=args.block,
                                batch_norm=args.batch_norm)
    return ResNet(widths, blocks, args.classes, 3, spiking)


def training_step(args):
    """The model in train mode and one full step on a fixed random batch, after the thread count and seed."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = build(args)
    model.train()
    images = torch.rand(args.batch, 3, args.image_size, args.image_size)
    labels = torch.randint(0, args.classes, (args.batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()

    return model, step


def main(argv=None) -> None:
    args = parse_args(argv)
    model, step = training_step(args)
    for _ in range(args.warmup):
        step()
    millis = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        millis.append((time.perf_counter() - start) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    median = statistics.median(millis)
    print("\n".join(describe(args, model, "train")))
    print(f"  {args.warmup} warm-up steps, {args.steps} measured")
    print(f"median step     {median:10.1f} ms")
    print(f"min step        {min(millis):10.1f} ms")
    print(f"throughput      {args.batch / (median / 1000):10.1f} images/s")
    print(f"peak memory     {int(peak_mb):10d} MB resident")
    print(f"median_step_ms={median:.1f} peak_rss_mb={int(peak_mb)}")


if __name__ == "__main__":
    main()
