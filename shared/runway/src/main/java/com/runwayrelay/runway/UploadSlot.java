package com.runwayrelay.runway;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An ephemeral upload slot from {@code POST /v1/uploads}: POST the file to {@code uploadUrl} with
 * {@code fields} (see {@link RunwayClient#uploadFile(UploadSlot, java.nio.file.Path)}), then use
 * {@code runwayUri} in any media field for the next 24 hours.
 *
 * <p>{@code fields} hold a presigned storage policy and signature, so {@link #toString()} lists
 * their names only.
 *
 * @param fields form fields to send before the file, in the order Runway gave them
 */
public record UploadSlot(URI uploadUrl, Map<String, String> fields, String runwayUri) {

    public UploadSlot {
        Objects.requireNonNull(uploadUrl, "uploadUrl");
        Objects.requireNonNull(runwayUri, "runwayUri");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String toString() {
        return "UploadSlot[uploadUrl=" + uploadUrl.getScheme() + "://" + uploadUrl.getRawAuthority()
                + uploadUrl.getRawPath() + ", fields=" + fields.keySet() + ", runwayUri=" + runwayUri + "]";
    }
}
