package com.runwayrelay.domain.archive;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads when a signed output link stops working, from the link itself, so an expired link is
 * replaced by a fresh one before anything is fetched. Understands the forms seen in practice:
 * a JWT in {@code _jwt} (Runway's CDN links; its {@code exp} claim), CloudFront's
 * {@code Expires}, S3's {@code X-Amz-Date} + {@code X-Amz-Expires}, and {@code exp} (epoch
 * seconds, the Runway simulator). A link without any of them has no known expiry; a 403 or 404
 * on download still triggers a refresh.
 */
public final class OutputLinkExpiry {
    private static final Pattern EXP_CLAIM = Pattern.compile("\"exp\"\\s*:\\s*(\\d{1,12})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private OutputLinkExpiry() {
    }

    /** When {@code url} expires, when the link says. */
    public static Optional<Instant> of(URI url) {
        String query = url.getRawQuery();
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        String jwt = null;
        String expires = null;
        String exp = null;
        String amzDate = null;
        String amzExpires = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (name) {
                case "_jwt" -> jwt = value;
                case "Expires" -> expires = value;
                case "exp" -> exp = value;
                case "X-Amz-Date" -> amzDate = value;
                case "X-Amz-Expires" -> amzExpires = value;
                default -> {
                }
            }
        }
        Optional<Instant> found = jwt == null ? Optional.empty() : jwtExpiry(jwt);
        if (found.isEmpty() && expires != null) {
            found = epochSeconds(expires);
        }
        if (found.isEmpty() && exp != null) {
            found = epochSeconds(exp);
        }
        if (found.isEmpty() && amzDate != null && amzExpires != null) {
            found = amzExpiry(amzDate, amzExpires);
        }
        return found;
    }

    private static Optional<Instant> jwtExpiry(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher m = EXP_CLAIM.matcher(payload);
            return m.find() ? epochSeconds(m.group(1)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> amzExpiry(String date, String seconds) {
        try {
            Instant signedAt = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
            return epochSeconds(seconds).map(s -> signedAt.plusSeconds(s.getEpochSecond()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> epochSeconds(String value) {
        if (!value.matches("\\d{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
    }
}
