package io.cmsync.cli;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.cmsync.i18n.Messages;

/**
 * What a person typed at a prompt, matched against the words the catalogue accepts for each choice (a comma-separated
 * list: the letter, the word, a few variants). Case, accents and spaces around do not matter: « Supprimer »,
 * « supprimé » and « s » are the same answer.
 */
final class Answers<T> {
    private final Map<String, T> words = new LinkedHashMap<>();

    /** @param choices for each choice, the catalogue key of its accepted words */
    Answers(Messages messages, Map<String, T> choices) {
        choices.forEach((key, choice) -> Arrays.stream(messages.get(key).split(","))
                .map(Answers::normalize).filter(w -> !w.isEmpty()).forEach(w -> words.putIfAbsent(w, choice)));
    }

    /** The choice the answer names, or null when it names none. */
    T match(String typed) {
        return typed == null ? null : words.get(normalize(typed));
    }

    static String normalize(String s) {
        String plain = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
