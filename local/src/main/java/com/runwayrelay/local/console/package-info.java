/**
 * {@code ./relay console}: a web console on loopback (the {@code kubectl proxy} pattern). {@link ConsoleServer}
 * serves the single-page UI built from {@code local/src/main/console} and forwards {@code /admin/v1/*} to the
 * admin API of the local stack or a deployed one, signing every call with SigV4; the browser never holds AWS
 * credentials. {@link RequestGuard} keeps other web pages out (Host check, Origin check, a per-run token).
 */
package com.runwayrelay.local.console;
