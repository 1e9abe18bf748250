package io.cmsync.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

/**
 * One sandbox and a product configured against it in a temporary folder; each {@link #run()} starts the product as
 * {@code --once} does (Camel Main with the YAML routes of routes/), syncs, and stops it.
 */
final class SyncHarness implements AutoCloseable {
    final SandboxServer sandbox;
    final Path dir;
    final Map<String, String> properties = new HashMap<>();
    /** Environment variables that win over the sandbox's (a base URL pointing elsewhere, say). */
    final Map<String, String> environment = new HashMap<>();
    SyncApplication lastApp;

    SyncHarness(Path dir, ObjectNode seed) throws IOException {
        this.dir = dir;
        this.sandbox = SandboxServer.start(new SandboxOptions(0, null, null, false));
        if (seed != null) {
            sandbox.load(seed);
        }
        sandbox.resetCalls();
        Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("config/application.properties"), dir.resolve("config/application.properties"));
        // a daemon started by a test serves health and metrics on a free port, never the shared 8080
        Files.writeString(dir.resolve("config/application.properties"), "\ncamel.management.port=0\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        // the scenarios test the sync itself; the safety brake's first-production-run stop has its own tests
        Files.writeString(dir.resolve("config/application.properties"),
                "\nsafety.first-production-run-needs-confirmation=false\n", java.nio.file.StandardOpenOption.APPEND);
        properties.put("paths.data-dir", dir.resolve("data").toString());
        properties.put("paths.reports-dir", dir.resolve("reports").toString());
        properties.put("paths.archive-dir", dir.resolve("archive").toString());
        properties.put("http.max-attempts", "2");
        // a run waits out this overlap before counting the changes: 1 s keeps the many scenario runs short
        properties.put("sync.incremental-overlap-seconds", "1");
    }

    Settings settings() {
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("MAILCHIMP_LIST_ID", SandboxServer.LIST_ID);
        env.put("COPPER_BASE_URL", sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", sandbox.mailchimpBaseUrl());
        env.putAll(environment);
        return new SettingsLoader(dir.resolve("config/application.properties"), dir.resolve(".env"), env, properties)
                .load();
    }

    int run() throws Exception {
        return run(false);
    }

    int run(boolean dryRun) throws Exception {
        SyncApplication app = new SyncApplication(settings(), false, dryRun);
        lastApp = app;
        return app.runOnceStandalone();
    }

    /** A run with {@code --confirm-plan}: for scenarios whose mass change is the point, not the safety brake. */
    int runConfirmed() throws Exception {
        SyncApplication app = new SyncApplication(settings(), false, false, true);
        lastApp = app;
        return app.runOnceStandalone();
    }

    JsonNode copperPerson(String email) {
        for (JsonNode p : sandbox.dump().path("copper").path("people")) {
            for (JsonNode e : p.path("emails")) {
                if (e.path("email").asText().equalsIgnoreCase(email)) {
                    return p;
                }
            }
        }
        return null;
    }

    long copperPeopleWith(String email) {
        long n = 0;
        for (JsonNode p : sandbox.dump().path("copper").path("people")) {
            for (JsonNode e : p.path("emails")) {
                if (e.path("email").asText().equalsIgnoreCase(email)) {
                    n++;
                }
            }
        }
        return n;
    }

    JsonNode member(String email) {
        for (JsonNode m : sandbox.dump().path("mailchimp").path("lists").get(0).path("members")) {
            if (m.path("email_address").asText().equalsIgnoreCase(email)) {
                return m;
            }
        }
        return null;
    }

    /** Write calls (anything but GET and searches) counted by the sandbox since the last reset. */
    long writeCalls() {
        return sandbox.calls().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("GET ") && !e.getKey().endsWith("/search"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    Path latest(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            Optional<Path> last = files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
            return last.orElseThrow(() -> new AssertionError("no " + prefix + " report in " + dir.resolve("reports")));
        }
    }

    String latestReport() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            return Files.readString(files.filter(p -> p.getFileName().toString().startsWith("import_report_")
                            && p.toString().endsWith(".txt"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified())).orElseThrow(), StandardCharsets.UTF_8);
        }
    }

    List<Path> reports() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            return files.sorted().toList();
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
