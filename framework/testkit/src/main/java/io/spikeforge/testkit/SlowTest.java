package io.spikeforge.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class or method as slow: it trains a model for more than a few steps, starts
 * processes or child JVMs, runs a real server, or otherwise takes seconds on a 2-core machine. It
 * carries the JUnit tag {@value #TAG}, which the fast test command leaves out
 * ({@code mvn -Pfast verify}, i.e. {@code -DexcludedGroups=slow -DskipITs}); the full
 * {@code mvn verify} (CI) runs it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface SlowTest {
    /** The JUnit tag of slow tests. */
    String TAG = "slow";
}
