package io.spikeforge.runner.plugin;

import static io.spikeforge.runner.plugin.PluginJarBuilder.codeSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.spikeforge.api.HostInfo;
import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvenance;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.DistillationLossProvider;
import io.spikeforge.api.distill.LossValue;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.testkit.SlowTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginState;

/** {@link PluginHost} in deployment mode, on plugin jars built by the test. */
@SlowTest
class PluginHostTest {
    private static final TypeLiteral<Map<String, SurrogateFunctionProvider>> SURROGATES = new TypeLiteral<>() {
    };
    private static final TypeLiteral<Map<String, DistillationLossProvider>> LOSSES = new TypeLiteral<>() {
    };
    private static final TypeLiteral<Map<String, NeuronModelProvider>> NEURONS = new TypeLiteral<>() {
    };

    @Test
    void suppliesAPluginComponentThroughGuiceThatComputesOnHostArrays(@TempDir Path pluginsDir) {
        Path jar = TestPlugins.sigmoid("sigmoid-surrogate", "1.2.3").optDescription("A sigmoid surrogate.")
                .optRequires(">=0.0.1").writeJar(pluginsDir.resolve("sigmoid-surrogate-1.2.3.jar"));

        try (PluginHost host = start(pluginsDir)) {
            assertEquals(List.of(), host.problems());
            Map<String, SurrogateFunctionProvider> surrogates = host.injector().getInstance(Key.get(SURROGATES));
            assertEquals(Set.of("sigmoid"), surrogates.keySet());
            SurrogateFunctionProvider provider = surrogates.get("sigmoid");
            assertInstanceOf(HostFirstPluginClassLoader.class, provider.getClass().getClassLoader(), "comes from the jar");
            assertSame(provider, host.injector().getInstance(Key.get(SURROGATES)).get("sigmoid"), "one instance");
            assertEquals(Map.of(), host.injector().getInstance(Key.get(NEURONS)), "kinds nobody supplies are bound empty");
            assertSame(provider, host.components().surrogateFunction("sigmoid"), "typed, from the same injector");
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> host.components().neuronModel("lif"));
            assertEquals("no neuron model 'lif' is installed; installed: none", unknown.getMessage());

            ResolvedParameters parameters = provider.parameters().resolve(Map.of("alpha", 2.0));
            SurrogateFunction surrogate = provider.create(parameters);
            INDArray u = Nd4j.createFromArray(-1.5, 0.0, 0.25, 3.0);
            INDArray out = Nd4j.zerosLike(u);
            assertSame(out, surrogate.derivative(u, out));
            for (int i = 0; i < u.length(); i++) {
                double s = 1 / (1 + Math.exp(-2.0 * u.getDouble(i)));
                assertEquals(2.0 * s * (1 - s), out.getDouble(i), 1e-12, "element " + i);
            }
            assertEquals(0.5, surrogate.derivative(0.0), 1e-15);

            RegisteredComponent component = host.registry().find(ComponentKind.SURROGATE_FUNCTION, "sigmoid").orElseThrow();
            assertSame(provider, component.provider());
            assertEquals(jar, component.source());
            assertEquals(new ComponentProvenance(ComponentKind.SURROGATE_FUNCTION, "sigmoid", "sigmoid-surrogate", "1.2.3",
                    Map.of("alpha", 2.0)), component.provenance(parameters));
            assertEquals(List.of(new LoadedPlugin("sigmoid-surrogate", "1.2.3", "A sigmoid surrogate.", jar,
                    PluginState.STARTED)), host.plugins());
            assertEquals(new HostInfo(SpikeforgeVersion.current(), "CPU"), host.injector().getInstance(HostInfo.class));
        }
    }

    @Test
    void pluginThatBundlesItsOwnHostLibrariesStillSharesTheHostsCopies(@TempDir Path pluginsDir) throws Exception {
        Path jar = PluginJarBuilder.plugin("l2-kd", "0.3.0").source("com.example.kd.L2DistillationProvider",
                        TestPlugins.L2_KD_SOURCE)
                .bundle(codeSource(INDArray.class))
                .bundle(codeSource(ComponentProvider.class))
                .bundle(codeSource(Inject.class))
                .writeJar(pluginsDir.resolve("l2-kd-with-libraries.jar"));
        try (JarFile contents = new JarFile(jar.toFile())) {
            for (String bundled : List.of("org/nd4j/linalg/api/ndarray/INDArray.class",
                    "io/spikeforge/api/distill/DistillationLossProvider.class", "jakarta/inject/Inject.class")) {
                assertNotNull(contents.getEntry(bundled), bundled + " is in the plugin jar");
            }
        }

        try (PluginHost host = start(pluginsDir)) {
            assertEquals(List.of(), host.problems());
            ComponentProvider registered = host.registry().find(ComponentKind.DISTILLATION_LOSS, "l2-kd").orElseThrow()
                    .provider();
            assertInstanceOf(DistillationLossProvider.class, registered);
            DistillationLossProvider provider = host.injector().getInstance(Key.get(LOSSES)).get("l2-kd");
            assertSame(registered, provider);
            ClassLoader pluginLoader = provider.getClass().getClassLoader();
            assertInstanceOf(HostFirstPluginClassLoader.class, pluginLoader);
            for (Class<?> shared : List.of(INDArray.class, Nd4j.class, ComponentProvider.class,
                    DistillationLossProvider.class, LossValue.class, Inject.class)) {
                assertSame(shared, pluginLoader.loadClass(shared.getName()), shared.getName());
            }
            assertEquals("L2 logit matching on Spikeforge " + SpikeforgeVersion.current() + " (CPU)",
                    provider.description(), "HostInfo was injected through @Inject");

            DistillationLoss loss = provider.create(provider.parameters().resolve(Map.of("weight", 0.5)));
            INDArray student = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {0, -1, 4}});
            INDArray teacher = Nd4j.createFromArray(new double[][] {{1, 0, 3}, {2, -1, 1}});
            LossValue value = loss.compute(student, teacher, new int[] {2, 2});
            assertEquals(0.5 * (4 + 4 + 9) / (2 * 2), value.value(), 1e-12);
            assertEquals(Nd4j.createFromArray(new double[][] {{0, 0.5, 0}, {-0.5, 0, 0.75}}), value.gradient());
            assertEquals(Map.of("kd", value.value()), value.terms());
        }
    }

    @Test
    void twoPluginsClaimingOneIdFailTheStartNamingBothJars(@TempDir Path pluginsDir, @TempDir Path classes) {
        // compiled once, packaged twice under different plugin ids
        TestPlugins.sigmoid("unused", "1.0.0").writeClasses(classes);
        PluginJarBuilder.plugin("alpha-surrogates", "1.0.0").bundle(classes).writeJar(pluginsDir.resolve("alpha-surrogates.jar"));
        PluginJarBuilder.plugin("beta-surrogates", "2.0.0").bundle(classes).writeJar(pluginsDir.resolve("beta-surrogates.jar"));

        DuplicateComponentException failure = assertThrows(DuplicateComponentException.class, () -> start(pluginsDir));

        String message = failure.getMessage();
        assertTrue(message.contains("'sigmoid'") && message.contains("alpha-surrogates.jar")
                && message.contains("beta-surrogates.jar"), message);
    }

    @Test
    void reportsEveryBrokenPluginAndKeepsTheGoodOne(@TempDir Path pluginsDir) throws Exception {
        TestPlugins.sigmoid("good", "1.0.0").optDescriptorInManifest().writeJar(pluginsDir.resolve("good.jar"));
        PluginJarBuilder.withoutDescriptor().source(TestPlugins.SIGMOID_CLASS, TestPlugins.SIGMOID_SOURCE)
                .writeJar(pluginsDir.resolve("no-descriptor.jar"));
        PluginJarBuilder.plugin("missing-class", "1.0.0").entry("META-INF/extensions.idx", "com.example.Missing\n")
                .writeJar(pluginsDir.resolve("missing-class.jar"));
        Files.writeString(pluginsDir.resolve("corrupt.jar"), "not a zip archive");
        PluginJarBuilder.plugin("failing", "1.0.0").source("com.example.failing.FailingProvider", TestPlugins.FAILING_SOURCE)
                .writeJar(pluginsDir.resolve("failing-constructor.jar"));
        PluginJarBuilder.plugin("uninjectable", "1.0.0")
                .source("com.example.failing.UninjectableProvider", TestPlugins.UNINJECTABLE_SOURCE)
                .writeJar(pluginsDir.resolve("uninjectable.jar"));
        PluginJarBuilder.plugin("odd", "1.0.0").source("com.example.odd.OddExtensions", TestPlugins.ODD_EXTENSIONS_SOURCE)
                .writeJar(pluginsDir.resolve("odd-extensions.jar"));
        PluginJarBuilder.plugin("no-index", "1.0.0").writeJar(pluginsDir.resolve("no-index.jar"));
        PluginJarBuilder.plugin("too-new", "1.0.0").optRequires(">=99.0.0").writeJar(pluginsDir.resolve("too-new.jar"));
        PluginJarBuilder.plugin("orphan", "1.0.0").optDependencies("absent-plugin@>=1.0.0")
                .writeJar(pluginsDir.resolve("orphan.jar"));
        Files.writeString(pluginsDir.resolve("README.txt"), "not a plugin, ignored");

        try (PluginHost host = start(pluginsDir)) {
            Map<String, String> problems = host.problems().stream().collect(Collectors.groupingBy(
                    problem -> problem.source().getFileName().toString(),
                    Collectors.mapping(PluginProblem::message, Collectors.joining("\n"))));
            assertEquals(Set.of("no-descriptor.jar", "missing-class.jar", "corrupt.jar", "failing-constructor.jar",
                    "uninjectable.jar", "odd-extensions.jar", "no-index.jar", "too-new.jar", "orphan.jar"),
                    problems.keySet(), problems.toString());
            assertEquals(10, host.problems().size(), problems.toString());
            assertContains(problems.get("no-descriptor.jar"), "no plugin.properties");
            assertContains(problems.get("missing-class.jar"), "lists com.example.Missing, which the plugin does not contain");
            assertContains(problems.get("corrupt.jar"), "not a readable jar");
            assertContains(problems.get("failing-constructor.jar"), "com.example.failing.FailingProvider");
            assertContains(problems.get("failing-constructor.jar"), "no licence for this surrogate");
            assertContains(problems.get("uninjectable.jar"), "com.example.failing.UninjectableProvider");
            assertContains(problems.get("uninjectable.jar"), "constructor");
            assertContains(problems.get("odd-extensions.jar"),
                    "com.example.odd.OddExtensions$PointlessProvider implements none of NeuronModelProvider");
            assertContains(problems.get("odd-extensions.jar"), "com.example.odd.OddExtensions$NamelessProvider has no id");
            assertContains(problems.get("no-index.jar"), "no META-INF/extensions.idx");
            assertContains(problems.get("orphan.jar"), "depends on absent-plugin@>=1.0.0, which is missing");
            assertContains(problems.get("too-new.jar"), "requires Spikeforge >=99.0.0 but this is " + SpikeforgeVersion.current());

            assertEquals(Set.of("sigmoid"), host.registry().ids(ComponentKind.SURROGATE_FUNCTION));
            assertEquals("good", host.registry().find(ComponentKind.SURROGATE_FUNCTION, "sigmoid").orElseThrow().pluginId());
            Map<String, PluginState> states = host.plugins().stream().collect(Collectors.toMap(LoadedPlugin::id,
                    LoadedPlugin::state));
            assertEquals(Map.of("good", PluginState.STARTED, "missing-class", PluginState.STARTED,
                    "failing", PluginState.STARTED, "uninjectable", PluginState.STARTED, "odd", PluginState.STARTED,
                    "no-index", PluginState.STARTED, "orphan", PluginState.UNLOADED), states);
            INDArray u = Nd4j.createFromArray(0.0f, 1.0f);
            SurrogateFunction surrogate = host.injector().getInstance(Key.get(SURROGATES)).get("sigmoid")
                    .create(host.registry().find(ComponentKind.SURROGATE_FUNCTION, "sigmoid").orElseThrow().provider()
                            .parameters().defaults());
            assertEquals(1.0, surrogate.derivative(u, u.dup()).getDouble(0), 1e-6);
        }
    }

    /**
     * A provider whose description or parameter schema fails (a plugin built against another API)
     * is skipped at the start, naming it, instead of failing whatever command lists or uses it.
     */
    @Test
    void aProviderWhoseSchemaFailsIsSkippedNamingIt(@TempDir Path pluginsDir) throws Exception {
        PluginJarBuilder.plugin("broken", "1.0.0").source("com.example.broken.BrokenSchemaProvider",
                TestPlugins.BROKEN_SCHEMA_SOURCE).writeJar(pluginsDir.resolve("broken.jar"));
        TestPlugins.sigmoid("good", "1.0.0").writeJar(pluginsDir.resolve("good.jar"));

        try (PluginHost host = start(pluginsDir)) {
            assertEquals(1, host.problems().size(), host.problems().toString());
            PluginProblem problem = host.problems().get(0);
            assertEquals("broken.jar", problem.source().getFileName().toString());
            assertContains(problem.message(), "cannot create com.example.broken.BrokenSchemaProvider");
            assertContains(problem.message(), "ParameterSpec.of()");
            assertEquals(Set.of("sigmoid"), host.registry().ids(ComponentKind.SURROGATE_FUNCTION));
        }
    }

    @Test
    void aPluginRequiringThisReleaseLoadsOnItsDevelopmentBuild(@TempDir Path pluginsDir) throws Exception {
        Map<String, String> requirements = new LinkedHashMap<>();
        requirements.put("release", ">=0.1.0");
        requirements.put("snapshot", ">=0.1.0-SNAPSHOT");
        requirements.put("bare", "0.1.0");
        requirements.put("range", ">=0.1.0-alpha & <0.2.0");
        requirements.put("next-patch", ">=0.1.1");
        requirements.put("older-only", "<0.1.0");
        requirements.put("nonsense", ">= zero point one");
        requirements.forEach((id, requires) -> PluginJarBuilder.plugin(id, "1.0.0").optRequires(requires)
                .entry("META-INF/extensions.idx", "").writeJar(pluginsDir.resolve(id + ".jar")));

        for (String hostVersion : List.of("0.1.0-SNAPSHOT", "0.1.0")) {
            try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(pluginsDir)
                    .optSpikeforgeVersion(hostVersion).build())) {
                assertEquals(Set.of("release", "snapshot", "bare", "range"),
                        host.plugins().stream().map(LoadedPlugin::id).collect(Collectors.toSet()), hostVersion);
                Map<String, String> problems = host.problems().stream().collect(Collectors.toMap(
                        problem -> problem.source().getFileName().toString(), PluginProblem::message));
                assertEquals(Map.of(
                        "next-patch.jar", "requires Spikeforge >=0.1.1 but this is " + hostVersion,
                        "older-only.jar", "requires Spikeforge <0.1.0 but this is " + hostVersion),
                        Map.of("next-patch.jar", problems.get("next-patch.jar"),
                                "older-only.jar", problems.get("older-only.jar")), hostVersion);
                assertContains(problems.get("nonsense.jar"), "plugin.requires '>= zero point one' is not a version range"
                        + " such as >=0.1.0");
                assertEquals(3, problems.size(), problems.toString());
            }
        }
    }

    @Test
    void thisBuildLoadsAPluginRequiringItsRelease(@TempDir Path pluginsDir) {
        String release = SpikeforgeVersion.release(SpikeforgeVersion.current());
        TestPlugins.sigmoid("documented", "1.0.0").optRequires(">=" + release).writeJar(pluginsDir.resolve("documented.jar"));

        try (PluginHost host = start(pluginsDir)) {
            assertEquals(List.of(), host.problems());
            assertEquals(List.of("documented"), host.plugins().stream().map(LoadedPlugin::id).toList());
        }
    }

    @Test
    void twoJarsOfOnePluginIdFailTheStartNamingBothWhateverTheirNames(@TempDir Path dir) throws Exception {
        // a stale, broken copy beside the good jar, sorted before it and after it
        for (String staleName : List.of("a-stale.jar", "z-stale.jar")) {
            Path pluginsDir = Files.createDirectories(dir.resolve(staleName + "-folder"));
            Path good = TestPlugins.sigmoid("sigmoid-surrogate", "1.1.0").writeJar(pluginsDir.resolve("m-good.jar"));
            Path stale = PluginJarBuilder.plugin("sigmoid-surrogate", "1.0.0")
                    .entry("META-INF/extensions.idx", "com.example.Gone\n").writeJar(pluginsDir.resolve(staleName));

            DuplicatePluginException failure = assertThrows(DuplicatePluginException.class, () -> start(pluginsDir));

            assertContains(failure.getMessage(), "plugin id 'sigmoid-surrogate' is claimed by 2 jars");
            assertContains(failure.getMessage(), good.toString());
            assertContains(failure.getMessage(), stale.toString());
        }
    }

    @Test
    void aJarInAnotherFolderCannotTakeOverAPluginId(@TempDir Path first, @TempDir Path second) {
        Path original = TestPlugins.sigmoid("sigmoid-surrogate", "1.0.0").writeJar(first.resolve("sigmoid.jar"));
        Path copy = PluginJarBuilder.plugin("sigmoid-surrogate", "9.0.0").entry("META-INF/extensions.idx", "")
                .writeJar(second.resolve("sigmoid.jar"));

        DuplicatePluginException failure = assertThrows(DuplicatePluginException.class,
                () -> PluginHost.start(PluginHostOptions.deployment(first).optFolder(second).build()));

        assertContains(failure.getMessage(), original + ", " + copy);
    }

    @Test
    void readsEveryFolderOnce(@TempDir Path first, @TempDir Path second) {
        Path sigmoid = TestPlugins.sigmoid("sigmoid-surrogate", "1.0.0").writeJar(first.resolve("sigmoid.jar"));
        Path l2 = PluginJarBuilder.plugin("l2-kd", "0.3.0").source("com.example.kd.L2DistillationProvider",
                TestPlugins.L2_KD_SOURCE).writeJar(second.resolve("l2-kd.jar"));

        try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(first).optFolder(second).optFolder(first)
                .build())) {
            assertEquals(List.of(), host.problems());
            assertEquals(List.of(sigmoid, l2), host.plugins().stream().map(LoadedPlugin::path).toList());
            assertEquals(Set.of("sigmoid"), host.registry().ids(ComponentKind.SURROGATE_FUNCTION));
            assertEquals(Set.of("l2-kd"), host.registry().ids(ComponentKind.DISTILLATION_LOSS));
        }
    }

    @Test
    void strictModeFailsTheStartOnAnyPluginThatCannotBeUsed(@TempDir Path pluginsDir) throws Exception {
        TestPlugins.sigmoid("sigmoid-surrogate", "1.0.0").writeJar(pluginsDir.resolve("sigmoid.jar"));
        try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(pluginsDir).optStrict(true).build())) {
            assertEquals(List.of(), host.problems(), "nothing to complain about");
        }
        Path corrupt = Files.writeString(pluginsDir.resolve("corrupt.jar"), "not a zip archive");
        Path tooNew = PluginJarBuilder.plugin("too-new", "1.0.0").optRequires(">=99.0.0")
                .writeJar(pluginsDir.resolve("too-new.jar"));

        UnusablePluginsException failure = assertThrows(UnusablePluginsException.class,
                () -> PluginHost.start(PluginHostOptions.deployment(pluginsDir).optStrict(true).build()));

        assertEquals(List.of(corrupt, tooNew), failure.problems().stream().map(PluginProblem::source).toList());
        assertContains(failure.getMessage(), "2 plugins could not be used");
        assertContains(failure.getMessage(), "\n  " + corrupt + ": not a readable jar");
        assertContains(failure.getMessage(), "\n  " + tooNew + ": requires Spikeforge >=99.0.0");
    }

    @Test
    void aPluginsFolderThatCannotBeReadIsALocationErrorWithItsCause(@TempDir Path dir) throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, Set.of());
        try {
            assumeFalse(Files.isReadable(locked), "root reads every folder: run as another user");

            PluginLocationException failure = assertThrows(PluginLocationException.class, () -> start(locked));

            assertEquals("cannot read plugins folder " + locked + ": Permission denied", failure.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void closeUnloadsEveryPluginOnceAndForAll(@TempDir Path pluginsDir) {
        TestPlugins.sigmoid("sigmoid-surrogate", "1.0.0").writeJar(pluginsDir.resolve("sigmoid.jar"));
        PluginJarBuilder.plugin("no-index", "1.0.0").writeJar(pluginsDir.resolve("no-index.jar"));
        PluginHost host = start(pluginsDir);
        PluginClassLoader loader = (PluginClassLoader) host.registry().all().get(0).provider().getClass().getClassLoader();
        assertEquals(List.of(PluginState.STARTED, PluginState.STARTED), host.plugins().stream().map(LoadedPlugin::state).toList());

        host.close();
        assertEquals(List.of(PluginState.UNLOADED, PluginState.UNLOADED), host.plugins().stream().map(LoadedPlugin::state).toList());
        assertTrue(loader.isClosed(), "the plugin's class loader is closed");

        host.close();
        assertEquals(List.of(PluginState.UNLOADED, PluginState.UNLOADED), host.plugins().stream().map(LoadedPlugin::state).toList());
    }

    @Test
    void sharedPackagesComeFromTheHostAndEverythingElseFromThePluginFirst(@TempDir Path pluginsDir) throws Exception {
        // nd4j-common rather than the large nd4j-api jar, which the previous test bundles already
        List<Class<?>> hostOwned = List.of(ComponentProvider.class, org.nd4j.common.base.Preconditions.class,
                org.bytedeco.javacpp.Pointer.class, com.google.inject.Injector.class, Inject.class,
                org.slf4j.Logger.class, org.pf4j.Extension.class);
        PluginJarBuilder plugin = TestPlugins.sigmoid("bundler", "1.0.0")
                .source("org.nd4j.example.PluginOnlyHelper", "package org.nd4j.example; public class PluginOnlyHelper {}")
                .bundle(codeSource(org.yaml.snakeyaml.Yaml.class));
        hostOwned.forEach(type -> plugin.bundle(codeSource(type)));
        plugin.writeJar(pluginsDir.resolve("bundler.jar"));

        try (PluginHost host = start(pluginsDir)) {
            assertEquals(List.of(), host.problems());
            ClassLoader loader = host.registry().all().get(0).provider().getClass().getClassLoader();
            Map<Class<?>, Class<?>> resolved = hostOwned.stream().collect(Collectors.toMap(Function.identity(), type -> {
                try {
                    return loader.loadClass(type.getName());
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }));
            resolved.forEach((hostClass, seenByPlugin) -> assertSame(hostClass, seenByPlugin, hostClass.getName()));
            assertSame(loader, loader.loadClass("org.yaml.snakeyaml.Yaml").getClassLoader(),
                    "a library outside the shared packages comes from the plugin");
            assertSame(loader, loader.loadClass("org.nd4j.example.PluginOnlyHelper").getClassLoader(),
                    "a shared-package class the host lacks still comes from the plugin");
        }
    }

    private static PluginHost start(Path pluginsDir) {
        return PluginHost.start(PluginHostOptions.deployment(pluginsDir).build());
    }

    private static void assertContains(String actual, String expected) {
        assertNotNull(actual);
        assertTrue(actual.contains(expected), () -> "'" + actual + "' should contain '" + expected + "'");
    }
}
