package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cmsync.i18n.Messages;
import io.cmsync.i18n.Messages.Language;

/** Prompts take the words as well as the letters, whatever the case, the accents and the spaces around. */
class AnswersTest {
    private static Answers<String> decisions(Language language) {
        return new Answers<>(Messages.of(language), Map.of("cli.flagged.answer.archive", "archive",
                "cli.flagged.answer.delete", "delete", "cli.flagged.answer.ignore", "ignore"));
    }

    @Test
    void frenchWordsAndLetters() {
        Answers<String> fr = decisions(Language.FR);
        assertThat(fr.match("a")).isEqualTo("archive");
        assertThat(fr.match("archiver")).isEqualTo("archive");
        assertThat(fr.match("  ARCHIVER ")).isEqualTo("archive");
        assertThat(fr.match("s")).isEqualTo("delete");
        assertThat(fr.match("Supprimer")).isEqualTo("delete");
        assertThat(fr.match("supprimé")).isEqualTo("delete");
        assertThat(fr.match("ignorer")).isEqualTo("ignore");
        assertThat(fr.match("I")).isEqualTo("ignore");
        assertThat(fr.match("x")).isNull();
        assertThat(fr.match("")).isNull();
        assertThat(fr.match(null)).isNull();
    }

    @Test
    void englishWordsAndLetters() {
        Answers<String> en = decisions(Language.EN);
        assertThat(en.match("Archive")).isEqualTo("archive");
        assertThat(en.match("d")).isEqualTo("delete");
        assertThat(en.match("DELETE")).isEqualTo("delete");
        assertThat(en.match("skip")).isEqualTo("ignore");
        assertThat(en.match("s")).isNull(); // French letter for supprimer
    }

    @Test
    void yesAndNoWithAccentsAndCase() {
        Answers<Boolean> fr = new Answers<>(Messages.of(Language.FR), Map.of("cli.answer.yes", true,
                "cli.answer.no", false));
        assertThat(fr.match("OUI")).isTrue();
        assertThat(fr.match("o")).isTrue();
        assertThat(fr.match("Non")).isFalse();
        assertThat(fr.match("peut-être")).isNull();
        Answers<Boolean> en = new Answers<>(Messages.of(Language.EN), Map.of("cli.answer.yes", true,
                "cli.answer.no", false));
        assertThat(en.match("Yes")).isTrue();
        assertThat(en.match("oui")).isNull();
    }

    @Test
    void groupChoiceByNumberOrWords() {
        Answers<String> fr = new Answers<>(Messages.of(Language.FR), Map.of(
                "cli.flagged.answer.one-by-one", "one", "cli.flagged.answer.all-archive", "archive",
                "cli.flagged.answer.all-delete", "delete", "cli.flagged.answer.all-ignore", "ignore"));
        assertThat(fr.match("1")).isEqualTo("one");
        assertThat(fr.match("Contact par contact")).isEqualTo("one");
        assertThat(fr.match("décider")).isEqualTo("one");
        assertThat(fr.match("tout archiver")).isEqualTo("archive");
        assertThat(fr.match("3")).isEqualTo("delete");
        assertThat(fr.match("Tout ignorer")).isEqualTo("ignore");
    }
}
