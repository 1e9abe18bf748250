package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cmsync.state.StateDatabase;

/** What the cluster ITs do with the daemon processes they start: the jar, their files, their ids, kills, HTTP. */
final class ClusterNodes {
    /** The console line that names a node of the cluster. */
    static final Pattern NODE_LINE = Pattern.compile("Nœud (\\S+) du cluster");

    private ClusterNodes() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("cmsync.jar", "target/copper-mailchimp-sync.jar"));
        assertThat(jar).as("run mvn package first").exists();
        return jar.toAbsolutePath();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    static String technicalLog(Path dir) throws IOException {
        return read(dir.resolve("logs/copper-mailchimp-sync.log"));
    }

    static String nodeId(Path dir, String out) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = NODE_LINE.matcher(read(dir.resolve(out)));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no cluster line from " + dir + ":\n" + read(dir.resolve(out)));
    }

    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    static List<String> rowsOf(StateDatabase db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = db.connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
