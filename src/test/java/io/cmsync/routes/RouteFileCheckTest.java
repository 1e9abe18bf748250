package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.cmsync.routes.RouteFileCheck.Problem;

class RouteFileCheckTest {
    private static final Set<String> BEANS = Set.of("reports", "syncScope", "groupedBody", "inCallerThread");
    private static final Set<String> COMPONENTS = Set.of("direct", "file", "timer", "log");
    private static final Map<String, String> PROPERTIES = Map.of("paths.reports-dir", "reports", "batch", "10");

    /** Every kind of name, all resolvable (38 lines). */
    private static final String VALID = """
            - route:
                id: write-reports
                from:
                  uri: direct:write-reports
                  steps:
                    - bean:
                        ref: reports
                        method: prepare
                    - setHeader:
                        name: CamelFileName
                        simple: "${bean:reports?method=importReportName}"
                    - setBody:
                        simple: "${bean:reports.importReportText} ${bean:type:java.lang.String?method=valueOf}"
                    - filter:
                        method:
                          ref: syncScope
                          method: inScope
                        steps:
                          - to: "file:{{paths.reports-dir}}?charset=UTF-8"
                    - to: direct:helper
                    - to: direct:elsewhere
                    - toD: "direct:${header.next}"
                    - log:
                        message: "written to {{paths.reports-dir}}, {{not.set:a default}}"
            - route:
                id: helper
                from:
                  uri: "direct://helper?timeout=5000"
                  steps:
                    - aggregate:
                        correlationExpression:
                          constant: all
                        aggregationStrategy: groupedBody
                        executorService: inCallerThread
                        completionSize: "{{batch}}"
                        steps:
                          - to:
                              uri: log:done
            """;

    private static List<Problem> check(String yaml) {
        return check(yaml, Set.of("elsewhere"), Map.of());
    }

    private static List<Problem> check(String yaml, Set<String> otherFiles, Map<String, String> callers) {
        return new RouteFileCheck(BEANS::contains, otherFiles, callers, COMPONENTS::contains, RouteFileCheckTest::resolve)
                .problems(yaml);
    }

