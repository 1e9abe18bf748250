package io.cmsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/** Run ids tell the time in the settings' zone, as the report names do, whatever the machine's zone. */
class RunIdTest {
    @Test
    void theStartIsWrittenInTheSettingsZone() {
        Instant start = Instant.parse("2026-11-26T14:54:29Z");
        assertThat(SyncRuns.runId(start, ZoneId.of("Europe/Paris"))).matches("20261126-155429-[0-9a-f]{6}");
        assertThat(SyncRuns.runId(start, ZoneId.of("America/New_York"))).startsWith("20261126-095429-");
        // summer time
        assertThat(SyncRuns.runId(Instant.parse("2026-07-01T10:00:00Z"), ZoneId.of("Europe/Paris")))
                .startsWith("20260701-120000-");
    }
}
