package io.cmsync.ops;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A copy of the product in a temporary folder, as a user has it: {@code bin/}, {@code config/}, {@code routes/} and
 * {@code target/copper-mailchimp-sync.jar}. The jar is a launcher whose manifest class path points at this test
 * run's classes and dependencies, so the scripts run the code under test even before {@code mvn package}.
 * Scripts run with {@code bash} and a controlled PATH: {@link #fakeBin} first, then the test JVM's {@code bin/}, then
 * {@code /usr/bin:/bin}.
 */
final class TestProject {
    static final Path REPO = Path.of("").toAbsolutePath();
    final Path dir;
    final Path fakeBin;
    final Path crontabFile;

    TestProject(Path dir) throws IOException {
        this.dir = dir;
        copyTree(REPO.resolve("bin"), dir.resolve("bin"));
        copyTree(REPO.resolve("config"), dir.resolve("config"));
        // a daemon started by a test serves health and metrics on a free port, never the shared 8080
        Files.writeString(dir.resolve("config/application.properties"), "\ncamel.management.port=0\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        copyTree(REPO.resolve("routes"), dir.resolve("routes"));
        fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        crontabFile = dir.resolve("fake-crontab.txt");
    }

    TestProject withLauncherJar() throws IOException {
        Path target = Files.createDirectories(dir.resolve("target"));
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, "io.cmsync.cli.Application");
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        a.put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        try (OutputStream out = Files.newOutputStream(target.resolve("copper-mailchimp-sync.jar"));
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return this;
    }

    /** A fake {@code crontab} on PATH keeping the table in {@link #crontabFile}. */
    TestProject withFakeCrontab() throws IOException {
        script("crontab", """
                #!/bin/bash
                f="%s"
                case "$1" in
                  -l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab for $USER" >&2; exit 1; fi ;;
                  -r) rm -f "$f" ;;
                  -) cat > "$f" ;;
                  *) cp "$1" "$f" ;;
                esac
                """.formatted(crontabFile));
        return this;
    }

    void script(String name, String text) throws IOException {
        Path p = fakeBin.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    String path(boolean withJava) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        return fakeBin + (withJava ? ":" + javaBin : "") + ":/usr/bin:/bin";
    }

    /** A PATH where the only {@code java}, {@code mvn} and {@code crontab} are those of {@link #fakeBin}. */
    String isolatedPath() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools-bin"));
        for (String t : List.of("bash", "sed", "grep", "tr", "cut", "awk", "tail", "head", "ls", "sort", "cat", "date",
                "mkdir", "rm", "ps", "sleep", "dirname", "tee", "cp", "env", "wc", "mv")) {
            for (String d : List.of("/usr/bin", "/bin")) {
                Path src = Path.of(d, t);
                if (Files.isExecutable(src) && !Files.exists(tools.resolve(t))) {
                    Files.createSymbolicLink(tools.resolve(t), src);
                }
            }
        }
        return fakeBin + ":" + tools;
    }

    ProcessBuilder builder(String path, Map<String, String> env, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("COPPER_") || k.startsWith("MAILCHIMP_"));
        e.put("PATH", path);
        e.put("HOME", dir.toString());
        e.put("LANG", "C.UTF-8");
        e.putAll(env);
        return pb;
    }

    Result bash(String stdin, Map<String, String> env, String path, String... scriptAndArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.add(dir.resolve(scriptAndArgs[0]).toString());
        cmd.addAll(List.of(scriptAndArgs).subList(1, scriptAndArgs.length));
        Process p = builder(path, env, cmd.toArray(String[]::new)).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    Result bash(String... scriptAndArgs) throws Exception {
        return bash(null, Map.of(), path(true), scriptAndArgs);
    }

    String crontab() throws IOException {
        return Files.exists(crontabFile) ? Files.readString(crontabFile, StandardCharsets.UTF_8) : "";
    }

    record Result(int code, String out) {
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