    /** Camel's placeholder syntax, enough of it: {{key}} and {{key:default}}; throws when a key is missing. */
    private static String resolve(String text) {
        Matcher m = Pattern.compile("\\{\\{([^:}]+)(?::([^}]*))?}}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = PROPERTIES.getOrDefault(m.group(1), m.group(2));
            if (value == null) {
                throw new IllegalArgumentException("Property with key [" + m.group(1) + "] not found");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    @Test
    void aFileWhoseNamesAllResolveHasNoProblem() {
        assertThat(check(VALID)).isEmpty();
    }

    @Test
    void aBeanRefThatIsNotInTheRegistry() {
        List<Problem> problems = check(VALID.replace("ref: reports", "ref: reportz"));
        assertThat(problems).containsExactly(new Problem(7, "reportz", "no bean named 'reportz'"));
        assertThat(problems.get(0)).hasToString("line 7: no bean named 'reportz'");
    }

    @Test
    void aFilterMethodRefThatIsNotInTheRegistry() {
        assertThat(check(VALID.replace("ref: syncScope", "ref: syncScop")))
                .containsExactly(new Problem(16, "syncScop", "no bean named 'syncScop'"));
    }

    @Test
    void beansCalledFromSimpleExpressions() {
        assertThat(check(VALID.replace("${bean:reports?method=importReportName}", "${bean:reportz?method=importReportName}")
                .replace("${bean:reports.importReportText}", "${bean:reportx.importReportText}")))
                .containsExactly(new Problem(11, "reportz", "no bean named 'reportz'"),
                        new Problem(13, "reportx", "no bean named 'reportx'"));
    }

    @Test
    void aggregationStrategyAndExecutorServiceAreBeans() {
        assertThat(check(VALID.replace("aggregationStrategy: groupedBody", "aggregationStrategy: groupBody")
                .replace("executorService: inCallerThread", "executorService: callerThread")))
                .extracting(Problem::line, Problem::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(33, "groupBody"),
                        org.assertj.core.groups.Tuple.tuple(34, "callerThread"));
    }

    @Test
    void aDirectEndpointNoRouteIsFrom() {
        assertThat(check(VALID.replace("- to: direct:helper", "- to: direct:helpr")))
                .containsExactly(new Problem(20, "direct:helpr", "no route from direct:helpr"));
        // from another file: fine; from nowhere: not
        assertThat(check(VALID, Set.of(), Map.of()))
                .containsExactly(new Problem(21, "direct:elsewhere", "no route from direct:elsewhere"));
    }

    @Test
    void aDirectEndpointAnotherFileIsAlreadyFrom() {
        assertThat(check(VALID, Set.of("elsewhere", "helper"), Map.of())).containsExactly(new Problem(28,
                "direct:helper", "direct:helper is already the from of a route in another file"));
    }

    @Test
    void aFileNoLongerFromADirectEndpointOtherFilesCall() {
        Map<String, String> callers = Map.of("write-reports", "route 'sync-run' (routes/sync.yaml)",
                "helper", "route 'other' (routes/other.yaml)");
        assertThat(check(VALID, Set.of("elsewhere"), callers)).isEmpty();
        assertThat(check(VALID.replace("uri: direct:write-reports", "uri: direct:write-report"), Set.of("elsewhere"),
                callers)).containsExactly(new Problem(0, "direct:write-reports", "direct:write-reports is still called"
                + " by route 'sync-run' (routes/sync.yaml) but no route of this file is from it any more"));
    }

    @Test
    void aSchemeNoComponentResolves() {
        assertThat(check(VALID.replace("uri: log:done", "uri: reportz:done")
                .replace("\"file:{{paths", "\"fil:{{paths")))
                .containsExactly(new Problem(19, "fil", "no Camel component for the scheme 'fil:'"),
                        new Problem(38, "reportz", "no Camel component for the scheme 'reportz:'"));
    }

    @Test
    void aPropertyPlaceholderThatDoesNotResolve() {
        List<Problem> problems = check(VALID.replace("completionSize: \"{{batch}}\"", "completionSize: \"{{missing.prop}}\"")
                .replace("\"file:{{paths.reports-dir}}?", "\"file:{{missing.prop}}?"));
        // reported once, at its first line
        assertThat(problems).containsExactly(new Problem(19, "missing.prop",
                "property placeholder {{missing.prop}} does not resolve"));
    }

    @Test
    void aYamlSyntaxErrorHasItsLine() {
        List<Problem> problems = check(VALID.replace("method: inScope", "method: in: Scope"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).isEqualTo(17);
        assertThat(problems.get(0).why()).isEqualTo("YAML syntax error: mapping values are not allowed here");
    }

    @Test
    void aLineInsideALiteralBlock() {
        String yaml = """
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - setBody:
                            simple: |
                              first line
                              ${bean:nobody?method=x}
                """;
        assertThat(check(yaml)).containsExactly(new Problem(8, "nobody", "no bean named 'nobody'"));
    }

    @Test
    void beansDefinedInTheFileItself() {
        String yaml = """
                - beans:
                    - name: local
                      type: java.lang.Object
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - bean:
                            ref: local
                """;
        assertThat(check(yaml)).isEmpty();
    }

    /**
     * The project's route files, as one set (so every direct: they call must be the from of one of them), with every
     * bean bound and every property set: the check finds nothing to say about them.
     */
    @Test
    void theProjectsRouteFilesPassTogether() throws IOException {
        String all;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            all = files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(RouteFileCheckTest::read)
                    .collect(Collectors.joining("\n"));
        }
        assertThat(all).contains("direct:sync-run");
        CamelContext camel = new DefaultCamelContext();
        UnaryOperator<String> anyProperty = text -> text.replaceAll("\\{\\{[^}]*base-url}}", "https://api.test/x")
                .replaceAll("\\{\\{[^}]*}}", "1");
        List<Problem> problems = new RouteFileCheck(name -> true, Set.of(), scheme -> camel.getComponent(scheme) != null,
                anyProperty).problems(all);
        assertThat(problems).isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
