package io.cmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.cli.Application;

import picocli.CommandLine;

/**
 * Every {@code bin/…} and {@code java -jar target/copper-mailchimp-sync.jar …} command shown in a code block of the
 * documentation exists and accepts its options; the cheap ones run for real. Also: every setting is documented,
 * every route id is in the route map, every troubleshooting case of the old tool has its answer, links resolve.
 */
class DocsCommandsTest {
    static final List<String> DOCS = List.of("README.md", "docs/GUIDE_RAPIDE.md", "docs/DOCUMENTATION.md",
            "docs/GUIDE_TAG_SUPPRESSION.md", "docs/sandbox.md", "docs/operations-health.md", "docs/benchmark.md",
            "docs/configuration.md", "docs/integration-guide.md");
    static final String JAR = "target/copper-mailchimp-sync.jar";

    @TempDir
    Path dir;

    /** Commands of the fenced code blocks, split on {@code &&}, {@code ;} and {@code |}, comments removed. */
    static Set<List<String>> commands() throws Exception {
        Set<List<String>> found = new LinkedHashSet<>();
        for (String doc : DOCS) {
            boolean inBlock = false;
            for (String line : Files.readAllLines(Path.of(doc), StandardCharsets.UTF_8)) {
                if (line.strip().startsWith("```")) {
                    inBlock = !inBlock;
                    continue;
                }
                if (!inBlock) {
                    continue;
                }
                for (String part : line.strip().replaceFirst("^\\$ ", "").split("&&|;|\\|")) {
                    List<String> tokens = tokens(part.strip());
                    if (!tokens.isEmpty() && (tokens.get(0).startsWith("bin/")
                            || tokens.size() > 2 && tokens.get(0).equals("java") && tokens.contains("-jar"))) {
                        found.add(tokens);
                    }
                }
            }
        }
        return found;
    }

