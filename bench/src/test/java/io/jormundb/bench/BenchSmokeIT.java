package io.jormundb.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The harness keeps working: a few seconds of every load, a feed probe and a small fan-out, with no error and no change lost. */
class BenchSmokeIT {
    @Test
    void aShortRunOfEveryMeasurementSucceedsWithoutErrorsOrLostChanges() throws Exception {
        String jar = System.getProperty("jormundb.jar");
        assumeTrue(jar != null, "runs under failsafe (mvn verify), after the server jar is packaged");
        assertTrue(Bench.run("smoke", Map.of("jar", jar)));
    }
}
