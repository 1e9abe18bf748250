package io.cmsync.cli;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;

import io.cmsync.i18n.Messages;

import picocli.CommandLine;

/**
 * The usage help's texts, for picocli, from the one message catalogue: catalogue key {@code cli.help.root.X} is
 * picocli's {@code copper-mailchimp-sync.X} (one command's texts, e.g. {@code root.flagged.list.limit}), and
 * {@code cli.help.X} is picocli's {@code X} (shared by every command: headings, {@code --config}…). A bundle of its
 * own rather than the properties file itself, so that the catalogue keeps one key convention and one quoting rule.
 */
final class HelpBundle extends ResourceBundle {
    static final String ROOT_COMMAND = "copper-mailchimp-sync";
    private static final String PREFIX = "cli.help.";
    private static final String ROOT = PREFIX + "root.";

    private final Map<String, String> texts = new LinkedHashMap<>();

    HelpBundle(Messages messages) {
        for (String key : messages.keys()) {
            if (key.startsWith(ROOT)) {
                texts.put(ROOT_COMMAND + "." + key.substring(ROOT.length()), messages.get(key));
            } else if (key.startsWith(PREFIX)) {
                texts.put(key.substring(PREFIX.length()), messages.get(key));
            }
        }
    }

    @Override
    protected Object handleGetObject(String key) {
        return texts.get(key);
    }

    @Override
    public Enumeration<String> getKeys() {
        return Collections.enumeration(texts.keySet());
    }

    /**
     * Help whose value labels ({@code FILE}, {@code DIR}…, fixed in the annotations) are said in the language:
     * catalogue key {@code cli.help.label.<label>}.
     */
    static CommandLine.IHelpFactory translatingLabels(Messages messages) {
        return (spec, colors) -> new CommandLine.Help(spec, colors) {
            @Override
            public CommandLine.Help.IParamLabelRenderer parameterLabelRenderer() {
                CommandLine.Help.IParamLabelRenderer base = super.parameterLabelRenderer();
                return new CommandLine.Help.IParamLabelRenderer() {
                    @Override
                    public CommandLine.Help.Ansi.Text renderParameterLabel(CommandLine.Model.ArgSpec arg,
                            CommandLine.Help.Ansi ansi, List<CommandLine.Help.Ansi.IStyle> styles) {
                        CommandLine.Help.Ansi.Text text = base.renderParameterLabel(arg, ansi, styles);
                        String key = "cli.help.label." + arg.paramLabel();
                        if (!messages.has(key)) {
                            return text;
                        }
                        return ansi.new Text(text.plainString().replace(arg.paramLabel(), messages.get(key)),
                                colors);
                    }

                    @Override
                    public String separator() {
                        return base.separator();
                    }
                };
            }
        };
    }
}
