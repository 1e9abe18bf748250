package io.cmsync.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Collectors;

/**
 * "Insert, or update the row with this key" in each database's own words: H2's {@code MERGE … KEY} and PostgreSQL's
 * {@code INSERT … ON CONFLICT} (standard {@code MERGE} needs PostgreSQL 15 and typed parameters on both).
 */
final class Upserts {
    private Upserts() {
    }

    /** One row of {@code columns} (the first is the key), one {@code ?} per column in that order. */
    static String upsert(boolean postgres, String table, String... columns) {
        String list = String.join(", ", columns);
        String params = String.join(", ", Collections.nCopies(columns.length, "?"));
        if (!postgres) {
            return "MERGE INTO " + table + " (" + list + ") KEY (" + columns[0] + ") VALUES (" + params + ")";
        }
        String sql = "INSERT INTO " + table + " (" + list + ") VALUES (" + params + ") ON CONFLICT (" + columns[0] + ") ";
        if (columns.length == 1) {
            return sql + "DO NOTHING";
        }
        return sql + "DO UPDATE SET " + Arrays.stream(columns, 1, columns.length)
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    }
}
