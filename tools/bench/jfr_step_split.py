#!/usr/bin/env python3
"""Splits the wall time of Spikeforge's measured training steps by engine component, from JFR samples.

The bench's own shares (``convolution``, ``batch norm``, ``neurons``) leave the rest of the step
unnamed. A Flight Recorder recording with execution and native-method samples of the main thread
names it: the main thread runs the step; it is either in Java (``jdk.ExecutionSample``) or inside a
native ND4J/libnd4j call (``jdk.NativeMethodSample``, which also covers the time the call waits for
its OpenMP workers), so its samples are a wall-clock profile of the step. Only samples taken inside
``StepBenchmark.run``'s measured loop count (``--loop-line``, the line of ``step.accept`` there,
read from this tree's source by default: record with a build of the same tree).

Each sample is attributed to the innermost ``io.spikeforge`` frame (``--depth`` frames of it, e.g.
``Conv2d.backward``), and split by what runs at the top: Java code, or the native method (ND4J's
``exec``/``execCustomOp2`` ops, memset, allocation ...).

Record (1 ms sampling; JFR's own settings file ``sample.jfc`` written by ``--write-jfc``)::

    python3 tools/bench/jfr_step_split.py --write-jfc /tmp/sample.jfc
    JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/sf.jfr,settings=/tmp/sample.jfc" \\
        ./spikeforge bench train --arch spiking-resnet --widths 16,32,64 --blocks-per-stage 1 \\
        --timesteps 4 --batch 32 --warmup 20 --steps 60
    python3 tools/bench/jfr_step_split.py /tmp/sf.jfr --steps 60

Samples are 1 ms apart at best, so ``ms/step`` (given ``--steps``) is samples / steps. It covers
less than the step: the main thread is not sampled while it waits parked for the ForkJoin workers
of the batch-norm and neuron kernels, and JFR takes one native sample per period. So read the
convolution, batch-norm and neuron totals from the bench's own shares (KernelTimer), and this
split for what those leave unnamed (residual additions, SGD, the stem, Linear, pooling, loss).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import signal
import subprocess
import sys

JFC = '''<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="step samples">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
  <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
'''

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STEP_BENCHMARK = os.path.join(ROOT, 'framework', 'engine', 'src', 'main', 'java', 'io', 'spikeforge', 'engine',
                              'bench', 'StepBenchmark.java')
FRAME = re.compile(r'^\s+([\w$.]+)\.([\w$<>]+)\(.*?\)(?: line: (\d+))?')


def samples(jfr_file):
    text = subprocess.run(['jfr', 'print', '--stack-depth', '200', '--events',
                           'jdk.ExecutionSample,jdk.NativeMethodSample', jfr_file],
                          check=True, capture_output=True, text=True).stdout
    event = None; frames = []; thread = None
    for line in text.splitlines():
        if line.startswith('jdk.'):
            event = line.split()[0]; frames = []; thread = None
        elif 'sampledThread' in line:
            thread = line.split('=', 1)[1].strip()
        elif line.strip() == ']' and event:
            yield event, thread, frames
            event = None
        else:
            m = FRAME.match(line)
            if m and event:
                frames.append((m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None))


def measured_loop_line():
    """The line of the measured loop's ``step.accept`` in this tree's StepBenchmark, or None."""
    try:
        with open(STEP_BENCHMARK) as f:
            for number, line in enumerate(f, 1):
                if 'step.accept(warmupSteps + i)' in line:
                    return number
    except OSError:
        pass
    return None


def short(cls):
    return cls.rsplit('.', 1)[-1]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('jfr', nargs='?')
    p.add_argument('--write-jfc', metavar='FILE', help='write the sampling settings file and exit')
    p.add_argument('--steps', type=int, help='measured steps in the recording (for ms per step)')
    p.add_argument('--loop-line', type=int, default=measured_loop_line(),
                   help="StepBenchmark.run's line in the measured loop; default: found in this tree's source")
    p.add_argument('--depth', type=int, default=1, help='io.spikeforge frames to name a component by')
    p.add_argument('--top', type=int, default=45)
    args = p.parse_args(argv)
    if args.write_jfc:
        open(args.write_jfc, 'w').write(JFC)
        return
    if not args.jfr:
        p.error('a recording is needed')

    comp = collections.Counter(); top = collections.Counter(); kinds = collections.Counter(); total = 0
    for event, thread, frames in samples(args.jfr):
        if not any(c.endswith('StepBenchmark') and m == 'run' and l == args.loop_line for c, m, l in frames):
            continue
        total += 1
        own = [(short(c), m) for c, m, _ in frames if c.startswith('io.spikeforge')
               and not c.endswith(('StepBenchmark', 'KernelTimer'))]
        name = ' < '.join('%s.%s' % f for f in own[:args.depth]) if own else '(outside Spikeforge)'
        c, m, _ = frames[0]
        leaf = 'java' if event == 'jdk.ExecutionSample' else 'native %s.%s' % (short(c), m)
        comp[name] += 1; top[(name, leaf)] += 1; kinds[leaf if leaf == 'java' else 'native'] += 1
    if not total:
        sys.exit('no samples inside the measured loop (is --loop-line right?)')
    scale = (1.0 / args.steps) if args.steps else None
    unit = 'ms/step' if scale else ''
    print('%d samples in the measured steps: %.0f%% in Java code, %.0f%% in native calls'
          % (total, 100 * kinds['java'] / total, 100 * kinds['native'] / total))
    print('\n%-70s %7s %8s' % ('innermost Spikeforge frame', 'share', unit))
    for name, n in comp.most_common(args.top):
        print('%-70s %6.1f%% %8s' % (name[:70], 100 * n / total, ('%.1f' % (n * scale)) if scale else ''))
    print('\n%-70s %-40s %7s' % ('innermost Spikeforge frame', 'running', 'share'))
    for (name, leaf), n in top.most_common(args.top):
        print('%-70s %-40s %6.1f%%' % (name[:70], leaf[:40], 100 * n / total))


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    main()
