package io.cmsync.state;

/** {@link RunStagingTest} on a real PostgreSQL (see PostgresServer). */
class RunStagingPostgresTest extends RunStagingTest {
    @Override
    String database() {
        return "postgresql";
    }
}
