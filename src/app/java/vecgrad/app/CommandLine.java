package vecgrad.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a command line with the GNU conventions: {@code --name VALUE} or {@code --name=VALUE},
 * {@code --} ends the options, a lone {@code -} is an argument. The typed readers turn a bad value,
 * including one out of its range, into a one-line {@link CommandException#usage}. {@code --debug}
 * is understood here, for every command and anywhere before {@code --}, and never reaches the
 * command's parser.
 */
final class CommandLine {

    private final List<String> args;
    private int next;
    private boolean optionsEnded;
    private String current;
    private String inlineValue;
    private boolean debug;

    CommandLine(List<String> args) {
        this.args = List.copyOf(args);
    }

    /** Moves to the next argument, past any {@code --debug}; false at the end. */
    boolean advance() throws CommandException {
        while (next < args.size()) {
            String arg = args.get(next++);
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            inlineValue = null;
            current = arg;
            if (isOption()) {
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    current = arg.substring(0, eq);
                    inlineValue = arg.substring(eq + 1);
                }
                if (current.equals("--debug")) {
                    noValue();
                    debug = true;
                    continue;
                }
            }
            return true;
        }
        return false;
    }

    /** Whether {@code --debug} was among the arguments walked so far. */
    boolean debug() {
        return debug;
    }

    /** Whether the current argument is an option (starts with '-', before any {@code --}). */
    boolean isOption() {
        return !optionsEnded && current.length() > 1 && current.startsWith("-");
    }

    /** The current option's name ({@code --epochs}), or the current argument. */
    String current() {
        return current;
    }

    /** Rejects a value given to a flag ({@code --quiet=yes}). */
    void noValue() throws CommandException {
        if (inlineValue != null) {
            throw CommandException.usage(current + " takes no value, got '" + inlineValue + "'");
        }
    }

    /** The current option's value: after '=' or the next argument. */
    String value(String what) throws CommandException {
        if (inlineValue != null) {
            String v = inlineValue;
            inlineValue = null;
            return v;
        }
        if (next == args.size()) {
            throw CommandException.usage(current + " needs " + what);
        }
        return args.get(next++);
    }

    /** A non-blank text value. */
    String text(String what) throws CommandException {
        String v = value(what);
        if (v.isBlank()) {
            throw CommandException.usage(current + " needs " + what + ", got an empty value");
        }
        return v;
    }

    /** An integer in {@code [min, max]}; the error states both bounds. */
    int intBetween(int min, int max) throws CommandException {
        String v = value("a whole number");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range: too large for an int is out of range, not a typo
        }
        throw CommandException.usage(current + " expects a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    /** Any 64-bit integer. */
    long anyLong() throws CommandException {
        String v = value("a whole number");
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw CommandException.usage(current + " expects a whole number, got '" + v + "'");
        }
    }

    /** A finite float {@code > 0}; a value beyond the float range, like {@code 1e39}, is refused, not infinity. */
    float positiveFloat() throws CommandException {
        String v = value("a number");
        try {
            float f = Float.parseFloat(v.trim());
            if (f > 0 && Float.isFinite(f)) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.usage(current + " expects a number > 0 and at most " + Float.MAX_VALUE + " (a float), got '"
                + v + "'");
    }

    /** A rate in {@code [0, 1)}, such as a dropout rate; NaN and 1 are refused. */
    double fraction() throws CommandException {
        String v = value("a number");
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= 0 && d < 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.usage(current + " expects a number from 0 (inclusive) to 1 (exclusive), got '" + v + "'");
    }

    /** A comma-separated list of 1 to {@code maxCount} integers, each in {@code [min, max]}. */
    List<Integer> intsBetween(int maxCount, int min, int max) throws CommandException {
        String v = value("a comma-separated list of whole numbers");
        String[] parts = v.split(",", -1);
        if (parts.length > maxCount) {
            throw CommandException.usage(current + " expects at most " + maxCount + " comma-separated numbers, got "
                    + parts.length + " in '" + v + "'");
        }
        List<Integer> out = new ArrayList<>();
        for (String part : parts) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n >= min && n <= max) {
                    out.add(n);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw CommandException.usage(current + " expects comma-separated whole numbers from " + min + " to " + max
                    + " (e.g. 256,128,64), got '" + v + "'");
        }
        return List.copyOf(out);
    }

    /** A comma-separated list of distinct words, each one of {@code allowed}, at least one. */
    List<String> choices(List<String> allowed) throws CommandException {
        String v = value("a comma-separated list");
        List<String> out = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            String word = part.trim();
            if (!allowed.contains(word)) {
                throw CommandException.usage(current + " expects a comma-separated list of " + String.join(", ", allowed)
                        + ", got '" + (word.isEmpty() ? v : word) + "'");
            }
            if (out.contains(word)) {
                throw CommandException.usage(current + " lists '" + word + "' twice in '" + v + "'");
            }
            out.add(word);
        }
        return List.copyOf(out);
    }

    /** An unknown option or unexpected argument, as a usage error. */
    CommandException unexpected() {
        return CommandException.usage(isOption() ? "unknown option '" + current + "'" : "unexpected argument '" + current + "'");
    }
}
