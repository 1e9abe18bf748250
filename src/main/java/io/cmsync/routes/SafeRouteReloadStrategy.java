package io.cmsync.routes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.routes.RouteFileCheck.Problem;

/**
 * Camel's live route reload, refusing a YAML route file whose beans, {@code direct:} targets, components or property
 * placeholders do not resolve ({@link RouteFileCheck}): the running routes are kept and one WARN names the file, the
 * line and the name.
 * <p>
 * Why: to reload a file, Camel removes the file's routes and adds the new definitions; a route that then fails to
 * start (a {@code ref:} to a bean that does not exist, say) is simply gone, and the sync fails later. A YAML syntax
 * error is refused here too (with its line), before Camel sees it.
 * <p>
 * Camel Main builds its own {@link RouteWatcherReloadStrategy} from {@code camel.main.routes-reload-*}
 * ({@code DefaultConfigurationConfigurer}, 4.18) with no way to choose the class: {@link #install(Main)} swaps it for
 * this one, same settings, once Camel Main has configured the context and before it starts.
 * <p>
 * Files that are not {@code .yaml}/{@code .yml}, and deleted files (Camel loads nothing from them), pass unchecked.
 * One save often fires two or three reload events, the first one may see the file empty (truncated, not yet
 * written): an empty changed file is ignored (DEBUG), and an identical refused text is refused again without a second
 * WARN.
 */
