package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.Violation;
import java.time.Instant;
import java.util.List;

/** What became of an operator's request about an app, free of HTTP. */
public sealed interface AppOutcome {

    /** The app as it now is (read, updated, disabled or enabled). */
    record Found(AppView app) implements AppOutcome {
    }

    /**
     * A new app and its first key, shown this once.
     *
     * @param key           the app key; only its hash is stored
     * @param webhookSecret the secret that signs its webhooks
     */
    record Created(AppView app, String key, String webhookSecret) implements AppOutcome {
        @Override
        public String toString() {
            return "Created[" + app.app().id() + ", key=***, webhookSecret=***]";
        }
    }

    /**
     * A new key (the old ones revoked) and a new webhook secret.
     *
     * @param key               the new key, shown this once
     * @param webhookSecret     the new signing secret
     * @param revokedKeys       how many old keys this rotation revoked (not those another writer revoked meanwhile)
     * @param oldSecretsSignUntil when the previous secrets stop signing (now for no grace)
     */
    record Rotated(AppView app, String key, String webhookSecret, int revokedKeys, Instant oldSecretsSignUntil)
            implements AppOutcome {
        @Override
        public String toString() {
            return "Rotated[" + app.app().id() + ", key=***, webhookSecret=***, revokedKeys=" + revokedKeys + "]";
        }
    }

    /**
     * The app and its keys are gone; its tasks, usage records and archived outputs are kept.
     *
     * @param appId       the deleted app
     * @param revokedKeys how many keys stopped working
     */
    record Deleted(String appId, int revokedKeys) implements AppOutcome {
    }

    /** No app has this id. */
    record NotFound(String appId) implements AppOutcome {
    }

    /** The request is invalid; nothing changed. */
    record Invalid(List<Violation> violations) implements AppOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** The app kept changing under this request (other writers); nothing changed, try again. */
    record Conflict(String appId) implements AppOutcome {
    }
}
