package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.app.App;

/**
 * An app as the operator sees it: its settings and how many keys it has, never a key or secret.
 *
 * @param app  the stored app
 * @param keys how many keys currently find it
 */
public record AppView(App app, int keys) {
}
