package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management commands with declared pairs: {@code --pair NAME}, required when several pairs are declared. */
class PairCommandsTest {
    @TempDir
    Path dir;
    Path config;
    String original;
    final InputStream stdin = System.in;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void copyConfig() throws Exception {
        config = dir.resolve("application.properties");
        Files.copy(Path.of("config/application.properties"), config);
        Files.writeString(config, "\npairs=fr,en\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        original = Files.readString(config, StandardCharsets.UTF_8);
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(stdin);
    }

    private int run(String... args) {
        System.setIn(new ByteArrayInputStream(new byte[0]));
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        return Application.execute(new PrintWriter(out, true), new PrintWriter(err, true), full);
    }

    @Test
    void modeOfOnePairWritesItsOwnLineOnly() throws Exception {
        assertThat(run("mode", "production", "--yes", "--pair", "en")).isZero();

        assertThat(Files.readString(config, StandardCharsets.UTF_8))
                .isEqualTo(original + "pair.en.sync.mode=PRODUCTION\n");
        assertThat(ModeCommand.currentMode(config, "en")).isEqualTo("PRODUCTION");
        assertThat(ModeCommand.currentMode(config, "fr")).isEqualTo("TEST");
        // again: the pair's line is replaced, not added twice
        assertThat(run("mode", "test", "--yes", "--pair", "en")).isZero();
        assertThat(Files.readString(config, StandardCharsets.UTF_8)).isEqualTo(original + "pair.en.sync.mode=TEST\n");
    }

    @Test
    void severalPairsNeedPair() throws Exception {
        assertThat(run("mode", "production", "--yes")).isEqualTo(2);
        assertThat(err.toString()).contains("--pair").contains("fr, en");
        assertThat(Files.readString(config, StandardCharsets.UTF_8)).isEqualTo(original);
    }

    @Test
    void anUndeclaredPairIsRefused() throws Exception {
        assertThat(run("mode", "--pair", "de")).isEqualTo(2);
        assertThat(err.toString()).contains("« de »").contains("fr, en");
        assertThat(run("report", "summary", "--pair", "de")).isEqualTo(2);
    }

    @Test
    void reportSummaryReadsThePairsFolder() throws Exception {
        assertThat(run("report", "summary", "--pair", "fr")).isEqualTo(1);
        assertThat(err.toString()).contains(Path.of("reports", "fr").toString());
    }
}
