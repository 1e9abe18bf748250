package io.cmsync.state;

/** {@link StateStoreTest} on a real PostgreSQL (see PostgresServer). */
class StateStorePostgresTest extends StateStoreTest {
    @Override
    String database() {
        return "postgresql";
    }
}
