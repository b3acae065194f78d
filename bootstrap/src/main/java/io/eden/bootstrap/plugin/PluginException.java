package io.eden.bootstrap.plugin;

/** A plugin could not be loaded; the message names the file or folder and says why. */
public final class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
