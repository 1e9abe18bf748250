package io.cmsync.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log event of the JVM kept in memory (message, logger, thrown stack trace, context data), optionally with
 * some loggers turned to another level (restored on close).
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final Appender appender = new Appender();
    private final Map<String, Level> levels;
    private final Map<String, Level> previous = new java.util.HashMap<>();

    private final class Appender extends AbstractAppender {
        Appender() {
            super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder b = new StringBuilder();
            b.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                    .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter w = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(w));
                b.append('\n').append(w);
            }
            if (event.getContextData() != null && !event.getContextData().isEmpty()) {
                b.append(' ').append(event.getContextData());
            }
            synchronized (lines) {
                lines.add(b.toString());
                times.add(event.getTimeMillis());
            }
        }
    }

    public LogCapture(Map<String, Level> levels) {
        this.levels = levels;
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        for (LoggerConfig lc : config.getLoggers().values()) {
            if (!lc.getName().isEmpty()) {
                lc.addAppender(appender, Level.ALL, null);
            }
        }
        ctx.updateLoggers();
        levels.forEach((name, level) -> {
            previous.put(name, config.getLoggerConfig(name).getLevel());
            Configurator.setLevel(name, level);
        });
        // setLevel may create logger configs: make sure they feed the capture too
        for (LoggerConfig lc : config.getLoggers().values()) {
            if (!lc.getName().isEmpty() && !lc.getAppenders().containsKey(appender.getName())) {
                lc.addAppender(appender, Level.ALL, null);
            }
        }
        ctx.updateLoggers();
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Time (epoch ms) of the first event containing the text, or -1. */
    public long firstTime(String what) {
        synchronized (lines) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(what)) {
                    return times.get(i);
                }
            }
        }
        return -1;
    }

    public String text() {
        return String.join("\n", lines());
    }

    public long count(String what) {
        return lines().stream().filter(l -> l.contains(what)).count();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        for (LoggerConfig lc : config.getLoggers().values()) {
            lc.removeAppender(appender.getName());
        }
        config.getRootLogger().removeAppender(appender.getName());
        previous.forEach((name, level) -> Configurator.setLevel(name, level == null ? Level.INFO : level));
        ctx.updateLoggers();
        appender.stop();
    }
}
