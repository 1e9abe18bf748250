package io.cmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/setup_cron.sh against a fake crontab that keeps the table in a file. */
class SetupCronScriptTest {
    static final String MARKER = "# copper-mailchimp-sync";
    static final String OTHER = "0 3 * * * /usr/local/bin/backup.sh # nightly backup";
    static final String LOOKALIKE = "5 5 * * * echo '# copper-mailchimp-sync is great' >> /tmp/x";

    @TempDir
    Path dir;
    TestProject p;

    @BeforeEach
    void project() throws Exception {
        p = new TestProject(dir).withFakeCrontab();
        Files.writeString(p.crontabFile, OTHER + "\n" + LOOKALIKE + "\n");
    }

    private List<String> ours() throws Exception {
        return p.crontab().lines().filter(l -> l.endsWith(MARKER)).toList();
    }

    private TestProject.Result run(String stdin, String... args) throws Exception {
        String[] full = new String[args.length + 1];
        full[0] = "bin/setup_cron.sh";
        System.arraycopy(args, 0, full, 1, args.length);
        return p.bash(stdin, Map.of(), p.path(true), full);
    }

    @Test
    void installsTheChosenFrequencyNonInteractivelyAndKeepsOtherLines() throws Exception {
        TestProject.Result r = run(null, "--frequency", "15min", "--yes");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(ours()).hasSize(1);
        String line = ours().get(0);
        assertThat(line).startsWith("*/15 * * * * cd '" + dir + "' && ")
                // the summary only goes to the cron log: run_sync.sh --cron writes it (and rotates it) itself
                .contains(" bin/run_sync.sh --cron >> '" + dir + "/logs/sync_cron.log' 2>&1")
                .containsPattern("PATH='[^']+':/usr/local/bin:/usr/bin:/bin bin/run_sync.sh")
                .doesNotContain("-jar");
        assertThat(p.crontab()).contains(OTHER, LOOKALIKE);
        assertThat(dir.resolve("logs")).isDirectory();
        assertThat(r.out()).contains("✅ Synchronisation automatique programmée toutes les 15 minutes");
    }

    @Test
    void everyMenuChoiceGivesItsSchedule() throws Exception {
        String[][] cases = {{"1", "*/15 * * * *"}, {"2", "0 * * * *"}, {"3", "0 */4 * * *"}, {"4", "0 8,20 * * *"},
                {"5", "0 9 * * *"}, {"6\n30 7 * * 1-5", "30 7 * * 1-5"}};
        for (String[] c : cases) {
            TestProject.Result r = run(c[0] + "\no\n");
            assertThat(r.code()).as(c[0] + ": " + r.out()).isZero();
            assertThat(ours()).as(c[0]).hasSize(1);
            assertThat(ours().get(0)).as(c[0]).startsWith(c[1] + " cd ");
        }
        assertThat(p.crontab()).contains(OTHER, LOOKALIKE);
    }

    @Test
    void anExistingEntryIsReplacedOnlyWhenConfirmed() throws Exception {
        assertThat(run(null, "--frequency", "hourly", "--yes").code()).isZero();
        String before = p.crontab();

        TestProject.Result refused = run("n\n", "--frequency", "daily");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("déjà programmée", "0 * * * *");
        assertThat(p.crontab()).isEqualTo(before);

        TestProject.Result accepted = run("o\n", "--frequency", "twice-daily");
        assertThat(accepted.code()).as(accepted.out()).isZero();
        assertThat(ours()).hasSize(1);
        assertThat(ours().get(0)).startsWith("0 8,20 * * * cd ");
        assertThat(p.crontab()).contains(OTHER, LOOKALIKE);
    }

    @Test
    void customExpressionsAreValidated() throws Exception {
        assertThat(run(null, "--frequency", "*/30 8-18 * * 1-5", "--yes").code()).isZero();
        assertThat(ours().get(0)).startsWith("*/30 8-18 * * 1-5 cd ");
        String before = p.crontab();

        for (String bad : List.of("every day", "* * * *", "0 9 * * * rm -rf /", "0 9 * * ;rm")) {
            TestProject.Result r = run(null, "--frequency", bad, "--yes");
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.out()).as(bad).contains("Fréquence invalide");
        }
        assertThat(p.crontab()).isEqualTo(before);
    }

    @Test
    void removeTakesOutOurLineAndNothingElse() throws Exception {
        assertThat(run(null, "--frequency", "4h", "--yes").code()).isZero();
        assertThat(ours()).hasSize(1);

        TestProject.Result r = run(null, "--remove", "--yes");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(ours()).isEmpty();
        assertThat(Arrays.asList(p.crontab().split("\n"))).containsExactly(OTHER, LOOKALIKE);
        TestProject.Result again = run(null, "--remove", "--yes");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("rien à supprimer");
    }

    @Test
    void worksWithNoCrontabYetAndReportsStatus() throws Exception {
        Files.delete(p.crontabFile);
        assertThat(run(null, "--status").out()).contains("Aucune synchronisation automatique");
        assertThat(run(null, "--frequency", "hourly", "--yes").code()).isZero();
        assertThat(p.crontab().lines().toList()).hasSize(1);
        assertThat(run(null, "--status").out()).contains("✅ Synchronisation automatique active", "0 * * * *");
    }

    @Test
    void saysSoWhenCrontabIsMissing() throws Exception {
        Files.delete(p.fakeBin.resolve("crontab"));
        TestProject.Result r = p.bash(null, Map.of(), p.isolatedPath(), "bin/setup_cron.sh", "--frequency", "hourly",
                "--yes");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("« crontab » est introuvable");
    }
}
