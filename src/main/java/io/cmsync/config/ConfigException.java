package io.cmsync.config;

/**
 * A configuration mistake: names the key and the file to fix. Its message is one line, never contains a secret
 * value, and the command line prints it without a stack trace (exit code 2).
 */
public class ConfigException extends RuntimeException {
    private final String key;
    private final String file;

    public ConfigException(String key, String file, String problem) {
        super(key + " in " + file + ": " + problem);
        this.key = key;
        this.file = file;
    }

    public String key() {
        return key;
    }

    public String file() {
        return file;
    }
}
