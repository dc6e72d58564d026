package com.runwayrelay.domain.media;

/** Quotes untrusted input for error messages: short, and with invisible characters made visible. */
final class Excerpt {
    static final int MAX_CHARS = 100;

    private Excerpt() {
    }

    /**
     * {@code text} in single quotes, cut to {@value #MAX_CHARS} characters (the total length is
     * appended when cut) and with control, format and non-ASCII whitespace characters written as
     * {@code \\uXXXX}, so a message cannot smuggle line breaks or bidi overrides into a log.
     */
    static String quote(String text) {
        int end = Math.min(text.length(), MAX_CHARS);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end + 24).append('\'');
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (isInvisible(c) || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (end < text.length()) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /**
     * Like {@link #quote} but stops before the first {@code ?} or {@code #}: query strings and
     * fragments often carry signatures or tokens.
     */
    static String quoteWithoutQuery(String uri) {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return end == uri.length() ? quote(uri) : quote(uri.substring(0, end)) + " (query omitted)";
    }

    /** Control characters, whitespace of any script, and format characters (zero-width, bidi). */
    static boolean isInvisible(char c) {
        return c <= 0x20 || c == 0x7f || Character.isISOControl(c) || Character.isWhitespace(c)
                || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
    }
}
