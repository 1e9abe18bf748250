package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mode}: shows and switches sync.mode, editing only that line of the settings file. */
class ModeCommandTest {
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
        original = Files.readString(config, StandardCharsets.UTF_8);
        assertThat(original).contains("\nsync.mode=TEST\n");
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(stdin);
    }

    private int mode(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        String[] full = new String[args.length + 3];
        full[0] = "mode";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--config";
        full[args.length + 2] = config.toString();
        return Application.execute(new PrintWriter(out, true), new PrintWriter(err, true), full);
    }

    private String text() throws Exception {
        return Files.readString(config, StandardCharsets.UTF_8);
    }

    @Test
    void showsTheCurrentMode() {
        assertThat(mode("")).isZero();
        assertThat(out.toString()).contains("Mode actuel : TEST", "@exemple");
    }

    @Test
    void switchesToProductionAfterConfirmationChangingOnlyThatLine() throws Exception {
        assertThat(mode("o\n", "production")).isZero();

        assertThat(out.toString()).contains(
                "⚠️ ATTENTION : le mode PRODUCTION traitera TOUTE LA BASE Copper et Mailchimp. Confirmer ? [o/N]",
                "✅ Mode PRODUCTION enregistré");
        assertThat(text()).isEqualTo(original.replace("\nsync.mode=TEST\n", "\nsync.mode=PRODUCTION\n"));
        assertThat(ModeCommand.currentMode(config)).isEqualTo("PRODUCTION");
        // the product itself reads the new mode
        assertThat(io.cmsync.config.SettingsLoader.readProperties(config).getProperty("sync.mode")).isEqualTo("PRODUCTION");

        out.getBuffer().setLength(0);
        assertThat(mode("oui\n", "test")).isZero();
        assertThat(out.toString()).contains("ne traitera plus que les contacts dont l'e-mail contient « @exemple »");
        assertThat(text()).isEqualTo(original);
    }

    @Test
    void anythingButYesCancelsAndLeavesTheFileUntouched() throws Exception {
        for (String answer : List.of("n\n", "\n", "", "peut-être\n")) {
            assertThat(mode(answer, "production")).as(answer).isEqualTo(1);
            assertThat(text()).isEqualTo(original);
        }
        assertThat(out.toString()).contains("❌ Annulé : le mode reste TEST.");
    }

    @Test
    void yesSkipsTheQuestionAndTheSameModeChangesNothing() throws Exception {
        assertThat(mode("", "PRODUCTION", "--yes")).isZero();
        assertThat(out.toString()).doesNotContain("Confirmer");
        assertThat(text()).contains("\nsync.mode=PRODUCTION\n").doesNotContain("sync.mode=TEST");

        String before = text();
        assertThat(mode("", "production")).isZero();
        assertThat(out.toString()).contains("déjà PRODUCTION");
        assertThat(text()).isEqualTo(before);
    }

    @Test
    void keepsCrlfCommentsAndOtherFormatting() throws Exception {
        String crlf = "# head\r\n# sync.mode=TEST in a comment\r\n  sync.mode = test\r\nsync.cron=0 0/15 * * * ?\r\n";
        Files.writeString(config, crlf, StandardCharsets.UTF_8);
        assertThat(mode("", "production", "-y")).isZero();
        assertThat(text()).isEqualTo(crlf.replace("  sync.mode = test", "  sync.mode = PRODUCTION"));
    }

    @Test
    void rejectsUnknownModesAndMissingFiles() throws Exception {
        assertThat(mode("", "staging", "--yes")).isEqualTo(2);
        assertThat(err.toString()).contains("Mode inconnu : staging (attendu : test ou production)");
        assertThat(text()).isEqualTo(original);

        Files.delete(config);
        assertThat(mode("", "production", "--yes")).isEqualTo(2);
        assertThat(err.toString()).contains("Erreur de configuration : " + config + " : fichier introuvable");
        assertThat(config).doesNotExist();
    }
}
