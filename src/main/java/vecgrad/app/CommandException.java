package vecgrad.app;

/**
 * Ends the command with a one-line reason on standard error and a non-zero exit status: 2 for bad
 * usage, 1 for data or files that cannot be read or written.
 */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The exit status for bad usage. */
    static final int USAGE = 2;
    /** The exit status for unreadable input or unwritable output. */
    static final int FAILURE = 1;

    private final int status;

    private CommandException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** Bad usage: the reason is followed by a pointer to {@code --help}. */
    static CommandException usage(String reason) {
        return new CommandException(USAGE, reason);
    }

    /** Input that cannot be read or output that cannot be written. */
    static CommandException failure(String reason) {
        return new CommandException(FAILURE, reason);
    }

    int status() {
        return status;
    }

    /** The line printed on standard error. */
    String line() {
        return "mnist: " + getMessage() + (status == USAGE ? " (see mnist --help)" : "");
    }
}
