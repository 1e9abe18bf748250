package io.cmsync.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.app.SyncApplication;
import io.cmsync.archive.ArchiveFile;
import io.cmsync.archive.FlaggedReport;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.state.StateStore;

import picocli.CommandLine;

/** A sandbox, a product configured against it in a temporary folder, the sync, and the flagged commands. */
final class FlaggedHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DELETION = "🗑️ À SUPPRIMER";
    static final String INACTIVE = "📥 INACTIF";

    final SandboxServer sandbox;
    final Path dir;
    final Map<String, String> properties = new HashMap<>();
    String out = "";
    String err = "";

    FlaggedHarness(Path dir, ObjectNode seed) throws IOException {
        this.dir = dir;
        this.sandbox = SandboxServer.start(new SandboxOptions(0, null, null, false));
        sandbox.load(seed);
        Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("config/application.properties"), dir.resolve("config/application.properties"));
        properties.put("paths.data-dir", dir.resolve("data").toString());
        properties.put("paths.reports-dir", dir.resolve("reports").toString());
        properties.put("paths.archive-dir", dir.resolve("archive").toString());
        properties.put("http.max-attempts", "2");
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("MAILCHIMP_LIST_ID", SandboxServer.LIST_ID);
        env.put("COPPER_BASE_URL", sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", sandbox.mailchimpBaseUrl());
        return env;
    }

    Settings settings() {
        return new SettingsLoader(config(), dir.resolve(".env"), env(), properties).load();
    }

    Path config() {
        return dir.resolve("config/application.properties");
    }

    int sync() throws Exception {
        return new SyncApplication(settings(), false, false).runOnceStandalone();
    }

    /** Runs {@code flagged <args>} with no terminal attached. */
    int flagged(String... args) {
        return flagged(FlaggedCommand.Terminal.none(), args);
    }

    /** Runs {@code flagged <args>} in a terminal whose user types {@code answers}. */
    int flaggedTyping(String answers, String... args) {
        return flagged(FlaggedCommand.Terminal.scripted(new BufferedReader(new StringReader(answers))), args);
    }

    private int flagged(FlaggedCommand.Terminal terminal, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cli = new CommandLine(new FlaggedCommand(terminal, env(), properties, Clock.systemUTC()));
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        List<String> all = new ArrayList<>(List.of("--config", config().toString(), "--env-file",
                dir.resolve(".env").toString()));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        out = o.toString();
        err = e.toString();
        return code;
    }

    List<StateStore.PendingFlagged> pending() {
        try (StateStore store = StateStore.open(settings().stateJdbcUrl())) {
            return store.pending();
        }
    }

    List<String> pendingEmails() {
        return pending().stream().map(StateStore.PendingFlagged::email).toList();
    }

    JsonNode person(String email) {
        for (JsonNode p : sandbox.dump().path("copper").path("people")) {
            for (JsonNode e : p.path("emails")) {
                if (e.path("email").asText().equalsIgnoreCase(email)) {
                    return p;
                }
            }
        }
        return null;
    }

    List<String> tags(String email) {
        List<String> tags = new ArrayList<>();
        person(email).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    JsonNode member(String email) {
        for (JsonNode m : sandbox.dump().path("mailchimp").path("lists").get(0).path("members")) {
            if (m.path("email_address").asText().equalsIgnoreCase(email)) {
                return m;
            }
        }
        return null;
    }

    String status(String email) {
        JsonNode m = member(email);
        return m == null ? null : m.path("status").asText();
    }

    long writeCalls() {
        return sandbox.calls().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("GET ") && !e.getKey().endsWith("/search"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    Path archiveFile() {
        return Path.of(properties.get("paths.archive-dir")).resolve(ArchiveFile.FILE_NAME);
    }

    List<JsonNode> archiveLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(archiveFile())) {
            return lines;
        }
        for (String l : Files.readAllLines(archiveFile())) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    List<Path> flaggedReports() throws IOException {
        Path reports = dir.resolve("reports");
        if (!Files.isDirectory(reports)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(reports)) {
            return files.filter(p -> p.getFileName().toString().startsWith(FlaggedReport.PREFIX)).sorted().toList();
        }
    }

    String lastFlaggedReport() throws IOException {
        List<Path> r = flaggedReports();
        if (r.isEmpty()) {
            throw new AssertionError("no flagged report in " + dir.resolve("reports"));
        }
        return Files.readString(r.get(r.size() - 1));
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /** Sandbox state: people and members (docs/sandbox.md). */
    static final class Seed {
        private final ArrayNode people = JSON.createArrayNode();
        private final ArrayNode members = JSON.createArrayNode();
        private long nextId = 7000;

        Seed person(String email, String first, String last, String... tags) {
            ObjectNode p = people.addObject();
            p.put("id", nextId++);
            p.put("name", first + " " + last);
            p.put("first_name", first);
            p.put("last_name", last);
            p.putArray("emails").addObject().put("email", email).put("category", "work");
            ArrayNode t = p.putArray("tags");
            for (String tag : tags) {
                t.add(tag);
            }
            p.put("date_created", 1_735_689_600L);
            p.put("date_modified", 1_735_689_600L);
            return this;
        }

        Seed member(String email, String status, String first, String last) {
            ObjectNode m = members.addObject();
            m.put("id", MailchimpMapping.subscriberHash(email));
            m.put("email_address", email);
            m.put("status", status);
            m.putObject("merge_fields").put("FNAME", first).put("LNAME", last);
            m.putArray("tags");
            m.put("last_changed", "2025-01-01T00:00:00+00:00");
            return this;
        }

        /** A flagged contact present on both sides. */
        Seed flagged(String email, String first, String last, String tag) {
            return person(email, first, last, "client", tag).member(email, "subscribed", first, last);
        }

        ObjectNode build() {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode copper = root.putObject("copper");
            copper.put("next_id", nextId);
            copper.set("people", people);
            ObjectNode list = root.putObject("mailchimp").putArray("lists").addObject();
            list.put("id", SandboxServer.LIST_ID);
            list.put("name", "Audience de test");
            list.put("subscribe_url_long", "https://sandbox.us1.list-manage.com/subscribe?u=0123&id="
                    + SandboxServer.LIST_ID);
            list.set("members", members);
            root.path("mailchimp").isObject();
            ((ObjectNode) root.get("mailchimp")).putArray("forgotten");
            return root;
        }
    }
}
