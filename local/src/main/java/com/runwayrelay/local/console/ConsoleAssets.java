package com.runwayrelay.local.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The built UI ({@code console/} on the classpath: {@code index.html}, {@code app.js}, {@code app.css}, the icon and the bundled libraries' licences, made by
 * {@code local/src/main/console/build.mjs} during the Maven build), read once at start. Every other path
 * answers 404; the UI routes in the URL fragment, so the server has one page.
 */
final class ConsoleAssets {
    static final String ROOT = "console/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml",
            "app.js.LEGAL.txt", "text/plain; charset=utf-8");
    /**
     * The page may load scripts, styles and API answers from itself only; output previews come from the
     * pre-signed links the admin API gives (any http(s) host: the local S3 or the stack's bucket); no page may
     * frame it.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self' data: http: https:; media-src http: https:; font-src 'self';"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, byte[]> files;

    private ConsoleAssets(Map<String, byte[]> files) {
        this.files = files;
    }

    /**
     * Reads the built UI from the classpath.
     *
     * @throws ConsoleUiMissingException when it is not there (the module was built without the console)
     */
    static ConsoleAssets fromClasspath() {
        Map<String, byte[]> files = new HashMap<>();
        for (String name : TYPES.keySet()) {
            read(name).ifPresent(bytes -> files.put(name, bytes));
        }
        for (String required : new String[] {"index.html", "app.js", "app.css"}) {
            if (!files.containsKey(required)) {
                throw new ConsoleUiMissingException("the console's UI (" + ROOT + required + ") is not in the build: rebuild the local module"
                        + " with Node 20+ and npm on the PATH (./mvnw -B package -pl local -am -DskipTests)");
            }
        }
        return new ConsoleAssets(Map.copyOf(files));
    }

    private static Optional<byte[]> read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name + " from the classpath", e);
        }
    }

    void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            ConsoleServer.problem(exchange, 405, "method", "the console's pages are read with GET");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        byte[] file = files.get(name);
        if (file == null) {
            ConsoleServer.problem(exchange, 404, "not-found", "no such page: " + path);
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Frame-Options", "DENY");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
        ConsoleServer.send(exchange, 200, TYPES.get(name), file);
    }
}
