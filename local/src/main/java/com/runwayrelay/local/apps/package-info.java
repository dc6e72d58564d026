/**
 * {@code ./relay apps}: creating, listing, rotating and disabling the apps that may use the
 * gateway, against whatever table the environment reaches (the local stack's, or the deployed one).
 */
package com.runwayrelay.local.apps;