    /** Shell-like words: quotes group, an unquoted {@code #} starts a comment. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (c == '#' && cur.length() == 0) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0 || any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0 || any) {
            out.add(cur.toString());
        }
        return out;
    }

    @Test
    void theDocsShowTheCommandsOfEveryTool() throws Exception {
        Set<String> heads = new LinkedHashSet<>();
        for (List<String> c : commands()) {
            heads.add(c.get(0).startsWith("bin/") ? c.get(0)
                    : c.subList(c.indexOf("-jar") + 2, c.size()).stream().filter(t -> !t.startsWith("-")).findFirst()
                            .orElse("(main)"));
        }
        assertThat(heads).contains("bin/run_sync.sh", "bin/setup_cron.sh", "bin/stop_sync.sh", "(main)", "mode",
                "report");
    }

    @Test
    void everyJavaCommandParsesAndItsHelpWorks() throws Exception {
        int checked = 0;
        for (List<String> c : commands()) {
            if (!c.get(0).equals("java")) {
                continue;
            }
            int jar = c.indexOf("-jar");
            assertThat(c.get(jar + 1)).as(c.toString()).isEqualTo(JAR);
            String[] args = c.subList(jar + 2, c.size()).toArray(String[]::new);
            CommandLine cli = new CommandLine(new Application());
            CommandLine.ParseResult parsed;
            try {
                parsed = cli.parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("documented command does not parse: " + c + ": " + e.getMessage(), e);
            }
            List<String> help = new ArrayList<>();
            for (CommandLine sub : parsed.asCommandLineList().subList(1, parsed.asCommandLineList().size())) {
                help.add(sub.getCommandName());
            }
            help.add("--help");
            StringWriter out = new StringWriter();
            int code = Application.execute(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    help.toArray(String[]::new));
            assertThat(code).as(help.toString()).isZero();
            assertThat(out.toString()).as(help.toString()).contains("Utilisation :"); // French, the default language
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    @Test
    void theReadOnlyJavaCommandsRunForReal() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(Application.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter()), "mode",
                "--config", "config/application.properties")).isZero();
        assertThat(out.toString()).contains("Mode actuel : TEST");
        assertThat(commands()).contains(List.of("java", "-jar", JAR, "mode"),
                List.of("java", "-jar", JAR, "report", "summary"));
    }

    @Test
    void everyScriptCommandExistsAcceptsItsOptionsAndTheCheapOnesRun() throws Exception {
        TestProject p = new TestProject(dir).withFakeCrontab();
        Files.writeString(p.crontabFile, "0 3 * * * /usr/local/bin/backup.sh\n");
        Map<String, String> helps = new java.util.HashMap<>();
        int ran = 0;
        for (List<String> c : commands()) {
            if (!c.get(0).startsWith("bin/")) {
                continue;
            }
            Path script = Path.of(c.get(0));
            assertThat(script).as(c.toString()).isRegularFile();
            assertThat(Files.isExecutable(script)).as(c + " is executable").isTrue();
            String help = helps.computeIfAbsent(c.get(0), s -> {
                try {
                    TestProject.Result r = p.bash(s, "--help");
                    assertThat(r.code()).as(s + " --help").isZero();
                    return r.out();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (String option : c.subList(1, c.size())) {
                if (option.startsWith("-")) {
                    assertThat(help).as(c + ": " + option + " in --help").contains(option);
                }
            }
            // run for real what is cheap and harmless here: cron (fake crontab), stop (no daemon), any --help
            if (c.get(0).equals("bin/setup_cron.sh") || c.get(0).equals("bin/stop_sync.sh") || c.contains("--help")) {
                String stdin = c.contains("--remove") ? "o\n" : "1\no\n";
                TestProject.Result r = p.bash(stdin, Map.of(), p.path(true), c.toArray(String[]::new));
                assertThat(r.code()).as(c + "\n" + r.out()).isZero();
                assertThat(p.crontab()).as(c.toString()).contains("/usr/local/bin/backup.sh");
                ran++;
            }
        }
        assertThat(ran).isGreaterThanOrEqualTo(6);
        // the documented sequence leaves the table as it found it, plus the last installed line at most
        assertThat(p.crontab().lines().filter(l -> !l.endsWith("# copper-mailchimp-sync")).toList())
                .containsExactly("0 3 * * * /usr/local/bin/backup.sh");
    }

    @Test
    void everySettingIsDocumented() throws Exception {
        Properties props = new Properties();
        try (var r = Files.newBufferedReader(Path.of("config/application.properties"), StandardCharsets.UTF_8)) {
            props.load(r);
        }
        String doc = Files.readString(Path.of("docs/configuration.md"), StandardCharsets.UTF_8);
        for (String key : props.stringPropertyNames()) {
            assertThat(doc).as(key).contains("`" + key + "`");
        }
        assertThat(props).isNotEmpty();
    }

    @Test
    void everyRouteIsInTheRouteMap() throws Exception {
        String guide = Files.readString(Path.of("docs/integration-guide.md"), StandardCharsets.UTF_8);
        Pattern id = Pattern.compile("(?m)^\\s+id:\\s*\"?([\\w-]+)\"?\\s*$");
        int routes = 0;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
                Matcher m = id.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    assertThat(guide).as(f + ": " + m.group(1)).contains("| `" + f.getFileName() + "` | `" + m.group(1) + "` |");
                    routes++;
                }
            }
        }
        assertThat(routes).isGreaterThanOrEqualTo(16);
    }

    @Test
    void everyTroubleshootingCaseOfTheOldToolIsAnswered() throws Exception {
        String doc = Files.readString(Path.of("docs/DOCUMENTATION.md"), StandardCharsets.UTF_8);
        for (String heading : List.of("## 🚀 Démarrage rapide", "## Prérequis avant utilisation",
                "## Comment utiliser le programme", "## Comprendre les résultats", "### 3. Cas particuliers à surveiller",
                "#### Emails supprimés définitivement", "#### Étiquettes « Réinscription requise » dans Copper",
                "## Fréquence recommandée d'utilisation", "## Résolution des problèmes courants",
                "### Le programme s'arrête avec une erreur de connexion",
                "### La synchronisation automatique ne fonctionne plus",
                "### Le programme s'exécute mais ne synchronise pas tous les contacts",
                "### Je ne trouve pas les contacts synchronisés dans Copper/Mailchimp", "## Contact support",
                "## Gestion de la synchronisation automatique", "### Supprimer la synchronisation automatique",
                "### Vérifier que la suppression a fonctionné", "### Nettoyer les anciens logs",
                "## Modes de fonctionnement", "### Basculement entre modes")) {
            assertThat(doc).as(heading).contains("\n" + heading);
        }
        // the old tool's commands are gone from the instructions
        assertThat(doc).doesNotContain("python sync.py", "toggle_mode.py\n", "chmod +x");
    }

    @Test
    void relativeLinksResolve() throws Exception {
        Pattern link = Pattern.compile("\\]\\((?!https?:)([^)#]+)(#[^)]*)?\\)");
        for (String doc : DOCS) {
            Path base = Path.of(doc).toAbsolutePath().getParent();
            Matcher m = link.matcher(Files.readString(Path.of(doc), StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(base.resolve(m.group(1))).as(doc + " → " + m.group(1)).exists();
            }
        }
    }
}
