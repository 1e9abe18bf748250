package io.cmsync.routes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * What a YAML route file names that the running application cannot resolve, each with the line of the offending
 * value. Plain logic over the YAML node tree (snakeyaml-engine), the application seen through the resolvers given to
 * the constructor:
 * <ul>
 * <li>beans: {@code ref:} ({@code bean:}, filter {@code method:}, ...), {@code aggregationStrategy},
 * {@code executorService}, {@code aggregationRepository}, {@code idempotentRepository}, {@code onPrepare}, and
 * {@code ${bean:X...}} in any text (simple expressions);</li>
 * <li>endpoints: the scheme of every {@code from}/{@code to}/{@code toD}/{@code wireTap} URI must be a component;
 * {@code direct:X} sent to must be the {@code from} of a route of this file or of another file; a {@code from: direct:X}
 * must not already be another file's; the {@code direct:} endpoints other files call must still be here;</li>
 * <li>property placeholders {@code {{...}}}, in any value.</li>
 * </ul>
 * Route templates, templated routes and kamelets are skipped (their {@code {{...}}} are template parameters). Names
 * defined by the file itself ({@code beans:}) count as beans.
 */
public final class RouteFileCheck {

    /** One unresolved name. {@code line} is 1-based, 0 when the problem has no line in the file. */
    public record Problem(int line, String name, String why) {
        @Override
        public String toString() {
            return line > 0 ? "line " + line + ": " + why : why;
        }
    }

    private static final Set<String> BEAN_OPTIONS = Set.of("ref", "aggregationStrategy", "executorService",
            "aggregationRepository", "idempotentRepository", "onPrepare");
    private static final Set<String> ENDPOINT_KEYS = Set.of("from", "to", "toD", "wireTap");
    private static final Set<String> SKIPPED = Set.of("routeTemplate", "templatedRoute", "kamelet");
    /** Camel's simple bean function: {@code ${bean:name?method=m}}, {@code ${bean:name.m}}, {@code ${bean:name::m}}. */
    private static final Pattern SIMPLE_BEAN = Pattern.compile("\\$\\{bean:(?!type:)([^?.:}(\\s]+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.+?)}}");

    private final Predicate<String> beanExists;
    private final Set<String> otherFilesDirects;
    private final Map<String, String> callersElsewhere;
    private final Predicate<String> componentExists;
    private final UnaryOperator<String> placeholders;

    /**
     * @param beanExists        whether the registry has a bean of that name
     * @param otherFilesDirects the {@code direct:} names (without scheme) consumed by routes of the other files
     * @param componentExists   whether Camel resolves a component for that scheme
     * @param placeholders      resolves {@code {{...}}} in a text; throws {@link RuntimeException} when it cannot
     */
    public RouteFileCheck(Predicate<String> beanExists, Set<String> otherFilesDirects,
                          Predicate<String> componentExists, UnaryOperator<String> placeholders) {
        this(beanExists, otherFilesDirects, Map.of(), componentExists, placeholders);
    }

    /**
     * @param callersElsewhere {@code direct:} names this file consumes today and routes of other files send to, each
     *                         with who calls it (for the message): the new version must still consume them
     */
    public RouteFileCheck(Predicate<String> beanExists, Set<String> otherFilesDirects,
                          Map<String, String> callersElsewhere, Predicate<String> componentExists,
                          UnaryOperator<String> placeholders) {
        this.beanExists = beanExists;
        this.otherFilesDirects = Set.copyOf(otherFilesDirects);
        this.callersElsewhere = Map.copyOf(callersElsewhere);
        this.componentExists = componentExists;
        this.placeholders = placeholders;
    }

