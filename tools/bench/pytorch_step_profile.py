#!/usr/bin/env python3
"""PyTorch's side of the step split: ATen operators of ``bench_train.py``'s step, by self time.

Builds the same model, data and SGD step as ``tools/pytorch-reference/bench_train.py`` (its
``parse_args``/``build``, so the arguments are the same), runs ``--warmup`` steps, then ``--steps``
steps under ``torch.autograd.profiler.profile`` and prints per step: the operators by self CPU
time, and the same time grouped into the components Spikeforge's bench reports (convolution,
batch norm, neurons, the rest) so that both sides can be put in one table. Run it with the
interpreter that has the PyTorch to compare (Debian's 1.13: ``/usr/bin/python3``)::

    /usr/bin/python3 tools/bench/pytorch_step_profile.py --arch spiking-resnet --widths 16,32,64 \\
        --blocks-per-stage 1 --timesteps 4 --batch 32 --warmup 10 --steps 10

The profiler adds a few microseconds per operator (about a thousand operators per step here), so
its total is somewhat above the bench's median; use the shares.
"""

from __future__ import annotations

import collections
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'pytorch-reference'))
import bench_train  # noqa: E402

# ATen operator (name without "aten::") -> component of Spikeforge's bench; exact names or prefixes
# followed by "_" (so "add" also takes "add_", but "t" takes nothing but "aten::t")
GROUPS = [
    ('convolution', ('convolution', 'conv2d', 'mkldnn_convolution', 'convolution_backward', '_convolution')),
    ('batch norm', ('batch_norm', 'native_batch_norm', 'native_batch_norm_backward', '_batch_norm_impl_index')),
    ('neurons: comparisons, surrogate', ('gt', 'ge', 'lt', 'le', 'abs', 'sub', 'rsub', 'where', 'neg',
                                         'RectangularSpike', 'RectangularSpikeBackward')),
    ('add/mul/copy: LIF update, gradient accumulation, residual', ('add', 'mul', 'div', 'copy', '_to_copy', 'to')),
    ('zero tensors and fills (zero_grad, select_backward)', ('fill', 'zero', 'zeros', 'zeros_like')),
    ('stack/select/cat (LIF loop bookkeeping)', ('stack', 'select', 'select_backward', 'cat', 'unbind', 'reshape',
                                                '_reshape_alias', 'view', 'detach', 'as_strided', 'clone')),
    ('optimizer (SGD)', ('_foreach_add', '_foreach_mul', 'sgd', 'Optimizer.step#SGD.step')),
    ('loss, linear, pooling', ('linear', 'addmm', 'mm', 't', 'cross_entropy', 'log_softmax', '_log_softmax',
                               'nll_loss', 'nll_loss_forward', 'nll_loss_backward', 'mean', 'sum', 'avg_pool2d',
                               'adaptive_avg_pool2d', 'repeat', 'expand')),
    ('allocation', ('empty', 'empty_strided', 'empty_like', 'resize')),
]


def group_of(name: str) -> str:
    if name.startswith('autograd::') or name.endswith('Backward0') or name.endswith('Backward1'):
        return 'autograd engine (self time of its nodes)'
    bare = name.replace('aten::', '')
    for group, keys in GROUPS:
        for key in keys:
            if bare == key or bare.startswith(key + '_') or (key[0].isupper() and bare.startswith(key)):
                return group
    return 'other'


def main(argv=None) -> None:
    args = bench_train.parse_args(argv)
    _, step = bench_train.training_step(args)
    for _ in range(args.warmup):
        step()
    plain = []
    for _ in range(args.steps):
        start = time.perf_counter(); step(); plain.append((time.perf_counter() - start) * 1000)
    with torch.autograd.profiler.profile() as prof:
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        profiled = (time.perf_counter() - start) * 1000 / args.steps
    n = args.steps
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events) / 1000 / n
    print('PyTorch %s, %d threads: median step %.1f ms without the profiler, %.1f ms mean with it; '
          'operators\' self time %.1f ms per step' % (torch.__version__, torch.get_num_threads(),
                                                     statistics.median(plain), profiled, total))
    groups = collections.Counter(); calls = collections.Counter()
    for e in events:
        g = group_of(e.key)
        groups[g] += e.self_cpu_time_total / 1000 / n; calls[g] += e.count / n
    print('\n%-58s %8s %9s %7s' % ('component', 'ops/step', 'ms/step', 'share'))
    for g, ms in groups.most_common():
        print('%-58s %8.0f %9.2f %6.1f%%' % (g[:58], calls[g], ms, 100 * ms / total))
    print('\n%-44s %8s %9s %9s  %s' % ('operator', 'calls', 'self ms', 'total ms', 'component'))
    for e in sorted(events, key=lambda e: -e.self_cpu_time_total)[:40]:
        print('%-44s %8.0f %9.2f %9.2f  %s' % (e.key[:44], e.count / n, e.self_cpu_time_total / 1000 / n,
                                               e.cpu_time_total / 1000 / n, group_of(e.key)))


if __name__ == '__main__':
    main()
