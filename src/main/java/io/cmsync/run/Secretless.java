package io.cmsync.run;

import io.cmsync.config.Secrets;

/** Last line of defence: replaces any API key that reached a message with ****. */
public final class Secretless {
    private Secretless() {
    }

    public static String mask(String text, Secrets secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets.values()) {
            if (secret.length() >= 4) {
                masked = masked.replace(secret, "****");
            }
        }
        return masked;
    }
}
