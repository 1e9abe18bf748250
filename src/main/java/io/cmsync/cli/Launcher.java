package io.cmsync.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jar's entry point. Most of a one-shot run's start is the JVM loading and verifying some 8,000 classes (Camel,
 * H2, Jackson, Log4j...); a class-data archive (AppCDS) of them, mapped at start, saves about a third of the CPU of a
 * small run. The JVM only takes one from its command line, so {@code java -jar copper-mailchimp-sync.jar ... --once},
 * started with no JVM option, starts itself again with the archive kept next to the jar
 * ({@code copper-mailchimp-sync.jsa}, written by the first such run, rewritten when the jar is newer). Everything else
 * (the daemon, interactive commands, a command line with JVM options, {@code CMSYNC_CLASS_ARCHIVE=off}, a jar folder
 * that cannot be written) runs in this JVM, as asked.
 */
public final class Launcher {
    /** Set on the second JVM: it must not start a third. */
    static final String RELAUNCHED = "cmsync.relaunched";

    private Launcher() {
    }

    public static void main(String[] args) {
        if (System.getProperty(RELAUNCHED) != null) {
            dieWithParent();
        }
        Integer code = withClassArchive(args);
        if (code != null) {
            System.exit(code);
        }
        Application.main(args);
    }

    /**
     * The first JVM waits for this one and forwards SIGTERM and Ctrl+C; but SIGKILL (kill -9, the OOM killer, a
     * supervisor) cannot be forwarded. A run must never go on behind the process its operator killed: this JVM then
     * stops at once too, as the killed one did (no shutdown hooks; the plan journal finishes its work next time).
     */
    static void dieWithParent() {
        // the first JVM holds the write end of this JVM's stdin and never writes: end of input = it is gone
        // (a one-shot run reads nothing from stdin; watching the parent's pid instead is polled, seconds late)
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever sent; keep waiting for the end
                }
            } catch (IOException e) {
                // a broken pipe is the same news
            }
            Runtime.getRuntime().halt(137);
        }, "die-with-parent");
        watch.setDaemon(true);
        watch.start();
    }

    /** The exit code of the run made in a JVM with the archive, or null to run here. */
    static Integer withClassArchive(String[] args) {
        if (System.getProperty(RELAUNCHED) != null || !Arrays.asList(args).contains("--once")
                || "off".equalsIgnoreCase(System.getenv("CMSYNC_CLASS_ARCHIVE"))) {
            return null;
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        String java = self.command().orElse(null);
        String[] arguments = self.arguments().orElse(null);
        Path jar = ownJar();
        // exactly "java -jar <jar> <args>": any JVM option (heap, GC log...) is someone's choice for this JVM
        if (java == null || jar == null || arguments == null || arguments.length != args.length + 2
                || !"-jar".equals(arguments[0])) {
            return null;
        }
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
        Path dump = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        boolean fresh;
        try {
            fresh = Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException e) {
            return null;
        }
        if (!fresh && !Files.isWritable(jar.getParent())) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(java,
                fresh ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + dump,
                "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-D" + RELAUNCHED + "=true", "-jar",
                jar.toString()));
        command.addAll(Arrays.asList(args));
        try {
            // stdin is a pipe this JVM keeps open: the second JVM stops at once if this one is killed
            Process run = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // SIGTERM or Ctrl+C to this JVM: the run stops as it would have, and this JVM waits for it
            Thread stop = new Thread(() -> {
                run.destroy();
                try {
                    run.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(stop);
            int code = run.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            if (!fresh) {
                keep(dump, archive);
            }
            return code;
        } catch (IOException e) {
            return null; // no second JVM: run here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The archive just written replaces the old one in one move, so that a concurrent run never maps half a file. */
    private static void keep(Path dump, Path archive) {
        try {
            if (Files.isRegularFile(dump) && Files.size(dump) > 0) {
                Files.move(dump, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            // no archive this time: the next run writes one
        } finally {
            try {
                Files.deleteIfExists(dump);
            } catch (IOException e) {
                // a temporary file left in target/: harmless
            }
        }
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
