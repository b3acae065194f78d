package io.eden.bootstrap.plugin;

import io.eden.application.spi.ProtocolAdapterFactory;
import io.eden.domain.model.Health;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real plugin jars in tests: compiles sources against the host's SPI and packs them. */
final class PluginJars {
    private PluginJars() {
    }

    /** Compiles {@code sources} (class name to source) into {@code classes} against the SPI and {@code extra}. */
    static Path compile(Path classes, Map<String, String> sources, Path... extra) throws IOException {
        Path src = Files.createTempDirectory(classes.getParent(), "src");
        List<String> args = new ArrayList<>(List.of("--release", "21", "-d", classes.toString(),
                "-classpath", classPath(extra)));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("the test plugin did not compile");
        }
        return classes;
    }

    /** Packs {@code classes} into a jar, with a services file naming {@code factory} when given. */
    static Path jar(Path jar, Path classes, Optional<String> factory) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (classes != null) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        put(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    }
                }
            }
            if (factory.isPresent()) {
                put(out, PluginLoader.SERVICE_FILE, (factory.get() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /** The application (SPI) and domain classes the host runs with: a jar, or a classes folder in the IDE. */
    private static String classPath(Path... extra) {
        List<String> entries = new ArrayList<>(List.of(location(ProtocolAdapterFactory.class),
                location(Health.class), location(io.eden.application.service.ProtocolRegistry.class)));
        for (Path path : extra) {
            entries.add(path.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
