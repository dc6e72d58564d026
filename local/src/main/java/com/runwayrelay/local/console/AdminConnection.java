package com.runwayrelay.local.console;

import com.runwayrelay.local.admin.AdminClient;
import com.runwayrelay.local.admin.AdminTarget;

/** Where the console's proxy sends admin calls: one fixed API, or whatever the local stack is at the moment. */
public interface AdminConnection {
    /**
     * The client for the next call.
     *
     * @throws Unavailable when there is no API to call now (e.g. no local stack is running)
     */
    AdminClient client();

    /** How the console names the target, e.g. {@code stack prod (us-east-1)}. */
    String description();

    /** One fixed API (a deployed stack's), with one client for every call. */
    static AdminConnection to(AdminTarget target) {
        AdminClient client = AdminClient.of(target);
        String description = target.description() + " at " + target.apiUrl();
        return new AdminConnection() {
            @Override
            public AdminClient client() {
                return client;
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /** Nothing can be called now; the message says why and what to do. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }
}
