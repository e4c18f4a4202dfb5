#!/usr/bin/env python3
"""Writes the fixture of EvalCommandTest: a small ANN ResNet trained by PyTorch, and what PyTorch
reports on the test set.

1. reads a synthetic set written by Spikeforge (the CIFAR-10 binary layout):
       ./spikeforge data synth --train 2000 --test 1000 --seed 7 --out /tmp/synthetic-eval
2. trains spikeforge_models.ResNet (ANN, widths 8/16/32, one block per stage: Spikeforge's resnet8
   with those widths) on its training images for a few epochs (one torch thread; pixels scaled to
   [0, 1], no normalization, no augmentation: `dataset.normalize: false`), from the first seed
   (FIRST_SEED, FIRST_SEED + 1, ...) whose model passes the margin check of 4;
3. evaluates it in eval mode in float32 on every test image, in order, in batches of 100: top-1
   correct images (overall and per class) and the mean cross-entropy (F.cross_entropy, summed over
   the batches weighted by their size, divided by the images);
4. writes framework/cli/src/test/resources/eval/pytorch-resnet8.safetensors: the state dict under
   PyTorch's names (float32, num_batches_tracked as I64) and, in __metadata__, those results, the
   smallest gap between the two largest logits of a test image (at least MIN_MARGIN, far above
   float32 rounding, so another float32 engine predicts the same classes), the settings, torch's version and the
   command.

Usage: python3 tools/pytorch-reference/make_eval_fixture.py --data /tmp/synthetic-eval [--out FILE]
Needs torch (Debian's python3-torch 1.13 was used) and numpy; not the safetensors package.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from spikeforge_models import ResNet  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "framework", "cli", "src", "test", "resources", "eval", "pytorch-resnet8.safetensors")
WIDTHS = [8, 16, 32]
CLASSES = 10
EPOCHS = 4
BATCH = 64
LR = 0.05
EVAL_BATCH = 100
FIRST_SEED = 0
MAX_SEED_TRIES = 20
# A test image whose two largest logits are closer than this could flip in another float32 engine
# (the engines' logits differ by about 1e-6 on these models: PyTorchGoldenTest's float tolerance is 1e-5)
MIN_MARGIN = 1e-4


def read_cifar(files):
    records = np.concatenate([np.fromfile(f, dtype=np.uint8) for f in files]).reshape(-1, 1 + 3 * 32 * 32)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(records[:, 1:].astype(np.float32).reshape(-1, 3, 32, 32) / 255.0)
    return images, labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the folder `spikeforge data synth` wrote")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(1)
    train_files = sorted(glob.glob(os.path.join(args.data, "data_batch_*.bin")))
    train_images, train_labels = read_cifar(train_files)
    test_images, test_labels = read_cifar([os.path.join(args.data, "test_batch.bin")])

    for seed in range(FIRST_SEED, FIRST_SEED + MAX_SEED_TRIES):
        result = train_and_evaluate(seed, train_images, train_labels, test_images, test_labels)
        if result is not None:
            return write(args.out, seed, *result)
    print(f"no seed in {MAX_SEED_TRIES} tries gave every test image a logit margin of {MIN_MARGIN}", file=sys.stderr)
    return 1


def train_and_evaluate(seed, train_images, train_labels, test_images, test_labels):
    torch.manual_seed(seed)
    model = ResNet(WIDTHS, 1, classes=CLASSES, input_channels=3)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, weight_decay=1e-4)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(train_labels))
        for start in range(0, len(order), BATCH):
            index = order[start:start + BATCH]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(train_images[index]), train_labels[index])
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}", file=sys.stderr)

    model.eval()
    loss_sum = 0.0
    predicted = []
    margins = []
    with torch.no_grad():
        for start in range(0, len(test_labels), EVAL_BATCH):
            logits = model(test_images[start:start + EVAL_BATCH])
            labels = test_labels[start:start + EVAL_BATCH]
            loss_sum += F.cross_entropy(logits, labels).item() * len(labels)
            predicted.append(logits.argmax(dim=1))
            top2 = logits.topk(2, dim=1).values
            margins.append(top2[:, 0] - top2[:, 1])
    predicted = torch.cat(predicted)
    margin = torch.cat(margins).min().item()
    correct = predicted == test_labels
    per_class = [int(correct[test_labels == c].sum()) for c in range(CLASSES)]
    images_per_class = [int((test_labels == c).sum()) for c in range(CLASSES)]
    images = len(test_labels)
    loss = loss_sum / images
    if margin < MIN_MARGIN:
        print(f"seed {seed}: a test image's two largest logits are {margin:g} apart (< {MIN_MARGIN})", file=sys.stderr)
        return None
    return model, correct, per_class, images_per_class, images, loss, margin


def write(out, seed, model, correct, per_class, images_per_class, images, loss, margin) -> int:
    state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
    metadata = {
        "description": "An ANN ResNet-8 (widths 8/16/32) trained by PyTorch on a Spikeforge synthetic set, and what"
                       " PyTorch reports on its test images: spikeforge eval must report the same",
        "data": "./spikeforge data synth --train 2000 --test 1000 --seed 7 --out DIR; dataset.normalize: false",
        "config": json.dumps({"widths": WIDTHS, "blocks_per_stage": 1, "classes": CLASSES, "epochs": EPOCHS,
                              "batch": BATCH, "lr": LR, "momentum": 0.9, "weight_decay": 1e-4, "seed": seed,
                              "eval_batch": EVAL_BATCH}),
        "eval.images": str(images),
        "eval.correct": str(int(correct.sum())),
        "eval.accuracy": repr(int(correct.sum()) / images),
        "eval.loss": repr(loss),
        "eval.correct_per_class": json.dumps(per_class),
        "eval.images_per_class": json.dumps(images_per_class),
        "eval.min_logit_margin": repr(margin),
        "torch_version": torch.__version__,
        "command": "python3 tools/pytorch-reference/make_eval_fixture.py --data DIR",
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    size = safetensors_io.save(out, state, metadata)
    print(f"{out}: {size} bytes; accuracy {int(correct.sum())}/{images}, loss {loss:.6f},"
          f" smallest logit margin {margin:.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
