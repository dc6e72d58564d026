/**
 * Apps: the gateway's callers. Each has its own key (stored only as a hash), a daily credit
 * budget, limits, allowed endpoints/models and webhook signing secrets.
 */
package com.runwayrelay.domain.app;
