package vecgrad.app;

import vecgrad.tensor.NonFiniteException;

/**
 * Ends the command with a one-line reason on standard error and a non-zero exit status: 2 for bad
 * usage, 1 for data or files that cannot be read or written, 3 for training that diverged.
 */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The exit status for bad usage. */
    static final int USAGE = 2;
    /** The exit status for unreadable input or unwritable output, and for an unexpected error. */
    static final int FAILURE = 1;
    /** The exit status for training whose loss, gradients or weights became NaN or infinite. */
    static final int DIVERGED = 3;
    /**
     * The longest line printed on standard error, in chars. A message can quote a hostile argument or
     * file name of any length; a terminal line is for a human, and the start says what went wrong.
     */
    static final int MAX_LINE = 500;

    private final int status;

    private CommandException(int status, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.status = status;
    }

    /** Bad usage: the reason is followed by a pointer to {@code --help}. */
    static CommandException usage(String reason) {
        return new CommandException(USAGE, reason, null);
    }

    /** Input that cannot be read or output that cannot be written. */
    static CommandException failure(String reason) {
        return new CommandException(FAILURE, reason, null);
    }

    /** Training stopped by a NaN or an infinity; the cause keeps the stack trace for {@code --debug}. */
    static CommandException diverged(NonFiniteException cause) {
        return new CommandException(DIVERGED, "training diverged: " + cause.getMessage(), cause);
    }

    int status() {
        return status;
    }

    /** The line printed on standard error. */
    String line() {
        return line(getMessage(), status == USAGE ? " (see mnist --help)" : "");
    }

    /**
     * {@code mnist: REASON SUFFIX} on one line of at most {@link #MAX_LINE} chars: line breaks and other
     * control characters become spaces (so a quoted argument cannot move the cursor or forge a second
     * line), and a reason too long is cut and ends with "…"; the suffix is always kept.
     */
    static String line(String reason, String suffix) {
        StringBuilder flat = new StringBuilder(String.valueOf(reason));
        for (int i = 0; i < flat.length(); i++) {
            if (Character.isISOControl(flat.charAt(i))) {
                flat.setCharAt(i, ' ');
            }
        }
        String prefix = "mnist: ";
        int room = MAX_LINE - prefix.length() - suffix.length();
        if (flat.length() > room) {
            int cut = room - 1;
            if (Character.isHighSurrogate(flat.charAt(cut - 1))) {
                cut--;   // never leave half a character before the ellipsis
            }
            flat.setLength(cut);
            flat.append('…');
        }
        return prefix + flat + suffix;
    }
}
