package io.cmsync.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.CompositeFilter;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Last line of defence for logs: a context-wide Log4j 2 filter that sees every log call before it becomes an event
 * (any logger, any level, including the HTTP client's header and wire logs at DEBUG/TRACE, which print request
 * headers). A call whose text or exception carries a secret is dropped and logged again with the secret replaced by
 * {@code ****}. Installed by the application once the secrets are known; secrets of several runs accumulate.
 */
public final class SecretMaskingFilter extends AbstractFilter {
    private static final String FQCN = SecretMaskingFilter.class.getName();
    private static final SecretMaskingFilter INSTANCE = new SecretMaskingFilter();
    private static final ThreadLocal<Boolean> RELOGGING = ThreadLocal.withInitial(() -> false);

    private final Set<String> secrets = new CopyOnWriteArraySet<>();

    private SecretMaskingFilter() {
        super(Result.NEUTRAL, Result.NEUTRAL);
    }

    /** Adds the secrets (values shorter than 4 characters are ignored) and makes sure the filter is installed. */
    public static synchronized void install(Collection<String> values) {
        for (String v : values) {
            if (v != null && v.length() >= 4) {
                INSTANCE.secrets.add(v);
            }
        }
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return;
        }
        Configuration config = ctx.getConfiguration();
        if (!contains(config.getFilter())) {
            INSTANCE.start();
            config.addFilter(INSTANCE);
            ctx.updateLoggers();
        }
    }

    private static boolean contains(Filter f) {
        if (f == INSTANCE) {
            return true;
        }
        if (f instanceof CompositeFilter c) {
            for (Filter x : c.getFiltersArray()) {
                if (x == INSTANCE) {
                    return true;
                }
            }
        }
        return false;
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String s : secrets) {
            masked = masked.replace(s, "****");
        }
        return masked;
    }

    private boolean leaks(String text) {
        if (text == null) {
            return false;
        }
        for (String s : secrets) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private Result check(Logger logger, Level level, Marker marker, String text, Throwable t) {
        if (secrets.isEmpty() || RELOGGING.get() || !enabled(logger, level)) {
            return Result.NEUTRAL; // a disabled level is dropped by Log4j right after: nothing to format
        }
        boolean inText = leaks(text);
        boolean inThrown = t != null && leaks(trace(t));
        if (!inText && !inThrown) {
            return Result.NEUTRAL;
        }
        RELOGGING.set(true);
        try {
            Throwable thrown = inThrown ? new MaskedThrowable(t.getClass().getName(), mask(trace(t))) : t;
            logger.logMessage(FQCN, level, marker, new SimpleMessage(mask(text)), thrown);
        } finally {
            RELOGGING.set(false);
        }
        return Result.DENY;
    }

    private static boolean enabled(Logger logger, Level level) {
        Level threshold = logger.getLevel();
        return threshold != null && level != null && level.intLevel() <= threshold.intLevel();
    }

    private static Throwable lastThrowable(Object... params) {
        return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable t ? t : null;
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object... params) {
        String text = params == null || params.length == 0 ? msg : ParameterizedMessage.format(msg, params);
        return check(logger, level, marker, text, lastThrowable(params));
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
        return check(logger, level, marker, msg == null ? null : msg.toString(), t);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
        return check(logger, level, marker, msg == null ? null : msg.getFormattedMessage(),
                t != null ? t : msg == null ? null : msg.getThrowable());
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0) {
        return filter(logger, level, marker, msg, new Object[] {p0});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3, Object p4) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3, p4});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3, Object p4, Object p5) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3, p4, p5});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3, Object p4, Object p5, Object p6) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3, p4, p5, p6});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3, Object p4, Object p5, Object p6, Object p7) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3, p4, p5, p6, p7});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3, Object p4, Object p5, Object p6, Object p7, Object p8) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3, p4, p5, p6, p7, p8});
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2,
                         Object p3, Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
        return filter(logger, level, marker, msg, new Object[] {p0, p1, p2, p3, p4, p5, p6, p7, p8, p9});
    }

    /** An exception whose text had a secret: keeps the masked stack trace as text. */
    static final class MaskedThrowable extends RuntimeException {
        private final String maskedTrace;

        MaskedThrowable(String type, String maskedTrace) {
            super(type + " (secret masked)", null, false, false);
            this.maskedTrace = maskedTrace;
        }

        @Override
        public void printStackTrace(PrintWriter s) {
            s.print(maskedTrace);
        }

        @Override
        public void printStackTrace(PrintStream s) {
            s.print(maskedTrace);
        }
    }
}
