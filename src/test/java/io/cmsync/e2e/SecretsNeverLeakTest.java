package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.testsupport.LogCapture;

/**
 * No API key nor Authorization value in any output, at any log level: Camel and the HTTP client at TRACE, errors
 * forced on every path (success, 401 with wrong keys, 500s, timeouts, dropped connections, bad configuration), and
 * every log event, report, data file and exception message scanned.
 */
class SecretsNeverLeakTest {
    private static final String WRONG_COPPER = "wrongcopperkey0123456789";
    private static final String WRONG_MAILCHIMP = "wrongmailchimpkey0123456789-us1";

    @TempDir
    Path dir;

    private static Map<String, String> secrets() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("copper key", SandboxServer.COPPER_API_KEY);
        s.put("mailchimp key", SandboxServer.MAILCHIMP_API_KEY);
        s.put("mailchimp key without dc", SandboxServer.MAILCHIMP_API_KEY.replace("-us1", ""));
        s.put("basic auth", Base64.getEncoder().encodeToString(("cmsync:" + SandboxServer.MAILCHIMP_API_KEY)
                .getBytes(StandardCharsets.UTF_8)));
        s.put("wrong copper key", WRONG_COPPER);
        s.put("wrong mailchimp key", WRONG_MAILCHIMP);
        s.put("wrong basic auth", Base64.getEncoder().encodeToString(("cmsync:" + WRONG_MAILCHIMP)
                .getBytes(StandardCharsets.UTF_8)));
        return s;
    }

    @Test
    void noSecretInAnyOutputAtTraceLevelOnEveryErrorPath() throws Exception {
        List<String> outputs = new ArrayList<>();
        Map<String, Level> trace = Map.of("org.apache.camel", Level.TRACE, "org.apache.hc", Level.TRACE,
                "org.apache.http", Level.TRACE, "io.cmsync", Level.TRACE);
        try (LogCapture log = new LogCapture(trace);
             SyncHarness h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud", "vip")
                     .member("bob@exemple.fr", "subscribed", "Bob", "Bernard").build())) {
            h.properties.put("http.response-timeout-seconds", "1");
            h.properties.put("http.max-attempts", "2");
            // 1. a normal run, writes on both sides
            outputs.add("run ok: " + safeRun(() -> h.run()));
            // 2. wrong keys, each side
            Map<String, String> env = TimeoutsAndAuthTest.env(h);
            env.put("COPPER_API_KEY", WRONG_COPPER);
            outputs.add("wrong copper: " + safeRun(() -> new SyncApplication(TimeoutsAndAuthTest.load(h, env), false, false).runOnceStandalone()));
            Map<String, String> env2 = TimeoutsAndAuthTest.env(h);
            env2.put("MAILCHIMP_API_KEY", WRONG_MAILCHIMP);
            outputs.add("wrong mailchimp: " + safeRun(() -> new SyncApplication(TimeoutsAndAuthTest.load(h, env2), false, false).runOnceStandalone()));
            // 3. server errors, timeouts, dropped connections
            h.sandbox.faults(new FaultConfig(0, 0, 0, 1.0, 0, 0, 1_500, 3));
            outputs.add("5xx: " + safeRun(() -> h.run()));
            h.sandbox.faults(new FaultConfig(0, 0, 0, 0, 1.0, 0, 1_500, 3));
            outputs.add("timeouts: " + safeRun(() -> h.run()));
            h.sandbox.faults(new FaultConfig(0, 0, 0, 0, 0, 1.0, 1_500, 3));
            outputs.add("drops: " + safeRun(() -> h.run()));
            // errors on writes only: reads pass, then every write fails
            h.sandbox.faults(FaultConfig.none());
            ObjectNodeEdit.renameAll(h);
            h.sandbox.faults(new FaultConfig(0, 0, 0, 0.5, 0.2, 0.3, 1_500, 11));
            outputs.add("mixed: " + safeRun(() -> h.run()));
            h.sandbox.faults(FaultConfig.none());
            // 4. bad configuration, secrets present in the environment
            Files.writeString(h.dir.resolve("config/application.properties"), "\nhttp.max-attempts=many\n",
                    java.nio.file.StandardOpenOption.APPEND);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Files.writeString(h.dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY
                    + "\nCOPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL + "\nMAILCHIMP_API_KEY="
                    + SandboxServer.MAILCHIMP_API_KEY + "\nMAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID + "\n");
            int code = io.cmsync.cli.Application.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                    "--once", "--config", h.dir.resolve("config/application.properties").toString(),
                    "--env-file", h.dir.resolve(".env").toString());
            outputs.add("bad config exit " + code + ": " + out + err);

            List<String> leaks = new ArrayList<>();
            String logs = log.text();
            scan("log events", logs, leaks);
            outputs.forEach(o -> scan("outputs", o, leaks));
            try (Stream<Path> files = Files.walk(h.dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (f.equals(h.dir.resolve(".env"))) {
                        continue; // where the user put them
                    }
                    scan(h.dir.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), leaks);
                }
            }
            System.out.println("secrets scan: " + log.lines().size() + " log events, outputs " + outputs);
            assertThat(log.lines().size()).as("TRACE really on").isGreaterThan(500);
            assertThat(logs).as("the HTTP client's TRACE output was captured").contains("org.apache.hc");
            assertThat(logs).as("header lines are kept, masked").contains("X-PW-AccessToken: ****", "Authorization: Basic ****");
            assertThat(leaks).isEmpty();
        }
    }

    interface Run {
        int run() throws Exception;
    }

    private static String safeRun(Run r) {
        try {
            return "exit " + r.run();
        } catch (Exception e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            return "exception " + w;
        }
    }

    private static void scan(String where, String text, List<String> leaks) {
        secrets().forEach((name, value) -> {
            int at = text.indexOf(value);
            if (at >= 0) {
                leaks.add(name + " in " + where + ": …" + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 60)) + "…");
            }
        });
    }

    static final class ObjectNodeEdit {
        static void renameAll(SyncHarness h) {
            var state = h.sandbox.dump();
            for (var p : state.path("copper").path("people")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("last_name", "Renommé")
                        .put("date_modified", Seed.now());
            }
            h.sandbox.load(state);
        }
    }
}
