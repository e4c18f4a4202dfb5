#!/usr/bin/env python3
"""Splits the CPU time of a bench run by what runs, from ``perf record -g`` samples (both sides).

JFR sees Java frames only and oneDNN's verbose log sees oneDNN only; ``perf`` sees every thread of
the process (OpenMP workers included) and the kernel, so it answers "how much CPU goes to page
faults, sched_yield, malloc, memset, JVM compilation" for Spikeforge and for PyTorch alike.

Record with the software clock (the hardware counters are not available in this VM); for Java,
let the JVM write its perf map at exit so that JIT-compiled methods get names::

    JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" perf record -e cpu-clock \\
        -F 2000 -g -o sf.data -- ./spikeforge bench train --arch spiking-resnet --widths 16,32,64 \\
        --blocks-per-stage 1 --timesteps 4 --batch 32 --warmup 20 --steps 40
    python3 tools/bench/perf_step_split.py sf.data --time 45%-100%

    perf record -e cpu-clock -F 2000 -g -o pt.data -- /usr/bin/python3 \\
        tools/pytorch-reference/bench_train.py --widths 16,32,64 --blocks-per-stage 1 --timesteps 4 \\
        --batch 32 --warmup 20 --steps 40
    python3 tools/bench/perf_step_split.py pt.data --time 45%-100%

``--time`` keeps a part of the recording (perf's syntax), to leave start-up and warm-up out.
Shares are of CPU samples (on 2 threads up to twice the wall time). Code without a symbol in an
anonymous mapping is counted as oneDNN's JIT-generated kernels (convolutions, reorders): in the JVM
the perf map names Java's own compiled code, the rest of the anonymous code is oneDNN's.
"""

from __future__ import annotations

import argparse
import collections
import re
import signal
import subprocess

KERNEL_CAUSES = [
    ('page fault', ('asm_exc_page_fault', 'exc_page_fault', 'handle_mm_fault', 'do_user_addr_fault')),
    ('munmap/mmap/brk', ('__x64_sys_munmap', '__vm_munmap', '__x64_sys_mmap', '__x64_sys_brk', 'vm_mmap_pgoff',
                         '__x64_sys_madvise', '__x64_sys_mprotect', '__x64_sys_mremap')),
    ('sched_yield', ('__x64_sys_sched_yield',)),
    ('futex', ('__x64_sys_futex',)),
    ('other syscall', ('do_syscall_64',)),
]


def classify(frames):
    """frames: [(symbol, dso)], leaf first."""
    sym, dso = frames[0]
    if 'kernel' in dso:
        syms = set(s for s, _ in frames)
        for name, marks in KERNEL_CAUSES:
            if syms.intersection(marks):
                return 'kernel: ' + name
        return 'kernel: other (interrupts, scheduler)'
    if dso.startswith('/tmp/perf-') or dso == '[JIT]' or 'perf-' in dso:
        if sym.startswith('[unknown]') or re.match(r'^0x[0-9a-f]+$', sym):
            return 'oneDNN JIT code (anonymous)'
        if sym.startswith('StubRoutines'):
            caller = next((s for s, d in frames[1:] if 'perf-' in d and not s.startswith('Stub')), '?')
            return 'JVM copy stubs (arraycopy/Unsafe) in ' + java_name(caller)
        if sym in ('Interpreter',):
            return 'JVM interpreter'
        return 'Java: ' + java_name(sym)
    base = dso.rsplit('/', 1)[-1]
    if base.startswith('libnd4jcpu'):
        if sym.startswith('dnnl::'):
            return 'libnd4j: oneDNN C++ (%s)' % ('reorder' if 'reorder' in sym else 'conv/other')
        if sym.startswith('functions::'):
            return 'libnd4j: legacy ops (%s)' % re.sub(r'<.*', '', sym.split('::')[1])
        return 'libnd4j: other'
    if base.startswith('libc.so'):
        if re.search(r'malloc|free|_int_|unlink_chunk|alloc_new_heap|consolidate|memalign|sysmalloc|tcache', sym):
            return 'libc: malloc/free'
        if 'memset' in sym:
            return 'libc: memset'
        if 'memcpy' in sym or 'memmove' in sym:
            return 'libc: memcpy'
        if 'sched_yield' in sym:
            return 'libc: sched_yield'
        return 'libc: other'
    if base.startswith('libjvm'):
        return 'JVM (JIT compiler, GC, runtime)'
    if base.startswith('libtorch_cpu') or base.startswith('libc10') or base.startswith('libtorch_python'):
        return 'torch: ' + torch_name(sym)
    if base.startswith('libgomp'):
        return 'libgomp (OpenMP runtime, spinning)'
    if base.startswith('libdnnl') or base.startswith('libmkldnn'):
        return 'oneDNN C++'
    if base.startswith('libpython') or base == 'python3.11' or base.startswith('python3'):
        return 'Python interpreter'
    return base or '?'


def java_name(sym):
    m = re.search(r'([\w$]+)\.([\w$<>]+)\(', sym)
    if not m:
        return sym[:60]
    cls = m.group(1)
    return cls if cls.startswith(('Float', 'Op')) else '%s.%s' % (cls, m.group(2))


def torch_name(sym):
    for key in ('batch_norm', 'mkldnn', 'ideep', 'dnnl', 'add_kernel', 'mul_kernel', 'where', 'copy_', 'fill',
                'sum', 'threshold', 'sgd', 'reduce', 'index', 'vectorized', 'autograd', 'Engine', 'cpu_kernel',
                'TensorIterator', 'empty', 'zero'):
        if key in sym:
            return key
    return 'other'


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('data')
    p.add_argument('--time', help="perf's --time, e.g. 45%%-100%%")
    p.add_argument('--symbols', type=int, default=0, help='also print the N hottest symbols of each category')
    args = p.parse_args(argv)
    cmd = ['perf', 'script', '-i', args.data, '-F', 'tid,time,ip,sym,dso']
    if args.time:
        cmd += ['--time', args.time]
    text = subprocess.run(cmd, capture_output=True, text=True).stdout
    cats = collections.Counter(); syms = collections.defaultdict(collections.Counter); total = 0
    frames = []
    for line in text.splitlines() + ['']:
        if not line.strip():
            if frames:
                c = classify(frames)
                cats[c] += 1; syms[c][frames[0][0][:90]] += 1; total += 1
            frames = []
            continue
        if line.startswith('\t') or line.startswith(' '):
            m = re.match(r'\s*[0-9a-f]+ (.*) \((.*)\)$', line)
            if m:
                frames.append((m.group(1), m.group(2)))
    print('%d samples' % total)
    for c, n in cats.most_common():
        print('%6.1f%%  %s' % (100 * n / total, c))
        for s, k in syms[c].most_common(args.symbols):
            print('          %5.1f%%  %s' % (100 * k / total, s))


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    main()
