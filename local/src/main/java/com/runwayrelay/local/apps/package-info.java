/**
 * {@code ./relay apps} without a running stack: creating, listing, updating, rotating and disabling
 * apps directly in the table the environment reaches (the emulators started on the data folder).
 * With a stack running, or with {@code --url}/{@code --stack}, {@code ./relay apps} goes through the
 * admin API instead ({@code com.runwayrelay.local.admin}).
 */
package com.runwayrelay.local.apps;