    /** The problems of this YAML text, by line; empty when everything it names resolves. */
    public List<Problem> problems(String yaml) {
        Walk walk = new Walk();
        try {
            for (Node document : new Compose(LoadSettings.builder().build()).composeAllFromString(yaml)) {
                walk.node(document, "");
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            return List.of(new Problem(line, null, "YAML syntax error: " + e.getProblem()));
        } catch (YamlEngineException e) {
            return List.of(new Problem(0, null, "YAML error: " + e.getMessage()));
        }
        return walk.problems();
    }

    /** One pass over the tree; beans and direct: sends are judged at the end (they may be defined further down). */
    private final class Walk {
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Integer> beanRefs = new LinkedHashMap<>();
        private final Map<String, Integer> directSends = new LinkedHashMap<>();
        private final Map<String, Integer> directFroms = new LinkedHashMap<>();
        private final Set<String> fileBeans = new HashSet<>();
        private final Set<String> missingPlaceholders = new HashSet<>();

        /** @param key the mapping key this node is the value of (a sequence passes its key to its items) */
        void node(Node node, String key) {
            if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    String k = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
                    Node value = tuple.getValueNode();
                    if (SKIPPED.contains(k)) {
                        continue;
                    }
                    if ("beans".equals(k)) {
                        collectBeanNames(value);
                    } else if (value instanceof ScalarNode scalar) {
                        scalar(k, scalar, key);
                    } else {
                        node(value, k);
                    }
                }
            } else if (node instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    node(item, key);
                }
            } else if (node instanceof ScalarNode scalar) {
                scalar(key, scalar, "");
            }
        }

        /** @param owner the key of the mapping holding {@code key: scalar} ({@code from} for {@code from: {uri: ...}}) */
        private void scalar(String key, ScalarNode scalar, String owner) {
            String text = scalar.getValue();
            boolean resolved = placeholdersResolve(scalar);
            Matcher bean = SIMPLE_BEAN.matcher(text);
            while (bean.find()) {
                beanRefs.putIfAbsent(bean.group(1), lineOf(scalar, bean.start()));
            }
            if (!resolved) {
                return; // already reported; the name behind it is unknown
            }
            if (BEAN_OPTIONS.contains(key)) {
                beanRef(text, lineOf(scalar, 0));
            } else if (ENDPOINT_KEYS.contains(key)) {
                endpoint(text, lineOf(scalar, 0), "from".equals(key));
            } else if ("uri".equals(key) && ENDPOINT_KEYS.contains(owner)) {
                endpoint(text, lineOf(scalar, 0), "from".equals(owner));
            }
        }

        private boolean placeholdersResolve(ScalarNode scalar) {
            boolean all = true;
            Matcher m = PLACEHOLDER.matcher(scalar.getValue());
            while (m.find()) {
                try {
                    placeholders.apply(m.group());
                } catch (RuntimeException e) {
                    all = false;
                    if (!missingPlaceholders.add(m.group(1))) {
                        continue; // reported at its first line
                    }
                    problems.add(new Problem(lineOf(scalar, m.start()), m.group(1),
                            "property placeholder " + m.group() + " does not resolve"));
                }
            }
            return all;
        }

        private void beanRef(String value, int line) {
            String name = placeholders.apply(value.trim());
            if (name.startsWith("#bean:")) {
                name = name.substring("#bean:".length());
            } else if (name.startsWith("#")) {
                return; // #class:, #type:, ... create or look up by type, no name to resolve
            }
            beanRefs.putIfAbsent(name, line);
        }

        private void endpoint(String rawUri, int line, boolean consumer) {
            String uri = placeholders.apply(rawUri.trim());
            int colon = uri.indexOf(':');
            if (colon <= 0 || uri.substring(0, colon).contains("${")) {
                if (uri.contains("${")) {
                    return; // toD with a dynamic scheme
                }
                problems.add(new Problem(line, rawUri, "'" + rawUri + "' is not an endpoint URI (no scheme)"));
                return;
            }
            String scheme = uri.substring(0, colon);
            if (!componentExists.test(scheme)) {
                problems.add(new Problem(line, scheme, "no Camel component for the scheme '" + scheme + ":'"));
                return;
            }
            if ("direct".equals(scheme)) {
                String name = directName(uri);
                if (!name.contains("${")) {
                    (consumer ? directFroms : directSends).putIfAbsent(name, line);
                }
            }
        }

        private void collectBeanNames(Node beans) {
            if (beans instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    if (item instanceof MappingNode bean) {
                        for (NodeTuple t : bean.getValue()) {
                            if (t.getKeyNode() instanceof ScalarNode k && "name".equals(k.getValue())
                                    && t.getValueNode() instanceof ScalarNode v) {
                                fileBeans.add(v.getValue());
                            }
                        }
                    }
                }
            }
        }

        List<Problem> problems() {
            beanRefs.forEach((name, line) -> {
                if (!fileBeans.contains(name) && !beanExists.test(name)) {
                    problems.add(new Problem(line, name, "no bean named '" + name + "'"));
                }
            });
            directSends.forEach((name, line) -> {
                if (!directFroms.containsKey(name) && !otherFilesDirects.contains(name)) {
                    problems.add(new Problem(line, "direct:" + name, "no route from direct:" + name));
                }
            });
            directFroms.forEach((name, line) -> {
                if (otherFilesDirects.contains(name)) {
                    problems.add(new Problem(line, "direct:" + name,
                            "direct:" + name + " is already the from of a route in another file"));
                }
            });
            callersElsewhere.forEach((name, caller) -> {
                if (!directFroms.containsKey(name) && !otherFilesDirects.contains(name)) {
                    problems.add(new Problem(0, "direct:" + name, "direct:" + name + " is still called by " + caller
                            + " but no route of this file is from it any more"));
                }
            });
            problems.sort(Comparator.comparingInt(Problem::line));
            return problems;
        }
    }

    /** {@code direct:name}, {@code direct://name?options} → {@code name}. */
    static String directName(String uri) {
        String name = uri.substring("direct:".length());
        if (name.startsWith("//")) {
            name = name.substring(2);
        }
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }

    /** 1-based line of the character at {@code index} of the scalar's value (exact for one-line and literal blocks). */
    private static int lineOf(ScalarNode scalar, int index) {
        int start = scalar.getStartMark().map(Mark::getLine).orElse(-1) + 1;
        if (start == 0 || scalar.getScalarStyle() != ScalarStyle.LITERAL) {
            return start;
        }
        int newlines = (int) scalar.getValue().substring(0, index).chars().filter(c -> c == '\n').count();
        return start + 1 + newlines; // the block's text starts below the '|' indicator
    }
}
