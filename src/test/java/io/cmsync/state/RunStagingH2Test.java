package io.cmsync.state;

/** {@link RunStagingTest} on the embedded H2 file. */
class RunStagingH2Test extends RunStagingTest {
    @Override
    String database() {
        return "h2";
    }
}
