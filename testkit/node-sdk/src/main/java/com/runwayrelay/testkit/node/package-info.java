/**
 * The official Runway Node SDK ({@code @runwayml/sdk}) for tests:
 * {@link com.runwayrelay.testkit.node.OfficialNodeSdk} installs the one pinned version and runs a
 * module's SDK scripts against a base URL. Never shipped in a Lambda zip.
 */
package com.runwayrelay.testkit.node;
