package io.eden.bootstrap;

/**
 * Eden could not start, for a reason the message explains to the operator; no stack trace is
 * needed. A usage error (a bad flag value, something the command line asked for that cannot
 * be done) exits with 2, like a parse error; anything else with 1.
 */
public final class StartupException extends RuntimeException {
    public static final int USAGE = 2;
    public static final int FAILURE = 1;

    private final int exitCode;

    private StartupException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static StartupException usage(String message) {
        return new StartupException(message, USAGE, null);
    }

    public static StartupException failure(String message, Throwable cause) {
        return new StartupException(message, FAILURE, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
