import static org.bytedeco.dnnl.global.dnnl.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Throwaway micro-benchmark for issue 15 (not production): one training step's convolutions of the
 * spiking ResNet (forward on T*B rows, backward data + weights; the stem on B rows) through
 * (a) libnd4j conv2d/conv2d_bp NCHW as Conv2d calls them today, (b) the same in NHWC, (c) oneDNN
 * called directly through the JavaCPP presets with explicit nhwc activations (weights in oneDNN's
 * preferred layout, reordered once per step), (d) oneDNN with every activation in its preferred
 * (blocked) layout, reorders between layers ignored: the reorder-free upper bound.
 * Variants run interleaved in random order per repetition; medians per configuration.
 */
public class OneDnnConvBench {
    static final int ROWS = 128;   // T*B at T=4, batch 32
    static final int BATCH = 32;   // the stem runs once per image
    static final long FWD_CHUNK = 32, BWD_CHUNK = 64;

    record Shape(int n, int ic, int oc, int hw, int k, int s, boolean stem) {
        int pad() { return k / 2; }
        int ohw() { return (hw + 2 * pad() - k) / s + 1; }
        String name() { return (stem ? "stem " : "") + ic + "->" + oc + " k" + k + " s" + s + " " + hw + "x" + hw + " n" + n; }
    }

    static List<Shape> resnet(int w1, int w2, int w3) {
        return List.of(
                new Shape(BATCH, 3, w1, 32, 3, 1, true),
                new Shape(ROWS, w1, w1, 32, 3, 1, false),
                new Shape(ROWS, w1, w1, 32, 3, 1, false),
                new Shape(ROWS, w1, w2, 32, 3, 2, false),
                new Shape(ROWS, w2, w2, 16, 3, 1, false),
                new Shape(ROWS, w1, w2, 32, 1, 2, false),
                new Shape(ROWS, w2, w3, 16, 3, 2, false),
                new Shape(ROWS, w3, w3, 8, 3, 1, false),
                new Shape(ROWS, w2, w3, 16, 1, 2, false));
    }

    interface Runner { void step(); }

