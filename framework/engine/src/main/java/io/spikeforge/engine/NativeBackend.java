package io.spikeforge.engine;

import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Facts about the ND4J backend this process loaded, for logs, run tags and `spikeforge info`. */
public final class NativeBackend {
    private NativeBackend() {
    }

    /** Backend name, such as {@code CPU} or {@code CUDA}. */
    public static String name() {
        return String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("backend"));
    }

    /** The path of the loaded libnd4j library (its folder names the build variant, such as -onednn-avx2). */
    public static String libraryPath() {
        Nd4j.getExecutioner(); // forces the backend, and so the native library, to load
        Map<String, String> loaded = new TreeMap<>(Loader.getLoadedLibraries());
        return loaded.entrySet().stream()
                .filter(e -> e.getKey().contains("nd4jcpu") || e.getKey().contains("nd4jcuda"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("unknown");
    }

    /** True when the loaded libnd4j was built with oneDNN (its build information says so). */
    public static boolean hasOneDnn() {
        return buildInfo().contains("HAVE_ONEDNN");
    }

    /** libnd4j's build information: compiler and the helpers it was built with. */
    public static String buildInfo() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
    }
}
