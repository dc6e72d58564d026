/**
 * The operator's use cases over tasks, usage and health: what the admin API answers, free of
 * HTTP. Every outcome is a sealed type or a record; the admin function only translates them.
 */
package com.runwayrelay.domain.admin;
