#!/usr/bin/env python3
"""Splits the oneDNN time of a training step by primitive, from a ``DNNL_VERBOSE=1`` log.

Both sides of issue 15's comparison run oneDNN: Spikeforge through libnd4j (oneDNN 2.3) and
Debian's PyTorch 1.13 (oneDNN 2.6, ``mkldnn``). With ``DNNL_VERBOSE=1`` (``ONEDNN_VERBOSE=1``
for 2.6) every executed primitive prints one ``dnnl_verbose,exec,...`` line ending in its time in
milliseconds. This script keeps the exec lines of the last ``--keep`` of ``--runs`` equal steps
(warm-up and measured steps of one bench run; the line count must divide evenly, which also checks
that every step ran the same primitives) and prints, per step: calls, milliseconds and elements by
kind (convolution forward / backward-data / backward-weights with the implementation, activation
and weight reorders with their layouts, pooling, batch norm, ...).

Usage, the issue's small configuration (20 steps in all, the last 10 kept)::

    DNNL_VERBOSE=1 ./spikeforge bench train --arch spiking-resnet --widths 16,32,64 \\
        --blocks-per-stage 1 --timesteps 4 --batch 32 --warmup 10 --steps 10 > sf.log
    python3 tools/bench/dnnl_step_split.py sf.log --runs 20 --keep 10

    DNNL_VERBOSE=1 /usr/bin/python3 tools/pytorch-reference/bench_train.py --widths 16,32,64 \\
        --blocks-per-stage 1 --timesteps 4 --batch 32 --warmup 10 --steps 10 > pt.log
    python3 tools/bench/dnnl_step_split.py pt.log --runs 20 --keep 10

Caveats: the verbose printing slows the whole step (compare the sum with the bench's median from a
run without it); times are oneDNN's own per-call wall times, so on 2 threads they are the
primitive's elapsed time, not CPU time. A reorder whose last two dimensions are equal and at most
7 is counted as a weight reorder (kernels are 1x1 to 7x7; activations are larger).
"""

from __future__ import annotations

import argparse
import collections
import re
import signal
import sys

TAG = re.compile(r'(src|dst|wei|diff_src|diff_dst|diff_wei)_f32:[a-z]*:blocked:([A-Za-z0-9]+)')


def elements(shape: str) -> int:
    n = 1
    for d in shape.split('x'):
        n *= int(d)
    return n


def classify(fields):
    """(group, key, elements) of one exec line's fields."""
    kind, impl, prop, mds = fields[3], fields[4], fields[5], fields[6]
    shape = fields[-2]
    if kind == 'reorder':
        tags = dict(TAG.findall(mds))
        dims = shape.split('x')
        weight = len(dims) == 4 and dims[2] == dims[3] and int(dims[2]) <= 7
        what = 'weight reorder' if weight else 'activation reorder'
        return what, '%s %s->%s' % (what, tags.get('src', '?'), tags.get('dst', '?')), elements(shape)
    if kind == 'convolution':
        short = {'forward_training': 'fwd', 'forward_inference': 'fwd', 'backward_data': 'bwd-data',
                 'backward_weights': 'bwd-weights'}.get(prop, prop)
        tags = TAG.findall(mds)
        layout = tags[0][1] if tags else '?'
        alg = fields[8] if len(fields) > 9 else ''
        return 'conv ' + short, 'conv %s %s %s %s' % (short, impl, layout, alg.replace('alg:convolution_', '')), 0
    return kind, '%s %s %s' % (kind, prop, impl), 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('log')
    p.add_argument('--runs', type=int, required=True, help='steps in the log (warm-up + measured)')
    p.add_argument('--keep', type=int, required=True, help='last steps to count')
    p.add_argument('--by-shape', action='store_true', help='also split convolutions by shape')
    args = p.parse_args(argv)

    lines = [l.rstrip('\n') for l in open(args.log, errors='replace')
             if l.startswith(('dnnl_verbose,exec', 'onednn_verbose,exec'))]
    if len(lines) % args.runs:
        sys.exit('%d exec lines do not split into %d equal steps' % (len(lines), args.runs))
    per_step = len(lines) // args.runs
    kept = lines[-per_step * args.keep:]
    calls = collections.Counter(); ms = collections.Counter(); elems = collections.Counter()
    group_ms = collections.Counter(); group_calls = collections.Counter()
    for line in kept:
        f = line.split(',')
        group, key, n = classify(f)
        if args.by_shape and group.startswith('conv'):
            key += ' ' + f[-2]
        t = float(f[-1])
        calls[key] += 1; ms[key] += t; elems[key] += n
        group_ms[group] += t; group_calls[group] += 1
    k = args.keep
    total = sum(group_ms.values()) / k
    print('%d exec lines per step; last %d of %d steps; oneDNN total %.1f ms per step' % (per_step, k, args.runs, total))
    print('\n%-22s %8s %10s %7s' % ('group', 'calls', 'ms/step', 'share'))
    for g in sorted(group_ms, key=lambda g: -group_ms[g]):
        print('%-22s %8.0f %10.2f %6.1f%%' % (g, group_calls[g] / k, group_ms[g] / k, 100 * group_ms[g] / k / total))
    print('\n%-100s %7s %9s %12s %8s' % ('primitive', 'calls', 'ms/step', 'Melem/step', 'GB/s'))
    for key in sorted(ms, key=lambda key: -ms[key]):
        m = ms[key] / k; e = elems[key] / k
        bw = ('%8.1f' % (e * 8 / (m * 1e-3) / 1e9)) if e and m else ''  # read + write 4 bytes each
        print('%-100s %7.0f %9.2f %12s %8s' % (key[:100], calls[key] / k, m, ('%.2f' % (e / 1e6)) if e else '', bw))


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    main()
