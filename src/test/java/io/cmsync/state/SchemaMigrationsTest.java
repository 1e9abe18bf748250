package io.cmsync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** The migration scripts of the two databases go together, and the product knows which one is the newest. */
class SchemaMigrationsTest {
    private static List<String> versions(String vendor) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", vendor))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9._]+__.+\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .sorted((a, b) -> MigrationVersion.fromVersion(a).compareTo(MigrationVersion.fromVersion(b)))
                    .toList();
        }
    }

    @Test
    void bothDatabasesHaveTheSameVersionsAndTheNewestIsKnown() throws IOException {
        List<String> h2 = versions("h2");
        assertThat(versions("postgresql")).as("one script per version for each database").isEqualTo(h2);
        // an open skips Flyway when the history has reached NEWEST_VERSION: a new script must raise it
        assertThat(SchemaMigrations.NEWEST_VERSION).isEqualTo(h2.get(h2.size() - 1));
    }
}
