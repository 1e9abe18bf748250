package io.cmsync.state;

import java.nio.file.Path;

import io.cmsync.testsupport.PostgresServer;

/** A fresh, empty state database of each kind the product supports, for tests that run on both. */
final class TestDatabases {
    private TestDatabases() {
    }

    /** {@code h2}: a file under {@code dir}; {@code postgresql}: a new database on the tests' server. */
    static StateDatabase of(String kind, Path dir) {
        return switch (kind) {
            case "h2" -> StateDatabase.h2("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath());
            case "postgresql" -> PostgresServer.get().newDatabase("state");
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
