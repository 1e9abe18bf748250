package io.cmsync.state;

/** {@link StateStoreTest} on the embedded H2 file. */
class StateStoreH2Test extends StateStoreTest {
    @Override
    String database() {
        return "h2";
    }
}
