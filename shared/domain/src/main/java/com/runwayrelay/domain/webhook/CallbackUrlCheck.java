package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.BlockedTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Vets a webhook callback URL before anything is stored (a task's {@code relay.callbackUrl}, an
 * app's default callback URL), with the same rules the notifier applies
 * when it connects ({@link AddressGuard}: https, no user information, a public address; loopback
 * http only for the local stack), and no backslash, whitespace, control or invisible character
 * (which parsers and logs read differently). Checking early turns a webhook that could never be
 * delivered into a 400 the app sees at once. Whether the receiver will answer with a redirect
 * cannot be known here; the notifier never follows one.
 */
public final class CallbackUrlCheck {
    private final AddressGuard guard;

    public CallbackUrlCheck(AddressGuard guard) {
        this.guard = guard;
    }

    /** Why the URL is refused, or null when it is acceptable. */
    public Refusal check(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT) {
                return new Refusal("illegal_character", String.format("contains a backslash, whitespace, control or "
                        + "invisible character (U+%04X) at index %d; percent-encode it or remove it", (int) c, i));
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new Refusal("malformed_uri", "not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        if (!uri.isAbsolute() || uri.getRawFragment() != null) {
            return new Refusal("malformed_uri", "must be an absolute https URL without a fragment");
        }
        try {
            guard.checkedAddress(uri);
            return null;
        } catch (BlockedTargetException e) {
            return new Refusal(e.code(), e.getMessage());
        } catch (UnknownHostException e) {
            return new Refusal("unresolvable_host", "the host does not resolve");
        }
    }

    /** A refused callback URL: a {@code MediaViolation} code and a sentence. */
    public record Refusal(String code, String message) {
    }
}
