package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UploadSlots;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import com.runwayrelay.runway.UploadSlot;

/**
 * {@link UploadSlots} over {@link RunwayClient#createUpload}: the slot Runway gives is handed to
 * the app unchanged. Runway's 400 comes back as {@code Rejected}; anything that a later try may
 * fix (429, 5xx, unreachable, our own key refused) as {@code Unavailable}.
 */
public final class RunwayClientUploadSlots implements UploadSlots {
    private final RunwayClient client;

    public RunwayClientUploadSlots(RunwayClient client) {
        this.client = client;
    }

    @Override
    public Outcome reserve(String filename) {
        try {
            UploadSlot slot = client.createUpload(filename);
            return new Outcome.Reserved(slot.uploadUrl(), slot.fields(), slot.runwayUri());
        } catch (RunwayException.BadRequest e) {
            return new Outcome.Rejected(e.runwayError().orElse("Runway refused the upload request"), e.issues().stream()
                    .map(i -> new Violation(i.path(), i.code(), i.message())).toList());
        } catch (RunwayException.RateLimited e) {
            return new Outcome.Unavailable("Runway is rate limiting uploads", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new Outcome.Unavailable("Runway is unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException e) {
            return new Outcome.Unavailable("Runway could not provide an upload slot (" + e.getClass().getSimpleName() + ")",
                    null);
        }
    }
}
