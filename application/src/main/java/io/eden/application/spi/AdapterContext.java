package io.eden.application.spi;

import java.nio.file.Path;
import java.util.Map;

/** What the host gives a protocol adapter. */
public interface AdapterContext {

    EdenMetrics metrics();

    /** A folder the adapter may keep files in (checkpoints, certificates it generates). */
    Path dataDir();

    /** Options of this protocol from the command line, {@code --option redis.lanes=16} gives {@code lanes=16}. */
    Map<String, String> options();
}
