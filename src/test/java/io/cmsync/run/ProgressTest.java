package io.cmsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void logsAtMostOncePerIntervalButAlwaysTheFirstAndTheLast() {
        AtomicLong now = new AtomicLong(0);
        Progress p = new Progress(5_000, now::get);
        assertThat(p.readDue(false)).isTrue();
        now.set(1_000);
        assertThat(p.readDue(false)).isFalse();
        assertThat(p.writeDue(false)).as("kinds are independent").isTrue();
        now.set(4_999);
        assertThat(p.readDue(false)).isFalse();
        assertThat(p.readDue(true)).as("the last line always").isTrue();
        now.set(9_999);
        assertThat(p.readDue(false)).isTrue();
    }
}
