package com.runwayrelay.local.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a request may reach the console, which listens on loopback and signs with the operator's
 * credentials, so any web page the operator has open could otherwise try to use it:
 * <ul>
 *   <li>every request must name this server in {@code Host} ({@code 127.0.0.1:P} or {@code localhost:P}):
 *       a page on another name that was re-bound to 127.0.0.1 (DNS rebinding) is refused
 *       before anything is served;</li>
 *   <li>an admin call must carry the run's token in {@code X-Console-Token}: the token is in the URL printed at
 *       start (in its fragment, which is never sent to a server), so only who holds that URL can call; a custom
 *       header also makes every cross-origin call need a CORS preflight, which the console never grants;</li>
 *   <li>an admin call whose {@code Origin} or {@code Sec-Fetch-Site} shows another origin is refused, even with
 *       the token (another page on a different loopback port is "same site" to cookies, so no cookie is used).</li>
 * </ul>
 */
final class RequestGuard {
    static final String TOKEN_HEADER = "X-Console-Token";

    private final int port;
    private final byte[] token;

    RequestGuard(int port, String token) {
        this.port = port;
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Why a request is refused: the status and a sentence for the problem document. */
    record Refusal(int status, String reason) {
    }

    /** Any request: only this server's own host names. */
    Optional<Refusal> checkHost(String host) {
        if (host == null || !ownHosts().contains(host.toLowerCase(Locale.ROOT))) {
            return Optional.of(new Refusal(421, "the console answers only to 127.0.0.1:" + port + " or localhost:" + port
                    + " (Host was " + (host == null ? "missing" : "'" + host + "'") + ")"));
        }
        return Optional.empty();
    }

    /**
     * An admin call: the host check, then the origin checks, then the token.
     *
     * @param headers a request header by name (first value), or null
     */
    Optional<Refusal> checkAdminCall(Function<String, String> headers) {
        Optional<Refusal> host = checkHost(headers.apply("Host"));
        if (host.isPresent()) {
            return host;
        }
        String origin = headers.apply("Origin");
        if (origin != null && !ownHosts().stream().map(h -> "http://" + h).toList().contains(origin.toLowerCase(Locale.ROOT))) {
            return Optional.of(new Refusal(403, "calls from another origin (" + origin + ") are refused"));
        }
        String fetchSite = headers.apply("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin")) {
            return Optional.of(new Refusal(403, "calls from another site (Sec-Fetch-Site: " + fetchSite + ") are refused"));
        }
        String given = headers.apply(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Refusal(403, "missing or wrong " + TOKEN_HEADER + ": open the console with the URL"
                    + " ./relay console printed (it carries this run's token)"));
        }
        return Optional.empty();
    }

    private Set<String> ownHosts() {
        return Set.of("127.0.0.1:" + port, "localhost:" + port);
    }
}
