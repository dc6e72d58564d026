package com.runwayrelay.domain.media;

import java.util.Objects;

/**
 * One reason a media URI is refused.
 *
 * @param code    a stable machine-readable code, one of the constants below
 * @param message a sentence a developer can act on. It quotes at most about 100 characters of
 *                the input, escapes control characters, and never includes a data-URI payload
 *                or the addresses a host resolved to.
 */
public record MediaViolation(String code, String message) {
    /** The scheme is not {@code https://}, {@code runway://} or {@code data:} (or is not lower case). */
    public static final String SCHEME_NOT_ALLOWED = "scheme_not_allowed";
    /** The host is not on the allowlist, or is a local/internal name such as {@code localhost}. */
    public static final String HOST_NOT_ALLOWED = "host_not_allowed";
    /** The host is an IP address in any spelling (dotted, decimal, octal, hex, short, IPv6). */
    public static final String IP_LITERAL = "ip_literal";
    /** The host resolves to at least one address that is not public. */
    public static final String PRIVATE_ADDRESS = "private_address";
    /** The host does not resolve. */
    public static final String UNRESOLVABLE_HOST = "unresolvable_host";
    /** The URI is longer than allowed for its form. */
    public static final String TOO_LONG = "too_long";
    /** The URL carries user information ({@code https://good.com@evil.com/}). */
    public static final String USERINFO_NOT_ALLOWED = "userinfo_not_allowed";
    /** The URL names a port other than the default one or one the allowlist permits. */
    public static final String PORT_NOT_ALLOWED = "port_not_allowed";
    /** The URI contains a control character, whitespace, an invisible format character or a backslash. */
    public static final String ILLEGAL_CHARACTER = "illegal_character";
    /** The data URI's media type is missing, malformed, not accepted by the field or not one Runway takes. */
    public static final String DATA_URI_MEDIA_TYPE = "data_uri_media_type";
    /** The data URI's decoded data does not start with the signature of the media type it declares. */
    public static final String DATA_URI_CONTENT_MISMATCH = "data_uri_content_mismatch";
    /** The data URI is longer than the configured cap (5 MiB of encoded text by default). */
    public static final String DATA_URI_TOO_LARGE = "data_uri_too_large";
    /** The data URI is not marked {@code ;base64} or its payload is not valid base64. */
    public static final String DATA_URI_NOT_BASE64 = "data_uri_not_base64";
    /** The URI cannot be parsed, or its host is not a valid DNS name. */
    public static final String MALFORMED_URI = "malformed_uri";

    public MediaViolation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
