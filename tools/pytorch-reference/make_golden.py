#!/usr/bin/env python3
"""Writes the PyTorch golden files of PyTorchGoldenTest.

For each case (a tiny ANN ResNet, a tiny IDSNN spiking ResNet, a tiny SEW ResNet with
SpikingJelly's LIF settings) this script

1. builds the model of spikeforge_models.py with seeded random weights, BN weights and biases and
   non-trivial BN running statistics (and num_batches_tracked = 7, which Spikeforge ignores);
2. runs it in PyTorch in float64 (the reference) and in float32:
   - eval mode: logits (running statistics);
   - train mode: logits (batch statistics), the cross-entropy loss with the given labels, its
     gradient with respect to the input and to every parameter, and the BN running statistics
     after that one train-mode forward;
   - spiking cases: the firing rate of every spiking layer in both modes;
3. checks that the case is well-conditioned: no membrane potential lies within MARGIN of the
   threshold, none within MARGIN of the edges of the surrogate's box (where the surrogate gradient
   jumps), no ReLU input within RELU_MARGIN of 0; float32 and float64 give the same spikes; float32
   agrees with float64 within the Java test's tolerances; every spiking layer fires sometimes and
   not always. If a seed fails these checks the next seed is tried;
4. writes framework/engine/src/test/resources/golden/pytorch/<case>.safetensors with the
   state dict under PyTorch names (float32, num_batches_tracked as I64) and the expected values
   under ``golden.*`` names (the float64 reference rounded to float32), the torch version, the
   command and the settings in ``__metadata__``.

Usage: python3 tools/pytorch-reference/make_golden.py [--out DIR] [--check] [--verbose]
(--check regenerates in memory and compares with the files already there, without writing).
Needs torch (CPU is enough) and numpy; not the safetensors package.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import sys
from typing import Dict, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from spikeforge_models import LIF, LifConfig, ResNet, SpikingConfig  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "framework", "engine", "src", "test", "resources", "golden", "pytorch")

# Tolerances of PyTorchGoldenTest for the float32 engine: |actual - expected| <= ABS + REL * |expected|
REL_TOLERANCE = 1e-4
ABS_TOLERANCE = 1e-5
# No membrane potential closer than this to the threshold or to the surrogate box's edges
MARGIN = 1e-4
# No ReLU input closer than this to 0 (the ReLU's gradient mask flips there; float32 engines differ
# from the reference by ~1e-6 at most in these tiny models)
RELU_MARGIN = 1e-5
NUM_BATCHES_TRACKED = 7
MAX_SEED_TRIES = 500


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    description: str
    widths: Tuple[int, ...]
    blocks_per_stage: int
    classes: int
    batch: int
    image_size: int
    spiking: SpikingConfig | None
    bn_weight: Tuple[float, float]  # uniform range of BN weights
    bn_bias: Tuple[float, float]  # mean and std of BN biases
    first_seed: int


CASES = [
    Case("resnet_ann",
         "ANN ResNet, widths 4/8/8, 1 basic block per stage, 10 classes, batch 3, 16x16 images",
         (4, 8, 8), 1, 10, 3, 16, None, (0.5, 1.5), (0.0, 0.2), 100),
    Case("spiking_resnet_idsnn",
         "spiking ResNet (IDSNN basic block, neuron after the addition), widths 4/8/8, 1 block per stage, "
         "T=3, batch 3, 8x8 images, tdBN, lif plugin defaults (decay 0.25, threshold 0.5, hard reset to 0, "
         "detached reset, fire above the threshold), rectangular surrogate width 1",
         (4, 8, 8), 1, 10, 3, 8,
         SpikingConfig(time_steps=3, neuron=LifConfig(), block="spiking_basic", batch_norm="tdbn"),
         (0.4, 1.0), (0.2, 0.2), 200),
    Case("sew_resnet_spikingjelly",
         "SEW-ADD ResNet, widths 4/8/8, 1 block per stage, T=2, batch 3, 8x8 images, BN mode bn, lif with "
         "SpikingJelly's LIFNode defaults (tau 2, decay_input, threshold 1, hard reset to 0, reset not "
         "detached, fire at the threshold), rectangular surrogate width 1",
         (4, 8, 8), 1, 10, 3, 8,
         SpikingConfig(time_steps=2,
                       neuron=LifConfig(tau=2.0, decay_input=True, threshold=1.0, detach_reset=False,
                                        fire_at_threshold=True),
                       block="sew_add", batch_norm="bn"),
         (1.0, 2.5), (0.8, 0.5), 300),
]


def build(case: Case, seed: int) -> Tuple[ResNet, torch.Tensor, torch.Tensor]:
    torch.manual_seed(seed)
    model = ResNet(case.widths, case.blocks_per_stage, case.classes, 3, case.spiking)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.weight.uniform_(*case.bn_weight)
                module.bias.normal_(case.bn_bias[0], case.bn_bias[1])
                module.running_mean.normal_(0.0, 0.3)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(NUM_BATCHES_TRACKED)
                assert module.running_mean.shape == (c,)
    images = torch.randn(case.batch, 3, case.image_size, case.image_size)
    labels = torch.randint(0, case.classes, (case.batch,))
    return model, images, labels


def run(model: ResNet, images: torch.Tensor, labels: torch.Tensor, dtype: torch.dtype) -> Dict[str, object]:
    """Eval forward, then train forward + backward, on a copy of the model in the given dtype."""
    model = copy.deepcopy(model).to(dtype)
    images = images.to(dtype)
    spiking = model.spiking_layers()
    for layer in spiking.values():
        layer.record_charges = True
    relu_inputs: List[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda mod, inp, out: relu_inputs.append(inp[0].detach()))
             for m in model.modules() if isinstance(m, nn.ReLU)]
    result: Dict[str, object] = {}

    model.eval()
    with torch.no_grad():
        result["eval.logits"] = model(images).clone()
    result["eval.charges"] = {n: l.last_charges for n, l in spiking.items()}
    result["eval.spikes"] = {n: l.last_spikes for n, l in spiking.items()}

    model.train()
    x = images.clone().requires_grad_(True)
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    result["train.logits"] = logits.detach().clone()
    result["train.loss"] = loss.detach().reshape(1)
    result["train.grad.input"] = x.grad.detach().clone()
    result["train.grads"] = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
    result["train.after"] = {n: t.detach().clone() for n, t in model.state_dict().items()
                             if n.endswith("running_mean") or n.endswith("running_var")}
    result["train.charges"] = {n: l.last_charges for n, l in spiking.items()}
    result["train.spikes"] = {n: l.last_spikes for n, l in spiking.items()}
    result["relu_inputs"] = relu_inputs
    for h in hooks:
        h.remove()
    return result


def flat_expected(result: Dict[str, object]) -> Dict[str, torch.Tensor]:
    """The golden.* tensors of a run."""
    out = {
        "golden.eval.logits": result["eval.logits"],
        "golden.train.logits": result["train.logits"],
        "golden.train.loss": result["train.loss"],
        "golden.train.grad.input": result["train.grad.input"],
    }
    for name, grad in result["train.grads"].items():
        out["golden.train.grad." + name] = grad
    for name, value in result["train.after"].items():
        out["golden.train.after." + name] = value
    for mode in ("eval", "train"):
        for name, spikes in result[mode + ".spikes"].items():
            out[f"golden.{mode}.firing_rate.{name}"] = spikes.mean().reshape(1)
    return out


def max_violation(actual: torch.Tensor, expected: torch.Tensor) -> float:
    """max(|a - e| / (ABS + REL |e|)): at most 1 when within the tolerances."""
    a = actual.double()
    e = expected.double()
    return float(((a - e).abs() / (ABS_TOLERANCE + REL_TOLERANCE * e.abs())).max())


def conditioning(case: Case, r64: Dict[str, object], r32: Dict[str, object]) -> Tuple[bool, Dict[str, object]]:
    """Whether the case is well-conditioned (see the module documentation), with the figures."""
    info: Dict[str, object] = {}
    ok = True
    if case.spiking is not None:
        neuron = case.spiking.neuron
        threshold_margin = min(float((c - neuron.threshold).abs().min())
                               for mode in ("eval", "train") for c in r64[mode + ".charges"].values())
        edge_margin = min(float(((c - neuron.threshold).abs() - neuron.surrogate_width / 2).abs().min())
                          for c in r64["train.charges"].values())
        same_spikes = all(torch.equal(r64[m + ".spikes"][n].float(), r32[m + ".spikes"][n].float())
                          for m in ("eval", "train") for n in r64[m + ".spikes"])
        rates = {f"{m}.{n}": float(s.mean()) for m in ("eval", "train") for n, s in r64[m + ".spikes"].items()}
        info.update(threshold_margin=threshold_margin, surrogate_edge_margin=edge_margin,
                    same_spikes_float32=same_spikes, min_rate=min(rates.values()), max_rate=max(rates.values()))
        ok &= threshold_margin >= MARGIN and edge_margin >= MARGIN and same_spikes
        ok &= 0.02 <= min(rates.values()) and max(rates.values()) <= 0.98
    if r64["relu_inputs"]:
        relu_margin = min(float(x.abs().min()) for x in r64["relu_inputs"])
        info["relu_margin"] = relu_margin
        ok &= relu_margin >= RELU_MARGIN
    e64 = flat_expected(r64)
    e32 = flat_expected(r32)
    violations = {k: max_violation(e32[k], e64[k]) for k in e64}
    worst = max(violations, key=violations.get)
    info["float32_worst"] = f"{worst} {violations[worst]:.3g}"
    ok &= violations[worst] <= 1.0
    # every gradient must be non-trivial, or the comparison proves little
    dead = [k for k, v in e64.items() if ".grad." in k and float(v.abs().max()) == 0]
    info["zero_gradients"] = dead
    ok &= not dead
    return ok, info


def make_case(case: Case, verbose: bool) -> Tuple[Dict[str, torch.Tensor], Dict[str, str], int]:
    for seed in range(case.first_seed, case.first_seed + MAX_SEED_TRIES):
        model, images, labels = build(case, seed)
        r64 = run(model, images, labels, torch.float64)
        r32 = run(model, images, labels, torch.float32)
        ok, info = conditioning(case, r64, r32)
        if ok or verbose:
            print(f"{case.name} seed {seed}: {'ok' if ok else 'rejected'} {info}", file=sys.stderr)
        if ok:
            break
    else:
        raise SystemExit(f"{case.name}: no well-conditioned seed in {MAX_SEED_TRIES} tries")
    tensors: Dict[str, torch.Tensor] = {}
    for name, value in model.state_dict().items():
        tensors[name] = value.to(torch.int64) if name.endswith("num_batches_tracked") else value.float()
    tensors["golden.input"] = images.float()
    tensors["golden.labels"] = labels.to(torch.int64)
    for name, value in flat_expected(r64).items():
        tensors[name] = value.float()
    config = {
        "widths": list(case.widths), "blocks_per_stage": case.blocks_per_stage, "classes": case.classes,
        "batch": case.batch, "image_size": case.image_size,
        "spiking": None if case.spiking is None else {
            "time_steps": case.spiking.time_steps, "block": case.spiking.block,
            "batch_norm": case.spiking.batch_norm, "neuron": dataclasses.asdict(case.spiking.neuron),
            "lif_decay": case.spiking.neuron.resolved_decay()},
    }
    metadata = {
        "description": case.description,
        "config": json.dumps(config, sort_keys=True),
        "seed": str(seed),
        "torch_version": torch.__version__,
        "command": "python3 tools/pytorch-reference/make_golden.py",
        "reference": "torch float64 on CPU, rounded to float32; eval-mode forward first, then one train-mode "
                     "forward and backward of F.cross_entropy(logits, golden.labels) (batch mean)",
        "bn": "eps 1e-5, momentum 0.1; golden.train.after.* are the running statistics after the train forward",
        "conditioning": json.dumps(info, sort_keys=True),
    }
    return tensors, metadata, seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: the engine's test resources)")
    parser.add_argument("--check", action="store_true", help="compare with the existing files instead of writing")
    parser.add_argument("--verbose", action="store_true", help="also print the seeds rejected and why")
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for case in CASES:
        tensors, metadata, seed = make_case(case, args.verbose)
        path = os.path.join(args.out, case.name + ".safetensors")
        if args.check:
            existing, _ = safetensors_io.load(path)
            assert existing.keys() == tensors.keys(), f"{path}: different tensor names"
            for name, value in tensors.items():
                assert torch.equal(existing[name], value), f"{path}: {name} differs"
            print(f"{path}: identical", file=sys.stderr)
        else:
            size = safetensors_io.save(path, tensors, metadata)
            print(f"wrote {path}: {len(tensors)} tensors, {size} bytes, seed {seed}", file=sys.stderr)


if __name__ == "__main__":
    main()
