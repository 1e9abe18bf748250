package io.cmsync.config;

import io.cmsync.i18n.Messages;

/**
 * A configuration mistake: names the key and the file to fix. The problem is a catalogue key
 * ({@code cli.config.problem.*}) with its arguments, so the command line can say it in the person's language
 * ({@link #describe(Messages)}); {@link #getMessage()} is the English, technical form for the logs. One line, never a
 * secret value, printed without a stack trace (exit code 2).
 */
public class ConfigException extends RuntimeException {
    /** The "file" of a setting read from an environment variable; said in words by {@link #describe}. */
    public static final String ENVIRONMENT = "(environment)";
    private final String key;
    private final String file;
    private final String problem;
    private final transient Object[] args;

    /**
     * @param key     the setting to fix, or null when the whole file is at fault (missing, unreadable)
     * @param problem a key of the catalogue's {@code cli.config.problem.*} section, without that prefix
     */
    public ConfigException(String key, String file, String problem, Object... args) {
        super(text(Messages.of(Messages.Language.EN), key, file, problem, args));
        this.key = key;
        this.file = file;
        this.problem = problem;
        this.args = args.clone();
    }

    /** The key to fix, or {@code "(file)"} when the whole file is at fault. */
    public String key() {
        return key == null ? "(file)" : key;
    }

    public String file() {
        return file;
    }

    /** One line for a person: « Erreur de configuration : … » naming the key and the file, in their language. */
    public String describe(Messages messages) {
        return messages.get("cli.config.error", text(messages, key, file, problem, args));
    }

    private static String text(Messages m, String key, String file, String problem, Object[] args) {
        String what = m.get("cli.config.problem." + problem, args);
        file = ENVIRONMENT.equals(file) ? m.get("cli.config.environment") : file;
        return key == null ? m.get("cli.config.in-file", file, what) : m.get("cli.config.in-key", key, file, what);
    }
}