public class SafeRouteReloadStrategy extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReloadStrategy.class);

    private final AtomicLong refused = new AtomicLong();
    /** Last refused text of each file, so the repeated events of one save log once. */
    private final Map<URI, String> lastRefused = new ConcurrentHashMap<>();

    public SafeRouteReloadStrategy(String directory, boolean recursive) {
        super(directory, recursive);
    }

    /**
     * Replaces the reload strategy Camel Main would create from {@code camel.main.routes-reload-enabled},
     * {@code -directory}, {@code -directory-recursive}, {@code -pattern} and {@code -remove-all-routes} by a
     * {@link SafeRouteReloadStrategy} with the same settings. Call before the Main starts; nothing happens when reload
     * is disabled.
     *
     * @return the strategy, configured and added to the context when Camel Main configures it (its counters are
     *         usable from then on)
     */
    public static SafeRouteReloadStrategy install(Main main) {
        SafeRouteReloadStrategy strategy = new SafeRouteReloadStrategy(null, false);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                MainConfigurationProperties config = configured.configure();
                CamelContext context = configured.getCamelContext();
                if (!config.isRoutesReloadEnabled() || context.hasService(strategy)) {
                    return;
                }
                try {
                    for (RouteWatcherReloadStrategy camels : context.hasServices(RouteWatcherReloadStrategy.class)) {
                        // removing is not enough: Camel starts the services added during configuration anyway
                        camels.setScheduler(false);
                        context.removeService(camels);
                    }
                    strategy.setFolder(config.getRoutesReloadDirectory());
                    strategy.setRecursive(config.isRoutesReloadDirectoryRecursive());
                    strategy.setPattern(config.getRoutesReloadPattern());
                    strategy.setRemoveAllRoutes(config.isRoutesReloadRemoveAllRoutes());
                    context.addService(strategy);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot install the route reload strategy", e);
                }
            }
        });
        return strategy;
    }

    /** Reload events refused (the repeated events of one save count once). */
    public long refusedReloads() {
        return refused.get();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (!removeEverything && refuse(resources)) {
            return;
        }
        super.onRouteReload(resources, removeEverything);
    }

    /** Checks every file Camel is about to read; logs and returns true when one has a problem. */
    private boolean refuse(Collection<Resource> changed) {
        Set<URI> changedFiles = changed == null ? Set.of()
                : changed.stream().map(SafeRouteReloadStrategy::normalized).collect(Collectors.toSet());
        boolean refuse = false;
        boolean logged = false;
        for (Resource file : filesToRead(changed)) {
            URI uri = normalized(file);
            String text;
            List<Problem> problems;
            try {
                text = read(file);
                problems = checkFor(file).problems(text);
            } catch (IOException e) {
                text = null;
                problems = List.of(new Problem(0, null, "cannot be read: " + e.getMessage()));
            }
            if (text != null && text.isBlank() && changedFiles.contains(uri)) {
                // what an editor's save (truncate, then write) shows for an instant: the next event has the text
                LOG.debug("Route file {} not reloaded: empty", display(file));
                refuse = true;
                continue;
            }
            if (problems.isEmpty()) {
                lastRefused.remove(uri);
                continue;
            }
            refuse = true;
            if (text != null && text.equals(lastRefused.get(uri))) {
                LOG.debug("Route file {} not reloaded: unchanged since it was refused", display(file));
                continue;
            }
            if (text != null) {
                lastRefused.put(uri, text);
            }
            logged = true;
            LOG.warn("Route file {} not reloaded: {} (the running routes are kept)", display(file),
                    problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        if (logged) {
            refused.incrementAndGet();
        }
        return refuse;
    }

    /**
     * The changed YAML files that exist; with remove-all-routes, also the files of every other route, which Camel
     * reads again.
     */
    private List<Resource> filesToRead(Collection<Resource> changed) {
        Map<URI, Resource> files = new LinkedHashMap<>();
        if (changed != null) {
            changed.forEach(r -> files.put(normalized(r), r));
        }
        if (isRemoveAllRoutes()) {
            getCamelContext().getRoutes().stream().map(Route::getSourceResource)
                    .filter(r -> r != null).forEach(r -> files.putIfAbsent(normalized(r), r));
        }
        List<Resource> yaml = new ArrayList<>();
        for (Resource r : files.values()) {
            String location = r.getLocation();
            if (r.exists() && (location.endsWith(".yaml") || location.endsWith(".yml"))) {
                yaml.add(r);
            }
        }
        return yaml;
    }

    /** The check of one file against the running context: its beans, components, properties and other files' routes. */
    private RouteFileCheck checkFor(Resource file) {
        CamelContext context = getCamelContext();
        Set<String> otherFiles = new HashSet<>();
        Set<String> thisFile = new HashSet<>();
        for (Route route : context.getRoutes()) {
            String direct = directName(route.getEndpoint().getEndpointUri());
            if (direct != null) {
                (sameFile(route.getSourceResource(), file) ? thisFile : otherFiles).add(direct);
            }
        }
        // the direct: endpoints this file consumes today that routes of other files send to
        Map<String, String> callers = new TreeMap<>();
        for (RouteDefinition definition : context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinitions()) {
            if (sameFile(definition.getResource(), file) || context.getRoute(definition.getRouteId()) == null) {
                continue;
            }
            List<String> uris = new ArrayList<>();
            ProcessorDefinitionHelper.filterTypeInOutputs(definition.getOutputs(), SendDefinition.class)
                    .forEach(send -> uris.add(send.getEndpointUri()));
            ProcessorDefinitionHelper.filterTypeInOutputs(definition.getOutputs(), ToDynamicDefinition.class)
                    .forEach(send -> uris.add(send.getUri()));
            for (String uri : uris) {
                String direct = directName(resolved(context, uri));
                if (direct != null && thisFile.contains(direct)) {
                    callers.putIfAbsent(direct, "route '" + definition.getRouteId() + "' ("
                            + display(definition.getResource()) + ")");
                }
            }
        }
        return new RouteFileCheck(name -> context.getRegistry().lookupByName(name) != null, otherFiles, callers,
                scheme -> componentExists(context, scheme), context::resolvePropertyPlaceholders);
    }

    private static boolean componentExists(CamelContext context, String scheme) {
        try {
            return context.getComponent(scheme) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String resolved(CamelContext context, String uri) {
        try {
            return uri == null ? null : context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            return uri;
        }
    }

    private static String directName(String uri) {
        return uri != null && uri.startsWith("direct:") ? RouteFileCheck.directName(uri) : null;
    }

    private static String read(Resource file) throws IOException {
        try (InputStream in = file.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean sameFile(Resource a, Resource b) {
        return a != null && b != null && normalized(a).equals(normalized(b));
    }

    private static URI normalized(Resource resource) {
        URI uri = resource.getURI();
        try {
            return "file".equals(uri.getScheme()) ? Path.of(uri).toAbsolutePath().normalize().toUri() : uri;
        } catch (RuntimeException e) {
            return uri;
        }
    }

    private static String display(Resource resource) {
        if (resource == null) {
            return "?";
        }
        String location = resource.getLocation();
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }
}