    // ---------------------------------------------------------------- libnd4j
    static final class Nd4jConv implements Runner {
        final Shape sh; final boolean nhwc;
        final INDArray x, w, y, gy, gx, gw, gwSum;
        final int[] args;
        Nd4jConv(Shape sh, boolean nhwc) {
            this.sh = sh; this.nhwc = nhwc;
            x = nhwc ? Nd4j.rand(DataType.FLOAT, sh.n, sh.hw, sh.hw, sh.ic) : Nd4j.rand(DataType.FLOAT, sh.n, sh.ic, sh.hw, sh.hw);
            w = Nd4j.rand(DataType.FLOAT, sh.oc, sh.ic, sh.k, sh.k).subi(0.5);
            y = nhwc ? Nd4j.create(DataType.FLOAT, sh.n, sh.ohw(), sh.ohw(), sh.oc) : Nd4j.create(DataType.FLOAT, sh.n, sh.oc, sh.ohw(), sh.ohw());
            gy = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
            gx = Nd4j.create(DataType.FLOAT, x.shape());
            gw = Nd4j.create(DataType.FLOAT, w.shape());
            gwSum = Nd4j.create(DataType.FLOAT, w.shape());
            args = new int[] {sh.k, sh.k, sh.s, sh.s, sh.pad(), sh.pad(), 1, 1, 0, nhwc ? 1 : 0, 1};
        }
        public void step() {
            long chunks = (sh.n + FWD_CHUNK - 1) / FWD_CHUNK;
            for (long c = 0; c < chunks; c++) {
                long from = c * sh.n / chunks, to = (c + 1) * sh.n / chunks;
                INDArray in = chunks == 1 ? x : x.get(NDArrayIndex.interval(from, to));
                INDArray out = chunks == 1 ? y : y.get(NDArrayIndex.interval(from, to));
                Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in, w).addOutputs(out).addIntegerArguments(args).build());
            }
            gwSum.assign(0);
            chunks = (sh.n + BWD_CHUNK - 1) / BWD_CHUNK;
            for (long c = 0; c < chunks; c++) {
                long from = c * sh.n / chunks, to = (c + 1) * sh.n / chunks;
                INDArray in = chunks == 1 ? x : x.get(NDArrayIndex.interval(from, to));
                INDArray go = chunks == 1 ? gy : gy.get(NDArrayIndex.interval(from, to));
                INDArray gi = chunks == 1 ? gx : gx.get(NDArrayIndex.interval(from, to));
                Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in, w, go).addOutputs(gi, gw).addIntegerArguments(args).build());
                gwSum.addi(gw);
            }
        }
    }

    // ---------------------------------------------------------------- oneDNN direct
    static dnnl_engine engine;
    static dnnl_stream stream;

    static void check(int status, String what) {
        if (status != dnnl_success) throw new IllegalStateException(what + " failed: status " + status);
    }

    static dnnl_memory_desc_t md(long[] dims, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "memory_desc_init");
        return d;
    }

    /** A copy of a queried descriptor (the query returns a pointer into the primitive descriptor). */
    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        dnnl_memory_desc_t q = dnnl_primitive_desc_query_md(pd, what, 0);
        dnnl_memory_desc_t copy = new dnnl_memory_desc_t();
        Pointer.memcpy(copy, q, copy.sizeof());
        return copy;
    }

    static dnnl_primitive_desc pd(dnnl_convolution_desc_t desc, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), null, engine, hint), "primitive_desc_create");
        return pd;
    }

    static dnnl_primitive prim(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        return p;
    }

    static String implName(dnnl_primitive_desc pd) {
        org.bytedeco.javacpp.PointerPointer<?> out = new org.bytedeco.javacpp.PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "query impl");
        return out.getString(0);
    }

    /** ND4J array wrapped as oneDNN memory, no copy. */
    static dnnl_memory wrap(dnnl_memory_desc_t d, INDArray a) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, d, engine, pointer(a)), "memory_create");
        return m;
    }

    static Pointer pointer(INDArray a) {
        // a view's data() is a sub-buffer whose address already includes the view's offset
        return new FloatPointer(a.data().addressPointer());
    }

    static INDArray alloc(dnnl_memory_desc_t d) {
        long bytes = dnnl_memory_desc_get_size(d);
        return Nd4j.create(DataType.FLOAT, bytes / 4);
    }

    static void exec(dnnl_primitive p, Object... argPairs) {
        int n = argPairs.length / 2;
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(n);
        for (int i = 0; i < n; i++) {
            args.position(i).arg((Integer) argPairs[2 * i]).memory((dnnl_memory) argPairs[2 * i + 1]);
        }
        args.position(0);
        check(dnnl_primitive_execute(p, stream, n, args), "execute");
    }

    static dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "reorder pd");
        return prim(pd);
    }

    /** One convolution's primitives for one chunk size. */
    static final class Prims {
        dnnl_primitive_desc fwdPd, bdPd, bwPd;
        dnnl_primitive fwd, bd, bw;
        dnnl_memory_desc_t src, dst, wFwd, wBd, gwBw, diffSrc, diffDst, srcBw, diffDstBw;
        Prims(Shape sh, long rows, boolean blocked, int algorithm) {
            this(sh, rows, blocked ? dnnl_format_tag_any : dnnl_nhwc, algorithm);
        }
        Prims(Shape sh, long rows, int act, int algorithm) {
            long[] srcDims = {rows, sh.ic, sh.hw, sh.hw}, dstDims = {rows, sh.oc, sh.ohw(), sh.ohw()};
            long[] wDims = {sh.oc, sh.ic, sh.k, sh.k};
            long[] strides = {sh.s, sh.s}, noDil = {0, 0}, pad = {sh.pad(), sh.pad()};
            dnnl_memory_desc_t srcMd = md(srcDims, act), dstMd = md(dstDims, act), wMd = md(wDims, dnnl_format_tag_any);
            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            check(dnnl_dilated_convolution_forward_desc_init(fd, dnnl_forward_training, algorithm, srcMd, wMd, null, dstMd,
                    strides, noDil, pad, pad), "fwd desc");
            fwdPd = pd(fd, null);
            fwd = prim(fwdPd);
            src = query(fwdPd, dnnl_query_src_md);
            dst = query(fwdPd, dnnl_query_dst_md);
            wFwd = query(fwdPd, dnnl_query_weights_md);
            dnnl_convolution_desc_t bdd = new dnnl_convolution_desc_t();
            check(dnnl_dilated_convolution_backward_data_desc_init(bdd, algorithm, md(srcDims, act), md(wDims, dnnl_format_tag_any),
                    md(dstDims, act), strides, noDil, pad, pad), "bwd data desc");
            bdPd = pd(bdd, fwdPd);
            bd = prim(bdPd);
            wBd = query(bdPd, dnnl_query_weights_md);
            diffSrc = query(bdPd, dnnl_query_diff_src_md);
            diffDst = query(bdPd, dnnl_query_diff_dst_md);
            dnnl_convolution_desc_t bwd = new dnnl_convolution_desc_t();
            check(dnnl_dilated_convolution_backward_weights_desc_init(bwd, algorithm, md(srcDims, act), md(wDims, dnnl_format_tag_any),
                    null, md(dstDims, act), strides, noDil, pad, pad), "bwd weights desc");
            bwPd = pd(bwd, fwdPd);
            bw = prim(bwPd);
            gwBw = query(bwPd, dnnl_query_diff_weights_md);
            srcBw = query(bwPd, dnnl_query_src_md);
            diffDstBw = query(bwPd, dnnl_query_diff_dst_md);
        }
    }

    static final class DirectConv implements Runner {
        final Shape sh; final boolean blocked; final long fwdChunk, bwdChunk;
        final Prims pf, pb;
        final INDArray w, gwUser, x, y, gy, gx, wFwdBuf, wBdBuf, gwBuf, gwAcc;
        final dnnl_memory wUserM, wFwdM, wBdM, gwM, gwAccM, gwUserM;
        final dnnl_primitive rwFwd, rwBd, rgw;
        final List<dnnl_memory[]> fwdMems = new ArrayList<>(), bwdMems = new ArrayList<>();
        final boolean stemNoGradInput;

        DirectConv(Shape sh, boolean blocked, long fwdChunk, long bwdChunk, int algorithm) {
            this(sh, blocked ? dnnl_format_tag_any : dnnl_nhwc, fwdChunk, bwdChunk, algorithm);
        }
        DirectConv(Shape sh, int act, long fwdChunk, long bwdChunk, int algorithm) {
            boolean blocked = act == dnnl_format_tag_any;
            this.sh = sh; this.blocked = blocked;
            this.fwdChunk = Math.min(fwdChunk, sh.n); this.bwdChunk = Math.min(bwdChunk, sh.n);
            this.stemNoGradInput = sh.stem;
            pf = new Prims(sh, this.fwdChunk, act, algorithm);
            pb = this.bwdChunk == this.fwdChunk ? pf : new Prims(sh, this.bwdChunk, act, algorithm);
            long[] wDims = {sh.oc, sh.ic, sh.k, sh.k};
            w = Nd4j.rand(DataType.FLOAT, sh.oc, sh.ic, sh.k, sh.k).subi(0.5);
            gwUser = Nd4j.create(DataType.FLOAT, w.shape());
            dnnl_memory_desc_t oihw = md(wDims, dnnl_oihw);
            wUserM = wrap(oihw, w);
            gwUserM = wrap(oihw, gwUser);
            wFwdBuf = alloc(pf.wFwd); wFwdM = wrap(pf.wFwd, wFwdBuf);
            wBdBuf = alloc(pb.wBd); wBdM = wrap(pb.wBd, wBdBuf);
            gwBuf = alloc(pb.gwBw); gwM = wrap(pb.gwBw, gwBuf);
            gwAcc = alloc(pb.gwBw); gwAccM = wrap(pb.gwBw, gwAcc);
            rwFwd = reorder(oihw, pf.wFwd);
            rwBd = reorder(oihw, pb.wBd);
            rgw = reorder(pb.gwBw, oihw);
            // whole-step activations: in nhwc (or the chunk's blocked layout, per chunk), chunk views by offset
            long perRowIn = dnnl_memory_desc_get_size(pf.src) / 4 / this.fwdChunk;
            long perRowOut = dnnl_memory_desc_get_size(pf.dst) / 4 / this.fwdChunk;
            x = Nd4j.rand(DataType.FLOAT, sh.n * perRowIn);
            y = Nd4j.create(DataType.FLOAT, sh.n * perRowOut);
            gy = Nd4j.rand(DataType.FLOAT, sh.n * perRowOut).subi(0.5);
            gx = Nd4j.create(DataType.FLOAT, sh.n * perRowIn);
            for (long from = 0; from < sh.n; from += this.fwdChunk) {
                fwdMems.add(new dnnl_memory[] {
                    wrap(pf.src, x.get(NDArrayIndex.interval(from * perRowIn, (from + this.fwdChunk) * perRowIn))),
                    wrap(pf.dst, y.get(NDArrayIndex.interval(from * perRowOut, (from + this.fwdChunk) * perRowOut)))});
            }
            for (long from = 0; from < sh.n; from += this.bwdChunk) {
                var xi = x.get(NDArrayIndex.interval(from * perRowIn, (from + this.bwdChunk) * perRowIn));
                var gyi = gy.get(NDArrayIndex.interval(from * perRowOut, (from + this.bwdChunk) * perRowOut));
                var gxi = gx.get(NDArrayIndex.interval(from * perRowIn, (from + this.bwdChunk) * perRowIn));
                // blocked: the upper bound reads whatever layout each primitive prefers from the same bytes
                bwdMems.add(new dnnl_memory[] {wrap(pb.diffDst, gyi), wrap(pb.diffSrc, gxi), wrap(pb.srcBw, xi), wrap(pb.diffDstBw, gyi)});
            }
        }

        public void step() {
            // once per optimizer step: weights to the primitives' layouts
            exec(rwFwd, DNNL_ARG_FROM, wUserM, DNNL_ARG_TO, wFwdM);
            if (!stemNoGradInput) exec(rwBd, DNNL_ARG_FROM, wUserM, DNNL_ARG_TO, wBdM);
            for (dnnl_memory[] m : fwdMems) {
                exec(pf.fwd, DNNL_ARG_SRC, m[0], DNNL_ARG_WEIGHTS, wFwdM, DNNL_ARG_DST, m[1]);
            }
            boolean first = true;
            for (dnnl_memory[] m : bwdMems) {
                if (!stemNoGradInput) {
                    exec(pb.bd, DNNL_ARG_DIFF_DST, m[0], DNNL_ARG_WEIGHTS, wBdM, DNNL_ARG_DIFF_SRC, m[1]);
                }
                exec(pb.bw, DNNL_ARG_SRC, m[2], DNNL_ARG_DIFF_DST, m[3], DNNL_ARG_DIFF_WEIGHTS, first ? gwAccM : gwM);
                if (!first) gwAcc.addi(gwBuf);
                first = false;
            }
            exec(rgw, DNNL_ARG_FROM, gwAccM, DNNL_ARG_TO, gwUserM);
            dnnl_stream_wait(stream);
        }

        String impls() {
            return "fwd " + implName(pf.fwdPd) + ", bwd-data " + implName(pb.bdPd) + ", bwd-weights " + implName(pb.bwPd);
        }
    }

    // ---------------------------------------------------------------- correctness
    static void compare(Shape sh) {
        Nd4jConv ref = new Nd4jConv(sh, true);
        DirectConv d = new DirectConv(sh, false, FWD_CHUNK, BWD_CHUNK, dnnl_convolution_direct);
        d.x.assign(ref.x.reshape(-1)); d.w.assign(ref.w); d.gy.assign(ref.gy.reshape(-1));
        boolean stem = d.stemNoGradInput;
        ref.step(); d.step();
        double dy = ref.y.reshape(-1).sub(d.y).amaxNumber().doubleValue() / ref.y.amaxNumber().doubleValue();
        double dgw = ref.gwSum.sub(d.gwUser).amaxNumber().doubleValue() / ref.gwSum.amaxNumber().doubleValue();
        double dgx = stem ? 0 : ref.gx.reshape(-1).sub(d.gx).amaxNumber().doubleValue() / ref.gx.amaxNumber().doubleValue();
        System.out.printf("check %-34s max rel diff vs libnd4j NHWC: y %.2e gradW %.2e gradX %s%n", sh.name(), dy, dgw,
                stem ? "(not computed)" : String.format("%.2e", dgx));
        System.out.println("  impls nhwc: " + d.impls());
        System.out.println("  impls blocked: " + new DirectConv(sh, true, FWD_CHUNK, BWD_CHUNK, dnnl_convolution_direct).impls());
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v); Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String threadsAndLibs() throws IOException {
        long threads;
        try (var st = Files.list(Path.of("/proc/self/task"))) { threads = st.count(); }
        List<String> libs = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("gomp") || l.contains("dnnl") || l.contains("nd4jcpu") || l.contains("libiomp"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().toList();
        return "threads " + threads + ", libs " + libs;
    }

    public static void main(String[] a) throws IOException {
        int reps = a.length > 0 ? Integer.parseInt(a[0]) : 11;
        String configs = a.length > 1 ? a[1] : "small,medium,large";
        Nd4j.create(1);
        engine = new dnnl_engine();
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        stream = new dnnl_stream();
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        var v = dnnl_version();
        System.out.println("presets oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + ", OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS") + ", " + threadsAndLibs());
        Map<String, int[]> widths = new LinkedHashMap<>();
        widths.put("small", new int[] {16, 32, 64});
        widths.put("medium", new int[] {32, 64, 128});
        widths.put("large", new int[] {64, 128, 256});
        if (!Boolean.getBoolean("skipCheck")) {
            for (Shape sh : resnet(16, 32, 64)) {
                compare(sh);
            }
        }
        String[] variants = System.getProperty("variants", "nd4j-nchw,nd4j-nhwc,dnnl-nhwc,dnnl-nhwc-128,dnnl-blocked").split(",");
        Random random = new Random(42);
        for (String config : configs.split(",")) {
            int[] w = widths.get(config);
            List<Shape> shapes = resnet(w[0], w[1], w[2]);
            Map<String, List<Runner>> runners = new LinkedHashMap<>();
            for (String variant : variants) {
                List<Runner> rs = new ArrayList<>();
                for (Shape sh : shapes) {
                    rs.add(switch (variant) {
                        case "nd4j-nchw" -> new Nd4jConv(sh, false);
                        case "nd4j-nhwc" -> new Nd4jConv(sh, true);
                        case "dnnl-nhwc" -> new DirectConv(sh, false, FWD_CHUNK, BWD_CHUNK, dnnl_convolution_direct);
                        case "dnnl-nhwc-128" -> new DirectConv(sh, false, ROWS, ROWS, dnnl_convolution_direct);
                        case "dnnl-nchw-128" -> new DirectConv(sh, dnnl_nchw, ROWS, ROWS, dnnl_convolution_direct);
                        default -> new DirectConv(sh, true, FWD_CHUNK, BWD_CHUNK, dnnl_convolution_auto);
                    });
                }
                runners.put(variant, rs);
            }
            Map<String, List<Double>> totals = new LinkedHashMap<>();
            Map<String, List<List<Double>>> perLayer = new LinkedHashMap<>();
            for (String variant : variants) {
                totals.put(variant, new ArrayList<>());
                List<List<Double>> l = new ArrayList<>();
                for (int i = 0; i < shapes.size(); i++) l.add(new ArrayList<>());
                perLayer.put(variant, l);
            }
            List<String> order = new ArrayList<>(Arrays.asList(variants));
            for (int rep = -2; rep < reps; rep++) {   // two warm-up repetitions
                Collections.shuffle(order, random);
                for (String variant : order) {
                    double total = 0;
                    List<Runner> rs = runners.get(variant);
                    for (int i = 0; i < rs.size(); i++) {
                        long t0 = System.nanoTime();
                        rs.get(i).step();
                        double ms = (System.nanoTime() - t0) / 1e6;
                        total += ms;
                        if (rep >= 0) perLayer.get(variant).get(i).add(ms);
                    }
                    if (rep >= 0) totals.get(variant).add(total);
                }
            }
            System.out.printf("%n== %s %s, T*B=%d, %d repetitions, median ms per step (ratio to nd4j-nchw)%n", config,
                    Arrays.toString(w), ROWS, reps);
            double base = median(totals.get("nd4j-nchw"));
            System.out.printf("%-34s", "layer");
            for (String variant : variants) System.out.printf(" %14s", variant);
            System.out.println();
            for (int i = 0; i < shapes.size(); i++) {
                System.out.printf("%-34s", shapes.get(i).name());
                for (String variant : variants) System.out.printf(" %14.2f", median(perLayer.get(variant).get(i)));
                System.out.println();
            }
            System.out.printf("%-34s", "TOTAL (median of sums)");
            for (String variant : variants) {
                double m = median(totals.get(variant));
                System.out.printf(" %7.1f (%.2f)", m, m / base);
            }
            System.out.println();
            System.out.println("  " + threadsAndLibs());
        }
    }
}
