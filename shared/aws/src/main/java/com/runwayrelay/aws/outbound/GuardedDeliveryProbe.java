package com.runwayrelay.aws.outbound;

import com.runwayrelay.domain.delivery.DeliveryTargetProbe;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.BlockedTargetException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * {@link DeliveryTargetProbe} under the webhooks' outbound rules: {@link AddressGuard} vets the URL
 * again (https to public addresses; loopback http only when the local stack allows it) and
 * {@link PinnedHttpClient} sends one HEAD to exactly the vetted address, within its timeout, never
 * following a redirect. A 3xx is {@link Probe.Redirected}; any other status is
 * {@link Probe.Answered}; no answer is {@link Probe.NoAnswer}. Reasons never contain the URL
 * (a pre-signed URL's query is the app's credential).
 */
public final class GuardedDeliveryProbe implements DeliveryTargetProbe {
    private final AddressGuard guard;
    private final PinnedHttpClient http;

    public GuardedDeliveryProbe(AddressGuard guard, PinnedHttpClient http) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public Probe probe(URI target) {
        InetAddress address;
        try {
            address = guard.checkedAddress(target);
        } catch (BlockedTargetException e) {
            // The submit-time address check refuses such URLs before any probe; nothing is sent.
            return new Probe.NoAnswer("not sent: " + e.getMessage());
        } catch (UnknownHostException e) {
            return new Probe.NoAnswer("the host does not resolve");
        }
        int status;
        try {
            status = http.head(target, address).status();
        } catch (SocketTimeoutException e) {
            return new Probe.NoAnswer("no answer within " + http.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return new Probe.NoAnswer("connection failed: " + e.getClass().getSimpleName());
        }
        return status >= 300 && status <= 399 ? new Probe.Redirected(status) : new Probe.Answered(status);
    }
}
