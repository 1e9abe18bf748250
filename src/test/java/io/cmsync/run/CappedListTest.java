package io.cmsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CappedListTest {
    @Test
    void keepsTheFirstEntriesAndCountsThemAll() {
        CappedList<String> list = new CappedList<>(2, s -> s.startsWith("n"));
        list.add("new-a");
        list.add("old-b");
        list.add("new-c");

        assertThat(list).containsExactly("new-a", "old-b");
        assertThat(list.total()).isEqualTo(3);
        assertThat(list.matching()).isEqualTo(2);
        assertThat(list.snapshot()).containsExactly("new-a", "old-b");
    }
}
