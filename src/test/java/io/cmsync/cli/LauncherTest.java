package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When the jar's entry point starts a second JVM with the class-data archive: only for a plain
 * {@code java -jar copper-mailchimp-sync.jar … --once}. (The relaunch itself is measured by
 * {@code io.cmsync.bench.SmallRuns} on the packaged jar.)
 */
class LauncherTest {
    @Test
    void commandsOtherThanAOneShotRunStayInThisJvm() {
        assertThat(Launcher.withClassArchive(new String[] {"flagged", "list"})).isNull();
        assertThat(Launcher.withClassArchive(new String[] {"--daemon"})).isNull();
    }

    @Test
    void aOneShotRunNotStartedFromTheJarStaysInThisJvm() {
        // this test JVM runs classes from target/classes, with JVM options: no second JVM, the run happens here
        assertThat(Launcher.withClassArchive(new String[] {"--sandbox", "--once"})).isNull();
    }
}
